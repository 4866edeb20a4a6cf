"""The learning-rate range test for a run (``fcnn.engine.lr_finder``), and its text form.

The test runs on a copy of the run's network, on the rows its trainer trains
on (the validation rows early stopping holds out are left out, as in
training), with the run's optimizer kind, batch size and weight decay. Its
rows are shuffled by a new generator seeded with the run's seed, so the run's
own draws, weights, optimizer state and position are untouched.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.lr_finder import DEFAULT_STEPS, range_test
from .experiment import Experiment

# settings a range test does not depend on: it sweeps the rate itself, for a fixed number of steps
IGNORED_SETTINGS = ("learning_rate", "epochs")
TABLE_LINES = 25
BAR_WIDTH = 40


def find_learning_rate(experiment, steps=DEFAULT_STEPS):
    """The range test (a RangeTest) on a copy of ``experiment``'s network as it is now."""
    network, config = experiment.network, experiment.config
    return range_test(network, network.inputs.data, network.labels.data, optimizer=config.optimizer,
                      batch_size=experiment.trainer.batch_size, weight_decay=config.weight_decay,
                      steps=steps, rng=np.random.default_rng(config.seed))


def find_for_table(table, config, steps=DEFAULT_STEPS, columns_info=None):
    """The range test of a new run of ``config`` on ``table`` (its initial weights for the seed);
    returns (RangeTest, Experiment)."""
    experiment = Experiment(table, config, columns_info=columns_info)
    return find_learning_rate(experiment, steps), experiment


def same_run(run, fresh):
    """Whether ``run`` trains what a new run ``fresh`` would: the same settings (but for the
    learning rate and epochs), the same network shape and the same training rows."""
    settings = [run.config.to_dict(), fresh.config.to_dict()]
    for values in settings:
        for name in IGNORED_SETTINGS:
            values.pop(name)
    same_rows = (np.array_equal(run.network.inputs.data, fresh.network.inputs.data)
                 and np.array_equal(run.network.labels.data, fresh.network.labels.data))
    return settings[0] == settings[1] and run.network.spec() == fresh.network.spec() and same_rows


def find_for_run_or_table(table, config, run=None, steps=DEFAULT_STEPS, columns_info=None, check=None):
    """The range test for the page: on the current run's weights as they are now when ``run``
    trains what ``config`` would on ``table``, else on a new network for ``config``.
    ``check(experiment)``, when given, may refuse the experiment tested (a memory check).

    Returns (RangeTest, experiment tested, which): which is "run" or "new"."""
    fresh = Experiment(table, config, columns_info=columns_info)
    experiment, which = (run, "run") if run is not None and same_run(run, fresh) else (fresh, "new")
    if check is not None:
        check(experiment)
    return find_learning_rate(experiment, steps), experiment, which


def _bar(value, low, high):
    """A bar for ``value`` on a log scale from ``low`` (no bar) to ``high`` (a full one)."""
    if high <= low or value <= 0:
        return ""
    share = (math.log(value) - math.log(low)) / (math.log(high) - math.log(low))
    return "#" * max(1, round(share * BAR_WIDTH)) if share > 0 else ""


def range_table(test, lines=TABLE_LINES):
    """The range test as lines of text: the suggestion and its rule, why it stopped, then about
    ``lines`` rows of rate → smoothed loss, each with a bar (log scale, the lowest loss shortest)."""
    if test.suggestion is None:
        head = [f"no suggestion: {test.stopped} at the first step; check the data and the settings"]
    else:
        head = [f"suggested learning rate {test.suggestion:.3g}: {test.rule} ({test.lowest_rate:.3g})"]
    head.append(f"{test.optimizer}, batch {test.batch_size}: {len(test.rates)} of {test.steps} steps, "
                f"stopped because {test.stopped}")
    if not test.rates:
        return head
    head.append(f"{'learning rate':>14} {'loss':>11} {'smoothed':>11}  smoothed loss (log scale)")
    low, high = min(test.smoothed), max(test.smoothed)
    every = max(1, math.ceil(len(test.rates) / lines))
    shown = sorted(set(range(0, len(test.rates), every)) | {len(test.rates) - 1, test.rates.index(test.lowest_rate)})
    for i in shown:
        mark = "  ← lowest" if test.rates[i] == test.lowest_rate else ""
        bar = _bar(test.smoothed[i] / low, 1.0, high / low)
        head.append(f"{test.rates[i]:>14.3g} {test.losses[i]:>11.4g} {test.smoothed[i]:>11.4g}  {bar}{mark}")
    return head
