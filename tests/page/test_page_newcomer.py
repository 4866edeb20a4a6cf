"""What a newcomer met on tables the project had never seen (issue 20, outcome 9), each fixed:
new data clears the run of the old; the page never scrolls itself when a run ends; Back
restores what the URL names; early stopping is named; the regression loss is in the target's
own units; a trace's Update is counted in the status; regression results have no per-class
table; the column to predict is the first choice after a file loads, shown as a guess."""

from __future__ import annotations

import json
import pytest

from made_up_data import write_csv
from page_support import (
    app_open, choose_sample, click_marked, load_file, progress_reports, tid, train_to_done, wait_for_run_state,
    wait_state, wait_text,
)

pytestmark = pytest.mark.browser


def test_other_data_clears_the_run_that_belonged_to_the_data_before(shared_page, app_server, tmp_path):
    page = shared_page
    app_open(page, app_server)
    assert load_file(page, write_csv(tmp_path / "houses.csv", n=60), target="price") == ""
    train_to_done(page, epochs=20)
    assert "epochs 1–20" in page.get_attribute(tid("loss-chart"), "aria-label")
    assert page.text_content(tid("task-info")).startswith("Training: regression")
    choose_sample(page, "circles")
    # nothing of the houses' run shows as if it were the circles': chart, metrics, results, task line
    assert page.get_attribute(tid("loss-chart"), "aria-label").endswith("no epochs yet")
    assert [page.text_content(tid(m)) for m in ("metric-r2", "metric-accuracy")] == ["–", "–"]
    assert page.locator(f'{tid("predictions-table")} tbody tr').count() == 0
    assert page.text_content(tid("task-info")) == "" and page.locator(f'{tid("run-notes")} li').count() == 0
    assert page.text_content(tid("epoch-counter")) == "0"
    assert page.is_hidden(tid("boundary-view")) and page.is_hidden("#output-plot-view")
    assert page.get_attribute(tid("neuron-maps"), "data-source") == "planned"
    assert "inner, outer" in page.text_content(tid("task-detected"))
    # the model trained before still predicts, and says whose it is
    assert "houses.csv" in page.text_content(tid("model-source")) and "price" in page.text_content(tid("model-source"))
    # and between two samples: XOR's classes are not shown for the circles
    choose_sample(page, "xor")
    train_to_done(page, epochs=3)
    choose_sample(page, "circles")
    assert "a, b" not in page.text_content(tid("task-detected"))
    assert page.get_attribute(tid("loss-chart"), "aria-label").endswith("no epochs yet")


# every scroll position on the page: the window's and each scrolling part's
SCROLLS_JS = """() => [window.scrollX, window.scrollY,
    ...[...document.querySelectorAll('.panel, .side-panel, .graph-scroll, .features, .table-wrap')].map((e) => e.scrollTop)]"""


