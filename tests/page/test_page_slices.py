"""While a run trains, the page's drawing never holds the engine's next slice (issue 11, outcome 8;
issue 13, outcome 2; issue 20, outcome 7), in real Chromium with the whole workspace on screen.

Read from what the page recorded, never from timing: every engine call's user-timing measure
(engine.js makes one per call: when it was asked and when it was answered) and the run
controller's transitions, each stamped with the page's clock.
"""

import pytest

from page_support import choose_sample, click_marked, open_app, tid, wait_for_run_state, wait_state

pytestmark = pytest.mark.browser

RECORD_CALLS_JS = """(() => {
    window.__calls = [];
    new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
            if (e.name.startsWith('fcnn ')) window.__calls.push({ name: e.name.slice(5), start: e.startTime, end: e.startTime + e.duration });
        }
    }).observe({ type: 'measure' });
    window.__states = [];
    document.addEventListener('fcnn:run-state', (e) => window.__states.push({ state: e.detail.state, at: performance.now() }));
})();"""

MODEL_VIEW_CALLS = ("network_view", "neuron_maps", "grid", "output_view")


@pytest.fixture
def tall_page(guarded_page, app_server):
    guarded_page.add_init_script(RECORD_CALLS_JS)
    guarded_page.set_viewport_size({"width": 1280, "height": 800})  # the one-screen workspace: every view draws
    open_app(guarded_page, app_server)
    return guarded_page


def training_window(page, pressed_state_index):
    """[start, end] of the run's first `training` stretch after the states recorded so far."""
    states = page.evaluate("window.__states")[pressed_state_index:]
    start = next(s["at"] for s in states if s["state"] == "training")
    end = next(s["at"] for s in states if s["at"] > start and s["state"] != "training")
    return start, end


def calls(page, *names):
    return [c for c in page.evaluate("window.__calls") if c["name"] in names]


def test_the_model_views_refresh_while_the_next_slice_trains(tall_page):
    page = tall_page
    choose_sample(page, "xor")  # two features: the network view, the neuron maps and the decision map
    page.fill(tid("epochs"), "100000")
    page.fill(tid("early-stopping"), "0")
    states_before = page.evaluate("window.__states.length")
    click_marked(page, "train-button")
    # three refreshes of the views asked for by the run itself
    page.wait_for_function("() => window.__calls.filter((c) => c.name === 'grid').length >= 3")
    stopped = click_marked(page, "stop-button")
    wait_for_run_state(page, "done", after=stopped)
    wait_state(page, "done")  # the run's end shown: its views, results and model asked for and answered
    start, end = training_window(page, states_before)
    slices = calls(page, "train_for")
    asked_while_training = [c for c in calls(page, *MODEL_VIEW_CALLS) if start <= c["start"] < end]
    assert len(asked_while_training) >= 6, page.evaluate("window.__calls")
    # each was asked while a slice was on its way: the slice loop did not wait for the drawing
    for call in asked_while_training:
        assert any(s["start"] < call["end"] and call["start"] < s["end"] for s in slices), call
    # the run's end is drawn once training stopped
    assert [c for c in calls(page, "grid") if c["start"] >= end]


def test_the_graph_asks_nothing_while_the_run_trains_and_draws_its_graph_once_after(tall_page):
    page = tall_page
    choose_sample(page, "xor")
    page.select_option(tid("network-face"), "nodes")  # the graph is drawn while its face is shown
    page.wait_for_function("() => document.querySelector('[data-testid=graph-view]').dataset.state === 'drawn'")
    page.wait_for_function("() => document.documentElement.dataset.engineCalls === '0'")
    drawn = int(page.get_attribute(tid("graph-view"), "data-drawn"))
    assert page.get_attribute(tid("graph-view"), "data-source") == "settings"
    page.fill(tid("epochs"), "40")
    page.fill(tid("early-stopping"), "0")
    states_before = page.evaluate("window.__states.length")
    asked_before = len(calls(page, "graph_view"))
    pressed = click_marked(page, "train-button")
    wait_for_run_state(page, "done", after=pressed)
    page.wait_for_function("(n) => { const v = document.querySelector('[data-testid=graph-view]');"
                           " return Number(v.dataset.drawn) > n && v.dataset.source === 'run'; }", arg=drawn)
    start, end = training_window(page, states_before)
    asked = calls(page, "graph_view")[asked_before:]
    assert [c for c in asked if start <= c["start"] < end] == []
    assert len(asked) == 1 and asked[0]["start"] >= end
