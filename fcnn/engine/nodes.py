"""The nodes of the computational graph.

Every node has a ``name``, a ``value`` (set by ``forward``), its
``inbound_nodes`` and ``outbound_nodes``, and ``gradients``: a dict mapping
each inbound node to dLoss/d(that node's value), filled by ``backward``.

A node's ``backward`` takes dLoss/d(its own value) from its outbound nodes
(the chain rule's sum over paths; one path needs no sum) and applies its local
derivative, stated in each class's docstring.

Speed: a training step allocates nothing. Values and gradients live in
buffers that are reused while the batch size stays the same, and numpy writes
into them with ``out=``. A weight with a single consumer has that consumer
write its gradient straight into the weight's own gradient array. A node makes
its value buffer when its forward sees a new batch shape (the first batch, an
evaluation chunk, an epoch's short last batch) and its gradient buffers when
its backward does, and keeps them in attributes: the per-batch code is the
math alone, with no look-ups to find its arrays.
"""

from __future__ import annotations

import numpy as np

from .products import matmul_for

# The constants of the per-batch math as 0-d arrays: numpy converts a Python float anew on every
# call, which costs about as much as the operation itself on a small batch in Pyodide (1–2 µs).
# The same float64 values, so the same results.
ZERO, HALF, ONE = np.array(0.0), np.array(0.5), np.array(1.0)


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
        self._buffers = {}

    def forward(self):
        raise NotImplementedError

    def backward(self):
        raise NotImplementedError

    # -- buffers -------------------------------------------------------------
    def buffer(self, key, shape, dtype=float):
        """A reusable array: the same one while ``shape`` stays the same."""
        array = self._buffers.get(key)
        if array is None or array.shape != shape:
            array = self._buffers[key] = np.empty(shape, dtype=dtype)
        return array

    def gradient_buffer(self, inbound):
        """The array this node writes dLoss/d(inbound.value) into."""
        grad = self.gradients.get(inbound)
        if grad is None or grad.shape != inbound.value.shape:
            grad = inbound.gradient_slot(self)
            self.gradients[inbound] = grad
        return grad

    def gradient_slot(self, consumer):
        """Where ``consumer`` should write dLoss/d(self.value). Weights override this."""
        return np.empty(np.shape(self.value))

    def upstream_gradient(self):
        """dLoss/d(self.value): what the outbound nodes sent back, summed over paths."""
        outs = self.outbound_nodes
        first = outs[0].gradients[self]
        if len(outs) == 1:
            return first
        total = self.buffer("upstream", first.shape)
        np.copyto(total, first)
        for node in outs[1:]:
            np.add(total, node.gradients[self], out=total)
        return total

    @property
    def shape(self):
        return None if self.value is None else tuple(np.shape(self.value))

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r}, shape={self.shape})"


class InputNode(BaseNode):
    """Data or labels. Holds the whole array and serves a mini-batch by row indexes.

    forward: Y = data[batch_indexes] (or a value set directly for prediction).
    It has no parameters and nothing upstream, so backward computes nothing.
    """

    requires_grad = False

    def __init__(self, data=None, name=None):
        super().__init__((), name)
        self.data = None
        if data is not None:
            self.set_data(data)

    def set_data(self, data):
        self.data = np.ascontiguousarray(data, dtype=float)
        self.value = self.data
        self._batch = None  # the buffer feed copies a batch into, made for the data's width

    def feed(self, indexes):
        """Serve the rows ``indexes`` as this node's value (copied into a reused buffer)."""
        out = self._batch
        if out is None or len(out) != len(indexes):
            out = self._batch = np.empty((len(indexes),) + self.data.shape[1:])
        self.value = self.data.take(indexes, axis=0, out=out, mode="wrap")

    def forward(self):
        pass  # the value was fed

    def backward(self):
        pass


class WeightNode(BaseNode):
    """A trainable parameter (weights or biases), updated by the optimizer.

    backward: grad = Σ over outbound nodes of what each sent back. With one
    consumer there is nothing to sum: the consumer wrote into ``grad`` itself.
    ``value`` and ``grad`` are updated in place, never rebound, so they can be
    views into one flat parameter vector (see ``ParameterSet``).
    """

    def __init__(self, value, name=None, decay=True):
        super().__init__((), name)
        self.value = np.array(value, dtype=float)
        self.grad = np.zeros_like(self.value)
        #: whether L2 weight decay applies (weights yes, biases no)
        self.decay = decay

    def gradient_slot(self, consumer):
        if len(self.outbound_nodes) == 1:
            return self.grad
        return np.empty(self.value.shape)

    def forward(self):
        pass  # its value is the parameter itself

    def backward(self):
        if len(self.outbound_nodes) > 1:
            np.copyto(self.grad, self.upstream_gradient())
        self.gradients[self] = self.grad


