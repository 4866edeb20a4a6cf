"""CSV text or bytes → a ``Table`` of stripped text cells, whose columns are typed once.

``read_csv_text`` takes what a user has: a file's bytes or text, in UTF-8
(with or without a byte-order mark) or an older Windows/Latin-1 encoding,
separated by commas, semicolons or tabs, with or without a header row. It
answers a ``Table``, or raises ``DataError`` with a message that says what is
wrong and what to do. Problems it can repair (a missing or repeated column
name, a Latin-1 file) are repaired and described in ``Table.notes``.

``Table.column`` gives a column typed (``columns.Column``): what the rest of
this folder works on, instead of the cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain

import numpy as np

from ..errors import DataError
from .columns import Column
from .decode import decode, refuse_binary_text
from .header import clean_header, excel_separator_line, guess_header, ragged_message, read_decimal_commas
from .records import DELIMITER_NAMES, read_records, refuse_unclosed_quote, sniff_delimiter


@dataclass
class Table:
    """A parsed CSV.

    columns: the column names (unique, non-empty; generated as ``column_1``…
        when the file has no header row).
    rows: one list of text cells per data row, each stripped of surrounding
        spaces, each exactly ``len(columns)`` long.
    line_numbers: the line of the file each row starts on (1-based), for messages.
    delimiter: the separator found: ``","``, ``";"`` or ``"\\t"``.
    has_header: whether the first row was read as column names.
    encoding: how the bytes were decoded: ``"utf-8"``, ``"utf-8-sig"`` (UTF-8
        with a byte-order mark), ``"utf-16"``, ``"cp1252"`` or ``"latin-1"``;
        ``"text"`` when a str was given.
    notes: sentences for the user about what was repaired or guessed.
    """

    columns: list
    rows: list
    line_numbers: list
    delimiter: str = ","
    has_header: bool = True
    encoding: str = "utf-8"
    notes: list = field(default_factory=list)
    _typed: dict = field(default_factory=dict, repr=False, compare=False)
    _positions: dict = field(default_factory=dict, repr=False, compare=False)
    _all_parsed: bool = field(default=False, repr=False, compare=False)

    @property
    def n_rows(self):
        return len(self.rows)

    def column(self, index):
        """Column ``index`` typed once (a ``Column``), cached: inferring types,
        fitting and transforming all read the same columns, and big files have
        millions of cells. The first call parses every column at once when every
        cell is a number (``_parse_all_numbers``)."""
        typed = self._typed.get(index)
        if typed is None:
            if not self._all_parsed:
                self._parse_all_numbers()
            typed = self._typed.get(index)
        if typed is None:
            typed = self._typed[index] = self._new_column(index)
        return typed

    def column_named(self, name):
        """``column(column_index(name))``."""
        return self.column(self.column_index(name))

    def _new_column(self, index, parsed=None):
        rows = self.rows
        return Column(self.columns[index], lambda: [row[index] for row in rows], len(rows),
                      lines=self.line_numbers, parsed=parsed, text_cells=True)

    def _parse_all_numbers(self):
        """Every cell parsed in one call, when every cell is a number: the common big file.

        numpy reads the cells in the order they were made, row by row, which in
        WebAssembly is about twice as fast as column by column. Each column
        without an infinity (so: numeric) is typed with these numbers; a single
        cell that is not a number (a word, a missing-value token) leaves it all
        to each column's own parse.
        """
        self._all_parsed = True
        if not self.rows or not self.columns:
            return
        try:
            # float() of each cell, as Column does: the same values
            block = np.array(list(chain.from_iterable(self.rows)), dtype=float)
        except ValueError:
            return
        block = block.reshape(len(self.rows), len(self.columns))
        no_infinity = ~np.isinf(block).any(axis=0)
        for index in np.flatnonzero(no_infinity).tolist():
            self._typed[index] = self._new_column(index, parsed=(np.ascontiguousarray(block[:, index]), True))

    def column_index(self, name):
        """The position of column ``name``; DataError listing the columns if there is none."""
        positions = self._positions
        if len(positions) != len(self.columns):  # a dict, not list.index: files can have 10,000 columns
            positions = self._positions = {c: i for i, c in enumerate(self.columns)}
        try:
            return positions[name]
        except KeyError:
            shown = ", ".join(self.columns[:30]) + (", …" if len(self.columns) > 30 else "")
            raise DataError(f"the data has no column named {name!r}; pick one of: {shown}") from None


def read_csv_text(source, header=None):
    """Parse CSV text or bytes into a Table.

    source: ``str``, or ``bytes`` as read from a file or a browser File.
    header: ``None`` to guess whether the first row names the columns,
        ``True``/``False`` to say so.

    Rules:

    * Bytes are decoded as UTF-8 (a byte-order mark is dropped), as UTF-16
      when they start with a UTF-16 byte-order mark, and otherwise as
      Windows-1252, the usual "Latin-1" of older spreadsheets (or strict
      ISO Latin-1 for the five bytes Windows-1252 leaves undefined), with a
      note. A NUL byte, or more than 10% control characters, means binary.
    * The delimiter is the one of comma, semicolon and tab that splits the
      first records (quotes respected) into the same number of fields (see
      ``sniff_delimiter``).
    * Quoted fields may hold delimiters, doubled quotes and line breaks.
    * Blank lines, and rows whose cells are all empty, are skipped; cells
      are stripped of surrounding spaces.
    * Whether the first row is a header is guessed by ``first_row_is_header``.
      Without one, the columns are called ``column_1``, ``column_2``, …
    * An empty column name becomes ``column_N`` (N its position) and a
      repeated one gets a suffix (``name_2``, ``name_3``…), each with a note.

    Raises DataError for an empty or binary file, a header without data
    rows, a row with a different number of fields than the first (naming
    its line), or broken quoting.
    """
    text, encoding, notes = decode(source)
    refuse_binary_text(text)
    if not text.strip():
        raise DataError("the file is empty; choose a CSV file with a header row and rows of data")

    text, delimiter = excel_separator_line(text, notes)
    if delimiter is None:
        delimiter = sniff_delimiter(text)
    records, spans = read_records(text, delimiter)
    if not records:
        raise DataError("the file is empty; choose a CSV file with a header row and rows of data")

    has_header = guess_header(records, delimiter) if header is None else bool(header)
    columns = _column_names(records[0], has_header, notes)
    data, data_spans = (records[1:], spans[1:]) if has_header else (records, spans)
    width = len(columns)
    if list(map(len, data)).count(width) != len(data):  # one pass in C; the loop finds the row
        _refuse_ragged(data, data_spans, width, has_header, spans[0][0], delimiter)
    if not data:
        raise DataError("the file has a header row but no data rows; add rows of data below the header")
    refuse_unclosed_quote(text, data, data_spans)

    if delimiter != ",":
        notes.append(f"the values are separated by {DELIMITER_NAMES[delimiter]}s")
        notes.extend(read_decimal_commas(columns, data))
    return Table(columns=columns, rows=data, line_numbers=[start for start, _ in data_spans], delimiter=delimiter,
                 has_header=has_header, encoding=encoding, notes=notes)


def _refuse_ragged(data, data_spans, width, has_header, first_line, delimiter):
    """DataError naming the first record whose field count is not ``width``."""
    for record, (start, end) in zip(data, data_spans):
        if len(record) != width:
            raise DataError(ragged_message(record, start, end, width, has_header, first_line, delimiter))


def _column_names(first, has_header, notes):
    """The column names: the header row's, cleaned, or column_1… when the first row is data."""
    if has_header:
        columns, header_notes = clean_header(first)
        notes.extend(header_notes)
        return columns
    width = len(first)
    columns = [f"column_{i}" for i in range(1, width + 1)]
    notes.append(
        "the first row holds data, not column names, so the columns are called "
        f"{columns[0]}…{columns[-1]}" if width > 1 else f"the first row holds data, so the column is called {columns[0]}"
    )
    return columns
