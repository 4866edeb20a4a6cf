"""A table's columns matched onto a model's, by name: one rule for the CLI and the page."""

import pytest

from fcnn.errors import FcnnError
from fcnn.run.columns import rows_for_model
from fcnn.tables import read_csv_text


def test_columns_are_matched_by_name_in_any_order_and_extra_ones_left_out():
    table = read_csv_text("c,extra,a,b\n3,x,1,2\n6,y,4,5\n")
    matched = rows_for_model(table, ["a", "b", "c"], "new.csv")
    assert matched.columns == ["a", "b", "c"]
    assert matched.rows == [["1", "2", "3"], ["4", "5", "6"]]
    assert matched.extra == ["extra"] and "extra" in matched.extra_note()


def test_no_extra_columns_no_note_and_a_limit_keeps_the_first_rows():
    table = read_csv_text("a,b\n1,2\n3,4\n5,6\n")
    matched = rows_for_model(table, ["b", "a"], "new.csv", limit=2)
    assert matched.rows == [["2", "1"], ["4", "3"]] and matched.extra_note() is None


def test_a_missing_column_is_named_with_the_columns_the_model_needs():
    table = read_csv_text("a,x\n1,2\n")
    with pytest.raises(FcnnError) as caught:
        rows_for_model(table, ["a", "b", "c"], "new.csv")
    message = str(caught.value)
    assert "new.csv has no column 'b' (and 1 more)" in message and "a, b, c" in message and "add the missing" in message
