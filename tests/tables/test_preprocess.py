import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcnn.errors import ConfigError, DataError
from fcnn.tables.columns import infer_columns
from fcnn.tables.feature_columns import MAX_CATEGORIES
from fcnn.tables.features import FeaturePipeline
from fcnn.tables.prepare import PreparedData, prepare
from fcnn.tables.split import stratified_split, train_test_split
from fcnn.tables.table import read_csv_text
from fcnn.tables.targets import ClassTarget, RegressionTarget, TargetEncoder
from fcnn.tables.task import resolve_task


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
    assert pipeline.report["fill_values"] == {"x": 2.0, "color": "red"}  # median (not mean) of 1, 2, 9; red twice
    assert pipeline.report["imputed_cells"] == {"x": 1, "color": 1}
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
    assert pipeline.report["constant_columns"] == ["c"]
    assert any("'c'" in note and "one value" in note for note in pipeline.notes)


def test_one_hot_unseen_category_is_all_zeros_and_outputs_are_not_scaled():
    table, pipeline = pipeline_for("size,color\n1,red\n2,blue\n3,red\n4,green\n", ["size", "color"], rows=[0, 1, 2])
    assert pipeline.output_names == ["size", "color=blue", "color=red"]
    x = pipeline.transform_table(table)
    np.testing.assert_array_equal(x[:, 1:], [[0, 1], [1, 0], [0, 1], [0, 0]])  # green unseen → 0, 0


def test_most_frequent_tie_goes_to_the_first_in_sorted_order():
    _, pipeline = pipeline_for("c\nb\na\nb\na\nNA\n", ["c"])
    assert pipeline.report["fill_values"] == {"c": "a"}
    # numeric-looking categories sort numerically: "2" before "10"
    _, numbers = pipeline_for("c\n10\n2\nx\n10\n2\n", ["c"])
    assert numbers.output_names == ["c=2", "c=10", "c=x"]
    assert numbers.report["fill_values"] == {"c": "2"}


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
    assert pipeline.report["dropped_columns"] == ["e"]
    assert any("'e' has no values" in note for note in pipeline.notes)
    assert pipeline.transform_table(table).shape == (2, 3)


def test_a_column_without_training_values_is_left_out():
    table, pipeline = pipeline_for("a,b\n1,NA\n2,NA\n3,7\n", ["a", "b"], rows=[0, 1])
    assert pipeline.input_names == ["a"] and pipeline.report["dropped_columns"] == ["b"]
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
    assert pipeline.report["dropped_rows"] == 1
    assert pipeline.report["fill_values"]["a"] == 3.0  # median of 1, 100, 3: row 2 is left out
    assert pipeline.report["imputed_cells"] == {}
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


# ---------------------------------------------------------------------------
# targets


def test_regression_target_scales_to_spread_ten_and_decodes_to_units():
    encoder = TargetEncoder.for_task("regression", "price").fit(["1000", "3000", "5000", "7000"])
    y = encoder.encode(["1000", 3000, "5000", "7000"])
    assert y.shape == (4, 1)
    assert y.mean() == pytest.approx(0.0) and y.std() == pytest.approx(10.0)
    np.testing.assert_allclose(encoder.decode(y), [1000, 3000, 5000, 7000])
    np.testing.assert_allclose(encoder.decode(y[:, 0]), [1000, 3000, 5000, 7000])
    loaded = TargetEncoder.from_dict(json_round_trip(encoder))
    assert isinstance(loaded, RegressionTarget) and loaded.to_dict() == encoder.to_dict()
    np.testing.assert_array_equal(loaded.encode(["1234.5"]), encoder.encode(["1234.5"]))
    with pytest.raises(DataError, match=r"'price' holds 'cheap' in row 2, which is not a number"):
        encoder.encode(["1", "cheap"])
    with pytest.raises(DataError, match="'price' has no value on line 9"):
        encoder.encode(["1", "NA"], line_numbers=[8, 9])


