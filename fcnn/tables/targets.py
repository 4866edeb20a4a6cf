"""The target column ↔ what the network is trained on.

``TargetEncoder.for_task(task, name)`` gives a ``RegressionTarget`` (numbers,
scaled) or a ``ClassTarget`` (labels ↔ class indexes). Both read a typed
``Column`` (``fit_column``, ``encode_column``, rows given by index), or any
values (``fit``, ``encode``: cells or numbers, typed on the spot). Missing
values are refused: rows without a target are dropped before encoding, never
filled in (``prepare`` does that). Fitted encoders save to a dict and load back.
"""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError, DataError
from .cells import canonical_number, parse_number, preview, sort_labels
from .columns import Column
from .saved import FORMAT_VERSION, check_saved_header, finite_number, invalid
from .scalers import TargetScaler, refuse_huge
from .task import MAX_CLASSES, TASKS


def _all_rows(column):
    return np.arange(column.n, dtype=np.int64)


class TargetEncoder:
    """The target column ↔ what the network is trained on.

    ``TargetEncoder.for_task(task, name="target")`` gives a
    ``RegressionTarget`` for "regression" and a ``ClassTarget`` for "binary"
    and "multiclass". Both have ``task``, ``name``, ``fit(values,
    line_numbers=None)``, ``encode(values, line_numbers=None)``,
    ``fit_column(column, rows)``, ``encode_column(column, rows)``,
    ``decode(outputs)``, ``to_dict()``; ``TargetEncoder.from_dict(d)`` loads
    either. Values are cells as in Table.rows (or numbers).
    """

    task = None

    def __init__(self, name="target"):
        self.name = str(name)

    @staticmethod
    def for_task(task, name="target"):
        if task == "regression":
            return RegressionTarget(name)
        if task in ("binary", "multiclass"):
            return ClassTarget(task, name)
        raise ConfigError(f"task {task!r} is not one of {', '.join(TASKS)}; choose one of them")

    @staticmethod
    def from_dict(saved):
        """A fitted encoder from ``to_dict()``'s output; DataError if it is malformed."""
        thing = "target encoder"
        check_saved_header(saved, "fcnn.TargetEncoder", thing)
        name = saved.get("name")
        if not isinstance(name, str):
            raise invalid("'name' is not text", thing)
        task = saved.get("task")
        if task == "regression":
            return RegressionTarget.loaded(name, saved, thing)
        if task in ("binary", "multiclass"):
            return ClassTarget.loaded(task, name, saved, thing)
        raise invalid(f"'task' is {task!r}, not one of {', '.join(TASKS)}", thing)

    def fit(self, values, line_numbers=None):
        column = Column.of_values(self.name, values, line_numbers)
        return self.fit_column(column, _all_rows(column))

    def encode(self, values, line_numbers=None):
        column = Column.of_values(self.name, values, line_numbers)
        return self.encode_column(column, _all_rows(column))

    def _refuse_missing(self, column, rows):
        missing = column.missing[rows]
        if missing.any():
            k = int(rows[int(np.argmax(missing))])
            raise DataError(
                f"the target {self.name!r} has no value {column.where(k)}; "
                "leave rows without a target out (prepare() does)"
            )

    def _header(self):
        return {"format": "fcnn.TargetEncoder", "version": FORMAT_VERSION, "task": self.task, "name": self.name}


class RegressionTarget(TargetEncoder):
    """A numeric target, trained on as y' = 10 · (y − mean) / std (``TargetScaler``,
    fitted on the training rows)."""

    task = "regression"

    def __init__(self, name="target"):
        super().__init__(name)
        self.scaler = None

    @classmethod
    def loaded(cls, name, saved, thing):
        mean, scale = saved.get("mean"), saved.get("scale")
        if not finite_number(mean) or not finite_number(scale) or scale <= 0:
            raise invalid("a regression target needs a finite 'mean' and a 'scale' above 0", thing)
        encoder = cls(name)
        encoder.scaler = TargetScaler()
        encoder.scaler.mean_ = np.float64(mean)
        encoder.scaler.scale_ = np.float64(scale)
        return encoder

    def values(self, values, line_numbers=None):
        """The target cells as floats in the target's units, shape (n,)."""
        column = Column.of_values(self.name, values, line_numbers)
        return self.column_values(column, _all_rows(column))

    def column_values(self, column, rows):
        """The rows ``rows`` of ``column`` as floats in the target's units, shape (n,)."""
        self._refuse_missing(column, rows)
        numbers = column.numbers[rows]
        text = np.isnan(numbers)  # not missing (refused above): text, or not a finite number
        if text.any():
            k = int(rows[int(np.argmax(text))])
            raise DataError(
                f"the target {self.name!r} holds {preview(column.cells[k])} {column.where(k)}, which is not a number; "
                "a regression target needs a number in every row: fix the cell, or predict classes instead"
            )
        refuse_huge(f"the target {self.name!r}", numbers, lambda k: column.where(int(rows[k])))
        return numbers

    def fit_column(self, column, rows):
        self.scaler = TargetScaler().fit(self.column_values(column, rows))
        return self

    def _require_fit(self):
        if self.scaler is None:
            raise RuntimeError("the target encoder is not fitted yet; call fit(values) first")

    def encode_column(self, column, rows):
        """The rows ``rows`` of ``column`` → scaled floats, shape (n, 1) (a column, as the network's labels)."""
        self._require_fit()
        return self.scaler.transform(self.column_values(column, rows))[:, None]

    def decode(self, outputs):
        """Network outputs, shape (n,) or (n, 1) → predictions in the target's units, shape (n,)."""
        self._require_fit()
        outputs = np.asarray(outputs, dtype=float)
        if outputs.ndim == 2 and outputs.shape[1] == 1:
            outputs = outputs[:, 0]
        if outputs.ndim != 1:
            raise ValueError(f"regression outputs must have shape (n,) or (n, 1), not {outputs.shape}")
        return self.scaler.inverse_transform(outputs)

    def to_dict(self):
        self._require_fit()
        return {**self._header(), "mean": float(self.scaler.mean_), "scale": float(self.scaler.scale_)}


