"""The trace's "Check this gradient": one node's analytic gradient beside central differences.

On the traced mini-batch and the run's current weights, the node's dLoss/d(value)
from the network's own backward pass is set beside (L(v + ε) − L(v − ε)) / 2ε,
found by nudging entries of that node's value and running the nodes that depend on it
(``fcnn.engine.gradcheck``'s central difference and relative error). For the
loss node, whose own gradient is dL/dL = 1, the gradient it sends back to the
prediction is checked. The node's local backward is also checked on its own,
with a random upstream gradient (``gradcheck.check_node``).

The run is left as it was: weights, their gradients and the optimizer's state
are restored or never touched, and the rng that shuffles the batches is not used.
"""

from __future__ import annotations

import numpy as np

from ..engine.gradcheck import central_difference, sample_entries, check_node, relative_error
from ..engine.graph import backward_pass, forward_pass
from ..engine.nodes import InputNode, LinearNode, LossNode, WeightNode
from ..errors import FcnnError

# Entries nudged per check: each costs two forward passes of the nodes after the one checked.
# numpy in the browser multiplies matrices without an optimised BLAS (some 10⁸ multiply-adds a
# second), so a big network checks fewer entries: as many as ENTRY_BUDGET multiply-adds allow.
MAX_ENTRIES, MIN_ENTRIES = 12, 3
ENTRY_BUDGET = 2e8
EPS = 1e-6


def batch_of_rows(network, rows):
    """(x, y): the training rows ``rows`` (indexes into the rows trained on, as a trace answers them)."""
    if not isinstance(rows, list) or not rows or not all(isinstance(r, int) and not isinstance(r, bool) for r in rows):
        raise FcnnError("the traced rows could not be read; trace the mini-batch again")
    n_rows = len(network.inputs.data)
    bad = [r for r in rows if not 0 <= r < n_rows]
    if bad:
        raise FcnnError(f"row {bad[0]} is not among the {n_rows} rows trained on; trace the mini-batch again")
    return network.inputs.data[rows], network.labels.data[rows]


def _node_named(network, name):
    node = next((n for n in network.nodes if n.name == name), None)
    if node is None:
        names = ", ".join(n.name for n in network.nodes)
        raise FcnnError(f"the network has no node {name!r}; choose one of: {names}")
    if isinstance(node, InputNode):
        raise FcnnError(f"{name} holds the batch's data: nothing sends a gradient back to it, so there is none to "
                        "check; choose a node after it")
    return node


def _analytic(network, node):
    """(the node whose value is nudged, a copy of dLoss/d(its value)) after a forward and backward pass."""
    if isinstance(node, LossNode):
        return node.y_hat, np.array(node.gradients[node.y_hat], dtype=float, copy=True)
    if isinstance(node, WeightNode):
        return node, np.array(node.grad, copy=True)
    return node, np.array(node.upstream_gradient(), dtype=float, copy=True)


def _downstream(network, node):
    """The nodes whose value depends on ``node``'s, in topological order: what a nudge must rerun."""
    found, stack = set(), list(node.outbound_nodes)
    while stack:
        later = stack.pop()
        if id(later) not in found:
            found.add(id(later))
            stack.extend(later.outbound_nodes)
    return [n for n in network.nodes if id(n) in found]


def _entries_for(network, nudged, rows):
    """How many entries the check can nudge: each runs the linear nodes after ``nudged`` twice."""
    after = _downstream(network, nudged)
    per_pass = sum(rows * node.w.value.size for node in after if isinstance(node, LinearNode))
    return int(min(MAX_ENTRIES, max(MIN_ENTRIES, ENTRY_BUDGET // max(2 * per_pass, 1))))


def _numeric(network, nudged, entries):
    """Central differences of the loss for ``entries`` of ``nudged``'s value, running the nodes after it."""
    after = _downstream(network, nudged)
    loss = network.loss

    def loss_now():
        for later in after:
            later.forward()
        return float(loss.value)

    probability = getattr(loss, "takes_probabilities", False) and nudged is loss.y_hat
    return np.array([central_difference(loss_now, nudged.value, k, EPS, probability) for k in entries])


def _local_check(node, rng):
    """gradcheck's check of the node's own backward (None for a weight, checked end to end above)."""
    if isinstance(node, WeightNode):
        return None
    return check_node(node, rng, eps=EPS, max_entries=MAX_ENTRIES).to_dict()


def check_gradient(network, name, x, y, seed=0):
    """The check of node ``name`` on the batch (x, y) with the network's current weights.

    Answers the node, the value whose gradient was checked (``checked``: the node
    itself, or the prediction for the loss), the entries compared (index,
    analytic, numeric), their largest relative error, and ``local``: the largest
    relative error of the node's own backward (None for a weight node)."""
    node = _node_named(network, name)
    parameters = network.parameters
    saved_values, saved_grads = parameters.snapshot(), parameters.grads.copy()
    rng = np.random.default_rng(seed)
    try:
        network.inputs.value, network.labels.value = np.asarray(x, float), np.asarray(y, float)
        with np.errstate(over="ignore", invalid="ignore"):
            forward_pass(network.nodes)
            backward_pass(network.nodes)
            nudged, analytic = _analytic(network, node)
            entries = sample_entries(analytic, _entries_for(network, nudged, len(x)), rng)
            numeric = _numeric(network, nudged, entries)
            compared = np.array([analytic[k] for k in entries])
            local = _local_check(node, rng)
    finally:
        parameters.restore(saved_values)
        np.copyto(parameters.grads, saved_grads)
    return {
        "node": node.name, "kind": type(node).__name__, "checked": nudged.name,
        "entries": [[int(i) for i in k] for k in entries],
        "analytic": compared.tolist(), "numeric": numeric.tolist(),
        "max_relative_error": relative_error(compared, numeric),
        "entries_checked": len(entries), "local": local, "eps": EPS,
    }
