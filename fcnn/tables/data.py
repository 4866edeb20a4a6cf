"""Reading real-world CSV files into a table of text cells, describing its
columns, and the numeric helpers around training (scaling, a seeded split).

``read_csv_text`` takes what a user has: a file's bytes or text, in UTF-8
(with or without a byte-order mark) or an older Windows/Latin-1 encoding,
separated by commas, semicolons or tabs, with or without a header row. It
answers a ``Table`` of stripped text cells, or raises ``DataError`` with a
message that says what is wrong and what to do. Problems it can repair (a
missing or repeated column name, a Latin-1 file) are repaired and described
in ``Table.notes`` for the page to show.

``infer_columns`` then says what each column holds (numbers, categories, or
nothing) and ``detect_task`` what kind of model a target column calls for.
Turning cells into network inputs is the job of ``fcnn.tables.preprocess``.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import math
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from itertools import chain, filterfalse
from operator import methodcaller

import numpy as np

from ..errors import DataError

DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}

# Cells (after stripping spaces) that mean "no value". The spellings are the
# ones spreadsheets, R, pandas and SQL exports write; "#N/A" is Excel's.
# A lower-case "none" is deliberately absent: it is a real category in many
# data sets ("heating: none").
MISSING_TOKENS = frozenset({"", "NA", "N/A", "n/a", "#N/A", "NaN", "nan", "NAN", "null", "NULL", "Null", "None", "?"})

# How many records the delimiter and header guesses look at.
SNIFF_RECORDS = 50
# The delimiter is guessed on the text's first characters (this many, more
# when they hold too few records), not on a copy of a file of many megabytes.
SNIFF_CHARS = 64 * 1024
HEADER_SAMPLE_ROWS = 200
# The first characters the binary check looks at, and the share of control
# characters above which the text is taken for binary data.
BINARY_SAMPLE = 8192
BINARY_CONTROL_SHARE = 0.10

# Task detection: a numeric target of whole numbers is read as class labels
# when it has two values, or at most this many values and few compared with
# the rows (see detect_task).
MAX_INTEGER_CLASSES = 10
INTEGER_CLASS_SHARE = 0.05
# More classes than this is almost surely not a class label (an id, a name…).
MAX_CLASSES = 100


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
    _numbers: dict = field(default_factory=dict, repr=False, compare=False)
    _positions: dict = field(default_factory=dict, repr=False, compare=False)
    _all_parsed: bool = field(default=False, repr=False, compare=False)
    _missing: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def n_rows(self):
        return len(self.rows)

    def numbers(self, index):
        """Column ``index`` read as numbers, once: (values, numeric).

        values: a float array, NaN where the cell is missing (see is_missing)
        or is not a finite number. numeric: whether every non-missing cell is
        a finite number. Cached, because inferring types, fitting and
        transforming all read the same columns, and big files have millions
        of cells; the first call parses every column at once when every cell
        is a number (``_parse_all_numbers``).
        """
        cached = self._numbers.get(index)
        if cached is None and not self._all_parsed:
            self._parse_all_numbers()
            cached = self._numbers.get(index)
        if cached is not None:
            return cached
        cells = [row[index] for row in self.rows]
        try:
            values = np.array(cells, dtype=float)  # numpy's own parser: one pass in C
            numeric = bool(np.isfinite(values[~np.isnan(values)]).all())
        except ValueError:  # a missing-value token or text somewhere
            numeric = False
        if not numeric:
            values = np.empty(len(cells))
            numeric = True
            for k, cell in enumerate(cells):
                number = parse_number(cell)
                if number is None:
                    number = math.nan
                    numeric = numeric and is_missing(cell)
                values[k] = number
        self._numbers[index] = (values, numeric)
        return values, numeric

    def missing(self, index):
        """Which cells of column ``index`` are missing (``is_missing``): a bool array, cached.

        For a numeric column it is where ``numbers`` has NaN, once every NaN
        is checked to be a missing cell: "-nan" parses to NaN as well but is
        not a missing-value token, so such a column is checked cell by cell.
        """
        cached = self._missing.get(index)
        if cached is not None:
            return cached
        mask = None
        values, numeric = self.numbers(index)
        if numeric:
            holes = np.isnan(values)
            rows = self.rows
            if all(is_missing(rows[k][index]) for k in np.flatnonzero(holes).tolist()):
                mask = holes
        if mask is None:
            mask = np.fromiter((is_missing(row[index]) for row in self.rows), dtype=bool, count=len(self.rows))
        self._missing[index] = mask
        return mask

    def _parse_all_numbers(self):
        """Every cell parsed in one call, when every cell is a number: the common big file.

        numpy reads the cells in the order they were made, row by row, which in
        WebAssembly is about twice as fast as column by column. Each column
        without an infinity (so: numeric) is cached as ``numbers`` would
        cache it; a single cell that is not a number (a word, a missing-value
        token) leaves it all to ``numbers``, column by column.
        """
        self._all_parsed = True
        if not self.rows or not self.columns:
            return
        try:
            # float() of each cell, as numbers() does: the same values
            block = np.array(list(chain.from_iterable(self.rows)), dtype=float)
        except ValueError:
            return
        block = block.reshape(len(self.rows), len(self.columns))
        no_infinity = ~np.isinf(block).any(axis=0)
        for index in np.flatnonzero(no_infinity).tolist():
            self._numbers[index] = (np.ascontiguousarray(block[:, index]), True)

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


# ---------------------------------------------------------------------------
# cells


def is_missing(cell):
    """Whether a cell holds no value: None, a float NaN, or a string that is one
    of MISSING_TOKENS after stripping spaces ("", "NA", "N/A", "n/a", "#N/A",
    "NaN", "nan", "NAN", "null", "NULL", "Null", "None", "?")."""
    if type(cell) is str:  # the common case first: this runs once per cell
        return cell.strip() in MISSING_TOKENS
    if cell is None:
        return True
    if isinstance(cell, str):
        return cell.strip() in MISSING_TOKENS
    if isinstance(cell, (float, np.floating)):
        return math.isnan(cell)
    return False


def parse_number(cell):
    """The cell as a finite float, or None when it is not one.

    Accepts what Python's ``float`` accepts ("3", "-2.5", "1e-3", " 7 "),
    but not "inf" or "nan": a number the network could not use is not a number here.
    """
    if type(cell) is str:  # the common case first: this runs once per cell
        try:
            value = float(cell)
        except ValueError:
            return None
        return value if math.isfinite(value) else None
    if isinstance(cell, (bool, np.bool_)):
        return None
    if isinstance(cell, (int, float, np.integer, np.floating)):
        value = float(cell)
    else:
        try:
            value = float(cell)
        except (TypeError, ValueError):
            return None
    return value if math.isfinite(value) else None


def label_sort_key(label):
    """Sort key for category and class names: numeric-looking names first, in
    numeric order ("2" before "10"), then the others in string order."""
    number = parse_number(label)
    if number is not None:
        return (0, number, label)
    return (1, 0.0, label)


def sort_labels(labels):
    """The distinct labels sorted by ``label_sort_key``."""
    return sorted(set(labels), key=label_sort_key)


def _preview(cell, limit=40):
    cell = str(cell)
    return repr(cell if len(cell) <= limit else cell[:limit] + "…")


def _plural(count, word):
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _lines_preview(lines, limit=5):
    """"line 4" or "lines 4, 9, 12, …" (the first ``limit``)."""
    shown = ", ".join(str(n) for n in lines[:limit])
    return ("line " if len(lines) == 1 else "lines ") + shown + (", …" if len(lines) > limit else "")


# ---------------------------------------------------------------------------
# reading CSV text


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
    text, encoding, notes = _decode(source)
    _refuse_binary_text(text)
    if not text.strip():
        raise DataError("the file is empty; choose a CSV file with a header row and rows of data")

    text, delimiter = _excel_separator_line(text, notes)
    if delimiter is None:
        delimiter = sniff_delimiter(text)
    records, spans = _read_records(text, delimiter)
    if not records:
        raise DataError("the file is empty; choose a CSV file with a header row and rows of data")

    width = len(records[0])
    if header is None:
        sample = [r for r in records[1 : 1 + HEADER_SAMPLE_ROWS] if len(r) == width]
        first = records[0]
        if delimiter != ",":  # judge "1,5" as the number it will become
            first, sample = _with_decimal_points(first), [_with_decimal_points(r) for r in sample]
        has_header = first_row_is_header(first, sample)
    else:
        has_header = bool(header)

    if has_header:
        columns, header_notes = _clean_header(records[0])
        notes.extend(header_notes)
        data, data_spans = records[1:], spans[1:]
    else:
        columns = [f"column_{i}" for i in range(1, width + 1)]
        data, data_spans = records, spans
        notes.append(
            "the first row holds data, not column names, so the columns are called "
            f"{columns[0]}…{columns[-1]}" if width > 1 else f"the first row holds data, so the column is called {columns[0]}"
        )

    if list(map(len, data)).count(width) != len(data):  # one pass in C; the loop finds the row
        for record, (start, end) in zip(data, data_spans):
            if len(record) != width:
                raise DataError(_ragged_message(record, start, end, width, has_header, spans[0][0], delimiter))
    if not data:
        raise DataError("the file has a header row but no data rows; add rows of data below the header")
    _refuse_unclosed_quote(text, data, data_spans)

    if delimiter != ",":
        notes.append(f"the values are separated by {DELIMITER_NAMES[delimiter]}s")
        notes.extend(_read_decimal_commas(columns, data))
    return Table(
        columns=columns,
        rows=data,
        line_numbers=[start for start, _ in data_spans],
        delimiter=delimiter,
        has_header=has_header,
        encoding=encoding,
        notes=notes,
    )


def _excel_separator_line(text, notes):
    """(text, delimiter): Excel may write a first line "sep=;" naming the delimiter.
    The line is blanked rather than cut, so every other line keeps its number
    for messages; delimiter None when there is no such line."""
    first, newline, rest = text.partition("\n")
    named = first.rstrip("\r")
    if named.lower().startswith("sep=") and named[4:] in DELIMITERS:
        delimiter = named[4:]
        notes.append(f"the first line {named!r} names the separator, so it is used and the line is not data")
        return newline + rest, delimiter
    return text, None


def _decode(source):
    """(text, encoding, notes) for a str or bytes source."""
    notes = []
    if isinstance(source, str):
        return source.lstrip("\ufeff"), "text", notes
    if not isinstance(source, (bytes, bytearray, memoryview)):
        raise TypeError(f"read_csv_text takes str or bytes, not {type(source).__name__}")
    raw = bytes(source)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" export; its NUL bytes are not binary data
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise DataError(
                "the file starts like UTF-16 text but cannot be decoded as such; save it as a UTF-8 CSV file and load it again"
            ) from None
        return text.lstrip("\ufeff"), "utf-16", notes
    _refuse_binary_bytes(raw)
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig", notes
        except UnicodeDecodeError:
            raw = raw[len(codecs.BOM_UTF8) :]
    else:
        try:
            return raw.decode("utf-8"), "utf-8", notes
        except UnicodeDecodeError:
            pass
    # Not UTF-8: most likely a spreadsheet saved in the Windows code page.
    # Windows-1252 is Latin-1 plus curly quotes, € and the like in 0x80–0x9F;
    # the five bytes it leaves undefined fall back to strict Latin-1, which
    # decodes every byte, so a text file never fails here.
    try:
        text, encoding = raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "latin-1"
    notes.append(
        "the file is not UTF-8, so it was decoded as Latin-1 (Windows-1252); "
        "if accented letters look wrong, save the file as UTF-8 and load it again"
    )
    return text, encoding, notes


def _refuse_binary_bytes(raw):
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError(
            "the file is binary (it looks like an Excel workbook or a zip archive), not CSV text; "
            "in your spreadsheet use Save As › CSV and load that file"
        )
    sample = raw[:BINARY_SAMPLE]
    controls = sum(1 for byte in sample if byte < 32 and byte not in b"\t\n\r\f\v")
    if b"\x00" in raw or controls > BINARY_CONTROL_SHARE * len(sample):
        raise DataError("the file holds binary data, not CSV text; choose a CSV file (text with one row per line)")


def _refuse_binary_text(text):
    sample = text[:BINARY_SAMPLE]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if "\x00" in text or controls > BINARY_CONTROL_SHARE * len(sample):
        raise DataError("the file holds binary data, not CSV text; choose a CSV file (text with one row per line)")


def _records(text, delimiter):
    """Iterate (stripped cells, first line, last line) over the CSV text; blank records skipped.

    ``newline=""`` keeps line breaks inside quoted fields and lets the csv
    module end records at \\n, \\r\\n or a lone \\r (old Mac files).
    Each cell is stripped once, and a record whose stripped cells are all
    empty is blank: one pass per cell, as big files have millions.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True)
    previous_line = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _unreadable(exc, previous_line + 1, '"' in text) from None
        first_line, previous_line = previous_line + 1, reader.line_num
        cells = [cell.strip() for cell in record]
        if any(cells):
            yield cells, first_line, reader.line_num


