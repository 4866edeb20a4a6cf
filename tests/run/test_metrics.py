import json
import math

import numpy as np
import pytest

from fcnn.run.metrics import (
    accuracy,
    class_probabilities,
    classification_metrics,
    confusion_matrix,
    f1_scores,
    log_loss,
    mae,
    precision_recall,
    predicted_classes,
    r2_score,
    regression_metrics,
    rmse,
)

# the example of scikit-learn's documentation, worked by hand
Y = [3.0, -0.5, 2.0, 7.0]
Y_HAT = [2.5, 0.0, 2.0, 8.0]
# errors 0.5, −0.5, 0, −1: squares sum to 1.5; ȳ = 2.875, Σ(y − ȳ)² = 29.1875


def test_regression_metrics_by_hand():
    assert rmse(Y, Y_HAT) == pytest.approx(math.sqrt(1.5 / 4))
    assert mae(Y, Y_HAT) == pytest.approx(2.0 / 4)
    assert r2_score(Y, Y_HAT) == pytest.approx(1 - 1.5 / 29.1875)
    summary = regression_metrics(np.array(Y)[:, None], Y_HAT)  # a column works too
    assert summary == {"n": 4, "r2": r2_score(Y, Y_HAT), "rmse": rmse(Y, Y_HAT), "mae": mae(Y, Y_HAT)}
    assert all(type(v) in (int, float) for v in summary.values())


def test_r2_edge_cases():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    assert r2_score(y, y) == 1.0
    assert r2_score(y, np.full(4, y.mean())) == pytest.approx(0.0)
    assert r2_score(y, y + 1) == pytest.approx(1 - 4 / 5)
    assert r2_score(y, -y) < 0  # worse than the mean
    # a constant target: 1 when exact, else 0 (the ratio is undefined)
    assert r2_score([5.0, 5.0], [5.0, 5.0]) == 1.0
    assert r2_score([5.0, 5.0], [5.0, 6.0]) == 0.0


