"""One cell at a time: whether it is missing, the number it holds, its text as a
label, and the words messages about cells are made of.

Everything else in this folder works on whole columns (``columns.Column``);
these are the rules those columns are typed by, and the general path every
shortcut must agree with.
"""

from __future__ import annotations

import math

import numpy as np

# Cells (after stripping spaces) that mean "no value". The spellings are the
# ones spreadsheets, R, pandas and SQL exports write; "#N/A" is Excel's.
# A lower-case "none" is deliberately absent: it is a real category in many
# data sets ("heating: none").
MISSING_TOKENS = frozenset({"", "NA", "N/A", "n/a", "#N/A", "NaN", "nan", "NAN", "null", "NULL", "Null", "None", "?"})


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


def number_text(value):
    """A float as a label: "3" for 3.0, "2.5" for 2.5."""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def label_text(value):
    """A cell as a category or class label (text stripped; numbers as written by number_text)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return number_text(float(value))
    return str(value)


def canonical_number(label):
    """A numeric label in canonical form ("1.0" → "1"); other text as it is."""
    number = parse_number(label)
    return label if number is None else number_text(number)


def map_distinct(function, values):
    """``[function(v) for v in values]``, calling ``function`` once per distinct value.

    A column has a cell per row (100,000 in a big file) but often few distinct
    values. Only for text or floats, where values that compare equal give
    equal results (1 == True, but "1" and "True" are different labels).
    """
    kinds = set(map(type, values))
    if kinds <= {str} or kinds <= {float, np.float64}:
        results = {value: function(value) for value in set(values)}
        return list(map(results.__getitem__, values))
    return [function(value) for value in values]


# ---------------------------------------------------------------------------
# words for messages


def preview(cell, limit=40):
    """A cell quoted for a message, cut after ``limit`` characters."""
    cell = str(cell)
    return repr(cell if len(cell) <= limit else cell[:limit] + "…")


def plural(count, word):
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def agree(count, one, many):
    """The verb or pronoun that agrees with ``count``: agree(1, "has", "have") == "has"."""
    return one if count == 1 else many


def lines_preview(lines, limit=5):
    """"line 4" or "lines 4, 9, 12, …" (the first ``limit``)."""
    shown = ", ".join(str(n) for n in lines[:limit])
    return ("line " if len(lines) == 1 else "lines ") + shown + (", …" if len(lines) > limit else "")


def where(index, line_numbers):
    """Where cell ``index`` is, for a message: "on line N" of the file, else "in row k"."""
    if line_numbers is not None:
        return f"on line {line_numbers[index]}"
    return f"in row {index + 1}"
