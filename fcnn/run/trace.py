"""Rows of a table made into one mini-batch as a training run would see it, and traced.

The run is an ``Experiment`` built from the same settings as ``train``: its
fitted feature pipeline and target encoder made the rows' inputs and labels,
and its network holds the initial weights for the seed. The chosen rows are
taken from the prepared arrays, so they are exactly what training feeds.
"""

from __future__ import annotations

import numpy as np

from ..engine.trace import trace_batch
from ..errors import DataError
from .experiment import Experiment


def parse_rows(text):
    """'0,1,2' → [0, 1, 2]; a clear DataError for anything else."""
    parts = [p.strip() for p in str(text).split(",") if p.strip()]
    if not parts:
        raise DataError(f"--rows {text!r} names no rows; give row numbers separated by commas, such as 0,1,2,3")
    rows = []
    for part in parts:
        try:
            rows.append(int(part))
        except ValueError:
            raise DataError(f"--rows: {part!r} is not a row number; give whole numbers from 0 separated by commas, "
                            "such as 0,1,2,3") from None
    return rows


def _why_left_out(experiment, table, row):
    target = experiment.config.target
    if table.column_named(target).missing[row]:
        return f"its target {target!r} is missing"
    return "a feature value is missing and --missing drop leaves such rows out"


def batch_rows(experiment, table, rows):
    """(x, y): the inputs and labels of table rows ``rows`` (0-based, in the order given)."""
    data = experiment.data
    where = {int(r): ("train", k) for k, r in enumerate(data.train_rows)}
    where.update({int(r): ("test", k) for k, r in enumerate(data.test_rows)})
    x_rows, y_rows = [], []
    for row in rows:
        if not 0 <= row < table.n_rows:
            raise DataError(f"row {row} is not in the data: it has {table.n_rows} rows, numbered 0 to "
                            f"{table.n_rows - 1}; choose --rows among those")
        if row not in where:
            raise DataError(f"row {row} is not used for training: {_why_left_out(experiment, table, row)}; "
                            "choose other --rows")
        part, k = where[row]
        x_rows.append((data.x_train if part == "train" else data.x_test)[k])
        y_rows.append((data.y_train if part == "train" else data.y_test)[k])
    # the labels as the run's label node holds them (a column, or one-hot rows)
    return np.array(x_rows), experiment.labels(np.array(y_rows))


def trace_rows(table, config, rows):
    """The BatchTrace of table rows ``rows`` through a fresh run's network with
    ``config`` (its initial weights for ``config.seed``), one optimizer step
    included; returns (trace, experiment)."""
    experiment = Experiment(table, config)
    x, y = batch_rows(experiment, table, rows)
    trace = trace_batch(experiment.network, experiment.trainer.optimizer, x, y)
    return trace, experiment


def _norm(value):
    return float(np.linalg.norm(np.ravel(value)))


def _summary(value):
    array = np.asarray(value, dtype=float)
    return f"{array.mean():>11.4g} {array.min():>11.4g} {array.max():>11.4g}"


def trace_table(trace, rows):
    """The trace as lines of text: one per node in topological order, then the loss and the steps."""
    lines = [f"mini-batch of rows {', '.join(map(str, rows))}; one {trace.optimizer} step, learning rate {trace.learning_rate:g}",
             f"{'node':<22} {'kind':<24} {'shape':<10} {'mean':>11} {'min':>11} {'max':>11} {'|dL/dvalue|':>11}  norms of the gradients sent back"]
    for node in trace.nodes:
        shape = "×".join(map(str, node.shape)) or "scalar"
        sent = ", ".join(f"d/d{name} {_norm(g):.4g}" for name, g in node.gradients.items()) or "-"
        received = "-" if node.gradient is None else f"{_norm(node.gradient):.4g}"
        lines.append(f"{node.name:<22} {node.kind:<24} {shape:<10} {_summary(node.value)} {received:>11}  {sent}")
    lines.append(f"loss {trace.loss:.10g} before the step, {trace.loss_after:.10g} after it on the same rows")
    if not trace.stepped:
        lines.append("the loss is not a finite number, so no step was taken (training would stop here)")
    for name, step in trace.steps.items():
        lines.append(f"step of {name:<6} norm {_norm(step):.4g}  (weights' norm {_norm(trace.weights_before[name]):.4g})")
    return lines
