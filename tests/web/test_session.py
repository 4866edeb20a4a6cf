"""The session's JSON API, in CPython: every call, good and bad input."""

import json
import pathlib

import numpy as np
import pytest

from fcnn.run.export_python import model_to_python
from fcnn import load_model
from fcnn.run.samples import TOY_SETS, toy_csv
from fcnn.web.session import Session
from fcnn.run.experiment import Experiment
from fcnn.run.settings import TrainingConfig
from fcnn.tables import read_csv_text

DATA = pathlib.Path(__file__).resolve().parents[2] / "static" / "data"


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
    shapes = {n["name"]: n["shape"] for n in view["nodes"]}
    assert shapes["W1"] == [2, 300] and shapes["b2"] == [7]
    # the data nodes' rows are the batch, whichever batch ran last (here the 2-D grid's 30 × 30)
    assert call(s.grid, 30)["ok"]
    shapes = {n["name"]: n["shape"] for n in call(s.network_view)["nodes"]}
    assert shapes["X"] == ["batch", 2] and shapes["linear1"] == ["batch", 300] and shapes["W1"] == [2, 300]


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


def loaded(text, name="data.csv"):
    s = Session()
    assert call(s.load_csv, text, name)["ok"]
    return s


FRUIT = "colour,weight,kind\n" + "".join(
    f"{c},{w},{k}\n" for c, w, k in [("red", 150, "apple"), ("yellow", 120, "banana"), ("orange", 140, "orange"),
                                    ("green", "", "apple"), ("yellow", 118, "banana"), ("orange", 135, "")] * 5
)


def test_describe_target_detects_the_task_with_its_classes_and_reason():
    s = loaded(FRUIT, "fruit.csv")
    kind = call(s.describe_target, "kind")
    assert kind["ok"] and kind["detected"] == "multiclass" and kind["problem"] is None
    assert kind["classes"] == ["apple", "banana", "orange"] and kind["n_classes"] == 3
    assert "text" in kind["reason"] and "3 different values" in kind["reason"]
    assert kind["n_missing"] == 5  # the rows with no fruit name: left out of training
    assert kind["options"]["multiclass"] is None
    assert "holds text" in kind["options"]["regression"] and "classification" in kind["options"]["regression"]
    assert "3 classes, not 2" in kind["options"]["binary"]
    weight = call(s.describe_target, "weight")
    assert weight["detected"] == "regression" and weight["classes"] == [] and weight["n_classes"] == 0
    assert weight["options"]["regression"] is None


def test_describe_target_names_the_classes_as_training_does():
    # whole-number labels, one written "2.0": one class "2", as the training encoder has it
    grades = [str(1 + i % 3) for i in range(90)]
    grades[4] = "2.0"
    s = loaded("x,grade\n" + "".join(f"{i % 7},{g}\n" for i, g in enumerate(grades)))
    described = call(s.describe_target, "grade")
    started = call(s.start, json.dumps({"target": "grade", "epochs": 1}))
    assert described["detected"] == started["task"] == "multiclass"
    assert described["classes"] == started["classes"] == ["1", "2", "3"]
    assert "whole numbers with only 3 different values over 90 rows" in described["reason"]
    s = loaded("x,y\n" + "".join(f"{i},{i % 2}\n" for i in range(10)))
    assert call(s.describe_target, "y")["classes"] == ["0", "1"]


def test_describe_target_says_why_a_column_cannot_be_the_target():
    s = loaded("id,y\n" + "".join(f"user{i},{i}\n" for i in range(150)))
    answer = call(s.describe_target, "id")
    assert answer["ok"] and answer["detected"] is None and "too many to be classes" in answer["problem"]
    assert all(message for message in answer["options"].values())
    assert "no column 'nope'" in call(s.describe_target, "nope")["error"]
    assert "no data is loaded" in call(Session().describe_target, "y")["error"]


@pytest.mark.parametrize("sample, columns", [("iris.csv", None), ("boston.csv", ["MEDV", "CHAS", "RAD"]), ("fruit", None)])
def test_describe_target_agrees_with_train_for_every_task(sample, columns):
    """Detection and the overrides it allows are what Train does: an allowed task trains,
    a refused one gets the very message describe_target gave."""
    text = FRUIT if sample == "fruit" else (DATA / sample).read_text()
    s = loaded(text, sample)
    for target in columns or read_csv_text(text).columns:
        described = call(s.describe_target, target)
        if described["detected"]:
            auto = call(s.start, json.dumps({"target": target, "epochs": 1}))
            assert auto["ok"] and auto["task"] == described["detected"], target
        for task, problem in described["options"].items():
            started = call(s.start, json.dumps({"target": target, "task": task, "epochs": 1}))
            if problem is None:
                assert started["ok"] and started["task"] == task, (target, task, started)
            else:
                assert not started["ok"] and started["error"] == problem, (target, task)


