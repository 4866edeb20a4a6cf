"""The training loop and a whole run: settings, optimizers, early stopping, divergence, sessions."""

import json

import numpy as np
import pytest

from fcnn.tables import read_csv_text
from fcnn.errors import ConfigError
from fcnn.engine.network import Network
from fcnn.engine.optimizers import SGD, Adam, Momentum
from fcnn.web.session import Session
from fcnn.engine.trainer import Trainer
from fcnn.run.experiment import Experiment
from fcnn.run.settings import TrainingConfig


def make_csv(n=200, scale=1.0, seed=3):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(n, 3))
    y = scale * (2 * x[:, 0] - x[:, 1] + 0.5 * x[:, 2] ** 2 + 0.05 * rng.normal(size=n))
    lines = ["a,b,c,target"] + [f"{r[0]},{r[1]},{r[2]},{t}" for r, t in zip(x, y)]
    return "\n".join(lines) + "\n"


def run(text, **settings):
    experiment = Experiment(read_csv_text(text), TrainingConfig("target", **settings))
    experiment.train_for()
    return experiment


def losses(experiment):
    return [r.train_loss for r in experiment.trainer.history]


def test_defaults_learn_a_smooth_function():
    experiment = run(make_csv())
    assert losses(experiment)[-1] < 0.2 * losses(experiment)[0]
    assert experiment.test_metrics()["r2"] > 0.9


def test_target_in_the_thousands_trains_as_well_as_one_in_the_tens():
    small = run(make_csv(scale=10.0), early_stopping=0, epochs=100)
    large = run(make_csv(scale=5000.0), early_stopping=0, epochs=100)
    assert small.test_metrics()["r2"] == pytest.approx(large.test_metrics()["r2"], abs=1e-6)
    assert large.test_metrics()["r2"] > 0.9
    actual, predicted = large.data.target_test, large.test_output()
    assert np.abs(predicted - actual).mean() < 0.2 * np.abs(actual).mean()


def test_same_seed_same_history_and_any_slicing_gives_the_same_result():
    text = make_csv(n=120)
    whole = run(text, epochs=30, seed=7)
    sliced = Experiment(read_csv_text(text), TrainingConfig("target", epochs=30, seed=7))
    while not sliced.finished:
        sliced.trainer.train_step()  # one mini-batch at a time
    assert losses(whole) == losses(sliced)
    assert losses(run(text, epochs=30, seed=8)) != losses(whole)


def test_stop_and_resume_between_epochs_loses_nothing():
    text = make_csv(n=100)
    straight = run(text, epochs=12, early_stopping=0)
    paused = Experiment(read_csv_text(text), TrainingConfig("target", epochs=12, early_stopping=0))
    assert [r.epoch for r in paused.train_for(max_epochs=5)] == [1, 2, 3, 4, 5]
    assert [r.epoch for r in paused.train_for()] == list(range(6, 13))
    assert losses(paused) == losses(straight)
    assert paused.finished and paused.train_for() == []


def test_callback_gets_train_and_validation_loss_and_metrics():
    seen = []
    rows = ["x1,x2,label"] + [f"{i % 7},{(i * 3) % 5},{'yes' if i % 7 > 3 else 'no'}" for i in range(120)]
    experiment = Experiment(read_csv_text("\n".join(rows)), TrainingConfig("label", epochs=3, early_stopping=0),
                            callback=seen.append)
    experiment.train_for()
    assert [r.epoch for r in seen] == [1, 2, 3]
    assert all(r.val_loss is not None and r.train_loss > 0 for r in seen)
    assert all(0 <= r.metrics["val_accuracy"] <= 1 for r in seen)


def test_learning_rate_can_change_between_epochs():
    experiment = Experiment(read_csv_text(make_csv(n=60)), TrainingConfig("target", epochs=4, learning_rate=0.01))
    experiment.train_for(max_epochs=2)
    experiment.trainer.learning_rate = 0.001
    experiment.train_for()
    assert [r.learning_rate for r in experiment.trainer.history] == [0.01, 0.01, 0.001, 0.001]


