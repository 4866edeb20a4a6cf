"""The learning-rate finder on the page (issue 11, outcome 6): on Boston before any training and
after a paused run, the chart holds the points the engine answered, the suggestion states its
rate and rule, "Use this rate" sets the learning rate, the run is untouched, and Train then
trains with that rate. Every assertion is on what the page or the engine reported. The finder is
the side panel's "Find a learning rate" sheet (issue 20), opened with its toolbar button first."""

import json
import math

import pytest

from page_support import (
    choose_sample, click_marked, download, epoch_now, open_app, sheet_open, show, tid, wait_for_epoch, wait_for_run_state,
    wait_state,
)

pytestmark = pytest.mark.browser

RULE = "a tenth of the learning rate at which the smoothed loss was lowest"
RECORD_FOUND_JS = """() => {
    window.__lrFound = [];
    document.addEventListener('fcnn:lr-found', (e) => window.__lrFound.push(JSON.parse(JSON.stringify(e.detail))));
}"""


def find_rate(page):
    """Presses "Find a learning rate" (its sheet opened first); returns the engine's answer the page
    announced, once drawn."""
    show(page, "lr-find-button")
    page.evaluate("() => { window.__lrFound = window.__lrFound || []; }")
    before = page.evaluate("() => window.__lrFound.length")
    # what the button and the status said while the engine worked
    page.evaluate("""() => {
        window.__finding = [];
        const button = document.querySelector('[data-testid=lr-find-button]');
        const status = document.querySelector('[data-testid=status]');
        const note = () => window.__finding.push([button.disabled, status.dataset.state, status.textContent]);
        window.__findingWatch = new MutationObserver(note);
        window.__findingWatch.observe(button, { attributes: true });
        window.__findingWatch.observe(status, { attributes: true, childList: true });
    }""")
    # a real click, as a person's: a field typed in just before loses the focus (and says it changed) first
    page.click(f'{tid("lr-find-button")}:enabled')
    page.wait_for_function("(n) => window.__lrFound.length > n", arg=before)
    page.wait_for_selector(f'{tid("lr-chart")}[data-drawn="true"]')
    seen = page.evaluate("() => { window.__findingWatch.disconnect(); return window.__finding; }")
    assert any(disabled and state == "working" and text.startswith("Finding a learning rate") for disabled, state, text in seen)
    assert page.is_enabled(tid("lr-find-button")) and wait_state(page, "ready") == "ready"
    return page.evaluate("() => window.__lrFound[window.__lrFound.length - 1]")


def shown(page):
    chart = page.locator(tid("lr-chart"))
    return {
        "points": int(chart.get_attribute("data-points")),
        "rates": json.loads(chart.get_attribute("data-rates")),
        "smoothed": json.loads(chart.get_attribute("data-smoothed")),
        "suggestion": page.text_content(tid("lr-suggestion")),
        "rate_text": page.get_attribute(tid("lr-suggestion"), "data-rate"),
        "rate": float(page.get_attribute(tid("lr-suggestion"), "data-rate")),
    }


def check_drawn(page, answer):
    """The chart holds exactly the engine's points, and the suggestion states its rate and rule."""
    assert answer["ok"] and answer["rule"] == RULE
    view = shown(page)
    assert view["points"] == len(answer["rates"]) > 20
    assert view["rates"] == answer["rates"] and view["smoothed"] == answer["smoothed"]
    assert answer["rates"][0] == pytest.approx(1e-6) and max(answer["rates"]) <= 1.0
    assert view["rate"] == pytest.approx(answer["suggestion"], rel=5e-3)
    assert f"Suggested learning rate: {view['rate_text']}" in view["suggestion"]
    assert RULE in view["suggestion"]
    return view


def use_rate(page, view):
    show(page, "lr-use").click()
    assert float(page.input_value(tid("learning-rate"))) == view["rate"]
    # the slider and the share link followed, as if it had been typed
    slider = page.locator(tid("learning-rate-slider"))
    low, high = float(slider.get_attribute("min")), float(slider.get_attribute("max"))  # it shows 1e-5 … 1
    expected = min(max(math.log10(view["rate"]), low), high)
    assert float(slider.input_value()) == pytest.approx(expected, abs=0.051)
    assert f"learning_rate={view['rate_text']}&" in page.get_attribute(tid("share-link"), "href")