class LinearNode(BaseNode):
    """Y = X W + b, for a batch X (m×n), weights W (n×k) and bias b (k,).

    dL/dX = G Wᵀ,  dL/dW = Xᵀ G,  dL/db = Σ_rows G,  where G = dL/dY.
    """

    def __init__(self, x, w, b, name=None):
        super().__init__((x, w, b), name)
        self.x, self.w, self.b = x, w, b
        self._out = None  # the value's buffer, made by _allocate for a batch's rows
        self._grad_rows = None  # the rows the gradient arrays were made for

    def _allocate(self, rows):
        """The value's buffer for ``rows`` rows, and the product function for this batch
        size (np.dot in CPython: see products.py)."""
        n_inputs, units = self.w.value.shape
        self._matmul = matmul_for(rows, n_inputs, units)
        self._out = np.empty((rows, units))

    def _allocate_gradients(self, rows):
        """The arrays dL/dX, dL/dW, dL/db are written into. Made by backward, so a forward
        pass alone (an evaluation, a prediction) allocates no gradients."""
        self._grad_rows = rows
        self._grad_w = self.gradients[self.w] = self.w.gradient_slot(self)
        self._grad_b = self.gradients[self.b] = self.b.gradient_slot(self)
        self._grad_x = None
        if self.x.requires_grad:
            self._grad_x = self.gradients[self.x] = self.x.gradient_slot(self)

    def forward(self):
        x = self.x.value
        out = self._out
        if out is None or len(out) != len(x):
            self._allocate(len(x))
            out = self._out
        self._matmul(x, self.w.value, out)
        np.add(out, self.b.value, out=out)
        self.value = out

    def backward(self):
        if self._grad_rows != len(self._out):
            self._allocate_gradients(len(self._out))
        g, matmul = self.upstream_gradient(), self._matmul
        matmul(self.x.value.T, g, self._grad_w)
        np.add.reduce(g, axis=0, out=self._grad_b)
        if self._grad_x is not None:
            matmul(g, self.w.value.T, self._grad_x)


class ActivationNode(BaseNode):
    """An elementwise function of one input node."""

    #: the dtype of ``_local``, the buffer backward keeps dY/dX in
    local_dtype = float

    def __init__(self, x, name=None):
        super().__init__((x,), name)
        self.x = x
        self._out = None
        self._local = None

    def output_buffer(self):
        """The value's buffer, made anew when a batch of another shape comes."""
        out = self._out
        if out is None or out.shape != self.x.value.shape:
            out = self._out = np.empty(self.x.value.shape)
        return out

    def backward_buffers(self):
        """(the buffer for dY/dX, the one dL/dX is written into), for the batch forward ran on.
        Made by backward, so a forward pass alone allocates no gradients."""
        if self._local is None or self._local.shape != self._out.shape:
            self._local = np.empty(self._out.shape, dtype=self.local_dtype)
            self._grad_x = self.gradients[self.x] = self.x.gradient_slot(self)
        return self._local, self._grad_x


class SigmoidNode(ActivationNode):
    """Y = 1 / (1 + e^(−X)),  dY/dX = Y (1 − Y)."""

    def forward(self):
        # the same function as 0.5 · (1 + tanh(X/2)), which never overflows
        y = self.output_buffer()
        np.multiply(self.x.value, HALF, out=y)
        np.tanh(y, out=y)
        np.multiply(y, HALF, out=y)
        np.add(y, HALF, out=y)
        self.value = y

    def backward(self):
        y, (local, grad_x) = self.value, self.backward_buffers()
        np.multiply(y, y, out=local)
        np.subtract(y, local, out=local)  # y − y² = y (1 − y)
        np.multiply(self.upstream_gradient(), local, out=grad_x)


class TanhNode(ActivationNode):
    """Y = tanh(X),  dY/dX = 1 − Y²."""

    def forward(self):
        self.value = np.tanh(self.x.value, out=self.output_buffer())

    def backward(self):
        y, (local, grad_x) = self.value, self.backward_buffers()
        np.multiply(y, y, out=local)
        np.subtract(ONE, local, out=local)
        np.multiply(self.upstream_gradient(), local, out=grad_x)


