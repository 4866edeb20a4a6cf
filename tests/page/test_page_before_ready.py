"""Nothing the user does before the engine is ready is lost (in real Chromium).

The controls are built from facts.json as soon as it is read; the engine (Pyodide in a
worker) is ready seconds later. The tests hold the engine back on purpose: the request for
the fcnn package (static/vendor/fcnn.zip) is answered only once the test has acted, so the
engine cannot be ready before that, however fast the machine. A sample picked, a file
chosen or Train pressed meanwhile waits, says so, and is carried out once the engine is ready.
"""

import json
import pathlib

import pytest

from page_support import tid, wait_loaded, wait_state, wait_text

pytestmark = pytest.mark.browser

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Every status text, run-state transition and progress report, kept from the page's first moment.
RECORD_EVENTS = """
window.__statuses = [];
window.__runStates = [];
window.__progress = [];
window.__engineStates = [];
document.addEventListener('fcnn:run-state', (e) => window.__runStates.push(e.detail));
document.addEventListener('fcnn:progress', (e) => window.__progress.push(e.detail));
document.addEventListener('fcnn:engine-state', (e) => window.__engineStates.push(e.detail.state));
document.addEventListener('DOMContentLoaded', () => {
    const status = document.querySelector('[data-testid=status]');
    new MutationObserver(() => window.__statuses.push(status.textContent))
        .observe(status, {childList: true, characterData: true, subtree: true});
});
"""


class EngineGate:
    """Holds the fcnn package's request (so the engine cannot start) until release()."""

    def __init__(self, page):
        self.held = []
        self.open = False
        page.context.route("**/static/vendor/fcnn.zip", self._on_request)

    def _on_request(self, route):
        if self.open:
            route.continue_()
        else:
            self.held.append(route)

    def release(self):
        self.open = True
        for route in self.held:
            route.continue_()
        self.held.clear()


def open_before_ready(page, origin):
    """Opens the page with the engine held back; returns once the controls are built."""
    page.add_init_script(RECORD_EVENTS)
    gate = EngineGate(page)
    page.goto(origin + "/")
    page.wait_for_selector(f'{tid("sample-select")}:not([disabled])')
    page.wait_for_function("() => window.__engineStates.includes('loading')")
    assert "ready" not in page.evaluate("window.__engineStates")
    return gate


def release_engine(page, gate):
    """Lets the engine start; until now it could not have been ready."""
    assert "ready" not in page.evaluate("window.__engineStates")
    gate.release()


def statuses(page):
    return page.evaluate("window.__statuses")


def test_a_sample_picked_before_the_engine_is_ready_loads_once_it_is(guarded_page, app_server):
    page = guarded_page
    gate = open_before_ready(page, app_server)
    # the controls follow facts.json already: the graph line names the chosen activation
    assert "relu" in page.text_content(tid("graph-order"))
    page.select_option(tid("sample-select"), "boston")
    waiting = page.text_content(tid("status"))
    assert "Waiting for the engine to start" in waiting and "Boston housing will load" in waiting
    assert page.text_content(tid("dataset-info")) == "No data loaded."
    release_engine(page, gate)
    wait_loaded(page, "MEDV")
    assert "boston.csv: 506 rows" in page.text_content(tid("dataset-info"))
    assert "MEDV" in page.text_content(tid("data-preview"))
    assert page.input_value(tid("sample-select")) == "boston"
    assert "Ready: boston.csv loaded" in page.text_content(tid("status"))
    # what the status said before it was ready: waiting for the engine, with the sample named
    assert any("Waiting for the engine" in text and "Boston housing" in text for text in statuses(page))


