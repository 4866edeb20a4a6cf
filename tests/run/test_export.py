"""Models that run elsewhere: the ONNX graph (run by onnxruntime) and the plain Python file
predict what fcnn predicts, from the raw columns."""

import io
import math
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from fcnn.cli import main
from fcnn.run.experiment import Experiment
from fcnn.run.export_python import model_to_python
from fcnn.run.settings import TrainingConfig
from fcnn.tables import MISSING_TOKENS, read_csv_text
from made_up_data import write_apartments, write_fruit

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "static" / "data"


def made_up(name, tmp_path):
    return {"apartments": write_apartments, "fruit": write_fruit}[name](tmp_path / f"{name}.csv")


TABLES = {  # name: (csv file, target, the settings that differ from the defaults)
    "boston": (lambda tmp: DATA / "boston.csv", "MEDV", {"activation": "sigmoid"}),
    "iris": (lambda tmp: DATA / "iris.csv", "species", {}),
    "breast_cancer": (lambda tmp: DATA / "breast_cancer.csv", "diagnosis", {"activation": "tanh"}),
    "apartments": (lambda tmp: made_up("apartments", tmp), "price", {"hidden_layers": [6, 4]}),
    "fruit": (lambda tmp: made_up("fruit", tmp), "kind", {"scaling": "minmax"}),
}


def trained(name, tmp_path):
    path, target, settings = TABLES[name]
    path = path(tmp_path)
    table = read_csv_text(path.read_text())
    experiment = Experiment(table, TrainingConfig(target=target, epochs=15, seed=4, **settings))
    experiment.train_for(max_epochs=15)
    model = experiment.model()
    model_path = tmp_path / "model.json"
    model.save(model_path)
    return model, table, path, model_path


def onnx_feeds(model, columns, rows):
    """The raw columns as the ONNX graph takes them: numbers as float (NaN for a missing
    cell), text as string as the reader keeps it (stripped; a missing token kept as written)."""
    feeds = {}
    for name in model.pipeline.input_names:
        cells = [row[columns.index(name)] for row in rows]
        kind = next(f.kind for f in model.pipeline.encodings if f.name == name)
        if kind == "numeric":
            numbers = [math.nan if c.strip() in MISSING_TOKENS else float(c) for c in cells]
            feeds[name] = np.array(numbers, dtype=np.float32).reshape(-1, 1)
        else:
            feeds[name] = np.array([c.strip() for c in cells], dtype=object).reshape(-1, 1)
    return feeds


@pytest.mark.parametrize("name", ["boston", "iris", "breast_cancer", "apartments", "fruit"])
def test_the_onnx_graph_predicts_what_fcnn_predicts_from_the_raw_columns(name, tmp_path):
    ort = pytest.importorskip("onnxruntime")
    model, table, _, model_path = trained(name, tmp_path)
    onnx_path = tmp_path / "model.onnx"
    assert main(["export", str(model_path), "--onnx", str(onnx_path)], out=io.StringIO()) == 0
    session = ort.InferenceSession(str(onnx_path))
    assert [i.name for i in session.get_inputs()] == model.pipeline.input_names
    feeds = onnx_feeds(model, table.columns, table.rows)
    outputs = session.run(None, feeds)
    rows = [[row[table.columns.index(c)] for c in model.feature_columns] for row in table.rows]
    if model.task == "regression":
        expected = model.predict(rows)
        np.testing.assert_allclose(outputs[0][:, 0], expected, rtol=1e-5, atol=1e-5 * np.abs(expected).max())
        assert [o.name for o in session.get_outputs()] == ["prediction"]
    else:
        assert list(outputs[0]) == model.predict(rows)
        np.testing.assert_allclose(outputs[1], model.predict_output(rows), rtol=0, atol=1e-5)
        assert [o.name for o in session.get_outputs()] == ["label", "probabilities"]
    if name in ("apartments", "fruit"):  # the table has gaps: some rows went through the fill
        assert any(np.isnan(v).any() if v.dtype != object else any(s in MISSING_TOKENS for s in v.ravel())
                   for v in feeds.values())


def test_an_unseen_text_value_gives_all_zeros_and_a_missing_token_the_fill_in_onnx(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    model, _, _, model_path = trained("fruit", tmp_path)
    onnx_path = tmp_path / "fruit.onnx"
    main(["export", str(model_path), "--onnx", str(onnx_path)], out=io.StringIO())
    session = ort.InferenceSession(str(onnx_path))
    rows = [["red", "round", "150"], ["violet", "round", "150"], ["NA", "", "?"], ["green", "?", ""]]
    feeds = {"colour": np.array([[r[0]] for r in rows], dtype=object),
             "shape": np.array([[r[1]] for r in rows], dtype=object),
             "weight": np.array([[math.nan if r[2] in ("?", "") else float(r[2])] for r in rows], dtype=np.float32)}
    labels, probabilities = session.run(None, feeds)
    assert list(labels) == model.predict(rows)
    np.testing.assert_allclose(probabilities, model.predict_output(rows), atol=1e-6)


@pytest.mark.parametrize("name", ["boston", "iris", "breast_cancer", "apartments", "fruit"])
def test_the_python_file_predicts_a_csv_exactly_as_fcnn_predict(name, tmp_path):
    model, _, csv_path, model_path = trained(name, tmp_path)
    script = tmp_path / "model.py"
    assert main(["export", str(model_path), "--python", str(script)], out=io.StringIO()) == 0
    fcnn_out = io.StringIO()
    assert main(["predict", str(model_path), str(csv_path)], out=fcnn_out) == 0
    alone = subprocess.run([sys.executable, "-I", str(script), str(csv_path)], capture_output=True, text=True,
                           timeout=120, cwd=tmp_path)  # -I: fcnn itself cannot be imported
    assert alone.returncode == 0, alone.stderr
    assert alone.stdout == fcnn_out.getvalue()
    assert "import fcnn" not in script.read_text() and "from fcnn" not in script.read_text()


def test_the_python_file_refuses_a_file_without_the_models_columns(tmp_path):
    model, _, _, _ = trained("iris", tmp_path)
    script = tmp_path / "iris_model.py"
    script.write_text(model_to_python(model))
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    run = subprocess.run([sys.executable, "-I", str(script), str(other)], capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "has no column" in run.stderr and "sepal" in run.stderr


def test_export_says_what_to_write_and_explains_a_missing_onnx_package(tmp_path, capsys, monkeypatch):
    _, _, _, model_path = trained("iris", tmp_path)
    assert main(["export", str(model_path)]) == 2
    assert "--onnx MODEL.onnx, --python MODEL.py" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "onnx", None)  # as if it were not installed
    assert main(["export", str(model_path), "--onnx", str(tmp_path / "m.onnx")]) == 2
    assert "pip install onnx" in capsys.readouterr().err
