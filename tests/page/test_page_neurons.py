"""The Neurons face of the Network column and the weight/gradient-norm chart, on the real page.

The Neurons face (issue 20) draws the inputs, each hidden unit (its map over the input plane with
two features, its histogram of activations with more) and the outputs, with the weights as lines;
a column wider than 12 draws 12 and a "+N more" button that lists the rest in the side panel's
units sheet. The layer editor is the drawing's head row. The norms chart is in the "Norms &
gradients" sheet. What was drawn is read from what the views set once they drew (the maps'
data-epoch, the canvases' pixels, the lines' data-weight, the chart's own uPlot data) and compared
with what the engine reported (the page's fcnn:progress events, the model file); never from timing.
"""

import csv
import json

import pytest

from page_support import set_layers as support_set_layers
from page_support import (
    ROOT, choose_sample, click_marked, close_sheet, download, last_seq, open_app, open_sheet, progress_reports, received_epochs,
    set_viewport, sheet_open, tid, train_to_done, wait_for_epoch, wait_for_run_state, wait_state,
)

pytestmark = pytest.mark.browser

MAPS = tid("neuron-maps")
UNITS_DRAWN = 12  # facts.limits.units_drawn


def set_layers(page, widths, activation):
    """The hidden layers as ``widths`` (whatever the sample chose), and the activation."""
    support_set_layers(page, widths)
    page.select_option(tid("activation-select"), activation)


def show_face(page, face):
    """The Network column's face ("neurons" or "nodes"), chosen with its select as a person would."""
    page.select_option(tid("network-face"), face)
    assert page.is_visible(tid("neurons-face")) == (face == "neurons")
    assert page.is_visible(tid("graph-view")) == (face == "nodes")


def maps_epoch_above(page, epoch):
    """Waits until the maps were drawn for an epoch after ``epoch``; returns that epoch."""
    page.wait_for_function("([sel, e]) => Number(document.querySelector(sel).dataset.epoch ?? -1) > e", arg=[MAPS, epoch])
    return int(page.get_attribute(MAPS, "data-epoch"))


def drawn_maps(page):
    """Per hidden unit's canvas: its layer, unit, label, size, how many different colours its pixels
    have, and the share of its pixels that are painted (opaque)."""
    return page.eval_on_selector_all(
        f'{MAPS} [data-testid="neuron-map"]',
        """(canvases) => canvases.map((c) => {
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const colours = new Set();
            let painted = 0;
            for (let i = 0; i < d.length; i += 4) {
                colours.add(`${d[i]},${d[i + 1]},${d[i + 2]},${d[i + 3]}`);
                if (d[i + 3] > 0) painted++;
            }
            return { layer: Number(c.dataset.layer), unit: Number(c.dataset.unit), label: c.getAttribute('aria-label'),
                     size: [c.width, c.height], colours: colours.size, painted: painted / (d.length / 4) };
        })""",
    )


# the units drawn, column by column: [kind, layer, [unit numbers], [names], "+N more" text or null]
COLUMNS_JS = """() => [...document.querySelectorAll('#neuron-maps .neuron-column')].map((column) => {
    const units = [...column.querySelectorAll('[data-testid=neuron]')];
    const more = column.querySelector('[data-testid=more-units]');
    return [column.dataset.kind, units.length ? Number(units[0].dataset.layer) : null,
            units.map((u) => Number(u.dataset.unit)), units.map((u) => u.querySelector('.unit-name')?.textContent ?? null),
            more ? more.textContent : null];
})"""


def columns(page):
    return page.evaluate(COLUMNS_JS)


def edges(page):
    """The weights' lines: [pair of columns, from, to, class, stroke width, data-weight or None]."""
    return page.eval_on_selector_all(
        f'{tid("neuron-view")} [data-testid="neuron-edge"]',
        """(lines) => lines.map((l) => [Number(l.dataset.layer), Number(l.dataset.from), Number(l.dataset.to),
                                         l.getAttribute('class'), Number(l.getAttribute('stroke-width')),
                                         l.dataset.weight === undefined ? null : Number(l.dataset.weight)])""",
    )


