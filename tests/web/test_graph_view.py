"""The Graph view's data (fcnn.web.graph_view and Session.graph_view): the engine's own node graph."""

import inspect
import json

import numpy as np
import pytest

from fcnn.engine import nodes as engine_nodes
from fcnn.engine.network import Network
from fcnn.web import graph_view as graph_module
from fcnn.web.graph_view import graph_view
from fcnn.web.session import Session

# sample, its target, the task, the loss node's kind, and the node feeding the loss besides y
TASKS = [
    ("surface", "y", "regression", "MseNode", "linear2"),
    ("xor", "label", "binary", "BinaryCrossEntropyNode", "sigmoid_out"),
    ("blobs", "label", "multiclass", "SoftmaxCrossEntropyNode", "linear2"),
]


def call(method, *args):
    return json.loads(method(*args))


def session_with(sample):
    session = Session()
    assert call(session.load_sample, sample, 0)["ok"]
    return session


def settings(target, **more):
    return json.dumps({"target": target, "hidden_layers": [5], "epochs": 2, "seed": 1, **more})


def inbound_edges(network):
    """Every (inbound, node) pair the node objects hold, as a sorted multiset."""
    return sorted((inbound.name, node.name) for node in network.nodes for inbound in node.inbound_nodes)


@pytest.mark.parametrize("sample, target, task, loss_kind, loss_input", TASKS)
def test_every_node_once_and_the_edges_are_the_node_objects_inbound_edges(sample, target, task, loss_kind, loss_input):
    session = session_with(sample)
    assert call(session.start, settings(target))["ok"]
    network = session.experiment.network
    view = graph_view(network)
    names = [n["name"] for n in view["nodes"]]
    assert names == [node.name for node in network.nodes]  # the engine's topological order
    # X, y, W1, b1, W2, b2, linear1, its activation, linear2, the loss, and binary's sigmoid output
    assert len(set(names)) == len(names) == (11 if task == "binary" else 10)
    assert sorted(map(tuple, view["edges"])) == inbound_edges(network)
    position = {name: i for i, name in enumerate(names)}
    assert all(position[a] < position[b] for a, b in view["edges"]), "an edge runs backwards in the order"
    kinds = {n["name"]: n["kind"] for n in view["nodes"]}
    loss = names[-1]
    assert kinds[loss] == loss_kind == type(network.loss).__name__
    assert [n["inbound"] for n in view["nodes"] if n["name"] == loss] == [["y", loss_input]]
    assert [a for a, b in view["edges"] if b == "linear1"] == ["X", "W1", "b1"]


def test_the_binary_graph_has_a_sigmoid_output_node():
    session = session_with("xor")
    view = call(session.graph_view, settings("label", activation="tanh"))
    assert [n["kind"] for n in view["nodes"]].count("SigmoidNode") == 1
    assert [n["name"] for n in view["nodes"]][-2:] == ["sigmoid_out", "binary_cross_entropy"]
    assert "TanhNode" in {n["kind"] for n in view["nodes"]}


def test_shapes_weight_roles_and_docs():
    session = session_with("blobs")
    view = call(session.graph_view, settings("label", hidden_layers=[6, 4]))
    assert view["ok"] and view["source"] == "settings" and view["task"] == "multiclass"
    by_name = {n["name"]: n for n in view["nodes"]}
    classes = by_name["W3"]["shape"][1]
    assert classes >= 3
    assert by_name["X"]["shape"] == ["batch", 2] and by_name["y"]["shape"] == ["batch", classes]
    assert by_name["W1"]["shape"] == [2, 6] and by_name["b2"]["shape"] == [4]
    assert by_name["linear2"]["shape"] == ["batch", 4] and by_name["softmax_cross_entropy"]["shape"] == []
    assert (by_name["W2"]["layer"], by_name["W2"]["role"], by_name["W2"]["feeds"]) == (2, "weights", "linear2")
    assert (by_name["b3"]["layer"], by_name["b3"]["role"], by_name["b3"]["feeds"]) == (3, "biases", "linear3")
    assert "feeds" not in by_name["linear1"] and "layer" not in by_name["X"]
    categories = {name: n["category"] for name, n in by_name.items()}
    assert categories == {"X": "input", "y": "input", "softmax_cross_entropy": "loss",
                          **{f"{p}{i}": "weight" for p in "Wb" for i in (1, 2, 3)},
                          **{f"linear{i}": "operation" for i in (1, 2, 3)}, "relu1": "operation", "relu2": "operation"}
    assert set(view["docs"]) == {n["kind"] for n in view["nodes"]}
    for kind, doc in view["docs"].items():
        assert doc == inspect.getdoc(getattr(engine_nodes, kind)) and doc


