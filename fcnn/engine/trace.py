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


class BatchTracer:
    """One mini-batch traced a piece at a time, so that a caller can show the first nodes
    while the rest is computed (the page answers each call within a time budget).

    ``advance()`` runs the next piece and answers ``(phase, what it completed)``:
      - ("forward", NodeTrace): a node's forward, nodes in topological order, its value recorded;
      - ("backward", NodeTrace): a node's backward, in reverse order, with what it received
        and what it sent back;
      - ("step", BatchTrace): the optimizer's step (undone when ``take_step`` is False),
        without ``loss_after``;
      - ("loss_after", BatchTrace): the batch's loss with the stepped weights; ``result`` is then set.
    The node calls are those ``Network.train_batch`` makes, in its order (``compile_passes``);
    inputs and weights compute nothing, so their pieces only record. Between pieces the
    network holds this trace's values and gradients, and its own weights: when something
    else ran it meanwhile (a prediction, a gradient check), ``replay()`` puts the nodes back.
    """

    def __init__(self, network, optimizer, x_batch, y_batch, take_step=True):
        if optimizer.parameters is not network.parameters:
            raise ConfigError("the optimizer updates another network's parameters; give the optimizer made "
                              "for this network (make_optimizer(name, network.parameters, …))")
        self.network, self.optimizer, self.take_step = network, optimizer, take_step
        self.x, self.y = _checked_batch(network, x_batch, y_batch)
        self.before = network.parameters.snapshot()  # one flat copy; the weights' records are views of it
        weights = network.parameters.named(self.before)
        self.records = [NodeTrace(name=n.name, kind=type(n).__name__, inbound=[i.name for i in n.inbound_nodes],
                                  value=weights.get(n.name)) for n in network.nodes]
        self._index = {node: k for k, node in enumerate(network.nodes)}
        forward, backward = compile_passes(network.nodes)  # the lists train_batch runs
        self._runs = {"forward": set(forward), "backward": set(backward)}
        nodes = network.nodes
        self._pieces = [("forward", n) for n in nodes] + [("backward", n) for n in reversed(nodes)] + \
            [("step", None), ("loss_after", None)]
        self._done = 0
        self._sent = {}  # (node, inbound) -> a copy of dLoss/d(inbound's value) as node sent it back
        self.trace = None  # the BatchTrace, once the step is computed
        self.result = None  # the same, once loss_after is in too
        network.inputs.value, network.labels.value = self.x, self.y

    @property
    def finished(self):
        return self.result is not None

    @property
    def next_phase(self):
        return None if self.finished else self._pieces[self._done][0]

    def advance(self):
        """Run the next piece (see the class's docstring); answers (phase, NodeTrace or BatchTrace)."""
        phase, node = self._pieces[self._done]
        with np.errstate(over="ignore", invalid="ignore"):  # as in training: a diverging batch is told, not warned
            if phase == "forward":
                done = self._forward(node)
            elif phase == "backward":
                done = self._backward(node)
            elif phase == "step":
                done = self.trace = self._step()
            else:
                done = self.result = self._loss_after()
        self._done += 1
        return phase, done

    def run_to_end(self):
        while not self.finished:
            self.advance()
        return self.result

    def replay(self):
        """Run the node calls made so far again, so the nodes hold this trace's values and
        gradients after something else ran the network. The same calls on the same
        arrays give the same numbers. Nothing to do once the step is computed."""
        if self.trace is not None:
            return
        if not np.array_equal(self.network.parameters.values, self.before):
            raise ConfigError("the weights changed since this mini-batch's trace began; trace the next batch again")
        self.network.inputs.value, self.network.labels.value = self.x, self.y
        with np.errstate(over="ignore", invalid="ignore"):
            for phase, node in self._pieces[: self._done]:
                if node in self._runs[phase]:
                    getattr(node, phase)()

    def _forward(self, node):
        if node in self._runs["forward"]:
            node.forward()
        record = self.records[self._index[node]]
        if record.value is None:  # a weight's value is already recorded, as a view of ``before``
            record.value = _copy(node.value)
        return record

    def _backward(self, node):
        """The node's backward; what its outbound nodes sent it were recorded when they ran."""
        if node in self._runs["backward"]:
            node.backward()
        for inbound in node.inbound_nodes:
            if inbound in node.gradients:
                self._sent[node, inbound] = _copy(node.gradients[inbound])
        record = self.records[self._index[node]]
        record.gradients = {i.name: self._sent[node, i] for i in node.inbound_nodes if (node, i) in self._sent}
        record.received = {o.name: self._sent[o, node] for o in node.outbound_nodes if (o, node) in self._sent}
        is_loss = node is self.network.loss
        record.gradient = 1.0 if is_loss else _sum_over_paths(list(record.received.values()))  # dL/dL = 1
        return record

    def _step(self):
        """The optimizer's step on the gradients the backward pass left (none when the loss is
        not finite, as in training); undone when only looking, its result kept in ``after_step``."""
        loss = self.records[self._index[self.network.loss]].value
        parameters, optimizer, before = self.network.parameters, self.optimizer, self.before
        state = None if self.take_step else optimizer.save_state()
        stepped = math.isfinite(loss)
        if stepped:  # the Trainer takes no step on a batch whose loss is not finite
            optimizer.step()
        after = parameters.snapshot()
        after_step = None
        if state is not None:
            after_step = (after, optimizer.swap_state(state))
            parameters.restore(before)
        return BatchTrace(
            nodes=self.records, loss=loss, loss_after=math.nan, weights_before=parameters.named(before),
            weights_after=parameters.named(after), steps=parameters.named(after - before),
            optimizer=type(optimizer).__name__, learning_rate=float(optimizer.learning_rate), stepped=stepped,
            after_step=after_step,
        )

    def _loss_after(self):
        """The same batch again with the stepped weights (put in for the call and taken out
        again when only looking); the inputs are fed afresh by each training batch."""
        trace, parameters = self.trace, self.network.parameters
        if trace.after_step is not None:
            parameters.restore(trace.after_step[0])
        with np.errstate(over="ignore", invalid="ignore"):
            trace.loss_after = float(self.network.evaluate_loss(self.x, self.y))
        if trace.after_step is not None:
            parameters.restore(self.before)
        return trace


def trace_batch(network, optimizer, x_batch, y_batch, take_step=True):
    """Run one mini-batch (x_batch, y_batch) forward and backward through
    ``network``'s nodes, take one step of ``optimizer`` and return a BatchTrace.
    With ``take_step=False`` the step is undone afterwards (the trace still holds it).

    x_batch: (rows, n_inputs) scaled features; y_batch: the label node's rows,
    (rows, 1) for regression and binary, one-hot (rows, classes) for
    multi-class. ``optimizer`` must be the one over ``network.parameters``.
    ``BatchTracer`` makes the same trace a piece at a time.
    """
    return BatchTracer(network, optimizer, x_batch, y_batch, take_step).run_to_end()
