"""From table cells to network inputs and targets, fitted on the training rows only.

* ``FeaturePipeline`` fills missing cells (median / most frequent value),
  one-hot encodes text columns and scales numeric ones;
* ``TargetEncoder`` turns the target into scaled numbers (regression) or
  class indexes (classification), and back;
* ``stratified_split`` splits rows so that every class is on both sides;
* ``prepare`` does all of it for a table and a target.

Every statistic (median, mean, spread, categories, most frequent value) is
computed from the training rows alone, so nothing about the test rows leaks
into the inputs the network is trained on, and the test score is honest.
The one exception is the list of target classes, which is read from all
rows: it is the vocabulary of the answer, not a statistic, and a class seen
only in the test rows must still have an index.

Fitted pipelines and encoders save to plain JSON-ready dicts (``to_dict``)
and load back (``from_dict``) giving exactly the same transforms.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .data import (
    MAX_CLASSES,
    TASKS,
    TargetScaler,
    _lines_preview,
    _plural,
    _preview,
    detect_task,
    infer_columns,
    is_missing,
    label_sort_key,
    parse_number,
    sort_labels,
    train_test_split,
)
from ..errors import ConfigError, DataError

SCALINGS = ("standard", "minmax", "none")
MISSING_POLICIES = ("impute", "drop")
# A text column with more values than this would add as many network inputs;
# it is more likely an id or free text than a category.
MAX_CATEGORIES = 100
FORMAT_VERSION = 1
# Numbers beyond this cannot be trained on: their squares (in the spread that
# scales them, in the loss) overflow float64, whose largest value is about 1.8e308.
MAX_MAGNITUDE = 1e150


def _where(index, line_numbers):
    if line_numbers is not None:
        return f"on line {line_numbers[index]}"
    return f"in row {index + 1}"


def _number_text(value):
    """A float as a label: "3" for 3.0, "2.5" for 2.5."""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _label_text(value):
    """A cell as a category or class label (text stripped; numbers as written by _number_text)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return _number_text(float(value))
    return str(value)


def _canonical_number(label):
    """A numeric label in canonical form ("1.0" → "1"); other text as it is."""
    number = parse_number(label)
    return label if number is None else _number_text(number)


# A target has a cell per row (100,000 in a big file) but few distinct values:
# the encoders decide on arrays or on the distinct values with these, and get
# what a loop over every cell gives.


def _map_distinct(function, values):
    """``[function(v) for v in values]``, calling ``function`` once per distinct value.

    Only for text or floats, where values that compare equal give equal
    results (1 == True, but "1" and "True" are different labels).
    """
    kinds = set(map(type, values))
    if kinds <= {str} or kinds <= {float, np.float64}:
        results = {value: function(value) for value in set(values)}
        return list(map(results.__getitem__, values))
    return [function(value) for value in values]


def _any_missing(values):
    """Whether any of ``values`` is_missing, each distinct value checked once."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        return bool(np.isnan(values).any())
    try:
        distinct = set(values)
    except TypeError:  # an unhashable value: look at every one
        distinct = values
    return any(is_missing(value) for value in distinct)


def _finite_numbers(values):
    """``values`` as a float array when all are finite numbers, given as floats
    or as number text (the same float() parse as parse_number); None otherwise,
    and the caller's loop says what is wrong and where."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        numbers = values.astype(float)
    elif isinstance(values, list) and values and set(map(type, values)) == {str}:
        try:
            numbers = np.array(values, dtype=float)
        except ValueError:
            return None
    else:
        return None
    return numbers if np.isfinite(numbers).all() else None


def _refuse_huge(what, numbers, where):
    """DataError when a number in ``numbers`` is beyond ±MAX_MAGNITUDE; ``what`` names the
    column ("column 'a'", "the target 'y'"), ``where(k)`` says where the k-th number is."""
    huge = np.abs(numbers) > MAX_MAGNITUDE  # NaN (a missing cell) compares False
    if huge.any():
        k = int(np.argmax(huge))
        raise DataError(
            f"{what} holds {numbers[k]:g} {where(k)}, too large to compute with: fcnn takes numbers "
            f"between -{MAX_MAGNITUDE:g} and {MAX_MAGNITUDE:g}; divide the column by a power of ten, "
            "or fix the cell"
        )


def left_out_by_default(infos):
    """{name: why} for the columns that are not features unless chosen: text columns with
    more than MAX_CATEGORIES values, most likely an id or free text, not a category."""
    return {
        info.name: f"column {info.name!r} holds {info.n_distinct} different text values, too many to be categories"
        for info in infos
        if info.kind == "categorical" and info.n_distinct > MAX_CATEGORIES
    }


def _agree(count, one, many):
    """The verb or pronoun that agrees with ``count``: _agree(1, "has", "have") == "has"."""
    return one if count == 1 else many


def _invalid(what, thing):
    return DataError(f"the saved {thing} is not valid: {what}; train the model again and save it anew")


# ---------------------------------------------------------------------------
# features


@dataclass
class _NumericColumn:
    """x' = (x − offset) / scale, a missing x taken as ``fill`` (the training median)."""

    name: str
    fill: float
    offset: float
    scale: float

    kind = "numeric"

    @property
    def output_names(self):
        return [self.name]

    def to_dict(self):
        return {"name": self.name, "kind": "numeric", "fill": self.fill, "offset": self.offset, "scale": self.scale}


@dataclass
class _CategoricalColumn:
    """One 0/1 output per training category; a missing cell counts as ``fill``
    (the most frequent training value); an unseen value gives all zeros."""

    name: str
    fill: str
    categories: list

    kind = "categorical"

    @property
    def output_names(self):
        return [f"{self.name}={category}" for category in self.categories]

    def to_dict(self):
        return {"name": self.name, "kind": "categorical", "fill": self.fill, "categories": list(self.categories)}