def test_two_features_one_map_per_hidden_unit_redrawn_while_training(guarded_page, app_server):
    page = guarded_page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_app(page, app_server)
    choose_sample(page, "circles")
    assert page.input_value(tid("network-face")) == "neurons" and page.is_visible(MAPS)  # the face a page opens with
    set_layers(page, [5, 3], "tanh")
    page.fill(tid("epochs"), "100000")
    page.fill(tid("early-stopping"), "0")  # only Stop ends this run
    pressed = click_marked(page, "train-button")
    # drawn at the start, then again and again while the run trains (the face is on screen)
    first = maps_epoch_above(page, 0)
    second = maps_epoch_above(page, first)
    assert page.get_attribute(tid("status"), "data-state") == "training"
    reported = [e["epoch"] for e in received_epochs(page, after=pressed)]
    assert first in reported and second in reported
    stopped = click_marked(page, "stop-button")
    assert wait_for_run_state(page, "done", after=stopped) == "done"
    wait_state(page, "done")
    last = [e["epoch"] for e in received_epochs(page, after=pressed)][-1]
    # the run's end is drawn too: the maps show the model the run ended with
    if last != second:
        maps_epoch_above(page, last - 1)
    assert int(page.get_attribute(MAPS, "data-epoch")) == last
    assert page.get_attribute(MAPS, "data-kind") == "grid" and page.get_attribute(MAPS, "data-source") == "run"
    maps = drawn_maps(page)
    assert [(m["layer"], m["unit"]) for m in maps] == [(1, u) for u in range(1, 6)] + [(2, u) for u in range(1, 4)]
    assert all(m["label"] == f"layer {m['layer']} unit {m['unit']}: its output over the plane" for m in maps)
    # each unit's canvas is its map: every pixel painted, and its output varies over the plane once
    # trained: not one flat colour
    assert all(m["painted"] == 1 and m["size"][0] == m["size"][1] > 1 for m in maps), maps
    assert all(m["colours"] > 10 for m in maps), maps
    # the columns: the two inputs, 5 and 3 units (none left undrawn), the output; the editor's heads say so
    drawn = columns(page)
    assert [(c[0], c[1], c[2], c[4]) for c in drawn] == [
        ("input", 0, [1, 2], None), ("hidden", 1, [1, 2, 3, 4, 5], None), ("hidden", 2, [1, 2, 3], None),
        ("output", 3, [1], None)]
    assert drawn[0][3] == page.eval_on_selector_all(f'{tid("feature-checkbox")}:checked', "bs => bs.map((b) => b.value)")
    assert [page.input_value(tid("hidden-units")), page.input_value(tid("hidden-units-2"))] == ["5", "3"]
    assert "x1 → across, x2 ↑ up" in page.text_content(tid("neuron-maps-note"))
    # the lines are the run's weights: one per pair of units drawn, blue (pos) or orange (neg) by
    # sign, wider when larger; the same numbers as the model file's W1, W2, W3
    model = json.loads(download(page, "download-model"))
    lines = edges(page)
    assert sorted((l[0], l[1], l[2]) for l in lines) == sorted(
        [(0, i, j) for i in range(2) for j in range(5)] + [(1, i, j) for i in range(5) for j in range(3)]
        + [(2, i, 0) for i in range(3)])
    for layer, i, j, kind, width, weight in lines:
        assert weight == pytest.approx(model["weights"][f"W{layer + 1}"][i][j], rel=1e-12, abs=1e-15)
        assert kind == ("neuron-edge pos" if weight >= 0 else "neuron-edge neg")
    by_size = sorted(lines, key=lambda l: abs(l[5]))
    assert [l[4] for l in by_size] == sorted(l[4] for l in lines) and by_size[-1][4] == pytest.approx(4.0)


