"""A table and a target → training and test arrays, in one call: ``prepare``.

Rows without a target are dropped (and, with missing="drop", rows missing a
feature); the rest are split, stratified by class for classification; the
feature pipeline and a regression target's scaling are fitted on the training
rows only, so the test score is honest. The one exception is the list of
target classes, read from all rows kept: it is the vocabulary of the answer,
not a statistic, and a class seen only in the test rows must still have an
index. What was done is told in a ``PreparationReport``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

import numpy as np

from ..errors import ConfigError, DataError
from .cells import agree, lines_preview, plural
from .columns import infer_columns
from .features import FeaturePipeline
from .left_out import left_out_by_default
from .split import stratified_split, train_test_split
from .targets import TargetEncoder
from .task import resolve_task


@dataclass
class PreparationReport:
    """What ``prepare`` did, for the page; ``to_dict()`` is JSON-friendly.

    task, target, features (the feature columns used), input_names (the
    network's inputs), scaling, missing: as prepared.
    n_rows (in the table), n_used (after dropping), n_train, n_test: row counts.
    dropped_missing_target, dropped_missing_features: rows left out.
    imputed_cells: {column: missing cells filled, train + test rows}.
    fill_values: {column: the fill value}.
    dropped_columns, constant_columns: feature columns left out / with one value.
    class_counts: {label: rows} for classification; {} for regression.
    notes: every sentence for the user, the table's notes first.
    """

    task: str
    target: str
    features: list
    input_names: list
    scaling: str
    missing: str
    n_rows: int
    n_used: int
    n_train: int
    n_test: int
    dropped_missing_target: int
    dropped_missing_features: int
    imputed_cells: dict
    fill_values: dict
    dropped_columns: list
    constant_columns: list
    class_counts: dict
    notes: list = field(default_factory=list)

    def to_dict(self):
        return asdict(self)


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
    report: the PreparationReport (``report.to_dict()`` is what the page reads).
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
    report: PreparationReport | None = None

    @property
    def input_names(self):
        return self.pipeline.output_names

    @property
    def classes(self):
        """The class labels in index order, or None for regression."""
        return getattr(self.encoder, "classes", None)


def prepare(table, target, features=None, task=None, scaling="standard", missing="impute", test_fraction=0.3,
            seed=20, columns_info=None):
    """Split a table and turn it into training and test arrays; returns PreparedData.

    table: a Table (``read_csv_text``); target: the column to predict.
    features: the columns to predict from; None means every other column,
        except those with no values and those ``left_out_by_default`` names
        (text ids and free text, row numbers, numeric ids), each left out
        with a note.
    task: None (``detect_task`` decides), "regression", "binary",
        "multiclass" or "classification" (binary or multiclass by the count).
    scaling, missing: as ``FeaturePipeline``.
    test_fraction: the share of rows to test on, 0 < f < 1.
    seed: an int, or a numpy Generator to draw the split from (it is advanced).
    columns_info: ``infer_columns(table)`` if already computed; None computes it.

    The steps are the module docstring's; the split is ``stratified_split``
    for classification, ``train_test_split`` for regression.
    """
    fraction = _checked_fraction(test_fraction)
    if table.n_rows < 2:
        raise DataError(f"the data has {plural(table.n_rows, 'row')}; at least 2 rows are needed to train and test, "
                        "so add rows of data")
    infos = _column_infos(table, target, columns_info)
    task = resolve_task(task, infos[target])
    notes = list(table.notes)
    features, left_out = _chosen_features(infos, target, features, notes)
    pipeline = FeaturePipeline(list(infos.values()), features, scaling, missing)
    columns = {name: table.column_named(name) for name in pipeline.input_names}
    target_column = table.column_named(target)
    kept, no_target, incomplete = _usable_rows(target_column, columns, missing, notes)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    encoder = TargetEncoder.for_task(task, target)
    train_rows, test_rows, class_counts = _split(encoder, target_column, kept, fraction, rng, notes)
    pipeline.fit_columns(columns, train_rows)
    x_train, x_test = (pipeline.transform_columns(columns, rows) for rows in (train_rows, test_rows))
    y_train, y_test, target_train, target_test = _targets(encoder, target_column, train_rows, test_rows)
    notes.extend(note for note in pipeline.notes if note not in notes)
    imputed = _imputed(pipeline, columns, (train_rows, test_rows), notes) if missing == "impute" else {}
    fitted = pipeline.report
    preparation = PreparationReport(
        task=task, target=target, features=list(pipeline.input_names), input_names=list(pipeline.output_names),
        scaling=scaling, missing=missing, n_rows=table.n_rows, n_used=int(len(kept)), n_train=int(len(train_rows)),
        n_test=int(len(test_rows)), dropped_missing_target=int(len(no_target)),
        dropped_missing_features=int(len(incomplete)), imputed_cells=imputed, fill_values=dict(fitted.fill_values),
        dropped_columns=left_out + list(fitted.dropped_columns), constant_columns=list(fitted.constant_columns),
        class_counts=class_counts, notes=notes,
    )
    return PreparedData(
        task=task, target=target, features=list(pipeline.input_names), x_train=x_train, x_test=x_test,
        y_train=y_train, y_test=y_test, target_train=target_train, target_test=target_test,
        train_rows=train_rows, test_rows=test_rows, pipeline=pipeline, encoder=encoder, report=preparation,
    )


def _targets(encoder, target_column, train_rows, test_rows):
    """(y_train, y_test, target_train, target_test), the regression scaling fitted on the training rows."""
    if encoder.task == "regression":
        encoder.fit_column(target_column, train_rows)
        target_train = encoder.column_values(target_column, train_rows)
        target_test = encoder.column_values(target_column, test_rows)
    else:
        target_train = encoder.encode_column(target_column, train_rows)
        target_test = encoder.encode_column(target_column, test_rows)
    y_train = encoder.encode_column(target_column, train_rows)
    y_test = encoder.encode_column(target_column, test_rows)
    return y_train, y_test, target_train, target_test


def _imputed(pipeline, columns, row_sets, notes):
    """{column: cells filled} over the row sets, with a note when there are any."""
    imputed = Counter()
    for rows in row_sets:
        imputed.update(pipeline.count_missing_in_columns(columns, rows))
    if imputed:
        notes.append(
            "missing values were filled in ("
            + ", ".join(f"{name!r}: {plural(count, 'cell')}" for name, count in imputed.items())
            + ") with the training rows' median (numbers) or most frequent value (text)"
        )
    return dict(imputed)


def _column_infos(table, target, columns_info):
    """{name: ColumnInfo} of the table's columns; ConfigError when none is ``target``."""
    infos = {info.name: info for info in (columns_info if columns_info is not None else infer_columns(table))}
    if target not in infos:
        raise ConfigError(f"the data has no column {target!r}; choose the target from: {', '.join(table.columns)}")
    return infos


def _checked_fraction(test_fraction):
    try:
        fraction = float(test_fraction)
    except (TypeError, ValueError):
        raise ConfigError(f"test fraction {test_fraction!r} is not a number; try 0.3") from None
    if not 0 < fraction < 1:
        raise ConfigError(f"test fraction {test_fraction} must be between 0 and 1, such as 0.3")
    return fraction


def _chosen_features(infos, target, features, notes):
    """(feature names, columns left out by default): every other column when ``features`` is None."""
    if features is None:
        why = left_out_by_default(info for name, info in infos.items() if name != target)
        features = [name for name in infos if name != target and name not in why]
        for name, reason in why.items():
            # a number column can pass for a measurement, so say how to keep it
            advice = "; choose it as a feature if it really is one" if infos[name].kind == "numeric" else ""
            notes.append(f"{reason}, so it is left out of the features{advice}")
        if not features and why:
            raise DataError(
                f"every column but the target looks like an id, a row number or free text ({'; '.join(why.values())}); "
                "choose the feature columns yourself to train on them anyway"
            )
        if not features:
            raise DataError("the data has only the target column; add at least one feature column")
        return features, list(why)
    features = [str(name) for name in features]
    if target in features:
        raise ConfigError(f"the target {target!r} is also chosen as a feature; a model cannot use the answer as an input")
    return features, []


def _usable_rows(target_column, columns, missing, notes):
    """(kept rows, rows without a target, rows missing a feature): a target always, every feature with "drop"."""
    line_numbers = np.asarray(target_column.lines, dtype=np.int64)
    no_target_mask = target_column.missing
    no_target = np.flatnonzero(no_target_mask)
    kept = np.flatnonzero(~no_target_mask)
    if len(no_target):
        n = len(no_target)
        notes.append(
            f"{plural(n, 'row')} {agree(n, 'has', 'have')} no value in the target {target_column.name!r} "
            f"({lines_preview(line_numbers[no_target].tolist())}) and {agree(n, 'is', 'are')} left out"
        )
    incomplete = []
    if missing == "drop":
        gone = np.zeros(target_column.n, dtype=bool)
        for column in columns.values():
            gone |= column.missing
        incomplete = kept[gone[kept]]
        if len(incomplete):
            n = len(incomplete)
            notes.append(
                f"{plural(n, 'row')} {agree(n, 'misses', 'miss')} a feature value "
                f"({lines_preview(line_numbers[incomplete].tolist())}) "
                f"and {agree(n, 'is', 'are')} left out, as missing='drop' asks"
            )
            kept = kept[~gone[kept]]
    if len(kept) < 2:
        raise DataError(
            f"only {plural(len(kept), 'row')} {agree(len(kept), 'has', 'have')} a target"
            f"{' and every feature' if missing == 'drop' else ''}; at least 2 are needed to train and test — "
            "add rows, or choose another target" + (" or missing='impute'" if missing == "drop" else "")
        )
    return kept.astype(np.int64, copy=False), no_target, incomplete


def _split(encoder, target_column, kept, fraction, rng, notes):
    """(train rows, test rows, class counts): shuffled for regression, stratified by class otherwise.

    A regression target with text is refused before anything is fitted; class
    labels are learned from every row kept.
    """
    if encoder.task == "regression":
        encoder.column_values(target_column, kept)  # a text target is refused before anything is fitted
        train_pos, test_pos = train_test_split(len(kept), fraction, rng)
        return kept[train_pos], kept[test_pos], {}
    encoder.fit_column(target_column, kept)
    indexes = encoder.encode_column(target_column, kept)
    # np.intp: Pyodide is 32-bit wasm, where bincount refuses int64 indexes
    counts = np.bincount(indexes.astype(np.intp, copy=False), minlength=encoder.n_classes)
    class_counts = {label: int(count) for label, count in zip(encoder.classes, counts)}
    singles = [label for label, count in class_counts.items() if count == 1]
    if singles:
        n, them = len(singles), agree(len(singles), "it", "them")
        notes.append(
            f"{n} {agree(n, 'class', 'classes')} ({', '.join(map(repr, singles[:10]))}) "
            f"{agree(n, 'has', 'have')} a single row, used for training only; add rows of {them} to test {them} too"
        )
    train_pos, test_pos = stratified_split(indexes, fraction, rng)
    return kept[train_pos], kept[test_pos], class_counts
