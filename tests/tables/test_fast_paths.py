"""The fast paths for big files give exactly what the general paths give.

Reading a file of 100,000 rows takes shortcuts (string methods instead of the
csv module, every number parsed in one numpy call, missing cells and targets
decided on arrays or on distinct values). Each test here puts a shortcut
beside the path it stands in for, on the inputs where they could part:
missing-value tokens, "1e3", " 2 ", "+1", "inf", "nan", "-nan", "1_000",
thousands separators, line endings, blank lines, spaces.
"""

import json
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fcnn.tables.cells as cells
import fcnn.tables.columns as columns
import fcnn.tables.header as header
import fcnn.tables.records as records
from fcnn.errors import DataError
from fcnn.tables.cells import is_missing, parse_number
from fcnn.tables.columns import Column, infer_columns
from fcnn.tables.features import FeaturePipeline
from fcnn.tables.prepare import prepare
from fcnn.tables.records import sniff_delimiter
from fcnn.tables.table import Table, read_csv_text
from fcnn.tables.targets import ClassTarget, RegressionTarget
from fcnn.web.session import Session

TRICKY_CELLS = ["1e3", " 2 ", "+1", "-0", "inf", "-inf", "nan", "-nan", "NaN", "NA", "", "?", "1_000", "1,000",
                "١٢", "0x10", ".5", "5.", "1e400", "red"]


# ---------------------------------------------------------------------------
# records: string methods (text without quotes) against the csv module


PLAIN_TEXTS = [
    "a,b\n1,2\n",
    "a,b\r\n1,2\r\n3,4",  # Windows line ends, no final one
    "a,b\r1,2\r3,4\r",  # old Mac line ends
    "a,b\n\n1,2\n,\n , \n3,4\n\n",  # blank lines, a line of delimiters, one of spaces
    " a , b \n 1 ,2\t\n\t3,4 \n",  # spaces and tabs around cells
    "city,n\nNew York,1\nSan José,2\n",  # spaces inside cells, non-ASCII
    "a,b\n1\x0b,2\n\x0c3,4\n",  # vertical tab and form feed are spaces to str.strip
    "a,b\n1\xa0,2\n3,\u20034\n",  # non-ASCII spaces
    "a,b\n1\u2028x,2\n",  # a Unicode line separator is no line end for the csv module
    "a,b,\n1,2,\n",  # a trailing delimiter: an empty last cell
    "\n\n\n",
    "",
    "x\n1\n2\n",
    "a\tb\n1\t2\n 3 \t 4\n",
]


@pytest.mark.parametrize("text", PLAIN_TEXTS)
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_plain_records_are_the_csv_modules(text, delimiter):
    assert records._read_plain_records(text, delimiter) == records._read_quoted_records(text, delimiter)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([",", ";", "\t", "\n", "\r", "\r\n", " ", "\x0b", "\x1f", "\xa0", "\u2028", "a", "1",
                              "-", ".", "é", "NA", ""]), max_size=60),
    st.sampled_from([",", ";", "\t"]),
)
def test_plain_records_are_the_csv_modules_on_any_text_without_quotes(parts, delimiter):
    text = "".join(parts)
    assert records._read_plain_records(text, delimiter) == records._read_quoted_records(text, delimiter)


def test_text_with_a_quote_or_a_huge_field_goes_to_the_csv_module():
    assert records._read_plain_records('a,b\n"1,5",2\n', ",") is None
    huge = "a,b\n" + "x" * 200_000 + ",1\n"
    assert records._read_plain_records(huge, ",") is None
    with pytest.raises(DataError, match=r"^a value starting on line 2 is longer than 131,072 characters"):
        read_csv_text(huge)


def test_a_ragged_row_is_still_named_by_its_line():
    with pytest.raises(DataError, match=r"^line 4 has 3 fields but the header has 2 columns"):
        read_csv_text("a,b\n1,2\n\n3,4,5\n6,7\n")


# ---------------------------------------------------------------------------
# decimal commas: whole columns, against the rule cell by cell


def decimal_commas_cell_by_cell(columns, rows):
    """The rule as it reads: a column is rewritten when every non-missing cell fits."""
    notes = []
    for position, name in enumerate(columns):
        values = [row[position] for row in rows if not is_missing(row[position])]
        if values and any("," in v for v in values) and all(header.DECIMAL_COMMA.fullmatch(v) for v in values):
            for row in rows:
                row[position] = row[position].replace(",", ".")
            notes.append(f"column {name!r} writes numbers with a decimal comma (like {values[0]!r}); they are read as numbers")
    return notes


