"""Text → records: the delimiter, quotes, blank lines, line numbers.

``read_records`` splits CSV text into records of stripped cells, each with
the lines it spans; ``sniff_delimiter`` guesses the delimiter. The csv
module reads text with quotes; text without (most big files) is split with
string methods, which give the same records in a fraction of the time.
"""

from __future__ import annotations

import csv
import gc
import io
from collections import Counter
from contextlib import contextmanager
from operator import methodcaller

from ..errors import DataError

DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}

# How many records the delimiter guess looks at.
SNIFF_RECORDS = 50
# The delimiter is guessed on the text's first characters (this many, more
# when they hold too few records), not on a copy of a file of many megabytes.
SNIFF_CHARS = 64 * 1024


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


def read_records(text, delimiter):
    """All non-blank records as stripped cells, with their (first, last) lines.

    The same as collecting ``_records``. Text without a double quote (most
    files) takes ``_read_plain_records``; the csv module reads the rest.
    """
    with cyclic_gc_paused():
        plain = _read_plain_records(text, delimiter)
        if plain is not None:
            return plain
        return _read_quoted_records(text, delimiter)


@contextmanager
def cyclic_gc_paused():
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


def refuse_unclosed_quote(text, rows, spans):
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
