"""The columns left out of the features unless chosen: ids and row numbers, not measurements.

A network given a row number or an id learns where a row sits in the file,
not what it measures: on a file sorted by its target (diamonds sorted by
price) the row number predicts the target, the test rows come from the same
file, and the test score praises a model that is useless on new rows. So
when no features are chosen (``prepare(features=None)``; the page's first
ticks), these columns are left out, each with the reason; a column the user
chooses stays a feature, and so does the target.

* a text column with more than MAX_CATEGORIES values: an id or free text;
* a numeric column that counts up by one in file order (1, 2, 3… or 0, 1, 2…,
  any start; ``ColumnInfo.counts_from``): a row number;
* a numeric column of whole numbers, all distinct, named like an identifier
  (``named_like_an_id``). A column named "id" that holds measurements (not
  whole, or repeated) stays a feature.
"""

from __future__ import annotations

import re

from .feature_columns import MAX_CATEGORIES

# words of a column name that make it an identifier (case does not matter)
ID_WORDS = frozenset({"id", "ids", "idx", "index", "rownames"})
# names that are one only when written together: row_names, RowNames, row.number
ID_NAMES = frozenset({"rownames", "rowname", "rownumber"})
# the words of a name: runs of letters or digits, split where a lower-case letter meets a capital
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# the name pandas gives a nameless column when it reads a file it wrote with its index
_PANDAS_INDEX = re.compile(r"Unnamed: [0-9]+")


def named_like_an_id(name):
    """Whether ``name`` names an identifier: one of its words is in ID_WORDS ("id", "ID",
    "row_id", "PassengerId", "customer_id", "index"; not "idle_time", "width" or "valid"),
    its letters alone spell one of ID_NAMES ("row_names"), or it is pandas' "Unnamed: 0"."""
    name = str(name).strip()
    if _PANDAS_INDEX.fullmatch(name):
        return True
    if re.sub(r"[^a-z]", "", name.lower()) in ID_NAMES:
        return True
    return any(word.lower() in ID_WORDS for word in _WORDS.findall(name))


def numeric_id_reason(info):
    """Why the numeric column ``info`` (a ColumnInfo) looks like a row number or an id, or None."""
    if info.kind != "numeric":
        return None
    if info.counts_from is not None:
        start = info.counts_from
        return (f"column {info.name!r} counts {start}, {start + 1}, {start + 2}… in file order: "
                "a row number, not a measurement")
    if info.all_integers and info.n_values >= 2 and info.n_distinct == info.n_values and named_like_an_id(info.name):
        return f"column {info.name!r} is named like an identifier and every value is distinct: an id, not a measurement"
    return None


def left_out_by_default(infos):
    """{name: why} for the columns that are not features unless chosen (the module docstring's
    rules), in the order of ``infos``. Leave the target out of ``infos`` when it is known:
    the target is never left out."""
    why = {}
    for info in infos:
        if info.kind == "categorical" and info.n_distinct > MAX_CATEGORIES:
            why[info.name] = (f"column {info.name!r} holds {info.n_distinct} different text values, "
                              "too many to be categories")
        else:
            reason = numeric_id_reason(info)
            if reason is not None:
                why[info.name] = reason
    return why