DECIMAL_CELLS = ["1,5", "1,", ",5", "-1,5e3", "+2", "7", "1,2,3", "1.000,5", "1.5", "NA", "", "?", "a,b", "١,٥",
                 "1 ,5", "1,5\n2"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(DECIMAL_CELLS), min_size=3, max_size=3), min_size=1, max_size=6))
def test_decimal_commas_by_whole_columns_are_the_rule_cell_by_cell(rows):
    columns = ["a", "b", "c"]
    expected_rows = [list(row) for row in rows]
    expected_notes = decimal_commas_cell_by_cell(columns, expected_rows)
    assert header.read_decimal_commas(columns, rows) == expected_notes
    assert rows == expected_rows


def test_a_semicolon_file_with_decimal_commas_reads_as_numbers():
    table = read_csv_text("a;b;c\n1,5;x,y;2\n-0,25e1;NA;3\n;z;4,0\n")
    assert table.rows == [["1.5", "x,y", "2"], ["-0.25e1", "NA", "3"], ["", "z", "4.0"]]
    assert [note for note in table.notes if "decimal comma" in note] == [
        "column 'a' writes numbers with a decimal comma (like '1,5'); they are read as numbers",
        "column 'c' writes numbers with a decimal comma (like '2'); they are read as numbers",
    ]


# ---------------------------------------------------------------------------
# the delimiter is guessed on the first characters, as on the whole text


def test_the_delimiter_guess_reads_more_when_the_first_characters_hold_few_records(monkeypatch):
    # rows of about 5,000 characters, decimal commas in varying numbers: the first
    # 64 KB hold a dozen records, fewer than the guess needs
    rows = [";".join(f"{i},5" if (i * k) % 7 == 0 else str(i) for i in range(1000)) for k in range(60)]
    text = "\n".join(rows) + "\n"
    assert len(text[: records.SNIFF_CHARS].splitlines()) < records.SNIFF_RECORDS
    guess = sniff_delimiter(text)
    monkeypatch.setattr(records, "SNIFF_CHARS", len(text) + 1)
    assert sniff_delimiter(text) == guess == ";"


def test_a_quoted_line_break_across_the_first_characters_is_read_whole(monkeypatch):
    body = "".join(f'{i};"x, y\n{"z" * 3000}";{i}\n' for i in range(60))  # records of two lines
    text = "a;b;c\n" + body
    guess = sniff_delimiter(text)
    monkeypatch.setattr(records, "SNIFF_CHARS", len(text) + 1)
    assert sniff_delimiter(text) == guess == ";"


# ---------------------------------------------------------------------------
# numbers: every cell in one numpy call, against column by column


def per_column(table, index):
    """Table.column's numbers as they are without the whole-table parse."""
    slow = Table(columns=table.columns, rows=table.rows, line_numbers=table.line_numbers)
    slow._all_parsed = True
    return slow.column(index).numbers, slow.column(index).numeric


def assert_same_numbers(table):
    for index in range(len(table.columns)):
        values, numeric = table.column(index).numbers, table.column(index).numeric
        expected_values, expected_numeric = per_column(table, index)
        assert numeric == expected_numeric
        np.testing.assert_array_equal(values, expected_values)


@pytest.mark.parametrize("cell", TRICKY_CELLS)
def test_whole_table_numbers_are_column_by_column_numbers(cell):
    table = Table(columns=["a", "b"], rows=[["1", cell], [cell, "2.5"], ["3", "4"]], line_numbers=[2, 3, 4])
    assert_same_numbers(table)


def test_numbers_parsed_whole_match_float_of_each_cell():
    rows = [["1e3", " 2 ", "+1"], ["1_000", ".5", "-0"], ["nan", "4", "5."]]
    table = Table(columns=["a", "b", "c"], rows=rows, line_numbers=[2, 3, 4])
    for index in range(3):
        values, numeric = table.column(index).numbers, table.column(index).numeric
        assert numeric
        np.testing.assert_array_equal(values, [float(row[index]) for row in rows])
    assert table._all_parsed and len(table._typed) == 3  # one call parsed them all


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(TRICKY_CELLS + ["7", "-3.25", "0"]), min_size=3, max_size=3),
                min_size=1, max_size=8))
def test_whole_table_numbers_on_any_cells(rows):
    assert_same_numbers(Table(columns=["a", "b", "c"], rows=rows, line_numbers=list(range(2, len(rows) + 2))))


