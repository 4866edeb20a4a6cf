"""prepare: a table and a target made into training and test arrays, with the report."""

import json

import numpy as np
import pytest

from fcnn.errors import ConfigError, DataError
from fcnn.tables.columns import infer_columns
from fcnn.tables.feature_columns import MAX_CATEGORIES
from fcnn.tables.features import FeaturePipeline
from fcnn.tables.prepare import PreparationReport, PreparedData, prepare
from fcnn.tables.split import train_test_split
from fcnn.tables.table import read_csv_text


# ---------------------------------------------------------------------------
# prepare


def classification_csv(n=90, seed=0):
    rng = np.random.default_rng(seed)
    lines = ["f1,f2,shape,label"]
    for i in range(n):
        label = ["cat", "dog", "emu"][i % 3]
        f1 = "NA" if i % 17 == 0 else f"{rng.normal() + i % 3:.6f}"
        lines.append(f"{f1},{rng.normal():.6f},{'round' if i % 2 else 'square'},{label if i % 29 else ''}")
    return "\n".join(lines) + "\n"


def test_prepare_classification_end_to_end():
    table = read_csv_text(classification_csv())
    data = prepare(table, "label", seed=4)
    assert isinstance(data, PreparedData)
    assert data.task == "multiclass" and data.classes == ["cat", "dog", "emu"]
    report = data.report.to_dict()
    assert report["dropped_missing_target"] == 4  # rows 0, 29, 58, 87 have no label
    assert report["n_used"] == 86 and report["n_train"] + report["n_test"] == 86
    assert report["n_test"] == round(86 * 0.3)
    assert report["imputed_cells"] == {"f1": 5}  # i = 17, 34, 51, 68, 85 (0 has no target)
    assert report["input_names"] == ["f1", "f2", "shape=round", "shape=square"] == data.input_names
    assert any("no value in the target 'label'" in note for note in report["notes"])
    assert data.x_train.shape == (report["n_train"], 4) and data.x_test.shape == (report["n_test"], 4)
    assert data.y_train.dtype == np.int64 and np.array_equal(data.y_train, data.target_train)
    # stratified: each class's test share is about 30%
    test_counts = np.bincount(data.y_test, minlength=3)
    all_counts = np.array([report["class_counts"][c] for c in data.classes])
    assert np.all(np.abs(test_counts - 0.3 * all_counts) <= 1)
    # rows line up with the table
    labels = [table.rows[i][3] for i in data.test_rows]
    assert data.encoder.decode(data.y_test) == labels
    assert set(data.train_rows).isdisjoint(data.test_rows)
    json.dumps(report)  # the page gets it as JSON


def test_prepare_fits_on_training_rows_only():
    table = read_csv_text(classification_csv())
    data = prepare(table, "label", seed=4)
    refit = FeaturePipeline(infer_columns(table), ["f1", "f2", "shape"]).fit(table, data.train_rows)
    assert refit.to_dict() == data.pipeline.to_dict()
    # a wild value in a test row changes no training input
    wild = [row[:] for row in table.rows]
    wild[int(data.test_rows[0])][0] = "1e9"
    wild_table = read_csv_text(classification_csv())
    wild_table.rows = wild
    again = prepare(wild_table, "label", seed=4)
    np.testing.assert_array_equal(again.x_train, data.x_train)
    assert again.x_test[0, 0] > 1e6


def test_prepare_regression_keeps_the_seeded_split_and_target_units():
    rng = np.random.default_rng(2)
    lines = ["a,b,y"] + [f"{rng.normal():.6f},{rng.normal():.6f},{1000 + 10 * i}" for i in range(50)]
    table = read_csv_text("\n".join(lines) + "\n")
    data = prepare(table, "y", seed=20)
    assert data.task == "regression" and data.classes is None
    train, test = train_test_split(50, 0.3, np.random.default_rng(20))
    np.testing.assert_array_equal(data.train_rows, train)
    np.testing.assert_array_equal(data.test_rows, test)
    np.testing.assert_array_equal(data.target_test, [1000 + 10 * i for i in test])
    assert data.y_train.shape == (35, 1) and data.y_train.std() == pytest.approx(10.0)
    np.testing.assert_allclose(data.encoder.decode(data.y_test), data.target_test)
    # a Generator may be passed instead of a seed
    same = prepare(table, "y", seed=np.random.default_rng(20))
    np.testing.assert_array_equal(same.test_rows, data.test_rows)


