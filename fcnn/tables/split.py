"""Splitting rows into training and test rows: shuffled, or stratified by class."""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError, DataError
from .cells import plural


def train_test_split(n_rows, test_fraction, rng):
    """Shuffle row indexes with ``rng`` and cut them: (train_indexes, test_indexes).

    Both parts get at least one row; 0.3 gives the seed's 7:3 split.
    """
    if n_rows < 2:
        raise DataError(f"the data has {n_rows} row; at least 2 rows are needed to train and test")
    order = rng.permutation(n_rows)
    n_test = min(max(int(round(n_rows * test_fraction)), 1), n_rows - 1)
    return np.sort(order[n_test:]), np.sort(order[:n_test])


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
        raise DataError(f"the data has {plural(n, 'row')}; at least 2 rows are needed to train and test")
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
