"""The shared facts (static/vendor/facts.json): one source, fcnn.run.settings, for the page and the engine."""

import dataclasses
import json
import pathlib
import subprocess
import sys

import pytest

import fcnn
from fcnn import bench
from fcnn.engine.network import TASKS
from fcnn.engine.nodes import ACTIVATIONS
from fcnn.engine.optimizers import OPTIMIZERS
from fcnn.run.settings import DEFAULTS, LIMITS, SAMPLES, TrainingConfig
from fcnn.web.facts import facts
from fcnn.web.session import Session

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "static" / "data"


def call(method, *args):
    return json.loads(method(*args))


def test_the_written_file_is_facts_as_utf8_json_with_a_trailing_newline(tmp_path):
    out = tmp_path / "vendor" / "facts.json"
    subprocess.run([sys.executable, "-m", "fcnn.web.facts", str(out)], cwd=ROOT, check=True, capture_output=True)
    raw = out.read_bytes()
    assert raw.endswith(b"}\n") and not raw.endswith(b"\n\n")
    assert json.loads(raw.decode("utf-8")) == facts()


def test_the_facts_have_exactly_the_shared_keys():
    shared = facts()
    assert set(shared) == {"version", "defaults", "limits", "choices", "samples", "lessons"}
    assert set(shared["defaults"]) == {
        "sample", "target", "features", "task", "test_fraction", "scaling", "hidden_layers", "activation",
        "optimizer", "learning_rate", "epochs", "batch_size", "weight_decay", "early_stopping", "seed"}
    assert set(shared["limits"]) == {"max_layers", "max_units", "max_epochs", "min_batch_size",
                                     "max_learning_rate", "max_test_fraction", "memory_budget_bytes",
                                     "max_data_link_bytes", "units_drawn"}
    assert set(shared["choices"]) == {"task", "activation", "optimizer", "scaling"}
    for sample in shared["samples"]:
        assert set(sample) == {"name", "title", "label", "group", "file", "target", "task", "settings", "expect"}


def test_version_is_the_packages():
    assert facts()["version"] == fcnn.__version__


def test_the_defaults_are_the_pages_and_training_configs():
    defaults = facts()["defaults"]
    assert defaults["hidden_layers"] == [8] and defaults["batch_size"] == 16 and defaults["early_stopping"] == 30
    assert defaults["weight_decay"] == 0 and defaults["learning_rate"] == 0.003 and defaults["seed"] == 20
    config = TrainingConfig(target="")
    for name, value in defaults.items():
        if name != "sample":
            assert getattr(config, name) == value, name
    # and TrainingConfig's defaults are valid as they are
    assert config.validated().hidden_layers == [8]


def test_facts_are_a_fresh_copy_each_call():
    first = facts()
    first["defaults"]["hidden_layers"].append(99)
    first["choices"]["task"].clear()
    assert facts()["defaults"]["hidden_layers"] == [8] and DEFAULTS["hidden_layers"] == [8]
    assert facts()["choices"]["task"]


def test_the_choices_are_what_the_engine_accepts():
    choices = facts()["choices"]
    assert choices["task"] == ["auto", *TASKS]
    assert choices["activation"] == ["relu", "sigmoid", "tanh", "identity"]
    assert sorted(choices["activation"]) == sorted(ACTIVATIONS)
    assert choices["optimizer"] == list(OPTIMIZERS) == ["sgd", "momentum", "adam"]
    assert choices["scaling"] == ["standard", "minmax"]
    for name, allowed in choices.items():
        for value in allowed:
            TrainingConfig(target="y", **{name: value}).validated()


def test_the_limits_are_the_ones_validation_enforces():
    with pytest.raises(fcnn.ConfigError, match="at most 10"):
        TrainingConfig(target="y", hidden_layers=[4] * (LIMITS["max_layers"] + 1)).validated()
    with pytest.raises(fcnn.ConfigError, match="from 1 to 512"):
        TrainingConfig(target="y", hidden_layers=[LIMITS["max_units"] + 1]).validated()
    with pytest.raises(fcnn.ConfigError, match="epochs"):
        TrainingConfig(target="y", epochs=LIMITS["max_epochs"] + 1).validated()
    with pytest.raises(fcnn.ConfigError, match="learning rate"):
        TrainingConfig(target="y", learning_rate=LIMITS["max_learning_rate"] * 1.01).validated()
    with pytest.raises(fcnn.ConfigError, match="test fraction"):
        TrainingConfig(target="y", test_fraction=LIMITS["max_test_fraction"] + 0.01).validated()
    with pytest.raises(fcnn.ConfigError, match="batch size"):
        TrainingConfig(target="y", batch_size=LIMITS["min_batch_size"] - 1).validated()


def test_the_catalog_names_five_real_files_and_five_toy_sets():
    groups = {g: [s.name for s in SAMPLES if s.group == g] for g in ("real", "toy")}
    assert groups == {"real": ["boston", "iris", "wine", "breast_cancer", "diabetes"],
                      "toy": ["xor", "circles", "spirals", "blobs", "surface"]}
    assert all((DATA / s.file).is_file() for s in SAMPLES if s.group == "real")
    assert all(s.file is None for s in SAMPLES if s.group == "toy")


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_every_sample_loads_through_the_session_with_its_target_and_task(sample):
    session = Session()
    if sample.file:
        loaded = call(session.load_csv, (DATA / sample.file).read_bytes(), sample.file)
    else:
        loaded = call(session.load_sample, sample.name, 0)
        assert loaded["suggested_target"] == sample.target
    assert loaded["ok"] and sample.target in loaded["columns"]
    described = call(session.describe_target, sample.target)
    assert described["ok"] and described["detected"] == sample.task


def test_the_sample_names_answer_lists_the_toy_sets_with_the_pages_option_text():
    answer = call(Session().sample_names)
    assert answer["samples"] == [{"name": s.name, "title": s.label} for s in SAMPLES if s.group == "toy"]


def test_the_bench_measures_the_app_defaults():
    config = bench.app_defaults_config("MEDV", split_seed=101, seed=3)
    expected = {k: v for k, v in DEFAULTS.items() if k not in ("sample", "target")}
    assert {k: getattr(config, k) for k in expected} == {**expected, "seed": 3}
    assert config.split_seed == 101 and config.target == "MEDV"
    assert dataclasses.asdict(config) == dataclasses.asdict(TrainingConfig("MEDV", seed=3, split_seed=101))
