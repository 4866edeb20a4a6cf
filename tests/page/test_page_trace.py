"""The Trace control driven end to end in the real page, on XOR and on Boston.

Before any training, "Trace one mini-batch" starts a paused run and traces its first batch
with the initial weights; stepping forward shows every node in the engine's topological
order, backward in reverse, then the update takes the step. Every number the page shows
(each figure's data-summary) is compared to 1e-9 with the CPython CLI's trace of the same
file, settings, seed and rows (``python -m fcnn trace --json``). Then Resume trains on with
the step counted, and Escape leaves the trace. Only the page's events, states and values
are asserted on.

The trace is drawn on the graph itself (issue 20): Trace shows the Network column's Nodes face and
opens the trace's sheet beside it; at every node's step the node marked on the graph
(aria-current="step") is the one the trace names, wholly on screen at 1280×800, and the arrows into
it, exactly those, flow in the step's direction. Leaving the trace closes its sheet; opening another
sheet (Save, to download the model) leaves the trace.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from fcnn.run.samples import toy_csv
from fcnn.web.session import Session
from page_support import (ROOT, choose_sample, click_marked, download, epoch_now, events, load_file, open_app, sheet_open,
                          tid, wait_for_event, wait_for_run_state)

pytestmark = pytest.mark.browser

TOY_DATA_SEED = 0  # the page's (static/js/data-loading.js)
TOL = {"rel": 1e-9, "abs": 1e-9}

RECORD_TRACE_STEPS = """(() => {
    window.__traceSteps = [];
    document.addEventListener('fcnn:trace-step', (e) => window.__traceSteps.push(JSON.parse(JSON.stringify(e.detail))));
})();"""

# what the trace shows now: its phase, node, loss and every figure's numbers
READ_STEP = """() => {
    const panel = document.querySelector('[data-testid=trace-panel]');
    const text = (id) => document.querySelector(`[data-testid=${id}]`).textContent;
    const loss = document.querySelector('[data-testid=trace-loss]').dataset;
    return {
        step: Number(panel.dataset.step), phase: text('trace-phase'), node: text('trace-node'),
        loss: Number(loss.loss), loss_after: loss.lossAfter === undefined ? null : Number(loss.lossAfter),
        figures: [...document.querySelectorAll('[data-testid=trace-step] figure[data-summary]')].map((f) => ({
            testid: f.dataset.testid, to: f.dataset.to || null, from: f.dataset.from || null,
            summary: JSON.parse(f.dataset.summary),
        })),
        formulas: [...document.querySelectorAll('[data-testid=trace-step] [data-testid=trace-formula]')].map((p) => p.textContent),
    };
}"""


# the node the graph marks, where it is, and which arrows flow: read from the page at a trace step
ON_GRAPH = """() => {
    const view = document.querySelector('[data-testid="graph-view"]');
    const marked = [...view.querySelectorAll('[aria-current]')];
    const inside = (b, a) => b.left >= a.left && b.right <= a.right && b.top >= a.top && b.bottom <= a.bottom;
    const screen = { left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight };
    const frame = view.querySelector('[data-graph-scroll]').getBoundingClientRect();
    const box = marked.length === 1 ? marked[0].getBoundingClientRect() : null;
    return {
        face: document.querySelector('[data-testid="network-face"]').value, shown: !view.hidden,
        marked: marked.map((g) => [g.tagName, g.dataset.node, g.getAttribute('aria-current'), g.dataset.current, g.dataset.phase]),
        on_screen: box !== null && box.width > 0 && box.height > 0 && inside(box, screen),
        in_frame: box !== null && inside(box, frame),
        flows: [...view.querySelectorAll('path.graph-edge[data-flow]')].map((p) => [p.dataset.edgeFrom, p.dataset.edgeTo, p.dataset.flow]),
        node: document.querySelector('[data-testid=trace-node]').textContent,
        phase: document.querySelector('[data-testid=trace-phase]').textContent,
    };
}"""


def check_on_graph(page, cli, phase, name):
    """At a node's step: the graph (the Nodes face, beside the trace's sheet) marks that node, the one
    trace-node names, wholly inside the viewport and its scroll frame; the arrows into it, and only
    they, carry the step's direction."""
    # the graph may be drawn after the trace's first step: it marks the current node once drawn
    page.wait_for_function(
        """(name) => { const g = document.querySelector('[data-testid="graph-view"] [aria-current="step"]');
                       return g !== null && g.dataset.node === name; }""", arg=name)
    seen = page.evaluate(ON_GRAPH)
    assert (seen["face"], seen["shown"], sheet_open(page)) == ("nodes", True, "trace")
    assert (seen["phase"], seen["node"]) == (phase, name)
    assert seen["marked"] == [["g", name, "step", "true", phase]]
    assert seen["on_screen"] and seen["in_frame"], (phase, name, page.viewport_size)
    [inbound] = [n["inbound"] for n in cli["nodes"] if n["name"] == name]
    assert sorted(seen["flows"]) == sorted([source, name, phase] for source in inbound)


