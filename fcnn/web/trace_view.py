"""A traced mini-batch summarised for the page: small enough to send at every trace step.

A 10-layer × 512-unit network's full trace holds tens of megabytes of numbers;
the page shows, per matrix, its shape, mean and range, the numbers themselves
only when it is at most FULL_CELLS × FULL_CELLS, and otherwise a heatmap of at
most HEATMAP_CELLS × HEATMAP_CELLS block means. Every number comes from the
engine's BatchTrace; a number that is not finite is sent as None (JSON has no NaN).
"""

from __future__ import annotations

import inspect
import math

import numpy as np

FULL_CELLS = 8
HEATMAP_CELLS = 16


def finite_number(value):
    """A float, or None when it is not finite (JSON has no NaN)."""
    value = float(value)
    return value if math.isfinite(value) else None


def _numbers(array):
    """Nested lists of floats, None where a number is not finite."""
    if np.all(np.isfinite(array)):
        return array.tolist()
    return [[finite_number(v) for v in row] for row in array]


def _rounded(array, digits=3):
    """The heatmap's cells to ``digits`` significant digits of the largest (a colour needs no more: 0.1 %),
    which keeps the answer small."""
    finite = np.abs(array[np.isfinite(array)])
    largest = finite.max() if finite.size else 0.0
    if largest == 0.0:
        return array
    return np.round(array, int(digits - 1 - math.floor(math.log10(largest))))


def _block_means(matrix, cells):
    """The matrix shrunk to at most cells × cells by averaging nearly equal blocks of rows and columns."""
    rows, columns = matrix.shape
    if rows % cells == 0 and columns % cells == 0:  # equal blocks: one reshape (512×512 layers)
        return matrix.reshape(cells, rows // cells, cells, columns // cells).mean(axis=(1, 3))
    for axis in (0, 1):
        n = matrix.shape[axis]
        if n > cells:
            starts = np.linspace(0, n, cells, endpoint=False).astype(int)
            sizes = np.diff(np.append(starts, n))
            shape = (-1, 1) if axis == 0 else (1, -1)
            matrix = np.add.reduceat(matrix, starts, axis=axis) / sizes.reshape(shape)
    return matrix


def summary(value):
    """{shape, mean, min, max, norm, values, heatmap} of a scalar, vector or matrix.

    values: the numbers (as a matrix: a vector is one row) when at most
    FULL_CELLS × FULL_CELLS, else None; heatmap: block means otherwise."""
    if value is None:
        return None
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        number = finite_number(array)
        return {"shape": [], "mean": number, "min": number, "max": number, "norm": finite_number(abs(array)),
                "values": [[number]], "heatmap": None}
    matrix = array.reshape(1, -1) if array.ndim == 1 else array.reshape(array.shape[0], -1)
    with np.errstate(over="ignore", invalid="ignore"):
        figures = {"mean": finite_number(matrix.mean()), "min": finite_number(matrix.min()), "max": finite_number(matrix.max()),
                   "norm": finite_number(np.linalg.norm(matrix))}
        small = matrix.shape[0] <= FULL_CELLS and matrix.shape[1] <= FULL_CELLS
        return {"shape": list(array.shape), **figures,
                "values": _numbers(matrix) if small else None,
                "heatmap": None if small else _numbers(_rounded(_block_means(matrix, HEATMAP_CELLS)))}


def once_per_array():
    """A summary function that summarises each array object once (what one node sent, another
    received: the same array, summarised once)."""
    made = {}

    def summarised(value):
        key = id(value)
        if key not in made:
            made[key] = (value, summary(value))  # the value is kept so its id stays unique
        return made[key][1]

    return summarised


def kind_docs(network):
    """{node kind: its class docstring} (the forward and backward formulas), once per kind."""
    docs = {}
    for node in network.nodes:
        kind = type(node).__name__
        if kind not in docs:
            docs[kind] = inspect.getdoc(type(node)) or ""
    return docs


def trace_summary(trace, network):
    """The page's form of a BatchTrace of ``network``: nodes in topological order, the
    optimizer's step per weight node, the loss before and after, each kind's docstring."""
    summarised = once_per_array()
    return {
        "nodes": [node.to_dict(summarised) for node in trace.nodes],
        "steps": {name: summary(step) for name, step in trace.steps.items()},
        "loss": finite_number(trace.loss),
        "loss_after": finite_number(trace.loss_after),
        "stepped": trace.stepped,
        "optimizer": trace.optimizer,
        "learning_rate": trace.learning_rate,
        "docs": kind_docs(network),
    }