def test_a_network_never_run_gets_its_shapes_without_running_its_nodes():
    network = Network(3, [4], "sigmoid", "regression")
    view = graph_view(network)
    assert {n["name"]: n["shape"] for n in view["nodes"]}["linear2"] == ["batch", 1]
    assert network.inputs.value is None and network.nodes[-1].value is None


def test_changing_only_layers_or_activation_does_not_prepare_the_table_again():
    session = session_with("xor")
    for layers, activation in [([5], "relu"), ([8, 8, 8], "relu"), ([2], "tanh"), ([512] * 10, "sigmoid")]:
        view = call(session.graph_view, settings("label", hidden_layers=layers, activation=activation))
        assert view["ok"] and [n["name"] for n in view["nodes"]].count("W1") == 1
        assert sum(n["kind"] == "LinearNode" for n in view["nodes"]) == len(layers) + 1
    assert session.graphs.preparations == 1
    assert call(session.graph_view, settings("label", test_fraction=0.5))["ok"]
    assert session.graphs.preparations == 2  # a data setting: the table is prepared again
    assert call(session.graph_view, settings("label", hidden_layers=[3]))["ok"]
    assert session.graphs.preparations == 2  # the first data settings are still known
    assert call(session.load_sample, "circles", 0)["ok"]
    assert call(session.graph_view, settings("label"))["ok"]
    assert session.graphs.preparations == 3  # a new table: nothing known about it


def test_the_task_setting_changes_the_loss_node():
    session = Session()
    rows = "\n".join(f"{i % 7},{i * 3 % 5},{i % 2}" for i in range(40))  # a 0/1 target: every task can train on it
    assert call(session.load_csv, "a,b,t\n" + rows)["ok"]
    kinds = {}
    for task in ("regression", "binary", "multiclass"):
        view = call(session.graph_view, settings("t", task=task))
        assert view["ok"], view
        kinds[task] = view["nodes"][-1]["kind"]
    assert kinds == {"regression": "MseNode", "binary": "BinaryCrossEntropyNode",
                     "multiclass": "SoftmaxCrossEntropyNode"}


def test_the_runs_own_network_is_used_when_the_settings_match(monkeypatch):
    session = session_with("xor")
    assert call(session.start, settings("label"))["ok"]
    assert call(session.train_for, 5000)["ok"]
    built = []
    monkeypatch.setattr(graph_module, "Network", lambda *a, **k: built.append(a) or Network(*a, **k))
    view = call(session.graph_view, settings("label", learning_rate=0.5, epochs=7))  # training settings only
    assert view["ok"] and view["source"] == "run"
    assert call(session.graph_view, settings("label", task="binary"))["source"] == "run"  # what "auto" chose
    assert built == [] and session.graphs.preparations == 0  # no network built, the table not prepared
    assert [n["name"] for n in view["nodes"]] == [n.name for n in session.experiment.network.nodes]
    for changed in ({"hidden_layers": [6]}, {"activation": "tanh"}, {"task": "multiclass"}, {"seed": 2},
                    {"scaling": "minmax"}, {"test_fraction": 0.4}):
        assert call(session.graph_view, settings("label", **changed))["source"] == "settings", changed


def test_drawing_another_network_leaves_the_run_as_it_was():
    session = session_with("xor")
    assert call(session.start, settings("label"))["ok"]
    run = session.experiment
    before = run.network.get_weights()
    values = {node.name: node.value for node in run.network.nodes}
    view = call(session.graph_view, settings("label", hidden_layers=[9, 9]))
    assert view["ok"] and view["source"] == "settings"
    assert call(session.graph_view, settings("label"))["source"] == "run"
    assert session.experiment is run and run.trainer.epoch == 0
    after = run.network.get_weights()
    assert all(np.array_equal(before[k], after[k]) for k in before)
    assert all(node.value is values[node.name] for node in run.network.nodes)  # no node of the run ran
    # and the run trains on exactly as it would have
    assert call(session.train_for, 5000)["ok"]


def test_a_run_on_another_table_is_not_the_graph_of_the_loaded_one():
    session = session_with("xor")
    assert call(session.start, settings("label"))["ok"]
    assert call(session.load_sample, "circles", 0)["ok"]
    assert call(session.graph_view, settings("label"))["source"] == "settings"


def test_without_data_or_with_bad_settings_a_clear_error():
    session = Session()
    answer = call(session.graph_view, settings("label"))
    assert not answer["ok"] and "load data first" in answer["error"]
    session = session_with("xor")
    answer = call(session.graph_view, "not json")
    assert not answer["ok"] and "settings could not be read" in answer["error"]
    answer = call(session.graph_view, settings("label", hidden_layers=[0]))
    assert not answer["ok"] and "hidden layer 1 units" in answer["error"]
    answer = call(session.graph_view, settings("nope"))
    assert not answer["ok"] and "nope" in answer["error"]
