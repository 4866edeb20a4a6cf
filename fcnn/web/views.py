"""The data the page's views draw: the network and its weights, the decision map,
the test results, the target's task, the what-if form's fields.

Plain dicts and lists of numbers and strings, ready for JSON.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from ..engine.nodes import WeightNode
from ..errors import FcnnError
from ..tables import TASKS, TargetEncoder, explain_task, is_missing, resolve_task
from .answers import best_epoch

MAX_RESULT_ROWS = 10_000
GRID_SIZE = 40
MAX_GRID_SIZE = 100
GRID_POINTS = 2000  # the data points drawn over the decision map
MAX_EDGES_PER_LAYER = 400  # the strongest edges only, so the page's drawing stays cheap
SHOWN_CLASSES = 10  # target_description names at most this many class labels


def node_entries(network, with_shapes=False):
    """One entry per node of the graph: name and kind; a weight node also its ``layer``
    (1-based, the output layer last) and ``role`` ("weights" or "biases")."""
    roles = {}
    for layer, (weights, biases) in enumerate(network.layers, start=1):
        roles[id(weights)], roles[id(biases)] = (layer, "weights"), (layer, "biases")
    entries = []
    for node in network.nodes:
        entry = {"name": node.name, "kind": type(node).__name__}
        if with_shapes:
            entry["shape"] = _shape(node)
        if id(node) in roles:
            entry["layer"], entry["role"] = roles[id(node)]
        entries.append(entry)
    return entries


def _shape(node):
    value = getattr(node, "value", None)
    shape = list(np.shape(value)) if value is not None else []
    if shape and not isinstance(node, WeightNode):
        # rows are the mini-batch, or whatever was predicted last: say "batch", not a count
        shape[0] = "batch"
    return shape


def network_view(network):
    """The node graph, the layer sizes and, per layer, the strongest weights as [from, to, weight]."""
    sizes, edges = [network.n_inputs], []
    for weights, _ in network.layers:
        matrix = np.asarray(weights.value)
        sizes.append(matrix.shape[1])
        rows, cols = np.unravel_index(_strongest(np.abs(matrix).ravel(), MAX_EDGES_PER_LAYER), matrix.shape)
        edges.append([[int(r), int(c), float(matrix[r, c])] for r, c in zip(rows, cols)])
    return {"nodes": node_entries(network, with_shapes=True), "sizes": sizes, "edges": edges}


def _strongest(magnitudes, count):
    """The indexes of the ``count`` largest magnitudes, largest first. A partition finds them
    without sorting the whole layer (a 512 × 512 layer's sort is most of the view's time in the browser)."""
    if magnitudes.size > count:
        top = np.argpartition(magnitudes, magnitudes.size - count)[-count:]
        return top[np.argsort(magnitudes[top])[::-1]]
    return np.argsort(magnitudes)[::-1]


def decision_map(experiment, table, size=GRID_SIZE):
    """The model's output over a size×size grid spanning the two features (2-D data only),
    with the table's points; only the grid is evaluated."""
    features = experiment.data.features
    if len(features) != 2:
        raise FcnnError("the decision map needs exactly two feature columns")
    size = max(2, min(int(size), MAX_GRID_SIZE))
    ranges = [_padded_range(table, name) for name in features]
    xs, ys = np.linspace(*ranges[0], size), np.linspace(*ranges[1], size)
    cells = [[repr(float(x)), repr(float(y))] for y in ys for x in xs]
    output = np.asarray(experiment.predictor().predict_output(cells))
    if experiment.task == "regression":
        values, confidence = output.reshape(-1), None
    else:
        values, confidence = output.argmax(axis=1), output.max(axis=1).tolist()  # class index per cell
    return {"size": size, "x_range": list(ranges[0]), "y_range": list(ranges[1]), "features": features,
            "task": experiment.task, "classes": experiment.classes,
            "values": np.asarray(values, dtype=float).tolist(), "confidence": confidence,
            "points": _points(table, features, experiment.config.target)}


def _padded_range(table, name):
    """The column's numeric range, padded by 5% so the points do not sit on the map's edge."""
    i = table.columns.index(name)
    values = []
    for row in table.rows:
        try:
            values.append(float(row[i]))
        except ValueError:
            pass
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    pad = (high - low) * 0.05 or 1.0
    return low - pad, high + pad


