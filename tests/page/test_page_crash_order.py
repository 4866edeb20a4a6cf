"""A fatal engine error, whichever order the page learns of it in (in real Chromium).

When the worker's Pyodide fails, every pending and later call to it fails too, and
which of them the page hears of first depends on timing. Whether a run was lost is
decided by the run's state when the failure is noticed, never by which call noticed it.
Each test forces one order:

* Train is pressed after the fatal error: the run's start is the first call to fail;
* the fatal error reaches the worker before the run's pending slice: the slice itself fails;
* the run's slice is held in the worker and answers first: the run's next call fails;
* the run is paused (no call pending): a what-if prediction is the first call to fail;
* the run is over: a what-if is the first to fail, and no run is said to be lost.

In every order the data and the last trained model come back in a new worker. Each test
has a new page, started warm in a browser context the module's tests share (conftest warm_page).
"""

import pathlib

import pytest

from page_support import show, load_file, open_app, tid, wait_state, wait_text, what_if

pytestmark = pytest.mark.browser

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENGINE = "document.querySelector('script[name=engine]').xworker.sync"

RECORD_RUN_STATES = """
window.__runStates = [];
window.__progress = [];
document.addEventListener('fcnn:run-state', (e) => window.__runStates.push(e.detail));
document.addEventListener('fcnn:progress', (e) => window.__progress.push(e.detail));
"""


def settle(page):
    """No run training: the page scrolled to its top, where no view asks the engine anything by
    itself (the graph, the maps and the trace sit lower down), and every call made so far
    answered. The call that fails after a fatal error is then the one the test makes next."""
    page.evaluate("window.scrollTo(0, 0)")
    for _ in range(2):
        page.wait_for_function("() => document.documentElement.dataset.engineCalls === '0'")
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def fatal_error(page):
    failed = page.evaluate(f"() => {ENGINE}.simulate_fatal_error().then(() => 'no error', (e) => String(e))")
    assert "memory access out of bounds" in failed


def hold_next_slice(page, seconds):
    page.evaluate(f"(s) => {ENGINE}.simulate_hang_next_train(s)", seconds)


def wait_new_run_reports(page, count):
    """Waits until the run started last sent ``count`` progress reports (the epoch counter
    still shows the run before until the new one has started)."""
    page.wait_for_function(f"() => window.__progress.length >= {count}")


def trained_model(page):
    """Iris as the user's own file, a 20-epoch model trained; returns what the page holds."""
    load_file(page, ROOT / "static" / "data" / "iris.csv", target="species")
    page.fill(tid("epochs"), "20")
    page.click(tid("train-button"))
    wait_state(page, "done")
    held = {"preview": page.text_content(tid("data-preview")), "prediction": what_if(page)}
    assert held["prediction"].startswith("Predicted species: ")
    return held


def start_long_run(page, wait=True):
    page.fill(tid("early-stopping"), "0")
    page.fill(tid("epochs"), "100000")
    page.evaluate("() => { window.__progress = []; }")
    page.click(tid("train-button"))
    if wait:
        wait_new_run_reports(page, 3)


def restart_message(page):
    """Waits for the new engine; returns the message the page shows about it."""
    wait_text(page, "error-message", "restarted")
    wait_state(page, "ready")
    return page.text_content(tid("error-message"))


def assert_everything_kept(page, held, message):
    assert "The engine stopped" in message and "without a reload" in message
    assert "your data is loaded again" in message and "last trained model is back" in message
    assert page.text_content(tid("data-preview")) == held["preview"]
    assert page.input_value(tid("target-select")) == "species"
    assert what_if(page) == held["prediction"]
    assert not page.is_disabled(tid("download-model")) and not page.is_disabled(tid("train-button"))
    assert page.evaluate("window.__runStates.at(-1).state") == "idle"


def assert_run_lost(page, held):
    message = restart_message(page)
    assert "The run in progress was lost." in message
    states = [s["state"] for s in page.evaluate("window.__runStates")]
    assert states[-2:] == ["failed", "idle"]
    assert_everything_kept(page, held, message)


def test_train_pressed_after_the_fatal_error_the_runs_start_fails_first(warm_page, app_server):
    page = warm_page
    page.add_init_script(RECORD_RUN_STATES)
    open_app(page, app_server)
    held = trained_model(page)
    settle(page)
    fatal_error(page)
    start_long_run(page, wait=False)
    assert_run_lost(page, held)
    assert page.evaluate("window.__progress") == []


def test_the_fatal_error_before_the_runs_slice_the_slice_fails(warm_page, app_server):
    page = warm_page
    page.add_init_script(RECORD_RUN_STATES)
    open_app(page, app_server)
    held = trained_model(page)
    start_long_run(page)
    fatal_error(page)
    assert_run_lost(page, held)


def test_the_runs_slice_answers_first_and_its_next_call_fails(warm_page, app_server):
    page = warm_page
    page.add_init_script(RECORD_RUN_STATES)
    open_app(page, app_server)
    held = trained_model(page)
    start_long_run(page)
    # the worker takes the fatal error only after the slice it runs now (held 1 s) has answered
    hold_next_slice(page, 1)
    fatal_error(page)
    assert_run_lost(page, held)


def test_a_paused_run_then_a_what_if_is_the_first_call_to_fail(warm_page, app_server):
    page = warm_page
    page.add_init_script(RECORD_RUN_STATES)
    open_app(page, app_server)
    held = trained_model(page)
    start_long_run(page)
    page.click(tid("pause-button"))
    wait_text(page, "status", "Paused after epoch")
    # a paused run's model is the one kept: it predicts now, and again in the new engine
    held["prediction"] = what_if(page)
    settle(page)
    fatal_error(page)  # nothing of the page's is pending: it learns of it at its next call
    assert page.text_content(tid("error-message")) == ""
    show(page, "what-if-button").click()
    assert_run_lost(page, held)


def test_after_the_run_a_what_if_is_the_first_call_to_fail_and_no_run_is_lost(warm_page, app_server):
    page = warm_page
    page.add_init_script(RECORD_RUN_STATES)
    open_app(page, app_server)
    held = trained_model(page)
    settle(page)
    fatal_error(page)
    show(page, "what-if-button").click()
    message = restart_message(page)
    assert "run in progress" not in message and "Press Train" in message
    assert "failed" not in [s["state"] for s in page.evaluate("window.__runStates")]
    assert_everything_kept(page, held, message)
