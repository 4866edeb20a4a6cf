"""The feature pipeline: fitted on training rows only, transforms, saving."""

import json

import numpy as np
import pytest

from fcnn.errors import ConfigError, DataError
from fcnn.tables.columns import infer_columns
from fcnn.tables.feature_columns import MAX_CATEGORIES
from fcnn.tables.features import FeaturePipeline, FitReport
from fcnn.tables.table import read_csv_text


def pipeline_for(text, features, rows=None, **kwargs):
    table = read_csv_text(text)
    pipeline = FeaturePipeline(infer_columns(table), features, **kwargs)
    pipeline.fit(table, range(table.n_rows) if rows is None else rows)
    return table, pipeline


def json_round_trip(thing):
    return json.loads(json.dumps(thing.to_dict(), allow_nan=False))


# ---------------------------------------------------------------------------
# FeaturePipeline: fitting on training rows only

LEAK_TEXT = "x,color,y\n1,red,0\n2,blue,1\n9,red,0\nNA,NA,1\n1000000,green,0\nNA,blue,1\n"
TRAIN_ROWS = [0, 1, 2, 3]  # rows 4 (an outlier, a new color) and 5 are test rows


def test_fill_values_come_from_training_rows_only():
    table, pipeline = pipeline_for(LEAK_TEXT, ["x", "color"], rows=TRAIN_ROWS)
    assert pipeline.report.fill_values == {"x": 2.0, "color": "red"}  # median (not mean) of 1, 2, 9; red twice
    assert pipeline.report.imputed_cells == {"x": 1, "color": 1}
    assert pipeline.output_names == ["x", "color=blue", "color=red"]  # green is only in a test row


def test_a_test_row_outlier_changes_nothing_learned():
    with_outlier = read_csv_text(LEAK_TEXT)
    without = read_csv_text(LEAK_TEXT.replace("1000000", "5"))
    a = FeaturePipeline(infer_columns(with_outlier), ["x", "color"]).fit(with_outlier, TRAIN_ROWS)
    b = FeaturePipeline(infer_columns(without), ["x", "color"]).fit(without, TRAIN_ROWS)
    assert a.to_dict() == b.to_dict()
    np.testing.assert_array_equal(a.transform_table(with_outlier, TRAIN_ROWS), b.transform_table(without, TRAIN_ROWS))
    # whereas fitting on all rows would have moved the mean
    c = FeaturePipeline(infer_columns(with_outlier), ["x", "color"]).fit(with_outlier, range(6))
    assert c.to_dict()["columns"][0]["offset"] != a.to_dict()["columns"][0]["offset"]


def test_standard_scaling_hand_computed_with_the_filled_cell_included():
    table, pipeline = pipeline_for(LEAK_TEXT, ["x"], rows=TRAIN_ROWS)
    # training x after filling: 1, 2, 9, 2 → mean 3.5, population std √(41/4)
    std = np.sqrt((2.5**2 + 1.5**2 + 5.5**2 + 1.5**2) / 4)
    x = pipeline.transform_table(table, TRAIN_ROWS)[:, 0]
    np.testing.assert_allclose(x, (np.array([1, 2, 9, 2]) - 3.5) / std)
    # the test rows: the outlier is scaled with training statistics; the missing cell gets the median
    x_test = pipeline.transform_table(table, [4, 5])[:, 0]
    np.testing.assert_allclose(x_test, [(1000000 - 3.5) / std, (2 - 3.5) / std])


@pytest.mark.parametrize(
    "scaling, expected",
    [
        ("standard", (np.array([2.0, 4.0, 6.0, 8.0]) - 5.0) / np.sqrt(5.0)),
        ("minmax", np.array([0.0, 1 / 3, 2 / 3, 1.0])),
        ("none", np.array([2.0, 4.0, 6.0, 8.0])),
    ],
)
def test_scaling_modes(scaling, expected):
    table, pipeline = pipeline_for("v\n2\n4\n6\n8\n", ["v"], scaling=scaling)
    np.testing.assert_allclose(pipeline.transform_table(table)[:, 0], expected)


@pytest.mark.parametrize("scaling", ["standard", "minmax", "none"])
def test_constant_column_does_not_divide_by_zero(scaling):
    table, pipeline = pipeline_for("c,v\n5,1\n5,2\n5,3\n", ["c", "v"], scaling=scaling)
    with np.errstate(all="raise"):
        x = pipeline.transform_table(table)
        shifted = pipeline.transform_rows([[7, 1]])
    assert np.all(np.isfinite(x))
    expected_constant = 5.0 if scaling == "none" else 0.0
    np.testing.assert_array_equal(x[:, 0], expected_constant)
    assert shifted[0, 0] == (7.0 if scaling == "none" else 7.0 - 5.0)  # scale 1, not 0
    assert pipeline.report.constant_columns == ["c"]
    assert any("'c'" in note and "one value" in note for note in pipeline.notes)