def test_the_finder_before_training_sets_the_rate_train_then_uses(guarded_page, app_server):
    page = guarded_page
    open_app(page, app_server)
    page.evaluate(RECORD_FOUND_JS)
    choose_sample(page, "boston")
    # a bad setting is refused like any engine error, and the page stays usable
    page.fill(tid("batch-size"), "0")
    show(page, "lr-find-button")
    assert sheet_open(page) == "rate"
    click_marked(page, "lr-find-button")
    page.wait_for_selector(f'{tid("error-message")}:visible')
    assert page.text_content(tid("error-message")).startswith("Could not find a learning rate: batch size 0 is out of range")
    assert page.is_hidden(tid("lr-result"))
    page.fill(tid("batch-size"), "16")
    page.select_option(tid("optimizer-select"), "sgd")
    answer = find_rate(page)
    assert page.is_hidden(tid("error-message"))
    assert answer["weights"] == "new" and answer["optimizer"] == "sgd" and answer["task"] == "regression"
    assert wait_state(page, "ready") == "ready" and epoch_now(page) == 0  # no run was started
    view = check_drawn(page, answer)
    # the finder's controls are reached with Tab, one after the other
    page.focus(tid("lr-find-button"))
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.testid") == "lr-use"
    use_rate(page, view)
    assert page.is_hidden(tid("lr-stale"))  # the rate it set is no change of the settings tested
    page.select_option(tid("activation-select"), "tanh")
    assert page.is_visible(tid("lr-stale"))  # another setting is
    page.select_option(tid("activation-select"), "relu")

    page.fill(tid("epochs"), "100000")  # the run cannot end before Stop, however fast the machine
    page.fill(tid("early-stopping"), "0")
    pressed = click_marked(page, "train-button")
    wait_for_epoch(page, 2, after=pressed)
    click_marked(page, "stop-button")
    wait_for_run_state(page, "done", after=pressed)
    model = json.loads(download(page, "download-model"))
    assert model["config"]["learning_rate"] == view["rate"]
    assert {r["learning_rate"] for r in model["history"]} == {view["rate"]}


def test_the_finder_after_a_paused_run_leaves_the_run_as_it_was(guarded_page, app_server):
    page = guarded_page
    open_app(page, app_server)
    page.evaluate(RECORD_FOUND_JS)
    choose_sample(page, "boston")
    page.fill(tid("epochs"), "100000")  # the run cannot end before Pause, however fast the machine
    page.fill(tid("early-stopping"), "0")
    pressed = click_marked(page, "train-button")
    wait_for_epoch(page, 3, after=pressed)
    assert page.is_disabled(tid("lr-find-button"))  # not while training
    click_marked(page, "pause-button")
    wait_for_run_state(page, "paused", after=pressed)
    wait_state(page, "ready")
    epoch, model_before = epoch_now(page), download(page, "download-model")

    answer = find_rate(page)
    assert answer["weights"] == "run"  # the run's weights as they are now, on a copy
    view = check_drawn(page, answer)
    assert page.is_hidden(tid("lr-stale"))  # a new test is up to date
    assert epoch_now(page) == epoch and download(page, "download-model") == model_before
    assert page.is_enabled(tid("resume-button"))

    use_rate(page, view)
    stepped = click_marked(page, "step-button")  # one epoch, with the rate the finder set
    wait_for_epoch(page, epoch + 1, after=stepped)
    wait_state(page, "ready")
    history = json.loads(download(page, "download-model"))["history"]
    assert len(history) == epoch + 1
    # the epochs before the finder kept their rate; those after it trained with the rate it set
    assert history[epoch - 1]["learning_rate"] != view["rate"]
    assert history[-1]["learning_rate"] == view["rate"]
    # the epochs trained before the finder are the same epochs, with the same losses
    assert [r["train_loss"] for r in history[:epoch]] == [r["train_loss"] for r in json.loads(model_before)["history"]]
