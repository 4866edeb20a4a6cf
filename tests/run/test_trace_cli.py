"""python -m fcnn trace: its JSON recomputed with plain numpy, its table, its messages."""

import csv
import io
import json
import pathlib

import numpy as np
import pytest

from fcnn.cli import main
from fcnn.run.experiment import Experiment
from fcnn.run.settings import TrainingConfig
from fcnn.tables import read_csv_text

ROOT = pathlib.Path(__file__).resolve().parents[2]
BOSTON = ROOT / "static" / "data" / "boston.csv"
ROWS = [0, 5, 17, 3]
SMALL = ["--target", "MEDV", "--hidden", "3", "--activation", "tanh", "--optimizer", "sgd", "--lr", "0.01", "--seed", "7"]


def run_trace(*args):
    out = io.StringIO()
    code = main(["trace", *map(str, args)], out=out)
    return code, out.getvalue()


def traced_json(*args):
    code, text = run_trace(*args, "--json")
    assert code == 0
    return json.loads(text)


@pytest.fixture(scope="module")
def boston_trace():
    return traced_json(BOSTON, *SMALL, "--rows", ",".join(map(str, ROWS)))


def node_values(document):
    return {n["name"]: n for n in document["nodes"]}


def test_the_json_is_recomputed_exactly_by_plain_numpy(boston_trace):
    nodes, before = node_values(boston_trace), boston_trace["weights_before"]
    x, y = np.array(nodes["X"]["value"]), np.array(nodes["y"]["value"])
    w1, b1, w2, b2 = (np.array(before[k]) for k in ("W1", "b1", "W2", "b2"))
    # forward
    z1 = x @ w1 + b1
    h = np.tanh(z1)
    out = h @ w2 + b2
    loss = np.mean((out - y) ** 2)
    # backward
    g_out = 2 * (out - y) / out.size
    g_h = g_out @ w2.T
    g_z1 = g_h * (1 - h**2)
    expected = {
        ("linear1", "W1"): x.T @ g_z1, ("linear1", "b1"): g_z1.sum(axis=0), ("tanh1", "linear1"): g_z1,
        ("linear2", "tanh1"): g_h, ("linear2", "W2"): h.T @ g_out, ("linear2", "b2"): g_out.sum(axis=0),
        ("mse", "linear2"): g_out,
    }
    for name, value in {"linear1": z1, "tanh1": h, "linear2": out}.items():
        np.testing.assert_allclose(nodes[name]["value"], value, rtol=1e-12, atol=1e-12, err_msg=name)
    assert boston_trace["loss"] == pytest.approx(loss, rel=1e-12)
    assert nodes["mse"]["value"] == pytest.approx(loss, rel=1e-12)
    sent = {(n["name"], k): v for n in boston_trace["nodes"] for k, v in n["gradients"].items()}
    assert set(sent) == set(expected)
    for key, gradient in expected.items():
        np.testing.assert_allclose(sent[key], gradient, rtol=1e-10, atol=1e-12, err_msg=str(key))
    # one SGD step: θ ← θ − lr · g
    for name, (node, inbound) in {"W1": ("linear1", "W1"), "b1": ("linear1", "b1"), "W2": ("linear2", "W2"), "b2": ("linear2", "b2")}.items():
        np.testing.assert_allclose(boston_trace["weights_after"][name], np.array(before[name]) - 0.01 * expected[(node, inbound)],
                                   rtol=1e-12, atol=1e-12, err_msg=name)
    assert [n["name"] for n in boston_trace["nodes"]] == ["X", "y", "W1", "b1", "W2", "b2", "linear1", "tanh1", "linear2", "mse"]
    assert nodes["linear1"]["inbound"] == ["X", "W1", "b1"] and nodes["tanh1"]["kind"] == "TanhNode"


def boston_columns():
    with open(BOSTON, newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], np.array(rows[1:], dtype=float)


