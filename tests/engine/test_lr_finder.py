"""The learning-rate range test on a problem whose good range is known: linear regression.

For a linear model with the mean squared error, L(θ) = mean((Xθ − y)²), the Hessian is
H = 2 XᵀX / n (with a column of ones for the bias). Gradient descent converges for rates
below 2/λmax(H) and diverges above; about 1/λmax trains fastest. With features scaled by 3
λmax is about 21, so the stable range ends near 0.094: well inside the test's 1e-6 … 1.
"""

import math

import numpy as np
import pytest

from fcnn.engine import lr_finder
from fcnn.engine.lr_finder import (
    DIVERGENCE_FACTOR, END_RATE, START_RATE, SUGGESTION_RULE, learning_rates, range_test,
)
from fcnn.engine.network import Network
from fcnn.engine.optimizers import make_optimizer
from fcnn.engine.trainer import Trainer
from fcnn.errors import ConfigError

N, D, SCALE = 512, 4, 3.0


@pytest.fixture(scope="module")
def problem():
    rng = np.random.default_rng(1)
    x = SCALE * rng.normal(size=(N, D))
    y = x @ rng.normal(size=(D, 1)) + 0.1 * rng.normal(size=(N, 1))
    with_bias = np.hstack([x, np.ones((N, 1))])
    lambda_max = np.linalg.eigvalsh(2 * with_bias.T @ with_bias / N).max()
    return x, y, lambda_max


def linear_model(seed=2):
    return Network(D, [], "identity", "regression", rng=np.random.default_rng(seed))


def final_loss(x, y, rate, optimizer="sgd", epochs=10):
    """The training loss after ``epochs`` epochs of mini-batch training at ``rate`` (inf if it diverged)."""
    model = linear_model()
    trainer = Trainer(model, make_optimizer(optimizer, model.parameters, rate), x, y, batch_size=32,
                      epochs=epochs, rng=np.random.default_rng(0))
    trainer.run()
    return math.inf if trainer.stop_reason == "diverged" else model.evaluate_loss(x, y)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_suggestion_lies_in_the_stable_range_near_a_rate_that_trains_well(problem, seed):
    x, y, lambda_max = problem
    stable_below = 2 / lambda_max
    # the known range itself, checked by training: stable just below 2/λmax, diverged just above it
    assert final_loss(x, y, 0.9 * stable_below) < 0.05 and final_loss(x, y, 1.5 * stable_below) > 1e3
    test = range_test(linear_model(), x, y, optimizer="sgd", batch_size=32, rng=np.random.default_rng(seed))
    assert test.stopped_reason == "diverged" and test.rule == SUGGESTION_RULE
    assert test.suggestion == pytest.approx(test.lowest_rate / 10)
    assert test.suggestion < stable_below
    good = 1 / lambda_max  # the fastest rate for the sharpest direction
    assert good / 10 < test.suggestion < good * 10
    # and the suggestion does train well: as well as the known good rate does, to within noise
    assert final_loss(x, y, test.suggestion) < 2 * final_loss(x, y, good) + 0.01


def test_the_test_stops_when_the_loss_runs_away(problem):
    x, y, lambda_max = problem
    test = range_test(linear_model(), x, y, optimizer="sgd", batch_size=32, rng=np.random.default_rng(0))
    assert len(test.rates) < test.steps  # it stopped before the end of the schedule
    assert test.rates[-1] > 2 / lambda_max  # past the stable range, not before it
    warmup = lr_finder.warmup_steps(test.steps)
    assert warmup == 50
    lowest_so_far = np.minimum.accumulate(test.smoothed[warmup:])
    assert test.smoothed[-1] > DIVERGENCE_FACTOR * lowest_so_far[-1]
    # not earlier: every step before the last stayed within the factor of the lowest before it
    assert all(s <= DIVERGENCE_FACTOR * low for s, low in zip(test.smoothed[warmup:-1], lowest_so_far))
    assert all(math.isfinite(v) for v in test.losses + test.smoothed)


def test_a_loss_that_is_not_finite_stops_the_test(problem):
    x, y, _ = problem
    # a target so far out that the first large steps overflow at once
    test = range_test(linear_model(), x * 1e150, y, optimizer="sgd", batch_size=32, steps=50,
                      rng=np.random.default_rng(0))
    assert test.stopped_reason == "not_finite" and len(test.rates) < 50
    assert all(math.isfinite(v) for v in test.losses + test.smoothed)


def test_a_loss_that_never_runs_away_reaches_the_end_rate(problem):
    x, y, _ = problem
    test = range_test(linear_model(), x / 30, y, optimizer="sgd", batch_size=32, rng=np.random.default_rng(0))
    assert test.stopped_reason == "finished" and len(test.rates) == test.steps
    assert test.rates[-1] == END_RATE