def _read_records(text, delimiter):
    """All non-blank records as stripped cells, with their (first, last) lines.

    The same as collecting ``_records``. Text without a double quote (most
    files) takes ``_read_plain_records``; the csv module reads the rest.
    """
    with _cyclic_gc_paused():
        plain = _read_plain_records(text, delimiter)
        if plain is not None:
            return plain
        return _read_quoted_records(text, delimiter)


@contextmanager
def _cyclic_gc_paused():
    """Python's cycle collector off for a while: a big file makes a list per
    row, and every 700 new lists would start a collection that walks them
    all, a third of the reading time, for lists of strings that hold no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_quoted_records(text, delimiter):
    """``_read_records`` by the csv module: quotes, doubled quotes, line breaks in fields."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True)
    records, spans = [], []
    add_record, add_span, strip = records.append, spans.append, str.strip
    previous_line = 0
    try:
        for record in reader:
            cells = list(map(strip, record))
            line = reader.line_num
            if any(cells):
                add_record(cells)
                add_span((previous_line + 1, line))
            previous_line = line
    except csv.Error as exc:
        raise _unreadable(exc, previous_line + 1, '"' in text) from None
    return records, spans


def _unreadable(exc, line, quoted):
    """The DataError for a csv.Error raised reading from ``line`` on; ``quoted``: the text has a quote."""
    if "field limit" in str(exc) and not quoted:
        return DataError(
            f"a value starting on line {line} is longer than {csv.field_size_limit():,} characters, "
            "too long to be a table cell; shorten that value, or remove it"
        )
    return DataError(
        f"the CSV text cannot be read from line {line} on ({exc}); "
        "a quote (\") there is probably never closed: close it, or remove it"
    )


