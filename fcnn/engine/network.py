"""A fully connected network built as a node graph:

    X → linear → activation → … → linear → output → loss ← y

The output layer and the loss follow the task: regression ends in a linear
output and ``MseNode``; binary classification in a sigmoid and binary
cross-entropy; multi-class classification in logits and the fused
``SoftmaxCrossEntropyNode``.
"""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError
from .graph import backward_pass, compile_passes, forward_pass, topological_sort
from .nodes import (
    ACTIVATIONS,
    BinaryCrossEntropyNode,
    InputNode,
    LinearNode,
    MseNode,
    SigmoidNode,
    SoftmaxCrossEntropyNode,
    WeightNode,
    softmax,
)

TASKS = ("regression", "binary", "multiclass")
# Prediction and evaluation run this many rows at a time: with 10 layers of 512
# units a chunk's node values take about 170 MB, whatever the size of the table.
EVALUATION_CHUNK_ROWS = 2048


def glorot_normal(rng, fan_in, fan_out):
    """Xavier/Glorot: Var(W) = 2 / (fan_in + fan_out), for sigmoid, tanh and identity layers."""
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


def he_normal(rng, fan_in, fan_out):
    """He: Var(W) = 2 / fan_in, which keeps a relu layer's output variance steady."""
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


class ParameterSet:
    """All weight nodes' values and gradients as views into two flat vectors,
    so an optimizer updates every parameter with a handful of numpy calls."""

    def __init__(self, weights):
        self.weights = list(weights)
        sizes = [w.value.size for w in self.weights]
        self.values = np.empty(sum(sizes))
        self.grads = np.zeros(sum(sizes))
        self.decay_mask = np.empty(sum(sizes))
        start = 0
        for w, size in zip(self.weights, sizes):
            stop = start + size
            self.values[start:stop] = w.value.ravel()
            self.decay_mask[start:stop] = 1.0 if w.decay else 0.0
            w.value = self.values[start:stop].reshape(w.value.shape)
            w.grad = self.grads[start:stop].reshape(w.value.shape)
            start = stop

    @property
    def size(self):
        return self.values.size

    def snapshot(self):
        return self.values.copy()

    def restore(self, values):
        np.copyto(self.values, values)

    def named(self, flat):
        """{weight name: its part of ``flat`` (a vector laid out like ``values``) as a view in its shape}."""
        named, start = {}, 0
        for w in self.weights:
            named[w.name] = flat[start : start + w.value.size].reshape(w.value.shape)
            start += w.value.size
        return named


