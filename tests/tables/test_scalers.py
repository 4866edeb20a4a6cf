"""The numeric helpers: numeric_matrix and the scalers."""

import numpy as np
import pytest

from fcnn.errors import DataError
from fcnn.tables.scalers import MinMaxScaler, TargetScaler, numeric_matrix
from fcnn.tables.table import read_csv_text


# ---------------------------------------------------------------------------
# numeric_matrix and the older helpers


def test_text_in_numeric_column_names_column_and_line():
    table = read_csv_text("price,rooms\n100,3\n200,many\n")
    with pytest.raises(DataError) as info:
        numeric_matrix(table, ["price", "rooms"])
    message = str(info.value)
    assert "'rooms'" in message and "line 3" in message and "'many'" in message


def test_empty_cell_is_reported():
    table = read_csv_text("a,b\n1,\n2,3\n")
    with pytest.raises(DataError, match="'b' is empty on line 2"):
        numeric_matrix(table, ["a", "b"])


def test_table_column_index():
    table = read_csv_text("a,b\n1,2\n")
    assert table.column_index("b") == 1
    with pytest.raises(DataError, match="no column named 'c'"):
        table.column_index("c")


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
