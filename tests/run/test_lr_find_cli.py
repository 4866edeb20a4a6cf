"""python -m fcnn lr-find: the range test of the run ``train`` would make, as a table or JSON, and its errors."""

import io
import json
import pathlib
import re

import numpy as np
import pytest

from fcnn.cli import main
from fcnn.engine.lr_finder import SUGGESTION_RULE, range_test
from fcnn.run.experiment import Experiment
from fcnn.run.lr_find import find_learning_rate, range_table, same_run
from fcnn.run.settings import TrainingConfig
from fcnn.tables import read_csv_text

ROOT = pathlib.Path(__file__).resolve().parents[2]
BOSTON = ROOT / "static" / "data" / "boston.csv"
SMALL = ["--target", "MEDV", "--hidden", "4", "--optimizer", "sgd", "--seed", "7", "--batch-size", "32"]


def run_lr_find(*args):
    out = io.StringIO()
    code = main(["lr-find", *map(str, args)], out=out)
    return code, out.getvalue()


def boston_experiment(**settings):
    config = TrainingConfig(target="MEDV", hidden_layers=[4], optimizer="sgd", seed=7, batch_size=32, **settings)
    return Experiment(read_csv_text(BOSTON.read_bytes()), config)


@pytest.fixture(scope="module")
def boston_json():
    code, text = run_lr_find(BOSTON, *SMALL, "--json")
    assert code == 0
    return json.loads(text)


def test_the_json_is_the_range_test_of_the_run_train_would_make(boston_json):
    experiment = boston_experiment()
    network = experiment.network
    # the same run: its initial weights, its training rows (early stopping's validation rows left out)
    expected = range_test(network, network.inputs.data, network.labels.data, optimizer="sgd", batch_size=32,
                          rng=np.random.default_rng(7))
    assert boston_json == {"task": "regression", **expected.to_dict()}
    assert len(network.inputs.data) < 354  # 506 rows, 30 % test, 15 % of the rest for validation
    assert boston_json["rule"] == SUGGESTION_RULE and boston_json["optimizer"] == "sgd"
    assert boston_json["suggestion"] == pytest.approx(boston_json["lowest_rate"] / 10)


def test_the_table_states_the_suggestion_its_rule_and_rate_to_loss_rows(boston_json):
    code, text = run_lr_find(BOSTON, *SMALL)
    assert code == 0
    lines = text.splitlines()
    assert lines[0] == (f"suggested learning rate {boston_json['suggestion']:.3g}: {SUGGESTION_RULE} "
                        f"({boston_json['lowest_rate']:.3g})")
    assert f"{len(boston_json['rates'])} of 200 steps" in lines[1] and boston_json["stopped"] in lines[1]
    rows = [line for line in lines[3:] if re.match(r"\s+\d", line)]
    assert 20 <= len(rows) <= 30
    shown = {float(line.split()[0]): float(line.split()[2]) for line in rows}
    by_rate = dict(zip(boston_json["rates"], boston_json["smoothed"]))
    for rate, smoothed in shown.items():  # each row is one of the test's steps, rounded for reading
        nearest = min(by_rate, key=lambda r: abs(r - rate) / r)
        assert rate == pytest.approx(nearest, rel=5e-3) and smoothed == pytest.approx(by_rate[nearest], rel=5e-4)
    assert sum("← lowest" in line for line in rows) == 1
    assert float([line for line in rows if "← lowest" in line][0].split()[0]) == pytest.approx(
        boston_json["lowest_rate"], rel=5e-3)


def test_steps_sets_the_schedule_length():
    code, text = run_lr_find(BOSTON, *SMALL, "--steps", "30", "--json")
    answer = json.loads(text)
    assert code == 0 and answer["steps"] == 30 and len(answer["rates"]) <= 30
    assert answer["rates"][0] == pytest.approx(1e-6)


def test_the_users_run_is_untouched_by_the_run_helper():
    experiment = boston_experiment()
    experiment.train_for(max_epochs=2)
    trainer = experiment.trainer
    before = (experiment.network.parameters.values.copy(), trainer.epoch, trainer._position,
              trainer.rng.bit_generator.state, trainer.optimizer.learning_rate)
    test = find_learning_rate(experiment, steps=50)
    assert len(test.rates) > 10
    after = (experiment.network.parameters.values, trainer.epoch, trainer._position,
             trainer.rng.bit_generator.state, trainer.optimizer.learning_rate)
    assert before[0].tobytes() == after[0].tobytes() and before[1:] == after[1:]


def test_same_run_ignores_the_rate_and_epochs_only():
    run = boston_experiment()
    assert same_run(run, boston_experiment(learning_rate=0.5, epochs=3))
    assert not same_run(run, boston_experiment(weight_decay=0.01))
    assert not same_run(run, boston_experiment(test_fraction=0.2))


def test_a_failed_test_has_no_suggestion_and_says_so():
    experiment = boston_experiment()
    test = find_learning_rate(experiment, steps=10)
    test.rates, test.losses, test.smoothed, test.suggestion, test.lowest_rate = [], [], [], None, None
    test.stopped_reason = "not_finite"
    lines = range_table(test)
    assert lines[0].startswith("no suggestion: a batch's loss became infinite or NaN at the first step")


@pytest.mark.parametrize(
    "args, fragment",
    [
        ([BOSTON, "--target", "MEDV", "--steps", "5"], "steps 5 is out of range; use a whole number from 10 to 10000"),
        ([BOSTON, "--target", "nope"], "no column 'nope'"),
        ([ROOT / "missing.csv", "--target", "MEDV"], "cannot read"),
        ([BOSTON, "--target", "MEDV", "--batch-size", "0"], "batch size 0 is out of range"),
    ],
)
def test_errors_are_clear_and_exit_2(args, fragment, capsys):
    code, text = run_lr_find(*args)
    assert code == 2 and text == ""
    assert fragment in capsys.readouterr().err


def test_a_bad_steps_value_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["lr-find", str(BOSTON), "--target", "MEDV", "--steps", "many"])
    assert stopped.value.code == 2 and "--steps" in capsys.readouterr().err
