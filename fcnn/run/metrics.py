"""How good the predictions are: regression and classification metrics.

Everything here is plain numpy. The two summary functions,
``regression_metrics`` and ``classification_metrics``, answer JSON-friendly
dicts (Python floats, ints, lists and strings only) that the page can show as
they are.

Wrong shapes or class indexes out of range are programming errors, not
problems in the user's data, so they raise ValueError.
"""

from __future__ import annotations

import math

import numpy as np

# The smallest probability log_loss takes the log of: a confident wrong
# answer costs −log(1e−15) ≈ 34.5 instead of infinity.
LOG_LOSS_EPSILON = 1e-15


def _paired_values(y_true, y_pred):
    y_true = np.asarray(y_true, dtype=float).ravel()
    y_pred = np.asarray(y_pred, dtype=float).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{y_true.size} true values but {y_pred.size} predictions; they must pair up")
    if y_true.size == 0:
        raise ValueError("no values to score")
    return y_true, y_pred


def r2_score(y_true, y_pred):
    """Coefficient of determination: R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)².

    1 is a perfect fit, 0 is no better than predicting the mean, and it is
    negative when worse than that. When every true value is the same
    (Σ(y − ȳ)² = 0) the ratio is undefined: R² is 1 if the predictions are
    exact and 0 otherwise.
    """
    y_true, y_pred = _paired_values(y_true, y_pred)
    ss_res = float(np.sum((y_true - y_pred) ** 2))
    ss_tot = float(np.sum((y_true - y_true.mean()) ** 2))
    if ss_tot == 0.0:
        return 1.0 if ss_res == 0.0 else 0.0
    return 1.0 - ss_res / ss_tot


def rmse(y_true, y_pred):
    """Root mean squared error: √(mean((y − ŷ)²)), in the target's units."""
    y_true, y_pred = _paired_values(y_true, y_pred)
    return float(math.sqrt(np.mean((y_true - y_pred) ** 2)))


def mae(y_true, y_pred):
    """Mean absolute error: mean(|y − ŷ|), in the target's units."""
    y_true, y_pred = _paired_values(y_true, y_pred)
    return float(np.mean(np.abs(y_true - y_pred)))


def regression_metrics(y_true, y_pred):
    """``{"n", "r2", "rmse", "mae"}`` for predictions in the target's units."""
    y_true, y_pred = _paired_values(y_true, y_pred)
    return {
        "n": int(y_true.size),
        "r2": r2_score(y_true, y_pred),
        "rmse": rmse(y_true, y_pred),
        "mae": mae(y_true, y_pred),
    }


def _class_indexes(values, n_classes=None, what="class indexes"):
    array = np.asarray(values)
    if array.ndim != 1:
        array = array.ravel()
    if array.size and not np.all(np.equal(np.mod(array, 1), 0)):
        raise ValueError(f"{what} must be whole numbers")
    array = array.astype(np.int64)
    if n_classes is not None and array.size and (array.min() < 0 or array.max() >= n_classes):
        raise ValueError(f"{what} must be from 0 to {n_classes - 1}")
    return array


def class_probabilities(proba):
    """Probabilities as an n × k matrix.

    A 1-D array is read as binary P(class 1) per row and becomes the two
    columns [1 − p, p]; an n × k matrix is returned as a float array.
    """
    proba = np.asarray(proba, dtype=float)
    if proba.ndim == 1:
        return np.column_stack([1.0 - proba, proba])
    if proba.ndim != 2 or proba.shape[1] < 2:
        raise ValueError(f"probabilities must be n values of P(class 1) or an n × k matrix, k ≥ 2; got shape {proba.shape}")
    return proba


def predicted_classes(proba):
    """The most probable class of each row (argmax; a tie goes to the lower index,
    so a binary p of exactly 0.5 predicts class 0)."""
    return np.argmax(class_probabilities(proba), axis=1).astype(np.int64)


def accuracy(y_true_idx, y_pred_idx):
    """The share of rows whose predicted class is the true class."""
    y_true = _class_indexes(y_true_idx)
    y_pred = _class_indexes(y_pred_idx)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{y_true.size} true classes but {y_pred.size} predictions; they must pair up")
    if y_true.size == 0:
        raise ValueError("no values to score")
    return float(np.mean(y_true == y_pred))