def settings_of(page):
    value = lambda testid: page.input_value(tid(testid))  # noqa: E731
    return {"hidden": value("hidden-units"), "activation": value("activation-select"),
            "optimizer": value("optimizer-select"), "lr": value("learning-rate"), "batch-size": value("batch-size"),
            "l2": value("weight-decay"), "patience": value("early-stopping"), "seed": value("seed"),
            "scaling": value("scaling-select"), "epochs": value("epochs")}


def cli_trace(csv_path, target, settings, rows):
    options = [f"--{k}={v}" for k, v in settings.items()]
    done = subprocess.run([sys.executable, "-m", "fcnn", "trace", str(csv_path), "--target", target, *options,
                           "--rows", ",".join(map(str, rows)), "--json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def assert_shows(summary, value):
    """A figure's numbers against the CLI's array: every number when the page shows them, else the figures."""
    array = np.asarray(value, dtype=float)
    assert summary["shape"] == list(array.shape)
    if summary["values"] is not None:
        shown = np.asarray(summary["values"], dtype=float)
        np.testing.assert_allclose(shown, array.reshape(shown.shape), rtol=TOL["rel"], atol=TOL["abs"])
    for figure, expected in (("mean", array.mean()), ("min", array.min()), ("max", array.max()),
                             ("norm", np.linalg.norm(array))):
        assert summary[figure] == pytest.approx(float(expected), **TOL), figure


def gradient_into(cli, name):
    """dLoss/d(name's value) as the CLI's trace has it: the sum of what its outbound nodes sent back."""
    sent = [np.asarray(n["gradients"][name]) for n in cli["nodes"] if name in n["gradients"]]
    return sum(sent[1:], sent[0]) if sent else None


def check_step(shown, cli, step):
    by_name = {n["name"]: n for n in cli["nodes"]}
    if step["phase"] == "forward":
        [value] = [f for f in shown["figures"] if f["testid"] == "trace-value"]
        assert_shows(value["summary"], by_name[step["name"]]["value"])
        assert shown["formulas"] and shown["formulas"][0].strip()
        return
    node = by_name[step["name"]]
    expected = 1.0 if node is cli["nodes"][-1] else gradient_into(cli, step["name"])
    gradient = [f for f in shown["figures"] if f["testid"] == "trace-gradient"]
    assert len(gradient) == (0 if expected is None else 1)
    if gradient:
        assert_shows(gradient[0]["summary"], expected)
    sent = {f["to"]: f["summary"] for f in shown["figures"] if f["testid"] == "trace-sent"}
    assert sorted(sent) == sorted(node["gradients"])
    for name, summary in sent.items():
        assert_shows(summary, node["gradients"][name])
    steps = [f for f in shown["figures"] if f["testid"] == "trace-weight-step"]
    if step["name"] in cli["weights_before"]:
        after, before = np.asarray(cli["weights_after"][step["name"]]), np.asarray(cli["weights_before"][step["name"]])
        assert_shows(steps[0]["summary"], after - before)
    else:
        assert not steps


def step_through(page, cli, advance, at_step=lambda phase, name: None):
    """Steps from the first step to the update with ``advance``; checks each against the CLI's trace
    (and calls ``at_step(phase, name)`` on each node's step)."""
    names = [n["name"] for n in cli["nodes"]]
    expected = [("forward", n) for n in names] + [("backward", n) for n in reversed(names)] + [("update", "")]
    seen = []
    for index, (phase, name) in enumerate(expected):
        if index:
            advance()
        page.wait_for_selector(f'{tid("trace-panel")}[data-step="{index}"]')
        page.wait_for_selector(f'{tid("trace-loss")}[data-loss]')  # the loss comes with the part of the loss node
        shown = page.evaluate(READ_STEP)
        seen.append((shown["phase"], shown["node"]))
        assert shown["loss"] == pytest.approx(cli["loss"], **TOL)
        if phase != "update":
            check_step(shown, cli, {"phase": phase, "name": name})
            at_step(phase, name)
    assert seen == expected
    page.wait_for_selector(f'{tid("trace-step")}[data-taken="true"] {tid("trace-update-result")}')
    assert page.get_attribute(tid("trace-update-result"), "data-weights-match") == "true"
    # the update is no node's step: the graph marks none, and no arrow flows
    seen = page.evaluate(ON_GRAPH)
    assert (seen["marked"], seen["flows"]) == ([], [])
    shown = page.evaluate(READ_STEP)
    assert (shown["loss"], shown["loss_after"]) == (pytest.approx(cli["loss"], **TOL), pytest.approx(cli["loss_after"], **TOL))
    return expected


def start_trace(page):
    """Presses Trace before any training: a paused run at epoch 0, its first batch traced, on the
    Nodes face with the trace's sheet beside it. Answers the table rows."""
    assert page.input_value(tid("network-face")) == "neurons"  # the face a page opens with
    pressed = click_marked(page, "trace-button")
    page.wait_for_selector(f'{tid("trace-panel")}[data-trace="on"]')
    assert wait_for_run_state(page, "paused", after=pressed) == "paused"
    assert epoch_now(page) == 0
    assert (page.input_value(tid("network-face")), sheet_open(page)) == ("nodes", "trace")
    assert page.is_visible(tid("graph-view")) and page.is_visible(tid("trace-view"))
    return json.loads(page.get_attribute(tid("trace-panel"), "data-table-rows"))


def assert_weights_after(page, cli):
    model = json.loads(download(page, "download-model"))
    for name, after in cli["weights_after"].items():
        np.testing.assert_allclose(model["weights"][name], after, rtol=1e-9, atol=1e-9)


def resume_to_first_epoch(page):
    """Resume trains on from the stepped run; answers the first epoch's loss the page reported."""
    pressed = click_marked(page, "resume-button")
    found = wait_for_event(page, "fcnn:progress", "d.epochs.length > 0", after=pressed, timeout=120_000)
    assert found["detail"]["epochs"][0]["epoch"] == 1
    return found["detail"]["epochs"][0]["loss"]


def cpython_first_epoch_loss(csv_text, target, settings, traced_steps):
    """The same run in CPython: ``traced_steps`` traced and taken, then trained to the end of epoch 1."""
    session = Session()
    assert json.loads(session.load_csv(csv_text, "data.csv"))["ok"]
    config = {"target": target, "hidden_layers": [int(settings["hidden"])], "activation": settings["activation"],
              "optimizer": settings["optimizer"], "learning_rate": float(settings["lr"]),
              "batch_size": int(settings["batch-size"]), "weight_decay": float(settings["l2"]),
              "early_stopping": int(settings["patience"]), "seed": int(settings["seed"]),
              "scaling": settings["scaling"], "epochs": int(settings["epochs"])}
    assert json.loads(session.start(json.dumps(config)))["ok"]
    for _ in range(traced_steps):
        assert json.loads(session.trace_next_batch())["ok"] and json.loads(session.take_traced_step())["weights_match"]
    return json.loads(session.step())["epochs"][0][1]  # the rest of epoch 1, however many epochs the run has


def check_gradient(page, phase, name):
    """On W1's and linear1's backward steps: "Check this gradient" sets central differences beside it."""
    if phase != "backward" or name not in ("W1", "linear1"):
        return
    page.click(tid("trace-gradcheck"))
    found = page.wait_for_selector(f'{tid("trace-check")}[data-node="{name}"]')
    assert float(found.get_attribute("data-max-relative-error")) < 1e-5
    assert len(page.query_selector_all(f'{tid("trace-check")} tbody tr')) > 0


def left_the_trace(page):
    """The trace is off, the graph marks no node any more, and the trace's sheet is closed."""
    page.wait_for_selector(f'{tid("trace-panel")}[data-trace="off"]', state="attached")  # hidden with its sheet
    assert page.evaluate("window.__traceSteps.at(-1)") == {"name": None, "phase": None}
    assert page.evaluate(ON_GRAPH)["marked"] == []
    assert sheet_open(page) != "trace"


def leave_with_escape(page):
    page.keyboard.press("Escape")
    left_the_trace(page)
    assert sheet_open(page) is None


def test_the_xor_trace_shows_the_clis_numbers_and_its_step_is_counted(guarded_page, app_server, tmp_path):
    page = guarded_page
    page.add_init_script(RECORD_TRACE_STEPS)
    text, target = toy_csv("xor", seed=TOY_DATA_SEED)
    csv_path = tmp_path / "xor.csv"
    csv_path.write_text(text)
    page.set_viewport_size({"width": 1280, "height": 800})
    open_app(page, app_server)
    assert load_file(page, csv_path, target=target) == ""
    for testid, value in (("hidden-units", "4"), ("batch-size", "4"), ("early-stopping", "0"), ("epochs", "3"),
                          ("learning-rate", "0.1")):
        page.fill(tid(testid), value)
    page.select_option(tid("optimizer-select"), "sgd")
    settings = settings_of(page)
    rows = start_trace(page)
    assert len(rows) == 4
    cli = cli_trace(csv_path, target, settings, rows)

    def at_step(phase, name):
        check_on_graph(page, cli, phase, name)
        check_gradient(page, phase, name)

    expected = step_through(page, cli, lambda: page.click(tid("trace-next")), at_step)
    steps = page.evaluate("window.__traceSteps")
    assert [(s["phase"], s["name"] or "") for s in steps] == expected
    page.click(tid("trace-back"))
    page.wait_for_selector(f'{tid("trace-step")}[data-phase="backward"][data-node="X"]')
    check_on_graph(page, cli, "backward", "X")
    # a node clicked in the graph beside the trace: the trace jumps to its step in the current phase
    # (its numbers stay in the side panel: no formulas sheet replaces them)
    page.click(f'{tid("graph-view")} g[data-node="linear2"]')
    page.wait_for_selector(f'{tid("trace-step")}[data-phase="backward"][data-node="linear2"]')
    check_on_graph(page, cli, "backward", "linear2")
    # Save opens another sheet, which leaves the trace; its step was taken: the model is the CLI's after it
    assert_weights_after(page, cli)
    left_the_trace(page)
    assert sheet_open(page) == "save"
    # a second batch, played at 4 steps/s to its update
    page.click(tid("trace-button"))
    page.wait_for_selector(f'{tid("trace-panel")}[data-trace="on"][data-step="0"]')
    page.select_option(tid("trace-speed"), "4")
    page.click(tid("trace-play"))
    page.wait_for_selector(f'{tid("trace-step")}[data-taken="true"] {tid("trace-update-result")}', timeout=120_000)
    assert page.get_attribute(tid("trace-update-result"), "data-weights-match") == "true"
    assert epoch_now(page) == 0
    loss = resume_to_first_epoch(page)
    assert loss == pytest.approx(cpython_first_epoch_loss(text, target, settings, 2), rel=1e-9)
    leave_with_escape(page)


def test_the_boston_trace_by_keyboard_agrees_with_the_cli(guarded_page, app_server):
    page = guarded_page
    page.add_init_script(RECORD_TRACE_STEPS)
    page.set_viewport_size({"width": 1280, "height": 800})
    open_app(page, app_server)
    choose_sample(page, "boston")
    # the sample comes with its own settings; this test traces one layer of 8 relu units, Adam, batch 16, no L2
    while page.locator(f'{tid("layer-editor")} input').count() > 1:
        page.click(tid("remove-layer"))
    for testid, value in (("hidden-units", "8"), ("batch-size", "16"), ("weight-decay", "0"), ("early-stopping", "0"),
                          ("epochs", "100000")):  # the run is still training when Trace is pressed again below
        page.fill(tid(testid), value)
    page.select_option(tid("activation-select"), "relu")
    page.select_option(tid("optimizer-select"), "adam")
    settings = settings_of(page)
    rows = start_trace(page)
    assert len(rows) == int(settings["batch-size"]) == 16
    csv_path = ROOT / "static" / "data" / "boston.csv"
    cli = cli_trace(csv_path, "MEDV", settings, rows)
    step_through(page, cli, lambda: page.keyboard.press("ArrowRight"), lambda p, n: check_on_graph(page, cli, p, n))
    leave_with_escape(page)
    assert_weights_after(page, cli)  # the step the trace took, in the model Save downloads
    loss = resume_to_first_epoch(page)
    assert loss == pytest.approx(cpython_first_epoch_loss(csv_path.read_text(), "MEDV", settings, 1), rel=1e-9)
    # pressed while training, Trace pauses the run first, then traces its next mini-batch
    pressed = click_marked(page, "trace-button")
    assert wait_for_run_state(page, "paused", after=pressed) == "paused"
    page.wait_for_selector(f'{tid("trace-panel")}[data-trace="on"][data-step="0"]')
    assert [s["state"] for s in (e["detail"] for e in events(page, "fcnn:run-state", pressed))] == ["paused"]
    assert (page.text_content(tid("trace-phase")), page.text_content(tid("trace-node"))) == ("forward", "X")
    assert epoch_now(page) >= 1
    leave_with_escape(page)
