"""What each hidden unit computes, for the page's neuron maps.

With exactly two numeric features, each hidden unit's output over the input
plane: the grid the decision map spans (``views._padded_range``), smaller.
With more features, each unit's distribution of activations over the test
rows: a histogram. Both come from the engine's own node objects: the
prediction graph is run on the grid or the rows, and each hidden activation
node's value is read. Nothing here computes an activation itself.

The answer stays small whatever the network: at most ``MAX_UNITS_SHOWN`` units a
layer (the first ones), at most ``MAX_MAP_SIZE``² cells a map, ``HISTOGRAM_BINS``
bins a histogram.
"""

from __future__ import annotations

import numpy as np

from ..engine.graph import forward_pass
from ..engine.network import EVALUATION_CHUNK_ROWS
from ..errors import FcnnError
from ..run.settings import LIMITS
from .views import _padded_range as padded_range  # the decision map's plane, so both maps span the same one

MAP_SIZE = 24
MAX_MAP_SIZE = 32
MIN_MAP_SIZE = 8
# A grid's forward pass costs rows × (multiply-adds a row). Pyodide's numpy does about
# 0.2–1 G multiply-adds a second, so a big network gets a coarser grid: 10 layers of 512
# units (2.6 M a row) get 10×10 cells, not 24×24 (8 s a map in a busy browser).
MAP_WORK_LIMIT = 250_000_000
MAX_UNITS_SHOWN = LIMITS["units_drawn"]  # the units the page's Neurons face draws
HISTOGRAM_BINS = 20
# grid values travel as JSON: 4 decimals is finer than any colour a map can show
MAP_DECIMALS = 4


def hidden_activation_nodes(network):
    """Each hidden layer's activation node, found along the graph's own edges: W → linear → activation."""
    found = []
    for weights, _ in network.layers[:-1]:
        (linear,) = weights.outbound_nodes
        (activation,) = linear.outbound_nodes
        found.append(activation)
    return found


def hidden_values(network, x, shown=MAX_UNITS_SHOWN):
    """Each hidden layer's first ``shown`` units' activations for the scaled rows ``x``:
    a list (one per layer) of n × min(units, shown) arrays. Runs the prediction graph
    in chunks, as ``Network.predict`` does, and copies what it reads (the nodes reuse
    their buffers)."""
    x = np.asarray(x, dtype=float)
    nodes, activations = network.prediction_nodes(), hidden_activation_nodes(network)
    parts = [[np.empty((0, min(units, shown)))] for units in network.hidden_layers]
    for start in range(0, len(x), EVALUATION_CHUNK_ROWS):
        network.inputs.value = x[start : start + EVALUATION_CHUNK_ROWS]
        forward_pass(nodes)
        for part, node in zip(parts, activations):
            part.append(np.array(node.value[:, :shown]))
    return [np.concatenate(part) for part in parts]


def neuron_maps(experiment, table, size=MAP_SIZE):
    """The neuron maps of the current run (see the module's docstring).

    Answers ``kind`` ("grid" or "histogram"), ``activation``, ``epoch`` (the run's
    epoch the maps show) and ``layers``: per hidden layer its ``layer`` (1-based),
    ``units`` and ``maps``, one per shown unit with its ``unit`` (0-based) and
    ``values`` (grid: size×size outputs, row 0 at the lowest y) or ``counts`` and
    ``edges`` (histogram). A grid answer also has ``size``, ``x_range``, ``y_range``
    and ``features``; a histogram answer ``bins``, ``rows`` ("test", or "training"
    when there are no test rows) and ``n_rows``."""
    network = experiment.network
    answer = {"activation": network.activation, "epoch": experiment.trainer.epoch,
              "units_shown": MAX_UNITS_SHOWN, "layers": []}
    if not network.hidden_layers:
        answer["kind"] = "none"  # no hidden layer: nothing in between to show
        return answer
    features = experiment.data.features
    if len(features) == 2 and network.n_inputs == 2:
        answer.update(_grid_maps(experiment, table, size))
    else:
        answer.update(_histograms(experiment))
    return answer


def _layer_entries(network, per_layer_maps):
    return [{"layer": i, "units": units, "maps": maps}
            for i, (units, maps) in enumerate(zip(network.hidden_layers, per_layer_maps), start=1)]


def _grid_maps(experiment, table, size):
    features = experiment.data.features
    if table is None or any(name not in table.columns for name in features):
        raise FcnnError("the neuron maps need the table the run was trained on; train again on the loaded data")
    size = max(2, min(int(size), MAX_MAP_SIZE, affordable_size(experiment.network)))
    ranges = [padded_range(table, name) for name in features]
    xs, ys = np.linspace(*ranges[0], size), np.linspace(*ranges[1], size)
    # cells as the file would hold them, so the run's own preprocessing scales them
    cells = [[repr(float(x)), repr(float(y))] for y in ys for x in xs]
    x = experiment.data.pipeline.transform_rows(cells)
    per_layer = []
    for values in hidden_values(experiment.network, x):
        rounded = np.round(values, MAP_DECIMALS)
        per_layer.append([{"unit": u, "values": _finite(rounded[:, u])} for u in range(values.shape[1])])
    return {"kind": "grid", "size": size, "x_range": list(ranges[0]), "y_range": list(ranges[1]),
            "features": list(features), "layers": _layer_entries(experiment.network, per_layer)}


def affordable_size(network):
    """The largest grid whose forward pass stays within MAP_WORK_LIMIT (at least MIN_MAP_SIZE)."""
    widths = [network.n_inputs] + network.hidden_layers + [network.n_outputs]
    per_row = sum(a * b for a, b in zip(widths, widths[1:]))
    return max(MIN_MAP_SIZE, int((MAP_WORK_LIMIT / per_row) ** 0.5))


def _histograms(experiment):
    x, rows = experiment.data.x_test, "test"
    if len(x) == 0:
        x, rows = experiment.data.x_train, "training"
    per_layer = [[_histogram(u, column) for u, column in enumerate(values.T)]
                 for values in hidden_values(experiment.network, x)]
    return {"kind": "histogram", "bins": HISTOGRAM_BINS, "rows": rows, "n_rows": int(len(x)),
            "layers": _layer_entries(experiment.network, per_layer)}


def _histogram(unit, values):
    """HISTOGRAM_BINS equal bins over the unit's range (a point range widened by 0.5 each way,
    so a unit that never varies still has a bar). Values that are not finite are not counted."""
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
    if high - low < 1e-12:
        low, high = low - 0.5, high + 0.5
    counts, edges = np.histogram(finite, bins=HISTOGRAM_BINS, range=(low, high))
    return {"unit": unit, "counts": counts.tolist(), "edges": edges.tolist()}


def _finite(values):
    """A list for JSON: a value that is not finite (an overflowing unit) becomes None, a gap."""
    if np.isfinite(values).all():
        return values.tolist()
    return [float(v) if np.isfinite(v) else None for v in values]
