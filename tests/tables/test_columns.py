"""Cells and typed columns: missing cells, numbers, labels, what each column holds."""

import pytest

from fcnn.errors import DataError
from fcnn.tables.cells import is_missing, parse_number, sort_labels
from fcnn.tables.columns import infer_column, infer_columns
from fcnn.tables.table import read_csv_text


# ---------------------------------------------------------------------------
# cells and columns


@pytest.mark.parametrize("cell", ["", "  ", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?", " NA ", "#N/A", None, float("nan")])
def test_missing_cells(cell):
    assert is_missing(cell)


@pytest.mark.parametrize("cell", ["0", "none", "x", "na-1", 0, 0.0, "-"])
def test_not_missing_cells(cell):
    assert not is_missing(cell)


def test_parse_number_accepts_finite_numbers_only():
    assert parse_number(" 2.5 ") == 2.5 and parse_number("1e3") == 1000.0 and parse_number(7) == 7.0
    for cell in ["inf", "-inf", "nan", "abc", "", None, True, float("inf")]:
        assert parse_number(cell) is None


def test_sort_labels_puts_numbers_first_in_numeric_order():
    assert sort_labels(["10", "b", "2", "a", "2", "-1.5"]) == ["-1.5", "2", "10", "a", "b"]


def test_infer_columns_kinds_counts_and_flags():
    table = read_csv_text(
        "num,int,cat,empty,const,mixed\n"
        "1.5,1,red,,7,1\n"
        "NA,2,blue,NA,7,x\n"
        "2.5,2,red,?,7,2\n"
        "3,,N/A,,7.0,3\n"
    )
    infos = {info.name: info for info in infer_columns(table)}
    num = infos["num"]
    assert (num.kind, num.n_values, num.n_missing, num.n_distinct, num.all_integers) == ("numeric", 3, 1, 3, False)
    assert num.categories is None and not num.constant
    integer = infos["int"]
    assert integer.kind == "numeric" and integer.all_integers and integer.n_distinct == 2 and integer.n_missing == 1
    cat = infos["cat"]
    assert cat.kind == "categorical" and cat.categories == ["blue", "red"] and cat.n_missing == 1 and cat.n_distinct == 2
    empty = infos["empty"]
    assert empty.kind == "empty" and empty.n_values == 0 and empty.n_missing == 4 and empty.n_distinct == 0
    const = infos["const"]  # "7" and "7.0" are one number
    assert const.kind == "numeric" and const.constant and const.n_distinct == 1
    mixed = infos["mixed"]
    assert mixed.kind == "categorical" and mixed.categories == ["1", "2", "3", "x"]
    assert [info.index for info in infer_columns(table)] == list(range(6))
    assert infos["cat"].to_dict()["categories"] == ["blue", "red"]


def test_infer_column_names_an_unknown_column():
    with pytest.raises(DataError, match="no column named 'z'; pick one of: a, b"):
        infer_column(read_csv_text("a,b\n1,2\n"), "z")
