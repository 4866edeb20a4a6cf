"""What the page's one-screen workspace draws besides the maps: the weights among the units its
Neurons face shows, the network's output on the test rows while it trains (predicted against
actual), and the figures of the units a wide layer does not draw.

Everything is read from the engine's own objects (the weight nodes' values, the network's
prediction graph); nothing here computes a weight or an output a second way.
"""

from __future__ import annotations

import numpy as np

from ..errors import FcnnError
from ..run.model import decoded_output
from ..run.settings import LIMITS

UNITS_DRAWN = LIMITS["units_drawn"]
# the test rows whose output is drawn while a run trains: enough for the picture, cheap to run
OUTPUT_ROWS = 500
WEIGHT_DECIMALS = 6


def shown_weights(network, count=UNITS_DRAWN):
    """Per layer (input side first), the weights among the first ``count`` units of each side:
    W[:count, :count] of each weight node, as lists (exact: a line's colour is its weight's sign)."""
    return [np.asarray(weights.value)[:count, :count].tolist() for weights, _ in network.layers]


def output_view(experiment, limit=OUTPUT_ROWS):
    """The network's output now on the first ``limit`` test rows (the training rows when no
    row is held out), as the Output column draws it while the run trains.

    Regression: ``pairs`` of [actual, predicted] in the target's units. Classification: the
    ``confusion_matrix`` (rows actual, columns predicted) over ``classes`` and its ``accuracy``.
    Both: ``task``, ``target``, ``rows`` ("test" or "training"), ``n_rows`` and ``epoch``."""
    data = experiment.data
    x, target, rows = data.x_test, data.target_test, "test"
    if len(x) == 0:
        x, target, rows = data.x_train, data.target_train, "training"
    x, target = x[:limit], np.asarray(target[:limit])
    out = np.asarray(decoded_output(experiment.network, data.encoder, x))
    answer = {"task": experiment.task, "target": experiment.config.target, "rows": rows, "n_rows": int(len(x)),
              "epoch": experiment.trainer.epoch}
    if not np.all(np.isfinite(out)):
        raise FcnnError("the network's outputs are not finite numbers; lower the learning rate and train again")
    if experiment.task == "regression":
        answer["pairs"] = [[float(a), float(p)] for a, p in zip(target, out)]
        return answer
    classes = list(experiment.classes)
    predicted = out.argmax(axis=1)
    matrix = np.zeros((len(classes), len(classes)), dtype=int)
    np.add.at(matrix, (target.astype(int), predicted), 1)
    answer.update(classes=[str(c) for c in classes], confusion_matrix=matrix.tolist(),
                  accuracy=float(np.mean(predicted == target.astype(int))) if len(x) else None)
    return answer


def layer_units(network, layer):
    """Each unit of layer ``layer`` (1-based; the output layer is the last): its ``bias`` and the
    norm of its incoming weights, for the list behind a wide layer's "+N more"."""
    if not 1 <= int(layer) <= len(network.layers):
        raise FcnnError(f"the network has no layer {layer}; it has {len(network.layers)} (the output layer is the last)")
    weights, biases = network.layers[int(layer) - 1]
    norms = np.linalg.norm(np.asarray(weights.value), axis=0)
    bias = np.asarray(biases.value).reshape(-1)
    return [{"unit": u + 1, "bias": round(float(b), WEIGHT_DECIMALS), "weight_norm": round(float(n), WEIGHT_DECIMALS)}
            for u, (b, n) in enumerate(zip(bias, norms))]