@pytest.mark.parametrize("cell", TRICKY_CELLS)
def test_missing_cells_are_those_is_missing_names(cell):
    rows = [["1", cell], [cell, "NA"], ["nan", "4"], ["2", "-nan"]]
    table = Table(columns=["a", "b"], rows=rows, line_numbers=[2, 3, 4, 5])
    for index in range(2):
        assert table.column(index).missing.tolist() == [is_missing(row[index]) for row in rows]


# ---------------------------------------------------------------------------
# targets: arrays and distinct values, against a loop over every cell


def test_regression_target_values_of_number_text_are_float_of_each_cell():
    cells = ["1e3", " 2 ", "+1", "-0", "1_000", ".5"]
    np.testing.assert_array_equal(RegressionTarget("y").values(cells), [parse_number(c) for c in cells])


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (["1", "inf"], "the target 'y' holds 'inf' on line 8, which is not a number"),
        (["1", "-nan"], "the target 'y' holds '-nan' on line 8, which is not a number"),
        (["1", "1,000"], "the target 'y' holds '1,000' on line 8, which is not a number"),
        (["1", "nan"], "the target 'y' has no value on line 8"),
        (["1", " NA "], "the target 'y' has no value on line 8"),
        (np.array([1.0, np.nan]), "the target 'y' has no value on line 8"),
    ],
)
def test_regression_target_refusals_still_name_the_cell_and_line(cells, message):
    with pytest.raises(DataError, match=message):
        RegressionTarget("y").values(cells, line_numbers=[7, 8])


def test_class_labels_are_found_per_distinct_value_as_per_cell():
    cells = ["1", "1.0", " 2 ", "2", "+2", "10", "1e0"]
    encoder = ClassTarget("multiclass", "k").fit(cells)
    assert encoder.classes == ["1", "2", "10"] and encoder.numeric_labels
    assert encoder.encode(cells).tolist() == [0, 0, 1, 1, 1, 2, 0]
    assert encoder.encode(np.array([2.0, 1.0, 10.0])).tolist() == [1, 0, 2]
    with pytest.raises(DataError, match="the target 'k' holds '3' on line 6, which is not one of the classes"):
        encoder.encode(["1", "3"], line_numbers=[5, 6])


def test_equal_values_of_other_kinds_keep_their_own_labels():
    # 1 == True == 1.0, but as labels they are "1", "True" and "1"
    assert cells.map_distinct(cells.label_text, [1, True, 1.0]) == ["1", "True", "1"]


# ---------------------------------------------------------------------------
# prepare: the fast paths together, against the general paths


def general_paths(monkeypatch):
    """Turn every shortcut prepare takes back into the loop it replaces."""
    monkeypatch.setattr(Table, "_parse_all_numbers", lambda self: setattr(self, "_all_parsed", True))
    monkeypatch.setattr(
        Column, "missing", property(lambda self: np.array([is_missing(cell) for cell in self.cells], dtype=bool))
    )
    monkeypatch.setattr(columns, "map_distinct", lambda function, values: [function(v) for v in values])
    monkeypatch.setattr(
        FeaturePipeline, "count_missing_in_columns",
        lambda self, typed, rows: {name: n for name, n in (
            (name, sum(is_missing(column.cells[i]) for i in rows)) for name, column in typed.items()) if n},
    )


def tricky_csv(seed, n=120):
    rng = np.random.default_rng(seed)
    lines = ["x1,x2,x3,label,y"]
    for k in range(n):
        x1 = rng.choice(["1e3", " 2 ", "+1", "NA", "", "nan", f"{rng.normal():.3f}"], p=[.1, .1, .1, .1, .05, .05, .5])
        x2 = rng.choice(["-0", "7", "?", f"{rng.normal():.4g}"], p=[.1, .1, .1, .7])
        x3 = rng.choice(["red", "blue", " green ", "NA"])
        label = rng.choice(["1", "1.0", "2", " 3", "NA"], p=[.3, .1, .3, .25, .05])
        y = rng.choice(["", f"{rng.normal() * 100:.2f}", "1e2"], p=[.05, .9, .05])
        lines.append(f"{x1},{x2},{x3},{label},{y}")
    return "\n".join(lines) + "\n"


