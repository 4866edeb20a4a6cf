"""Session.check_trace_gradient: the trace's "Check this gradient" (fcnn/web/trace_check.py)."""

import json

import numpy as np
import pytest

from fcnn.engine.nodes import TanhNode
from fcnn.web.session import Session


def call(method, *args):
    return json.loads(method(*args))


def traced(sample="xor", **config):
    """A started run and the answer of its first trace."""
    s = Session()
    assert call(s.load_sample, sample, 1)["ok"]
    target = "y" if sample == "surface" else "label"
    settings = {"target": target, "hidden_layers": [4, 3], "epochs": 3, "seed": 5, "early_stopping": 0,
                "batch_size": 6, **config}
    assert call(s.start, json.dumps(settings))["ok"]
    answer = call(s.trace_next_batch)
    assert answer["ok"]
    return s, answer


def check(s, answer, name):
    return call(s.check_trace_gradient, name, json.dumps(answer["rows"]))


@pytest.mark.parametrize("sample,activation", [("surface", "tanh"), ("xor", "sigmoid"), ("blobs", "relu")])
def test_every_node_s_gradient_agrees_with_central_differences(sample, activation):
    s, answer = traced(sample, activation=activation, optimizer="sgd")
    for node in answer["nodes"]:
        if node["kind"] == "InputNode":
            continue
        found = check(s, answer, node["name"])
        assert found["ok"], found
        assert found["max_relative_error"] < 1e-5, (node["name"], found)
        assert found["entries_checked"] == len(found["analytic"]) == len(found["numeric"]) > 0
        if node["kind"] != "WeightNode":
            assert found["local"]["max_relative_error"] < 1e-5
        # the analytic numbers are the trace's: what it shows for this node (the loss: what it sends back)
        if found["checked"] == node["name"]:  # (the loss's check is of the prediction's gradient)
            shown = np.array(node["gradient"]["values"])  # a vector is shown as one row
            for index, analytic in zip(found["entries"], found["analytic"]):
                at = tuple(index) if len(index) == 2 else (0, *index)
                assert analytic == pytest.approx(shown[at], rel=1e-12, abs=1e-15)


def test_the_check_leaves_the_run_as_it_was():
    s, answer = traced(optimizer="adam")
    network, optimizer = s.experiment.network, s.experiment.trainer.optimizer
    weights, grads = network.parameters.snapshot(), network.parameters.grads.copy()
    moments = optimizer.m.copy(), optimizer.v.copy(), optimizer.t
    for name in ("W1", "linear2", "relu1", "binary_cross_entropy"):
        assert check(s, answer, name)["ok"]
    np.testing.assert_array_equal(network.parameters.values, weights)
    np.testing.assert_array_equal(network.parameters.grads, grads)
    np.testing.assert_array_equal(optimizer.m, moments[0])
    np.testing.assert_array_equal(optimizer.v, moments[1])
    assert optimizer.t == moments[2]
    # the traced step is still the one the run takes next
    assert call(s.trace_next_batch)["rows"] == answer["rows"]
    assert call(s.take_traced_step)["weights_match"]


def test_a_wrong_backward_is_caught(monkeypatch):
    s, answer = traced(sample="surface", activation="tanh")
    right = TanhNode.backward

    def doubled(self):
        right(self)
        self.gradients[self.x] *= 2.0

    monkeypatch.setattr(TanhNode, "backward", doubled)
    found = check(s, answer, "linear1")
    assert found["ok"] and found["max_relative_error"] > 0.3
    assert check(s, answer, "tanh1")["local"]["max_relative_error"] > 0.3


@pytest.mark.parametrize("name,rows,message", [
    ("X", None, "nothing sends a gradient back"),
    ("nowhere", None, "has no node 'nowhere'"),
    ("W1", "[100000]", "is not among the"),
    ("W1", "[]", "could not be read"),
    ("W1", "not json", "could not be read"),
])
def test_a_check_that_cannot_be_made_says_why(name, rows, message):
    s, answer = traced()
    found = call(s.check_trace_gradient, name, rows if rows is not None else json.dumps(answer["rows"]))
    assert not found["ok"] and message in found["error"]


def test_without_a_run_the_check_asks_for_one():
    found = call(Session().check_trace_gradient, "W1", "[0]")
    assert not found["ok"] and "press Train" in found["error"]


def test_a_big_network_checks_fewer_entries_a_small_one_all_it_may():
    s, answer = traced(sample="surface", hidden_layers=[512] * 4, batch_size=32)
    first, last = check(s, answer, "W1"), check(s, answer, "W5")
    assert first["ok"] and first["entries_checked"] == 3 and first["max_relative_error"] < 1e-5
    assert last["ok"] and last["entries_checked"] == 12  # W5: 512×1 entries, only the output layer after it
