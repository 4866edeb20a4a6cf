import json

import numpy as np
import pytest

from fcnn.data import read_csv_text
from fcnn.errors import ConfigError, DataError
from fcnn.session import Session
from fcnn.training import RegressionRun, TrainingConfig


def make_csv(n=200, scale=1.0, seed=3):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(n, 3))
    y = scale * (2 * x[:, 0] - x[:, 1] + 0.5 * x[:, 2] ** 2 + 0.05 * rng.normal(size=n))
    lines = ["a,b,c,target"] + [f"{r[0]},{r[1]},{r[2]},{t}" for r, t in zip(x, y)]
    return "\n".join(lines) + "\n"


def train(text, **settings):
    run = RegressionRun(read_csv_text(text), TrainingConfig("target", **settings))
    run.train_for()
    return run


def test_defaults_learn_a_smooth_function():
    run = train(make_csv())
    losses = [r.loss for r in run.history]
    assert losses[-1] < 0.2 * losses[0]
    assert run.test_results()[2] > 0.9


def test_target_in_the_thousands_trains_as_well_as_one_in_the_tens():
    small = train(make_csv(scale=10.0))
    large = train(make_csv(scale=5000.0))
    assert small.test_results()[2] == pytest.approx(large.test_results()[2], abs=1e-6)
    assert large.test_results()[2] > 0.9
    # predictions come back in the target's own units
    actual, predicted, _ = large.test_results()
    assert np.abs(predicted - actual).mean() < 0.2 * np.abs(actual).mean()


def test_same_seed_same_history_and_any_time_slicing_gives_the_same_result():
    text = make_csv(n=120)
    whole = train(text, epochs=30, seed=7)
    sliced = RegressionRun(read_csv_text(text), TrainingConfig("target", epochs=30, seed=7))
    while not sliced.finished:
        sliced.train_step()  # one mini-batch at a time
    assert [r.loss for r in whole.history] == [r.loss for r in sliced.history]
    other = train(text, epochs=30, seed=8)
    assert [r.loss for r in other.history] != [r.loss for r in whole.history]


def test_train_for_respects_max_epochs_and_stops_at_the_configured_count():
    run = RegressionRun(read_csv_text(make_csv(n=60)), TrainingConfig("target", epochs=5))
    assert [r.epoch for r in run.train_for(max_epochs=2)] == [1, 2]
    assert [r.epoch for r in run.train_for()] == [3, 4, 5]
    assert run.finished and run.train_for() == []


@pytest.mark.parametrize(
    "settings, fragment",
    [
        ({"learning_rate": 0}, "learning rate"),
        ({"learning_rate": float("nan")}, "learning rate"),
        ({"learning_rate": "fast"}, "not a number"),
        ({"hidden_units": 0}, "hidden units 0 is out of range"),
        ({"hidden_units": 2.5}, "whole number"),
        ({"epochs": 0}, "epochs 0 is out of range"),
        ({"batch_size": -3}, "batch size"),
    ],
)
def test_bad_settings_are_refused_with_the_setting_named(settings, fragment):
    with pytest.raises(ConfigError, match=fragment):
        RegressionRun(read_csv_text(make_csv(n=20)), TrainingConfig("target", **settings))


def test_batch_larger_than_data_is_one_batch_per_epoch():
    run = train(make_csv(n=20), batch_size=1000, epochs=3)
    assert len(run.history) == 3


def test_unknown_target_and_text_column_are_refused():
    table = read_csv_text("a,b\n1,x\n2,y\n3,z\n")
    with pytest.raises(ConfigError, match="no column 'c'"):
        RegressionRun(table, TrainingConfig("c"))
    with pytest.raises(DataError, match="'b' holds the text 'x' on line 2"):
        RegressionRun(table, TrainingConfig("a"))


def test_session_keeps_data_and_model_after_a_bad_file_and_bad_settings():
    session = Session()
    loaded = json.loads(session.load_csv(make_csv(n=50), "good.csv"))
    assert loaded["ok"] and loaded["columns"] == ["a", "b", "c", "target"]
    assert json.loads(session.start(json.dumps({"target": "target", "epochs": 3})))["ok"]
    answer = json.loads(session.train_for(10_000))
    assert answer["ok"] and answer["finished"] and [e[0] for e in answer["epochs"]] == [1, 2, 3]
    before = json.loads(session.results())
    bad = json.loads(session.load_csv("a,b\n1\n", "bad.csv"))
    assert not bad["ok"] and "line 2" in bad["error"]
    refused = json.loads(session.start(json.dumps({"target": "target", "learning_rate": -1})))
    assert not refused["ok"] and "learning rate" in refused["error"]
    assert session.table_name == "good.csv"
    assert json.loads(session.results()) == before


def test_session_reports_divergence_instead_of_nan():
    session = Session()
    session.load_csv(make_csv(n=50, scale=1.0), "d.csv")
    session.start(json.dumps({"target": "target", "learning_rate": 10, "epochs": 50, "hidden_units": 64}))
    with np.errstate(all="ignore"):
        answer = json.loads(session.train_for(10_000))
    assert not answer["ok"]
    assert "NaN" in answer["error"] and "lower the learning rate" in answer["error"]
