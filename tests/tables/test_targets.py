"""The target encoders: regression scaling and class labels, and their saved form."""

import json

import numpy as np
import pytest

from fcnn.errors import ConfigError, DataError
from fcnn.tables.targets import ClassTarget, RegressionTarget, TargetEncoder


def json_round_trip(thing):
    return json.loads(json.dumps(thing.to_dict(), allow_nan=False))


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