class Network:
    """Builds and runs the graph. ``nodes`` is the training graph in topological order."""

    def __init__(self, n_inputs, hidden_layers, activation="sigmoid", task="regression", n_outputs=1, rng=None):
        if task not in TASKS:
            raise ConfigError(f"task {task!r} is not one of {', '.join(TASKS)}")
        if activation not in ACTIVATIONS:
            raise ConfigError(f"activation {activation!r} is not one of {', '.join(ACTIVATIONS)}")
        rng = rng if rng is not None else np.random.default_rng()
        self.n_inputs, self.hidden_layers = int(n_inputs), [int(h) for h in hidden_layers]
        self.activation, self.task = activation, task
        self.n_outputs = n_outputs if task == "multiclass" else 1
        init = he_normal if activation == "relu" else glorot_normal

        self.inputs = InputNode(name="X")
        self.labels = InputNode(name="y")
        layer, width = self.inputs, self.n_inputs
        weights = []
        self.layers = []  # (weights, biases) of each hidden layer, then of the output layer
        for i, units in enumerate(self.hidden_layers, start=1):
            w = WeightNode(init(rng, width, units), name=f"W{i}")
            b = WeightNode(np.zeros(units), name=f"b{i}", decay=False)
            weights += [w, b]
            self.layers.append((w, b))
            layer = ACTIVATIONS[activation](LinearNode(layer, w, b, name=f"linear{i}"), name=f"{activation}{i}")
            width = units
        i = len(self.hidden_layers) + 1
        w = WeightNode(glorot_normal(rng, width, self.n_outputs), name=f"W{i}")
        b = WeightNode(np.zeros(self.n_outputs), name=f"b{i}", decay=False)
        weights += [w, b]
        self.layers.append((w, b))
        logits = LinearNode(layer, w, b, name=f"linear{i}")
        if task == "regression":
            self.output, self.loss = logits, MseNode(self.labels, logits, name="mse")
        elif task == "binary":
            self.output = SigmoidNode(logits, name="sigmoid_out")
            self.loss = BinaryCrossEntropyNode(self.labels, self.output, name="binary_cross_entropy")
        else:
            self.output, self.loss = logits, SoftmaxCrossEntropyNode(self.labels, logits, name="softmax_cross_entropy")
        self.nodes = topological_sort([self.inputs, self.labels])
        self.parameters = ParameterSet(weights)
        self.weights = self.parameters.weights
        for w in self.weights:  # single-consumer weights are written into directly
            w.gradients[w] = w.grad
        forward, backward = compile_passes(self.nodes)
        # a mini-batch is these calls in this order: the nodes' bound methods, looked up once
        self._steps = [node.forward for node in forward] + [node.backward for node in backward]

    # -- training ------------------------------------------------------------
    def train_batch(self, indexes):
        """Forward and backward on the rows ``indexes``; returns the batch loss."""
        self.inputs.feed(indexes)
        self.labels.feed(indexes)
        for step in self._steps:
            step()
        return self.loss.value

    def evaluate_loss(self, x, y, chunk_rows=EVALUATION_CHUNK_ROWS):
        """The loss on (x, y) without a backward pass. Runs in chunks, like
        ``predict``: every loss is a mean over rows, so the mean of the chunks'
        losses weighted by their rows is the loss of the whole."""
        x, y = np.asarray(x, float), np.asarray(y, float)
        if len(x) <= chunk_rows:
            self.inputs.value, self.labels.value = x, y
            forward_pass(self.nodes)
            return self.loss.value
        total = 0.0
        for start in range(0, len(x), chunk_rows):
            self.inputs.value, self.labels.value = x[start : start + chunk_rows], y[start : start + chunk_rows]
            forward_pass(self.nodes)
            total += float(self.loss.value) * len(self.inputs.value)
        return total / len(x)

    def training_memory_bytes(self, batch_rows):
        """About how much memory training takes besides the data: each weight with
        its gradient and two optimizer moments, and for each linear and
        activation node a value and a gradient per row of a batch."""
        widths = self.hidden_layers + [self.n_outputs]
        params = sum((fan_in + 1) * units for fan_in, units in zip([self.n_inputs] + self.hidden_layers, widths))
        return 8 * (4 * params + 4 * int(batch_rows) * sum(widths))

    # -- prediction ------------------------------------------------------------
    def prediction_nodes(self):
        """The graph with the loss and label nodes dropped: what runs at prediction time."""
        return [n for n in self.nodes if n is not self.loss and n is not self.labels]

    def predict(self, x, chunk_rows=EVALUATION_CHUNK_ROWS):
        """The output for scaled feature rows: a value (regression), P(class 1)
        (binary) or class probabilities (multi-class). Runs in chunks so a big
        table does not need one huge buffer per layer."""
        x = np.asarray(x, dtype=float)
        nodes = self.prediction_nodes()
        parts = []
        for start in range(0, max(len(x), 1), chunk_rows):
            self.inputs.value = x[start : start + chunk_rows]
            forward_pass(nodes)
            out = self.output.value
            parts.append(softmax(out.copy()) if self.task == "multiclass" else out.copy())
        return np.concatenate(parts) if parts else np.empty((0, self.n_outputs))

    # -- state -----------------------------------------------------------------
    def spec(self):
        return {
            "n_inputs": self.n_inputs,
            "hidden_layers": list(self.hidden_layers),
            "activation": self.activation,
            "task": self.task,
            "n_outputs": self.n_outputs,
        }

    def get_weights(self):
        return {w.name: w.value.copy() for w in self.weights}

    def set_weights(self, values):
        for w in self.weights:
            new = np.asarray(values[w.name], dtype=float)
            if new.shape != w.value.shape:
                raise ConfigError(f"weights {w.name} have shape {new.shape}, the network needs {w.value.shape}")
            np.copyto(w.value, new)
