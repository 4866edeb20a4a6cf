"""Row numbers and numeric ids are left out of the features unless chosen, as text ids are."""

import pathlib
import time

import numpy as np
import pytest

from fcnn.errors import DataError
from fcnn.run.samples import TOY_SETS, toy_csv
from fcnn.tables import infer_columns, left_out_by_default, prepare, read_csv_text
from fcnn.tables.columns import MIN_COUNTED_VALUES, Column
from fcnn.tables.left_out import named_like_an_id

DATA = pathlib.Path(__file__).resolve().parents[2] / "static" / "data"


def table_of(**columns):
    """A table of the given columns (lists of cells, all the same length), in keyword order."""
    names = list(columns)
    rows = zip(*(columns[name] for name in names))
    return read_csv_text(",".join(names) + "\n" + "".join(",".join(map(str, row)) + "\n" for row in rows))


def infos_of(**columns):
    return {info.name: info for info in infer_columns(table_of(**columns))}


def shuffled(values, seed=0):
    return list(np.random.default_rng(seed).permutation(values))


# ---------------------------------------------------------------------------
# the rules


@pytest.mark.parametrize("name", ["id", "ID", "Id", " id ", "row_id", "PassengerId", "customer_id", "userID",
                                  "index", "Index", "rownames", "row.names", "RowNames", "row_number", "idx",
                                  "Unnamed: 0", "Unnamed: 12", "order id", "ID-2"])
def test_names_of_identifiers(name):
    assert named_like_an_id(name)


@pytest.mark.parametrize("name", ["idle_time", "width", "valid", "Idaho", "ideal", "hidden", "paid", "void",
                                  "indexed_price", "x", "rows", "names", "Unnamed", "unnamed: x", "grid"])
def test_names_that_are_not_identifiers(name):
    assert not named_like_an_id(name)


@pytest.mark.parametrize("start", [1, 0, -3, 1000])
def test_a_column_counting_up_by_one_in_file_order_is_a_row_number_from_any_start(start):
    info = infos_of(n=[start + k for k in range(20)], y=range(20))["n"]
    assert info.counts_from == start
    assert left_out_by_default([info]) == {
        "n": f"column 'n' counts {start}, {start + 1}, {start + 2}… in file order: a row number, not a measurement"
    }


def test_a_row_number_with_blank_cells_still_counts_the_rows():
    cells = [str(k + 1) for k in range(30)]
    cells[0] = cells[7] = cells[8] = ""
    assert infos_of(n=cells, y=range(30))["n"].counts_from == 1  # the first row's would-be value


@pytest.mark.parametrize(
    "cells",
    [
        shuffled(range(1, 41)),  # distinct whole numbers, not in order: a measurement such as a count
        list(range(40, 0, -1)),  # counting down
        list(range(0, 80, 2)),  # steps of two
        [k + 0.5 for k in range(40)],  # not whole
        list(range(20)) + list(range(20)),  # counts, then starts again
        list(range(1, 21)) + [25] + list(range(22, 41)),  # a gap
        list(range(MIN_COUNTED_VALUES - 1)),  # too few values to tell
    ],
    ids=["shuffled", "down", "by-two", "halves", "restarts", "gap", "too-few"],
)
def test_columns_that_do_not_count_the_rows_are_kept(cells):
    info = infos_of(n=cells, y=range(len(cells)))["n"]
    assert info.counts_from is None and left_out_by_default([info]) == {}


def test_a_column_named_like_an_id_is_left_out_when_its_values_are_distinct_whole_numbers():
    ids = shuffled(range(5000, 5060))
    infos = infos_of(PassengerId=ids, customer_id=[i * 10 for i in ids], y=range(60))
    why = left_out_by_default([infos["PassengerId"], infos["customer_id"]])
    assert why == {
        name: f"column {name!r} is named like an identifier and every value is distinct: an id, not a measurement"
        for name in ("PassengerId", "customer_id")
    }


