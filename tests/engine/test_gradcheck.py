"""The public gradient check, on every node kind and loss, and on random stacks of layers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fcnn.engine.gradcheck import check_all_node_kinds, check_node, demo_batch, gradient_check
from fcnn.engine.network import Network
from fcnn.engine.nodes import InputNode, LinearNode, MseNode, WeightNode

TOLERANCE = 1e-5
ALL_KINDS = {"WeightNode", "LinearNode", "SigmoidNode", "TanhNode", "ReluNode", "IdentityNode",
             "MseNode", "BinaryCrossEntropyNode", "SoftmaxCrossEntropyNode"}


def test_every_node_kind_and_every_loss_is_checked_and_passes():
    reports = check_all_node_kinds()
    kinds = {c.kind for checks in reports.values() for c in checks}
    assert kinds == ALL_KINDS
    for checks in reports.values():
        for c in checks:
            assert c.entries_checked > 0
            assert c.max_relative_error < TOLERANCE, (c.node, c.max_relative_error)


def test_a_wrong_backward_is_caught():
    class BrokenLinear(LinearNode):
        def backward(self):
            super().backward()
            self.gradients[self.w] *= 1.01  # a 1 % error in dL/dW

    x = InputNode(np.random.default_rng(0).normal(size=(4, 3)), name="X")
    w = WeightNode(np.random.default_rng(1).normal(size=(3, 2)), name="W")
    b = WeightNode(np.zeros(2), name="b")
    node = BrokenLinear(x, w, b, name="broken")
    check = check_node(node, np.random.default_rng(2))
    assert check.max_relative_error > 1e-3


def test_mse_loss_check_reports_per_node():
    y = InputNode(np.ones((3, 1)), name="y")
    p = WeightNode(np.array([[0.5], [2.0], [1.5]]), name="p")
    check = check_node(MseNode(y, p, name="mse"), np.random.default_rng(0))
    assert check.node == "mse" and check.kind == "MseNode" and check.max_relative_error < TOLERANCE


@settings(max_examples=25, deadline=None)
@given(
    n_inputs=st.integers(1, 5),
    layers=st.lists(st.integers(1, 6), min_size=0, max_size=3),
    activation=st.sampled_from(["sigmoid", "tanh", "relu", "identity"]),
    task=st.sampled_from(["regression", "binary", "multiclass"]),
    n_classes=st.integers(2, 4),
    rows=st.integers(1, 7),
    seed=st.integers(0, 10_000),
)
def test_gradient_check_holds_for_random_shapes_and_stacks(n_inputs, layers, activation, task, n_classes, rows, seed):
    net = Network(n_inputs, layers, activation, task, n_classes, np.random.default_rng(seed))
    x, y = demo_batch(net, rows=rows, seed=seed)
    # Random nets include badly conditioned ones (saturated sigmoids, p near 0 in
    # the cross-entropy) where central differences are only good to ~1e-4;
    # a wrong backward is off by 1e-2 or far more (see test_a_wrong_backward_is_caught).
    for check in gradient_check(net, x, y, seed=seed, jitter_biases=True):
        assert check.max_relative_error < 1e-3, (check.node, check.max_relative_error)


@pytest.mark.parametrize("task", ["binary", "multiclass"])
def test_saturated_outputs_keep_finite_losses(task):
    net = Network(2, [3], "relu", task, 3, np.random.default_rng(0))
    x = np.array([[1e4, -1e4], [-1e4, 1e4]])
    y = np.array([[1.0], [0.0]]) if task == "binary" else np.eye(3)[[0, 2]]
    assert np.isfinite(net.evaluate_loss(x, y))
