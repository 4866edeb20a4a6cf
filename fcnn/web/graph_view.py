"""The Graph view's data: the engine's own node graph, as its node objects hold it.

``graph_view(network)`` reads a Network's nodes (topological order, as the
engine runs them forward), each node's inbound edges and each kind's class
docstring (its forward and backward formulas). Nothing here knows what a
layer computes: names, kinds, edges and shapes all come from the node objects.

``GraphPlanner`` answers which network the page's settings describe: the
current run's, when it was built from the loaded table with the same layers,
activation, task and data settings; otherwise a network the engine's own
``Network`` constructor builds for the loaded table. The table's input width
and class count come from preparing it as training would; that is the costly
part, so it is kept per data-settings key and changing only the layers or the
activation never prepares the table again.
"""

from __future__ import annotations

import json

import weakref
from dataclasses import replace

import numpy as np

from ..engine.network import Network
from ..engine.nodes import InputNode, LossNode, WeightNode
from ..errors import FcnnError
from ..tables import prepare
from .answers import settings_from_json
from .trace_view import kind_docs
from .views import _shape, node_entries

NO_DATA = ("no data is loaded yet, so there is no network to draw; load data first: "
           "choose a CSV file or a sample data set")


def value_shapes(network):
    """{node name: its value's shape}, the rows of a batch-shaped value named "batch".

    A network built but never run has no values yet; its shapes are then read
    from a twin built from the same spec after a one-row forward pass, so the
    node objects of a run are never run here."""
    spec = network.spec()
    key = json.dumps(spec, sort_keys=True)
    if any(node.value is None for node in network.nodes):
        if key in _SHAPES_OF_SPEC:  # a twin of 10 layers × 512 takes 0.3 s to build in the browser
            return _SHAPES_OF_SPEC[key]
        network = Network(spec["n_inputs"], spec["hidden_layers"], spec["activation"], spec["task"],
                          spec["n_outputs"], np.random.default_rng(0))
        run_one_row(network)
    shapes = _SHAPES_OF_SPEC[key] = {node.name: _shape(node) for node in network.nodes}
    if len(_SHAPES_OF_SPEC) > 16:  # a few recent networks are enough
        del _SHAPES_OF_SPEC[next(iter(_SHAPES_OF_SPEC))]
    return shapes


#: {a network's spec as JSON: its nodes' shapes}, from the networks drawn lately (the settings'
#: network drawn while the user edits has the shapes its run will have)
_SHAPES_OF_SPEC = {}


def run_one_row(network):
    """A forward pass of one row of zeros through every node (the engine's own evaluate_loss):
    each node then holds a value of the shape it computes."""
    network.evaluate_loss(np.zeros((1, network.n_inputs)), np.zeros((1, network.n_outputs)))


def graph_view(network):
    """{"nodes", "edges", "docs"} of ``network``'s node graph.

    nodes: in topological order, each {name, kind, category, shape, inbound}; category:
    "input" (data or labels), "weight", "loss" or "operation"; a weight node
    also its ``layer`` (1-based, the output layer last), ``role`` ("weights" or
    "biases") and ``feeds`` (the node it feeds). edges: [inbound name, node name]
    for every inbound edge of every node, in the node's inbound order. docs:
    {kind: class docstring}."""
    shapes = value_shapes(network)
    entries = node_entries(network)
    for node, entry in zip(network.nodes, entries):
        entry["shape"] = shapes[node.name]
        entry["category"] = _category(node)
        entry["inbound"] = [inbound.name for inbound in node.inbound_nodes]
        if isinstance(node, WeightNode) and node.outbound_nodes:
            entry["feeds"] = node.outbound_nodes[0].name
    edges = [[inbound.name, node.name] for node in network.nodes for inbound in node.inbound_nodes]
    return {"nodes": entries, "edges": edges, "docs": kind_docs(network)}


def _category(node):
    for kind, category in ((InputNode, "input"), (WeightNode, "weight"), (LossNode, "loss")):
        if isinstance(node, kind):
            return category
    return "operation"


def data_key(config):
    """The settings that decide the prepared table's widths: target, features, task,
    scaling, missing values, test share and the split's seed."""
    features = None if config.features is None else tuple(config.features)
    split_seed = config.seed if config.split_seed is None else config.split_seed
    return (config.target, features, config.task, config.scaling, config.missing, config.test_fraction, split_seed)


class GraphPlanner:
    """Which network the page's settings describe, for the Graph view; see the module docstring."""

    def __init__(self):
        self._table = None  # weak reference to the table the widths below were prepared from
        self._widths = {}  # data key -> (input width, output count, task)
        self._run_tables = weakref.WeakKeyDictionary()  # run -> weak reference to the table it trains on
        self.preparations = 0  # how often a table was prepared (the tests read it)

    def note_run(self, experiment, table):
        """Remember which table a run was built from (Session.start calls this)."""
        self._run_tables[experiment] = weakref.ref(table)

    def view(self, table, columns, experiment, config_json):
        """graph_view of the network the settings describe, plus ``source``: "run" (the current
        run's own nodes) or "settings" (a network built for these settings, not trained)."""
        if table is None:
            raise FcnnError(NO_DATA)
        config = settings_from_json(config_json).validated()
        if experiment is not None and self._is_run_of(experiment, table, config):
            network, source = experiment.network, "run"
        else:
            network, source = self._planned_network(table, columns, config), "settings"
        answer = graph_view(network)
        answer.update(source=source, task=network.task)
        return answer

    def _is_run_of(self, experiment, table, config):
        ran_on = self._run_tables.get(experiment)
        run = experiment.config
        # the task as chosen, or as the run resolved it ("auto" trained as binary is asked for as binary)
        same_task = config.task in (run.task, experiment.task)
        return (ran_on is not None and ran_on() is table and same_task
                and data_key(replace(run, task=config.task)) == data_key(config)
                and list(run.hidden_layers) == list(config.hidden_layers) and run.activation == config.activation)

    def _planned_network(self, table, columns, config):
        n_inputs, n_outputs, task = self._widths_for(table, columns, config)
        network = Network(n_inputs, config.hidden_layers, config.activation, task, n_outputs,
                          np.random.default_rng(config.seed))
        run_one_row(network)  # a network of our own: its nodes may run
        return network

    def _widths_for(self, table, columns, config):
        if self._table is None or self._table() is not table:
            self._table, self._widths = weakref.ref(table), {}
        key = data_key(config)
        if key not in self._widths:
            data = prepare(
                table, config.target, features=config.features, task=None if config.task == "auto" else config.task,
                scaling=config.scaling, missing=config.missing, test_fraction=config.test_fraction,
                seed=key[-1], columns_info=columns,
            )
            self.preparations += 1
            self._widths[key] = (data.x_train.shape[1], max(len(data.classes or []), 1), data.task)
        return self._widths[key]
