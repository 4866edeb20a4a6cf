"""The lab on one screen (issue 20): at 1280×800 and at 1920×1080 the data choice, the run's
buttons and progress, the network (inputs, every hidden unit drawn, outputs, the weights), the
loss chart, the output view and, once a run ends, the headline metric lie wholly inside the
viewport with the page not scrolled, before, during and after a run; a phone never scrolls
sideways and keeps Train in reach in every tab, and training goes on across tabs; every sample
opens with the settings that solve it and reaches its stated outcome in the page.

Positions are read when the page reported where the run is (its own events), never by timing.
"""

from __future__ import annotations

import re

import pytest

from fcnn.run.settings import SAMPLES as CATALOGUE
from page_support import (
    app_open, choose_sample, click_marked, last_seq, run_states, set_viewport, tid, wait_for_epoch, wait_for_event,
    wait_for_run_state, wait_state,
)

pytestmark = pytest.mark.browser

SIZES = [(1280, 800), (1920, 1080)]
# what must be on screen, whole: (selector, what it is)
ALWAYS = [
    (tid("sample-select"), "the sample choice"), (tid("lesson-select"), "the lesson choice"),
    ('label[for="file-input"]', "Open CSV"),
    (tid("train-button"), "Train"), (tid("pause-button"), "Pause"), (tid("step-button"), "Step"),
    (tid("reset-button"), "Reset"),
    (tid("epoch-counter"), "the epoch"), (tid("loss-value"), "the loss"), (tid("elapsed"), "the elapsed time"),
    (tid("neuron-maps"), "the network's drawing"), (tid("neuron-view"), "the weights"),
    (f'{tid("neuron-maps")} {tid("neuron")}', "every unit drawn"),
    (f'{tid("neuron-maps")} {tid("more-units")}', "every +N more marker"),
    (tid("loss-chart"), "the loss chart"),
]
HEADLINE = [(tid("headline"), "the headline metric")]

# Every element the selectors find, with the faults of its box: not wholly inside the viewport.
OUTSIDE_JS = """(wanted) => {
    const faults = [];
    const [w, h] = [window.innerWidth, window.innerHeight];
    if (window.scrollX || window.scrollY) faults.push(`the page is scrolled to ${window.scrollX}, ${window.scrollY}`);
    if (document.documentElement.scrollHeight > h + 1) faults.push(`the page is ${document.documentElement.scrollHeight}px tall in ${h}`);
    for (const [selector, what] of wanted) {
        const found = [...document.querySelectorAll(selector)];
        if (!found.length) faults.push(`${what}: none on the page`);
        for (const e of found) {
            const r = e.getBoundingClientRect();
            if (!r.width || !r.height) faults.push(`${what} (${selector}) is not drawn`);
            else if (r.left < -0.5 || r.top < -0.5 || r.right > w + 0.5 || r.bottom > h + 0.5) {
                faults.push(`${what} (${selector}) lies at ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)} outside ${w}×${h}`);
            }
        }
    }
    return faults;
}"""


def off_screen(page, wanted):
    return page.evaluate(OUTSIDE_JS, [list(pair) for pair in wanted])


def output_view(features):
    return [(tid("boundary-canvas"), "the decision map") if features == 2 else (tid("output-plot"), "predicted against actual")]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_lab_is_on_one_screen_before_during_and_after_a_run(shared_page, app_server, size):
    page = shared_page
    app_open(page, app_server)
    set_viewport(page, *size)
    for sample, features in (("spirals", 2), ("boston", 13)):
        choose_sample(page, sample)
        assert off_screen(page, ALWAYS) == [], f"{sample} loaded"
        page.fill(tid("epochs"), "100000")
        page.fill(tid("early-stopping"), "0")
        pressed = click_marked(page, "train-button")
        wait_for_epoch(page, 3, after=pressed)
        # the output view drew the run's output (its canvas says the epoch, or the map was painted)
        if features == 2:
            page.wait_for_function("() => document.querySelector('[data-testid=boundary-view]').hidden === false")
        else:
            page.wait_for_selector(f'{tid("output-plot")}[data-epoch]', state="attached")
        during = off_screen(page, ALWAYS + output_view(features))
        assert during == [], f"{sample} training"
        assert page.get_attribute(tid("neuron-maps"), "data-source") == "run"
        stopped = click_marked(page, "stop-button")
        wait_for_run_state(page, "done", after=stopped)
        wait_state(page, "done")
        assert off_screen(page, ALWAYS + output_view(features) + HEADLINE) == [], f"{sample} done"
        assert re.search(r"\d\.\d{4}", page.text_content(tid("headline")))