def test_the_smoothed_loss_is_the_bias_corrected_exponential_average(problem):
    x, y, _ = problem
    test = range_test(linear_model(), x, y, optimizer="adam", batch_size=64, steps=40, rng=np.random.default_rng(5))
    average = 0.0
    for i, (loss, smooth) in enumerate(zip(test.losses, test.smoothed)):
        average = 0.98 * average + 0.02 * loss
        assert smooth == pytest.approx(average / (1 - 0.98 ** (i + 1)), rel=1e-12)


@pytest.mark.parametrize("steps", [10, 200, 777])
def test_rates_grow_exponentially_from_the_start_and_never_pass_the_end(steps):
    rates = learning_rates(steps)
    assert rates[0] == START_RATE == 1e-6 and rates[-1] == END_RATE == 1.0
    assert np.all(rates <= END_RATE)
    ratios = rates[1:] / rates[:-1]
    np.testing.assert_allclose(ratios, (END_RATE / START_RATE) ** (1 / (steps - 1)), rtol=1e-9)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_the_network_and_its_optimizer_are_bitwise_unchanged(problem, optimizer):
    x, y, _ = problem
    model = Network(D, [6, 3], "tanh", "regression", rng=np.random.default_rng(4))
    step = make_optimizer(optimizer, model.parameters, 0.01, weight_decay=0.001)
    trainer = Trainer(model, step, x, y, batch_size=32, epochs=5, rng=np.random.default_rng(0))
    trainer.run(max_epochs=1)  # an optimizer with state: momentum's velocity, Adam's moments and t
    state = {k: np.copy(v) for k, v in vars(step).items() if isinstance(v, np.ndarray)}
    scalars = {k: v for k, v in vars(step).items() if isinstance(v, (int, float))}
    values, grads = model.parameters.values.copy(), model.parameters.grads.copy()
    node_values = [None if n.value is None else np.copy(n.value) for n in model.nodes]
    rng_state = trainer.rng.bit_generator.state
    test = range_test(model, x, y, optimizer=optimizer, batch_size=32, rng=np.random.default_rng(0))
    assert len(test.rates) > 10
    assert model.parameters.values.tobytes() == values.tobytes()
    assert model.parameters.grads.tobytes() == grads.tobytes()
    assert all(np.array_equal(v, state[k]) for k, v in vars(step).items() if k in state)
    assert {k: v for k, v in vars(step).items() if isinstance(v, (int, float))} == scalars
    assert all((a is None and n.value is None) or np.array_equal(n.value, a) for n, a in zip(model.nodes, node_values))
    assert trainer.rng.bit_generator.state == rng_state
    # the run goes on exactly as a twin that never saw the test
    twin = Network(D, [6, 3], "tanh", "regression", rng=np.random.default_rng(4))
    twin_trainer = Trainer(twin, make_optimizer(optimizer, twin.parameters, 0.01, weight_decay=0.001), x, y,
                           batch_size=32, epochs=5, rng=np.random.default_rng(0))
    twin_trainer.run(max_epochs=1)
    trainer.run(max_epochs=1)
    twin_trainer.run(max_epochs=1)
    assert model.parameters.values.tobytes() == twin.parameters.values.tobytes()


def test_small_data_cycles_through_shuffled_batches(problem):
    x, y, _ = problem
    test = range_test(linear_model(), x[:40] / 30, y[:40], optimizer="sgd", batch_size=16, steps=100,
                      rng=np.random.default_rng(0))
    assert len(test.rates) == 100 and test.batch_size == 16  # 3 batches a pass, so about 33 passes


def test_the_batch_is_at_most_the_rows(problem):
    x, y, _ = problem
    assert range_test(linear_model(), x[:10], y[:10], batch_size=32, steps=10).batch_size == 10


def test_the_answer_as_a_dict(problem):
    x, y, _ = problem
    test = range_test(linear_model(), x, y, optimizer="momentum", batch_size=32, steps=20, rng=np.random.default_rng(0))
    d = test.to_dict()
    assert set(d) == {"rates", "losses", "smoothed", "suggestion", "lowest_rate", "rule", "stopped_reason",
                      "stopped", "optimizer", "batch_size", "steps"}
    assert d["optimizer"] == "momentum" and d["steps"] == 20 and d["stopped"] == lr_finder.STOP_REASONS[d["stopped_reason"]]


@pytest.mark.parametrize("steps", [0, 9, 10_001, 20.5, "200", True])
def test_steps_out_of_range_are_refused(problem, steps):
    x, y, _ = problem
    with pytest.raises(ConfigError, match="steps"):
        range_test(linear_model(), x, y, steps=steps)


def test_no_rows_are_refused():
    with pytest.raises(ConfigError, match="no rows"):
        range_test(linear_model(), np.empty((0, D)), np.empty((0, 1)))