@pytest.mark.parametrize(
    "cells",
    [
        [f"{v:.3f}" for v in np.linspace(0, 1, 40)],  # real-valued data under the name "id"
        [k % 7 for k in shuffled(range(40))],  # repeated whole numbers: a code, a category
        shuffled(range(40))[:39] + ["x1"],  # text: the text rule decides (40 values are few enough to be categories)
    ],
    ids=["real-valued", "repeated", "text"],
)
def test_a_column_named_id_that_is_no_id_stays_a_feature(cells):
    info = infos_of(id=cells, y=range(40))["id"]
    assert left_out_by_default([info]) == {}


def test_a_feature_of_distinct_whole_numbers_with_a_plain_name_is_kept():
    info = infos_of(rooms_total=shuffled(range(100, 400)), y=range(300))["rooms_total"]
    assert info.all_integers and info.n_distinct == info.n_values and left_out_by_default([info]) == {}


@pytest.mark.parametrize("path", sorted(DATA.glob("*.csv")), ids=lambda p: p.name)
def test_no_bundled_file_loses_a_column(path):
    assert left_out_by_default(infer_columns(read_csv_text(path.read_bytes()))) == {}


@pytest.mark.parametrize("name", sorted(TOY_SETS))
def test_no_toy_set_loses_a_column(name):
    for seed in range(3):
        assert left_out_by_default(infer_columns(read_csv_text(toy_csv(name, seed)[0]))) == {}


def test_the_count_check_reads_the_typed_numbers_not_the_cells(monkeypatch):
    # a big file's numbers are parsed in one numpy call; the rule must not go back to the cells
    n = 100_000
    table = read_csv_text("rownames,x,y\n" + "".join(f"{k + 1},{k % 97},{k % 13}\n" for k in range(n)))
    table.column(0)  # the file's numbers parsed, as loading a table does

    def no_cells(column):
        raise AssertionError(f"column {column.name!r} was read cell by cell")

    monkeypatch.setattr(Column, "cells", property(no_cells))
    begun = time.perf_counter()
    infos = infer_columns(table)
    took = time.perf_counter() - begun
    assert infos[0].counts_from == 1 and infos[1].counts_from is None and infos[2].counts_from is None
    assert took < 2.0, f"inferring 3 columns of {n} rows took {took:.2f} s"  # about 0.02 s; a wide margin


# ---------------------------------------------------------------------------
# prepare: features=None leaves them out with a note; chosen, they stay


def diamonds_like(n=200):
    """A table sorted by price, whose first column numbers the rows: the row number predicts the price."""
    rng = np.random.default_rng(2)
    carat = np.sort(rng.uniform(0.2, 3, n))
    price = 3000 * carat + rng.normal(0, 50, n)
    return table_of(rownames=range(1, n + 1), carat=[f"{c:.2f}" for c in carat], price=[f"{p:.0f}" for p in price])


def test_prepare_leaves_a_row_number_out_with_a_note_saying_how_to_keep_it():
    data = prepare(diamonds_like(), "price")
    assert data.features == ["carat"] and data.report.dropped_columns == ["rownames"]
    assert ("column 'rownames' counts 1, 2, 3… in file order: a row number, not a measurement, so it is left out "
            "of the features; choose it as a feature if it really is one") in data.report.notes


def test_a_row_number_chosen_as_a_feature_stays_one():
    data = prepare(diamonds_like(), "price", features=["rownames", "carat"])
    assert data.features == ["rownames", "carat"] and data.report.dropped_columns == []
    assert not any("rownames" in note for note in data.report.notes)


def test_the_target_is_never_left_out_even_when_it_counts_the_rows():
    data = prepare(table_of(x=shuffled(range(50)), id=range(50), step=range(1, 51)), "step", task="regression")
    assert data.target == "step" and data.features == ["x"] and data.report.dropped_columns == ["id"]


def test_a_table_of_nothing_but_ids_and_a_target_says_to_choose_the_features():
    with pytest.raises(DataError, match=r"every column but the target looks like an id, a row number or free text "
                                        r"\(column 'n' counts 0, 1, 2… .*\); choose the feature columns yourself"):
        prepare(table_of(n=range(30), y=shuffled(range(30))), "y")
