"""Gradient check: every node's backward against central differences.

For a node N with value Y, pick a random upstream gradient G and let
f = Σ G ⊙ Y (for a loss node, f = L). N's backward, given G, must return
∂f/∂I for each inbound node I; central differences estimate the same thing:
∂f/∂I[k] ≈ (f(I[k] + ε) − f(I[k] − ε)) / 2ε. Weight nodes are checked end to
end instead: dL/dW from a full backward pass against differences of the loss.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .graph import backward_pass, forward_pass
from .nodes import InputNode, LossNode, WeightNode


@dataclass
class NodeCheck:
    node: str
    kind: str
    max_relative_error: float
    entries_checked: int

    def to_dict(self):
        return asdict(self)


class _Probe:
    """Stands in for a node's outbound nodes: sends back the upstream gradient G."""

    def __init__(self, node, upstream):
        self.gradients = {node: upstream}


def relative_error(analytic, numeric, floor=1e-7):
    """max over entries of |a − n| / max(|a|, |n|, 10⁻⁴·max|a|, floor).

    An entry far smaller than the node's largest gradient is compared on the
    largest one's scale: central differences carry rounding noise of about
    10⁻¹⁰ of the function's value, which would swamp a 10⁻⁶ entry on its own scale.
    """
    if not analytic.size:
        return 0.0
    floor = max(floor, 1e-4 * float(np.max(np.abs(analytic))))
    scale = np.maximum(np.maximum(np.abs(analytic), np.abs(numeric)), floor)
    return float(np.max(np.abs(analytic - numeric) / scale))


def sample_entries(array, limit, rng):
    """Up to ``limit`` index tuples of ``array``, drawn by ``rng`` when it has more (the page's
    trace check checks a few entries of a big matrix)."""
    indexes = list(np.ndindex(array.shape))
    if len(indexes) > limit:
        picks = rng.choice(len(indexes), size=limit, replace=False)
        indexes = [indexes[i] for i in sorted(picks)]
    return indexes


def central_difference(f, array, index, eps, probability=False):
    """(f() with array[index] + eps − f() with it − eps) / 2eps, the entry put back after."""
    saved = array[index]
    if probability:  # stay well inside (0, 1): log p bends sharply near the ends
        eps = min(eps, 1e-3 * min(saved, 1.0 - saved))
    array[index] = saved + eps
    up = f()
    array[index] = saved - eps
    down = f()
    array[index] = saved
    return (up - down) / (2 * eps)


def check_node(node, rng, eps=1e-6, max_entries=30):
    """Check one node's local backward. Its inputs must hold values (run a forward pass first)."""
    node.forward()
    is_loss = isinstance(node, LossNode)
    upstream = np.ones(()) if is_loss else rng.normal(size=np.shape(node.value))

    def f():
        node.forward()
        return float(node.value) if is_loss else float(np.sum(upstream * node.value))

    saved_outbound = node.outbound_nodes
    node.outbound_nodes = [] if is_loss else [_Probe(node, upstream)]
    try:
        node.forward()
        node.backward()
        analytic = {i: np.array(node.gradients[i], copy=True) for i in node.inbound_nodes if i in node.gradients and i.requires_grad}
    finally:
        node.outbound_nodes = saved_outbound
    worst, count = 0.0, 0
    for inbound, grad in analytic.items():
        value = inbound.value
        entries = sample_entries(value, max_entries, rng)
        probability = getattr(node, "takes_probabilities", False) and inbound is node.inbound_nodes[1]
        numeric = np.array([central_difference(f, value, k, eps, probability) for k in entries])
        worst = max(worst, relative_error(np.array([grad[k] for k in entries]), numeric))
        count += len(entries)
    node.forward()
    return NodeCheck(node.name, type(node).__name__, worst, count)


def check_weights(nodes, loss, rng, eps=1e-6, max_entries=30):
    """End-to-end: dL/dW from backward_pass against differences of the loss, per weight node."""
    forward_pass(nodes)
    backward_pass(nodes)
    grads = {w: w.grad.copy() for w in nodes if isinstance(w, WeightNode)}

    def f():
        forward_pass(nodes)
        return loss.value

    # a weight whose gradient is tiny next to the others' is judged on their scale
    scale = 1e-4 * max(float(np.max(np.abs(g))) for g in grads.values())
    results = []
    for w, grad in grads.items():
        entries = sample_entries(w.value, max_entries, rng)
        numeric = np.array([central_difference(f, w.value, k, eps) for k in entries])
        analytic = np.array([grad[k] for k in entries])
        results.append(NodeCheck(w.name, "WeightNode", relative_error(analytic, numeric, floor=max(scale, 1e-7)), len(entries)))
    forward_pass(nodes)
    return results


def gradient_check(network, x, y, seed=0, eps=1e-6, max_entries=30, jitter_biases=False):
    """Check every node of ``network``'s graph on the batch (x, y).

    Returns one NodeCheck per node that has a backward to check, in
    topological order: the largest relative error found for that node.

    A relu whose input sits exactly at 0 has no derivative there (the
    backward uses 0, differences see ½); fresh networks have zero biases and
    can put units exactly there, so ``jitter_biases`` nudges the biases.
    """
    rng = np.random.default_rng(seed)
    if jitter_biases:
        for w in network.weights:
            if not w.decay:  # biases
                w.value += rng.normal(0.0, 0.1, size=w.value.shape)
    network.inputs.value = np.asarray(x, dtype=float)
    network.labels.value = np.asarray(y, dtype=float)
    forward_pass(network.nodes)
    weight_checks = {c.node: c for c in check_weights(network.nodes, network.loss, rng, eps, max_entries)}
    results = []
    for node in network.nodes:
        if isinstance(node, InputNode):
            continue
        if isinstance(node, WeightNode):
            results.append(weight_checks[node.name])
        else:
            results.append(check_node(node, rng, eps, max_entries))
    return results


def demo_batch(network, rows=6, seed=0):
    """A small random batch fitting ``network``: inputs, and labels of the right kind."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, network.n_inputs))
    if network.task == "regression":
        y = rng.normal(size=(rows, 1))
    elif network.task == "binary":
        y = rng.integers(0, 2, size=(rows, 1)).astype(float)
    else:
        y = np.eye(network.n_outputs)[rng.integers(0, network.n_outputs, size=rows)]
    return x, y


def check_all_node_kinds(seed=0):
    """Small networks covering every activation, every loss and every node kind.

    Returns {network description: [NodeCheck, …]}; used by the tests, the
    CLI (``python -m fcnn gradcheck``) and the app's "check gradients" button.
    """
    from .network import Network

    reports = {}
    setups = [
        ("sigmoid", "regression", 1),
        ("tanh", "binary", 1),
        ("relu", "multiclass", 3),
        ("identity", "regression", 1),
    ]
    for activation, task, n_out in setups:
        net = Network(4, [5, 3], activation, task, n_out, np.random.default_rng(seed))
        x, y = demo_batch(net, seed=seed)
        reports[f"4 → 5 → 3 {activation}, {task}"] = gradient_check(net, x, y, seed=seed, jitter_biases=True)
    return reports