def _refuse_unclosed_quote(text, rows, spans):
    """A quote that is never closed makes the csv module read on to the end of
    the file as one value, without an error: the last row then spans several
    lines, its last cell holds the line breaks, and the file has an odd number
    of quotes (closed quotes and doubled ones come in pairs)."""
    start, end = spans[-1]
    if start != end and ("\n" in rows[-1][-1] or "\r" in rows[-1][-1]) and text.count('"') % 2:
        raise DataError(
            f"a quote (\") opened on line {start} is never closed, so every line after it would be read "
            "as one value; close the quote, or remove it"
        )


# The ASCII characters str.strip removes, other than line breaks.
_ASCII_SPACES = " \t\x0b\x0c\x1c\x1d\x1e\x1f"


def _cells_need_stripping(lines_text, delimiter):
    """Whether some cell of ``lines_text`` (lines ended by \\n) may start or end with a space.

    False only for ASCII text in which no space (in str.strip's sense) touches
    a delimiter, a line break, or either end of the text: spaces inside a
    cell ("New York") need nothing. A few scans of the text in C each.
    """
    if not lines_text.isascii():
        return True
    for space in _ASCII_SPACES:
        if space == delimiter or space not in lines_text:
            continue
        if lines_text.startswith(space) or lines_text.endswith(space):
            return True
        if any(pair in lines_text for pair in (space + delimiter, delimiter + space, space + "\n", "\n" + space)):
            return True
    return False


