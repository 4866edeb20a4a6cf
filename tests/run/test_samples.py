"""Every sample, trained in CPython with its catalogue settings (the ones the page applies
when it is chosen), reaches the outcome the catalogue states."""

import math
import pathlib

import pytest

from fcnn.run.experiment import Experiment
from fcnn.run.lessons import EXPECTATIONS, unmet_expectations
from fcnn.run.samples import toy_csv
from fcnn.run.settings import DEFAULTS, SAMPLE_SETTING_KEYS, SAMPLES, TrainingConfig
from fcnn.tables import read_csv_text
from fcnn.web.facts import facts

DATA = pathlib.Path(__file__).resolve().parents[2] / "static" / "data"
TOY_DATA_SEED = 0  # the page's (static/js/data-loading.js)
# The browser is 2–3× slower than CPython per mini-batch (about 0.2 ms here for these
# networks): a sample's run stays within a few seconds there if its steps stay under this.
MAX_STEPS = 5000


def table_of(sample):
    if sample.file:
        return read_csv_text((DATA / sample.file).read_bytes())
    return read_csv_text(toy_csv(sample.name, TOY_DATA_SEED)[0])


def config_of(sample):
    """The run the page makes: the sample's target and settings, the default split (split seed = seed)."""
    return TrainingConfig.from_dict({"target": sample.target, **sample.settings}).validated()


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_each_sample_trains_to_its_stated_outcome_with_its_settings(sample):
    experiment = Experiment(table_of(sample), config_of(sample))
    assert experiment.task == sample.task
    trainer = experiment.trainer
    steps = experiment.config.epochs * math.ceil(trainer.n_train / trainer.batch_size)
    assert steps <= MAX_STEPS, f"{steps} mini-batch steps: too slow for the browser"
    experiment.train_for()
    assert trainer.stop_reason in ("finished", "early_stopping")
    metrics = experiment.test_metrics()
    shown = {"accuracy": metrics.get("accuracy"), "r2": metrics.get("r2")}
    assert not unmet_expectations(sample.expect, shown), shown


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_each_sample_states_its_settings_and_the_outcome_for_its_task(sample):
    assert set(sample.settings) - {"task"} == set(SAMPLE_SETTING_KEYS) and set(SAMPLE_SETTING_KEYS) <= set(DEFAULTS)
    assert sample.settings.get("task", sample.task) == sample.task
    key = "r2_at_least" if sample.task == "regression" else "accuracy_at_least"
    assert list(sample.expect) == [key] and key in EXPECTATIONS
    assert 0 < sample.expect[key] < 1


def test_the_facts_carry_each_samples_settings_and_outcome():
    shared = facts()["samples"]
    assert [s["name"] for s in shared] == [s.name for s in SAMPLES]
    for sample, fact in zip(SAMPLES, shared):
        assert fact["settings"] == sample.settings and fact["expect"] == sample.expect
    shared[0]["settings"]["hidden_layers"].append(99)  # a copy: the catalogue stays as written
    assert facts()["samples"][0]["settings"] == SAMPLES[0].settings
