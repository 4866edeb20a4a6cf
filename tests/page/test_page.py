"""End-to-end: the real page, the real vendored runtime, real Chromium.

Each test fails on any request outside the served origin, any uncaught page
error and any Python traceback in the console (see the guarded_page and shared_page fixtures).
What a run reported is read from the page's own events, every one in order
(page_support), never from what a poll of the DOM happened to see.
"""

import re

import pytest

from made_up_data import write_csv
from page_support import (
    app_open, choose_sample, click_marked, epoch_now, events, load_file, progress_reports, run_states, show, tid, train_to_done,
    wait_for_epoch, wait_for_run_state, wait_state,
)

pytestmark = pytest.mark.browser


def loss_chart_says(page):
    """What the loss chart's description says it holds: its first and last epoch, and the
    training loss at either end."""
    label = page.get_attribute(tid("loss-chart"), "aria-label")
    found = re.search(r"epochs (\d+)–(\d+), training loss (\S+) → (\S+),", label)
    assert found, label
    return int(found[1]), int(found[2]), float(found[3]), float(found[4])


def approx_shown(value):
    """A number as the page shows it: four decimals (or five significant digits when tiny)."""
    return pytest.approx(value, rel=1e-3, abs=5.1e-5)


def test_upload_a_csv_train_watch_epochs_then_see_r2_and_table(shared_page, app_server, tmp_path):
    page = shared_page
    app_open(page, app_server)
    assert load_file(page, write_csv(tmp_path / "houses.csv")) == ""
    options = page.eval_on_selector_all(f'{tid("target-select")} option', "els => els.map(e => e.value)")
    assert options == ["size", "age", "noise", "price"]
    assert page.input_value(tid("target-select")) == "price"
    page.fill(tid("epochs"), "2000")
    pressed = click_marked(page, "train-button")
    assert wait_for_run_state(page, "done", "failed", after=pressed) == "done"
    assert run_states(page, after=pressed) == [("idle", "training"), ("training", "done")]
    # every progress report, in order: only the last one says the run finished
    reports = progress_reports(page, after=pressed)
    assert reports and [r["finished"] for r in reports] == [False] * (len(reports) - 1) + [True]
    epochs = [e for r in reports for e in r["epochs"]]
    numbers = [e["epoch"] for e in epochs]
    assert numbers == list(range(1, len(numbers) + 1)), f"epochs must come once each, in order: {numbers}"
    assert numbers[-1] > 20
    losses = [e["loss"] for e in epochs]
    assert losses[-1] < losses[0]
    # the counter and the loss chart hold exactly the epochs reported, the loss in the target's
    # units² (the engine trains on a scaled target; the page says by how much)
    assert epoch_now(page) == numbers[-1]
    first, last, first_loss, last_loss = loss_chart_says(page)
    assert (first, last) == (1, numbers[-1])
    scale = float(page.get_attribute(tid("loss-value"), "data-scale"))
    assert scale != 1.0 and "price's units²" in page.text_content("#loss-unit")
    assert first_loss == approx_shown(losses[0] * scale) and last_loss == approx_shown(losses[-1] * scale)
    assert float(page.text_content(tid("loss-value"))) == approx_shown(losses[-1] * scale)
    # the final metrics
    r2 = float(page.text_content(tid("metric-r2")))
    assert r2 > 0.9
    rows = page.locator(f'{tid("predictions-table")} tbody tr')
    assert rows.count() == 27  # 30 % of 90 rows
    first_row = rows.nth(0).locator("td").all_text_contents()
    actual, predicted, error = (float(v) for v in first_row[1:])
    assert error == pytest.approx(predicted - actual, abs=2e-4)


def test_boston_sample_trains_with_defaults(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    choose_sample(page, "boston")
    assert train_to_done(page) == "done"
    assert float(page.text_content(tid("metric-r2"))) > 0.7
    # 152 test rows, paged 50 at a time: only the current page is in the DOM
    rows = page.locator(f'{tid("predictions-table")} tbody tr')
    assert rows.count() == 50
    assert "page 1 of 4 (152 rows)" in page.text_content(tid("page-info"))
    show(page, "page-next")  # the Results sheet
    for _ in range(3):
        page.click(tid("page-next"))
    assert rows.count() == 2
    assert rows.nth(0).locator("td").first.text_content() == "151"


def test_stop_in_the_middle_of_training(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    choose_sample(page, "boston")
    page.fill(tid("epochs"), "100000")
    page.fill(tid("early-stopping"), "0")  # only Stop ends this run
    pressed = click_marked(page, "train-button")
    wait_for_epoch(page, 5, after=pressed)
    # the page answers while it trains: typing into a field works (the layers are the run's: locked)
    page.fill(tid("seed"), "9")
    assert page.input_value(tid("seed")) == "9"
    assert page.is_disabled(tid("hidden-units")) and page.is_disabled(tid("add-layer"))
    stopped = click_marked(page, "stop-button")
    assert wait_for_run_state(page, "done", "failed", after=stopped) == "done"
    wait_state(page, "done")
    assert run_states(page, after=pressed) == [("idle", "training"), ("training", "done")]
    # Stop ends the run promptly: only the slice of training already under way reports after it,
    # and no epoch is trained once the run is done
    after_stop = progress_reports(page, after=stopped)
    assert len(after_stop) <= 1, f"{len(after_stop)} progress reports came after Stop"
    epochs = [e["epoch"] for r in progress_reports(page, after=pressed) for e in r["epochs"]]
    assert epochs == list(range(1, len(epochs) + 1))
    epoch = epoch_now(page)
    assert epoch == epochs[-1] and 5 <= epoch < 100000
    assert "Stopped" in page.text_content(tid("status"))
    # results of the weights so far (the first page of 50), and the page can train again
    assert page.locator(f'{tid("predictions-table")} tbody tr').count() == 50
    assert page.is_enabled(tid("train-button"))
    done = events(page, "fcnn:run-state")[-1]["seq"]
    assert progress_reports(page, after=done) == [], "no epoch may run after Stop"


def test_malformed_csv_shows_error_and_keeps_the_loaded_data(shared_page, app_server, tmp_path):
    page = shared_page
    app_open(page, app_server)
    assert load_file(page, write_csv(tmp_path / "good.csv", n=40), target="price") == ""
    assert page.is_hidden(tid("error-message"))

    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,b,c\n1,2,3\n4,5\n")
    message = load_file(page, ragged)
    assert page.is_visible(tid("error-message"))
    assert "ragged.csv" in message and "line 3" in message and "2 fields" in message

    header_only = tmp_path / "header_only.csv"
    header_only.write_text("x,y\n")
    message = load_file(page, header_only)
    assert "header_only.csv" in message and "no data rows" in message

    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "empty" in load_file(page, empty).split("empty.csv", 1)[1]

    # what was loaded before is kept: the good file's columns, and it still trains
    options = page.eval_on_selector_all(f'{tid("target-select")} option', "els => els.map(e => e.value)")
    assert options == ["size", "age", "noise", "price"]
    assert page.input_value(tid("target-select")) == "price"
    assert train_to_done(page, epochs=20) == "done"
    assert page.is_hidden(tid("error-message"))
    assert page.locator(f'{tid("predictions-table")} tbody tr').count() == 12
