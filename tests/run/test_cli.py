import csv
import io
import json
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

from fcnn.cli import _config, build_parser, main
from fcnn.run.experiment import Experiment
from fcnn.run.model import load_model
from fcnn.tables import read_csv_text

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "static" / "data"
BOSTON = DATA / "boston.csv"
SEED_ARGS = ["--target", "MEDV", "--hidden", "8", "--epochs", "500", "--batch-size", "8", "--lr", "0.0008", "--seed", "20"]


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "fcnn", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def r2_of(stdout):
    return float(re.search(r"test R2 (-?[0-9.]+)", stdout).group(1))


def test_seed_command_on_boston_reaches_the_seed_band():
    result = run_cli("train", str(BOSTON), *SEED_ARGS)
    assert result.returncode == 0, result.stderr
    epochs = [int(m) for m in re.findall(r"^epoch\s+(\d+)", result.stdout, re.M)]
    assert epochs[0] == 1 and len(epochs) >= 5 and epochs == sorted(epochs)
    losses = [float(m) for m in re.findall(r"loss ([0-9.]+)", result.stdout)]
    assert losses[-1] < losses[0] / 3
    assert r2_of(result.stdout) >= 0.78


def test_seed_config_reproduces_the_original_network():
    result = run_cli("train", str(BOSTON), *SEED_ARGS, "--seed-config")
    assert result.returncode == 0, result.stderr
    assert "sigmoid(8)" in result.stdout and "sgd lr 0.0008" in result.stdout
    assert re.findall(r"^epoch\s+(\d+)", result.stdout, re.M)[-1] == "500"
    assert r2_of(result.stdout) >= 0.78


def test_train_save_then_predict_gives_the_same_predictions(tmp_path):
    model_path = tmp_path / "iris.json"
    out = io.StringIO()
    assert main(["train", str(DATA / "iris.csv"), "--target", "species", "--hidden", "16,8", "--activation", "tanh",
                 "--optimizer", "adam", "--lr", "0.01", "--epochs", "60", "--save", str(model_path)], out=out) == 0
    assert "test accuracy" in out.getvalue()
    doc = json.loads(model_path.read_text())
    assert doc["format"] == "fcnn-model" and doc["architecture"]["hidden_layers"] == [16, 8]
    new = tmp_path / "new.csv"
    new.write_text("petal_width,sepal_length,sepal_width,petal_length,extra\n0.2,5.1,3.5,1.4,x\n2.3,6.9,3.1,5.4,y\n")
    out = io.StringIO()
    assert main(["predict", str(model_path), str(new)], out=out) == 0
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][-1] == "predicted_species"
    model = load_model(model_path)
    expected = model.predict([{"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2},
                              {"sepal_length": 6.9, "sepal_width": 3.1, "petal_length": 5.4, "petal_width": 2.3}])
    assert [r[-1] for r in rows[1:]] == list(expected) == ["setosa", "virginica"]


def test_gradcheck_command_checks_every_node_kind():
    out = io.StringIO()
    assert main(["gradcheck"], out=out) == 0
    text = out.getvalue()
    for kind in ("LinearNode", "SigmoidNode", "TanhNode", "ReluNode", "IdentityNode", "MseNode",
                 "BinaryCrossEntropyNode", "SoftmaxCrossEntropyNode", "WeightNode"):
        assert kind in text
    assert "ok" in text.splitlines()[-1]


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["train", "missing.csv", "--target", "y"], "cannot read"),
        (["train", str(BOSTON), "--target", "MEDV", "--lr", "0"], "learning rate"),
        (["train", str(BOSTON), "--target", "NOPE"], "NOPE"),
        (["predict", "nope.json", str(BOSTON)], "cannot read the model file"),
    ],
)
def test_cli_errors_are_clear_and_exit_nonzero(args, fragment, capsys):
    assert main(args) == 2
    assert fragment in capsys.readouterr().err


def test_bad_argument_values_are_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as info:
        main(["train", str(BOSTON), "--target", "MEDV", "--hidden", "32,x"])
    assert info.value.code == 2
    assert "comma-separated list of whole numbers" in capsys.readouterr().err


def test_predict_refuses_a_file_without_the_model_columns(tmp_path, capsys):
    model_path = tmp_path / "m.json"
    assert main(["train", str(BOSTON), "--target", "MEDV", "--epochs", "2", "--save", str(model_path)], out=io.StringIO()) == 0
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    assert main(["predict", str(model_path), str(other)]) == 2
    assert "has no column 'CRIM'" in capsys.readouterr().err


def test_cli_prints_progress_to_the_given_stream():
    out = io.StringIO()
    assert main(["train", str(BOSTON), "--target", "MEDV", "--epochs", "4", "--log-every", "2", "--patience", "0"], out=out) == 0
    assert re.findall(r"^epoch\s+(\d+)", out.getvalue(), re.M) == ["1", "2", "4"]


def test_every_command_of_the_parser_has_a_handler():
    from fcnn.cli import COMMANDS, build_parser

    [commands] = [a for a in build_parser()._actions if a.dest == "command"]
    assert set(commands.choices) == set(COMMANDS)


def test_train_prints_each_note_on_its_own_line_with_a_row_number_left_out(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("rownames,size,price\n" + "".join(f"{k + 1},{k * 7 % 11},{3 * (k * 7 % 11)}\n" for k in range(60)))
    out = io.StringIO()
    assert main(["train", str(path), "--target", "price", "--epochs", "2"], out=out) == 0
    lines = out.getvalue().splitlines()
    assert ("note: column 'rownames' counts 1, 2, 3… in file order: a row number, not a measurement, so it is left "
            "out of the features; choose it as a feature if it really is one") in lines
    assert "note: dropped_columns: ['rownames']" in lines
    assert not any(line.startswith("note: notes:") for line in lines)  # no list of sentences on one line
    out = io.StringIO()
    assert main(["train", str(path), "--target", "price", "--epochs", "2", "--features", "rownames,size"], out=out) == 0
    assert "rownames" not in "".join(line for line in out.getvalue().splitlines() if line.startswith("note: column"))


def test_train_prints_a_regression_loss_in_the_targets_units():
    args = ["train", str(BOSTON), "--target", "MEDV", "--epochs", "3", "--log-every", "1", "--patience", "0"]
    out = io.StringIO()
    assert main(args, out=out) == 0
    text = out.getvalue()
    assert "loss: MSE in MEDV's units² (val: the same on the test rows)" in text
    printed = [(float(a), float(b)) for a, b in re.findall(r"^epoch\s+\d+\s+loss (\S+)\s+val (\S+)$", text, re.M)]
    experiment = Experiment(read_csv_text(BOSTON.read_bytes()), _config(build_parser().parse_args(args)))
    experiment.train_for()
    scale = experiment.loss_scale
    expected = [(r.train_loss * scale, r.val_loss * scale) for r in experiment.trainer.history]
    assert printed == [pytest.approx(pair, rel=1e-5) for pair in expected]
    # MEDV's spread is about 10, the scaled target's: the factor is near 1 but not 1, so the match above tells
    assert scale == pytest.approx((np.std(experiment.data.target_train) / 10) ** 2) and abs(scale - 1) > 0.05


def test_train_prints_a_classifiers_loss_as_it_is():
    out = io.StringIO()
    assert main(["train", str(DATA / "iris.csv"), "--target", "species", "--epochs", "2", "--log-every", "1"], out=out) == 0
    assert "loss: cross-entropy (val: the same on the validation rows)" in out.getvalue()