def test_more_features_one_histogram_per_unit_and_wide_layers_say_so(guarded_page, app_server):
    page = guarded_page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_app(page, app_server)
    choose_sample(page, "iris")
    set_layers(page, [20, 4], "sigmoid")
    show_face(page, "nodes")  # the Neurons face hidden: its maps are not on screen
    assert train_to_done(page, epochs=5) == "done"
    # hidden, the maps were never asked for; shown again, they show the run's end
    assert page.get_attribute(MAPS, "data-epoch") is None
    show_face(page, "neurons")
    assert maps_epoch_above(page, 4) == 5
    assert page.get_attribute(MAPS, "data-kind") == "histogram"
    maps = drawn_maps(page)
    # the first 12 of the 20 units of layer 1 and a "+8 more", and all 4 of layer 2
    assert [(m["layer"], m["unit"]) for m in maps] == [(1, u) for u in range(1, 13)] + [(2, u) for u in range(1, 5)]
    drawn = columns(page)
    assert [(c[0], c[1], c[2], c[4]) for c in drawn] == [
        ("input", 0, [1, 2, 3, 4], None), ("hidden", 1, list(range(1, 13)), "+8 more"), ("hidden", 2, [1, 2, 3, 4], None),
        ("output", 3, [1, 2, 3], None)]
    assert page.get_attribute(f'{MAPS} {tid("more-units")}', "aria-label") == "8 more units of layer 1: list them"
    # bars were drawn (some pixels painted, not all), and each label says the range the bars span (a sigmoid's: inside 0–1)
    assert all(m["colours"] > 1 and 0 < m["painted"] < 1 for m in maps), maps
    for m in maps:
        name, span = m["label"].split(": histogram of its activations, ")
        assert name == f"layer {m['layer']} unit {m['unit']}"
        low, high = (float(v) for v in span.split(" – "))
        assert 0 <= low < high <= 1
    assert "test rows" in page.text_content(tid("neuron-maps-note"))
    # "+8 more" lists units 13–20 in the side panel, each with its bias and incoming weights' norm
    page.click(f'{MAPS} {tid("more-units")}')
    assert sheet_open(page) == "units"
    assert page.text_content(tid("units-title")) == "layer 1: the 8 not drawn"
    page.wait_for_function("""() => { const items = [...document.querySelectorAll('[data-testid=units-list] li')];
                                      return items.length === 8 && items.every((li) => li.textContent.includes('bias')); }""")
    assert page.get_attribute(f'{tid("units-list")} ol', "start") == "13"
    listed = page.eval_on_selector_all(f'{tid("units-list")} li', "items => items.map((li) => li.textContent)")
    model = json.loads(download(page, "download-model"))
    weights, biases = model["weights"]["W1"], model["weights"]["b1"]
    assert len(listed) == 8
    for unit, text in zip(range(13, 21), listed):
        head, figures = text.split(": bias ")
        bias, norm = (float(v) for v in figures.split(", ‖incoming weights‖ "))
        assert head == f"unit {unit}"
        assert bias == pytest.approx(_flat(biases)[unit - 1], abs=5e-5, rel=5e-4)
        assert norm == pytest.approx(sum(row[unit - 1] ** 2 for row in weights) ** 0.5, abs=5e-5, rel=5e-4)

    # on a phone, a new run trained while another tab (Output) is shown: its maps are never asked
    # for; the Network tab shown again, they catch up to the run's end
    close_sheet(page)
    set_viewport(page, 390, 844)
    page.fill(tid("epochs"), "3")  # on the Network tab
    page.click(tid("tab-output"))
    assert page.is_hidden(MAPS) and page.is_visible(tid("train-button"))
    pressed = last_seq(page)
    assert train_to_done(page) == "done"
    left_over = page.get_attribute(MAPS, "data-epoch")  # None: no maps drawn for this run (asserted last)
    last = received_epochs(page, after=pressed)[-1]["epoch"]
    assert last == 3
    page.click(tid("tab-network"))
    page.wait_for_selector(f'{MAPS}[data-epoch="{last}"]')
    assert page.get_attribute(MAPS, "data-kind") == "histogram"
    assert all(0 < m["painted"] < 1 for m in drawn_maps(page))
    assert left_over is None, f"while the run trained unseen, the maps claimed epoch {left_over} of the run before"


def _flat(values):
    """A bias as the model file holds it: a vector, or a 1 × n matrix."""
    return values[0] if values and isinstance(values[0], list) else values


def layer_heads(page):
    """The layer editor's controls in the order Tab reaches them: [testid, disabled]."""
    return page.eval_on_selector_all(f'{tid("layer-editor")} input, {tid("layer-editor")} button',
                                     "cs => cs.map((c) => [c.dataset.testid, c.disabled])")


def focused(page):
    return page.evaluate("() => document.activeElement.dataset.testid")


