"""The facts the page and the engine share, as one JSON file: ``static/vendor/facts.json``.

    python -m fcnn.web.facts static/vendor/facts.json

The page fetches it at start, before the engine is ready, and builds its controls
(defaults, limits, choices, the sample list, the lessons) from it; the values are those of
``fcnn.run.settings``, so the page cannot drift from the engine.
"""

from __future__ import annotations

import copy
import json
import pathlib
import sys

from .. import __version__
from ..run.lessons import load_lessons
from ..run.settings import CHOICES, DEFAULTS, LIMITS, SAMPLES


def facts():
    """The shared facts: version, defaults, limits, choices, samples and lessons (a fresh copy each call)."""
    return {
        "version": __version__,
        "defaults": copy.deepcopy(DEFAULTS),
        "limits": dict(LIMITS),
        "choices": copy.deepcopy(CHOICES),
        "samples": [sample.to_dict() for sample in SAMPLES],
        "lessons": load_lessons(),
    }


def facts_json():
    """facts() as the file's text: UTF-8 JSON, one trailing newline."""
    return json.dumps(facts(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write(path):
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(facts_json(), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m fcnn.web.facts OUT.json  (for example static/vendor/facts.json)")
    write(sys.argv[1])
