"""The session's JSON API, in CPython: every call, good and bad input."""

import json
import pathlib

import numpy as np
import pytest

from fcnn import load_model
from fcnn.samples import TOY_SETS, toy_csv
from fcnn.session import Session
from fcnn.training import Experiment, TrainingConfig
from fcnn.data import read_csv_text

DATA = pathlib.Path(__file__).resolve().parent.parent / "static" / "data"


def call(method, *args):
    return json.loads(method(*args))


def trained(sample="xor", **config):
    s = Session()
    assert call(s.load_sample, sample, 1)["ok"]
    target = "y" if sample == "surface" else "label"
    settings = {"target": target, "hidden_layers": [8], "epochs": 5, "seed": 3, **config}
    assert call(s.start, json.dumps(settings))["ok"]
    answer = call(s.train_for, 5000)
    assert answer["ok"] and answer["finished"]
    return s


@pytest.mark.parametrize("name", sorted(TOY_SETS))
def test_toy_sets_are_seeded_and_two_dimensional(name):
    text, target = toy_csv(name, seed=4)
    assert text == toy_csv(name, seed=4)[0] and text != toy_csv(name, seed=5)[0]
    table = read_csv_text(text)
    assert table.columns == ["x1", "x2", target] and table.n_rows == 300


def test_unknown_sample_is_a_clear_error():
    answer = call(Session().load_sample, "moons", 0)
    assert not answer["ok"] and "moons" in answer["error"] and "xor" in answer["error"]
    assert call(Session().sample_names)["samples"][0]["name"] == "xor"


def test_step_trains_exactly_one_epoch_even_after_the_end():
    s = trained()
    answer = call(s.step)
    assert answer["ok"] and answer["epoch"] == 6 and len(answer["epochs"]) == 1


def test_set_learning_rate_good_and_bad():
    s = Session()
    assert "Train" in call(s.set_learning_rate, 0.1)["error"]
    s = trained()
    assert call(s.set_learning_rate, "0.05")["learning_rate"] == 0.05
    assert s.experiment.trainer.learning_rate == 0.05
    for bad in ("abc", -1, 0, 100):
        answer = call(s.set_learning_rate, bad)
        assert not answer["ok"] and "learning rate" in answer["error"]
    assert s.experiment.trainer.learning_rate == 0.05


def test_model_round_trip_predicts_identically():
    s = trained("surface")
    text = call(s.model_json)["text"]
    rows = [["0.1", "0.2"], ["-0.5", "0.7"]]
    expected = s.experiment.model().predict(rows)
    other = Session()
    assert call(other.load_model, text)["ok"]
    csv = "x1,x2\n0.1,0.2\n-0.5,0.7\n"
    got = call(other.predict_csv, csv, "new.csv")
    assert got["ok"] and np.allclose(got["predictions"], expected, rtol=0, atol=1e-12)
    assert np.allclose(load_model(text).predict(rows), expected, atol=1e-12)


def test_bad_model_file_keeps_the_current_model():
    s = trained()
    before = call(s.model_json)["text"]
    for bad in ("not json", "{}", json.dumps({"format": "other"})):
        answer = call(s.load_model, bad)
        assert not answer["ok"] and "model file" in answer["error"]
    assert call(s.model_json)["text"] == before


def test_predict_csv_missing_and_extra_columns():
    s = trained()
    missing = call(s.predict_csv, "x1\n0.5\n", "new.csv")
    assert not missing["ok"] and "new.csv" in missing["error"] and "'x2'" in missing["error"]
    extra = call(s.predict_csv, "x2,x1,z\n0.5,0.5,9\n", "new.csv")
    assert extra["ok"] and extra["predictions"][0] in ("a", "b")
    assert "z" in extra["notes"][0] and "left out" in extra["notes"][0]
    assert not call(Session().predict_csv, "x1,x2\n1,2\n")["ok"]


def test_predict_row():
    s = trained("surface")
    answer = call(s.predict_row, json.dumps({"x1": 0.1, "x2": 0.2}))
    assert answer["ok"] and isinstance(answer["prediction"], float)
    assert answer["prediction"] == pytest.approx(float(s.experiment.model().predict([["0.1", "0.2"]])[0]))
    assert not call(s.predict_row, "[1, 2]")["ok"]
    assert not call(s.predict_row, "{bad")["ok"]
    assert not call(s.predict_row, json.dumps({"x1": "abc", "x2": 1}))["ok"] or True  # imputed or refused, never a crash


def test_gradient_report_without_and_with_a_network():
    before = call(Session().gradient_report)
    assert before["ok"] and len(before["reports"]) == 4
    s = trained()
    weights = s.experiment.network.get_weights()
    answer = call(s.gradient_report)
    nodes = answer["reports"][0]["nodes"]
    assert answer["ok"] and nodes and max(n["max_relative_error"] for n in nodes) < 1e-4
    for name, value in s.experiment.network.get_weights().items():
        assert np.array_equal(value, weights[name])


def test_network_view_lists_nodes_with_shapes_and_caps_edges():
    assert not call(Session().network_view)["ok"]
    s = trained(hidden_layers=[300, 7])
    view = call(s.network_view)
    assert view["sizes"] == [2, 300, 7, 1]
    assert all(len(layer) <= 400 for layer in view["edges"])
    assert any(n["kind"] == "LinearNode" for n in view["nodes"])


def test_grid_for_two_features_only():
    s = trained("blobs")
    g = call(s.grid, 10)
    assert g["ok"] and len(g["values"]) == 100 and set(g["values"]) <= {0.0, 1.0, 2.0}
    assert len(g["points"]) == 300
    s = Session()
    call(s.load_csv, (DATA / "iris.csv").read_text(), "iris.csv")
    call(s.start, json.dumps({"target": "species", "epochs": 1}))
    answer = call(s.grid, 10)
    assert not answer["ok"] and "two feature" in answer["error"]


def test_start_refuses_non_object_settings():
    s = Session()
    call(s.load_sample, "xor", 0)
    assert not call(s.start, "[1]")["ok"]
