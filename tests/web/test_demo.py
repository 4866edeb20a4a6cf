"""The demo folder's facts, its refusals, and the folder itself (the page's side: tests/page/test_page_demo.py)."""

import json
import pathlib
import sys

import pytest

from fcnn.cli import main
from fcnn.errors import FcnnError
from fcnn.web.demo import HIDEABLE, check_trainable, demo_facts, hidden_controls
from fcnn.web.facts import facts

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import build_site  # noqa: E402

TABLE = "size,colour,price\n" + "".join(f"{i % 7},{'red' if i % 3 else 'blue'},{i * 1.5 + 2}\n" for i in range(40))
SETTINGS = {"target": "price", "hidden_layers": [4], "epochs": 5}


def test_hide_names_settings_as_the_link_spells_them():
    assert hidden_controls("optimizer, learning_rate,") == ["optimizer", "learning_rate"]
    assert hidden_controls(None) == []
    assert "sample" not in HIDEABLE and "hidden_layers" in HIDEABLE
    with pytest.raises(FcnnError, match="'lr' is not a setting; name some of: target"):
        hidden_controls("lr")


def test_the_demo_table_is_a_sample_of_its_own_with_its_settings_notes_and_hidden_controls():
    shared, file_name = demo_facts(facts(), SETTINGS, "Prices & colours", "# Read me\n\n<b>not html</b>",
                                   ["optimizer"])
    assert file_name == "demo-prices-colours.csv"
    assert shared["samples"][0] == {"name": "demo", "title": "Prices & colours", "label": "Prices & colours",
                                    "group": "demo", "file": file_name, "target": "price", "task": "auto"}
    assert shared["samples"][1:] == facts()["samples"]
    demo = shared["demo"]
    assert demo["sample"] == "demo" and demo["settings"] == SETTINGS and demo["hide"] == ["optimizer"]
    assert demo["notes"][1]["inlines"] == [{"type": "text", "text": "<b>not html</b>"}]
    assert "demo" not in facts()  # the plain app has no demo


def test_a_table_the_engine_cannot_train_on_is_refused_with_the_pages_message():
    with pytest.raises(FcnnError, match=r"^Could not load t.csv: the file holds binary data"):
        check_trainable(b"\x00\x01\x02PK", "t.csv", SETTINGS)
    with pytest.raises(FcnnError, match="the data has no column 'cost'"):
        check_trainable(TABLE, "t.csv", {**SETTINGS, "target": "cost"})
    assert check_trainable(TABLE, "t.csv", SETTINGS)["columns"] == ["size", "colour", "price"]


def test_the_demo_command_writes_the_site_with_the_table_and_its_facts(tmp_path, capsys):
    assert (ROOT / "static" / "vendor" / ".stamp").exists(), "run `make vendor` first (make test does it)"
    data, notes = tmp_path / "prices.csv", tmp_path / "notes.md"
    data.write_text(TABLE)
    notes.write_text("Watch the *loss*.")
    out = tmp_path / "site"
    code = main(["demo", str(data), "--target", "price", "--hidden", "4", "--title", "Prices", "--notes", str(notes),
                 "--hide", "optimizer,learning_rate", "--out", str(out)])
    assert code == 0 and "python -m http.server" in capsys.readouterr().out
    assert (out / "static" / "data" / "demo-prices.csv").read_text() == TABLE
    shared = json.loads((out / "static" / "vendor" / "facts.json").read_text())
    assert shared["demo"]["settings"]["hidden_layers"] == [4] and shared["demo"]["hide"] == ["optimizer", "learning_rate"]
    # the service worker precaches both, so the folder works offline
    precached = {entry["path"]: entry["size"] for entry in build_site.read_build(out)["files"]}
    assert precached["static/data/demo-prices.csv"] == len(TABLE)
    assert precached["static/vendor/facts.json"] == (out / "static" / "vendor" / "facts.json").stat().st_size
    assert main(["demo", str(data), "--target", "nope", "--out", str(tmp_path / "other")]) == 2
    assert "the data has no column 'nope'" in capsys.readouterr().err and not (tmp_path / "other").exists()