def test_prepare_drop_mode_reports_dropped_rows():
    text = "a,b,y\n1,2,0\nNA,3,1\n2,,0\n3,4,1\n4,5,0\n5,6,1\n6,7,0\n"
    data = prepare(read_csv_text(text), "y", missing="drop", task="regression")
    assert data.report.dropped_missing_features == 2 and data.report.n_used == 5
    assert not (set(data.train_rows) | set(data.test_rows)) & {1, 2}
    assert any("2 rows miss a feature value (lines 3, 4)" in note for note in data.report.notes)


def test_prepare_leaves_out_empty_and_id_like_columns_by_default():
    lines = ["id,empty,x,y"] + [f"name{i},,{i % 7},{i % 2}" for i in range(MAX_CATEGORIES + 5)]
    data = prepare(read_csv_text("\n".join(lines) + "\n"), "y")
    assert data.features == ["x"] and data.task == "binary"
    assert data.report.dropped_columns == ["id", "empty"]
    notes = " ".join(data.report.notes)
    assert "'id' holds 105 different text values" in notes and "'empty' has no values" in notes


def test_prepare_keeps_a_single_row_class_for_training_with_a_note():
    text = "x,y\n" + "".join(f"{i},{'a' if i % 2 else 'b'}\n" for i in range(20)) + "99,c\n"
    data = prepare(read_csv_text(text), "y")
    assert data.classes == ["a", "b", "c"] and data.report.class_counts == {"a": 10, "b": 10, "c": 1}
    assert 20 in data.train_rows and 2 not in data.y_test
    assert any("1 class ('c') has a single row, used for training only" in note for note in data.report.notes)


def test_prepare_refusals():
    table = read_csv_text("a,b,c,d\n1,x,5,k\n2,y,5,k\n3,x,5,k\n")
    with pytest.raises(ConfigError, match="no column 'z'"):
        prepare(table, "z")
    with pytest.raises(ConfigError, match="also chosen as a feature"):
        prepare(table, "a", features=["a", "b"])
    with pytest.raises(DataError, match="only one class, 'k'; choose another column or add rows of other classes"):
        prepare(table, "d")
    with pytest.raises(DataError, match="same number in every row"):
        prepare(table, "c")
    with pytest.raises(DataError, match="holds text"):
        prepare(table, "b", task="regression")
    with pytest.raises(ConfigError, match="test fraction"):
        prepare(table, "a", test_fraction=0)
    with pytest.raises(DataError, match="only the target column"):
        prepare(read_csv_text("y\n1\n2\n"), "y")
    with pytest.raises(DataError, match="same number in every row"):
        prepare(read_csv_text("a,y\n1,2\n2,2\n"), "y", task="regression")
    with pytest.raises(DataError, match="only 1 row has a target and every feature"):
        prepare(read_csv_text("a,y\n1,2\nNA,3\n"), "y", missing="drop", task="regression")


REPORT_KEYS = ["task", "target", "features", "input_names", "scaling", "missing", "n_rows", "n_used", "n_train",
               "n_test", "dropped_missing_target", "dropped_missing_features", "imputed_cells", "fill_values",
               "dropped_columns", "constant_columns", "class_counts", "notes"]


def test_the_preparation_report_is_typed_and_its_dict_is_the_report():
    table = read_csv_text(classification_csv())
    data = prepare(table, "label", test_fraction=0.3, seed=1)
    preparation = data.report
    assert isinstance(preparation, PreparationReport)
    assert list(preparation.to_dict()) == REPORT_KEYS
    assert preparation.n_train == len(data.train_rows) and preparation.n_test == len(data.test_rows)
    assert preparation.input_names == data.input_names and preparation.features == data.features
    assert preparation.fill_values == data.pipeline.report.fill_values
    assert preparation.notes is not preparation.to_dict()["notes"]  # the dict is a copy: changing it changes nothing
