"""The seed's network, built as a node graph: X → linear → sigmoid → linear → MSE ← y."""

from __future__ import annotations

import numpy as np

from .graph import backward_pass, forward_pass, topological_sort
from .nodes import InputNode, LinearNode, MseNode, SigmoidNode, WeightNode


def glorot_normal(rng, fan_in, fan_out):
    """Xavier/Glorot initialisation: keeps a sigmoid layer's output variance near its input's."""
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


class Network:
    """A fully connected network with one sigmoid hidden layer and an MSE loss.

    ``nodes`` is the whole training graph in topological order; ``predict``
    runs the graph with the loss and label nodes dropped.
    """

    def __init__(self, n_features, hidden_units, rng):
        self.n_features, self.hidden_units = int(n_features), int(hidden_units)
        self.inputs = InputNode(name="X")
        self.labels = InputNode(name="y")
        w1 = WeightNode(glorot_normal(rng, self.n_features, self.hidden_units), name="W1")
        b1 = WeightNode(np.zeros(self.hidden_units), name="b1")
        w2 = WeightNode(glorot_normal(rng, self.hidden_units, 1), name="W2")
        b2 = WeightNode(np.zeros(1), name="b2")
        hidden = SigmoidNode(LinearNode(self.inputs, w1, b1, name="linear1"), name="sigmoid1")
        self.output = LinearNode(hidden, w2, b2, name="linear2")
        self.loss = MseNode(self.labels, self.output, name="mse")
        self.nodes = topological_sort([self.inputs, self.labels])
        self.weights = [n for n in self.nodes if isinstance(n, WeightNode)]

    def train_batch(self, indexes):
        """Forward and backward on the rows ``indexes``; returns the batch loss."""
        self.inputs.feed(indexes)
        self.labels.feed(indexes)
        forward_pass(self.nodes)
        backward_pass(self.nodes)
        return self.loss.value

    def evaluate_loss(self, x, y):
        """The loss on (x, y) without touching the gradients."""
        self.inputs.value, self.labels.value = np.asarray(x, float), np.asarray(y, float)
        forward_pass(self.nodes)
        return self.loss.value

    def prediction_nodes(self):
        """The graph with the loss and label nodes dropped: what runs at prediction time."""
        return [n for n in self.nodes if n is not self.loss and n is not self.labels]

    def predict(self, x):
        """Outputs (one column) for the already scaled feature rows ``x``."""
        self.inputs.value = np.asarray(x, dtype=float)
        forward_pass(self.prediction_nodes())
        return self.output.value[:, 0].copy()

    def get_weights(self):
        return {w.name: w.value.copy() for w in self.weights}

    def set_weights(self, values):
        for w in self.weights:
            w.value = np.array(values[w.name], dtype=float)


class SGD:
    """Mini-batch stochastic gradient descent: W ← W − lr · dL/dW."""

    def __init__(self, learning_rate):
        self.learning_rate = float(learning_rate)

    def step(self, weights):
        for w in weights:
            w.value -= self.learning_rate * w.gradients[w]
