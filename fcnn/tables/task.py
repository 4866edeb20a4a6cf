"""The task a target column calls for: regression, binary or multi-class
classification, detected from its ColumnInfo with the reason in words, or
chosen by the user and checked against the column.
"""

from __future__ import annotations

from ..errors import ConfigError, DataError

TASKS = ("regression", "binary", "multiclass")

# Task detection: a numeric target of whole numbers is read as class labels
# when it has two values, or at most this many values and few compared with
# the rows (see detect_task).
MAX_INTEGER_CLASSES = 10
INTEGER_CLASS_SHARE = 0.05

# More classes than this is almost surely not a class label (an id, a name…).
MAX_CLASSES = 100


def detect_task(column_info):
    """The kind of model a target column calls for: "regression", "binary" or "multiclass".

    * categorical: "binary" with 2 classes, "multiclass" with more;
    * numeric, all whole numbers, with 2 distinct values: "binary" (0/1, 1/2…);
    * numeric, all whole numbers, with at most 10 distinct values that are
      also at most 5% of the rows (20 or more rows per value on average, as
      class labels have; a count or a score on few rows is more likely a
      quantity): "multiclass";
    * any other numeric column: "regression".

    Raises DataError when the column is empty, has one value (one class:
    nothing to learn), or is text with more than MAX_CLASSES distinct values
    (an id or a name, not a class label).
    """
    return explain_task(column_info)[0]


def explain_task(column_info):
    """``detect_task``'s answer and the reason for it, in words for the user: (task, reason)."""
    info = column_info
    if info.kind == "empty":
        raise DataError(f"the target {info.name!r} has no values; choose another column as the target")
    if info.n_distinct == 1:
        if info.categories:
            raise DataError(
                f"the target {info.name!r} has only one class, {info.categories[0]!r}; "
                "choose another column or add rows of other classes"
            )
        raise DataError(
            f"the target {info.name!r} holds the same number in every row, so there is nothing to learn; "
            "choose another column or add rows with other values"
        )
    n = info.n_distinct
    if info.kind == "categorical":
        if n > MAX_CLASSES:
            raise DataError(
                f"the target {info.name!r} holds text with {n} different values, too many to be classes "
                f"(at most {MAX_CLASSES}); choose a column of class labels or numbers as the target"
            )
        return ("binary" if n == 2 else "multiclass"), f"it holds text with {n} different values, each a class"
    if info.all_integers:
        if n == 2:
            return "binary", "it holds whole numbers with 2 different values, read as two classes"
        if n <= MAX_INTEGER_CLASSES and n <= INTEGER_CLASS_SHARE * info.n_values:
            return "multiclass", (
                f"it holds whole numbers with only {n} different values over {info.n_values} rows, read as class labels"
            )
        if n > MAX_INTEGER_CLASSES:
            return "regression", (
                f"it holds whole numbers with {n} different values, more than the {MAX_INTEGER_CLASSES} "
                "that would be read as class labels"
            )
        return "regression", (
            f"it holds whole numbers with {n} different values over only {info.n_values} rows: class labels would "
            f"have {round(1 / INTEGER_CLASS_SHARE)} or more rows per value, so it is read as a quantity"
        )
    return "regression", f"it holds numbers with {n} different values"


def resolve_task(task, column_info):
    """The task to train on the target described by ``column_info``.

    None: ``detect_task`` decides. "classification": "binary" with 2 distinct
    values, else "multiclass". "regression", "binary", "multiclass": as asked,
    if the target can serve it. Raises DataError for an empty or one-value
    target, regression on text, binary on other than 2 classes, or more than
    MAX_CLASSES classes; ConfigError for an unknown task.
    """
    if task is None:
        return detect_task(column_info)
    if task not in TASKS + ("classification",):
        raise ConfigError(f"task {task!r} is not one of {', '.join(TASKS)}, classification; choose one of them")
    info = column_info
    if info.kind == "empty" or info.n_distinct < 2:
        detect_task(info)  # raises the message for an empty or one-class target
    if task == "regression":
        if info.kind == "categorical":
            raise DataError(
                f"the target {info.name!r} holds text (such as {info.categories[0]!r}), so it cannot be predicted "
                "as a number; choose classification, or a numeric target column"
            )
        return task
    if info.n_distinct > MAX_CLASSES:
        raise DataError(
            f"the target {info.name!r} has {info.n_distinct} different values, too many to be classes "
            f"(at most {MAX_CLASSES}); " + ("predict it as a number (regression) instead" if info.kind == "numeric" else "choose a column of class labels")
        )
    if task == "classification":
        return "binary" if info.n_distinct == 2 else "multiclass"
    if task == "binary" and info.n_distinct != 2:
        raise DataError(
            f"the target {info.name!r} has {info.n_distinct} classes, not 2; choose multi-class classification (task multiclass) instead of binary"
        )
    return task
