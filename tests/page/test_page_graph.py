"""The Graph view (issue 11, outcome 1) in the real page: the engine's node graph drawn, checked
against Session.graph_view computed in CPython for the same table and settings. It is the Network
column's "Nodes" face (issue 20): a test shows that face as a person would, with its select."""

import inspect
import json

import pytest

from fcnn.engine import nodes as engine_nodes
from fcnn.web.session import Session
from page_support import (choose_sample, click_marked, close_sheet, load_file, open_app, set_viewport, sheet_open, tid,
                          wait_for_run_state)

pytestmark = pytest.mark.browser

GRAPH = tid("graph-view")
# the graph view's own events, recorded from the page's first script on
RECORD_GRAPH_EVENTS_JS = """(() => {
    window.__graphEvents = [];
    for (const name of ["fcnn:graph-drawn", "fcnn:node-chosen"]) {
        document.addEventListener(name, (e) => window.__graphEvents.push({ name, detail: e.detail }));
    }
})();"""
# the settings as the page's controls hold them (what Train, and the graph view, send)
PAGE_SETTINGS_JS = """() => {
    const value = (id) => document.querySelector(`[data-testid="${id}"]`).value;
    return {
        target: value('target-select'), task: value('task-select'), test_fraction: value('test-fraction'),
        scaling: value('scaling-select'), activation: value('activation-select'), seed: value('seed'),
        hidden_layers: [...document.querySelectorAll('#layer-editor input')].map((i) => i.value),
        features: [...document.querySelectorAll('#feature-list input[type=checkbox]')].filter((b) => b.checked).map((b) => b.value),
    };
}"""
# what the page drew: nodes in document order, edges, and each box's place on the page
DRAWN_JS = """() => {
    const view = document.querySelector('[data-testid="graph-view"]');
    const box = (g) => { const r = g.querySelector('rect').getBoundingClientRect();
                         return { left: r.left, right: r.right, centre: (r.left + r.right) / 2 }; };
    return {
        drawn: Number(view.dataset.drawn), source: view.dataset.source, signature: view.dataset.signature,
        nodes: [...view.querySelectorAll('g[data-node]')].map((g) => ({
            name: g.dataset.node, kind: g.dataset.kind, label: g.getAttribute('aria-label'),
            texts: [...g.querySelectorAll('text')].map((t) => t.textContent), box: box(g),
            tabindex: g.getAttribute('tabindex'), role: g.getAttribute('role') })),
        edges: [...view.querySelectorAll('path[data-edge-from]')].map((p) => [p.dataset.edgeFrom, p.dataset.edgeTo, p.getAttribute('marker-end')]),
    };
}"""


@pytest.fixture
def graph_page(guarded_page, app_server):
    guarded_page.add_init_script(RECORD_GRAPH_EVENTS_JS)
    open_app(guarded_page, app_server)
    return guarded_page


def engine_graph(load, settings):
    """Session.graph_view in CPython for the table ``load`` puts in a session."""
    session = Session()
    assert json.loads(load(session))["ok"]
    answer = json.loads(session.graph_view(json.dumps(settings)))
    assert answer["ok"], answer
    return answer


def show_nodes_face(page):
    """The Network column's Nodes face, chosen with its select (the graph is drawn only while shown)."""
    if page.input_value(tid("network-face")) != "nodes":
        page.select_option(tid("network-face"), "nodes")
    page.wait_for_selector(f"{GRAPH}:not([hidden])")
    assert page.is_hidden(tid("neurons-face"))


def wait_drawn_as(page, expected, after=0):
    """Waits until the page's drawing (one after drawing number ``after``) has exactly the expected
    nodes in order; returns what it drew."""
    names = [n["name"] for n in expected["nodes"]]
    show_nodes_face(page)
    page.wait_for_function(
        """([names, after]) => { const view = document.querySelector('[data-testid="graph-view"]');
            const drawn = [...view.querySelectorAll('g[data-node]')].map((g) => g.dataset.node);
            return Number(view.dataset.drawn) > after && JSON.stringify(drawn) === JSON.stringify(names); }""",
        arg=[names, after],
    )
    return page.evaluate(DRAWN_JS)


