"""The learning-rate range test (Leslie Smith, 2017; as fastai's ``lr_find``).

On a copy of a network, train one mini-batch per step while the learning rate
grows exponentially from ``start_rate`` to ``end_rate``:

    rate_i = start · (end / start) ^ (i / (steps − 1)),   i = 0 … steps − 1

and record each batch's loss (measured before that batch's step) and the loss
smoothed exponentially with bias correction (as Adam corrects its moments):

    avg_i = β · avg_{i−1} + (1 − β) · loss_i,   smoothed_i = avg_i / (1 − β^(i+1)),   β = 0.98

The test stops early when the smoothed loss runs away (more than
``DIVERGENCE_FACTOR`` times the lowest smoothed loss so far) or a batch's loss
is not a finite number. The first steps only fill the average
(``warmup_steps``: the average's span 1/(1 − β) = 50 steps, at most a quarter
of them): until then it is the mean of a few noisy batch losses, noisier than
it will be later, so those steps are neither checked for a runaway nor
candidates for the lowest. On a flat curve the lowest would otherwise fall
there by chance; at those rates (1e-6 to about 3e-5 in 200 steps) the weights
barely move anyway. Batches are drawn from a shuffle of the rows and, when the
data has fewer batches than steps, from a new shuffle each pass.

The suggestion is ``SUGGESTION_RULE``: a tenth of the rate where the smoothed
loss is lowest (after the warm-up). Near that rate the loss stops falling and
is about to run away; a tenth of it is safely below where training becomes
unstable. On a network already trained the loss falls little, the curve is
flat until it runs away, and the lowest point (so the suggestion) is less
telling: the test is meant for the weights a run starts from.

The network passed in is never written to: the test runs on a new Network with
a copy of its weights and a fresh optimizer of the same kind (its moments start
at zero, as a new run's do).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from ..errors import ConfigError
from .network import Network
from .optimizers import make_optimizer

START_RATE = 1e-6
END_RATE = 1.0
DEFAULT_STEPS = 200
MIN_STEPS, MAX_STEPS = 10, 10_000
SMOOTHING = 0.98
DIVERGENCE_FACTOR = 4.0
WARMUP_MAX_SHARE = 0.25
SUGGESTION_RULE = "a tenth of the learning rate at which the smoothed loss was lowest"
STOP_REASONS = {
    "finished": "the rate reached its end without the loss running away",
    "diverged": f"the smoothed loss grew past {DIVERGENCE_FACTOR:g}× its lowest value",
    "not_finite": "a batch's loss became infinite or NaN",
}


@dataclass
class RangeTest:
    """The range test's record: one entry per step taken, in order.

    rates[i]: the learning rate of step i; losses[i]: that batch's loss before its
    step; smoothed[i]: the bias-corrected exponential average of losses[:i+1].
    suggestion: ``rule`` applied (None when no step gave a finite loss);
    lowest_rate: the rate where the smoothed loss was lowest.
    """

    rates: list
    losses: list
    smoothed: list
    suggestion: float | None
    lowest_rate: float | None
    rule: str
    stopped_reason: str
    optimizer: str
    batch_size: int
    steps: int

    @property
    def stopped(self):
        """The stop reason in words."""
        return STOP_REASONS[self.stopped_reason]

    def to_dict(self):
        return {**asdict(self), "stopped": self.stopped}


def learning_rates(steps, start_rate=START_RATE, end_rate=END_RATE):
    """The exponential schedule: ``steps`` rates from ``start_rate`` to exactly ``end_rate``."""
    rates = start_rate * (end_rate / start_rate) ** (np.arange(steps) / (steps - 1))
    rates[-1] = end_rate  # the power's rounding must not step past the end
    return np.minimum(rates, end_rate)


def copy_network(network):
    """A new Network of the same shape holding a copy of ``network``'s weights."""
    copy = Network(**network.spec(), rng=np.random.default_rng(0))
    copy.set_weights(network.get_weights())
    return copy


def warmup_steps(steps):
    """The steps that only fill the smoothed loss's average (see the module's docstring)."""
    return min(round(1.0 / (1.0 - SMOOTHING)), int(WARMUP_MAX_SHARE * steps))


def check_steps(steps):
    """The number of steps as an int, or ConfigError saying what to use."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or not MIN_STEPS <= steps <= MAX_STEPS:
        raise ConfigError(f"steps {steps!r} is out of range; use a whole number from {MIN_STEPS} to {MAX_STEPS}")
    return int(steps)


def _batches(n_rows, batch_size, rng):
    """Endless mini-batches of row indexes: each pass over the rows is a new shuffle."""
    while True:
        order = rng.permutation(n_rows)
        for start in range(0, n_rows, batch_size):
            yield order[start : start + batch_size]


def range_test(network, x, y, *, optimizer="sgd", batch_size=32, weight_decay=0.0, steps=DEFAULT_STEPS,
               rng=None, start_rate=START_RATE, end_rate=END_RATE):
    """Run the range test on a copy of ``network`` with rows (x, y); returns a RangeTest.

    optimizer: the optimizer's kind (see ``optimizers.OPTIMIZERS``); rng shuffles
    the rows (pass a new one: the caller's run must not lose its own draws)."""
    steps = check_steps(steps)
    if len(x) == 0:
        raise ConfigError("there are no rows to train on; choose data with rows in it")
    model = copy_network(network)
    model.inputs.set_data(x)
    model.labels.set_data(y)
    step = make_optimizer(optimizer, model.parameters, start_rate, weight_decay)
    batch_size = max(1, min(int(batch_size), len(x)))
    batches = _batches(len(x), batch_size, rng if rng is not None else np.random.default_rng())
    rates, losses, smoothed = [], [], []
    average, lowest, stopped_reason = 0.0, math.inf, "finished"
    warmup = warmup_steps(steps)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for i, rate in enumerate(learning_rates(steps, start_rate, end_rate)):
            step.learning_rate = float(rate)
            loss = float(model.train_batch(next(batches)))
            if not math.isfinite(loss):
                stopped_reason = "not_finite"
                break
            step.step()
            average = SMOOTHING * average + (1.0 - SMOOTHING) * loss
            smooth = average / (1.0 - SMOOTHING ** (i + 1))
            rates.append(float(rate))
            losses.append(loss)
            smoothed.append(smooth)
            if i < warmup:
                continue
            lowest = min(lowest, smooth)
            if smooth > DIVERGENCE_FACTOR * lowest:
                stopped_reason = "diverged"
                break
    candidates = smoothed[warmup:] or smoothed
    lowest_rate = rates[smoothed.index(min(candidates))] if smoothed else None
    return RangeTest(rates, losses, smoothed, None if lowest_rate is None else lowest_rate / 10.0, lowest_rate,
                     SUGGESTION_RULE, stopped_reason, optimizer, batch_size, steps)
