"""One mini-batch traced node by node: forward, backward and one optimizer step.

``trace_batch`` runs the network's own node objects, in the same compiled
forward and backward lists that ``Network.train_batch`` runs, then takes one
step of the run's own optimizer. Nothing here computes a value, a gradient or
a step a second way: it copies what the nodes and the optimizer produced
(their buffers are reused by the next batch, so every record is a copy). The
one sum it makes, a node's gradient over its outbound paths, is for showing:
it adds what each outbound node sent in the order ``upstream_gradient`` does.

The caller chooses the batch. For a run's next mini-batch, pass the rows the
Trainer would take next (``network.inputs.data[indexes]``, likewise labels).

Afterwards the network and the optimizer are exactly as a training step would
leave them, so a run can resume from the traced step; with ``take_step=False``
the step is computed and shown, then undone: weights and optimizer state are
exactly as before (the page's trace looks first and takes the step at Update).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import ConfigError, DataError
from .graph import compile_passes


def _copy(value):
    """A copy that the next batch cannot overwrite: a float for a scalar, else an array."""
    if np.ndim(value) == 0:
        return float(value)
    return np.array(value, dtype=float, copy=True)


def _listed(value):
    """JSON-ready: nested lists for an array, a float for a scalar."""
    return value.tolist() if isinstance(value, np.ndarray) else value


@dataclass
class NodeTrace:
    """One node of the traced batch.

    value: the node's value after the forward pass.
    gradients: {inbound name: dLoss/d(that inbound's value)}, as this node sent
        it back (inputs and labels get none: nothing needs their gradient).
    received: {outbound name: dLoss/d(this node's value)}, as each outbound node
        sent it back; ``gradient`` is their sum (the chain rule's sum over
        paths), 1.0 for the loss itself and None for a node nothing sends to.
    Arrays may be shared between records (what one node sent, another
    received): read them, do not write into them.
    """

    name: str
    kind: str
    inbound: list
    value: object
    gradients: dict = field(default_factory=dict)
    received: dict = field(default_factory=dict)
    gradient: object = None

    @property
    def shape(self):
        return list(np.shape(self.value))

    def to_dict(self, array_form=None):
        """A JSON-ready dict; ``array_form(array)`` writes each array (default: nested lists;
        the page's trace passes a summary instead)."""
        form = array_form or _listed
        return {
            "name": self.name,
            "kind": self.kind,
            "inbound": list(self.inbound),
            "shape": self.shape,
            "value": form(self.value),
            "gradients": {k: form(v) for k, v in self.gradients.items()},
            "received": {k: form(v) for k, v in self.received.items()},
            "gradient": form(self.gradient),
        }


@dataclass
class BatchTrace:
    """The trace of one mini-batch; ``to_dict()`` is JSON-ready.

    nodes: NodeTrace in topological order. loss: the batch's loss before the
    step; loss_after: the same batch's loss with the updated weights.
    weights_before, weights_after, steps: {weight name: array}; a step is
    weights_after − weights_before, the change the optimizer made.
    stepped: False when the loss was not finite, so (as in training) no step was taken.
    """

    nodes: list
    loss: float
    loss_after: float
    weights_before: dict
    weights_after: dict
    steps: dict
    optimizer: str
    learning_rate: float
    stepped: bool = True
    # with take_step=False: (the flat weights, the optimizer's state) as the undone step left them,
    # so that Trainer.take_peeked_step can take it without computing the batch again
    after_step: object = field(default=None, repr=False, compare=False)

    def node(self, name):
        for traced in self.nodes:
            if traced.name == name:
                return traced
        raise KeyError(name)

    def to_dict(self):
        return {
            "nodes": [n.to_dict() for n in self.nodes],
            "loss": self.loss,
            "loss_after": self.loss_after,
            "optimizer": self.optimizer,
            "learning_rate": self.learning_rate,
            "stepped": self.stepped,
            "weights_before": {k: _listed(v) for k, v in self.weights_before.items()},
            "weights_after": {k: _listed(v) for k, v in self.weights_after.items()},
            "steps": {k: _listed(v) for k, v in self.steps.items()},
        }


def _checked_batch(network, x_batch, y_batch):
    """The batch as float arrays of the shapes the network's input and label nodes take."""
    x = np.ascontiguousarray(x_batch, dtype=float)
    y = np.ascontiguousarray(y_batch, dtype=float)
    label_width = network.n_outputs
    if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] != network.n_inputs:
        raise DataError(f"the batch's inputs have shape {x.shape}; the network takes rows of {network.n_inputs} "
                        "inputs, so give an array of shape (rows, inputs) with at least one row")
    if y.shape != (x.shape[0], label_width):
        raise DataError(f"the batch's labels have shape {y.shape}; give one row of {label_width} per input row, "
                        f"shape {(x.shape[0], label_width)}")
    return x, y


def _sent_gradients(network):
    """{(node, inbound): a copy of dLoss/d(inbound's value) as ``node`` sent it back}."""
    return {
        (node, inbound): _copy(node.gradients[inbound])
        for node in network.nodes for inbound in node.inbound_nodes if inbound in node.gradients
    }


def _sum_over_paths(gradients):
    """The chain rule's sum of what the outbound nodes sent back, added in their order
    as ``BaseNode.upstream_gradient`` adds them; None when none sent anything."""
    if not gradients:
        return None
    if len(gradients) == 1:
        return gradients[0]
    total = np.array(gradients[0], copy=True)
    for gradient in gradients[1:]:
        total += gradient
    return total


def _node_records(network):
    """A NodeTrace per node, read after the forward and backward passes. What one
    node sent is what another received: both records hold the same copy."""
    sent = _sent_gradients(network)
    records = []
    for node in network.nodes:
        received = {out.name: sent[out, node] for out in node.outbound_nodes if (out, node) in sent}
        records.append(NodeTrace(
            name=node.name, kind=type(node).__name__, inbound=[i.name for i in node.inbound_nodes],
            value=_copy(node.value),
            gradients={i.name: sent[node, i] for i in node.inbound_nodes if (node, i) in sent},
            received=received,
            gradient=1.0 if node is network.loss else _sum_over_paths(list(received.values())),  # dL/dL = 1
        ))
    return records


def trace_batch(network, optimizer, x_batch, y_batch, take_step=True):
    """Run one mini-batch (x_batch, y_batch) forward and backward through
    ``network``'s nodes, take one step of ``optimizer`` and return a BatchTrace.
    With ``take_step=False`` the step is undone afterwards (the trace still holds it).

    x_batch: (rows, n_inputs) scaled features; y_batch: the label node's rows,
    (rows, 1) for regression and binary, one-hot (rows, classes) for
    multi-class. ``optimizer`` must be the one over ``network.parameters``.
    """
    if optimizer.parameters is not network.parameters:
        raise ConfigError("the optimizer updates another network's parameters; give the optimizer made "
                          "for this network (make_optimizer(name, network.parameters, …))")
    x, y = _checked_batch(network, x_batch, y_batch)
    forward, backward = compile_passes(network.nodes)  # the lists train_batch runs
    network.inputs.value, network.labels.value = x, y
    with np.errstate(over="ignore", invalid="ignore"):  # as in training: a diverging batch is told, not warned
        for node in forward:
            node.forward()
        for node in backward:
            node.backward()
    loss = float(network.loss.value)
    nodes = _node_records(network)
    parameters = network.parameters
    before = parameters.snapshot()  # one flat copy; the records below are views of it
    state = None if take_step else optimizer.save_state()
    stepped = math.isfinite(loss)
    if stepped:  # the Trainer takes no step on a batch whose loss is not finite
        optimizer.step()
    after = parameters.snapshot()
    # the same batch again with the new weights; inputs are fed afresh by each training batch
    with np.errstate(over="ignore", invalid="ignore"):
        loss_after = float(network.evaluate_loss(x, y))
    after_step = None
    if state is not None:
        after_step = (after, optimizer.save_state())
        parameters.restore(before)
        optimizer.restore_state(state)
    return BatchTrace(
        nodes=nodes, loss=loss, loss_after=loss_after, weights_before=parameters.named(before),
        weights_after=parameters.named(after), steps=parameters.named(after - before),
        optimizer=type(optimizer).__name__, learning_rate=float(optimizer.learning_rate), stepped=stepped,
        after_step=after_step,
    )
