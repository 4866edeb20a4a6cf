"""Every lesson, and the variation it suggests, trains in CPython to the outcome its text states."""

import pathlib
import re

import pytest

from fcnn.run.experiment import Experiment
from fcnn.run.lessons import EXPECTATIONS, lesson_config, load_lessons, unmet_expectations
from fcnn.run.samples import toy_csv
from fcnn.run.settings import SAMPLES
from fcnn.tables import read_csv_text
from fcnn.web.facts import facts

DATA = pathlib.Path(__file__).resolve().parents[2] / "static" / "data"
TOY_DATA_SEED = 0  # the page's (static/js/data-loading.js)
LESSONS = load_lessons()
FILES = {s.name: s.file for s in SAMPLES}


def table_of(sample):
    if FILES[sample]:
        return read_csv_text((DATA / FILES[sample]).read_bytes())
    return read_csv_text(toy_csv(sample, TOY_DATA_SEED)[0])


def outcome(lesson, variation):
    """What the run showed, in the terms of ``expect``."""
    experiment = Experiment(table_of(lesson["sample"]), lesson_config(lesson, variation))
    experiment.train_for()
    trainer = experiment.trainer
    shown = {"stop_reason": trainer.stop_reason}
    if trainer.stop_reason == "diverged":
        return shown
    metrics = experiment.test_metrics()
    shown["accuracy"], shown["r2"] = metrics.get("accuracy"), metrics.get("r2")
    last = trainer.history[-1]
    shown["first_layer_gradient_share"] = last.gradient_norms[0] / last.gradient_norms[-1]
    held_out = [r.val_loss for r in trainer.history]
    shown["held_out_loss_rise"] = held_out[-1] / min(held_out)
    return shown


@pytest.mark.parametrize("variation", [False, True], ids=["lesson", "try"])
@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson["name"] for lesson in LESSONS])
def test_each_lesson_trains_to_its_stated_outcome(lesson, variation):
    part = lesson["try"] if variation else lesson
    shown = outcome(lesson, variation)
    assert not unmet_expectations(part["expect"], shown), shown


def sentences(text):
    """The text cut after each sentence's end (., ! or ? before a capital, a quote or a bracket)."""
    return re.split(r"(?<=[.!?])\s+(?=[A-Z\"(])", text.strip())


def test_sentences_are_cut_at_sentence_ends_only():
    assert sentences('One: two, 0.5 and 95 %. Press "Find" (or 0.003). "Quoted" next! Last?') == [
        "One: two, 0.5 and 95 %.", 'Press "Find" (or 0.003).', '"Quoted" next!', "Last?"]


def test_there_are_six_lessons_each_a_sample_settings_and_a_few_sentences():
    assert len(LESSONS) == 6
    for lesson in LESSONS:
        # a lesson says what happens and what to watch (2 sentences or more); its variation what to change
        for part, fewest in ((lesson, 2), (lesson["try"], 1)):
            said = sentences(part["text"])
            assert fewest <= len(said) <= 5 and len(part["text"]) < 400, said
            assert all(s[0].isupper() or s[0] in '"(' for s in said) and said[-1][-1] in ".!?", said
            assert set(part["expect"]) <= set(EXPECTATIONS)
    assert facts()["lessons"] == LESSONS  # the page reads them from facts.json


def test_unmet_expectations_name_what_a_run_missed():
    expect = {"accuracy_at_least": 0.95, "r2_at_most": 0.3, "stop_reason": "diverged"}
    assert unmet_expectations(expect, {"accuracy": 0.95, "r2": 0.3, "stop_reason": "diverged"}) == []
    missed = unmet_expectations(expect, {"accuracy": 0.9, "r2": float("nan"), "stop_reason": "finished"})
    assert missed == ["accuracy is 0.9, below 0.95", "r2 is nan, not a number",
                      "the run stopped for 'finished', not 'diverged'"]


def test_a_lesson_with_an_unknown_sample_or_setting_is_refused(tmp_path):
    bad = tmp_path / "lessons.json"
    bad.write_text('{"lessons": [{"name": "x", "title": "x", "sample": "nope", "settings": {}, "text": "t", '
                   '"expect": {"r2_at_least": 0}, "try": {"text": "t", "settings": {}, "expect": {"r2_at_least": 0}}}]}')
    with pytest.raises(Exception, match="sample 'nope'"):
        load_lessons(bad)
    bad.write_text(bad.read_text().replace('"nope"', '"boston"').replace('"settings": {}', '"settings": {"lr": 1}', 1))
    with pytest.raises(Exception, match="unknown setting 'lr'"):
        load_lessons(bad)