def _read_plain_records(text, delimiter):
    """``_read_records`` for text without a double quote, with whole-text string
    methods instead of the csv module; None when the text has a quote.

    Without quotes the csv module's rules are simple: a record is a line
    (ended by \\n, \\r\\n or a lone \\r) and its fields are what lies between
    delimiters. The result is the same, the time a fraction: this is the
    path of a file of a hundred thousand rows. Lines longer than the csv
    module's field limit go to it, for its own message.
    """
    if '"' in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if max(map(len, lines)) > csv.field_size_limit():
        return None
    records = list(map(methodcaller("split", delimiter), lines))
    if _cells_need_stripping(text, delimiter):
        strip = str.strip
        records = [list(map(strip, record)) for record in records]
        keep = list(map(any, records))
    else:  # nothing to strip: a line is blank when it holds only delimiters
        keep = list(map(bool, map(methodcaller("strip", delimiter), lines)))
    numbers = range(1, len(lines) + 1)
    if all(keep):
        return records, list(zip(numbers, numbers))
    kept = [k for k, keep_it in enumerate(keep) if keep_it]
    return [records[k] for k in kept], [(k + 1, k + 1) for k in kept]


def sniff_delimiter(text):
    """The delimiter among comma, semicolon and tab that best fits the text.

    Each candidate splits the first SNIFF_RECORDS non-blank records (with
    the csv module, so quoted delimiters do not count). Its score is the
    share of records with the most common field count, provided that count
    is at least 2, then the count itself; the highest score wins, and a tie
    goes to the earlier of comma, semicolon, tab. Text that no candidate
    splits is read as one comma-separated column.

    A semicolon file with decimal commas ("1,5;2,25") splits into varying
    counts on commas but steady counts on semicolons, so semicolon wins.
    """
    size = SNIFF_CHARS
    while True:
        whole = size >= len(text)
        head = text if whole else text[:size]
        counts = {delimiter: _field_counts(head, delimiter) for delimiter in DELIMITERS}
        # a record followed by another in the head is whole, so is read as in the whole text
        if whole or all(len(found) > SNIFF_RECORDS for found in counts.values()):
            break
        size *= 4
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        found = counts[delimiter][:SNIFF_RECORDS]
        if not found:
            continue
        tally = Counter(found)
        modal = max(tally, key=lambda count: (tally[count], count))
        if modal < 2:
            continue
        score = (tally[modal] / len(found), modal)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _field_counts(text, delimiter):
    """The field counts of the first SNIFF_RECORDS + 1 non-blank records, up to
    broken quoting if there is some (the guess is made on the records before it)."""
    counts = []
    try:
        for record, _, _ in _records(text, delimiter):
            counts.append(len(record))
            if len(counts) > SNIFF_RECORDS:
                break
    except DataError:
        pass
    return counts