def test_one_hot_unseen_category_is_all_zeros_and_outputs_are_not_scaled():
    table, pipeline = pipeline_for("size,color\n1,red\n2,blue\n3,red\n4,green\n", ["size", "color"], rows=[0, 1, 2])
    assert pipeline.output_names == ["size", "color=blue", "color=red"]
    x = pipeline.transform_table(table)
    np.testing.assert_array_equal(x[:, 1:], [[0, 1], [1, 0], [0, 1], [0, 0]])  # green unseen → 0, 0


def test_most_frequent_tie_goes_to_the_first_in_sorted_order():
    _, pipeline = pipeline_for("c\nb\na\nb\na\nNA\n", ["c"])
    assert pipeline.report.fill_values == {"c": "a"}
    # numeric-looking categories sort numerically: "2" before "10"
    _, numbers = pipeline_for("c\n10\n2\nx\n10\n2\n", ["c"])
    assert numbers.output_names == ["c=2", "c=10", "c=x"]
    assert numbers.report.fill_values == {"c": "2"}


def test_transform_rows_takes_strings_numbers_mappings_and_missing():
    table, pipeline = pipeline_for("a,b,col\n1,10,u\n3,20,v\n5,30,v\n", ["a", "col"], scaling="none")
    expected = [[2.0, 1.0, 0.0], [3.0, 0.0, 1.0]]
    np.testing.assert_array_equal(pipeline.transform_rows([["2", "u"], [3, "v"]]), expected)
    np.testing.assert_array_equal(pipeline.transform_rows([{"a": 2.0, "col": "u"}, {"a": "3", "col": "v", "b": "?"}]), expected)
    # full table rows, laid out by the table's columns
    np.testing.assert_array_equal(pipeline.transform_rows([["2", "99", "u"]], columns=table.columns), expected[:1])
    # missing in any form → the training fill values (median 3, most frequent v)
    filled = pipeline.transform_rows([[None, ""], [float("nan"), "NA"], {}])
    np.testing.assert_array_equal(filled, [[3.0, 0.0, 1.0]] * 3)
    assert pipeline.count_missing([[None, "u"], ["1", ""]]) == {"a": 1, "col": 1}


def test_text_in_a_numeric_column_names_the_column_value_and_line():
    table = read_csv_text("a,b\n1,x\n2,y\n")
    pipeline = FeaturePipeline(infer_columns(table), ["a"]).fit(table, [0, 1])
    with pytest.raises(DataError, match=r"column 'a' holds the text 'many' in row 2, but it is a numeric column"):
        pipeline.transform_rows([["1"], ["many"]])
    other = read_csv_text("a,b\n1,x\nlots,y\n", header=True)
    with pytest.raises(DataError, match="'lots' on line 3"):
        pipeline.transform_table(other)
    with pytest.raises(DataError, match="not a finite number"):
        pipeline.transform_rows([[float("inf")]])


def test_row_shape_errors_say_what_the_model_takes():
    _, pipeline = pipeline_for("a,b\n1,2\n3,4\n", ["a", "b"])
    with pytest.raises(DataError, match=r"row 1 has 1 value but the model takes 2 inputs \(a, b\)"):
        pipeline.transform_rows([["1"]])
    with pytest.raises(DataError, match="no column 'b'"):
        pipeline.transform_rows([["1"]], columns=["a"])


def test_empty_feature_column_is_left_out_with_a_note():
    table, pipeline = pipeline_for("a,e,b\n1,,x\n2,NA,y\n", ["a", "e", "b"])
    assert pipeline.input_names == ["a", "b"]
    assert pipeline.report.dropped_columns == ["e"]
    assert any("'e' has no values" in note for note in pipeline.notes)
    assert pipeline.transform_table(table).shape == (2, 3)


def test_a_column_without_training_values_is_left_out():
    table, pipeline = pipeline_for("a,b\n1,NA\n2,NA\n3,7\n", ["a", "b"], rows=[0, 1])
    assert pipeline.input_names == ["a"] and pipeline.report.dropped_columns == ["b"]
    assert pipeline.transform_table(table).shape == (3, 1)


def test_bad_settings_and_names_are_refused():
    table = read_csv_text("a,b\n1,2\n")
    infos = infer_columns(table)
    with pytest.raises(ConfigError, match="scaling 'zscore'"):
        FeaturePipeline(infos, ["a"], scaling="zscore")
    with pytest.raises(ConfigError, match="missing 'mean'"):
        FeaturePipeline(infos, ["a"], missing="mean")
    with pytest.raises(ConfigError, match="no column named 'c'; choose features from: a, b"):
        FeaturePipeline(infos, ["c"])
    with pytest.raises(ConfigError, match="chosen twice"):
        FeaturePipeline(infos, ["a", "a"])
    with pytest.raises(ConfigError, match="no feature columns"):
        FeaturePipeline(infos, [])
    with pytest.raises(RuntimeError, match="not fitted"):
        FeaturePipeline(infos, ["a"]).transform_rows([[1]])