def check_drawing(drawn, expected):
    """The drawing is the engine's graph: every node once, the arrows its edges, left to right,
    each weight in the column just before the node it feeds."""
    assert [(n["name"], n["kind"]) for n in drawn["nodes"]] == [(n["name"], n["kind"]) for n in expected["nodes"]]
    assert sorted(e[:2] for e in drawn["edges"]) == sorted(expected["edges"])
    assert all(e[2] == "url(#graph-arrow)" for e in drawn["edges"])
    boxes = {n["name"]: n["box"] for n in drawn["nodes"]}
    for source, target in expected["edges"]:
        assert boxes[source]["right"] < boxes[target]["left"], f"the arrow {source} → {target} does not run left to right"
    columns = sorted({round(b["centre"]) for b in boxes.values()})
    column = {name: columns.index(round(b["centre"])) for name, b in boxes.items()}
    for node in expected["nodes"]:
        if node["category"] == "weight":
            assert column[node["name"]] == column[node["feeds"]] - 1, node["name"]
    for shown, node in zip(drawn["nodes"], expected["nodes"]):
        shape = " × ".join(map(str, node["shape"])) if node["shape"] else "scalar"
        assert shown["texts"] == [node["name"], node["kind"], shape]
        assert shown["label"].startswith(f"{node['name']}, {node['kind']}, shape {shape}")
        assert (shown["tabindex"], shown["role"]) == ("0", "button")


def graph_events(page, name):
    return [e["detail"] for e in page.evaluate("window.__graphEvents") if e["name"] == name]


def test_the_drawn_graph_is_the_engines_and_a_chosen_node_shows_its_formulas(graph_page):
    page = graph_page
    choose_sample(page, "xor")
    expected = engine_graph(lambda s: s.load_sample("xor", 0), page.evaluate(PAGE_SETTINGS_JS))
    drawn = wait_drawn_as(page, expected)
    check_drawing(drawn, expected)
    assert drawn["source"] == "settings" and graph_events(page, "fcnn:graph-drawn")[-1]["nodes"] == len(expected["nodes"])

    # Tab reaches the nodes, in topological order (the seed is the last setting before the drawing)
    page.focus(tid("seed"))
    for _ in range(20):
        if page.evaluate("() => document.activeElement.matches('g[data-node]')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.node") == expected["nodes"][0]["name"]
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.node") == expected["nodes"][1]["name"]

    # Enter on a focused node and a click show the kind's docstring beside the drawing (the side
    # panel's node sheet), and tell the page
    assert sheet_open(page) is None
    page.focus('g[data-node="linear1"]')
    page.keyboard.press("Enter")
    assert sheet_open(page) == "node" and page.is_visible(tid("graph-node-doc"))
    assert page.is_visible('g[data-node="linear1"]')  # the drawing stays on screen beside it
    assert page.text_content(tid("graph-node-doc")) == inspect.getdoc(engine_nodes.LinearNode)
    assert page.text_content(tid("graph-node-doc-title")) == "linear1 · LinearNode"
    page.click(f'{GRAPH} g[data-node="binary_cross_entropy"]')
    assert page.text_content(tid("graph-node-doc")) == inspect.getdoc(engine_nodes.BinaryCrossEntropyNode)
    assert graph_events(page, "fcnn:node-chosen") == [{"name": "linear1"}, {"name": "binary_cross_entropy"}]
    page.focus('g[data-node="W2"]')
    page.keyboard.press(" ")
    assert page.text_content(tid("graph-node-doc")) == inspect.getdoc(engine_nodes.WeightNode)

    # the trace panel's step marks its node, and the end of the trace clears the mark
    marked = """() => [...document.querySelectorAll('[data-testid="graph-view"] g[data-current="true"]')]
                      .map((g) => [g.dataset.node, g.dataset.phase, g.getAttribute('aria-current')])"""
    page.evaluate("() => document.dispatchEvent(new CustomEvent('fcnn:trace-step', {detail: {name: 'relu1', phase: 'forward'}}))")
    assert page.evaluate(marked) == [["relu1", "forward", "step"]]
    page.evaluate("() => document.dispatchEvent(new CustomEvent('fcnn:trace-step', {detail: {name: 'W1', phase: 'backward'}}))")
    assert page.evaluate(marked) == [["W1", "backward", "step"]]
    page.evaluate("() => document.dispatchEvent(new CustomEvent('fcnn:trace-step', {detail: {name: null, phase: null}}))")
    assert page.evaluate(marked) == []
    assert page.evaluate("() => document.querySelectorAll('[data-testid=\"graph-view\"] [aria-current]').length") == 0

    # on a phone (the formulas closed, the Network tab shown) the graph scrolls inside its frame,
    # and the traced node is scrolled into it
    close_sheet(page)
    set_viewport(page, 390, 844)
    page.click(tid("tab-network"))
    assert page.is_visible(GRAPH)
    for name in ("binary_cross_entropy", "X"):
        page.evaluate("(name) => document.dispatchEvent(new CustomEvent('fcnn:trace-step', {detail: {name, phase: 'forward'}}))", name)
        scrolls, inside = page.evaluate(
            """(name) => { const frame = document.querySelector('[data-testid="graph-view"] [data-graph-scroll]');
                           const a = frame.getBoundingClientRect();
                           const b = frame.querySelector(`g[data-node="${name}"]`).getBoundingClientRect();
                           return [frame.scrollWidth > frame.clientWidth,
                                   b.left >= a.left && b.right <= a.right && b.top >= a.top && b.bottom <= a.bottom]; }""",
            name,
        )
        assert scrolls and inside, name