def first_row_is_header(first, body):
    """Guess whether ``first`` (a record) names the columns of ``body`` (the records below).

    Rules, in order:

    1. A column whose first cell is text (not a number, not missing) while
       every non-missing cell below is a number: a header. Data rarely puts
       a word on top of a column of numbers.
    2. Otherwise each column votes. For data: a number on top, or a text
       value that recurs below it (like "setosa" in a headerless iris file).
       For a header: a text value that does not recur below. Columns whose
       first cell is missing, or that are empty below, do not vote. Ties go to
       the header, the common case.
    3. When no column votes (or there are no rows below), the first row is a
       header when every cell is non-empty text.

    Headers made only of numbers (such as years, "2019,2020") over numeric
    columns are read as data; ``read_csv_text(..., header=True)`` overrides.
    """
    header_votes = data_votes = 0
    for position, top in enumerate(first):
        below = [record[position] for record in body if not is_missing(record[position])]
        if is_missing(top) or not below:
            continue
        top_is_number = parse_number(top) is not None
        if not top_is_number and all(parse_number(cell) is not None for cell in below):
            return True
        if top_is_number or top in below:
            data_votes += 1
        else:
            header_votes += 1
    if header_votes or data_votes:
        return header_votes >= data_votes
    return all(not is_missing(cell) and parse_number(cell) is None for cell in first)


