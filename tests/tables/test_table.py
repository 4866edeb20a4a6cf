"""Reading CSV text and bytes into a Table: encodings, delimiters, quotes, the header, bad files."""

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcnn.errors import DataError
from fcnn.tables.columns import infer_columns
from fcnn.tables.header import first_row_is_header
from fcnn.tables.records import sniff_delimiter
from fcnn.tables.scalers import numeric_matrix
from fcnn.tables.table import Table, read_csv_text


def read(text, **kwargs):
    return read_csv_text(text, **kwargs)


# ---------------------------------------------------------------------------
# reading: encodings


def test_reads_header_and_rows_with_quotes_bom_and_blank_lines():
    table = read('\ufeffa,"b, quoted",c\n1,2,3\n\n4,5,6\n')
    assert table.columns == ["a", "b, quoted", "c"]
    assert table.rows == [["1", "2", "3"], ["4", "5", "6"]]
    assert table.line_numbers == [2, 4]
    assert table.has_header and table.delimiter == "," and table.notes == []


def test_utf8_bytes_with_and_without_bom():
    plain = read("größe,preis\n1,2\n".encode("utf-8"))
    assert plain.columns == ["größe", "preis"] and plain.encoding == "utf-8"
    with_bom = read(codecs.BOM_UTF8 + "größe,preis\n1,2\n".encode("utf-8"))
    assert with_bom.columns == ["größe", "preis"] and with_bom.encoding == "utf-8-sig"
    assert with_bom.notes == []


def test_latin1_bytes_are_decoded_with_a_note_not_refused():
    raw = "ville;prix\nMontréal;3\nZürich;€4\n".encode("cp1252")
    table = read(raw)
    assert table.encoding == "cp1252"
    assert table.rows == [["Montréal", "3"], ["Zürich", "€4"]]
    assert any("decoded as Latin-1" in note for note in table.notes)


def test_bytes_undefined_in_cp1252_fall_back_to_strict_latin1():
    table = read(b"a,b\n\x81x,1\n\xe9,2\n")
    assert table.encoding == "latin-1"
    assert table.rows[0][0] == "\x81x" and table.rows[1][0] == "é"
    assert any("decoded as Latin-1" in note for note in table.notes)


def test_utf16_with_bom_is_read():
    raw = codecs.BOM_UTF16_LE + "name\tvalue\nä\t1\n".encode("utf-16-le")
    table = read(raw)
    assert table.encoding == "utf-16" and table.delimiter == "\t"
    assert table.columns == ["name", "value"] and table.rows == [["ä", "1"]]


@pytest.mark.parametrize(
    "raw",
    [
        b"a,b\n\x00\x01,2\n",
        bytes(range(256)) * 8,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"PK\x03\x04\x14\x00\x06\x00",  # an .xlsx is a zip archive
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # an old .xls
    ],
)
def test_binary_bytes_are_refused(raw):
    with pytest.raises(DataError, match="binary"):
        read(raw)


def test_binary_text_is_refused():
    with pytest.raises(DataError, match="binary"):
        read("a,b\n\x00\x01,2\n")
    with pytest.raises(DataError, match="binary"):
        read("\x01\x02\x03\x04,\x05\x06\n" * 20)


def test_a_workbook_gets_a_save_as_csv_hint():
    with pytest.raises(DataError, match="Excel.*Save As › CSV"):
        read(b"PK\x03\x04rest of a zip")


def test_only_str_and_bytes_are_accepted():
    with pytest.raises(TypeError):
        read_csv_text(["a,b", "1,2"])


# ---------------------------------------------------------------------------
# reading: delimiters and quoting


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_sniffs_semicolon_and_tab(delimiter):
    table = read(f"x{delimiter}y\n1{delimiter}2\n")
    assert table.columns == ["x", "y"] and table.delimiter == delimiter
    assert numeric_matrix(table, ["x", "y"]).tolist() == [[1.0, 2.0]]


def test_delimiters_inside_quotes_do_not_count_when_sniffing():
    text = 'name;note\n"Smith, J.";"a, b, c"\n"Doe, A.";"d, e"\n'
    assert sniff_delimiter(text) == ";"
    table = read(text)
    assert table.rows == [["Smith, J.", "a, b, c"], ["Doe, A.", "d, e"]]


