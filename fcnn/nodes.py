"""The nodes of the computational graph.

Every node has a ``name``, a ``value`` (set by ``forward``), its
``inbound_nodes`` and ``outbound_nodes``, and ``gradients``: a dict mapping
each inbound node to dLoss/d(that node's value), filled by ``backward``.

A node's ``backward`` first sums the gradients its outbound nodes computed for
it (the chain rule's sum over paths), then applies its own local derivative.
"""

from __future__ import annotations

import numpy as np


class BaseNode:
    """A vertex of the graph: wires itself to its inbound nodes on creation."""

    #: whether backward passes need dLoss/d(this node's value)
    requires_grad = True

    def __init__(self, inbound_nodes=(), name=None):
        self.name = name or type(self).__name__
        self.inbound_nodes = list(inbound_nodes)
        self.outbound_nodes = []
        for node in self.inbound_nodes:
            node.outbound_nodes.append(self)
        self.value = None
        self.gradients = {}

    def forward(self):
        raise NotImplementedError

    def backward(self):
        raise NotImplementedError

    def upstream_gradient(self):
        """dLoss/d(self.value): the sum of what every outbound node sent back."""
        grads = [node.gradients[self] for node in self.outbound_nodes if self in node.gradients]
        if not grads:
            return np.zeros_like(self.value)
        total = grads[0]
        for g in grads[1:]:
            total = total + g
        return total

    @property
    def shape(self):
        return None if self.value is None else tuple(np.shape(self.value))

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r}, shape={self.shape})"


class InputNode(BaseNode):
    """Data or labels. Holds the whole array and serves a mini-batch by row indexes.

    forward: Y = data[batch_indexes] (or the value set directly for prediction).
    It has no parameters, so backward computes nothing.
    """

    requires_grad = False

    def __init__(self, data=None, name=None):
        super().__init__((), name)
        self.data = None if data is None else np.asarray(data, dtype=float)

    def set_data(self, data):
        self.data = np.asarray(data, dtype=float)
        self.value = self.data

    def feed(self, indexes):
        """Serve the rows ``indexes`` as this node's value."""
        self.value = self.data[indexes]

    def forward(self):
        pass  # the value was fed

    def backward(self):
        pass


class WeightNode(BaseNode):
    """A trainable parameter (weights or biases), updated by the optimizer.

    backward: gradients[self] = dLoss/dW, the sum over its outbound nodes.
    """

    def __init__(self, value, name=None):
        super().__init__((), name)
        self.value = np.asarray(value, dtype=float)

    def forward(self):
        pass  # its value is the parameter itself

    def backward(self):
        self.gradients[self] = self.upstream_gradient()


class LinearNode(BaseNode):
    """Y = X W + b, for a batch X (m×n), weights W (n×k) and bias b (k,).

    dL/dX = G Wᵀ,  dL/dW = Xᵀ G,  dL/db = Σ_rows G,  where G = dL/dY.
    """

    def __init__(self, x, w, b, name=None):
        super().__init__((x, w, b), name)
        self.x, self.w, self.b = x, w, b

    def forward(self):
        self.value = self.x.value @ self.w.value + self.b.value

    def backward(self):
        g = self.upstream_gradient()
        if self.x.requires_grad:
            self.gradients[self.x] = g @ self.w.value.T
        self.gradients[self.w] = self.x.value.T @ g
        self.gradients[self.b] = g.sum(axis=0)


class SigmoidNode(BaseNode):
    """Y = 1 / (1 + e^(−X)),  dY/dX = Y (1 − Y)."""

    def __init__(self, x, name=None):
        super().__init__((x,), name)
        self.x = x

    def forward(self):
        # 0.5 (1 + tanh(x/2)) is the same function and never overflows
        self.value = 0.5 * (1.0 + np.tanh(0.5 * self.x.value))

    def backward(self):
        y = self.value
        self.gradients[self.x] = self.upstream_gradient() * y * (1.0 - y)


class MseNode(BaseNode):
    """Mean squared error: L = mean((y − ŷ)²) over the N elements of the batch.

    dL/dŷ = 2 (ŷ − y) / N,  dL/dy = −dL/dŷ.
    """

    def __init__(self, y, y_hat, name=None):
        super().__init__((y, y_hat), name)
        self.y, self.y_hat = y, y_hat

    def forward(self):
        self.diff = self.y_hat.value - self.y.value.reshape(self.y_hat.value.shape)
        self.value = float(np.mean(self.diff**2))

    def backward(self):
        grad = (2.0 / self.diff.size) * self.diff
        self.gradients[self.y_hat] = grad
        if self.y.requires_grad:
            self.gradients[self.y] = -grad
