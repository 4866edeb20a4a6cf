"""Each node's forward against its formula, and its backward against central differences."""

import numpy as np
import pytest

from fcnn.engine.graph import backward_pass, forward_pass, topological_sort
from fcnn.engine.nodes import InputNode, LinearNode, MseNode, SigmoidNode, WeightNode


def loss_of(nodes, loss):
    forward_pass(nodes)
    return loss.value


def numerical_gradient(nodes, loss, array, eps=1e-6):
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + eps
        up = loss_of(nodes, loss)
        array[index] = saved - eps
        down = loss_of(nodes, loss)
        array[index] = saved
        grad[index] = (up - down) / (2 * eps)
    return grad


def assert_close(analytic, numeric):
    scale = max(np.abs(numeric).max(), 1e-8)
    assert np.abs(analytic - numeric).max() / scale < 1e-6


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def small_graph(rng, m=5, n=3, k=4):
    x = InputNode(rng.normal(size=(m, n)), name="X")
    x.value = x.data
    w1 = WeightNode(rng.normal(size=(n, k)), name="W1")
    b1 = WeightNode(rng.normal(size=k), name="b1")
    lin1 = LinearNode(x, w1, b1, name="lin1")
    sig = SigmoidNode(lin1, name="sig")
    w2 = WeightNode(rng.normal(size=(k, 1)), name="W2")
    b2 = WeightNode(rng.normal(size=1), name="b2")
    out = LinearNode(sig, w2, b2, name="out")
    y = InputNode(rng.normal(size=(m, 1)), name="y")
    y.value = y.data
    loss = MseNode(y, out, name="mse")
    return topological_sort([x]), loss, [w1, b1, w2, b2]


def test_linear_forward_is_xw_plus_b(rng):
    x = InputNode(name="X")
    x.value = rng.normal(size=(4, 3))
    w = WeightNode(rng.normal(size=(3, 2)))
    b = WeightNode(rng.normal(size=2))
    node = LinearNode(x, w, b)
    node.forward()
    np.testing.assert_allclose(node.value, x.value @ w.value + b.value)


def test_sigmoid_forward_and_extremes():
    x = InputNode(name="X")
    x.value = np.array([[-1000.0, -1.0, 0.0, 1.0, 1000.0]])
    node = SigmoidNode(x)
    node.forward()
    expected = [0.0, 1 / (1 + np.e), 0.5, 1 / (1 + np.exp(-1)), 1.0]
    np.testing.assert_allclose(node.value[0], expected, atol=1e-15)
    assert np.all(np.isfinite(node.value))


def test_mse_forward_is_mean_squared_error():
    y = InputNode(name="y")
    y.value = np.array([[1.0], [2.0], [4.0]])
    y_hat = InputNode(name="p")
    y_hat.value = np.array([[1.5], [2.0], [1.0]])
    node = MseNode(y, y_hat)
    node.forward()
    assert node.value == pytest.approx((0.25 + 0 + 9) / 3)


def test_every_weight_gradient_matches_central_differences(rng):
    nodes, loss, weights = small_graph(rng)
    forward_pass(nodes)
    backward_pass(nodes)
    for w in weights:
        analytic = w.gradients[w].copy()
        numeric = numerical_gradient(nodes, loss, w.value)
        assert analytic.shape == w.value.shape
        assert_close(analytic, numeric)


def test_sigmoid_backward_is_y_times_one_minus_y(rng):
    nodes, loss, _ = small_graph(rng)
    forward_pass(nodes)
    backward_pass(nodes)
    sig = next(n for n in nodes if n.name == "sig")
    lin = sig.inbound_nodes[0]
    upstream = sig.upstream_gradient()
    np.testing.assert_allclose(sig.gradients[lin], upstream * sig.value * (1 - sig.value))


def test_gradient_with_respect_to_hidden_activations(rng):
    """dL/dX of a linear node whose input is trainable, checked numerically."""
    nodes, loss, _ = small_graph(rng)
    forward_pass(nodes)
    backward_pass(nodes)
    out = next(n for n in nodes if n.name == "out")
    sig = next(n for n in nodes if n.name == "sig")
    analytic = out.gradients[sig]
    # perturb the sigmoid output directly: only the nodes after it rerun
    after = nodes[nodes.index(sig) + 1 :]
    numeric = np.zeros_like(sig.value)
    for index in np.ndindex(sig.value.shape):
        saved = sig.value[index]
        sig.value[index] = saved + 1e-6
        up = loss_of(after, loss)
        sig.value[index] = saved - 1e-6
        down = loss_of(after, loss)
        sig.value[index] = saved
        numeric[index] = (up - down) / 2e-6
    assert_close(analytic, numeric)


def test_mse_gradient_is_two_diff_over_n(rng):
    y = InputNode(name="y")
    y.value = rng.normal(size=(6, 1))
    p = WeightNode(rng.normal(size=(6, 1)), name="p")
    loss = MseNode(y, p)
    loss.forward()
    loss.backward()
    np.testing.assert_allclose(loss.gradients[p], 2 * (p.value - y.value) / 6)
    assert y not in loss.gradients  # labels need no gradient


def test_input_node_serves_rows_by_index():
    x = InputNode(np.arange(12.0).reshape(6, 2), name="X")
    x.feed(np.array([4, 1]))
    np.testing.assert_array_equal(x.value, [[8, 9], [2, 3]])


def test_weight_gradient_sums_over_outbound_nodes(rng):
    """A weight used twice gets the sum of both paths' gradients."""
    x = InputNode(name="X")
    x.value = rng.normal(size=(3, 2))
    w = WeightNode(rng.normal(size=(2, 1)), name="W")
    b = WeightNode(np.zeros(1), name="b")
    a = LinearNode(x, w, b, name="a")
    c = LinearNode(x, w, b, name="c")
    y = InputNode(name="y")
    y.value = np.zeros((3, 1))
    first = MseNode(y, a)
    second = MseNode(y, c)
    nodes = topological_sort([x])
    forward_pass(nodes)
    # two loss nodes: seed each one's upstream gradient by running them both
    backward_pass(nodes)
    np.testing.assert_allclose(w.gradients[w], a.gradients[w] + c.gradients[w])
    assert first.value == pytest.approx(second.value)