def test_thirty_inputs_a_wide_layer_and_the_unit_buttons(guarded_page, app_server):
    page = guarded_page
    page.set_viewport_size({"width": 1280, "height": 800})
    open_app(page, app_server)
    choose_sample(page, "breast_cancer")
    with open(ROOT / "static" / "data" / "breast_cancer.csv", newline="") as f:
        names = [n for n in next(csv.reader(f)) if n != "diagnosis"]
    assert len(names) == 30
    assert page.eval_on_selector_all(f'{tid("feature-checkbox")}:checked', "bs => bs.map((b) => b.value)") == names
    # the planned network (no run yet): 12 of the 30 inputs and "+18 more", 12 of the sample's 16 units and "+4 more"
    assert page.get_attribute(MAPS, "data-source") == "planned"
    assert page.input_value(tid("hidden-units")) == "16"
    drawn = columns(page)
    assert drawn == [["input", 0, list(range(1, 13)), names[:12], "+18 more"],
                     ["hidden", 1, list(range(1, 13)), [None] * 12, "+4 more"], ["output", 2, [1], ["P(malignant)"], None]]
    # "+18 more" lists the 18 other inputs by name, in the side panel's units sheet
    page.click(f'{MAPS} .neuron-column[data-kind="input"] {tid("more-units")}')
    assert sheet_open(page) == "units" and page.is_visible(tid("units-list"))
    assert page.text_content(tid("units-title")) == "30 inputs: the 18 not drawn"
    assert page.get_attribute(f'{tid("units-list")} ol', "start") == "13"
    assert page.eval_on_selector_all(f'{tid("units-list")} li', "items => items.map((li) => li.textContent)") == names[12:]
    # Enter on the layer's "+4 more" lists its units 13–16 (no run yet: no figures)
    page.focus(f'{MAPS} .neuron-column[data-kind="hidden"] {tid("more-units")}')
    page.keyboard.press("Enter")
    assert page.text_content(tid("units-title")) == "layer 1: the 4 not drawn"
    assert page.eval_on_selector_all(f'{tid("units-list")} li', "items => items.map((li) => li.textContent)") == [
        f"unit {u}" for u in range(13, 17)]
    page.keyboard.press("Escape")
    assert sheet_open(page) is None

    def hidden_drawn(layer):
        [column] = [c for c in columns(page) if c[0] == "hidden" and c[1] == layer]
        return len(column[2]), column[4]

    def pair_lines(pair):
        return sum(1 for line in edges(page) if line[0] == pair)

    # − and + of layer 1, by keyboard: Shift+Tab from its width reaches −, Tab then the width and +
    page.focus(tid("hidden-units"))
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "remove-unit-1"
    for width in (15, 14, 13, 12, 11):
        page.keyboard.press("Enter")
        assert page.input_value(tid("hidden-units")) == str(width)
        assert hidden_drawn(1) == (min(width, UNITS_DRAWN), f"+{width - UNITS_DRAWN} more" if width > UNITS_DRAWN else None)
    assert (pair_lines(0), pair_lines(1)) == (12 * 11, 11 * 1)  # the planned drawing's lines follow
    page.keyboard.press("Tab")
    assert focused(page) == "hidden-units"
    page.keyboard.press("Tab")
    assert focused(page) == "add-unit-1"
    for width in (12, 13):
        page.keyboard.press("Enter")
        assert page.input_value(tid("hidden-units")) == str(width)
    assert hidden_drawn(1) == (12, "+1 more")
    assert page.get_attribute(MAPS, "data-source") == "planned"
    # a second layer (a copy of the last one's width) has its own − and +
    page.click(tid("add-layer"))
    assert page.input_value(tid("hidden-units-2")) == "13"
    page.click(tid("remove-unit-2"))
    assert (page.input_value(tid("hidden-units")), page.input_value(tid("hidden-units-2"))) == ("13", "12")
    assert hidden_drawn(2) == (12, None) and hidden_drawn(1) == (12, "+1 more")
    page.click(tid("remove-unit-2"))
    assert hidden_drawn(2) == (11, None) and pair_lines(1) == 12 * 11
    page.click(tid("add-unit-2"))
    assert page.input_value(tid("hidden-units-2")) == "12"
    heads = layer_heads(page)
    assert [h[0] for h in heads] == ["remove-unit-1", "hidden-units", "add-unit-1",
                                     "remove-unit-2", "hidden-units-2", "add-unit-2"]
    assert not any(disabled for _, disabled in heads)

    # while a run trains, and while it is paused, the layers are the run's: every control is disabled
    page.fill(tid("epochs"), "100000")
    page.fill(tid("early-stopping"), "0")
    pressed = click_marked(page, "train-button")
    wait_for_epoch(page, 1, after=pressed)
    assert page.get_attribute(tid("status"), "data-state") == "training"
    assert all(disabled for _, disabled in layer_heads(page)), layer_heads(page)
    assert page.is_disabled(tid("add-layer")) and page.is_disabled(tid("remove-layer"))
    click_marked(page, "pause-button")
    wait_for_run_state(page, "paused", after=pressed)
    assert all(disabled for _, disabled in layer_heads(page)), layer_heads(page)
    stopped = click_marked(page, "stop-button")
    wait_for_run_state(page, "done", after=stopped)
    assert not any(disabled for _, disabled in layer_heads(page)), layer_heads(page)
    # the run's own network is drawn now: its 13 and 12 units, 12 of the first drawn
    assert page.get_attribute(MAPS, "data-source") == "run"
    assert (hidden_drawn(1), hidden_drawn(2)) == ((12, "+1 more"), (12, None))


