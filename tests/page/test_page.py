"""End-to-end: the real page, the real vendored runtime, real Chromium.

Each test fails on any request outside the served origin, any uncaught page
error and any Python traceback in the console (see the guarded_page fixture).
"""

import time

import pytest

# re-exported: other test modules import these names from here
from made_up_data import write_csv
from page_actions import (  # noqa: F401
    READY, choose_sample, epoch_now, load_file, open_app, record_text_changes, tid, wait_epoch_at_least, wait_state,
    wait_text,
)

pytestmark = pytest.mark.browser


def test_upload_a_csv_train_watch_epochs_then_see_r2_and_table(guarded_page, app_server, tmp_path):
    page = guarded_page
    open_app(page, app_server)
    load_file(page, write_csv(tmp_path / "houses.csv"))
    options = page.eval_on_selector_all(f'{tid("target-select")} option', "els => els.map(e => e.value)")
    assert options == ["size", "age", "noise", "price"]
    assert page.input_value(tid("target-select")) == "price"
    page.fill(tid("epochs"), "2000")
    record_text_changes(page, "epoch-counter", "loss-value")
    page.click(tid("train-button"))
    assert wait_state(page, "done") == "done"
    epochs = [int(v) for v in page.evaluate("window.__changes['epoch-counter']")]
    losses = [float(v) for v in page.evaluate("window.__changes['loss-value']") if v != "–"]
    assert len(set(epochs)) >= 3, f"the epoch counter should advance live, saw {epochs}"
    assert epochs == sorted(epochs) and epochs[-1] == epoch_now(page) > 20
    assert len(losses) >= 3 and losses[-1] < losses[0]
    r2 = float(page.text_content(tid("metric-r2")))
    assert r2 > 0.9
    rows = page.locator(f'{tid("predictions-table")} tbody tr')
    assert rows.count() == 27  # 30 % of 90 rows
    first = rows.nth(0).locator("td").all_text_contents()
    actual, predicted, error = (float(v) for v in first[1:])
    assert error == pytest.approx(predicted - actual, abs=2e-4)


def test_boston_sample_trains_with_defaults(guarded_page, app_server):
    page = guarded_page
    open_app(page, app_server)
    choose_sample(page, "boston")
    page.click(tid("train-button"))
    wait_state(page, "done")
    assert float(page.text_content(tid("metric-r2"))) > 0.7
    # 152 test rows, paged 50 at a time: only the current page is in the DOM
    rows = page.locator(f'{tid("predictions-table")} tbody tr')
    assert rows.count() == 50
    assert "page 1 of 4 (152 rows)" in page.text_content(tid("page-info"))
    for _ in range(3):
        page.click(tid("page-next"))
    assert rows.count() == 2
    assert rows.nth(0).locator("td").first.text_content() == "151"


def test_stop_in_the_middle_of_training(guarded_page, app_server):
    page = guarded_page
    open_app(page, app_server)
    choose_sample(page, "boston")
    page.fill(tid("epochs"), "100000")
    page.click(tid("train-button"))
    wait_epoch_at_least(page, 5)
    # the page answers while it trains: typing into a field works
    page.fill(tid("hidden-units"), "9")
    assert page.input_value(tid("hidden-units")) == "9"
    started = time.perf_counter()
    page.click(tid("stop-button"))
    wait_state(page, "done", timeout=10_000)
    stopped_after = time.perf_counter() - started
    epoch = epoch_now(page)
    assert 5 <= epoch < 100000
    assert "Stopped" in page.text_content(tid("status"))
    page.wait_for_timeout(300)
    assert epoch_now(page) == epoch, "no epoch may run after Stop"
    # results of the weights so far (the first page of 50), and the page can train again
    assert page.locator(f'{tid("predictions-table")} tbody tr').count() == 50
    assert stopped_after < 2.0, f"Stop took {stopped_after:.2f} s"
    assert page.is_enabled(tid("train-button"))


def test_malformed_csv_shows_error_and_keeps_the_loaded_data(guarded_page, app_server, tmp_path):
    page = guarded_page
    open_app(page, app_server)
    load_file(page, write_csv(tmp_path / "good.csv", n=40), target="price")
    assert page.is_hidden(tid("error-message"))

    ragged = tmp_path / "ragged.csv"
    ragged.write_text("a,b,c\n1,2,3\n4,5\n")
    page.set_input_files(tid("file-input"), str(ragged))
    page.wait_for_selector(f'{tid("error-message")}:visible')
    message = page.text_content(tid("error-message"))
    assert "ragged.csv" in message and "line 3" in message and "2 fields" in message

    header_only = tmp_path / "header_only.csv"
    header_only.write_text("x,y\n")
    page.set_input_files(tid("file-input"), str(header_only))
    assert "no data rows" in wait_text(page, "error-message", "header_only.csv")

    empty = tmp_path / "empty.csv"
    empty.write_text("")
    page.set_input_files(tid("file-input"), str(empty))
    assert "empty" in wait_text(page, "error-message", "empty.csv").split("empty.csv", 1)[1]

    # what was loaded before is kept: the good file's columns, and it still trains
    options = page.eval_on_selector_all(f'{tid("target-select")} option', "els => els.map(e => e.value)")
    assert options == ["size", "age", "noise", "price"]
    assert page.input_value(tid("target-select")) == "price"
    page.fill(tid("epochs"), "20")
    page.click(tid("train-button"))
    wait_state(page, "done")
    assert page.is_hidden(tid("error-message"))
    assert page.locator(f'{tid("predictions-table")} tbody tr').count() == 12
