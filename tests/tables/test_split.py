"""Splitting rows: shuffled, and stratified by class."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcnn.errors import ConfigError, DataError
from fcnn.tables.split import stratified_split, train_test_split


def test_split_is_seeded_disjoint_complete_and_seven_to_three():
    train, test = train_test_split(506, 0.3, np.random.default_rng(20))
    assert len(test) == 152 and len(train) == 354
    assert set(train).isdisjoint(test)
    assert sorted(set(train) | set(test)) == list(range(506))
    again = train_test_split(506, 0.3, np.random.default_rng(20))
    np.testing.assert_array_equal(train, again[0])
    other = train_test_split(506, 0.3, np.random.default_rng(21))
    assert not np.array_equal(test, other[1])


def test_split_keeps_one_row_on_each_side():
    train, test = train_test_split(2, 0.3, np.random.default_rng(0))
    assert len(train) == 1 and len(test) == 1
    with pytest.raises(DataError, match="at least 2 rows"):
        train_test_split(1, 0.3, np.random.default_rng(0))


# ---------------------------------------------------------------------------
# stratified split


def test_stratified_split_keeps_each_class_share():
    labels = np.array([0] * 50 + [1] * 30 + [2] * 20)
    train, test = stratified_split(labels, 0.3, np.random.default_rng(1))
    assert len(test) == 30 and len(train) == 70
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(100))
    assert np.bincount(labels[test]).tolist() == [15, 9, 6]
    assert np.bincount(labels[train]).tolist() == [35, 21, 14]
    assert np.all(np.diff(train) > 0) and np.all(np.diff(test) > 0)


def test_stratified_split_is_deterministic_for_a_seed():
    labels = np.random.default_rng(0).integers(0, 4, size=200)
    first = stratified_split(labels, 0.25, np.random.default_rng(42))
    again = stratified_split(labels, 0.25, np.random.default_rng(42))
    other = stratified_split(labels, 0.25, np.random.default_rng(43))
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])
    assert not np.array_equal(first[1], other[1])


def test_stratified_split_small_classes_keep_a_row_on_each_side():
    labels = np.array([0] * 20 + [1, 1] + [2])
    train, test = stratified_split(labels, 0.1, np.random.default_rng(3))
    # class 1 has 2 rows: one on each side though 10% of 2 rounds to 0; class 2 (1 row) trains only
    assert np.bincount(labels[test], minlength=3).tolist()[1:] == [1, 0]
    assert np.bincount(labels[train], minlength=3).tolist()[1:] == [1, 1]
    assert len(test) == 2  # round(23 · 0.1) = 2 in all: 1 of class 0, 1 of class 1


def test_stratified_split_remainders_go_to_the_largest_fractions():
    labels = np.array([0] * 7 + [1] * 5 + [2] * 8)  # f = 0.5: ideal 3.5, 2.5, 4 → total 10
    _, test = stratified_split(labels, 0.5, np.random.default_rng(0))
    assert np.bincount(labels[test]).tolist() == [4, 2, 4]  # a tie of remainders goes to the lower class


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 5), min_size=2, max_size=60),
    st.floats(0.05, 0.95),
    st.integers(0, 2**32 - 1),
)
def test_stratified_split_properties(labels, fraction, seed):
    labels = np.array(labels)
    counts = np.bincount(labels)
    if counts.max() < 2:
        with pytest.raises(DataError):
            stratified_split(labels, fraction, np.random.default_rng(seed))
        return
    train, test = stratified_split(labels, fraction, np.random.default_rng(seed))
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(len(labels)))
    for c, n_c in enumerate(counts):
        in_test = int(np.sum(labels[test] == c))
        if n_c >= 2:
            assert 1 <= in_test <= n_c - 1
        elif n_c == 1:
            assert in_test == 0
    low, high = int(np.sum(counts >= 2)), int(np.sum(np.maximum(counts - 1, 0)))
    assert len(test) == min(max(round(len(labels) * fraction), low), high)
    again = stratified_split(labels, fraction, np.random.default_rng(seed))
    np.testing.assert_array_equal(test, again[1])


def test_stratified_split_refusals():
    with pytest.raises(DataError, match="at least 2 rows"):
        stratified_split([0], 0.3, np.random.default_rng(0))
    with pytest.raises(DataError, match="every class has a single row"):
        stratified_split([0, 1, 2], 0.3, np.random.default_rng(0))
    with pytest.raises(ConfigError, match="between 0 and 1"):
        stratified_split([0, 0, 1, 1], 1.0, np.random.default_rng(0))