def test_a_file_chosen_before_the_engine_is_ready_loads_once_it_is(guarded_page, app_server):
    page = guarded_page
    gate = open_before_ready(page, app_server)
    page.set_input_files(tid("file-input"), str(ROOT / "static" / "data" / "iris.csv"))
    assert "iris.csv will load" in page.text_content(tid("status"))
    # a later choice of data wins: the sample picked after the file is what loads
    page.select_option(tid("sample-select"), "wine")
    assert "Wine will load" in page.text_content(tid("status"))
    assert "iris.csv" not in page.text_content(tid("status"))
    release_engine(page, gate)
    wait_loaded(page, "class")
    assert page.text_content(tid("dataset-info")).startswith("wine.csv: 178 rows")

    # and a file chosen alone (a new page) loads, as the user's own file
    page2 = page.context.new_page()
    page2.add_init_script(RECORD_EVENTS)
    gate.open = False
    page2.goto(app_server + "/")
    page2.wait_for_selector(f'{tid("file-input")}:not([disabled])')
    page2.set_input_files(tid("file-input"), str(ROOT / "static" / "data" / "iris.csv"))
    assert "iris.csv will load" in page2.text_content(tid("status"))
    release_engine(page2, gate)
    wait_loaded(page2, "species")
    assert page2.text_content(tid("dataset-info")).startswith("iris.csv: 150 rows")
    assert page2.input_value(tid("sample-select")) == ""
    page2.close()


def test_train_pressed_before_the_engine_is_ready_trains_once_it_is(guarded_page, app_server):
    page = guarded_page
    gate = open_before_ready(page, app_server)
    page.select_option(tid("sample-select"), "xor")
    page.fill(tid("epochs"), "7")
    page.click(tid("train-button"))
    assert "XOR will load and train" in page.text_content(tid("status"))
    assert page.evaluate("window.__runStates") == []
    release_engine(page, gate)
    page.wait_for_function("() => window.__runStates.some((s) => s.state === 'done')")
    wait_state(page, "done")
    states = page.evaluate("window.__runStates")
    assert [(s["previous"], s["state"]) for s in states] == [("idle", "training"), ("training", "done")]
    # the progress reports, in order, add up to the 7 epochs of the run, the last one finished
    reports = page.evaluate("window.__progress")
    epochs = [e["epoch"] for report in reports for e in report["epochs"]]
    assert epochs == list(range(1, 8))
    assert reports[-1]["finished"] and not any(r["finished"] for r in reports[:-1])
    assert "Trained 7 epochs" in page.text_content(tid("status"))


def test_settings_that_cannot_be_read_are_named_in_the_status(guarded_page, app_server):
    page = guarded_page
    page.add_init_script(RECORD_EVENTS)
    page.route("**/static/vendor/facts.json", lambda route: route.fulfill(status=404, body="not here"))
    page.goto(app_server + "/")
    page.wait_for_selector(f'{tid("status")}[data-state="error"]')
    status = page.text_content(tid("status"))
    assert "Could not read the page's settings" in status and "HTTP 404" in status and "reload the page" in status
    assert page.is_disabled(tid("sample-select")) and page.is_disabled(tid("file-input"))
    # it stays said once the engine is ready, rather than a "Ready" the controls cannot keep
    page.wait_for_function("() => window.__engineStates.includes('ready')")
    assert page.get_attribute(tid("status"), "data-state") == "error"
    assert "Could not read the page's settings" in page.text_content(tid("status"))


def iris_model_file(folder):
    """A model trained in CPython by the engine's own session, saved as the page saves one."""
    from fcnn.web.session import Session

    session = Session()
    assert json.loads(session.load_csv((ROOT / "static" / "data" / "iris.csv").read_text(), "iris.csv"))["ok"]
    assert json.loads(session.start(json.dumps({"target": "species", "epochs": 3})))["ok"]
    while not json.loads(session.train_for(1000))["finished"]:
        pass
    path = folder / "iris-model.json"
    path.write_text(json.loads(session.model_json())["text"])
    return path


def test_a_model_file_loaded_before_the_engine_is_ready_loads_once_it_is(guarded_page, app_server, tmp_path):
    page = guarded_page
    model = iris_model_file(tmp_path)
    gate = open_before_ready(page, app_server)
    page.set_input_files(tid("model-file-input"), str(model))
    assert "the model iris-model.json will load" in page.text_content(tid("status"))
    release_engine(page, gate)
    assert "predicts species" in wait_text(page, "model-info", "iris-model.json")
    assert not page.is_disabled(tid("what-if-button")) and not page.is_disabled(tid("download-model"))
    wait_state(page, "ready")
    assert page.is_hidden(tid("error-message"))
