"""The first records of a file: a header row or data, its column names, decimal
commas, Excel's "sep=" line, and the message for a row of the wrong width.
"""

from __future__ import annotations

import re
from itertools import chain, filterfalse

from .cells import MISSING_TOKENS, is_missing, parse_number, plural
from .records import DELIMITERS, DELIMITER_NAMES, cyclic_gc_paused

# How many records below the first the header guess looks at.
HEADER_SAMPLE_ROWS = 200


def guess_header(records, delimiter):
    """``first_row_is_header`` on the first record and the next ones of the same width."""
    width = len(records[0])
    sample = [r for r in records[1 : 1 + HEADER_SAMPLE_ROWS] if len(r) == width]
    first = records[0]
    if delimiter != ",":  # judge "1,5" as the number it will become
        first, sample = with_decimal_points(first), [with_decimal_points(r) for r in sample]
    return first_row_is_header(first, sample)


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


DECIMAL_COMMA = re.compile(r"[+-]?(\d+,\d*|\d*,\d+|\d+)([eE][+-]?\d+)?")


def with_decimal_points(record):
    return [cell.replace(",", ".") if DECIMAL_COMMA.fullmatch(cell) else cell for cell in record]


def read_decimal_commas(columns, rows):
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
    with cyclic_gc_paused():
        cells_by_column = list(zip(*rows))
        rewritten = False
        for position, (name, cells) in enumerate(zip(columns, cells_by_column)):
            if "," not in "".join(cells):
                continue
            # the cells are stripped already, so is_missing(cell) is: cell in MISSING_TOKENS
            values = list(filterfalse(MISSING_TOKENS.__contains__, cells))
            if values and all(map(DECIMAL_COMMA.fullmatch, values)):
                # no cell holds a line break (each is a number or a missing-value token),
                # so the column can be rewritten as one string
                cells_by_column[position] = "\n".join(cells).replace(",", ".").split("\n")
                rewritten = True
                notes.append(f"column {name!r} writes numbers with a decimal comma (like {values[0]!r}); they are read as numbers")
        if rewritten:
            rows[:] = map(list, zip(*cells_by_column))
    return notes


def clean_header(cells):
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


def ragged_message(record, start, end, width, has_header, first_line, delimiter):
    fields = plural(len(record), "field")
    against = f"the header has {plural(width, 'column')}" if has_header else f"the first row (line {first_line}) has {plural(width, 'field')}"
    where = f"line {start}" if start == end else f"the row on lines {start}–{end}"
    message = f"{where} has {fields} but {against}; give every row one value per column"
    if start != end:
        message += f" (a quote opened on line {start} may never be closed)"
    elif len(record) > width:
        message += f" (a value that contains a {DELIMITER_NAMES[delimiter]} must be in double quotes)"
    return message


def excel_separator_line(text, notes):
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