class FeaturePipeline:
    """Feature columns of a table → a float matrix for the network.

    FeaturePipeline(columns_info, feature_names, scaling="standard", missing="impute")

    columns_info: ``infer_columns(table)`` (only each column's ``kind`` is
        used: whether it holds numbers or text).
    feature_names: the columns to use, in the order of the inputs.
    scaling: numeric columns become (x − offset) / scale with
        "standard": offset = mean, scale = standard deviation (population, ddof 0);
        "minmax":   offset = min,  scale = max − min;
        "none":     offset = 0,    scale = 1;
        all from the training rows after filling missing cells. A column with no
        spread (one value) gets scale 1 instead of 0, so it maps to constant 0
        in "standard" and "minmax". One-hot outputs are not scaled.
    missing: "impute" fills a missing numeric cell with the training median
        and a missing text cell with the most frequent training value (a tie
        goes to the first in ``label_sort_key`` order); "drop" fits on the
        training rows that have every feature, and refuses missing cells at
        transform time (``prepare`` removes such rows before the split).

    Text columns are one-hot encoded: one output per category seen in the
    training rows, named ``column=value``, in ``label_sort_key`` order; a
    category not seen in training gives all zeros.

    A column with no values (kind "empty"), or none in the training rows, is
    left out, with a note. Outputs follow ``input_names``; ``output_names``
    names each output column.

    After ``fit``: ``input_names`` (the feature columns used), ``output_names``,
    ``n_outputs``, ``notes`` (sentences for the user) and ``report`` (a dict,
    see ``fit``).
    """

    def __init__(self, columns_info, feature_names, scaling="standard", missing="impute"):
        if scaling not in SCALINGS:
            raise ConfigError(f"scaling {scaling!r} is not one of {', '.join(SCALINGS)}; choose one of them")
        if missing not in MISSING_POLICIES:
            raise ConfigError(f"missing {missing!r} is not one of {', '.join(MISSING_POLICIES)}; choose one of them")
        self.scaling, self.missing = scaling, missing
        kinds = {info.name: info.kind for info in columns_info}
        self.feature_names = [str(name) for name in feature_names]
        if not self.feature_names:
            raise ConfigError("no feature columns are chosen; choose at least one column to predict from")
        repeated = [name for name, count in Counter(self.feature_names).items() if count > 1]
        if repeated:
            raise ConfigError(f"the feature {repeated[0]!r} is chosen twice; choose each column once")
        unknown = [name for name in self.feature_names if name not in kinds]
        if unknown:
            raise ConfigError(f"the data has no column named {unknown[0]!r}; choose features from: {', '.join(kinds)}")
        self._empty = [name for name in self.feature_names if kinds[name] == "empty"]
        self._init_notes = [f"column {name!r} has no values, so it is left out of the features" for name in self._empty]
        self.notes = list(self._init_notes)
        self._kinds = {name: kinds[name] for name in self.feature_names if kinds[name] != "empty"}
        if not self._kinds:
            raise DataError("every chosen feature column is empty; choose columns that hold values")
        self.input_names = list(self._kinds)
        self._columns = None
        self.report = {}

    # -- fitting ---------------------------------------------------------

    @property
    def fitted(self):
        return self._columns is not None

    def fit(self, table, row_indexes):
        """Learn fill values, categories and scaling from ``table.rows[i]`` for i in ``row_indexes``.

        Sets ``report``: {"scaling", "missing", "n_fit_rows" (rows the
        statistics come from), "dropped_rows" (training rows left out for a
        missing feature; "drop" only), "imputed_cells" ({column: missing cells
        in the training rows}, "impute" only, columns with none omitted),
        "fill_values" ({column: median or most frequent value}),
        "dropped_columns", "constant_columns" (one value in the training
        rows), "notes"}. Returns self.
        """
        row_indexes = np.asarray(row_indexes, dtype=np.int64).ravel()
        if not len(row_indexes):
            raise DataError("there are no training rows to fit the features on; add rows of data")
        positions = {name: table.column_index(name) for name in self._kinds}
        # numeric columns that Table.numbers parsed are read as arrays; the others cell by cell
        parsed = {name: self._kinds[name] == "numeric" and table.numbers(p)[1] for name, p in positions.items()}
        dropped_rows = 0
        if self.missing == "drop":
            gone = np.zeros(len(row_indexes), dtype=bool)
            for name, p in positions.items():
                if parsed[name]:
                    gone |= np.isnan(table.numbers(p)[0][row_indexes])
                else:
                    gone |= np.array([is_missing(table.rows[i][p]) for i in row_indexes.tolist()], dtype=bool)
            dropped_rows = int(gone.sum())
            row_indexes = row_indexes[~gone]
            if not len(row_indexes):
                raise DataError(
                    "every training row misses a value in some feature column; choose missing='impute' "
                    "or fewer feature columns"
                )
        rows = lines = None
        if not all(parsed.values()):
            rows = [table.rows[i] for i in row_indexes.tolist()]
            lines = [table.line_numbers[i] for i in row_indexes.tolist()]
        columns, imputed, dropped_columns, constant = [], {}, list(self._empty), []
        notes = list(self._init_notes)
        for name, position in positions.items():
            if parsed[name]:
                # the fast path: the column was parsed once, by Table.numbers
                numbers = table.numbers(position)[0][row_indexes]
                _refuse_huge(f"column {name!r}", numbers, lambda k: f"on line {table.line_numbers[int(row_indexes[k])]}")
                present_numbers = numbers[~np.isnan(numbers)]
                if not len(present_numbers):
                    dropped_columns.append(name)
                    notes.append(f"column {name!r} has no values in the training rows, so it is left out of the features")
                    continue
                if len(present_numbers) < len(numbers):
                    imputed[name] = len(numbers) - len(present_numbers)
                column = self._fit_numeric(name, present_numbers, len(numbers))
                if present_numbers.min() == present_numbers.max():
                    constant.append(name)
                columns.append(column)
                continue
            cells = [row[position] for row in rows]
            present = [k for k, cell in enumerate(cells) if not is_missing(cell)]
            if not present:
                dropped_columns.append(name)
                notes.append(f"column {name!r} has no values in the training rows, so it is left out of the features")
                continue
            if len(present) < len(cells):
                imputed[name] = len(cells) - len(present)
            if self._kinds[name] == "numeric":
                numbers = [self._number(cells[k], name, k, lines) for k in present]
                _refuse_huge(f"column {name!r}", np.array(numbers), lambda j: _where(present[j], lines))
                column = self._fit_numeric(name, numbers, len(cells))
                if min(numbers) == max(numbers):
                    constant.append(name)
            else:
                labels = [_label_text(cells[k]) for k in present]
                column = self._fit_categorical(name, labels)
                if len(column.categories) == 1:
                    constant.append(name)
            columns.append(column)
        if not columns:
            raise DataError("no chosen feature column has values in the training rows; choose other feature columns")
        if constant:
            notes.append(
                f"{_plural(len(constant), 'column')} ({', '.join(map(repr, constant))}) "
                f"{_agree(len(constant), 'holds', 'hold')} one value in the training rows and "
                f"{_agree(len(constant), 'tells', 'tell')} the network nothing"
            )
        self._columns = columns
        self.input_names = [column.name for column in columns]
        self.notes = notes
        self.report = {
            "scaling": self.scaling,
            "missing": self.missing,
            "n_fit_rows": len(row_indexes),
            "dropped_rows": dropped_rows,
            "imputed_cells": imputed if self.missing == "impute" else {},
            "fill_values": {column.name: column.fill for column in columns},
            "dropped_columns": dropped_columns,
            "constant_columns": constant,
            "notes": list(notes),
        }
        return self

    def _fit_numeric(self, name, numbers, n_cells):
        values = np.asarray(numbers, dtype=float)
        fill = float(np.median(values))
        # the spread is measured on what the network will see: filled-in cells included
        filled = np.concatenate([values, np.full(n_cells - len(values), fill)])
        if self.scaling == "standard":
            offset, spread = float(filled.mean()), float(filled.std())
        elif self.scaling == "minmax":
            offset, spread = float(filled.min()), float(filled.max() - filled.min())
        else:
            offset, spread = 0.0, 1.0
        # zero spread (a constant column) would divide by zero: divide by 1
        scale = spread if spread > 0 and math.isfinite(spread) else 1.0
        return _NumericColumn(name, fill, offset, scale)

    def _fit_categorical(self, name, labels):
        counts = Counter(labels)
        categories = sorted(counts, key=label_sort_key)
        if len(categories) > MAX_CATEGORIES:
            raise DataError(
                f"column {name!r} holds {len(categories)} different text values in the training rows, too many "
                f"to encode (at most {MAX_CATEGORIES}); it looks like an id or free text, so leave it out of the features"
            )
        most = max(counts.values())
        fill = next(category for category in categories if counts[category] == most)
        return _CategoricalColumn(name, fill, categories)

    # -- transforming ----------------------------------------------------

    @property
    def output_names(self):
        """Names of the output columns: a numeric column's name, or ``column=value`` per category."""
        self._require_fit()
        return [name for column in self._columns for name in column.output_names]

    @property
    def n_outputs(self):
        return len(self.output_names)

    def _require_fit(self):
        if self._columns is None:
            raise RuntimeError("the feature pipeline is not fitted yet; call fit(table, row_indexes) first")

    def transform_table(self, table, row_indexes=None):
        """The rows ``row_indexes`` of ``table`` (all rows when None) as an n × n_outputs matrix.

        Errors name the line of the file.
        """
        if row_indexes is None:
            row_indexes = np.arange(table.n_rows)
        elif not isinstance(row_indexes, np.ndarray):
            row_indexes = list(row_indexes)
        row_indexes = np.asarray(row_indexes, dtype=np.int64).ravel()
        fast = self._transform_numeric_table(table, row_indexes)
        if fast is not None:
            return fast
        row_indexes = row_indexes.tolist()
        return self.transform_rows(
            [table.rows[i] for i in row_indexes],
            columns=table.columns,
            line_numbers=[table.line_numbers[i] for i in row_indexes],
        )

    def _transform_numeric_table(self, table, row_indexes):
        """transform_table's fast path: every input numeric and parsed once by
        Table.numbers, so the matrix is built column by column in numpy.
        None when it does not apply; the general path then gives the messages."""
        self._require_fit()
        positions = {name: i for i, name in enumerate(table.columns)}
        if any(column.kind != "numeric" or column.name not in positions for column in self._columns):
            return None
        out = np.empty((len(row_indexes), self.n_outputs))
        for j, column in enumerate(self._columns):
            values, numeric = table.numbers(positions[column.name])
            if not numeric:
                return None
            picked = values[row_indexes]
            _refuse_huge(f"column {column.name!r}", picked,
                         lambda k: f"on line {table.line_numbers[int(row_indexes[k])]}")
            holes = np.isnan(picked)
            if holes.any():
                if self.missing == "drop":
                    return None
                picked[holes] = column.fill
            np.subtract(picked, column.offset, out=picked)
            np.divide(picked, column.scale, out=out[:, j])
        return out

    def transform_rows(self, rows, columns=None, line_numbers=None):
        """Rows of cells → an n × n_outputs float matrix.

        rows: each row is one of
            * a mapping {column name: cell}; a name it lacks counts as missing;
            * a sequence laid out as ``columns`` (e.g. ``Table.rows`` with
              ``columns=table.columns``);
            * a sequence of one cell per ``input_names`` when ``columns`` is None.
        A cell is text as read from a CSV ("3.5", "red", "", "NA"), a number
        (3.5, for a "what if" prediction) or None / NaN (missing).
        line_numbers: the file line of each row, for messages (else "row k").

        Missing cells are filled as fitted ("impute"), or refused ("drop").
        A text cell in a numeric column raises DataError naming the column
        and value; an unseen category gives all zeros.
        """
        self._require_fit()
        rows = list(rows)
        if columns is not None:
            columns = list(columns)
            absent = [column.name for column in self._columns if column.name not in columns]
            if absent:
                raise DataError(
                    f"the data has no column {absent[0]!r}, which the model takes as an input; "
                    "load data with the same columns as the training data"
                )
        out = np.zeros((len(rows), self.n_outputs))
        cells_of = self._column_cells(rows, columns)
        start = 0
        for column in self._columns:
            cells = cells_of[column.name]
            if column.kind == "numeric":
                values = np.empty(len(rows))
                for k, cell in enumerate(cells):
                    number = parse_number(cell)
                    if number is None:
                        if not is_missing(cell):
                            self._number(cell, column.name, k, line_numbers)  # raises, naming the cell
                        self._refuse_missing(column.name, k, line_numbers)
                        number = column.fill
                    values[k] = number
                _refuse_huge(f"column {column.name!r}", values, lambda k: _where(k, line_numbers))
                out[:, start] = (values - column.offset) / column.scale
                start += 1
            else:
                slot = {category: j for j, category in enumerate(column.categories)}
                for k, cell in enumerate(cells):
                    if is_missing(cell):
                        self._refuse_missing(column.name, k, line_numbers)
                        label = column.fill
                    else:
                        label = _label_text(cell)
                    j = slot.get(label)
                    if j is not None:  # an unseen category leaves all its outputs at 0
                        out[k, start + j] = 1.0
                start += len(column.categories)
        return out

    def count_missing_in_table(self, table, row_indexes):
        """``count_missing`` of the rows ``row_indexes`` of ``table``, from its cached
        missing-cell masks (``Table.missing``) rather than cell by cell."""
        self._require_fit()
        row_indexes = np.asarray(row_indexes, dtype=np.int64).ravel()
        counts = {}
        for column in self._columns:
            n = int(np.count_nonzero(table.missing(table.column_index(column.name))[row_indexes]))
            if n:
                counts[column.name] = n
        return counts

    def count_missing(self, rows, columns=None):
        """{column: missing cells} over ``rows`` (laid out as in transform_rows), for columns with any."""
        self._require_fit()
        if columns is not None:
            columns = list(columns)
        counts = {}
        for name, cells in self._column_cells(list(rows), columns).items():
            n = sum(1 for cell in cells if is_missing(cell))
            if n:
                counts[name] = n
        return counts

    def _column_cells(self, rows, columns):
        """{input name: its cell in each row} for rows laid out as transform_rows describes."""
        layout = columns if columns is not None else self.input_names
        where = {name: i for i, name in enumerate(layout)}
        positions = {column.name: where[column.name] for column in self._columns}
        cells = {name: [] for name in positions}
        for k, row in enumerate(rows):
            if isinstance(row, Mapping):
                for name in positions:
                    cells[name].append(row.get(name))
                continue
            if len(row) != len(layout):
                if columns is None:
                    raise DataError(
                        f"row {k + 1} has {_plural(len(row), 'value')} but the model takes "
                        f"{_plural(len(layout), 'input')} ({', '.join(layout)}); give one value per input"
                    )
                raise DataError(
                    f"row {k + 1} has {_plural(len(row), 'value')} but there are {_plural(len(layout), 'column')}; "
                    "give one value per column"
                )
            for name, position in positions.items():
                cells[name].append(row[position])
        return cells

    def _number(self, cell, name, k, line_numbers):
        number = parse_number(cell)
        if number is None:
            if isinstance(cell, str):
                what = f"the text {_preview(cell.strip())}"
            elif isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, (bool, np.bool_)):
                what = f"{cell!r}, which is not a finite number"
            else:
                what = f"the value {_preview(cell)}"
            raise DataError(
                f"column {name!r} holds {what} {_where(k, line_numbers)}, but it is a numeric column; "
                "write a number there, or leave the cell empty to mark it missing"
            )
        return number

    def _refuse_missing(self, name, k, line_numbers):
        if self.missing == "drop":
            raise DataError(
                f"column {name!r} has no value {_where(k, line_numbers)}; this model was trained with "
                "missing='drop', so every feature needs a value: fill it in"
            )

    # -- saving ----------------------------------------------------------

    def to_dict(self):
        """The fitted pipeline as a dict of str, float, list and dict only (ready for json.dumps)."""
        self._require_fit()
        return {
            "format": "fcnn.FeaturePipeline",
            "version": FORMAT_VERSION,
            "scaling": self.scaling,
            "missing": self.missing,
            "feature_names": list(self.feature_names),
            "columns": [column.to_dict() for column in self._columns],
        }

    @classmethod
    def from_dict(cls, saved):
        """A fitted pipeline from ``to_dict()``'s output; DataError saying what is wrong if it is malformed.

        ``report`` and ``notes`` describe the training data and are not saved.
        """
        thing = "feature pipeline"
        _check_saved_header(saved, "fcnn.FeaturePipeline", thing)
        scaling, missing = saved.get("scaling"), saved.get("missing")
        if scaling not in SCALINGS:
            raise _invalid(f"'scaling' is {scaling!r}, not one of {', '.join(SCALINGS)}", thing)
        if missing not in MISSING_POLICIES:
            raise _invalid(f"'missing' is {missing!r}, not one of {', '.join(MISSING_POLICIES)}", thing)
        feature_names = saved.get("feature_names")
        if not isinstance(feature_names, list) or not all(isinstance(n, str) for n in feature_names):
            raise _invalid("'feature_names' is not a list of names", thing)
        entries = saved.get("columns")
        if not isinstance(entries, list) or not entries:
            raise _invalid("'columns' is not a non-empty list", thing)
        columns = [_column_from_dict(entry, k, thing) for k, entry in enumerate(entries)]
        names = [column.name for column in columns]
        if len(set(names)) != len(names):
            raise _invalid("a column appears twice in 'columns'", thing)
        if not set(names) <= set(feature_names):
            raise _invalid("'columns' names a column that is not in 'feature_names'", thing)
        pipeline = cls.__new__(cls)
        pipeline.scaling, pipeline.missing = scaling, missing
        pipeline.feature_names = list(feature_names)
        pipeline._kinds = {column.name: column.kind for column in columns}
        pipeline._empty, pipeline._init_notes = [], []
        pipeline._columns = columns
        pipeline.input_names = names
        pipeline.notes, pipeline.report = [], {}
        return pipeline