def test_class_target_sorts_numeric_labels_numerically_and_round_trips():
    encoder = TargetEncoder.for_task("multiclass", "grade").fit(["10", "2", "1.0", "2", "10"])
    assert isinstance(encoder, ClassTarget) and encoder.numeric_labels
    assert encoder.classes == ["1", "2", "10"] and encoder.n_classes == 3
    np.testing.assert_array_equal(encoder.encode(["2", "10", "1", 1.0, 10]), [1, 2, 0, 0, 2])
    assert encoder.decode(np.array([2, 0])) == ["10", "1"]
    loaded = TargetEncoder.from_dict(json_round_trip(encoder))
    assert loaded.to_dict() == encoder.to_dict()
    np.testing.assert_array_equal(loaded.encode(["2", "10"]), [1, 2])
    with pytest.raises(DataError, match=r"'grade' holds '7' in row 1, which is not one of the classes"):
        encoder.encode(["7"])
    with pytest.raises(ValueError):
        encoder.decode([3])


def test_text_class_labels():
    encoder = TargetEncoder.for_task("binary", "sick").fit(["yes", "no", " yes "])
    assert encoder.classes == ["no", "yes"] and not encoder.numeric_labels
    np.testing.assert_array_equal(encoder.encode(["yes", "no"]), [1, 0])


@pytest.mark.parametrize(
    "task, values, fragment",
    [
        ("binary", ["a", "b", "c"], "3 classes (a, b, c), not 2; choose multi-class classification"),
        ("multiclass", ["a", "a"], "only one class, 'a'"),
        ("binary", ["a", "NA"], "no value in row 2"),
    ],
)
def test_class_target_refusals(task, values, fragment):
    with pytest.raises(DataError) as info:
        TargetEncoder.for_task(task, "y").fit(values)
    assert fragment in str(info.value)


def test_target_encoder_task_and_dict_validation():
    with pytest.raises(ConfigError, match="task 'ranking'"):
        TargetEncoder.for_task("ranking")
    good = TargetEncoder.for_task("binary").fit(["a", "b"]).to_dict()
    for change in [{"classes": ["a"]}, {"classes": ["a", "a"]}, {"task": "cluster"}, {"numeric_labels": "no"}, {"version": 2}]:
        with pytest.raises(DataError, match="target encoder is not valid"):
            TargetEncoder.from_dict({**good, **change})
    regression = TargetEncoder.for_task("regression").fit(["1", "2"]).to_dict()
    with pytest.raises(DataError, match="'scale' above 0"):
        TargetEncoder.from_dict({**regression, "scale": -1.0})


# ---------------------------------------------------------------------------
# stratified split


def test_stratified_split_keeps_each_class_share():
    labels = np.array([0] * 50 + [1] * 30 + [2] * 20)
    train, test = stratified_split(labels, 0.3, np.random.default_rng(1))
    assert len(test) == 30 and len(train) == 70
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(100))
    assert np.bincount(labels[test]).tolist() == [15, 9, 6]
    assert np.bincount(labels[train]).tolist() == [35, 21, 14]
    assert np.all(np.diff(train) > 0) and np.all(np.diff(test) > 0)


def test_stratified_split_is_deterministic_for_a_seed():
    labels = np.random.default_rng(0).integers(0, 4, size=200)
    first = stratified_split(labels, 0.25, np.random.default_rng(42))
    again = stratified_split(labels, 0.25, np.random.default_rng(42))
    other = stratified_split(labels, 0.25, np.random.default_rng(43))
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[1], other[1])


def test_stratified_split_small_classes_keep_a_row_on_each_side():
    labels = np.array([0] * 20 + [1, 1] + [2])
    train, test = stratified_split(labels, 0.1, np.random.default_rng(3))
    # class 1 has 2 rows: one on each side though 10% of 2 rounds to 0; class 2 (1 row) trains only
    assert np.bincount(labels[test], minlength=3).tolist()[1:] == [1, 0]
    assert np.bincount(labels[train], minlength=3).tolist()[1:] == [1, 1]
    assert len(test) == 2  # round(23 · 0.1) = 2 in all: 1 of class 0, 1 of class 1


