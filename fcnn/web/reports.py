"""The Session's two reports: what a loaded table is, and what a started run is.

Each ``to_dict()`` is the JSON object the page reads (its keys are the page's contract).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..tables import MAX_CATEGORIES, left_out_by_default, mixed_column_notes

PREVIEW_ROWS = 20
# The preview and the column summary cover this many columns: a file of 10,000
# columns would otherwise send (and the page draw) 200,000 cells.
PREVIEW_COLUMNS = 100
# up to this many row-number or id columns get a note each, more share one
SEPARATE_NUMERIC_NOTES = 3


@dataclass
class LoadReport:
    """A table just loaded: its columns, what the page leaves unticked and why, a preview."""

    name: str
    columns: list
    left_out: dict  # column → reason; unticked in the page's feature list, still a feature if ticked
    column_info: list  # ColumnInfo.to_dict() of the first PREVIEW_COLUMNS columns
    n_rows: int
    suggested_target: str
    notes: list
    preview: list

    @classmethod
    def of(cls, table, name, columns, usable):
        """The report on ``table`` (loaded as ``name``); ``columns`` is infer_columns(table),
        ``usable`` its columns that are not empty (the last one is the suggested target)."""
        why = left_out_by_default(columns)
        numeric = {c.name for c in columns if c.kind == "numeric" and c.name in why}
        # the reason the page shows beside the unticked box; a number column may still be a measurement
        left_out = {name: f"{reason}; tick it if it really is a feature" if name in numeric else reason
                    for name, reason in why.items()}
        return cls(
            name=name, columns=table.columns, left_out=left_out,
            column_info=[c.to_dict() for c in columns[:PREVIEW_COLUMNS]],
            n_rows=table.n_rows, suggested_target=usable[-1].name,
            notes=(list(table.notes) + mixed_column_notes(table, columns)
                   + _text_left_out_notes({n: w for n, w in why.items() if n not in numeric})
                   + _numeric_left_out_notes({n: w for n, w in why.items() if n in numeric})),
            preview=[row[:PREVIEW_COLUMNS] for row in table.rows[:PREVIEW_ROWS]],
        )

    def to_dict(self):
        return {
            "name": self.name, "columns": self.columns, "left_out": self.left_out, "column_info": self.column_info,
            "n_rows": self.n_rows, "suggested_target": self.suggested_target, "notes": self.notes,
            "preview": self.preview,
        }


@dataclass
class RunReport:
    """A run just started: its settings as validated, the prepared data, and its graph's nodes."""

    config: dict
    task: str
    classes: list
    features: list
    inputs: list  # the network's input columns after one-hot encoding
    n_train: int
    n_test: int
    report: dict  # PreparedData.report: how the data was prepared
    feature_fields: list
    notes: list
    nodes: list
    # the progress answers' losses are the engine's, on the scaled target: times loss_scale
    # they are loss_label ("MSE in y's units²", or "cross-entropy" with loss_scale 1)
    loss_scale: float
    loss_label: str

    @classmethod
    def of(cls, experiment, feature_fields, nodes):
        data = experiment.data
        return cls(
            config=experiment.config.to_dict(), task=experiment.task, classes=experiment.classes,
            features=data.features, inputs=data.input_names, n_train=int(len(data.x_train)),
            n_test=int(len(data.x_test)), report=data.report.to_dict(), feature_fields=feature_fields,
            notes=experiment.notes, nodes=nodes, loss_scale=experiment.loss_scale, loss_label=experiment.loss_label,
        )

    def to_dict(self):
        return {
            "config": self.config, "task": self.task, "classes": self.classes, "features": self.features,
            "inputs": self.inputs, "n_train": self.n_train, "n_test": self.n_test, "report": self.report,
            "feature_fields": self.feature_fields, "notes": self.notes, "nodes": self.nodes,
            "loss_scale": self.loss_scale, "loss_label": self.loss_label,
        }


def _text_left_out_notes(left_out):
    """One sentence for the text columns the page does not tick as features (see left_out_by_default)."""
    if not left_out:
        return []
    if len(left_out) == 1:
        return [f"{next(iter(left_out.values()))}: it looks like an id or free text, so it is not ticked as a feature"]
    names = ", ".join(map(repr, list(left_out)[:5])) + (", …" if len(left_out) > 5 else "")
    return [
        f"{len(left_out)} columns ({names}) hold more than {MAX_CATEGORIES} different text values each, too many "
        "to be categories: they look like ids or free text, so they are not ticked as features"
    ]


def _numeric_left_out_notes(left_out):
    """A sentence per number column the page does not tick as a row number or an id (one for them all
    past SEPARATE_NUMERIC_NOTES), each saying to tick it if it really is a feature."""
    if len(left_out) <= SEPARATE_NUMERIC_NOTES:
        return [f"{why}, so it is not ticked as a feature; tick it if it really is one" for why in left_out.values()]
    names = ", ".join(map(repr, list(left_out)[:5])) + (", …" if len(left_out) > 5 else "")
    return [
        f"{len(left_out)} number columns ({names}) count the rows in file order or are named like identifiers "
        "with every value distinct: they look like row numbers or ids, so they are not ticked as features; "
        "tick any that really is a feature"
    ]