def tiny_network(seed=0, activation="tanh"):
    return Network(2, [4], activation, "regression", 1, np.random.default_rng(seed))


def test_early_stopping_restores_the_best_weights():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(40, 2))
    y = x[:, :1] * 2.0
    x_val = rng.normal(size=(20, 2))
    y_val = -x_val[:, :1] * 2.0  # the opposite relation: validation loss rises as training succeeds
    net = tiny_network()
    trainer = Trainer(net, SGD(net.parameters, 0.05), x, y, batch_size=8, epochs=200, rng=rng,
                      x_val=x_val, y_val=y_val, patience=5)
    weights_at = {}
    trainer.callback = lambda record: weights_at.setdefault(record.epoch, net.parameters.snapshot())
    trainer.run()
    assert trainer.stop_reason == "early_stopping"
    assert trainer.epoch == trainer.best_epoch + 5
    np.testing.assert_array_equal(net.parameters.values, weights_at[trainer.best_epoch])
    val_losses = [r.val_loss for r in trainer.history]
    assert min(val_losses) == pytest.approx(trainer.best_val_loss)


def test_divergence_stops_and_keeps_the_last_finite_weights():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(64, 2)) * 100
    y = x[:, :1] * 1000
    net = Network(2, [16], "relu", "regression", 1, rng)
    trainer = Trainer(net, SGD(net.parameters, 5.0), x, y, batch_size=64, epochs=100, rng=rng)
    snapshots = [net.parameters.snapshot()]
    trainer.callback = lambda record: snapshots.append(net.parameters.snapshot())
    trainer.run()
    assert trainer.stop_reason == "diverged"
    assert np.all(np.isfinite(net.parameters.values))
    np.testing.assert_array_equal(net.parameters.values, snapshots[-1])


def test_sgd_momentum_adam_follow_their_formulas():
    for cls in (SGD, Momentum, Adam):
        net = tiny_network(seed=3)
        params = net.parameters
        opt = cls(params, 0.1)
        start = params.snapshot()
        g = np.random.default_rng(4).normal(size=params.size)
        params.grads[:] = g
        opt.step()
        opt.step()
        if cls is SGD:
            expected = start - 0.2 * g
        elif cls is Momentum:
            v1 = -0.1 * g
            v2 = 0.9 * v1 - 0.1 * g
            expected = start + v1 + v2
        else:
            m1, v1 = 0.1 * g, 0.001 * g * g
            m2, v2 = 0.9 * m1 + 0.1 * g, 0.999 * v1 + 0.001 * g * g
            step1 = 0.1 * (m1 / 0.1) / (np.sqrt(v1 / 0.001) + 1e-8)
            step2 = 0.1 * (m2 / (1 - 0.81)) / (np.sqrt(v2 / (1 - 0.999**2)) + 1e-8)
            expected = start - step1 - step2
        np.testing.assert_allclose(params.values, expected, rtol=1e-10, atol=1e-12)


def test_weight_decay_pulls_weights_but_not_biases():
    net = tiny_network(seed=5)
    params = net.parameters
    params.values[:] = 1.0
    params.grads[:] = 0.0
    SGD(params, 0.1, weight_decay=0.5).step()
    for w in net.weights:
        expected = 1.0 - 0.1 * 0.5 if w.decay else 1.0
        np.testing.assert_allclose(w.value, expected)


def test_training_step_reuses_its_buffers():
    net = Network(3, [5, 4], "relu", "multiclass", 3, np.random.default_rng(0))
    rng = np.random.default_rng(0)
    net.inputs.set_data(rng.normal(size=(32, 3)))
    net.labels.set_data(np.eye(3)[rng.integers(0, 3, 32)])
    net.train_batch(np.arange(8))
    before = {id(n): (id(n.value), {k.name: id(v) for k, v in n.gradients.items()}) for n in net.nodes if isinstance(n.value, np.ndarray)}
    net.train_batch(np.arange(8, 16))
    after = {id(n): (id(n.value), {k.name: id(v) for k, v in n.gradients.items()}) for n in net.nodes if isinstance(n.value, np.ndarray)}
    assert before == after