_DECIMAL_COMMA = re.compile(r"[+-]?(\d+,\d*|\d*,\d+|\d+)([eE][+-]?\d+)?")


def _with_decimal_points(record):
    return [cell.replace(",", ".") if _DECIMAL_COMMA.fullmatch(cell) else cell for cell in record]


def _read_decimal_commas(columns, rows):
    """Rewrite decimal commas ("1,5") as points in the columns that use them; notes.

    Only in files not separated by commas (European spreadsheets write
    "1,5;2,25"), and only in a column whose every non-missing cell is a number
    written with digits and at most one comma (no thousands separators), at
    least one of them with the comma. Edits ``rows`` in place (the rows of a
    rewritten file are new lists). Whole columns at a time: a file of 100,000
    rows has millions of cells.
    """
    notes = []
    if "," not in "".join(chain.from_iterable(rows)):
        return notes  # no comma in any cell: the common case, decided in C
    with _cyclic_gc_paused():
        cells_by_column = list(zip(*rows))
        rewritten = False
        for position, (name, cells) in enumerate(zip(columns, cells_by_column)):
            if "," not in "".join(cells):
                continue
            # the cells are stripped already, so is_missing(cell) is: cell in MISSING_TOKENS
            values = list(filterfalse(MISSING_TOKENS.__contains__, cells))
            if values and all(map(_DECIMAL_COMMA.fullmatch, values)):
                # no cell holds a line break (each is a number or a missing-value token),
                # so the column can be rewritten as one string
                cells_by_column[position] = "\n".join(cells).replace(",", ".").split("\n")
                rewritten = True
                notes.append(f"column {name!r} writes numbers with a decimal comma (like {values[0]!r}); they are read as numbers")
        if rewritten:
            rows[:] = map(list, zip(*cells_by_column))
    return notes


def _clean_header(cells):
    """(unique non-empty column names, notes) from the header row's cells."""
    names = [cell.strip() for cell in cells]
    reserved = set(names)
    notes, used, columns = [], set(), []
    for position, name in enumerate(names, start=1):
        if not name:
            new = _unused(f"column_{position}", used | reserved)
            notes.append(f"column {position} has no name in the header row, so it is called {new!r}")
        elif name in used:
            new = _unused(name, used | reserved, start=2)
            notes.append(f"the header names {name!r} more than once, so column {position} is called {new!r}")
        else:
            new = name
        used.add(new)
        columns.append(new)
    return columns, notes


def _unused(base, taken, start=None):
    if start is None and base not in taken:
        return base
    suffix = start or 2
    while f"{base}_{suffix}" in taken:
        suffix += 1
    return f"{base}_{suffix}"


def _ragged_message(record, start, end, width, has_header, first_line, delimiter):
    fields = _plural(len(record), "field")
    against = f"the header has {_plural(width, 'column')}" if has_header else f"the first row (line {first_line}) has {_plural(width, 'field')}"
    where = f"line {start}" if start == end else f"the row on lines {start}–{end}"
    message = f"{where} has {fields} but {against}; give every row one value per column"
    if start != end:
        message += f" (a quote opened on line {start} may never be closed)"
    elif len(record) > width:
        message += f" (a value that contains a {DELIMITER_NAMES[delimiter]} must be in double quotes)"
    return message


# ---------------------------------------------------------------------------
# columns and task


@dataclass
class ColumnInfo:
    """What a column holds, over all rows of a table.

    name, index: the column's name and position in ``Table.columns``.
    kind: ``"numeric"`` when every non-missing cell is a finite number,
        ``"categorical"`` when some cell is other text, ``"empty"`` when
        every cell is missing.
    n_values, n_missing: non-missing and missing cells (they add up to the rows).
    n_distinct: distinct non-missing values (numbers compared as numbers,
        so "1" and "1.0" are one value; text compared as written).
    categories: for a categorical column the distinct values, sorted by
        ``label_sort_key``; None otherwise.
    all_integers: numeric and every value a whole number.
    constant: exactly one distinct value (the column carries no information,
        but can still be used; scaling does not divide by its zero spread).
    """

    name: str
    index: int
    kind: str
    n_values: int
    n_missing: int
    n_distinct: int
    categories: list | None
    all_integers: bool
    constant: bool

    def to_dict(self):
        return asdict(self)