def test_the_page_never_scrolls_itself_when_a_run_ends(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    page.set_viewport_size({"width": 1280, "height": 600})  # short: the data column scrolls inside
    choose_sample(page, "boston")
    page.evaluate("document.querySelector('.ws-data').scrollTop = 10000")
    before = page.evaluate(SCROLLS_JS)
    assert before[2] > 0  # the data column was scrolled down by its reader
    page.focus(tid("train-button"))
    page.keyboard.press("Enter")  # from the keyboard: focus moves on to Pause, then back to Train
    wait_for_run_state(page, "done", "failed")
    wait_state(page, "done")
    assert page.evaluate("document.activeElement.dataset.testid") == "train-button"
    assert page.evaluate(SCROLLS_JS) == before
    page.set_viewport_size({"width": 1280, "height": 800})


def controls(page):
    shown = {name: page.input_value(tid(name)) for name in ("learning-rate", "epochs", "seed", "sample-select")}
    shown["layers"] = page.eval_on_selector_all(f'{tid("layer-editor")} input', "els => els.map((e) => e.value)")
    return shown


def hash_settings(page):
    from urllib.parse import parse_qs
    fragment = page.evaluate("location.hash").lstrip("#")
    return {key: values[0] for key, values in parse_qs(fragment).items()}


def test_each_state_put_in_the_url_is_a_history_entry_and_back_restores_it(shared_page, app_server):
    page = shared_page
    page.goto("about:blank")
    app_open(page, app_server)
    start = page.evaluate("history.length")
    # a lesson is an entry of its own
    page.select_option(tid("lesson-select"), "xor-needs-a-hidden-layer")
    page.wait_for_function("() => location.hash.includes('lesson=xor-needs-a-hidden-layer')")
    wait_state(page, "ready")
    lesson_entry = page.evaluate("history.length")
    assert lesson_entry == start + 1
    lesson_controls = controls(page)
    # a sample chosen after it: another entry
    choose_sample(page, "spirals")
    page.wait_for_function("() => location.hash.includes('sample=spirals') && !location.hash.includes('lesson=')")
    assert page.evaluate("history.length") == lesson_entry + 1
    # the link followed, then a setting changed and the link followed again: two more entries
    page.click(tid("open-save"))
    page.fill(tid("seed"), "7")
    page.dispatch_event(tid("seed"), "change")
    page.click(tid("share-link"))
    page.wait_for_function("() => location.hash.includes('seed=7')")
    page.fill(tid("seed"), "8")
    page.dispatch_event(tid("seed"), "change")
    page.click(tid("share-link"))
    page.wait_for_function("() => location.hash.includes('seed=8')")
    # Back: the controls show exactly what each entry names
    page.go_back()
    page.wait_for_function("() => location.hash.includes('seed=7')")
    page.wait_for_function("() => document.querySelector('[data-testid=seed]').value === '7'")
    named = hash_settings(page)
    assert {k: controls(page)[k] for k in ("learning-rate", "epochs", "seed")} == \
        {"learning-rate": named["learning_rate"], "epochs": named["epochs"], "seed": named["seed"]}
    page.go_back()  # the sample's entry, before the link: the sample's own seed
    page.go_back()  # the lesson's entry: its settings and its sample again
    page.wait_for_function("() => location.hash.includes('lesson=xor-needs-a-hidden-layer')")
    page.wait_for_function("() => document.querySelector('[data-testid=sample-select]').value === 'xor'")
    wait_state(page, "ready", "done")
    assert controls(page) == lesson_controls
    assert page.input_value(tid("lesson-select")) == "xor-needs-a-hidden-layer"


def test_early_stopping_is_named_with_the_epoch_whose_weights_are_kept(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    choose_sample(page, "boston")
    page.fill(tid("early-stopping"), "3")
    page.fill(tid("weight-decay"), "0")
    page.fill(tid("learning-rate"), "0.03")
    pressed = click_marked(page, "train-button")
    wait_for_run_state(page, "done", after=pressed)
    wait_state(page, "done")
    reports = progress_reports(page, after=pressed)
    assert reports[-1]["stopped_reason"] == "early_stopping"
    epoch = int(page.text_content(tid("epoch-counter")))
    status = page.text_content(tid("status"))
    assert f"Stopped early at epoch {epoch} of 100" in status, status
    best = int(status.split("best at epoch ")[1].split(",")[0])
    assert best == epoch - 3 and "those weights are kept" in status
    assert f"stopped early (best: epoch {best})" in page.text_content("#epoch-total")
    assert f"validation loss was best at epoch {best}" in page.text_content(tid("results-summary"))
    # the epoch named is the one whose validation loss was lowest
    val = {e["epoch"]: e["val_loss"] for r in reports for e in r["epochs"]}
    assert min(val, key=val.get) == best


def test_the_regression_loss_is_shown_in_the_targets_own_units(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    choose_sample(page, "surface")
    pressed = click_marked(page, "train-button")
    wait_for_run_state(page, "done", after=pressed)
    wait_state(page, "done")
    engine_loss = [e for r in progress_reports(page, after=pressed) for e in r["epochs"]][-1]["loss"]
    scale = float(page.get_attribute(tid("loss-value"), "data-scale"))
    shown = float(page.text_content(tid("loss-value")))
    assert shown == pytest.approx(engine_loss * scale, rel=1e-3)
    assert page.text_content("#loss-unit") == "(MSE in y's units²)"
    # in y's units² the training loss and the test RMSE² are of one size (the engine's own was ~100× bigger)
    rmse = float(page.text_content(tid("metric-rmse")))
    assert 0.2 < shown / rmse**2 < 5 and engine_loss / rmse**2 > 20
    assert "(MSE in y's units²)" in page.get_attribute(tid("loss-chart"), "aria-label")


def test_a_traced_update_is_counted_in_the_status(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    choose_sample(page, "xor")
    page.click(tid("trace-button"))
    page.wait_for_selector(f'{tid("trace-panel")}[data-trace="on"]')
    steps = int(page.text_content("#trace-position").split(" of ")[1])
    for _ in range(steps - 1):
        page.click(tid("trace-next"))
    page.wait_for_selector(f'{tid("trace-step")}[data-taken="true"] {tid("trace-update-result")}')
    status = wait_text(page, "status", "traced step")
    assert "before any training" not in status and "1 traced step taken" in status


def test_what_to_predict_is_the_first_choice_after_a_file_loads_and_shows_as_a_guess(shared_page, app_server, tmp_path):
    page = shared_page
    app_open(page, app_server)
    titanic = tmp_path / "titanic.csv"
    rows = [f"{i + 1},{i % 2},{1 + i % 3},passenger {i},{20 + i % 40},{'S' if i % 3 else 'C'}" for i in range(40)]
    titanic.write_text("PassengerId,Survived,Pclass,Name,Age,Embarked\n" + "\n".join(rows) + "\n")
    assert load_file(page, titanic) == ""
    choice = page.locator("#target-choice")
    assert choice.get_attribute("data-guess") == "true"
    guess = page.text_content(tid("target-guess"))
    assert "A guess: Embarked" in guess and "Choose the column" in guess
    assert "(Embarked is a guess)" in page.text_content(tid("status"))
    # the id column is left out: a row number, not a measurement
    boxes = json.loads(page.evaluate("JSON.stringify([...document.querySelectorAll('[data-testid=feature-checkbox]')].map((b) => [b.value, b.checked]))"))
    assert ["PassengerId", False] in boxes
    page.select_option(tid("target-select"), "Survived")
    page.wait_for_function("() => document.querySelector('#target-choice').dataset.guess === 'false'")
    assert page.text_content(tid("target-guess")) == ""
    # a sample's target is its own, not a guess
    choose_sample(page, "iris")
    assert choice.get_attribute("data-guess") == "false"
