"""Columns typed once: numbers with a missing mask, text with its distinct values.

A ``Column`` is what the feature pipeline, the target encoders and
``prepare`` work on: they read its arrays, never the cells. ``Table.column``
types a table's columns (with numpy's parser, the whole table in one call
when it can); ``Column(name, cells)`` types any other cells, such as the rows
of a "what if" prediction (numbers, None, text), one cell at a time.

``ColumnInfo`` (``infer_columns``) then says what each column holds, for the
page and for choosing the task.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from .cells import is_missing, label_text, map_distinct, parse_number, plural, preview, sort_labels, where

# Two values a step apart are too common to call a row number (a 0/1 column of two rows).
MIN_COUNTED_VALUES = 3


class Column:
    """One column's cells, typed once.

    Column(name, cells, n, lines=None, parsed=None, text_cells=False)

    cells: the cells, a list, or a function giving the list (called only when
        the cells are needed: a table column of numbers never needs them).
    n: the number of cells.
    lines: the file line of each cell, for messages (None: "in row k").
    parsed: (numbers, numeric) when already known (``Table`` parses whole files).
    text_cells: every cell is text, as in a ``Table``: numpy then parses the
        column in one call, as ``float`` parses each cell.

    numbers: a float array, NaN where the cell is missing (``is_missing``) or
        is not a finite number (``parse_number``).
    numeric: whether every non-missing cell is a finite number.
    missing: a bool array, the cells ``is_missing`` names.
    labels, codes: the distinct labels (``label_text``) of the non-missing cells,
        in the order first seen, and each cell's index into them (-1: missing).
    """

    def __init__(self, name, cells, n=None, lines=None, parsed=None, text_cells=False):
        self.name = name
        self._cells = cells
        self.n = len(cells) if n is None else n
        self.lines = lines
        self._text_cells = text_cells
        self._parsed = parsed
        self._missing = None
        self._text = None

    @property
    def cells(self):
        if callable(self._cells):
            self._cells = self._cells()
        return self._cells

    @classmethod
    def of_values(cls, name, values, lines=None):
        """The column of ``values``: a float array, or any cells (text, numbers, None)."""
        if not (isinstance(values, np.ndarray) and values.dtype.kind == "f"):
            values = list(values)
        text = isinstance(values, list) and set(map(type, values)) == {str}
        return cls(name, values, lines=lines, text_cells=text)

    def where(self, k):
        """Where cell ``k`` is, for a message: "on line N", or "in row k+1" without lines."""
        return where(k, self.lines)

    @property
    def numbers(self):
        return self._numbers()[0]

    @property
    def numeric(self):
        return self._numbers()[1]

    def _numbers(self):
        if self._parsed is None:
            self._parsed = self._parse()
        return self._parsed

    def _parse(self):
        cells = self.cells
        if isinstance(cells, np.ndarray) and cells.dtype.kind == "f":  # numbers given as numbers
            values = cells.astype(float)
            finite = np.isfinite(values)
            numeric = bool((finite | np.isnan(values)).all())  # an infinity is not a number here
            values[~finite] = np.nan
            return values, numeric
        numeric = False
        if self._text_cells:
            try:
                values = np.array(cells, dtype=float)  # numpy's own parser: one pass in C
                numeric = bool(np.isfinite(values[~np.isnan(values)]).all())
            except ValueError:  # a missing-value token or text somewhere
                pass
        if not numeric:
            values = np.empty(len(cells))
            numeric = True
            for k, cell in enumerate(cells):
                number = parse_number(cell)
                if number is None:
                    number = math.nan
                    numeric = numeric and is_missing(cell)
                values[k] = number
        return values, numeric

    @property
    def missing(self):
        """Which cells are missing (``is_missing``): a bool array.

        For a numeric column it is where ``numbers`` has NaN, once every NaN
        is checked to be a missing cell: "-nan" parses to NaN as well but is
        not a missing-value token, so such a column is checked cell by cell.
        """
        if self._missing is None:
            mask = None
            if self.numeric:
                holes = np.isnan(self.numbers)
                if not holes.any() or all(is_missing(self.cells[k]) for k in np.flatnonzero(holes).tolist()):
                    mask = holes
            if mask is None:
                mask = np.fromiter(map(is_missing, self.cells), dtype=bool, count=self.n)
            self._missing = mask
        return self._missing

    def text_positions(self, rows=None):
        """The positions (among ``rows``, all when None) of the cells that are text:
        neither missing nor a finite number."""
        numbers, missing = self.numbers, self.missing
        if rows is not None:
            numbers, missing = numbers[rows], missing[rows]
        return np.flatnonzero(np.isnan(numbers) & ~missing)

    @property
    def labels(self):
        return self._text_view()[0]

    @property
    def codes(self):
        return self._text_view()[1]

    def _text_view(self):
        if self._text is None:
            present = np.flatnonzero(~self.missing)
            cells = self.cells
            found = map_distinct(label_text, [cells[k] for k in present.tolist()])
            index = {}
            codes = np.full(self.n, -1, dtype=np.int64)
            codes[present] = [index.setdefault(label, len(index)) for label in found]
            self._text = (list(index), codes)
        return self._text


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
    counts_from: for a numeric column that counts up by one in file order, as
        a row number does (the cell of row k, from 0, is counts_from + k
        wherever it is not blank; at least MIN_COUNTED_VALUES values), the
        number it starts at; None for any other column.
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
    counts_from: int | None = None

    def to_dict(self):
        return asdict(self)


def infer_column(table, name):
    """ColumnInfo of one column of ``table``."""
    index = table.column_index(name)
    column = table.column(index)
    if column.numeric:  # the fast path: every cell a number or missing
        numbers = column.numbers
        positions = np.flatnonzero(~np.isnan(numbers))
        present = numbers[positions]
        n_missing = column.n - len(present)
        if not len(present):
            return ColumnInfo(name, index, "empty", 0, n_missing, 0, None, False, False)
        distinct = np.unique(present)
        whole = bool(np.all(distinct == np.floor(distinct)))
        return ColumnInfo(
            name, index, "numeric", len(present), n_missing, len(distinct), None, whole, len(distinct) == 1,
            _count_start(present, positions) if whole else None,
        )
    n_values = int(np.count_nonzero(column.codes >= 0))
    categories = sort_labels(column.labels)
    return ColumnInfo(name, index, "categorical", n_values, column.n - n_values, len(categories), categories, False,
                      len(categories) == 1)


def _count_start(values, positions):
    """The start s when each of the whole-number ``values`` is s + the position of its row
    (``positions``): the column counts up by one in file order, as a row number does; else None.
    One pass of numpy over the column, as big tables need."""
    if len(values) < MIN_COUNTED_VALUES:
        return None
    start = values[0] - positions[0]
    if not np.all(values - positions == start):
        return None
    return int(start)


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
        column = table.column(info.index)
        texts = column.text_positions()
        if 2 * len(texts) >= info.n_values:
            continue  # mostly text: a real categorical column
        k = int(texts[0])
        notes.append(
            f"column {info.name!r} holds numbers but also text ({plural(len(texts), 'cell')}, such as "
            f"{preview(column.cells[k])} {column.where(k)}), so it is read as categories, not numbers; "
            "if it is a number column, fix or empty those cells"
        )
    return notes