def infer_column(table, name):
    """ColumnInfo of one column of ``table``."""
    index = table.column_index(name)
    numbers, numeric = table.numbers(index)
    if numeric:  # the fast path: every cell a number or missing
        present = numbers[~np.isnan(numbers)]
        n_missing = table.n_rows - len(present)
        if not len(present):
            return ColumnInfo(name, index, "empty", 0, n_missing, 0, None, False, False)
        distinct = np.unique(present)
        return ColumnInfo(
            name, index, "numeric", len(present), n_missing, len(distinct), None,
            bool(np.all(distinct == np.floor(distinct))), len(distinct) == 1,
        )
    values = [row[index] for row in table.rows if not is_missing(row[index])]
    n_missing = table.n_rows - len(values)
    categories = sort_labels(values)
    return ColumnInfo(name, index, "categorical", len(values), n_missing, len(categories), categories, False, len(categories) == 1)


def infer_columns(table):
    """ColumnInfo of every column, in table order."""
    return [infer_column(table, name) for name in table.columns]


def mixed_column_notes(table, infos):
    """Sentences for the text columns that hold mostly numbers.

    One stray word in a column of numbers ("seven", "n/k") makes the whole
    column categories, which changes what the network learns from it; the
    user is told which cells did it, so a typo can be fixed.
    """
    notes = []
    for info in infos:
        if info.kind != "categorical":
            continue
        texts = [(row[info.index], line) for row, line in zip(table.rows, table.line_numbers)
                 if not is_missing(row[info.index]) and parse_number(row[info.index]) is None]
        if 2 * len(texts) >= info.n_values:
            continue  # mostly text: a real categorical column
        cell, line = texts[0]
        notes.append(
            f"column {info.name!r} holds numbers but also text ({_plural(len(texts), 'cell')}, such as "
            f"{_preview(cell)} on line {line}), so it is read as categories, not numbers; "
            "if it is a number column, fix or empty those cells"
        )
    return notes


TASKS = ("regression", "binary", "multiclass")


def detect_task(column_info):
    """The kind of model a target column calls for: "regression", "binary" or "multiclass".

    * categorical: "binary" with 2 classes, "multiclass" with more;
    * numeric, all whole numbers, with 2 distinct values: "binary" (0/1, 1/2…);
    * numeric, all whole numbers, with at most 10 distinct values that are
      also at most 5% of the rows (20 or more rows per value on average, as
      class labels have; a count or a score on few rows is more likely a
      quantity): "multiclass";
    * any other numeric column: "regression".

    Raises DataError when the column is empty, has one value (one class:
    nothing to learn), or is text with more than MAX_CLASSES distinct values
    (an id or a name, not a class label).
    """
    return explain_task(column_info)[0]


def explain_task(column_info):
    """``detect_task``'s answer and the reason for it, in words for the user: (task, reason)."""
    info = column_info
    if info.kind == "empty":
        raise DataError(f"the target {info.name!r} has no values; choose another column as the target")
    if info.n_distinct == 1:
        if info.categories:
            raise DataError(
                f"the target {info.name!r} has only one class, {info.categories[0]!r}; "
                "choose another column or add rows of other classes"
            )
        raise DataError(
            f"the target {info.name!r} holds the same number in every row, so there is nothing to learn; "
            "choose another column or add rows with other values"
        )
    n = info.n_distinct
    if info.kind == "categorical":
        if n > MAX_CLASSES:
            raise DataError(
                f"the target {info.name!r} holds text with {n} different values, too many to be classes "
                f"(at most {MAX_CLASSES}); choose a column of class labels or numbers as the target"
            )
        return ("binary" if n == 2 else "multiclass"), f"it holds text with {n} different values, each a class"
    if info.all_integers:
        if n == 2:
            return "binary", "it holds whole numbers with 2 different values, read as two classes"
        if n <= MAX_INTEGER_CLASSES and n <= INTEGER_CLASS_SHARE * info.n_values:
            return "multiclass", (
                f"it holds whole numbers with only {n} different values over {info.n_values} rows, read as class labels"
            )
        if n > MAX_INTEGER_CLASSES:
            return "regression", (
                f"it holds whole numbers with {n} different values, more than the {MAX_INTEGER_CLASSES} "
                "that would be read as class labels"
            )
        return "regression", (
            f"it holds whole numbers with {n} different values over only {info.n_values} rows: class labels would "
            f"have {round(1 / INTEGER_CLASS_SHARE)} or more rows per value, so it is read as a quantity"
        )
    return "regression", f"it holds numbers with {n} different values"