def test_commas_in_unquoted_text_of_a_tab_file_do_not_fool_the_sniffer():
    text = "city\tremark\nParis\tnice, big\nLyon\tsmall\n"
    assert sniff_delimiter(text) == "\t"
    assert read(text).rows[0] == ["Paris", "nice, big"]


def test_one_column_file_is_read_as_one_column():
    table = read("value\n1\n2\n")
    assert table.columns == ["value"] and table.rows == [["1"], ["2"]]


def test_quoted_fields_hold_newlines_doubled_quotes_and_delimiters():
    text = 'id,comment,score\n1,"line one\nline two",5\n2,"she said ""hi"", then left",6\n3,plain,7\n'
    table = read(text)
    assert table.rows == [
        ["1", "line one\nline two", "5"],
        ["2", 'she said "hi", then left', "6"],
        ["3", "plain", "7"],
    ]
    # a row's line is the line it starts on
    assert table.line_numbers == [2, 4, 5]


def test_crlf_and_old_mac_line_endings():
    assert read("a,b\r\n1,2\r\n3,4\r\n").rows == [["1", "2"], ["3", "4"]]
    assert read("a,b\r1,2\r3,4\r").rows == [["1", "2"], ["3", "4"]]


def test_decimal_commas_in_a_semicolon_file_become_numbers():
    table = read("x;y;label\n1,5;2;a,b\n-0,25;3,75;c\n")
    assert table.rows == [["1.5", "2", "a,b"], ["-0.25", "3.75", "c"]]
    assert [info.kind for info in infer_columns(table)] == ["numeric", "numeric", "categorical"]
    assert any("decimal comma" in note and "'x'" in note for note in table.notes)


def test_cells_are_stripped_and_rows_of_empty_cells_skipped():
    table = read("a , b\n 1 , 2 \n,\n , \n3,4\n")
    assert table.columns == ["a", "b"]
    assert table.rows == [["1", "2"], ["3", "4"]]
    assert table.line_numbers == [2, 5]


# ---------------------------------------------------------------------------
# reading: header or not


def test_headerless_numeric_file_gets_generated_names():
    table = read("1,2\n3,4\n")
    assert not table.has_header
    assert table.columns == ["column_1", "column_2"]
    assert table.rows == [["1", "2"], ["3", "4"]] and table.line_numbers == [1, 2]
    assert any("column_1" in note for note in table.notes)


def test_headerless_file_with_a_recurring_class_column():
    # the UCI iris.data layout: no header, the class label recurs
    text = "5.1,3.5,1.4,0.2,Iris-setosa\n4.9,3.0,1.4,0.2,Iris-setosa\n7.0,3.2,4.7,1.4,Iris-versicolor\n"
    table = read(text)
    assert not table.has_header and table.n_rows == 3
    assert table.columns[-1] == "column_5"


def test_header_is_found_over_text_and_mostly_missing_columns():
    table = read("name,age,note\nAnn,31,\nBob,NA,x\n")
    assert table.has_header and table.columns == ["name", "age", "note"]


def test_all_text_file_header_guess():
    assert read("color,size\nred,small\nblue,large\nred,large\n").has_header
    # the first row repeats below it: it is data
    assert not read("red,small\nblue,large\nred,small\n").has_header


def test_header_can_be_forced_either_way():
    years = "country,2019,2020\nFrance,1.5,1.6\nItaly,2.5,2.6\n"
    assert read(years, header=True).columns == ["country", "2019", "2020"]
    forced = read("a,b\nc,d\n", header=False)
    assert forced.columns == ["column_1", "column_2"] and forced.rows == [["a", "b"], ["c", "d"]]


def test_first_row_is_header_rules():
    assert first_row_is_header(["x", "y"], [["1", "2"], ["3", "4"]])
    assert not first_row_is_header(["1", "2"], [["3", "4"]])
    assert first_row_is_header(["name", "city"], [["ann", "rome"], ["bob", "oslo"]])
    assert not first_row_is_header(["a", "1"], [["a", "2"], ["b", "3"]])
    # no rows below to compare with: a header if it is all text
    assert first_row_is_header(["a", "b"], [])
    assert not first_row_is_header(["a", "1"], [])
    # a missing-value token on top does not vote
    assert first_row_is_header(["NA", "k"], [["1", "2"]])