def test_regression_metrics_refuse_mismatched_or_empty_input():
    with pytest.raises(ValueError, match="pair up"):
        rmse([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="no values"):
        mae([], [])


# three classes, six rows, worked by hand
Y_IDX = [0, 1, 2, 2, 1, 0]
PROBA = [
    [0.7, 0.2, 0.1],  # → 0 ✓
    [0.1, 0.6, 0.3],  # → 1 ✓
    [0.2, 0.2, 0.6],  # → 2 ✓
    [0.5, 0.3, 0.2],  # → 0 ✗ (a 2)
    [0.3, 0.3, 0.4],  # → 2 ✗ (a 1)
    [0.6, 0.3, 0.1],  # → 0 ✓
]
CONFUSION = [[2, 0, 0], [0, 1, 1], [1, 0, 1]]


def test_confusion_matrix_rows_are_actual_columns_predicted():
    predicted = predicted_classes(PROBA)
    assert predicted.tolist() == [0, 1, 2, 0, 2, 0]
    assert confusion_matrix(Y_IDX, predicted, 3).tolist() == CONFUSION
    assert accuracy(Y_IDX, predicted) == pytest.approx(4 / 6)


def test_precision_and_recall_by_hand_and_zero_when_undefined():
    precision, recall = precision_recall(CONFUSION)
    np.testing.assert_allclose(precision, [2 / 3, 1 / 1, 1 / 2])
    np.testing.assert_allclose(recall, [2 / 2, 1 / 2, 1 / 2])
    # class 2 is never predicted and class 1 never occurs: 0, not NaN
    precision, recall = precision_recall([[3, 0, 0], [0, 0, 0], [1, 0, 0]])
    np.testing.assert_array_equal(precision, [3 / 4, 0, 0])
    np.testing.assert_array_equal(recall, [1, 0, 0])
    np.testing.assert_allclose(f1_scores([0.5, 0.0], [1.0, 0.0]), [2 * 0.5 / 1.5, 0.0])


def test_log_loss_by_hand():
    expected = -np.mean(np.log([0.7, 0.6, 0.6, 0.2, 0.3, 0.6]))
    assert log_loss(Y_IDX, PROBA) == pytest.approx(expected)


def test_binary_log_loss_takes_p_of_class_one_or_two_columns():
    y = [0, 1, 1, 0]
    p = np.array([0.1, 0.8, 0.4, 0.5])
    expected = -np.mean(np.log([0.9, 0.8, 0.4, 0.5]))
    assert log_loss(y, p) == pytest.approx(expected)
    assert log_loss(y, np.column_stack([1 - p, p])) == pytest.approx(expected)
    np.testing.assert_array_equal(class_probabilities(p)[:, 0], 1 - p)
    assert predicted_classes(p).tolist() == [0, 1, 0, 0]  # 0.5 is a tie: the lower class


def test_log_loss_clips_certain_mistakes_to_a_finite_cost():
    assert log_loss([1, 0], [0.0, 0.0]) == pytest.approx(-np.log(1e-15) / 2)
    assert log_loss([1], [1.0]) == pytest.approx(-np.log(1 - 1e-15))
    assert math.isfinite(log_loss([0, 1], [[0.0, 1.0], [1.0, 0.0]]))


def test_bad_class_inputs_are_refused():
    with pytest.raises(ValueError, match="from 0 to 2"):
        confusion_matrix([0, 3], [0, 1], 3)
    with pytest.raises(ValueError, match="from 0 to 1"):
        log_loss([2], [0.5])
    with pytest.raises(ValueError, match="whole numbers"):
        accuracy([0.5], [0])
    with pytest.raises(ValueError, match="not all finite"):
        log_loss([0], [[np.nan, 1.0]])
    with pytest.raises(ValueError, match="pair up"):
        log_loss([0, 1], [[0.5, 0.5]])


def test_classification_metrics_summary_is_json_ready():
    summary = classification_metrics(np.array(Y_IDX), np.array(PROBA), ["cat", "dog", "emu"])
    assert summary["n"] == 6 and summary["classes"] == ["cat", "dog", "emu"]
    assert summary["accuracy"] == pytest.approx(4 / 6)
    assert summary["confusion_matrix"] == CONFUSION
    assert summary["support"] == [2, 2, 2]
    assert summary["precision"] == pytest.approx([2 / 3, 1, 1 / 2])
    assert summary["recall"] == pytest.approx([1, 1 / 2, 1 / 2])
    assert summary["macro_recall"] == pytest.approx(2 / 3)
    f1 = [2 * (2 / 3) / (2 / 3 + 1), 2 * 0.5 / 1.5, 0.5]
    assert summary["f1"] == pytest.approx(f1) and summary["macro_f1"] == pytest.approx(np.mean(f1))
    assert json.loads(json.dumps(summary, allow_nan=False)) == summary
    binary = classification_metrics([0, 1, 1, 0], [0.1, 0.8, 0.4, 0.5], ["no", "yes"])
    assert binary["confusion_matrix"] == [[2, 0], [1, 1]]
    with pytest.raises(ValueError, match="class names"):
        classification_metrics(Y_IDX, PROBA, ["a", "b"])


# ---------------------------------------------------------------------------
# optional cross-checks against scikit-learn (the assertions above do not need it)


def test_cross_check_regression_with_sklearn():
    sk = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    y, yhat = rng.normal(size=50), rng.normal(size=50)
    assert r2_score(y, yhat) == pytest.approx(sk.r2_score(y, yhat))
    assert mae(y, yhat) == pytest.approx(sk.mean_absolute_error(y, yhat))
    assert rmse(y, yhat) == pytest.approx(math.sqrt(sk.mean_squared_error(y, yhat)))


def test_cross_check_classification_with_sklearn():
    sk = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(1)
    y = rng.integers(0, 4, size=80)
    logits = rng.normal(size=(80, 4))
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    predicted = predicted_classes(proba)
    assert log_loss(y, proba) == pytest.approx(sk.log_loss(y, proba, labels=[0, 1, 2, 3]))
    assert accuracy(y, predicted) == pytest.approx(sk.accuracy_score(y, predicted))
    confusion = confusion_matrix(y, predicted, 4)
    np.testing.assert_array_equal(confusion, sk.confusion_matrix(y, predicted, labels=[0, 1, 2, 3]))
    precision, recall = precision_recall(confusion)
    np.testing.assert_allclose(precision, sk.precision_score(y, predicted, average=None, labels=[0, 1, 2, 3], zero_division=0))
    np.testing.assert_allclose(recall, sk.recall_score(y, predicted, average=None, labels=[0, 1, 2, 3], zero_division=0))
    p1 = rng.uniform(0.01, 0.99, size=30)
    yb = rng.integers(0, 2, size=30)
    assert log_loss(yb, p1) == pytest.approx(sk.log_loss(yb, p1))