def _check_saved_header(saved, expected_format, thing):
    """The checks every saved part starts with: a dict, of the right format and version."""
    if not isinstance(saved, Mapping):
        raise _invalid(f"it is a {type(saved).__name__}, not a dict", thing)
    if saved.get("format") != expected_format:
        raise _invalid(f"its 'format' is not {expected_format!r}", thing)
    if saved.get("version") != FORMAT_VERSION:
        raise _invalid(f"its version is {saved.get('version')!r}, this fcnn reads version {FORMAT_VERSION}", thing)


def _finite_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _column_from_dict(entry, k, thing):
    where = f"columns[{k}]"
    if not isinstance(entry, Mapping):
        raise _invalid(f"{where} is not a dict", thing)
    name, kind = entry.get("name"), entry.get("kind")
    if not isinstance(name, str) or not name:
        raise _invalid(f"{where} has no 'name'", thing)
    if kind == "numeric":
        for key in ("fill", "offset", "scale"):
            if not _finite_number(entry.get(key)):
                raise _invalid(f"{where} ({name!r}) needs a finite number '{key}'", thing)
        if entry["scale"] <= 0:
            raise _invalid(f"{where} ({name!r}) has 'scale' {entry['scale']!r}; it must be above 0", thing)
        return _NumericColumn(name, float(entry["fill"]), float(entry["offset"]), float(entry["scale"]))
    if kind == "categorical":
        categories = entry.get("categories")
        if not isinstance(categories, list) or not categories or not all(isinstance(c, str) for c in categories):
            raise _invalid(f"{where} ({name!r}) needs 'categories', a non-empty list of text", thing)
        if len(set(categories)) != len(categories):
            raise _invalid(f"{where} ({name!r}) lists a category twice", thing)
        if entry.get("fill") not in categories:
            raise _invalid(f"{where} ({name!r}) has a 'fill' that is not one of its categories", thing)
        return _CategoricalColumn(name, entry["fill"], list(categories))
    raise _invalid(f"{where} has kind {kind!r}, not 'numeric' or 'categorical'", thing)


