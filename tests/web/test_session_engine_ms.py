"""The progress answers' ``engine_ms``: the Python time the call spent, which scripts/bench_browser.py
subtracts from the page's round trip to tell the engine's time from the message's."""

import json
import time

from fcnn.web.session import Session


def started_session():
    session = Session()
    assert json.loads(session.load_sample("xor", 1))["ok"]
    config = {"target": "label", "hidden_layers": [4], "epochs": 3, "seed": 3, "early_stopping": 0}
    assert json.loads(session.start(json.dumps(config)))["ok"]
    return session


def timed(call, *args):
    begun = time.perf_counter()
    answer = json.loads(call(*args))
    return answer, (time.perf_counter() - begun) * 1000.0


def test_train_for_and_step_say_how_long_the_engine_took_within_the_call():
    session = started_session()
    for call, args in ((session.train_for, (5000,)), (session.step, ())):
        answer, wall_ms = timed(call, *args)
        assert answer["ok"] and answer["epochs"], answer
        assert 0.0 <= answer["engine_ms"] <= wall_ms


def test_engine_ms_counts_the_training_itself(monkeypatch):
    session = started_session()
    train_for = session.experiment.train_for

    def slow_train_for(**kwargs):
        time.sleep(0.03)  # a slice known to take at least 30 ms
        return train_for(**kwargs)

    monkeypatch.setattr(session.experiment, "train_for", slow_train_for)
    answer, wall_ms = timed(session.train_for, 5000)
    assert 30.0 <= answer["engine_ms"] <= wall_ms
    answer, wall_ms = timed(session.step)
    assert 30.0 <= answer["engine_ms"] <= wall_ms