def test_a_phone_keeps_train_in_reach_never_scrolls_sideways_and_training_goes_on_across_tabs(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    set_viewport(page, 390, 844)
    page.click(tid("tab-data"))
    choose_sample(page, "xor")
    page.click(tid("tab-network"))  # the settings are the network's
    page.fill(tid("epochs"), "100000")
    page.fill(tid("early-stopping"), "0")
    pressed = click_marked(page, "train-button")
    for tab in ("network", "output", "more", "data", "network"):
        before = last_seq(page)
        page.click(tid(f"tab-{tab}"))
        # the run goes on whichever column is shown: a later epoch is reported after the switch
        wait_for_event(page, "fcnn:progress", "d.epochs.length > 0", after=before)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), tab
        for button in ("pause-button", "stop-button"):
            box = page.locator(tid(button)).bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= 844, (tab, button)
        # scrolled to the end of the column, the run's buttons are still in reach (the top bar stays)
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        assert page.locator(tid("pause-button")).bounding_box()["y"] >= 0, tab
        page.evaluate("window.scrollTo(0, 0)")
    stopped = click_marked(page, "stop-button")
    assert wait_for_run_state(page, "done", after=stopped) == "done"
    assert run_states(page, after=pressed) == [("idle", "training"), ("training", "done")]
    set_viewport(page, 1280, 800)


def test_the_two_faces_share_one_place_and_switching_keeps_it(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    set_viewport(page, 1280, 800)
    choose_sample(page, "iris")
    assert page.input_value(tid("network-face")) == "neurons"
    stage = page.locator("#network-stage").bounding_box()
    neurons = page.locator(tid("neurons-face")).bounding_box()
    page.select_option(tid("network-face"), "nodes")
    page.wait_for_selector(f'{tid("graph-view")}[data-state="drawn"]')
    graph = page.locator(tid("graph-view")).bounding_box()
    assert page.is_hidden(tid("neurons-face"))
    assert page.locator("#network-stage").bounding_box() == stage
    assert abs(graph["y"] - neurons["y"]) < 1 and abs(graph["x"] - neurons["x"]) < 1 and abs(graph["height"] - neurons["height"]) < 1
    assert page.evaluate("window.scrollY") == 0
    page.select_option(tid("network-face"), "neurons")
    assert page.is_hidden(tid("graph-view")) and page.locator(tid("neurons-face")).bounding_box() == neurons


SOLVED = {s.name: s for s in CATALOGUE}
EXPECTED_CONTROLS = {"activation": "activation-select", "optimizer": "optimizer-select", "learning_rate": "learning-rate",
                     "epochs": "epochs", "batch_size": "batch-size", "weight_decay": "weight-decay",
                     "early_stopping": "early-stopping", "seed": "seed", "test_fraction": "test-fraction",
                     "scaling": "scaling-select"}


def test_every_sample_opens_with_the_settings_that_solve_it_and_reaches_its_outcome(shared_page, app_server):
    """Chosen from the list, each sample puts its catalogue settings on the controls, says so,
    and trained with them in the page it reaches the outcome the catalogue states, with its
    preview, its task and its results shown (a regression has no per-class table)."""
    page = shared_page
    app_open(page, app_server)
    set_viewport(page, 1280, 800)
    reached = {}
    for name, sample in SOLVED.items():
        choose_sample(page, name)
        settings = sample.settings
        widths = page.eval_on_selector_all(f'{tid("layer-editor")} input', "els => els.map((e) => Number(e.value))")
        assert widths == settings["hidden_layers"], name
        for key, testid in EXPECTED_CONTROLS.items():
            shown = page.input_value(tid(testid))
            if key in ("activation", "optimizer", "scaling"):
                assert shown == settings[key], (name, key)
            else:
                assert float(shown) == float(settings[key]), (name, key)
        said = page.text_content(tid("sample-settings"))
        assert sample.title in said and "settings that solve it" in said, said
        # the preview is text: the first rows and one summary row per column
        assert page.locator(f'{tid("data-preview")} tbody tr').count() == 20
        n_columns = page.locator(f'{tid("target-select")} option').count()
        assert page.locator(f'{tid("column-summary")} tbody tr').count() == n_columns
        pressed = click_marked(page, "train-button")
        assert wait_for_run_state(page, "done", "failed", after=pressed, timeout=120_000) == "done"
        wait_state(page, "done")
        (key, least), = sample.expect.items()
        shown = float(page.text_content(tid("metric-r2" if key == "r2_at_least" else "metric-accuracy")))
        reached[name] = shown
        assert shown >= least, f"{name}: {key.split('_')[0]} {shown} < {least}"
        task = page.text_content(tid("task-info"))
        per_class = page.locator(f'{tid("per-class-table")} tbody tr')
        if sample.task == "regression":
            assert "regression" in task and page.get_attribute(tid("per-class-table"), "hidden") is not None, name
            assert float(page.text_content(tid("metric-rmse"))) > 0 and float(page.text_content(tid("metric-mae"))) > 0
        else:
            assert "classification" in task and page.get_attribute(tid("per-class-table"), "hidden") is None, name
            assert per_class.count() >= 2
        assert page.locator(f'{tid("predictions-table")} tbody tr').count() > 0, name
    print("\nin the page:", reached)
