"""The guided lessons, read from ``lessons.json`` beside this module (data, not code).

Each lesson is a sample, settings over the defaults, a few sentences on what to
watch, what the run shows (``expect``) and a variation to try with its own
outcome. ``python -m fcnn.web.facts`` passes them to the page, and
``tests/run/test_lessons.py`` trains every lesson and variation to check them.
"""

from __future__ import annotations

import json
import math
import pathlib

from ..errors import ConfigError
from .settings import SAMPLES, TrainingConfig

LESSONS_FILE = pathlib.Path(__file__).with_name("lessons.json")
EXPECTATIONS = ("accuracy_at_most", "accuracy_at_least", "r2_at_least", "r2_at_most", "stop_reason",
                "first_layer_gradient_share_at_most", "held_out_loss_rise_at_least")
SAMPLE_TARGETS = {sample.name: sample.target for sample in SAMPLES}


def _checked_part(name, part, where):
    """A lesson's (or its variation's) text, settings and expect, checked."""
    if not isinstance(part.get("text"), str) or not part["text"].strip():
        raise ConfigError(f"lesson {name!r}{where} has no text")
    unknown = sorted(set(part.get("expect", {})) - set(EXPECTATIONS))
    if unknown or not part.get("expect"):
        raise ConfigError(f"lesson {name!r}{where}: 'expect' must name some of {', '.join(EXPECTATIONS)}")


def lesson_config(lesson, variation=False):
    """The TrainingConfig of a lesson, or of its variation (the lesson's settings, then the variation's)."""
    settings = dict(lesson["settings"])
    if variation:
        settings.update(lesson["try"]["settings"])
    return TrainingConfig.from_dict({"target": SAMPLE_TARGETS[lesson["sample"]], **settings}).validated()


def load_lessons(path=LESSONS_FILE):
    """The lessons, in order, each checked: a known sample, valid settings, known expectations."""
    lessons = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))["lessons"]
    names = [lesson["name"] for lesson in lessons]
    if len(set(names)) != len(names):
        raise ConfigError("two lessons have the same name")
    for lesson in lessons:
        if lesson["sample"] not in SAMPLE_TARGETS:
            raise ConfigError(f"lesson {lesson['name']!r} names the sample {lesson['sample']!r}, which is not one of "
                              f"{', '.join(SAMPLE_TARGETS)}")
        _checked_part(lesson["name"], lesson, "")
        _checked_part(lesson["name"], lesson["try"], " (its 'try')")
        lesson_config(lesson), lesson_config(lesson, variation=True)  # settings the engine takes
    return lessons


def unmet_expectations(expect, shown):
    """The expectations of ``expect`` that ``shown`` (what a run showed: stop_reason, and the
    measures the keys name, e.g. accuracy for accuracy_at_least) does not meet, as sentences."""
    unmet = []
    for key, wanted in expect.items():
        if key == "stop_reason":
            if shown.get("stop_reason") != wanted:
                unmet.append(f"the run stopped for {shown.get('stop_reason')!r}, not {wanted!r}")
            continue
        measure, bound = key.rsplit("_at_", 1)
        value = shown.get(measure)
        if value is None or not math.isfinite(value):
            unmet.append(f"{measure} is {value!r}, not a number")
        elif (value > wanted) if bound == "most" else (value < wanted):
            unmet.append(f"{measure} is {value:.4g}, {'above' if bound == 'most' else 'below'} {wanted}")
    return unmet
