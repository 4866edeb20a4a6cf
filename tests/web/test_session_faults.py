"""Faults inside the engine: running out of memory leaves the page's data and model as they were.

MemoryError cannot be provoked safely in CPython (it would take the machine's
memory), so the tests make the training call raise it, as numpy does in the
browser when the 2 GB WebAssembly heap is full (see tests/page/test_page_faults.py
for the real thing in Chromium).
"""

import json

import pytest

import fcnn.web.session as session_module
from fcnn.engine.network import Network
from fcnn.web.session import Session


def call(method, *args):
    return json.loads(method(*args))


def _start(session, **config):
    settings = {"target": "label", "hidden_layers": [8], "epochs": 5, "seed": 3, **config}
    return call(session.start, json.dumps(settings))


def _out_of_memory(*args, **kwargs):
    raise MemoryError("Unable to allocate 191. MiB for an array")


@pytest.fixture
def session():
    s = Session()
    assert call(s.load_sample, "xor", 1)["ok"]
    return s


def test_out_of_memory_in_a_new_run_brings_back_the_model_trained_before(session, monkeypatch):
    assert _start(session)["ok"] and call(session.train_for, 5000)["finished"]
    before_model = call(session.model_json)["text"]
    before_row = call(session.predict_row, json.dumps({"x1": "0.3", "x2": "-0.2"}))
    assert before_row["ok"]

    assert _start(session, hidden_layers=[512] * 10, batch_size=300)["ok"]
    monkeypatch.setattr(session.experiment, "train_for", _out_of_memory)
    answer = call(session.train_for, 80)
    assert not answer["ok"]
    assert "ran out of memory" in answer["error"] and "smaller batch size" in answer["error"]
    assert "model you had is kept" in answer["error"]
    assert answer["run_dropped"] is True and answer["has_model"] is True
    # the model and its predictions are the ones from before the failed run
    assert call(session.model_json)["text"] == before_model
    assert call(session.predict_row, json.dumps({"x1": "0.3", "x2": "-0.2"})) == before_row
    assert call(session.results)["ok"]
    # and a sane run trains again
    assert _start(session, hidden_layers=[4], epochs=2)["ok"]
    assert call(session.train_for, 5000)["finished"]


def test_out_of_memory_in_the_first_run_leaves_no_half_built_model(session, monkeypatch):
    assert _start(session)["ok"]
    monkeypatch.setattr(session.experiment, "train_for", _out_of_memory)
    answer = call(session.train_for, 80)
    assert not answer["ok"] and answer["run_dropped"] is True and answer["has_model"] is False
    assert "the new run was dropped" in answer["error"]
    assert "press Train" in call(session.results)["error"]
    assert call(session.network_view)["ok"] is False


def test_out_of_memory_after_the_first_epoch_keeps_the_run(session, monkeypatch):
    assert _start(session, epochs=50)["ok"]
    assert call(session.step)["ok"]
    monkeypatch.setattr(session.experiment, "train_for", _out_of_memory)
    answer = call(session.train_for, 80)
    assert not answer["ok"] and answer["run_dropped"] is False and answer["has_model"] is True
    assert call(session.results)["epoch"] == 1


def test_out_of_memory_while_loading_keeps_the_table(session, monkeypatch):
    columns = call(session.load_sample, "circles", 2)["columns"]
    monkeypatch.setattr(session_module, "read_csv_text", _out_of_memory)
    answer = call(session.load_csv, "a,b\n1,2\n", "big.csv")
    assert not answer["ok"] and "ran out of memory" in answer["error"]
    assert session.table.columns == columns and session.table_name == "circles.csv"


def test_a_run_too_big_for_the_memory_budget_is_refused_before_it_allocates(session):
    session.memory_budget = 100_000_000
    assert _start(session)["ok"] and call(session.train_for, 5000)["finished"]
    before_model = call(session.model_json)["text"]
    answer = _start(session, hidden_layers=[512] * 10, batch_size=240)
    assert not answer["ok"]
    assert "MB of memory" in answer["error"] and "batch size of at most" in answer["error"]
    fits = int(answer["error"].split("batch size of at most ")[1].split(",")[0])
    # the largest batch that fits the budget: one row more does not (xor: 2 inputs, a binary output)
    network = Network(2, [512] * 10, "relu", "binary")
    assert network.training_memory_bytes(fits) <= session.memory_budget < network.training_memory_bytes(fits + 1)
    assert fits < 210  # 210 training rows: the batch asked for is clipped to them, and still too big
    assert call(session.model_json)["text"] == before_model
    # the batch it names does fit
    assert _start(session, hidden_layers=[512] * 10, batch_size=fits, epochs=1)["ok"]


def test_without_a_budget_nothing_is_refused(session):
    assert session.memory_budget is None
    assert _start(session, hidden_layers=[512] * 10, batch_size=240, epochs=1)["ok"]


def test_a_network_too_big_for_any_batch_names_the_layers(session):
    session.memory_budget = 20_000_000
    answer = _start(session, hidden_layers=[512] * 10)
    assert not answer["ok"] and "use fewer or narrower hidden layers" in answer["error"]
    assert "batch size" not in answer["error"].split(";")[1]
