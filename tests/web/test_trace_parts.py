"""The page's trace in parts (Session.trace_begin, then trace_more until done): the same
numbers as the whole trace, whatever else the page asks for between the parts."""

import json

import numpy as np
import pytest

from fcnn.web.session import Session


def call(method, *args):
    return json.loads(method(*args))


def started(**config):
    s = Session()
    assert call(s.load_sample, "xor", 1)["ok"]
    settings = {"target": "label", "hidden_layers": [6, 5], "epochs": 5, "seed": 3, "early_stopping": 0,
                "batch_size": 8, **config}
    assert call(s.start, json.dumps(settings))["ok"]
    return s


def all_parts(s, budget_ms, between=lambda part: None):
    parts = [call(s.trace_begin, budget_ms)]
    while parts[-1]["ok"] and not parts[-1]["done"]:
        between(parts[-1])
        parts.append(call(s.trace_more, parts[0]["trace"], budget_ms))
    return parts


def joined(parts):
    """The parts put together in the whole trace's form (trace_next_batch's answer)."""
    first = parts[0]
    values = {k: v for p in parts for k, v in p["values"].items()}
    backward = {k: v for p in parts for k, v in p["backward"].items()}
    found = lambda key: [p[key] for p in parts if key in p]  # noqa: E731
    return {
        "nodes": [{**n, "shape": values[n["name"]]["shape"], "value": values[n["name"]], **backward[n["name"]]}
                  for n in first["nodes"]],
        "steps": {k: v for p in parts for k, v in p["steps"].items()},
        "loss": found("loss"), "loss_after": found("loss_after"), "stepped": found("stepped"),
        **{key: first[key] for key in ("docs", "optimizer", "learning_rate", "rows", "table_rows")},
    }


def whole_trace(**config):
    whole = call(started(**config).trace_next_batch)
    whole.pop("ok")
    return {**whole, "loss": [whole["loss"]], "loss_after": [whole["loss_after"]], "stepped": [whole["stepped"]]}


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("budget_ms", [0, 40])
def test_the_parts_hold_the_whole_traces_numbers_each_once(optimizer, budget_ms):
    parts = all_parts(started(optimizer=optimizer), budget_ms)
    assert all(p["ok"] for p in parts) and parts[-1]["done"]
    assert joined(parts) == whole_trace(optimizer=optimizer)
    if budget_ms == 0:  # one thing a part: a piece run or one summary made
        assert len(parts) > 2 * len(parts[0]["nodes"])


def test_the_step_and_the_loss_after_it_each_start_a_part_of_their_own():
    parts = all_parts(started(), 1000)  # a budget that takes everything else at once
    assert [sorted(k for k in p if k in ("loss", "stepped", "loss_after")) for p in parts] == \
        [["loss"], ["stepped"], ["loss_after"]]
    assert parts[1]["values"] == parts[1]["backward"] == {} and parts[1]["steps"]  # the step, then its summaries
    assert parts[-1]["values"] == parts[-1]["backward"] == parts[-1]["steps"] == {}


def test_other_calls_between_the_parts_leave_the_trace_as_it_would_be(monkeypatch):
    """The page refreshes its views while it fetches the trace: they run the network on other
    rows (the decision map, the neuron maps, a gradient check); the trace is put back each time."""
    s = started()
    replays = []
    original = type(s.experiment.trainer.next_batch_tracer()[0]).replay
    monkeypatch.setattr(type(s.experiment.trainer.next_batch_tracer()[0]), "replay",
                        lambda tracer: replays.append(1) or original(tracer))
    others = [lambda: call(s.grid, 20), lambda: call(s.neuron_maps, 10),
              lambda: call(s.check_trace_gradient, "linear2", json.dumps(list(range(8))))]

    def between(part):
        assert others[len(replays) % 3]()["ok"]

    parts = all_parts(s, 0, between)
    assert all(p["ok"] for p in parts) and len(replays) == len(parts) - 1
    assert joined(parts) == whole_trace()


def test_views_that_run_no_node_between_the_parts_need_no_replay(monkeypatch):
    """The network view and the Graph view read weights and the graph's shape: after them the
    nodes still hold the trace, so nothing is run again."""
    s = started()
    tracer_class = type(s.experiment.trainer.next_batch_tracer()[0])
    replays = []
    original = tracer_class.replay
    monkeypatch.setattr(tracer_class, "replay", lambda tracer: replays.append(1) or original(tracer))
    settings = json.dumps({"target": "label", "hidden_layers": [6, 5], "batch_size": 8, "seed": 3})

    def between(part):
        assert call(s.network_view)["ok"] and call(s.graph_view, settings)["source"] == "run"

    parts = all_parts(s, 0, between)
    assert all(p["ok"] for p in parts) and replays == []
    assert joined(parts) == whole_trace()


def test_the_step_can_be_taken_before_the_last_part_and_is_the_whole_traces_step():
    s, whole = started(optimizer="adam"), started(optimizer="adam")
    assert call(s.trace_begin, 0)["ok"]
    call(s.grid, 20)  # the network runs on other rows before the step is taken
    taken = call(s.take_traced_step)
    shown = call(whole.trace_next_batch)
    assert taken["weights_match"] and taken["loss"] == shown["loss"] and taken["loss_after"] == shown["loss_after"]
    call(whole.take_traced_step)
    np.testing.assert_array_equal(s.experiment.network.parameters.values, whole.experiment.network.parameters.values)
    assert "no trace" in call(s.trace_more)["error"]  # the step ended the trace


def test_a_part_asked_for_without_a_trace_or_after_the_run_changed_is_a_clear_refusal():
    s = started()
    assert "press Trace one mini-batch" in call(s.trace_more)["error"]
    assert call(s.trace_begin, 0)["ok"]
    assert call(s.start, json.dumps({"target": "label", "hidden_layers": [3]}))["ok"]  # a new run
    assert "press Trace one mini-batch" in call(s.trace_more)["error"]


def test_training_between_the_parts_ends_the_trace_with_a_clear_message():
    s = started()
    assert call(s.trace_begin, 0)["ok"]
    assert call(s.train_for, 50)["ok"]  # the weights move on
    refused = call(s.trace_more)
    assert not refused["ok"] and "trace the next batch again" in refused["error"]



def test_a_part_of_a_trace_since_replaced_is_refused():
    s = started()
    old = call(s.trace_begin, 0)["trace"]
    new = call(s.trace_begin, 0)["trace"]
    assert new != old
    refused = call(s.trace_more, old)
    assert not refused["ok"] and "replaced by a newer one" in refused["error"]
    assert call(s.trace_more, new)["ok"]
