"""The session's answers for seeing inside a run: layer norms and validation accuracy per epoch,
and the run's next mini-batch traced in a summarised, page-ready form."""

import json
import time

import numpy as np
import pytest

from fcnn.web.session import Session
from fcnn.web.trace_view import HEATMAP_CELLS, summary


def call(method, *args):
    return json.loads(method(*args))


def started(sample="xor", **config):
    s = Session()
    assert call(s.load_sample, sample, 1)["ok"]
    target = "y" if sample == "surface" else "label"
    settings = {"target": target, "hidden_layers": [8], "epochs": 5, "seed": 3, "early_stopping": 0, **config}
    assert call(s.start, json.dumps(settings))["ok"]
    return s


def test_progress_passes_on_each_epochs_layer_norms_and_validation_accuracy():
    s = started(hidden_layers=[8, 4])
    answer = call(s.train_for, 5000)
    history = s.experiment.trainer.history
    assert [e[0] for e in answer["layer_norms"]] == [r.epoch for r in history] == [1, 2, 3, 4, 5]
    for (epoch, weights, grads), record in zip(answer["layer_norms"], history):
        assert len(weights) == len(grads) == 3
        assert weights == record.weight_norms and grads == record.gradient_norms
    assert answer["val_accuracy"] == [[r.epoch, r.metrics["val_accuracy"]] for r in history]
    assert all(0 <= acc <= 1 for _, acc in answer["val_accuracy"])
    assert answer["epochs"] == [[r.epoch, r.train_loss, r.val_loss] for r in history]  # unchanged


def test_regression_has_no_validation_accuracy():
    answer = call(started("surface").step)
    assert answer["val_accuracy"] == [] and len(answer["layer_norms"]) == 1


def test_trace_without_a_run_is_a_clear_error():
    answer = call(Session().trace_next_batch)
    assert not answer["ok"] and "press Train" in answer["error"]


def test_trace_summary_holds_the_engine_traces_numbers():
    s, twin = started(batch_size=16), started(batch_size=16)
    answer = call(s.trace_next_batch)
    assert answer["ok"]
    trace, rows, _ = twin.experiment.trainer.trace_next_batch()
    assert answer["rows"] == rows.tolist() and len(rows) == 16
    # the file's row numbers: the same inputs as the trainer's rows, via the run's own prepared arrays
    prepared = twin.experiment.data
    where = {int(r): k for k, r in enumerate(prepared.train_rows)}
    assert len(set(answer["table_rows"])) == 16
    np.testing.assert_array_equal(prepared.x_train[[where[r] for r in answer["table_rows"]]],
                                  twin.experiment.network.inputs.data[rows])
    assert answer["loss"] == trace.loss and answer["loss_after"] == trace.loss_after
    assert [n["name"] for n in answer["nodes"]] == [n.name for n in trace.nodes]
    for shown, node in zip(answer["nodes"], trace.nodes):
        assert shown["kind"] == node.kind and shown["inbound"] == node.inbound and shown["shape"] == node.shape
        values = np.asarray(node.value, dtype=float)
        assert shown["value"]["mean"] == pytest.approx(values.mean(), rel=1e-12, abs=1e-15)
        assert shown["value"]["min"] == values.min() and shown["value"]["max"] == values.max()
        for name, gradient in node.gradients.items():
            assert shown["gradients"][name]["norm"] == pytest.approx(np.linalg.norm(gradient), rel=1e-12)
        assert set(shown["received"]) == set(node.received)
    w1 = next(n for n in answer["nodes"] if n["name"] == "W1")
    np.testing.assert_array_equal(w1["value"]["values"], trace.node("W1").value)  # 2×8: all the numbers
    x = next(n for n in answer["nodes"] if n["name"] == "X")
    assert x["value"]["values"] is None and len(x["value"]["heatmap"]) == HEATMAP_CELLS  # 16×2 is over 8×8
    np.testing.assert_array_equal(answer["steps"]["W1"]["values"], trace.steps["W1"])
    assert "LinearNode" in answer["docs"] and "SigmoidNode" in answer["docs"]
    assert answer["docs"]["LinearNode"] and len(answer["docs"]) == len({n.kind for n in trace.nodes})


def test_a_trace_leaves_the_run_as_it_was_until_its_step_is_taken():
    s, plain = started(batch_size=16, optimizer="adam"), started(batch_size=16, optimizer="adam")
    before = s.experiment.network.parameters.snapshot()
    shown = call(s.trace_next_batch)
    assert shown["ok"] and "epochs" not in shown
    np.testing.assert_array_equal(s.experiment.network.parameters.values, before)
    assert call(s.trace_next_batch)["rows"] == shown["rows"]  # looking twice shows the same batch
    # leaving the trace without its step: training goes on exactly as a run never traced
    traced_run, plain_run = call(s.train_for, 5000), call(plain.train_for, 5000)
    assert traced_run["epochs"] == plain_run["epochs"]
    np.testing.assert_array_equal(s.experiment.network.parameters.values, plain.experiment.network.parameters.values)