@pytest.mark.parametrize(
    "settings, fragment",
    [
        ({"learning_rate": 0}, "learning rate"),
        ({"learning_rate": float("nan")}, "learning rate"),
        ({"learning_rate": 1e9}, "learning rate"),
        ({"learning_rate": "fast"}, "not a number"),
        ({"hidden_layers": [0]}, "hidden layer 1 units 0 is out of range"),
        ({"hidden_layers": [8, 100000]}, "hidden layer 2 units 100000 is out of range"),
        ({"hidden_layers": [4] * 11}, "too many"),
        ({"hidden_layers": [2.5]}, "whole number"),
        ({"epochs": 0}, "epochs 0 is out of range"),
        ({"batch_size": -3}, "batch size"),
        ({"activation": "swish"}, "activation 'swish' is not one of"),
        ({"optimizer": "lbfgs"}, "optimizer"),
    ],
)
def test_bad_settings_are_refused_with_the_setting_named(settings, fragment):
    with pytest.raises(ConfigError, match=fragment):
        Experiment(read_csv_text(make_csv(n=20)), TrainingConfig("target", **settings))


def test_unknown_setting_is_refused():
    with pytest.raises(ConfigError, match="unknown setting 'learnin_rate'"):
        TrainingConfig.from_dict({"target": "y", "learnin_rate": 1})


def test_batch_larger_than_data_is_one_batch_per_epoch():
    experiment = run(make_csv(n=30), batch_size=1000, epochs=3, early_stopping=0)
    assert experiment.trainer.epoch == 3
    assert experiment.trainer.batch_size == len(experiment.trainer.network.inputs.data)


def test_session_keeps_data_and_model_after_a_bad_file_and_bad_settings():
    session = Session()
    loaded = json.loads(session.load_csv(make_csv(n=50), "good.csv"))
    assert loaded["ok"] and loaded["columns"] == ["a", "b", "c", "target"]
    assert json.loads(session.start(json.dumps({"target": "target", "epochs": 3})))["ok"]
    answer = json.loads(session.train_for(10_000))
    assert answer["ok"] and answer["finished"] and [e[0] for e in answer["epochs"]] == [1, 2, 3]
    before = json.loads(session.results())
    bad = json.loads(session.load_csv("a,b\n1,2\n3\n", "bad.csv"))
    assert not bad["ok"] and "line 3" in bad["error"]
    refused = json.loads(session.start(json.dumps({"target": "target", "learning_rate": -1})))
    assert not refused["ok"] and "learning rate" in refused["error"]
    assert session.table_name == "good.csv"
    assert json.loads(session.results()) == before


def test_session_reports_divergence_in_words():
    session = Session()
    session.load_csv(make_csv(n=50), "d.csv")
    session.start(json.dumps({"target": "target", "learning_rate": 10, "optimizer": "sgd", "epochs": 50,
                              "hidden_layers": [64], "early_stopping": 0}))
    answer = json.loads(session.train_for(10_000))
    assert not answer["ok"]
    assert "NaN" in answer["error"] and "lower the learning rate" in answer["error"]
    assert json.loads(session.results())["ok"]  # the last finite weights still predict


def test_split_seed_chooses_the_split_and_seed_the_weights():
    table = read_csv_text(make_csv())

    def test_rows_and_first_weights(**seeds):
        experiment = Experiment(table, TrainingConfig("target", epochs=1, **seeds))
        return experiment.data.x_test.copy(), experiment.network.weights[0].value.copy()

    rows, weights = test_rows_and_first_weights(seed=1, split_seed=7)
    same_split_rows, other_weights = test_rows_and_first_weights(seed=2, split_seed=7)
    assert np.array_equal(rows, same_split_rows) and not np.array_equal(weights, other_weights)
    other_split_rows, same_weights = test_rows_and_first_weights(seed=1, split_seed=8)
    assert not np.array_equal(rows, other_split_rows) and np.array_equal(weights, same_weights)
    # without a split seed, the seed chooses the split too
    assert np.array_equal(test_rows_and_first_weights(seed=7)[0], rows)
