"""How long the Graph view keeps the page's main thread busy: a 10-layer × 512-unit network
(47 nodes) on the Boston sample, drawn when the Network column's Nodes face is shown (its
select) and redrawn after each activation change. Issue 11 asks for no main-thread task over 200 ms.

    .venv/bin/python scripts/bench_graph.py [--layers 10] [--units 512] [--redraws 3]

Prints every long task (PerformanceObserver 'longtask': a task over 50 ms) seen while the
graph was drawn, the round trip of each graph_view call to the worker, and the time from
a change to the drawing. A benchmark, not a test: the figures depend on the machine.
"""

import argparse
import pathlib
import sys

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from page_support import CHROMIUM, CHROMIUM_ARGS, open_app, start_server, tid, wait_loaded  # noqa: E402
import zip_package  # noqa: E402
from fcnn.web import facts  # noqa: E402

WATCH_LONG_TASKS_JS = """() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask' });
}"""
DRAWN_JS = "(n) => Number(document.querySelector('[data-testid=\"graph-view\"]').dataset.drawn) > n"


def drawn_count(page):
    return int(page.get_attribute(tid("graph-view"), "data-drawn"))


def measure(page, action, label):
    """Run ``action`` and wait for the next drawing; print the long tasks and the calls' times."""
    before = drawn_count(page)
    page.evaluate("() => { window.__longTasks.length = 0; performance.clearMeasures(); window.__begun = performance.now(); }")
    action()
    page.wait_for_function(DRAWN_JS, arg=before, timeout=120_000)
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100)))")  # let the observer report
    figures = page.evaluate("""() => ({
        longTasks: window.__longTasks.slice(),
        calls: performance.getEntriesByName('fcnn graph_view').map((m) => Math.round(m.duration)),
        nodes: document.querySelectorAll('[data-testid="graph-view"] g[data-node]').length,
        sinceChange: Math.round(performance.now() - window.__begun),
    })""")
    longest = max(figures["longTasks"], default=0)
    print(f"{label}: {figures['nodes']} nodes; long tasks (ms) {figures['longTasks'] or 'none'} "
          f"(longest {longest}); graph_view round trips (ms) {figures['calls']}; "
          f"change to drawing (ms, incl. the 120 ms debounce) ≤ {figures['sinceChange']}")
    return longest


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layers", type=int, default=10)
    parser.add_argument("--units", type=int, default=512)
    parser.add_argument("--redraws", type=int, default=3)
    args = parser.parse_args()
    zip_package.build(ROOT / "static" / "vendor" / "fcnn.zip")
    facts.write(ROOT / "static" / "vendor" / "facts.json")
    server, origin = start_server(ROOT)
    layers = ",".join([str(args.units)] * args.layers)
    worst = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(120_000)
        open_app(page, origin, f"/#sample=boston&hidden_layers={layers}&activation=relu")
        wait_loaded(page, "MEDV")
        page.evaluate(WATCH_LONG_TASKS_JS)
        worst = measure(page, lambda: page.select_option(tid("network-face"), "nodes"), "first drawing")
        for i, activation in zip(range(args.redraws), ["tanh", "sigmoid", "relu"] * args.redraws):
            worst = max(worst, measure(page, lambda: page.select_option(tid("activation-select"), activation),
                                       f"redraw {i + 1} ({activation})"))
        browser.close()
    server.shutdown()
    print(f"longest main-thread task while drawing the graph: {worst} ms (the budget is 200 ms)")


if __name__ == "__main__":
    main()