def chart_series(page):
    return page.evaluate(
        """() => { const p = window.fcnnNormsChart;
                   return { labels: p.series.map((s) => s.label), distr: p.scales.y.distr, data: p.data,
                            dashed: p.series.map((s) => Boolean(s.dash)) }; }"""
    )


def chart_drawn(page, reports):
    """Opens the "Norms & gradients" sheet, as a person would to read the chart, and waits until the
    chart says it drew every epoch reported; returns its data."""
    open_sheet(page, "inside")
    last = [r for report in reports for r in report["layer_norms"]][-1][0]
    page.wait_for_function("(n) => document.querySelector('[data-testid=gradient-norms-chart]').getAttribute('aria-label')"
                           ".includes(`: epochs 1–${n};`)", arg=last)
    assert page.is_visible(tid("gradient-norms-chart"))
    return chart_series(page)


def expected_series(reports):
    """The chart's data as the engine's layer_norms give it: [epochs, ‖W1‖, ‖dL/dW1‖, ‖W2‖, …];
    a norm that is not finite (null) or not positive is a gap on a log scale."""
    records = [r for report in reports for r in report["layer_norms"]]
    layers = len(records[0][1])
    columns = [[r[0] for r in records]]
    for i in range(layers):
        columns.append([r[1][i] if r[1][i] and r[1][i] > 0 else None for r in records])
        columns.append([r[2][i] if r[2][i] and r[2][i] > 0 else None for r in records])
    return columns


def test_gradient_norm_chart_holds_the_engines_norms_and_shows_them_vanishing(guarded_page, app_server):
    page = guarded_page
    open_app(page, app_server)
    choose_sample(page, "circles")
    set_layers(page, [8] * 8, "sigmoid")
    # what the vanishing below relies on, whatever the sample's own settings
    page.select_option(tid("optimizer-select"), "adam")
    for testid, value in (("learning-rate", "0.003"), ("batch-size", "16"), ("weight-decay", "0"), ("seed", "20"),
                          ("epochs", "15")):
        page.fill(tid(testid), value)
    pressed = click_marked(page, "train-button")
    assert wait_for_run_state(page, "done", "failed", after=pressed, timeout=120_000) == "done"
    reports = progress_reports(page, after=pressed)
    chart = chart_drawn(page, reports)
    assert chart["distr"] == 3  # a log scale
    labels = ["epoch"] + [f"layer {l} {n}" for l in range(1, 10) for n in ("‖W‖", "‖dL/dW‖")]
    assert chart["labels"] == labels
    assert chart["dashed"] == [False] + [False, True] * 9  # weights solid, gradients dashed
    expected = expected_series(reports)
    assert chart["data"][0] == expected[0] == list(range(1, len(expected[0]) + 1))
    for got, want in zip(chart["data"][1:], expected[1:]):
        assert got == pytest.approx(want, rel=1e-12)
    # sigmoid through 8 layers: the last epoch's gradient norms fall layer by layer from the
    # output toward the input (each sigmoid's slope is at most 1/4)
    last_gradients = [chart["data"][2 + 2 * i][-1] for i in range(9)]
    assert all(a < b for a, b in zip(last_gradients, last_gradients[1:])), last_gradients
    assert last_gradients[0] < 1e-3 * last_gradients[-1]
    # the validation accuracy the engine reported, under the chart
    accuracy = [a for report in reports for a in report["val_accuracy"]]
    assert accuracy and page.text_content(tid("val-accuracy")).startswith(f"Validation accuracy at epoch {accuracy[-1][0]}:")

    # a new run starts the chart afresh, with its own layers
    for _ in range(6):
        page.click(tid("remove-layer"))
    pressed = last_seq(page)
    assert train_to_done(page, epochs=3) == "done"
    chart = chart_drawn(page, progress_reports(page, after=pressed))
    assert chart["labels"] == ["epoch", "layer 1 ‖W‖", "layer 1 ‖dL/dW‖", "layer 2 ‖W‖", "layer 2 ‖dL/dW‖", "layer 3 ‖W‖",
                               "layer 3 ‖dL/dW‖"]
    assert chart["data"][0] == [1, 2, 3]