LOSS_KINDS = {"regression": "MseNode", "binary": "BinaryCrossEntropyNode", "multiclass": "SoftmaxCrossEntropyNode"}


def test_the_graph_follows_layers_activation_task_and_a_new_run(graph_page):
    page = graph_page
    rows = "\n".join(f"{i % 7},{i * 3 % 5},{i % 2}" for i in range(60))  # a 0/1 target: every task trains on it
    csv = "a,b,t\n" + rows + "\n"
    assert load_file(page, csv, name="zero-one.csv", target="t") == ""

    def expect_now():
        return engine_graph(lambda s: s.load_csv(csv, "zero-one.csv"), page.evaluate(PAGE_SETTINGS_JS))

    drawn = wait_drawn_as(page, expect_now())
    for task in ("regression", "binary", "multiclass"):
        page.select_option(tid("task-select"), task)
        expected = expect_now()
        assert expected["nodes"][-1]["kind"] == LOSS_KINDS[task]
        drawn = wait_drawn_as(page, expected, after=drawn["drawn"])
        check_drawing(drawn, expected)
        assert drawn["nodes"][-1]["kind"] == LOSS_KINDS[task]
        assert issubclass(getattr(engine_nodes, drawn["nodes"][-1]["kind"]), engine_nodes.LossNode)  # the engine's class

    page.click(f'{GRAPH} g[data-node="linear1"]')
    assert sheet_open(page) == "node"
    page.click(tid("add-layer"))
    expected = expect_now()
    drawn = wait_drawn_as(page, expected, after=drawn["drawn"])
    check_drawing(drawn, expected)
    assert sum(n["kind"] == "LinearNode" for n in drawn["nodes"]) == 3
    # the chosen node stays chosen through a redraw, which tells the page nothing new
    assert page.text_content(tid("graph-node-doc-title")) == "linear1 · LinearNode"
    assert page.get_attribute(f'{GRAPH} g[data-node="linear1"]', "data-chosen") == ""
    assert graph_events(page, "fcnn:node-chosen") == [{"name": "linear1"}]

    page.select_option(tid("activation-select"), "tanh")
    expected = expect_now()
    drawn = wait_drawn_as(page, expected, after=drawn["drawn"])
    check_drawing(drawn, expected)
    assert [n["kind"] for n in drawn["nodes"]].count("TanhNode") == 2

    # a new run: its own network is drawn once it has started
    pressed = click_marked(page, "train-button")
    wait_for_run_state(page, "done", "failed", after=pressed)
    page.wait_for_function("(n) => { const v = document.querySelector('[data-testid=\"graph-view\"]');"
                           " return Number(v.dataset.drawn) > n && v.dataset.source === 'run'; }", arg=drawn["drawn"])
    check_drawing(page.evaluate(DRAWN_JS), expected)