def test_stratified_split_remainders_go_to_the_largest_fractions():
    labels = np.array([0] * 7 + [1] * 5 + [2] * 8)  # f = 0.5: ideal 3.5, 2.5, 4 → total 10
    _, test = stratified_split(labels, 0.5, np.random.default_rng(0))
    assert np.bincount(labels[test]).tolist() == [4, 2, 4]  # a tie of remainders goes to the lower class


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 5), min_size=2, max_size=60),
    st.floats(0.05, 0.95),
    st.integers(0, 2**32 - 1),
)
def test_stratified_split_properties(labels, fraction, seed):
    labels = np.array(labels)
    counts = np.bincount(labels)
    if counts.max() < 2:
        with pytest.raises(DataError):
            stratified_split(labels, fraction, np.random.default_rng(seed))
        return
    train, test = stratified_split(labels, fraction, np.random.default_rng(seed))
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(len(labels)))
    for c, n_c in enumerate(counts):
        in_test = int(np.sum(labels[test] == c))
        if n_c >= 2:
            assert 1 <= in_test <= n_c - 1
        elif n_c == 1:
            assert in_test == 0
    low, high = int(np.sum(counts >= 2)), int(np.sum(np.maximum(counts - 1, 0)))
    assert len(test) == min(max(round(len(labels) * fraction), low), high)
    again = stratified_split(labels, fraction, np.random.default_rng(seed))
    np.testing.assert_array_equal(test, again[1])


def test_stratified_split_refusals():
    with pytest.raises(DataError, match="at least 2 rows"):
        stratified_split([0], 0.3, np.random.default_rng(0))
    with pytest.raises(DataError, match="every class has a single row"):
        stratified_split([0, 1, 2], 0.3, np.random.default_rng(0))
    with pytest.raises(ConfigError, match="between 0 and 1"):
        stratified_split([0, 0, 1, 1], 1.0, np.random.default_rng(0))


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
    report = data.report
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
    assert data.report["dropped_missing_features"] == 2 and data.report["n_used"] == 5
    assert not (set(data.train_rows) | set(data.test_rows)) & {1, 2}
    assert any("2 rows miss a feature value (lines 3, 4)" in note for note in data.report["notes"])


def test_prepare_leaves_out_empty_and_id_like_columns_by_default():
    lines = ["id,empty,x,y"] + [f"name{i},,{i % 7},{i % 2}" for i in range(MAX_CATEGORIES + 5)]
    data = prepare(read_csv_text("\n".join(lines) + "\n"), "y")
    assert data.features == ["x"] and data.task == "binary"
    assert data.report["dropped_columns"] == ["id", "empty"]
    notes = " ".join(data.report["notes"])
    assert "'id' holds 105 different text values" in notes and "'empty' has no values" in notes


def test_prepare_keeps_a_single_row_class_for_training_with_a_note():
    text = "x,y\n" + "".join(f"{i},{'a' if i % 2 else 'b'}\n" for i in range(20)) + "99,c\n"
    data = prepare(read_csv_text(text), "y")
    assert data.classes == ["a", "b", "c"] and data.report["class_counts"] == {"a": 10, "b": 10, "c": 1}
    assert 20 in data.train_rows and 2 not in data.y_test
    assert any("1 class ('c') has a single row, used for training only" in note for note in data.report["notes"])


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


def test_resolve_task():
    table = read_csv_text("n,t,f\n1,a,0.5\n2,b,1.5\n1,a,2.5\n")
    infos = {info.name: info for info in infer_columns(table)}
    assert resolve_task(None, infos["n"]) == "binary"
    assert resolve_task("regression", infos["n"]) == "regression"
    assert resolve_task("classification", infos["t"]) == "binary"
    assert resolve_task("multiclass", infos["t"]) == "multiclass"
    assert resolve_task("classification", infos["f"]) == "multiclass"
    with pytest.raises(DataError, match="3 classes, not 2"):
        resolve_task("binary", infos["f"])
    with pytest.raises(ConfigError, match="task 'clustering'"):
        resolve_task("clustering", infos["n"])