class ReluNode(ActivationNode):
    """Y = max(X, 0),  dY/dX = 1 where X > 0, else 0."""

    local_dtype = bool  # dY/dX is X > 0

    def forward(self):
        self.value = np.maximum(self.x.value, ZERO, out=self.output_buffer())

    def backward(self):
        positive, grad_x = self.backward_buffers()
        np.greater(self.value, ZERO, out=positive)
        np.multiply(self.upstream_gradient(), positive, out=grad_x)


class IdentityNode(ActivationNode):
    """Y = X,  dY/dX = 1. Passes value and gradient through without copying."""

    def forward(self):
        self.value = self.x.value

    def backward(self):
        self.gradients[self.x] = self.upstream_gradient()


class LossNode(BaseNode):
    """A scalar loss of labels ``y`` and predictions ``y_hat``: the root of backward."""

    def __init__(self, y, y_hat, name=None):
        super().__init__((y, y_hat), name)
        self.y, self.y_hat = y, y_hat


class MseNode(LossNode):
    """Mean squared error: L = mean((y − ŷ)²) over the N elements of the batch.

    dL/dŷ = 2 (ŷ − y) / N.  (dL/dy = −dL/dŷ; labels need no gradient.)
    """

    diff = None  # ŷ − y, in a buffer made for the batch's shape
    _grad = None  # dL/dŷ, made by backward for that shape

    def _allocate(self, shape):
        self.diff = np.empty(shape)
        self._flat = self.diff.reshape(-1)
        self._two_over_n = np.array(2.0 / self.diff.size)  # a 0-d array: see ZERO above

    def forward(self):
        y_hat = self.y_hat.value
        if self.diff is None or self.diff.shape != y_hat.shape:
            self._allocate(y_hat.shape)
        np.subtract(y_hat, self.y.value, out=self.diff)
        flat = self._flat
        self.value = float(np.dot(flat, flat)) / flat.size

    def backward(self):
        if self._grad is None or self._grad.shape != self.diff.shape:
            self._grad = self.gradients[self.y_hat] = self.y_hat.gradient_slot(self)
        np.multiply(self.diff, self._two_over_n, out=self._grad)


class BinaryCrossEntropyNode(LossNode):
    """L = −mean(y log p + (1 − y) log(1 − p)) for probabilities p (a sigmoid output).

    dL/dp = (p − y) / (p (1 − p)) / N. p is clipped to [ε, 1 − ε] so that a
    saturated sigmoid gives a large but finite loss and gradient.
    """

    eps = 1e-12
    takes_probabilities = True  # ŷ lies in (0, 1): gradient checks step inside it

    def forward(self):
        p = self.p = np.clip(self.y_hat.value, self.eps, 1.0 - self.eps, out=self.buffer("p", self.y_hat.value.shape))
        y = self.y.value
        self.value = -float(np.mean(y * np.log(p) + (1.0 - y) * np.log1p(-p)))

    def backward(self):
        p, n = self.p, self.p.size
        np.divide(p - self.y.value, p * (1.0 - p) * n, out=self.gradient_buffer(self.y_hat))


def softmax(z):
    """Row-wise softmax, shifted by the row maximum so e^z never overflows."""
    shifted = z - z.max(axis=1, keepdims=True)
    np.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=1, keepdims=True)
    return shifted


class SoftmaxCrossEntropyNode(LossNode):
    """Softmax and cross-entropy fused, on logits z and one-hot labels Y (N rows).

    p = softmax(z),  L = −(1/N) Σ Y log p = (1/N) Σ_rows (logsumexp(z) − Σ Y z).
    dL/dz = (p − Y) / N: fusing the two avoids dividing by a tiny p.
    """

    def forward(self):
        z, y = self.y_hat.value, self.y.value
        shift = z.max(axis=1, keepdims=True)
        p = self.p = np.subtract(z, shift, out=self.buffer("p", z.shape))
        np.exp(p, out=p)
        total = p.sum(axis=1, keepdims=True)
        p /= total
        log_sum_exp = np.log(total) + shift
        self.value = float(log_sum_exp.sum() - np.vdot(y, z)) / z.shape[0]

    def backward(self):
        grad = self.gradient_buffer(self.y_hat)
        np.subtract(self.p, self.y.value, out=grad)
        grad /= self.p.shape[0]


ACTIVATIONS = {"sigmoid": SigmoidNode, "tanh": TanhNode, "relu": ReluNode, "identity": IdentityNode}
