"""Numbers the network can use: the largest magnitude it can compute with,
scalers for plain float matrices and for a regression target, and the
all-numbers matrix of a table (``numeric_matrix``, for the benchmark).
"""

from __future__ import annotations

import numpy as np

from ..errors import DataError
from .cells import preview

# Numbers beyond this cannot be trained on: their squares (in the spread that
# scales them, in the loss) overflow float64, whose largest value is about 1.8e308.
MAX_MAGNITUDE = 1e150


def refuse_huge(what, numbers, where):
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


def numeric_matrix(table, columns):
    """The named columns of ``table`` as a float matrix (rows × columns).

    Every cell must be a finite number: raises DataError naming the column
    and line of the first cell that is not (``fcnn.tables.features`` is the
    pipeline that handles missing values and text columns).
    """
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DataError(f"the data has no column named {missing[0]!r}; pick one of: {', '.join(table.columns)}")
    positions = [table.column_index(c) for c in columns]
    out = np.empty((table.n_rows, len(columns)))
    for r, (row, line) in enumerate(zip(table.rows, table.line_numbers)):
        for c, (pos, name) in enumerate(zip(positions, columns)):
            cell = row[pos]
            try:
                value = float(cell)
            except ValueError:
                what = "is empty" if cell == "" else f"holds the text {preview(cell)}"
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
