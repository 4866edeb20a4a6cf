"""A demo folder (python -m fcnn demo) served by a plain static server and opened: its table
loaded as a sample of its own, its settings on the controls, the controls it hides gone, its
notes shown as text (never HTML), Train trains; then offline, a reload still loads it and trains."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from page_support import PageGuard, click_marked, install_event_recorder, tid, wait_for_run_state
from site_support import ROOT, StaticServer

pytestmark = pytest.mark.browser

READY = '[data-testid="status"][data-state="ready"]'
TITLE = "Garden harvest"
TABLE = "soil,sun_hours,water,yield_kg\n" + "".join(
    f"{['clay', 'sand', 'loam'][i % 3]},{3 + (i * 7) % 9},{10 + (i * 13) % 30},{round(2 + 0.5 * ((i * 7) % 9) + 0.1 * ((i * 13) % 30) + [0, -1, 1.5][i % 3], 2)}\n"
    for i in range(90)
)
NOTES = """# How much does a garden give?

Each row is one bed. <b>x</b> is not bold: the page shows it as text.

- **sun** matters most
- water helps, up to a point

See [the guide](https://example.org/guide) for more.
"""


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "scripts"))
    import zip_package
    from fcnn.web import facts

    zip_package.build(ROOT / "static" / "vendor" / "fcnn.zip")  # the folder ships the sources under test
    facts.write(ROOT / "static" / "vendor" / "facts.json")
    work = tmp_path_factory.mktemp("demo")
    (work / "garden.csv").write_text(TABLE)
    (work / "notes.md").write_text(NOTES)
    out = work / "site"
    subprocess.run([sys.executable, "-m", "fcnn", "demo", str(work / "garden.csv"), "--target", "yield_kg",
                    "--hidden", "6,3", "--lr", "0.02", "--epochs", "25", "--optimizer", "momentum", "--title", TITLE,
                    "--notes", str(work / "notes.md"), "--hide", "optimizer,learning_rate", "--out", str(out)],
                   check=True, cwd=ROOT, capture_output=True)
    return out


def train(page):
    pressed = click_marked(page, "train-button")
    wait_for_run_state(page, "done", after=pressed, timeout=120_000)
    page.wait_for_selector(f'{tid("status")}[data-state="done"]')
    assert page.text_content(tid("epoch-counter")) == "25"
    assert math.isfinite(float(page.text_content(tid("metric-r2"))))  # the trained model was scored


def wait_demo_loaded(page):
    page.wait_for_selector(READY, timeout=120_000)
    page.wait_for_function("() => document.querySelector('[data-testid=task-detected]').textContent.includes('yield_kg')")
    assert page.text_content(tid("dataset-info")).startswith("demo-garden-harvest.csv: 90 rows")


def test_the_demo_folder_opens_on_its_table_settings_and_notes_and_trains_offline(page, demo_folder):
    server = StaticServer(demo_folder)
    try:
        guard = PageGuard(page, server.origin)
        install_event_recorder(page)
        page.set_default_timeout(90_000)
        page.goto(server.origin + "/")
        wait_demo_loaded(page)
        # the table as a sample of its own, first, with its title
        assert page.input_value(tid("sample-select")) == "demo"
        first_group = page.locator(f'{tid("sample-select")} optgroup').first
        assert TITLE in first_group.get_attribute("label")
        assert page.input_value(tid("target-select")) == "yield_kg"
        # its settings on the controls, the hidden ones too
        widths = page.eval_on_selector_all(f'{tid("layer-editor")} input', "inputs => inputs.map((i) => i.value)")
        assert widths == ["6", "3"] and page.input_value(tid("epochs")) == "25"
        assert page.input_value(tid("learning-rate")) == "0.02" and page.input_value(tid("optimizer-select")) == "momentum"
        for hidden in ("optimizer-select", "learning-rate", "learning-rate-slider"):
            assert not page.is_visible(tid(hidden)), hidden
        for label in ("optimizer-select", "learning-rate", "learning-rate-slider"):
            assert not page.is_visible(f'label[for="{label}"]'), label
        assert page.is_visible(tid("activation-select")) and page.is_visible(tid("epochs"))
        # the notes: text only, the title as a heading, a list, a link opening elsewhere
        notes = page.locator(tid("demo-notes"))
        assert notes.is_visible() and notes.locator("h3").text_content() == TITLE
        assert "<b>x</b> is not bold" in notes.text_content() and notes.locator("b").count() == 0
        assert notes.locator("li").count() == 2 and notes.locator("li strong").text_content() == "sun"
        link = notes.locator("a")
        assert link.get_attribute("href") == "https://example.org/guide"
        assert link.get_attribute("rel") == "noopener" and link.get_attribute("target") == "_blank"
        train(page)
        page.screenshot(path=str(demo_folder.parent / "demo.png"), full_page=True)
        # a link's settings win over the demo's; the demo's others stay
        page.goto(server.origin + "/index.html#epochs=7")
        wait_demo_loaded(page)
        assert page.input_value(tid("epochs")) == "7" and page.input_value(tid("learning-rate")) == "0.02"
        page.goto(server.origin + "/")
        wait_demo_loaded(page)

        page.wait_for_function("() => document.body.dataset.offline === 'ready'", timeout=60_000)
        page.context.set_offline(True)
        server.stop()
        page.reload()
        wait_demo_loaded(page)
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        assert not page.is_visible(tid("optimizer-select")) and page.locator(tid("demo-notes")).is_visible()
        train(page)
        assert not guard.problems(), guard.problems()
    finally:
        server.stop()