# ---------------------------------------------------------------------------
# target


class TargetEncoder:
    """The target column ↔ what the network is trained on.

    ``TargetEncoder.for_task(task, name="target")`` gives a
    ``RegressionTarget`` for "regression" and a ``ClassTarget`` for "binary"
    and "multiclass". Both have ``task``, ``name``, ``fit(values,
    line_numbers=None)``, ``encode(values, line_numbers=None)``,
    ``decode(outputs)``, ``to_dict()``; ``TargetEncoder.from_dict(d)`` loads
    either. Values are cells as in Table.rows (or numbers). Missing values
    are refused with DataError: rows without a target are dropped before
    encoding, never filled in (``prepare`` does that).
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
        _check_saved_header(saved, "fcnn.TargetEncoder", thing)
        name = saved.get("name")
        if not isinstance(name, str):
            raise _invalid("'name' is not text", thing)
        task = saved.get("task")
        if task == "regression":
            mean, scale = saved.get("mean"), saved.get("scale")
            if not _finite_number(mean) or not _finite_number(scale) or scale <= 0:
                raise _invalid("a regression target needs a finite 'mean' and a 'scale' above 0", thing)
            encoder = RegressionTarget(name)
            encoder.scaler = TargetScaler()
            encoder.scaler.mean_ = np.float64(mean)
            encoder.scaler.scale_ = np.float64(scale)
            return encoder
        if task in ("binary", "multiclass"):
            classes = saved.get("classes")
            if not isinstance(classes, list) or not all(isinstance(c, str) for c in classes):
                raise _invalid("'classes' is not a list of class names", thing)
            if len(set(classes)) != len(classes) or len(classes) < 2 or (task == "binary" and len(classes) != 2):
                raise _invalid(f"'classes' must be distinct and {'2' if task == 'binary' else 'at least 2'} for {task}", thing)
            numeric = saved.get("numeric_labels")
            if not isinstance(numeric, bool):
                raise _invalid("'numeric_labels' is not true or false", thing)
            encoder = ClassTarget(task, name)
            encoder.classes, encoder.numeric_labels = list(classes), numeric
            encoder._index = {label: k for k, label in enumerate(classes)}
            return encoder
        raise _invalid(f"'task' is {task!r}, not one of {', '.join(TASKS)}", thing)

    def _refuse_missing(self, values, line_numbers):
        if not _any_missing(values):  # the common case, decided on the distinct values
            return
        for k, value in enumerate(values):
            if is_missing(value):
                raise DataError(
                    f"the target {self.name!r} has no value {_where(k, line_numbers)}; "
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

    def values(self, values, line_numbers=None):
        """The target cells as floats in the target's units, shape (n,)."""
        numbers = _finite_numbers(values)
        if numbers is not None:
            _refuse_huge(f"the target {self.name!r}", numbers, lambda k: _where(k, line_numbers))
            return numbers
        values = list(values)
        self._refuse_missing(values, line_numbers)
        out = np.empty(len(values))
        for k, value in enumerate(values):
            number = parse_number(value)
            if number is None:
                raise DataError(
                    f"the target {self.name!r} holds {_preview(value)} {_where(k, line_numbers)}, which is not a number; "
                    "a regression target needs a number in every row: fix the cell, or predict classes instead"
                )
            out[k] = number
        _refuse_huge(f"the target {self.name!r}", out, lambda k: _where(k, line_numbers))
        return out

    def fit(self, values, line_numbers=None):
        self.scaler = TargetScaler().fit(self.values(values, line_numbers))
        return self

    def _require_fit(self):
        if self.scaler is None:
            raise RuntimeError("the target encoder is not fitted yet; call fit(values) first")

    def encode(self, values, line_numbers=None):
        """Target cells → scaled floats, shape (n, 1) (a column, as the network's labels)."""
        self._require_fit()
        return self.scaler.transform(self.values(values, line_numbers))[:, None]

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

    @property
    def n_classes(self):
        self._require_fit()
        return len(self.classes)

    def _require_fit(self):
        if self.classes is None:
            raise RuntimeError("the target encoder is not fitted yet; call fit(values) first")

    @staticmethod
    def _labels(values, numeric):
        """The labels of ``values``; with numeric labels, numbers in canonical form."""
        labels = _map_distinct(_label_text, values)
        if not numeric:
            return labels
        return _map_distinct(_canonical_number, labels)

    def fit(self, values, line_numbers=None):
        """Learn the classes from ``values`` (all rows that have a target; see the module docstring)."""
        values = list(values)
        self._refuse_missing(values, line_numbers)
        labels = _map_distinct(_label_text, values)
        numeric = bool(labels) and all(parse_number(label) is not None for label in set(labels))
        classes = sort_labels(self._labels(labels, numeric))
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

    def encode(self, values, line_numbers=None):
        """Labels → class indexes, int64 shape (n,). An unknown label raises DataError."""
        self._require_fit()
        values = list(values)
        self._refuse_missing(values, line_numbers)
        labels = self._labels(values, self.numeric_labels)
        indexes = list(map(self._index.get, labels))
        if None in indexes:
            k = indexes.index(None)
            known = ", ".join(map(repr, self.classes[:10])) + (", …" if len(self.classes) > 10 else "")
            raise DataError(
                f"the target {self.name!r} holds {_preview(labels[k])} {_where(k, line_numbers)}, which is not one of "
                f"the classes the model knows ({known}); remove the row or train on data that has this class"
            )
        return np.array(indexes, dtype=np.int64)

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


