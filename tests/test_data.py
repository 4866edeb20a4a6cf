import numpy as np
import pytest

from fcnn.data import MinMaxScaler, TargetScaler, numeric_matrix, r2_score, read_csv_text, train_test_split
from fcnn.errors import DataError


def test_reads_header_and_rows_with_quotes_bom_and_blank_lines():
    table = read_csv_text('\ufeffa,"b, quoted",c\n1,2,3\n\n4,5,6\n')
    assert table.columns == ["a", "b, quoted", "c"]
    assert table.rows == [["1", "2", "3"], ["4", "5", "6"]]
    assert table.line_numbers == [2, 4]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_sniffs_semicolon_and_tab(delimiter):
    table = read_csv_text(f"x{delimiter}y\n1{delimiter}2\n")
    assert table.columns == ["x", "y"]
    assert numeric_matrix(table, ["x", "y"]).tolist() == [[1.0, 2.0]]


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        ("a,b,c\n", "no data rows"),
        ("a,b\n1,2\n3\n", "line 3 has 1 fields but the header has 2 columns"),
        ("a,b\n1,2\n3,4,5\n", "line 3 has 3 fields"),
        ("1,2\n3,4\n", "looks like data"),
        ("a,,c\n1,2,3\n", "column 2 has an empty name"),
        ("a,b,a\n1,2,3\n", "'a' twice"),
        (b"a,b\n\xff\xfe,1\n", "not UTF-8"),
        ("a,b\n\x00\x01,2\n", "binary"),
    ],
)
def test_bad_files_get_a_message_naming_the_problem(text, fragment):
    with pytest.raises(DataError) as info:
        read_csv_text(text)
    assert fragment in str(info.value)


def test_text_in_numeric_column_names_column_and_line():
    table = read_csv_text("price,rooms\n100,3\n200,many\n")
    with pytest.raises(DataError) as info:
        numeric_matrix(table, ["price", "rooms"])
    message = str(info.value)
    assert "'rooms'" in message and "line 3" in message and "'many'" in message


def test_empty_cell_is_reported():
    table = read_csv_text("a,b\n1,\n")
    with pytest.raises(DataError, match="'b' is empty on line 2"):
        numeric_matrix(table, ["a", "b"])


def test_min_max_scaler_maps_training_range_to_unit_interval_and_back():
    x = np.array([[1.0, 10.0, 5.0], [3.0, 20.0, 5.0], [2.0, 15.0, 5.0]])
    scaler = MinMaxScaler().fit(x)
    scaled = scaler.transform(x)
    np.testing.assert_allclose(scaled.min(axis=0), [0, 0, 0])
    np.testing.assert_allclose(scaled.max(axis=0), [1, 1, 0])  # constant column: no division by zero
    np.testing.assert_allclose(scaler.inverse_transform(scaled), x)
    # rows outside the fitted range are mapped linearly, not clipped
    np.testing.assert_allclose(scaler.transform([[5.0, 0.0, 5.0]]), [[2.0, -1.0, 0.0]])


def test_target_scaler_standardises_to_spread_ten_and_inverts():
    y = np.array([[1000.0], [3000.0], [5000.0], [7000.0]])
    scaler = TargetScaler().fit(y)
    z = scaler.transform(y)
    assert z.mean() == pytest.approx(0.0)
    assert z.std() == pytest.approx(10.0)
    np.testing.assert_allclose(scaler.inverse_transform(z), y)
    same = TargetScaler().fit(y / 1000).transform(y / 1000)
    np.testing.assert_allclose(same, z)  # units do not change what the network sees


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


def test_r2_score():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    assert r2_score(y, y) == 1.0
    assert r2_score(y, np.full(4, y.mean())) == pytest.approx(0.0)
    assert r2_score(y, y + 1) == pytest.approx(1 - 4 / 5)
