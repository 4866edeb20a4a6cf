"""Feature columns → a float matrix for the network, fitted on the training rows only.

``FeaturePipeline`` fills missing cells (median / most frequent value),
one-hot encodes text columns and scales numeric ones, each column by its
encoding in ``feature_columns``. It reads typed ``Column``s: a table's
(``fit``, ``transform_table``) or those of raw rows typed on the spot
(``transform_rows``, for predictions: lists, or dicts from the "what if" form).

Every statistic is computed from the training rows alone, so nothing about
the test rows leaks into the inputs the network is trained on. A fitted
pipeline saves to a plain JSON-ready dict (``to_dict``) and loads back
(``from_dict``) giving exactly the same transform.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

import numpy as np

from ..errors import ConfigError, DataError
from .cells import agree, plural
from .columns import Column
from .feature_columns import CategoricalFeature, feature_from_dict, fit_categorical, fit_numeric
from .saved import FORMAT_VERSION, check_saved_header, invalid

SCALINGS = ("standard", "minmax", "none")
MISSING_POLICIES = ("impute", "drop")


@dataclass
class FitReport:
    """What ``FeaturePipeline.fit`` did; ``to_dict()`` is ``FeaturePipeline.report``.

    scaling, missing: the pipeline's settings.
    n_fit_rows: the rows the statistics come from.
    dropped_rows: training rows left out for a missing feature ("drop" only).
    imputed_cells: {column: missing cells in the training rows} ("impute" only,
        columns with none omitted).
    fill_values: {column: median or most frequent value}.
    dropped_columns: feature columns left out, having no values.
    constant_columns: feature columns with one value in the training rows.
    notes: sentences for the user.
    """

    scaling: str
    missing: str
    n_fit_rows: int
    dropped_rows: int
    imputed_cells: dict
    fill_values: dict
    dropped_columns: list
    constant_columns: list
    notes: list = field(default_factory=list)

    def to_dict(self):
        return asdict(self)


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
    ``n_outputs``, ``notes`` (sentences for the user), and ``report`` (a
    ``FitReport``; None before fitting, or when loaded from a file).
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
        self.report = None

    # -- fitting ---------------------------------------------------------

    @property
    def fitted(self):
        return self._columns is not None

    def fit(self, table, row_indexes):
        """Learn fill values, categories and scaling from ``table.rows[i]`` for i in ``row_indexes``.

        Sets ``report`` (see FitReport). Returns self.
        """
        return self.fit_columns({name: table.column_named(name) for name in self._kinds}, row_indexes)

    def fit_columns(self, columns, row_indexes):
        """``fit`` on typed columns: {feature name: Column}, rows ``row_indexes`` of them."""
        rows = np.asarray(row_indexes, dtype=np.int64).ravel()
        if not len(rows):
            raise DataError("there are no training rows to fit the features on; add rows of data")
        dropped_rows = 0
        if self.missing == "drop":
            gone = np.zeros(len(rows), dtype=bool)
            for name, column in columns.items():
                gone |= self._absent(name, column)[rows]
            dropped_rows = int(gone.sum())
            rows = rows[~gone]
            if not len(rows):
                raise DataError(
                    "every training row misses a value in some feature column; choose missing='impute' "
                    "or fewer feature columns"
                )
        fitted, imputed, dropped_columns, constant = [], {}, list(self._empty), []
        notes = list(self._init_notes)
        for name, column in columns.items():
            if self._kinds[name] == "numeric":
                feature, n_missing, one_value = fit_numeric(name, column, rows, self.scaling)
            else:
                feature, n_missing, one_value = fit_categorical(name, column, rows)
            if feature is None:
                dropped_columns.append(name)
                notes.append(f"column {name!r} has no values in the training rows, so it is left out of the features")
                continue
            if n_missing:
                imputed[name] = n_missing
            if one_value:
                constant.append(name)
            fitted.append(feature)
        if not fitted:
            raise DataError("no chosen feature column has values in the training rows; choose other feature columns")
        if constant:
            notes.append(
                f"{plural(len(constant), 'column')} ({', '.join(map(repr, constant))}) "
                f"{agree(len(constant), 'holds', 'hold')} one value in the training rows and "
                f"{agree(len(constant), 'tells', 'tell')} the network nothing"
            )
        self._columns = fitted
        self.input_names = [feature.name for feature in fitted]
        self.notes = notes
        self.report = FitReport(
            self.scaling, self.missing, len(rows), dropped_rows, imputed if self.missing == "impute" else {},
            {feature.name: feature.fill for feature in fitted}, dropped_columns, constant, list(notes),
        )
        return self

    def _absent(self, name, column):
        """The cells of a feature that count as missing: NaN of a column of numbers, else the missing cells."""
        if self._kinds[name] == "numeric" and column.numeric:
            return np.isnan(column.numbers)
        return column.missing

    # -- transforming ----------------------------------------------------

    @property
    def output_names(self):
        """Names of the output columns: a numeric column's name, or ``column=value`` per category."""
        self._require_fit()
        return [name for column in self._columns for name in column.output_names]

    @property
    def encodings(self):
        """Each input column's fitted NumericFeature or CategoricalFeature, in the outputs' order."""
        self._require_fit()
        return list(self._columns)

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
        self._require_fit()
        if row_indexes is None:
            row_indexes = np.arange(table.n_rows)
        elif not isinstance(row_indexes, np.ndarray):
            row_indexes = list(row_indexes)
        self._refuse_absent_columns(table.columns)
        columns = {feature.name: table.column_named(feature.name) for feature in self._columns}
        return self.transform_columns(columns, np.asarray(row_indexes, dtype=np.int64).ravel())

    def transform_columns(self, columns, rows):
        """The rows ``rows`` of typed columns ({input name: Column}) as an n × n_outputs matrix."""
        self._require_fit()
        drop = self.missing == "drop"
        out = np.zeros((len(rows), self.n_outputs))
        start = 0
        for feature in self._columns:
            if isinstance(feature, CategoricalFeature):
                feature.transform(columns[feature.name], rows, drop, out[:, start : start + len(feature.categories)])
                start += len(feature.categories)
            else:
                out[:, start] = feature.transform(columns[feature.name], rows, drop)
                start += 1
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
            self._refuse_absent_columns(columns)
        typed = _typed_columns(rows, columns, self.input_names, line_numbers)
        return self.transform_columns(typed, np.arange(len(rows), dtype=np.int64))

    def _refuse_absent_columns(self, columns):
        absent = [column.name for column in self._columns if column.name not in columns]
        if absent:
            raise DataError(
                f"the data has no column {absent[0]!r}, which the model takes as an input; "
                "load data with the same columns as the training data"
            )

    def count_missing_in_table(self, table, row_indexes):
        """{column: missing cells} in the rows ``row_indexes`` of ``table``, for the columns with any."""
        self._require_fit()
        columns = {feature.name: table.column_named(feature.name) for feature in self._columns}
        return self.count_missing_in_columns(columns, np.asarray(row_indexes, dtype=np.int64).ravel())

    def count_missing_in_columns(self, columns, rows):
        """``count_missing_in_table`` on typed columns ({input name: Column})."""
        counts = {}
        for feature in self._columns:
            n = int(np.count_nonzero(columns[feature.name].missing[rows]))
            if n:
                counts[feature.name] = n
        return counts

    def count_missing(self, rows, columns=None):
        """{column: missing cells} over ``rows`` (laid out as in transform_rows), for columns with any."""
        self._require_fit()
        rows = list(rows)
        typed = _typed_columns(rows, None if columns is None else list(columns), self.input_names, None)
        return self.count_missing_in_columns(typed, np.arange(len(rows), dtype=np.int64))

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
        check_saved_header(saved, "fcnn.FeaturePipeline", thing)
        scaling, missing = saved.get("scaling"), saved.get("missing")
        if scaling not in SCALINGS:
            raise invalid(f"'scaling' is {scaling!r}, not one of {', '.join(SCALINGS)}", thing)
        if missing not in MISSING_POLICIES:
            raise invalid(f"'missing' is {missing!r}, not one of {', '.join(MISSING_POLICIES)}", thing)
        feature_names = saved.get("feature_names")
        if not isinstance(feature_names, list) or not all(isinstance(n, str) for n in feature_names):
            raise invalid("'feature_names' is not a list of names", thing)
        entries = saved.get("columns")
        if not isinstance(entries, list) or not entries:
            raise invalid("'columns' is not a non-empty list", thing)
        columns = [feature_from_dict(entry, k, thing) for k, entry in enumerate(entries)]
        names = [column.name for column in columns]
        if len(set(names)) != len(names):
            raise invalid("a column appears twice in 'columns'", thing)
        if not set(names) <= set(feature_names):
            raise invalid("'columns' names a column that is not in 'feature_names'", thing)
        pipeline = cls.__new__(cls)
        pipeline.scaling, pipeline.missing = scaling, missing
        pipeline.feature_names = list(feature_names)
        pipeline._kinds = {column.name: column.kind for column in columns}
        pipeline._empty, pipeline._init_notes = [], []
        pipeline._columns = columns
        pipeline.input_names = names
        pipeline.notes, pipeline.report = [], None
        return pipeline


def _typed_columns(rows, columns, input_names, line_numbers):
    """{input name: Column of its cell in each row} for rows laid out as transform_rows describes."""
    layout = columns if columns is not None else input_names
    where = {name: i for i, name in enumerate(layout)}
    positions = {name: where[name] for name in input_names}
    cells = {name: [] for name in positions}
    for k, row in enumerate(rows):
        if isinstance(row, Mapping):
            for name in positions:
                cells[name].append(row.get(name))
            continue
        if len(row) != len(layout):
            if columns is None:
                raise DataError(
                    f"row {k + 1} has {plural(len(row), 'value')} but the model takes "
                    f"{plural(len(layout), 'input')} ({', '.join(layout)}); give one value per input"
                )
            raise DataError(
                f"row {k + 1} has {plural(len(row), 'value')} but there are {plural(len(layout), 'column')}; "
                "give one value per column"
            )
        for name, position in positions.items():
            cells[name].append(row[position])
    return {name: Column(name, values, lines=line_numbers) for name, values in cells.items()}
