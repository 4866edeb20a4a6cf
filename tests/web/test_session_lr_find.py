"""Session.find_learning_rate: the page's range test. Its answer's keys, and the user's run
untouched: weights, optimizer state, epoch, position in the epoch, and the rows it draws next."""

import json

import numpy as np
import pytest

from fcnn.engine.lr_finder import SUGGESTION_RULE
from fcnn.web.session import Session

SETTINGS = {"target": "label", "hidden_layers": [8], "epochs": 50, "seed": 3, "batch_size": 16}
KEYS = {"ok", "rates", "losses", "smoothed", "suggestion", "lowest_rate", "rule", "stopped_reason", "stopped",
        "optimizer", "batch_size", "steps", "task", "weights"}


def call(method, *args):
    return json.loads(method(*args))


def loaded(sample="xor"):
    s = Session()
    assert call(s.load_sample, sample, 1)["ok"]
    return s


def run_state(s):
    trainer = s.experiment.trainer
    # first: at an epoch's start it draws the epoch's shuffle (as the next step would) and sets the position to 0
    next_rows = trainer.next_batch_rows()
    optimizer = {k: np.copy(v) for k, v in vars(trainer.optimizer).items() if isinstance(v, np.ndarray)}
    return (s.experiment.network.parameters.values.copy(), optimizer, trainer.optimizer.learning_rate,
            getattr(trainer.optimizer, "t", None), trainer.epoch, trainer._position, len(trainer.history), next_rows)


def assert_same_run(before, after):
    assert before[0].tobytes() == after[0].tobytes()
    assert before[1].keys() == after[1].keys() and all(np.array_equal(before[1][k], after[1][k]) for k in before[1])
    assert before[2:7] == after[2:7]
    np.testing.assert_array_equal(before[7], after[7])  # the next mini-batch is the same rows


def test_before_any_run_it_tests_a_new_network_and_starts_no_run():
    s = loaded()
    answer = call(s.find_learning_rate, json.dumps(SETTINGS))
    assert set(answer) == KEYS and answer["ok"]
    assert answer["weights"] == "new" and answer["task"] == "binary" and answer["rule"] == SUGGESTION_RULE
    assert answer["optimizer"] == "adam" and answer["batch_size"] == 16 and answer["steps"] == 200
    assert len(answer["rates"]) == len(answer["losses"]) == len(answer["smoothed"]) > 20
    assert 0 < answer["suggestion"] == pytest.approx(answer["lowest_rate"] / 10)
    assert s.experiment is None  # no run was started


def test_a_paused_run_is_tested_on_its_weights_and_left_exactly_as_it_was():
    s = loaded()
    assert call(s.start, json.dumps(SETTINGS))["ok"]
    call(s.step)
    call(s.trace_next_batch)  # mid-epoch, with an optimizer that has state
    before = run_state(s)
    # the rate and epochs typed since do not make it another run
    answer = call(s.find_learning_rate, json.dumps({**SETTINGS, "learning_rate": 0.2, "epochs": 7}))
    assert answer["ok"] and answer["weights"] == "run"
    assert_same_run(before, run_state(s))
    # and training goes on exactly as a twin's that never saw the finder
    twin = loaded()
    call(twin.start, json.dumps(SETTINGS))
    call(twin.step)
    call(twin.trace_next_batch)
    assert call(s.step)["epochs"] == call(twin.step)["epochs"]
    assert s.experiment.network.parameters.values.tobytes() == twin.experiment.network.parameters.values.tobytes()


def test_other_settings_test_a_new_network_and_leave_the_run_alone():
    s = loaded()
    assert call(s.start, json.dumps(SETTINGS))["ok"]
    call(s.step)
    before = run_state(s)
    answer = call(s.find_learning_rate, json.dumps({**SETTINGS, "hidden_layers": [4, 4], "optimizer": "sgd"}))
    assert answer["ok"] and answer["weights"] == "new" and answer["optimizer"] == "sgd"
    assert_same_run(before, run_state(s))


def test_the_run_weights_and_a_new_network_give_different_curves():
    s = loaded()
    fresh = call(s.find_learning_rate, json.dumps(SETTINGS))
    assert call(s.start, json.dumps(SETTINGS))["ok"]
    assert call(s.find_learning_rate, json.dumps(SETTINGS))["losses"] == fresh["losses"]  # epoch 0: the same weights
    call(s.step)
    trained = call(s.find_learning_rate, json.dumps(SETTINGS))
    assert trained["weights"] == "run" and trained["losses"] != fresh["losses"]


@pytest.mark.parametrize(
    "settings, fragment",
    [
        ("not json", "could not be read"),
        ("[1, 2]", "not a JSON object"),
        (json.dumps({"target": "nope"}), "no column 'nope'"),
        (json.dumps({**SETTINGS, "batch_size": 0}), "batch size 0 is out of range"),
        (json.dumps({**SETTINGS, "colour": "red"}), "unknown setting 'colour'"),
    ],
)
def test_bad_settings_are_clear_errors(settings, fragment):
    answer = call(loaded().find_learning_rate, settings)
    assert not answer["ok"] and fragment in answer["error"]


def test_without_data_it_says_to_load_some():
    answer = call(Session().find_learning_rate, json.dumps(SETTINGS))
    assert not answer["ok"] and "no data is loaded" in answer["error"]


def test_steps_out_of_range_are_refused():
    answer = call(loaded().find_learning_rate, json.dumps(SETTINGS), 5)
    assert not answer["ok"] and "steps 5 is out of range" in answer["error"]


def test_a_network_too_big_for_the_memory_budget_is_refused():
    s = loaded()
    s.memory_budget = 1_000_000
    answer = call(s.find_learning_rate, json.dumps({**SETTINGS, "hidden_layers": [512, 512]}))
    assert not answer["ok"] and "memory" in answer["error"]