def test_taking_the_traced_step_counts_it_and_training_goes_on_from_it():
    s, plain = started(batch_size=16), started(batch_size=16)
    shown = call(s.trace_next_batch)
    taken = call(s.take_traced_step)
    assert taken["ok"] and taken["weights_match"] and taken["epoch"] == 0
    assert taken["loss"] == shown["loss"] and taken["loss_after"] == shown["loss_after"]
    assert s.experiment.network.get_weights()["W1"].tolist() != plain.experiment.network.get_weights()["W1"].tolist()
    traced_run, plain_run = call(s.train_for, 5000), call(plain.train_for, 5000)
    assert traced_run["finished"] and plain_run["finished"]
    assert [e[1] for e in traced_run["epochs"]] == pytest.approx([e[1] for e in plain_run["epochs"]], rel=1e-12)
    np.testing.assert_allclose(s.experiment.network.parameters.values, plain.experiment.network.parameters.values,
                               rtol=0, atol=1e-12)
    # a finished run traces on as Step does: one more epoch
    answer = call(s.trace_next_batch)
    assert answer["ok"] and call(s.take_traced_step)["epoch"] == 5
    assert call(s.step)["epoch"] == 6


def test_a_traced_step_is_refused_once_the_run_has_moved_on():
    s = started(batch_size=16)
    assert "trace the next one" in call(s.take_traced_step)["error"]  # nothing traced yet
    assert call(s.trace_next_batch)["ok"] and call(s.step)["ok"]
    refused = call(s.take_traced_step)
    assert not refused["ok"] and "moved on" in refused["error"]
    assert call(s.trace_next_batch)["ok"] and call(s.take_traced_step)["weights_match"]


def test_block_means_heatmap():
    matrix = np.arange(32 * 40, dtype=float).reshape(32, 40)
    heatmap = np.array(summary(matrix)["heatmap"])
    assert heatmap.shape == (16, 16)
    # 32 rows in blocks of 2; 40 columns in blocks of 2 or 3 starting where linspace puts them
    starts = np.linspace(0, 40, 16, endpoint=False).astype(int)
    rounding = 1e-2 * matrix.max()  # cells keep 3 significant digits of the largest
    assert heatmap[0, 0] == pytest.approx(matrix[0:2, 0:starts[1]].mean(), abs=rounding)
    assert heatmap[15, 15] == pytest.approx(matrix[30:32, starts[15]:].mean(), abs=rounding)
    assert heatmap[7, 9] == pytest.approx(matrix[14:16, starts[9]:starts[10]].mean(), abs=rounding)
    even = np.array(summary(np.arange(64 * 32.0).reshape(64, 32))["heatmap"])  # equal blocks of 4×2
    assert even[1, 2] == pytest.approx(np.arange(64 * 32.0).reshape(64, 32)[4:8, 4:6].mean(), abs=2)
    assert summary(np.array([np.inf, 1.0]))["max"] is None  # JSON has no infinity


def test_a_big_networks_trace_answer_is_small_and_quick():
    s = started("spirals", hidden_layers=[512] * 10, batch_size=32, epochs=2)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        text = s.trace_next_batch()
        timings.append(time.perf_counter() - start)
        assert json.loads(text)["ok"]
    assert len(text) < 1_000_000
    print(f"trace_next_batch 10×512, batch 32: best of 3 {min(timings) * 1000:.1f} ms, answer {len(text)} bytes")


def test_the_traced_step_is_taken_without_computing_the_batch_again(monkeypatch):
    s, plain = started(batch_size=16, optimizer="adam"), started(batch_size=16, optimizer="adam")
    shown = call(s.trace_next_batch)
    counted = {"calls": 0}
    for kind in {type(node) for node in s.experiment.network.nodes}:
        def counting(node, _forward=kind.forward):
            counted["calls"] += 1
            return _forward(node)
        monkeypatch.setattr(kind, "forward", counting)
    taken = call(s.take_traced_step)
    assert taken["weights_match"] and counted["calls"] == 0
    assert (taken["loss"], taken["loss_after"]) == (shown["loss"], shown["loss_after"])
    plain.experiment.trainer.trace_next_batch()  # the step as computed when taken
    assert counted["calls"] > 0
    np.testing.assert_array_equal(s.experiment.network.parameters.values, plain.experiment.network.parameters.values)