def test_feature_fields_give_the_what_if_form_its_categories_and_blanks():
    s = loaded(FRUIT, "fruit.csv")
    started = call(s.start, json.dumps({"target": "kind", "epochs": 2}))
    fields = {f["name"]: f for f in started["feature_fields"]}
    assert list(fields) == started["features"] == ["colour", "weight"]
    assert fields["colour"]["kind"] == "categorical" and fields["colour"]["categories"] == ["green", "orange", "red", "yellow"]
    assert fields["weight"]["kind"] == "numeric" and fields["weight"]["categories"] is None
    # a blank weight takes the training median, as the form's placeholder says
    blank = call(s.predict_row, json.dumps({"colour": "red", "weight": ""}))
    median = call(s.predict_row, json.dumps({"colour": "red", "weight": fields["weight"]["fill"]}))
    assert blank["output"] == median["output"]
    model = call(s.model_json)["text"]
    assert call(Session().load_model, model)["feature_fields"] == started["feature_fields"]


def test_predict_csv_notes_text_values_the_model_never_saw():
    s = loaded(FRUIT, "fruit.csv")
    assert call(s.start, json.dumps({"target": "kind", "epochs": 2}))["ok"]
    answer = call(s.predict_csv, "colour,weight\nblue,100\nred,150\nblue,NA\npink,80\n,90\n", "new.csv")
    assert answer["ok"] and len(answer["predictions"]) == 5
    (note,) = answer["notes"]
    assert "colour holds values the model never saw" in note and "'blue' (2 rows), 'pink' (1 row)" in note
    assert "'red'" not in note  # a known value and a blank (filled as in training) are no news
    assert call(s.predict_csv, "colour,weight\nred,150\n", "new.csv")["notes"] == []


def test_ids_and_free_text_are_named_at_load_as_not_ticked_and_left_out_at_train():
    lines = ["id,note,size,price"] + [f"r{i},said {i * 7},{i % 9},{2 * (i % 9)}" for i in range(130)]
    s = Session()
    loaded = call(s.load_csv, "\n".join(lines), "f.csv")
    assert set(loaded["left_out"]) == {"id", "note"}
    assert loaded["left_out"]["id"] == "column 'id' holds 130 different text values, too many to be categories"
    assert loaded["notes"] == [
        "2 columns ('id', 'note') hold more than 100 different text values each, too many to be categories: "
        "they look like ids or free text, so they are not ticked as features"
    ]
    # Train with every column (features not given) leaves the same columns out, with the same reason
    started = call(s.start, json.dumps({"target": "price", "epochs": 1}))
    assert started["features"] == ["size"]
    assert "column 'note' holds 130 different text values, too many to be categories, so it is left out of the features" in started["notes"]


def test_every_weight_entry_names_its_layer_and_role():
    s = Session()
    assert call(s.load_sample, "blobs", 1)["ok"]
    started = call(s.start, json.dumps({"target": "label", "hidden_layers": [5, 4], "epochs": 1}))
    assert call(s.train_for, 5000)["ok"]
    expected = {"W1": (1, "weights"), "b1": (1, "biases"), "W2": (2, "weights"), "b2": (2, "biases"),
                "W3": (3, "weights"), "b3": (3, "biases")}
    for nodes in (started["nodes"], call(s.network_view)["nodes"]):
        weights = {n["name"]: (n["layer"], n["role"]) for n in nodes if n["kind"] == "WeightNode"}
        assert weights == expected
        assert all("layer" not in n and "role" not in n for n in nodes if n["kind"] != "WeightNode")
    # the layer index is the one the edges and sizes use: layer 3 is the output, 4 → 3 classes
    view = call(s.network_view)
    assert view["sizes"] == [2, 5, 4, 3] and len(view["edges"]) == 3
    shapes = {n["name"]: n["shape"] for n in view["nodes"]}
    assert shapes["W3"] == [4, 3] and shapes["b3"] == [3]


def test_the_grid_evaluates_the_grid_only():
    s = trained("blobs")

    def refuse():
        raise AssertionError("the grid evaluated the test rows")

    s.experiment.test_metrics = s.experiment.test_output = refuse
    g = call(s.grid, 10)
    assert g["ok"] and len(g["values"]) == 100 and len(g["confidence"]) == 100


def test_model_json_builds_the_model_once():
    s = trained()
    built = []
    model = s.experiment.model

    def counted():
        built.append(1)
        return model()

    s.experiment.model = counted
    answer = call(s.model_json)
    assert answer["ok"] and answer["target"] == "label" and len(built) == 1


def test_load_and_run_reports_keep_their_keys():
    s = Session()
    loaded = call(s.load_sample, "xor", 1)
    assert set(loaded) == {"ok", "name", "columns", "left_out", "column_info", "n_rows", "suggested_target",
                           "notes", "preview"}
    started = call(s.start, json.dumps({"target": "label", "epochs": 1}))
    assert set(started) == {"ok", "config", "task", "classes", "features", "inputs", "n_train", "n_test", "report",
                            "feature_fields", "notes", "nodes", "loss_scale", "loss_label"}
    assert started["config"]["hidden_layers"] == [8] and started["config"]["batch_size"] == 16
    assert started["n_train"] + started["n_test"] == 300 and started["features"] == ["x1", "x2"]


def test_model_python_is_the_export_of_the_current_model_or_says_to_train():
    assert "Train" in call(Session().model_python)["error"]
    s = trained("surface")
    answer = call(s.model_python)
    assert answer["file_name"] == f"fcnn-predict-{s.experiment.model().target}.py"
    assert answer["text"] == model_to_python(s.experiment.model())
    compile(answer["text"], answer["file_name"], "exec")