def _points(table, features, target):
    points = []
    at = table.columns.index(target)
    idx = [table.columns.index(n) for n in features]
    for row in table.rows[:GRID_POINTS]:
        try:
            points.append([float(row[idx[0]]), float(row[idx[1]]), row[at]])
        except ValueError:
            pass
    return points


def results_view(experiment):
    """Test metrics and, for each test row (at most MAX_RESULT_ROWS), the actual and predicted values;
    with how the run ended: ``stop_reason`` (None while it can still train), ``best_epoch`` (see
    answers.best_epoch: the weights kept when early stopping is on), the epochs trained and planned."""
    metrics = experiment.test_metrics()
    out = experiment.test_output()
    actual = experiment.data.target_test[:MAX_RESULT_ROWS]
    if experiment.task == "regression":
        rows = [[float(a), float(p)] for a, p in zip(actual, out[:MAX_RESULT_ROWS])]
    else:
        labels = experiment.classes
        rows = [[labels[int(a)], labels[int(p)]] for a, p in zip(actual, out.argmax(axis=1))]
    return {
        "task": experiment.task, "metrics": metrics, "r2": metrics.get("r2"), "accuracy": metrics.get("accuracy"),
        "epoch": experiment.trainer.epoch, "target": experiment.config.target, "rows": rows, "n_test": int(len(out)),
        "stop_reason": experiment.trainer.stop_reason, "best_epoch": best_epoch(experiment.trainer),
        "epochs_planned": experiment.config.epochs,
    }


def target_description(table, info):
    """The task the page shows beside its task choice, for the target column ``info`` (see Session.describe_target)."""
    try:
        detected, reason = explain_task(info)
        problem = None
    except FcnnError as exc:
        detected, reason, problem = None, "", str(exc)
    options = {}
    for task in TASKS:
        try:
            resolve_task(task, info)
            options[task] = None
        except FcnnError as exc:
            options[task] = str(exc)
    classes = []
    if detected in ("binary", "multiclass"):
        cells = [row[info.index] for row in table.rows if not is_missing(row[info.index])]
        classes = TargetEncoder.for_task(detected, info.name).fit(cells).classes
    return {
        "target": info.name, "kind": info.kind, "detected": detected, "reason": reason, "problem": problem,
        "n_classes": len(classes), "classes": [str(c) for c in classes[:SHOWN_CLASSES]],
        "n_distinct": info.n_distinct, "n_missing": info.n_missing, "options": options,
    }


def feature_fields(pipeline):
    """One entry per feature for the page's what-if form: its name, kind ("numeric" or
    "categorical"), the categories the model knows (categorical) and the value a blank takes."""
    return [
        {"name": c["name"], "kind": c["kind"], "categories": c.get("categories"), "fill": c["fill"]}
        for c in pipeline.to_dict()["columns"]
    ]


def unseen_category_notes(pipeline, columns, rows):
    """A note per text feature whose cells hold values training never saw: the model
    cannot tell such a value from any other unknown one, which the user should know."""
    notes = []
    for field in feature_fields(pipeline):
        if field["kind"] != "categorical" or field["name"] not in columns:
            continue
        at, known = columns.index(field["name"]), set(field["categories"])
        unseen = Counter(row[at] for row in rows if not is_missing(row[at]) and row[at] not in known)
        if unseen:
            shown = ", ".join(f"{value!r} ({count} {'row' if count == 1 else 'rows'})" for value, count in unseen.most_common(5))
            more = ", …" if len(unseen) > 5 else ""
            notes.append(
                f"{field['name']} holds values the model never saw in training: {shown}{more}; "
                f"it predicts those rows as if {field['name']} were none of the values it knows"
            )
    return notes


def model_classes(model):
    classes = getattr(model.encoder, "classes", None)
    return [str(c) for c in classes] if classes is not None else []


def plain(values):
    """Predictions as JSON values: numbers stay numbers, labels become text."""
    out = []
    for v in np.asarray(values).tolist():
        out.append(float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v))
    return out