def test_too_many_categories_are_refused():
    lines = "\n".join(f"{i},name{i}" for i in range(MAX_CATEGORIES + 1))
    with pytest.raises(DataError, match=r"'name' holds 101 different text values.*leave it out"):
        pipeline_for("n,name\n" + lines + "\n", ["name"])


def test_drop_mode_fits_on_complete_rows_and_refuses_missing_cells():
    table, pipeline = pipeline_for("a,b\n1,x\n2,NA\n100,y\n3,y\n", ["a", "b"], missing="drop", scaling="none")
    assert pipeline.report.dropped_rows == 1
    assert pipeline.report.fill_values["a"] == 3.0  # median of 1, 100, 3: row 2 is left out
    assert pipeline.report.imputed_cells == {}
    with pytest.raises(DataError, match=r"column 'b' has no value on line 3; .*missing='drop'"):
        pipeline.transform_table(table)


# ---------------------------------------------------------------------------
# FeaturePipeline: saving


@pytest.mark.parametrize("scaling", ["standard", "minmax", "none"])
@pytest.mark.parametrize("missing", ["impute", "drop"])
def test_to_dict_from_dict_round_trips_through_json_exactly(scaling, missing):
    rng = np.random.default_rng(5)
    lines = [f"{rng.normal() * 1e3:.17g},{rng.choice(['a', 'b', 'c'])},{rng.uniform():.17g}" for _ in range(40)]
    table = read_csv_text("x,c,z\n" + "\n".join(lines) + "\n")
    pipeline = FeaturePipeline(infer_columns(table), ["x", "c", "z"], scaling=scaling, missing=missing).fit(table, range(30))
    loaded = FeaturePipeline.from_dict(json_round_trip(pipeline))
    assert loaded.to_dict() == pipeline.to_dict()
    assert loaded.output_names == pipeline.output_names and loaded.input_names == pipeline.input_names
    np.testing.assert_array_equal(loaded.transform_table(table), pipeline.transform_table(table))
    np.testing.assert_array_equal(loaded.transform_rows([[1.5, "b", None if missing == "impute" else 2]]),
                                  pipeline.transform_rows([[1.5, "b", None if missing == "impute" else 2]]))


def broken(change):
    table, pipeline = pipeline_for("x,c\n1,a\n2,b\n", ["x", "c"])
    saved = json_round_trip(pipeline)
    change(saved)
    return saved


@pytest.mark.parametrize(
    "change, fragment",
    [
        (lambda d: d.update(format="other"), "'format'"),
        (lambda d: d.update(version=99), "version is 99"),
        (lambda d: d.update(scaling="zscore"), "'scaling'"),
        (lambda d: d.update(missing=None), "'missing'"),
        (lambda d: d.update(columns=[]), "'columns'"),
        (lambda d: d["columns"][0].update(scale=0.0), "'scale' 0.0"),
        (lambda d: d["columns"][0].update(offset="1"), "finite number 'offset'"),
        (lambda d: d["columns"][0].pop("fill"), "finite number 'fill'"),
        (lambda d: d["columns"][1].update(categories=["a", "a"]), "twice"),
        (lambda d: d["columns"][1].update(fill="z"), "'fill' that is not one of its categories"),
        (lambda d: d["columns"][1].update(kind="text"), "kind 'text'"),
        (lambda d: d["columns"].append(d["columns"][0]), "appears twice"),
        (lambda d: d.update(feature_names=["x"]), "not in 'feature_names'"),
    ],
)
def test_from_dict_refuses_a_malformed_dict(change, fragment):
    with pytest.raises(DataError) as info:
        FeaturePipeline.from_dict(broken(change))
    assert fragment in str(info.value) and "save it anew" in str(info.value)


def test_from_dict_refuses_a_non_dict():
    with pytest.raises(DataError, match="not a dict"):
        FeaturePipeline.from_dict([1, 2])


def test_the_fit_report_is_typed_and_has_the_reports_keys():
    _, pipeline = pipeline_for(LEAK_TEXT, ["x", "color"], TRAIN_ROWS)
    assert isinstance(pipeline.report, FitReport)
    assert list(pipeline.report.to_dict()) == ["scaling", "missing", "n_fit_rows", "dropped_rows", "imputed_cells", "fill_values",
                                     "dropped_columns", "constant_columns", "notes"]
    assert pipeline.report.n_fit_rows == 4 and pipeline.report.imputed_cells == {"x": 1, "color": 1}
    assert FeaturePipeline.from_dict(pipeline.to_dict()).report is None  # a loaded pipeline has no training report


@pytest.mark.parametrize("features", [["a"], ["a", "c"]])
def test_a_minus_nan_in_a_column_of_numbers_is_filled_with_or_without_a_text_feature(features):
    # numpy reads "-nan" as NaN; the column is typed once, so every transform treats it alike
    table, pipeline = pipeline_for("a,c\n1,x\n-nan,y\n3,x\n5,y\n", features)
    x = pipeline.transform_table(table)
    assert x[1, 0] == x[1, 0] and pipeline.report.fill_values["a"] == 3.0  # median of 1, 3, 5