# ---------------------------------------------------------------------------
# numeric helpers


def numeric_matrix(table, columns):
    """The named columns of ``table`` as a float matrix (rows × columns).

    Every cell must be a finite number: raises DataError naming the column
    and line of the first cell that is not (``fcnn.tables.preprocess`` is the
    pipeline that handles missing values and text columns).
    """
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise DataError(f"the data has no column named {missing[0]!r}; pick one of: {', '.join(table.columns)}")
    positions = [table.column_index(c) for c in columns]
    out = np.empty((table.n_rows, len(columns)))
    for r, (row, line) in enumerate(zip(table.rows, table.line_numbers)):
        for c, (pos, name) in enumerate(zip(positions, columns)):
            cell = row[pos]
            try:
                value = float(cell)
            except ValueError:
                what = "is empty" if cell == "" else f"holds the text {_preview(cell)}"
                raise DataError(
                    f"column {name!r} {what} on line {line}; this version needs a number in every "
                    "cell of the columns used, so fix that cell or remove the column"
                ) from None
            if not np.isfinite(value):
                raise DataError(
                    f"column {name!r} holds {cell!r} on line {line}; replace it with a finite number"
                )
            out[r, c] = value
    return out


class MinMaxScaler:
    """x' = (x − min) / (max − min), per column. A constant column maps to 0."""

    def fit(self, x):
        x = np.asarray(x, dtype=float)
        self.min_ = x.min(axis=0)
        span = x.max(axis=0) - self.min_
        # a constant column has no span; dividing by 1 keeps it finite (all zeros)
        self.scale_ = np.where(span > 0, span, 1.0)
        return self

    def transform(self, x):
        return (np.asarray(x, dtype=float) - self.min_) / self.scale_

    def fit_transform(self, x):
        return self.fit(x).transform(x)

    def inverse_transform(self, x):
        return np.asarray(x, dtype=float) * self.scale_ + self.min_


class TargetScaler:
    """y' = spread · (y − mean) / std: a regression target on a fixed scale.

    Any target, in the tens or the thousands, is trained on the same scale, so
    one learning rate suits them all. The spread is 10, about that of the
    seed's target (Boston MEDV, std 9.2), so the seed's learning rates keep
    the meaning they had on its unscaled target.
    """

    spread = 10.0

    def fit(self, y):
        y = np.asarray(y, dtype=float)
        self.mean_ = y.mean(axis=0)
        std = y.std(axis=0)
        self.scale_ = np.where(std > 0, std, 1.0) / self.spread
        return self

    def transform(self, y):
        return (np.asarray(y, dtype=float) - self.mean_) / self.scale_

    def inverse_transform(self, y):
        return np.asarray(y, dtype=float) * self.scale_ + self.mean_


def train_test_split(n_rows, test_fraction, rng):
    """Shuffle row indexes with ``rng`` and cut them: (train_indexes, test_indexes).

    Both parts get at least one row; 0.3 gives the seed's 7:3 split.
    """
    if n_rows < 2:
        raise DataError(f"the data has {n_rows} row; at least 2 rows are needed to train and test")
    order = rng.permutation(n_rows)
    n_test = min(max(int(round(n_rows * test_fraction)), 1), n_rows - 1)
    return np.sort(order[n_test:]), np.sort(order[:n_test])
