"""A demo folder's facts: a teacher's table as a sample of its own, with settings,
notes and hidden controls, added to the facts the page reads at start.

    python -m fcnn demo DATA.csv --target COL [train options] [--title T]
        [--notes NOTES.md] [--hide CONTROL,…] --out DIR

The folder is ``make site``'s (scripts/build_site.py) with two files more or
changed: the table under ``static/data/`` and ``static/vendor/facts.json``
holding ``demo`` = {sample, title, notes (see notes.py), settings, hide}. The
table is checked here the way the page would use it (load, start, one epoch),
so a file the engine cannot train on is refused with the page's own message.
"""

from __future__ import annotations

import importlib.util
import json
import pathlib
import re

from ..errors import FcnnError
from ..run.settings import DEFAULTS
from .facts import facts
from .notes import render_notes
from .session import Session

DEMO_SAMPLE = "demo"
# the controls a demo may hide: the settings, named as the page's link names them
HIDEABLE = tuple(name for name in DEFAULTS if name != "sample")


def hidden_controls(text):
    """'optimizer,learning_rate' → the list, each checked against the settings' names."""
    names = [part.strip() for part in (text or "").split(",") if part.strip()]
    unknown = [name for name in names if name not in HIDEABLE]
    if unknown:
        raise FcnnError(f"--hide: {unknown[0]!r} is not a setting; name some of: {', '.join(HIDEABLE)}")
    return names


def _answer(text):
    answer = json.loads(text)
    if not answer.get("ok"):
        raise FcnnError(answer["error"])
    return answer


def check_trainable(data, name, settings):
    """Load, start and train one epoch in a Session, as the page would; FcnnError with the
    page's message when the engine cannot. Answers the load's report (columns, task …)."""
    session = Session()
    loaded = json.loads(session.load_csv(data, name))
    if not loaded.get("ok"):
        raise FcnnError(f"Could not load {name}: {loaded['error']}")  # the page's words
    _answer(session.start(json.dumps(settings)))
    _answer(session.step())
    return loaded


def _file_name(title):
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "table"
    return f"demo-{slug}.csv"


def demo_facts(facts, settings, title, notes_markdown="", hide=()):
    """(facts with the demo added, the table's file name under static/data/).

    settings: the run's settings as the page's link spells them (target included)."""
    file_name = _file_name(title)
    task = settings.get("task", "auto")
    sample = {"name": DEMO_SAMPLE, "title": title, "label": title, "group": "demo", "file": file_name,
              "target": settings["target"], "task": task}
    out = dict(facts)
    out["samples"] = [sample] + [s for s in facts["samples"] if s["name"] != DEMO_SAMPLE]
    out["demo"] = {"sample": DEMO_SAMPLE, "title": title, "notes": render_notes(notes_markdown),
                   "settings": dict(settings), "hide": list(hide)}
    return out, file_name


def _site_builder():
    """scripts/build_site.py of this checkout: the demo folder is the app's site with the table added."""
    script = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "build_site.py"
    if not script.is_file():
        raise FcnnError("the demo command builds the app's folder from a checkout of fcnn (with scripts/ and static/); "
                        "run it there, after make vendor")
    spec = importlib.util.spec_from_file_location("build_site", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_demo_folder(data, name, settings, out, title, notes="", hide=()):
    """Check the table trains with ``settings``, then write the app's folder to ``out`` opening on it."""
    check_trainable(data, name, settings)
    shared, file_name = demo_facts(facts(), settings, title, notes, hide)
    builder = _site_builder()
    extra = {f"static/data/{file_name}": bytes(data),
             "static/vendor/facts.json": (json.dumps(shared, indent=2, ensure_ascii=False) + "\n").encode("utf-8")}
    try:
        builder.build(out, extra=extra, quiet=True)
    except builder.BuildError as exc:
        raise FcnnError(str(exc)) from None
