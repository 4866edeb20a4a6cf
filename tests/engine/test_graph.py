import numpy as np
import pytest

from fcnn.errors import GraphError
from fcnn.engine.graph import topological_sort
from fcnn.engine.network import Network
from fcnn.engine.nodes import BaseNode, InputNode, LinearNode, MseNode, SigmoidNode, WeightNode


def names(nodes):
    return [n.name for n in nodes]


def assert_inputs_first(order):
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for inbound in node.inbound_nodes:
            assert position[id(inbound)] < position[id(node)], f"{inbound.name} must run before {node.name}"


def test_chain_is_ordered_inputs_first():
    a = BaseNode(name="a")
    b = BaseNode([a], name="b")
    c = BaseNode([b], name="c")
    assert names(topological_sort([c])) == ["a", "b", "c"]


def test_diamond_runs_each_node_once_after_its_inputs():
    a = BaseNode(name="a")
    left = BaseNode([a], name="left")
    right = BaseNode([a], name="right")
    join = BaseNode([left, right], name="join")
    order = topological_sort([a])
    assert sorted(names(order)) == ["a", "join", "left", "right"]
    assert_inputs_first(order)
    assert order[-1] is join


def test_starting_node_does_not_matter():
    x = InputNode(name="X")
    w = WeightNode(np.zeros((2, 1)), name="W")
    b = WeightNode(np.zeros(1), name="b")
    lin = LinearNode(x, w, b, name="lin")
    loss = MseNode(InputNode(name="y"), SigmoidNode(lin, name="s"), name="mse")
    for start in (x, w, loss):
        order = topological_sort([start])
        assert len(order) == 7
        assert_inputs_first(order)
        assert order[-1] is loss


def test_cycle_is_refused_with_the_nodes_named():
    a = BaseNode(name="a")
    b = BaseNode([a], name="b")
    c = BaseNode([b], name="c")
    # close the loop by hand: a now also depends on c
    a.inbound_nodes.append(c)
    c.outbound_nodes.append(a)
    with pytest.raises(GraphError, match="cycle") as info:
        topological_sort([a])
    for name in ("a", "b", "c"):
        assert name in str(info.value)


def test_self_loop_is_refused():
    a = BaseNode(name="lonely")
    a.inbound_nodes.append(a)
    a.outbound_nodes.append(a)
    with pytest.raises(GraphError, match="lonely"):
        topological_sort([a])


def test_network_graph_order_and_prediction_graph_drops_loss_and_labels():
    net = Network(3, [4], "sigmoid", "regression", 1, np.random.default_rng(1))
    assert_inputs_first(net.nodes)
    assert names(net.nodes)[-1] == "mse"
    kept = net.prediction_nodes()
    assert net.loss not in kept and net.labels not in kept
    assert len(kept) == len(net.nodes) - 2
    out = net.predict(np.ones((5, 3)))
    assert out.shape == (5, 1)