def test_the_rows_are_preprocessed_as_training_would_with_the_seed_s_initial_weights(boston_trace):
    header, numbers = boston_columns()
    config = TrainingConfig(target="MEDV", hidden_layers=[3], activation="tanh", optimizer="sgd", learning_rate=0.01, seed=7)
    experiment = Experiment(read_csv_text(BOSTON.read_bytes()), config)
    train = numbers[experiment.data.train_rows]  # scaling is fitted on the training rows only
    features, target = train[:, :-1], train[:, -1]
    x = (numbers[ROWS, :-1] - features.mean(axis=0)) / features.std(axis=0)
    y = 10 * (numbers[ROWS, -1] - target.mean()) / target.std()
    nodes = node_values(boston_trace)
    np.testing.assert_allclose(nodes["X"]["value"], x, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(np.ravel(nodes["y"]["value"]), y, rtol=1e-12, atol=1e-12)
    assert boston_trace["input_names"] == header[:-1] and boston_trace["rows"] == ROWS
    for name, value in experiment.network.get_weights().items():
        np.testing.assert_array_equal(boston_trace["weights_before"][name], value)


def test_each_optimizer_takes_its_own_step_from_the_same_start():
    steps = {}
    for optimizer in ("sgd", "momentum", "adam"):
        document = traced_json(BOSTON, "--target", "MEDV", "--hidden", "4", "--optimizer", optimizer, "--lr", "0.01", "--rows", "1,2")
        w1 = np.array(document["weights_before"]["W1"])
        steps[optimizer] = np.array(document["weights_after"]["W1"]) - w1
        assert document["optimizer"].lower() == optimizer
    # momentum's first step equals SGD's (v starts at 0); Adam's first step is lr·sign(g) in size
    np.testing.assert_allclose(steps["momentum"], steps["sgd"], rtol=1e-9, atol=1e-15)
    moved = np.abs(steps["adam"]) > 0
    np.testing.assert_allclose(np.abs(steps["adam"][moved]), 0.01, rtol=1e-3)


def test_the_table_names_every_node_and_states_the_loss(boston_trace):
    code, text = run_trace(BOSTON, *SMALL, "--rows", ",".join(map(str, ROWS)))
    assert code == 0
    lines = text.splitlines()
    for node in boston_trace["nodes"]:
        row = next(line for line in lines if line.split()[:1] == [node["name"]])
        assert node["kind"] in row
    w1 = node_values(boston_trace)["W1"]
    w1_row = next(line for line in lines if line.startswith("W1 "))
    assert f"{np.linalg.norm(w1['gradient']):.4g}" in w1_row.split()  # the weight's gradient, dL/dW1
    sent_w1 = np.linalg.norm(node_values(boston_trace)["linear1"]["gradients"]["W1"])
    assert f"d/dW1 {sent_w1:.4g}," in next(line for line in lines if line.startswith("linear1 "))
    assert f"loss {boston_trace['loss']:.10g} before the step" in text
    assert sum(line.startswith("step of ") for line in lines) == 4


def test_a_multiclass_trace_has_one_hot_labels_and_the_fused_loss():
    document = traced_json(ROOT / "static" / "data" / "iris.csv", "--target", "species", "--rows", "0,60,120")
    nodes = node_values(document)
    labels = np.array(nodes["y"]["value"])
    assert labels.shape == (3, 3) and sorted(labels.argmax(axis=1).tolist()) == [0, 1, 2] and labels.sum() == 3
    assert document["nodes"][-1]["kind"] == "SoftmaxCrossEntropyNode"


def test_a_binary_trace_ends_in_a_sigmoid_and_binary_cross_entropy():
    document = traced_json(ROOT / "static" / "data" / "breast_cancer.csv", "--target", "diagnosis", "--rows", "0,1,19")
    nodes = document["nodes"]
    assert [n["kind"] for n in nodes[-2:]] == ["SigmoidNode", "BinaryCrossEntropyNode"]
    labels = np.array(node_values(document)["y"]["value"])
    assert labels.shape == (3, 1) and set(labels.ravel()) <= {0.0, 1.0}
    p = np.array(nodes[-2]["value"])
    expected = -np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))
    assert document["loss"] == pytest.approx(expected, rel=1e-12)


@pytest.fixture
def csv_with_gaps(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("a,b,target\n" + "".join(f"{k},{k * k % 7},{k % 3 + 0.5}\n" for k in range(20))
                    + "3,,1.5\n" + "4,2,\n")
    return path


@pytest.mark.parametrize("rows, message", [
    ("0,506", "row 506 is not in the data: it has 506 rows, numbered 0 to 505"),
    ("-1", "row -1 is not in the data"),
    ("0,two", "'two' is not a row number"),
    (",", "names no rows"),
])
def test_bad_rows_are_refused_with_what_to_do(capsys, rows, message):
    code, text = run_trace(BOSTON, "--target", "MEDV", "--rows", rows)
    assert code == 2 and text == ""
    error = capsys.readouterr().err
    assert message in error and "--rows" in error


def test_rows_left_out_by_preprocessing_are_refused_with_the_reason(capsys, csv_with_gaps):
    assert run_trace(csv_with_gaps, "--target", "target", "--rows", "0,21")[0] == 2
    assert "row 21 is not used for training: its target 'target' is missing" in capsys.readouterr().err
    assert run_trace(csv_with_gaps, "--target", "target", "--missing", "drop", "--rows", "20")[0] == 2
    assert "row 20 is not used for training: a feature value is missing" in capsys.readouterr().err
    # imputed, the same row is traced with the fill value
    assert traced_json(csv_with_gaps, "--target", "target", "--rows", "20,1")["rows"] == [20, 1]


def test_trace_takes_the_train_command_s_options():
    code, _ = run_trace(BOSTON, "--target", "MEDV", "--rows", "0", "--hidden", "2,2", "--l2", "0.1",
                        "--patience", "0", "--scaling", "minmax", "--seed-config")
    assert code == 0
    with pytest.raises(SystemExit):
        main(["trace", str(BOSTON), "--target", "MEDV", "--rows", "0", "--activation", "softplus"])