def log_loss(y_true_idx, proba, epsilon=LOG_LOSS_EPSILON):
    """Cross-entropy: −mean(log p(true class of each row)).

    ``proba`` is either n values of P(class 1) (binary) or an n × k matrix
    whose row i holds the probabilities of the k classes. The probability of
    the true class is clipped to [ε, 1 − ε] so that one confident mistake
    gives a large finite loss rather than infinity. Rows are not
    renormalised: pass probabilities that sum to 1 (a softmax output).
    """
    probabilities = class_probabilities(proba)
    if not np.all(np.isfinite(probabilities)):
        raise ValueError("the probabilities are not all finite numbers")
    n, k = probabilities.shape
    y_true = _class_indexes(y_true_idx, k, "true class indexes")
    if y_true.size != n:
        raise ValueError(f"{y_true.size} true classes but {n} rows of probabilities; they must pair up")
    if n == 0:
        raise ValueError("no values to score")
    p_true = np.clip(probabilities[np.arange(n), y_true], epsilon, 1.0 - epsilon)
    return float(-np.mean(np.log(p_true)))


def confusion_matrix(y_true_idx, y_pred_idx, n_classes):
    """k × k counts: entry [a, p] is the number of rows of actual class a
    predicted as class p (rows = actual, columns = predicted)."""
    n_classes = int(n_classes)
    y_true = _class_indexes(y_true_idx, n_classes, "true class indexes")
    y_pred = _class_indexes(y_pred_idx, n_classes, "predicted class indexes")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{y_true.size} true classes but {y_pred.size} predictions; they must pair up")
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def precision_recall(confusion):
    """Per-class precision and recall from a confusion matrix (rows = actual).

    precision[c] = C[c, c] / Σ_a C[a, c]  (of the rows predicted c, the share that are c)
    recall[c]    = C[c, c] / Σ_p C[c, p]  (of the rows that are c, the share predicted c)

    When the denominator is 0 (nothing predicted c, or no row is c) the value
    is undefined and reported as 0.0. Returns two float arrays of length k.
    """
    confusion = np.asarray(confusion, dtype=float)
    if confusion.ndim != 2 or confusion.shape[0] != confusion.shape[1]:
        raise ValueError(f"a confusion matrix is square; got shape {confusion.shape}")
    hits = np.diag(confusion)
    predicted = confusion.sum(axis=0)
    actual = confusion.sum(axis=1)
    precision = np.divide(hits, predicted, out=np.zeros_like(hits), where=predicted > 0)
    recall = np.divide(hits, actual, out=np.zeros_like(hits), where=actual > 0)
    return precision, recall


def f1_scores(precision, recall):
    """Per-class F1 = 2·P·R / (P + R); 0.0 where P + R = 0."""
    precision = np.asarray(precision, dtype=float)
    recall = np.asarray(recall, dtype=float)
    total = precision + recall
    return np.divide(2 * precision * recall, total, out=np.zeros_like(total), where=total > 0)


def classification_metrics(y_true_idx, proba, classes):
    """Everything the page shows about a classifier, as a JSON-friendly dict.

    ``proba``: n values of P(class 1) for two classes, or n × k probabilities.
    ``classes``: the k class names, in index order.

    Keys: ``n``, ``classes`` (names), ``accuracy``, ``log_loss``,
    ``confusion_matrix`` (k lists of k ints, rows = actual, columns =
    predicted), ``precision``, ``recall``, ``f1``, ``support`` (rows per actual
    class), all per class in class order, and ``macro_precision``,
    ``macro_recall``, ``macro_f1`` (unweighted means over the classes). The
    predicted class is the most probable one (see ``predicted_classes``).
    """
    classes = [str(name) for name in classes]
    probabilities = class_probabilities(proba)
    if probabilities.shape[1] != len(classes):
        raise ValueError(f"{probabilities.shape[1]} columns of probabilities but {len(classes)} class names")
    y_true = _class_indexes(y_true_idx, len(classes), "true class indexes")
    y_pred = predicted_classes(probabilities)
    confusion = confusion_matrix(y_true, y_pred, len(classes))
    precision, recall = precision_recall(confusion)
    f1 = f1_scores(precision, recall)
    return {
        "n": int(y_true.size),
        "classes": classes,
        "accuracy": accuracy(y_true, y_pred),
        "log_loss": log_loss(y_true, probabilities),
        "confusion_matrix": confusion.tolist(),
        "precision": [float(v) for v in precision],
        "recall": [float(v) for v in recall],
        "f1": [float(v) for v in f1],
        "support": [int(v) for v in confusion.sum(axis=1)],
        "macro_precision": float(np.mean(precision)),
        "macro_recall": float(np.mean(recall)),
        "macro_f1": float(np.mean(f1)),
    }