# ---------------------------------------------------------------------------
# splitting


def stratified_split(class_indexes, test_fraction, rng):
    """Split positions 0…n−1 into (train, test) keeping each class's share on both sides.

    class_indexes: the class index of each row, shape (n,).
    test_fraction: the share of rows to test on, 0 < f < 1.
    rng: a numpy Generator; the same seed gives the same split.

    The test set has round(n·f) rows (at least 1, at most n − 1), as
    ``train_test_split``. Class c, with n_c rows, gets ⌊n_c·f⌋ of them, then
    the rows left over go one each to the classes with the largest
    remainders n_c·f − ⌊n_c·f⌋ (ties to the lower class index), within these
    bounds: a class with 2 or more rows keeps at least one row on each side;
    a class with one row is trained on (a row tested alone cannot be learned).
    Within a class, rows are picked by ``rng.permutation``, class by class in
    index order. Both arrays are sorted.

    Raises DataError when fewer than 2 rows are given or no class has 2 rows.
    """
    labels = np.asarray(class_indexes).ravel().astype(np.int64)
    n = labels.size
    if not 0 < float(test_fraction) < 1:
        raise ConfigError(f"test fraction {test_fraction} must be between 0 and 1, such as 0.3")
    if n < 2:
        raise DataError(f"the data has {_plural(n, 'row')}; at least 2 rows are needed to train and test")
    classes, counts = np.unique(labels, return_counts=True)
    if counts.max() < 2:
        raise DataError(
            "every class has a single row, so no class can be both trained and tested; add rows of each class"
        )
    low = np.where(counts >= 2, 1, 0)
    high = np.where(counts >= 2, counts - 1, 0)
    target = min(max(int(round(n * test_fraction)), int(low.sum())), int(high.sum()))
    ideal = counts * float(test_fraction)
    n_test = np.clip(np.floor(ideal).astype(np.int64), low, high)
    # hand out (or take back) the rows the rounding left, largest remainder first
    while n_test.sum() < target:
        room = np.flatnonzero(n_test < high)
        remainder = ideal[room] - n_test[room]
        n_test[room[np.argmax(remainder)]] += 1
    while n_test.sum() > target:
        room = np.flatnonzero(n_test > low)
        remainder = ideal[room] - n_test[room]
        n_test[room[np.argmin(remainder)]] -= 1
    train, test = [], []
    for c, k in zip(classes, n_test):
        members = np.flatnonzero(labels == c)
        order = members[rng.permutation(members.size)]
        test.append(order[:k])
        train.append(order[k:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


# ---------------------------------------------------------------------------
# all together


@dataclass
class PreparedData:
    """A table made ready for training; what ``prepare`` returns.

    task: "regression", "binary" or "multiclass".
    target: the target column's name.
    features: the feature columns used, in input order (= pipeline.input_names).
    x_train, x_test: float arrays (n_train × n_inputs), (n_test × n_inputs):
        the transformed features; the columns are named by ``input_names``.
    y_train, y_test: what the network is trained on / tested against:
        regression: float (n, 1), the target scaled by ``encoder`` (TargetScaler);
        classification: int64 (n,), class indexes into ``encoder.classes``.
    target_train, target_test: the targets as metrics compare them:
        regression: float (n,), in the target's own units;
        classification: int64 (n,), the class indexes (same as y_*).
    train_rows, test_rows: int64 arrays of indexes into ``table.rows`` (sorted),
        row k of x_train is table row train_rows[k].
    pipeline: the fitted FeaturePipeline (apply it to new rows to predict).
    encoder: the fitted RegressionTarget or ClassTarget (``decode`` turns
        network outputs / class indexes back into target values / labels).
    report: a JSON-friendly dict for the page:
        task, target, features, input_names, scaling, missing,
        n_rows (in the table), n_used (after dropping), n_train, n_test,
        dropped_missing_target, dropped_missing_features (rows),
        imputed_cells ({column: missing cells filled, train + test rows}),
        fill_values ({column: the fill value}), dropped_columns, constant_columns,
        class_counts ({label: rows}, classification; {} for regression),
        notes (every sentence for the user, the table's notes first).
    """

    task: str
    target: str
    features: list
    x_train: np.ndarray
    x_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    target_train: np.ndarray
    target_test: np.ndarray
    train_rows: np.ndarray
    test_rows: np.ndarray
    pipeline: FeaturePipeline
    encoder: TargetEncoder
    report: dict = field(default_factory=dict)

    @property
    def input_names(self):
        return self.pipeline.output_names

    @property
    def classes(self):
        """The class labels in index order, or None for regression."""
        return getattr(self.encoder, "classes", None)


def _target_cells(table, position, rows):
    """The target of ``rows`` (all with a value): a float array when the column
    is numeric and every one of them a finite number (the encoders then read
    the same numbers without parsing text again), else the cells."""
    values, numeric = table.numbers(position)
    if numeric:
        picked = values[rows]
        if np.isfinite(picked).all():
            return picked
    cells = table.rows
    return [cells[i][position] for i in rows.tolist()]


def _pick(values, positions):
    if isinstance(values, np.ndarray):
        return values[positions]
    return [values[k] for k in positions.tolist()]


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


def prepare(
    table,
    target,
    features=None,
    task=None,
    scaling="standard",
    missing="impute",
    test_fraction=0.3,
    seed=20,
    columns_info=None,
):
    """Split a table and turn it into training and test arrays; returns PreparedData.

    table: a Table (``read_csv_text``).
    target: the column to predict.
    features: the columns to predict from; None means every other column,
        except those with no values and text columns with more than
        MAX_CATEGORIES values (ids, free text), each left out with a note.
    task: None (``detect_task`` decides), "regression", "binary",
        "multiclass" or "classification" (binary or multiclass by the count).
    scaling, missing: as ``FeaturePipeline``.
    test_fraction: the share of rows to test on, 0 < f < 1.
    seed: an int, or a numpy Generator to draw the split from (it is advanced).
    columns_info: ``infer_columns(table)`` if already computed (saves a pass
        over the table); None computes it.

    Steps: rows without a target are dropped (and, with missing="drop", rows
    missing a feature); the rest are split, stratified by class for
    classification (``stratified_split``) and shuffled for regression
    (``train_test_split``); the feature pipeline and a regression target's
    scaling are fitted on the training rows; class labels come from all rows
    kept.
    """
    try:
        fraction = float(test_fraction)
    except (TypeError, ValueError):
        raise ConfigError(f"test fraction {test_fraction!r} is not a number; try 0.3") from None
    if not 0 < fraction < 1:
        raise ConfigError(f"test fraction {test_fraction} must be between 0 and 1, such as 0.3")
    if table.n_rows < 2:
        raise DataError(
            f"the data has {_plural(table.n_rows, 'row')}; at least 2 rows are needed to train and test, so add rows of data"
        )
    infos = {info.name: info for info in (columns_info if columns_info is not None else infer_columns(table))}
    if target not in infos:
        raise ConfigError(f"the data has no column {target!r}; choose the target from: {', '.join(table.columns)}")
    task = resolve_task(task, infos[target])
    notes = list(table.notes)

    left_out = []
    if features is None:
        why = left_out_by_default(info for name, info in infos.items() if name != target)
        left_out = list(why)
        features = [name for name in infos if name != target and name not in why]
        notes.extend(f"{reason}, so it is left out of the features" for reason in why.values())
        if not features:
            raise DataError("the data has only the target column; add at least one feature column")
    else:
        features = [str(name) for name in features]
        if target in features:
            raise ConfigError(f"the target {target!r} is also chosen as a feature; a model cannot use the answer as an input")
    pipeline = FeaturePipeline(list(infos.values()), features, scaling, missing)

    # rows that can be used: a target always, every feature with missing="drop"
    target_position = table.column_index(target)
    feature_positions = [table.column_index(name) for name in pipeline.input_names]
    line_numbers = np.asarray(table.line_numbers, dtype=np.int64)
    no_target_mask = table.missing(target_position)
    no_target = np.flatnonzero(no_target_mask)
    kept = np.flatnonzero(~no_target_mask)
    if len(no_target):
        n = len(no_target)
        notes.append(
            f"{_plural(n, 'row')} {_agree(n, 'has', 'have')} no value in the target {target!r} "
            f"({_lines_preview(line_numbers[no_target].tolist())}) and {_agree(n, 'is', 'are')} left out"
        )
    incomplete = []
    if missing == "drop":
        gone = np.zeros(table.n_rows, dtype=bool)
        for p in feature_positions:
            gone |= table.missing(p)
        incomplete = kept[gone[kept]]
        if len(incomplete):
            n = len(incomplete)
            notes.append(
                f"{_plural(n, 'row')} {_agree(n, 'misses', 'miss')} a feature value "
                f"({_lines_preview(line_numbers[incomplete].tolist())}) "
                f"and {_agree(n, 'is', 'are')} left out, as missing='drop' asks"
            )
            kept = kept[~gone[kept]]
    if len(kept) < 2:
        raise DataError(
            f"only {_plural(len(kept), 'row')} {_agree(len(kept), 'has', 'have')} a target"
            f"{' and every feature' if missing == 'drop' else ''}; at least 2 are needed to train and test — "
            "add rows, or choose another target" + (" or missing='impute'" if missing == "drop" else "")
        )
    kept = kept.astype(np.int64, copy=False)
    target_cells = _target_cells(table, target_position, kept)
    target_lines = line_numbers[kept]

    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    encoder = TargetEncoder.for_task(task, target)
    class_counts = {}
    if task == "regression":
        encoder.values(target_cells, target_lines)  # a text target is refused before anything is fitted
        train_pos, test_pos = train_test_split(len(kept), fraction, rng)
    else:
        encoder.fit(target_cells, target_lines)
        indexes = encoder.encode(target_cells, target_lines)
        # np.intp: Pyodide is 32-bit wasm, where bincount refuses int64 indexes
        counts = np.bincount(np.asarray(indexes).astype(np.intp, copy=False), minlength=encoder.n_classes)
        class_counts = {label: int(count) for label, count in zip(encoder.classes, counts)}
        singles = [label for label, count in class_counts.items() if count == 1]
        if singles:
            n, them = len(singles), _agree(len(singles), "it", "them")
            notes.append(
                f"{n} {_agree(n, 'class', 'classes')} ({', '.join(map(repr, singles[:10]))}) "
                f"{_agree(n, 'has', 'have')} a single row, used for training only; add rows of {them} to test {them} too"
            )
        train_pos, test_pos = stratified_split(indexes, fraction, rng)
    train_rows, test_rows = kept[train_pos], kept[test_pos]

    pipeline.fit(table, train_rows)
    x_train = pipeline.transform_table(table, train_rows)
    x_test = pipeline.transform_table(table, test_rows)
    train_cells, test_cells = _pick(target_cells, train_pos), _pick(target_cells, test_pos)
    train_lines, test_lines = target_lines[train_pos], target_lines[test_pos]
    if task == "regression":
        encoder.fit(train_cells, train_lines)
        target_train = encoder.values(train_cells, train_lines)
        target_test = encoder.values(test_cells, test_lines)
    else:
        target_train = encoder.encode(train_cells, train_lines)
        target_test = encoder.encode(test_cells, test_lines)
    y_train = encoder.encode(train_cells, train_lines)
    y_test = encoder.encode(test_cells, test_lines)

    imputed = Counter()
    if missing == "impute":
        for rows in (train_rows, test_rows):
            imputed.update(pipeline.count_missing_in_table(table, rows))
    notes.extend(note for note in pipeline.notes if note not in notes)
    if imputed:
        notes.append(
            "missing values were filled in ("
            + ", ".join(f"{name!r}: {_plural(count, 'cell')}" for name, count in imputed.items())
            + ") with the training rows' median (numbers) or most frequent value (text)"
        )
    report = {
        "task": task,
        "target": target,
        "features": list(pipeline.input_names),
        "input_names": list(pipeline.output_names),
        "scaling": scaling,
        "missing": missing,
        "n_rows": table.n_rows,
        "n_used": int(len(kept)),
        "n_train": int(len(train_rows)),
        "n_test": int(len(test_rows)),
        "dropped_missing_target": int(len(no_target)),
        "dropped_missing_features": int(len(incomplete)),
        "imputed_cells": dict(imputed),
        "fill_values": dict(pipeline.report["fill_values"]),
        "dropped_columns": left_out + list(pipeline.report["dropped_columns"]),
        "constant_columns": list(pipeline.report["constant_columns"]),
        "class_counts": class_counts,
        "notes": notes,
    }
    return PreparedData(
        task=task,
        target=target,
        features=list(pipeline.input_names),
        x_train=x_train,
        x_test=x_test,
        y_train=y_train,
        y_test=y_test,
        target_train=target_train,
        target_test=target_test,
        train_rows=train_rows,
        test_rows=test_rows,
        pipeline=pipeline,
        encoder=encoder,
        report=report,
    )
