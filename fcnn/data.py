"""Reading CSV text into numbers, and the preprocessing around training:
min-max scaling, a seeded train/test split, and the R² score."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np

from .errors import DataError

DELIMITERS = (",", ";", "\t")


@dataclass
class Table:
    """A parsed CSV: column names, the text cells of each row, and each row's line number."""

    columns: list
    rows: list
    line_numbers: list

    @property
    def n_rows(self):
        return len(self.rows)


def _looks_numeric(cell):
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _sniff_delimiter(first_line):
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ","


def read_csv_text(text):
    """Parse CSV text that starts with a header row. Blank lines are skipped.

    Raises DataError naming the row or column when the text is not such a CSV.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DataError(
                f"the file is not UTF-8 text (byte {exc.start} cannot be decoded); "
                "save it as a UTF-8 CSV file and load it again"
            ) from None
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise DataError("the file contains binary data, not CSV text; choose a CSV file")
    if not text.strip():
        raise DataError("the file is empty; choose a CSV file with a header row and rows of data")
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(first_line))
    header, rows, line_numbers = None, [], []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip() for cell in record]
                _check_header(header)
                continue
            if len(record) != len(header):
                raise DataError(
                    f"line {reader.line_num} has {len(record)} fields but the header has "
                    f"{len(header)} columns; give every row one value per column"
                )
            rows.append([cell.strip() for cell in record])
            line_numbers.append(reader.line_num)
    except csv.Error as exc:
        raise DataError(f"line {reader.line_num} is not valid CSV ({exc}); fix the quoting") from None
    if not rows:
        raise DataError("the file has a header row but no data rows; add rows of data below the header")
    return Table(header, rows, line_numbers)


def _check_header(header):
    if all(_looks_numeric(cell) for cell in header):
        raise DataError(
            "the first row holds only numbers, so it looks like data, not a header; "
            "add a first row that names each column"
        )
    for index, name in enumerate(header, start=1):
        if not name:
            raise DataError(f"column {index} has an empty name in the header row; give every column a name")
    seen = set()
    for name in header:
        if name in seen:
            raise DataError(f"the header names the column {name!r} twice; give every column a different name")
        seen.add(name)


def numeric_matrix(table, columns):
    """The named columns of ``table`` as a float matrix (rows × columns).

    Raises DataError naming the column and line of the first cell that is not a number.
    """
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DataError(f"the data has no column named {missing[0]!r}; pick one of: {', '.join(table.columns)}")
    positions = [table.columns.index(c) for c in columns]
    out = np.empty((table.n_rows, len(columns)))
    for r, (row, line) in enumerate(zip(table.rows, table.line_numbers)):
        for c, (pos, name) in enumerate(zip(positions, columns)):
            cell = row[pos]
            try:
                value = float(cell)
            except ValueError:
                what = "is empty" if cell == "" else f"holds the text {_preview(cell)}"
                raise DataError(
                    f"column {name!r} {what} on line {line}; this version needs a number in every "
                    "cell of the columns used, so fix that cell or remove the column"
                ) from None
            if not np.isfinite(value):
                raise DataError(
                    f"column {name!r} holds {cell!r} on line {line}; replace it with a finite number"
                )
            out[r, c] = value
    return out


def _preview(cell, limit=40):
    return repr(cell if len(cell) <= limit else cell[:limit] + "…")


class MinMaxScaler:
    """x' = (x − min) / (max − min), per column. A constant column maps to 0."""

    def fit(self, x):
        x = np.asarray(x, dtype=float)
        self.min_ = x.min(axis=0)
        span = x.max(axis=0) - self.min_
        # a constant column has no span; dividing by 1 keeps it finite (all zeros)
        self.scale_ = np.where(span > 0, span, 1.0)
        return self

    def transform(self, x):
        return (np.asarray(x, dtype=float) - self.min_) / self.scale_

    def fit_transform(self, x):
        return self.fit(x).transform(x)

    def inverse_transform(self, x):
        return np.asarray(x, dtype=float) * self.scale_ + self.min_


class TargetScaler:
    """y' = spread · (y − mean) / std: a regression target on a fixed scale.

    Any target, in the tens or the thousands, is trained on the same scale, so
    one learning rate suits them all. The spread is 10, about that of the
    seed's target (Boston MEDV, std 9.2), so the seed's learning rates keep
    the meaning they had on its unscaled target.
    """

    spread = 10.0

    def fit(self, y):
        y = np.asarray(y, dtype=float)
        self.mean_ = y.mean(axis=0)
        std = y.std(axis=0)
        self.scale_ = np.where(std > 0, std, 1.0) / self.spread
        return self

    def transform(self, y):
        return (np.asarray(y, dtype=float) - self.mean_) / self.scale_

    def inverse_transform(self, y):
        return np.asarray(y, dtype=float) * self.scale_ + self.mean_


def train_test_split(n_rows, test_fraction, rng):
    """Shuffle row indexes with ``rng`` and cut them: (train_indexes, test_indexes).

    Both parts get at least one row; 0.3 gives the seed's 7:3 split.
    """
    if n_rows < 2:
        raise DataError(f"the data has {n_rows} row; at least 2 rows are needed to train and test")
    order = rng.permutation(n_rows)
    n_test = min(max(int(round(n_rows * test_fraction)), 1), n_rows - 1)
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def r2_score(y_true, y_pred):
    """Coefficient of determination: 1 − Σ(y − ŷ)² / Σ(y − ȳ)²."""
    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)
    ss_res = float(np.sum((y_true - y_pred) ** 2))
    ss_tot = float(np.sum((y_true - y_true.mean()) ** 2))
    if ss_tot == 0.0:
        return 1.0 if ss_res == 0.0 else 0.0
    return 1.0 - ss_res / ss_tot
