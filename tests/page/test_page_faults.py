"""Faults in the engine's worker (issue 5, outcome 3), in real Chromium.

* A fatal Pyodide error in the middle of a run (the worker's fault-injection
  export reads memory outside WebAssembly's heap): the page says so, starts a
  new worker by itself, gives it back the data and the last trained model, and
  trains again without a reload.
* A worker that stops answering (a slice that spins): after a while the page
  says so and offers to restart the engine; a slow answer takes the notice away.
* A network too big for the browser's memory: refused before it allocates,
  with the batch size that fits; the model trained before stays.

Each test has a new page, started warm in a browser context the module's tests share
(conftest warm_page).
"""

import pathlib

import numpy as np
import pytest

from fcnn.engine.network import Network
from fcnn.web.session import BROWSER_MEMORY_BUDGET
from page_support import (
    click_marked, epoch_now, last_seq, load_file, open_app, tid, train_to_done, wait_for_epoch, wait_state, what_if,
)

pytestmark = pytest.mark.browser

ERROR = tid("error-message")
ROOT = pathlib.Path(__file__).resolve().parents[2]


SLOW = tid("engine-slow")


def start_a_long_run_after_a_trained_model(page):
    """Trains a model, then starts a long run (early stopping off, so it cannot end first).
    Returns what the page held before the run: the preview and a what-if prediction."""
    # as the user's own file: the page holds its bytes, to give them to a new worker
    assert load_file(page, ROOT / "static" / "data" / "iris.csv", target="species") == ""
    assert train_to_done(page, epochs=20) == "done"
    held = {"preview": page.text_content(tid("data-preview")), "prediction": what_if(page)}
    assert held["prediction"].startswith("Predicted species: ")
    page.fill(tid("early-stopping"), "0")
    page.fill(tid("epochs"), "100000")
    pressed = click_marked(page, "train-button")
    wait_for_epoch(page, 3, after=pressed)  # epochs of this run, not the counter left from the last
    return held


def assert_restarted_with_everything_kept(page, held):
    """Waits for the new engine; checks the message and that nothing the user had is lost
    and it trains again, without a reload. Returns the message."""
    page.wait_for_function(
        "() => /restarted/.test(document.querySelector('[data-testid=error-message]').textContent)", timeout=120_000
    )
    wait_state(page, "ready")
    message = page.text_content(ERROR)
    assert "The engine stopped" in message and "without a reload" in message
    assert "your data is loaded again" in message and "last trained model is back" in message
    assert "run in progress was lost" in message and "Press Train" in message
    assert page.locator("script[type=py][name=engine]").count() == 1
    assert page.is_hidden(SLOW)
    # the same data on the page, the same model in the engine
    assert page.text_content(tid("data-preview")) == held["preview"]
    assert page.input_value(tid("target-select")) == "species"
    assert what_if(page) == held["prediction"]
    assert not page.is_disabled(tid("download-model"))
    # and it trains again, in the new worker
    assert train_to_done(page, epochs=5) == "done"
    assert "Trained 5 epochs" in page.text_content(tid("status"))
    assert page.text_content(ERROR) == "" and page.is_hidden(ERROR)
    return message


def test_a_fatal_engine_error_mid_run_restarts_the_engine_and_keeps_data_and_model(warm_page, app_server):
    page = warm_page
    open_app(page, app_server)
    held = start_a_long_run_after_a_trained_model(page)
    failed = page.evaluate(
        """() => document.querySelector('script[name=engine]').xworker.sync.simulate_fatal_error()
                   .then(() => 'no error', (error) => String(error))"""
    )
    assert "memory access out of bounds" in failed
    assert_restarted_with_everything_kept(page, held)


def hang_next_slice(page, seconds):
    page.evaluate(
        "(s) => document.querySelector('script[name=engine]').xworker.sync.simulate_hang_next_train(s)", seconds
    )


def test_an_engine_that_stops_answering_can_be_waited_for_or_restarted(warm_page, app_server):
    page = warm_page
    page.add_init_script("window.fcnnSlowCallMs = 2000")  # the page waits 30 s before it offers a restart
    open_app(page, app_server)
    held = start_a_long_run_after_a_trained_model(page)

    # a slice that is slow but answers: the notice shows, then goes by itself, and the run goes on
    hang_next_slice(page, 6)
    page.wait_for_selector(SLOW, state="visible", timeout=20_000)
    text = page.text_content(tid("engine-slow-text"))
    assert "has not answered for" in text and "a training step" in text and "restart the engine" in text
    page.wait_for_selector(SLOW, state="hidden", timeout=30_000)
    wait_for_epoch(page, epoch_now(page) + 1, after=last_seq(page))
    assert page.text_content(ERROR) == ""

    # a slice that never answers (an endless loop): the user restarts the engine from the notice
    hang_next_slice(page, 600)
    page.wait_for_selector(SLOW, state="visible", timeout=20_000)
    page.wait_for_function(
        "() => /for [3-9] s/.test(document.querySelector('[data-testid=engine-slow-text]').textContent)"
    )  # the seconds count up while it waits
    page.click(tid("restart-engine"))
    message = assert_restarted_with_everything_kept(page, held)
    assert "(it had not answered for" in message and "you restarted it" in message


def test_a_network_too_big_for_the_browser_memory_is_refused_and_the_model_kept(warm_page, app_server, tmp_path):
    page = warm_page
    rng = np.random.default_rng(3)
    x = rng.normal(size=(12_000, 3))
    rows = ["a,b,c,y"] + [f"{a:.4f},{b:.4f},{c:.4f},{a - b + 0.5 * c:.4f}" for a, b, c in x]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(rows) + "\n")

    page.goto(app_server + "/#hidden_layers=8&epochs=2&batch_size=64")
    page.wait_for_selector(f'{tid("status")}[data-state="ready"]', timeout=90_000)
    assert load_file(page, path, target="y") == ""
    assert train_to_done(page) == "done"
    prediction = what_if(page)
    status = page.text_content(tid("status"))

    # 10 layers of 512 and the whole training set (8,400 rows) as one batch: about 1.4 GB
    page.fill(tid("hidden-units"), "512")
    for _ in range(9):
        page.click(tid("add-layer"))
    page.fill(tid("batch-size"), "100000")
    page.click(tid("train-button"))
    page.wait_for_function("() => document.querySelector('[data-testid=error-message]').textContent !== ''")
    message = page.text_content(ERROR)
    assert "GB of memory" in message and "batch size of at most" in message
    fits = int(message.split("batch size of at most ")[1].split(",")[0])
    # the largest batch that fits the browser's budget: one row more does not
    network = Network(3, [512] * 10, "relu", "regression")
    assert network.training_memory_bytes(fits) <= BROWSER_MEMORY_BUDGET < network.training_memory_bytes(fits + 1)
    # nothing was lost: the trained model still answers, the results stay
    assert page.text_content(tid("status")) == status
    assert what_if(page) == prediction
    # and a network that fits trains
    for _ in range(9):
        page.click(tid("remove-layer"))
    page.fill(tid("hidden-units"), "16")
    page.fill(tid("batch-size"), "256")
    assert train_to_done(page) == "done"
    assert page.text_content(ERROR) == ""
