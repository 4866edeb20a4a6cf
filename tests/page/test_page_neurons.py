"""The neuron maps (panel 5) and the weight/gradient-norm chart (panel 3), on the real page.

What was drawn is read from what the views set once they drew (the maps' data-epoch,
the canvases' pixels, the chart's own uPlot data) and compared with what the engine
reported in the page's fcnn:progress events; never from timing.
"""

import pytest

from page_support import (
    choose_sample, click_marked, open_app, progress_reports, received_epochs, tid, train_to_done, wait_for_epoch, wait_for_run_state, wait_state,
)

pytestmark = pytest.mark.browser

MAPS = tid("neuron-maps")


def set_layers(page, widths, activation):
    for _ in widths[1:]:
        page.click(tid("add-layer"))
    for i, width in enumerate(widths, start=1):
        page.fill(tid("hidden-units" if i == 1 else f"hidden-units-{i}"), str(width))
    page.select_option(tid("activation-select"), activation)


def maps_epoch_above(page, epoch):
    """Waits until the maps were drawn for an epoch after ``epoch``; returns that epoch."""
    page.wait_for_function("([sel, e]) => Number(document.querySelector(sel).dataset.epoch ?? -1) > e", arg=[MAPS, epoch])
    return int(page.get_attribute(MAPS, "data-epoch"))


def drawn_maps(page):
    """Per map canvas: its layer, unit, label, and how many different colours its pixels have."""
    return page.eval_on_selector_all(
        f'{MAPS} [data-testid="neuron-map"]',
        """(canvases) => canvases.map((c) => {
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            const colours = new Set();
            for (let i = 0; i < d.length; i += 4) colours.add(`${d[i]},${d[i + 1]},${d[i + 2]},${d[i + 3]}`);
            return { layer: Number(c.dataset.layer), unit: Number(c.dataset.unit), label: c.getAttribute('aria-label'),
                     caption: c.nextElementSibling.textContent, colours: colours.size };
        })""",
    )


def test_two_features_one_map_per_hidden_unit_redrawn_while_training(guarded_page, app_server):
    page = guarded_page
    page.set_viewport_size({"width": 1280, "height": 900})
    open_app(page, app_server)
    choose_sample(page, "circles")
    set_layers(page, [5, 3], "tanh")
    page.fill(tid("epochs"), "100000")
    page.fill(tid("early-stopping"), "0")  # only Stop ends this run
    pressed = click_marked(page, "train-button")
    wait_for_epoch(page, 1, after=pressed)  # the panels above have taken their trained sizes
    page.locator(MAPS).scroll_into_view_if_needed()  # the maps are asked for only while on screen
    # drawn at the start, then again and again while the run trains
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
    assert page.get_attribute(MAPS, "data-kind") == "grid"
    maps = drawn_maps(page)
    assert [(m["layer"], m["unit"]) for m in maps] == [(1, u) for u in range(1, 6)] + [(2, u) for u in range(1, 4)]
    assert all(m["label"] == m["caption"] == f"layer {m['layer']} unit {m['unit']}" for m in maps)
    # each unit's output varies over the plane once trained: its map is not one flat colour
    assert all(m["colours"] > 10 for m in maps), maps
    titles = page.eval_on_selector_all(f"{MAPS} .neuron-layer-title", "els => els.map((e) => e.textContent)")
    assert titles == ["layer 1: 5 units", "layer 2: 3 units"]
    assert "x1 → across, x2 ↑ up" in page.text_content(tid("neuron-maps-note"))


def test_more_features_one_histogram_per_unit_and_wide_layers_say_so(guarded_page, app_server):
    page = guarded_page
    open_app(page, app_server)
    choose_sample(page, "iris")
    set_layers(page, [20, 4], "sigmoid")
    page.evaluate("() => window.scrollTo(0, 0)")  # panel 5 is far below the first screen
    assert train_to_done(page, epochs=5) == "done"
    # off screen, the maps were never asked for; scrolled into view, they show the run's end
    assert page.get_attribute(MAPS, "data-epoch") is None
    page.locator(MAPS).scroll_into_view_if_needed()
    assert maps_epoch_above(page, 4) == 5
    assert page.get_attribute(MAPS, "data-kind") == "histogram"
    maps = drawn_maps(page)
    # the first 16 of the 20 units of layer 1, said so, and all 4 of layer 2
    assert [(m["layer"], m["unit"]) for m in maps] == [(1, u) for u in range(1, 17)] + [(2, u) for u in range(1, 5)]
    titles = page.eval_on_selector_all(f"{MAPS} .neuron-layer-title", "els => els.map((e) => e.textContent)")
    assert titles == ["layer 1: first 16 of 20 units", "layer 2: 4 units"]
    # bars were drawn, and each caption says the range the bars span (a sigmoid's: inside 0–1)
    assert all(m["colours"] > 1 for m in maps)
    for m in maps:
        low, high = (float(v) for v in m["caption"].split(f"unit {m['unit']}", 1)[1].split(" – "))
        assert 0 <= low < high <= 1
    assert "test rows" in page.text_content(tid("neuron-maps-note"))


def chart_series(page):
    return page.evaluate(
        """() => { const p = window.fcnnNormsChart;
                   return { labels: p.series.map((s) => s.label), distr: p.scales.y.distr, data: p.data,
                            dashed: p.series.map((s) => Boolean(s.dash)) }; }"""
    )


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
    page.fill(tid("seed"), "20")
    page.fill(tid("epochs"), "15")
    pressed = click_marked(page, "train-button")
    assert wait_for_run_state(page, "done", "failed", after=pressed, timeout=120_000) == "done"
    reports = progress_reports(page, after=pressed)
    chart = chart_series(page)
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
    assert train_to_done(page, epochs=3) == "done"
    chart = chart_series(page)
    assert chart["labels"] == ["epoch", "layer 1 ‖W‖", "layer 1 ‖dL/dW‖", "layer 2 ‖W‖", "layer 2 ‖dL/dW‖", "layer 3 ‖W‖",
                               "layer 3 ‖dL/dW‖"]
    assert chart["data"][0] == [1, 2, 3]