class ClassTarget(TargetEncoder):
    """Class labels ↔ indexes 0…k−1.

    ``classes``: the labels in index order, sorted by ``label_sort_key``
    ("2" before "10"). When every label is a number (``numeric_labels``), labels
    are written canonically ("1.0" and "1" are one class, "1"), so a number
    passed for a "what if" matches the label read from the CSV.
    For "binary" the positive class (index 1) is the second: "1" of 0/1,
    "yes" of no/yes.
    """

    def __init__(self, task, name="target"):
        super().__init__(name)
        self.task = task
        self.classes = None
        self.numeric_labels = None
        self._index = None

    @classmethod
    def loaded(cls, task, name, saved, thing):
        classes = saved.get("classes")
        if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes):
            raise invalid("'classes' is not a list of class names", thing)
        if len(set(classes)) != len(classes) or len(classes) < 2 or (task == "binary" and len(classes) != 2):
            raise invalid(f"'classes' must be distinct and {'2' if task == 'binary' else 'at least 2'} for {task}", thing)
        numeric = saved.get("numeric_labels")
        if not isinstance(numeric, bool):
            raise invalid("'numeric_labels' is not true or false", thing)
        encoder = cls(task, name)
        encoder.classes, encoder.numeric_labels = list(classes), numeric
        encoder._index = {label: k for k, label in enumerate(classes)}
        return encoder

    @property
    def n_classes(self):
        self._require_fit()
        return len(self.classes)

    def _require_fit(self):
        if self.classes is None:
            raise RuntimeError("the target encoder is not fitted yet; call fit(values) first")

    @staticmethod
    def _class_labels(labels, numeric):
        """The class label of each label; with numeric labels, numbers in canonical form."""
        return list(map(canonical_number, labels)) if numeric else list(labels)

    def fit_column(self, column, rows):
        """Learn the classes from the rows ``rows`` of ``column`` (all rows that have a target)."""
        self._refuse_missing(column, rows)
        labels = [column.labels[code] for code in np.unique(column.codes[rows]).tolist()]
        numeric = bool(labels) and all(parse_number(label) is not None for label in labels)
        classes = sort_labels(self._class_labels(labels, numeric))
        if len(classes) < 2:
            only = f", {classes[0]!r}" if classes else ""
            raise DataError(
                f"the target {self.name!r} has only one class{only}; choose another column or add rows of other classes"
            )
        if len(classes) > MAX_CLASSES:
            raise DataError(
                f"the target {self.name!r} has {len(classes)} different values, too many to be classes "
                f"(at most {MAX_CLASSES}); choose a column of class labels, or predict a number (regression)"
            )
        if self.task == "binary" and len(classes) != 2:
            raise DataError(
                f"the target {self.name!r} has {len(classes)} classes ({', '.join(classes[:10])}"
                f"{', …' if len(classes) > 10 else ''}), not 2; choose multi-class classification (task multiclass) instead of binary"
            )
        self.classes, self.numeric_labels = classes, numeric
        self._index = {label: k for k, label in enumerate(classes)}
        return self

    def encode_column(self, column, rows):
        """The rows ``rows`` of ``column`` → class indexes, int64 shape (n,). An unknown label raises DataError."""
        self._require_fit()
        self._refuse_missing(column, rows)
        class_labels = self._class_labels(column.labels, self.numeric_labels)
        index_of_code = np.array([self._index.get(label, -1) for label in class_labels] + [-1], dtype=np.int64)
        codes = column.codes[rows]
        indexes = index_of_code[codes]
        if (indexes < 0).any():
            k = int(np.argmax(indexes < 0))
            known = ", ".join(map(repr, self.classes[:10])) + (", …" if len(self.classes) > 10 else "")
            raise DataError(
                f"the target {self.name!r} holds {preview(class_labels[codes[k]])} {column.where(int(rows[k]))}, "
                f"which is not one of the classes the model knows ({known}); remove the row or train on data that "
                "has this class"
            )
        return indexes

    def decode(self, indexes):
        """Class indexes → labels (a list of str)."""
        self._require_fit()
        indexes = np.asarray(indexes).ravel()
        if indexes.size and (indexes.min() < 0 or indexes.max() >= len(self.classes) or not np.all(indexes == np.round(indexes))):
            raise ValueError(f"class indexes must be whole numbers from 0 to {len(self.classes) - 1}")
        return [self.classes[int(k)] for k in indexes]

    def to_dict(self):
        self._require_fit()
        return {**self._header(), "classes": list(self.classes), "numeric_labels": self.numeric_labels}