def test_duplicate_header_names_are_made_unique_with_a_note():
    table = read("a,b,a,a\n1,2,3,4\n")
    assert table.columns == ["a", "b", "a_2", "a_3"]
    assert sum("'a' more than once" in note for note in table.notes) == 2


def test_suffix_does_not_collide_with_an_existing_name():
    table = read("a,a,a_2\n1,2,3\n")
    assert table.columns == ["a", "a_3", "a_2"]


def test_empty_header_names_become_column_n_with_a_note():
    table = read("a,,c,\n1,2,3,4\n")
    assert table.columns == ["a", "column_2", "c", "column_4"]
    assert any("column 2 has no name" in note for note in table.notes)
    # a generated name that is already taken is made unique as well
    assert read("column_2,,c\n1,2,3\n").columns == ["column_2", "column_2_2", "c"]


# ---------------------------------------------------------------------------
# reading: refused files


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        (b"", "empty"),
        ("a,b,c\n", "no data rows"),
        ("a,b,c\n\n\n", "no data rows"),
        ("a,b\n1,2\n3\n", "line 3 has 1 field but the header has 2 columns"),
        ("a,b\n1,2\n3,4,5\n", "line 3 has 3 fields but the header has 2 columns"),
        ("1,2\n3,4\n5\n", "line 3 has 1 field but the first row (line 1) has 2 fields"),
        ("a,b\n\x00\x01,2\n", "binary"),
    ],
)
def test_bad_files_get_a_message_naming_the_problem(text, fragment):
    with pytest.raises(DataError) as info:
        read(text)
    assert fragment in str(info.value)


def test_ragged_row_messages_say_what_to_do():
    with pytest.raises(DataError, match="one value per column.*must be in double quotes"):
        read("a,b\n1,2\nParis, France,3\n")
    with pytest.raises(DataError, match="lines 3–4.*quote opened on line 3"):
        read('a,b\n1,2\n"3,4\n5,6\n')


def test_a_quote_that_never_closes_is_reported_with_its_line():
    with pytest.raises(DataError, match="from line 2 on.*quote"):
        read('a,b\n"1' + "x" * 200_000 + "\n")


# ---------------------------------------------------------------------------
# the property: any input gives a Table or a DataError


def check_table(table):
    assert isinstance(table, Table)
    assert table.columns and len(set(table.columns)) == len(table.columns)
    assert all(name for name in table.columns)
    assert table.n_rows >= 1 and len(table.line_numbers) == table.n_rows
    assert all(len(row) == len(table.columns) for row in table.rows)
    assert table.delimiter in (",", ";", "\t")


# CSV-like text: pieces that stress delimiters, quotes, line ends, numbers and missing tokens
csv_like_text = st.lists(
    st.sampled_from(list('ab1.2,;\t"\n\r -x?\x00é') + ["NA", "1e3", '""', "1,5", "\r\n"]), max_size=80
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), csv_like_text), st.sampled_from([None, True, False]))
def test_any_text_gives_a_table_or_a_data_error(text, header):
    try:
        table = read_csv_text(text, header=header)
    except DataError:
        return
    check_table(table)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.binary(), csv_like_text.map(lambda t: t.encode("utf-8")), csv_like_text.map(lambda t: t.encode("cp1252", "replace"))))
def test_any_bytes_give_a_table_or_a_data_error(raw):
    try:
        table = read_csv_text(raw)
    except DataError:
        return
    check_table(table)


def test_the_sample_files_read_cleanly():
    import pathlib

    folder = pathlib.Path(__file__).resolve().parents[2] / "static" / "data"
    for path in sorted(folder.glob("*.csv")):
        table = read_csv_text(path.read_bytes())
        assert table.has_header and table.notes == [] and table.encoding == "utf-8", path.name
        kinds = [info.kind for info in infer_columns(table)]
        assert set(kinds[:-1]) == {"numeric"}, path.name