def prepared_summary(text, **kwargs):
    table = read_csv_text(text)
    prepared = prepare(table, **kwargs)
    report = json.loads(json.dumps(prepared.report.to_dict()))
    arrays = [prepared.x_train, prepared.x_test, prepared.y_train, prepared.y_test, prepared.target_train,
              prepared.target_test, prepared.train_rows, prepared.test_rows]
    return report, [a.tolist() for a in arrays], prepared.pipeline.to_dict(), prepared.encoder.to_dict()


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize(
    "kwargs",
    [
        {"target": "y"},
        {"target": "label"},
        {"target": "label", "task": "multiclass", "missing": "drop"},
        {"target": "y", "features": ["x1", "x2"], "missing": "drop", "scaling": "minmax"},
        {"target": "x2", "features": ["x1", "x3"]},
    ],
)
def test_prepare_gives_what_the_general_paths_give(monkeypatch, seed, kwargs):
    text = tricky_csv(seed)
    fast = prepared_summary(text, **kwargs)
    general_paths(monkeypatch)
    assert prepared_summary(text, **kwargs) == fast


def outcome(text, **kwargs):
    try:
        return prepared_summary(text, **kwargs)
    except DataError as error:
        return str(error)


@pytest.mark.parametrize("odd_cell", [None, "nan", "-nan", "inf", "1e3"])
@pytest.mark.parametrize("column", [0, 3])
def test_a_file_of_numbers_is_read_and_prepared_alike_either_way(monkeypatch, odd_cell, column):
    rng = np.random.default_rng(3)
    rows = [[f"{v:.6g}" for v in row] for row in rng.normal(size=(300, 4))]
    if odd_cell is not None:
        rows[17][column] = rows[200][column] = odd_cell
    text = "a,b,c,y\n" + "".join(",".join(row) + "\n" for row in rows)
    fast = outcome(text, target="y")
    general_paths(monkeypatch)
    monkeypatch.setattr(records, "_read_plain_records", lambda text, delimiter: None)
    assert outcome(text, target="y") == fast


def test_session_takes_a_files_bytes_and_its_column_kinds_once():
    session = Session()
    answer = json.loads(session.load_csv("name,città,n\nJosé,1,2\nZoë,2,3\nAl,3,1\n".encode("latin-1"), "l.csv"))
    assert answer["ok"] and answer["preview"][0] == ["José", "1", "2"]
    assert any("Latin-1" in note for note in answer["notes"])
    assert [c.name for c in session.columns] == ["name", "città", "n"]
    assert infer_columns(session.table) == session.columns


# ---------------------------------------------------------------------------
# typed columns: a table's columns, against the same cells typed one by one


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("missing", ["impute", "drop"])
def test_transforming_a_tables_typed_columns_is_transforming_its_rows_cell_by_cell(seed, missing):
    table = read_csv_text(tricky_csv(seed))
    rows = np.arange(0, table.n_rows, 2)
    pipeline = FeaturePipeline(infer_columns(table), ["x1", "x2", "x3", "label"], missing=missing).fit(table, rows)
    cells = [table.rows[i] for i in rows.tolist()]
    lines = [table.line_numbers[i] for i in rows.tolist()]
    try:
        fast = pipeline.transform_table(table, rows)
    except DataError as error:
        with pytest.raises(DataError, match=f"^{re.escape(str(error))}$"):
            pipeline.transform_rows(cells, columns=table.columns, line_numbers=lines)
        return
    np.testing.assert_array_equal(fast, pipeline.transform_rows(cells, columns=table.columns, line_numbers=lines))
    counted = pipeline.count_missing_in_table(table, rows)
    assert counted == pipeline.count_missing(cells, columns=table.columns)


@pytest.mark.parametrize("name", ["label", "y"])
def test_encoding_a_tables_typed_target_column_is_encoding_its_cells(name):
    table = read_csv_text(tricky_csv(3))
    column = table.column_named(name)
    rows = np.flatnonzero(~column.missing)
    cells = [table.rows[i][table.column_index(name)] for i in rows.tolist()]
    task = "multiclass" if name == "label" else "regression"
    by_column = ClassTarget(task, name) if name == "label" else RegressionTarget(name)
    by_cells = ClassTarget(task, name) if name == "label" else RegressionTarget(name)
    by_column.fit_column(column, rows)
    by_cells.fit(cells)
    assert by_column.to_dict() == by_cells.to_dict()
    np.testing.assert_array_equal(by_column.encode_column(column, rows), by_cells.encode(cells))


@pytest.mark.parametrize("values", [[1.0, np.nan, -2.5, np.inf], [0.0, -np.inf, np.nan], [3.0, 4.0]])
def test_a_column_of_a_float_array_is_the_column_of_its_numbers_one_by_one(values):
    fast = Column.of_values("v", np.array(values))
    slow = Column("v", list(values))
    np.testing.assert_array_equal(fast.numbers, slow.numbers)
    assert fast.numeric == slow.numeric
    assert fast.missing.tolist() == slow.missing.tolist()
    assert fast.labels == slow.labels and fast.codes.tolist() == slow.codes.tolist()
