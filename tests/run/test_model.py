"""The model file: round trip to 1e-9, and refusal of bad files with clear messages."""

import copy
import pathlib
import json

import numpy as np
import pytest

from fcnn.tables import read_csv_text
from fcnn.run.model import ModelFileError, load_model
from fcnn.run.experiment import Experiment
from fcnn.run.settings import TrainingConfig

CSV = "\n".join(
    ["size,colour,rooms,price"]
    # size is a shuffle of 20…99, not in file order (a column counting 20, 21, 22… is a row number, left out)
    + [f"{20 + k},{['red', 'blue', 'green'][i % 3]},{'' if i % 11 == 0 else i % 5},{100 + 3 * k + (i % 3) * 7}"
       for i, k in ((i, i * 7 % 80) for i in range(80))]
)


@pytest.fixture(scope="module")
def trained():
    experiment = Experiment(read_csv_text(CSV), TrainingConfig("price", epochs=20))
    experiment.train_for()
    return experiment


def test_round_trip_predicts_the_same_to_1e9(trained, tmp_path):
    model = trained.model()
    path = tmp_path / "m.json"
    model.save(path)
    loaded = load_model(path)
    rows = [{"size": 25, "colour": "blue", "rooms": 3}, {"size": "90", "colour": "purple", "rooms": ""}]
    np.testing.assert_allclose(loaded.predict(rows), model.predict(rows), rtol=0, atol=1e-9)
    table = read_csv_text(CSV)
    features = [[r[0], r[1], r[2]] for r in table.rows]
    np.testing.assert_allclose(loaded.predict(features), model.predict(features), rtol=0, atol=1e-9)
    doc = json.loads(path.read_text())
    for key in ("architecture", "weights", "pipeline", "target_encoder", "feature_columns", "target", "config", "metrics", "history"):
        assert key in doc
    assert len(doc["history"]) == 20


def test_classification_model_predicts_labels(tmp_path):
    rows = ["a,b,kind"] + [f"{i % 9},{(i * 7) % 5},{'cat' if i % 9 < 4 else 'dog'}" for i in range(90)]
    experiment = Experiment(read_csv_text("\n".join(rows)), TrainingConfig("kind", epochs=60))
    experiment.train_for()
    loaded = load_model(experiment.model().to_json())
    assert set(loaded.predict([[1, 2], [8, 0]])) <= {"cat", "dog"}
    assert loaded.predict([[1, 2]])[0] == "cat" and loaded.predict([[8, 0]])[0] == "dog"


def mutated(trained, change):
    doc = copy.deepcopy(trained.model().to_dict())
    change(doc)
    return json.dumps(doc)


@pytest.mark.parametrize(
    "change, fragment",
    [
        (lambda d: d.update(version=99), "version 99"),
        (lambda d: d.update(format="other"), "format"),
        (lambda d: d.pop("weights"), "'weights' is missing"),
        (lambda d: d["weights"].update(W1=[[1.0]]), "weights W1 have shape (1, 1)"),
        (lambda d: d["weights"].pop("b2"), "needs"),
        (lambda d: d["architecture"].update(activation="swish"), "architecture is invalid"),
        (lambda d: d.update(feature_columns=["x", "y", "z"]), "columns differ"),
        (lambda d: d["weights"]["W1"][0].__setitem__(0, "a"), "not numbers"),
    ],
)
def test_bad_model_files_are_refused_with_what_is_wrong(trained, change, fragment):
    with pytest.raises(ModelFileError) as info:
        load_model(mutated(trained, change))
    assert fragment in str(info.value)


def test_not_json_and_not_an_object_are_refused():
    with pytest.raises(ModelFileError, match="not valid JSON"):
        load_model("{oops")
    with pytest.raises(ModelFileError, match="not a JSON object"):
        load_model("[1, 2]")


def test_prediction_rows_with_missing_columns_are_refused(trained):
    model = trained.model()
    with pytest.raises(Exception, match="no value for the column 'colour'"):
        model.predict([{"size": 1, "rooms": 2}])


# A model file saved by fcnn 0.2.0 (before the package was split into engine/tables/run/web):
# regression on a table with a text column and missing cells, so it holds fill values,
# one-hot categories and both scalers. Its predictions were recorded when it was saved.
SAVED_BY_0_2_0 = pathlib.Path(__file__).resolve().parent / "data" / "model-saved-by-0.2.0.json"
SAVED_QUERIES = [{"size": "75.5", "rooms": "3", "area": "south"}, {"size": "", "rooms": "1", "area": ""},
                 {"size": "140", "rooms": "5", "area": "centre"}]
SAVED_PREDICTIONS = [2210.2865015499124, 2260.9067970329106, 2279.4960087398267]


def test_a_model_file_saved_by_an_earlier_version_still_loads_and_predicts_the_same():
    model = load_model(SAVED_BY_0_2_0.read_text())
    assert model.target == "price" and model.task == "regression"
    assert model.predict(SAVED_QUERIES) == pytest.approx(SAVED_PREDICTIONS, rel=1e-12)
    # and saved again by this version, it is the same file
    assert json.loads(model.to_json()) == json.loads(SAVED_BY_0_2_0.read_text())
