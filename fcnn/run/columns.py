"""A table's columns matched onto a trained model's feature columns, by name.

One rule for every way of predicting a file (the CLI's ``predict``, the page's
"predict a new file"): the model's columns are looked up by name in any order,
a missing one is refused with the names the model needs, extra ones are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import FcnnError


@dataclass
class ModelRows:
    """The cells of a table's rows in the model's column order, and the columns left out."""

    columns: list  # the model's feature columns, the order of each row's cells
    rows: list
    extra: list  # the table's columns the model does not use

    def extra_note(self):
        """The sentence telling the user which columns were left out, or None."""
        if not self.extra:
            return None
        return f"the extra columns {', '.join(self.extra)} were left out: the model does not use them"


def rows_for_model(table, feature_columns, name, limit=None):
    """The first ``limit`` rows of ``table`` (all when None) as the model's feature cells.

    ``name`` names the table in the message when a column the model needs is missing."""
    needed = list(feature_columns)
    missing = [c for c in needed if c not in table.columns]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise FcnnError(
            f"{name} has no column {missing[0]!r}{more}; the model needs the columns {', '.join(needed)}, "
            "so add the missing ones and choose the file again"
        )
    index = [table.columns.index(c) for c in needed]
    source = table.rows if limit is None else table.rows[:limit]
    rows = [[row[i] for i in index] for row in source]
    return ModelRows(columns=needed, rows=rows, extra=[c for c in table.columns if c not in needed])
