#!/usr/bin/env python3
"""The Trace control's speed in the real page: 10 hidden layers of 512 units, batch 32, on Boston.

    python scripts/bench_trace.py [--layers 10] [--units 512] [--batch 32]

In Chromium (the repository served on 127.0.0.1 as the browser tests serve it) it
sets the network, presses "Trace one mini-batch" before any training (a run is
started, not trained, and its first batch traced; the trace is drawn on the Nodes
face, its numbers in the side panel), steps through every step to the update with
Next, and checks W1's gradient. It prints
  - the time from the Trace click to the first step drawn with its numbers;
  - each engine call's round trip (the page's `fcnn <call>` user-timing entries): start,
    trace_begin (the first part of the trace), trace_more (each later part, asked for in the
    background while the user steps), take_traced_step, check_trace_gradient; for the trace's
    parts also the engine's own time (its answer's engine_ms: the round trip adds the wait
    behind the page's other calls, such as the Graph view's, and the message);
  - the time from a Next click to the step drawn with its numbers (its data-step set), the
    longest and the mean. Next is clicked as soon as a step is drawn, far faster than a person
    reads, so a step can wait for a part still on its way;
  - the longest main-thread task while tracing (PerformanceObserver 'longtask').
Targets, read off the figures (nothing here fails on them): a trace step drawn
without a main-thread task over 200 ms. Times are wall clock on a shared machine.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from page_support import choose_sample, served_app, tid  # noqa: E402

OBSERVE_LONG_TASKS = """() => {
    window.__longest = 0;
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
    }).observe({ type: 'longtask', buffered: false });
}"""

# clicks Next and answers the milliseconds until the step it leads to is drawn
NEXT_STEP_MS = """(index) => new Promise((resolve) => {
    const panel = document.querySelector('[data-testid=trace-panel]');
    const begun = performance.now();
    const observer = new MutationObserver(() => {
        if (panel.dataset.step === String(index)) { observer.disconnect(); resolve(performance.now() - begun); }
    });
    observer.observe(panel, { attributes: true });
    document.querySelector('[data-testid=trace-next]').click();
})"""

CALL_MS = """(name) => performance.getEntriesByName('fcnn ' + name).map((e) => e.duration)"""
# the engine's own time in each call whose answer tells it (engine_ms)
ENGINE_MS = """(name) => performance.getEntriesByName('fcnn ' + name).map((e) => e.detail.engineMs)"""

# clicks Trace and answers the milliseconds until its first step is drawn with its numbers
TRACE_SHOWN_MS = """() => new Promise((resolve) => {
    const panel = document.querySelector('[data-testid=trace-panel]');
    const begun = performance.now();
    const observer = new MutationObserver(() => {
        if (panel.dataset.trace === 'on' && panel.dataset.step === '0') { observer.disconnect(); resolve(performance.now() - begun); }
    });
    observer.observe(panel, { attributes: true });
    document.querySelector('[data-testid=trace-button]').click();
})"""


def set_network(page, layers, units, batch):
    """``layers`` hidden layers of ``units`` (whatever the sample opened with), on the Neurons face's head row."""
    while page.locator(f'{tid("layer-editor")} input').count() > 1:
        page.click(tid("remove-layer"))
    for _ in range(layers - 1):
        page.click(tid("add-layer"))
    for i in range(1, layers + 1):
        page.fill(tid("hidden-units" if i == 1 else f"hidden-units-{i}"), str(units))
    page.fill(tid("batch-size"), str(batch))
    page.fill(tid("early-stopping"), "0")


def trace_through(page):
    """Trace, step to the update, check W1; answers the milliseconds to the first step and per Next."""
    page.evaluate(OBSERVE_LONG_TASKS)
    shown = page.evaluate(TRACE_SHOWN_MS)
    times, index = [], 0
    while page.is_enabled(tid("trace-next")):
        index += 1
        times.append(page.evaluate(NEXT_STEP_MS, index))
        if page.get_attribute(tid("trace-step"), "data-node") == "W1" and \
                page.get_attribute(tid("trace-step"), "data-phase") == "backward":
            page.click(tid("trace-gradcheck"))
            page.wait_for_selector(tid("trace-check"), timeout=300_000)
    page.wait_for_selector(f'{tid("trace-step")}[data-taken="true"]', timeout=300_000)
    return shown, times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=10)
    parser.add_argument("--units", type=int, default=512)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args()
    with served_app() as page:
        choose_sample(page, "boston")
        set_network(page, args.layers, args.units, args.batch)
        shown, times = trace_through(page)
        print(f"{args.layers} layers × {args.units} units, batch {args.batch}, Boston; {len(times)} steps after the first")
        print(f"  Trace → first step drawn: {shown:.0f} ms")
        for name in ("start", "trace_begin", "trace_more", "take_traced_step", "check_trace_gradient"):
            print(f"  {name:<22} round trip {', '.join(f'{ms:.0f}' for ms in page.evaluate(CALL_MS, name))} ms")
            if name.startswith("trace_"):
                print(f"  {'':<22} in the engine {', '.join(f'{ms:.0f}' for ms in page.evaluate(ENGINE_MS, name))} ms")
        print(f"  Next → step drawn: longest {max(times):.0f} ms, mean {sum(times) / len(times):.1f} ms "
              "(the update step shows at once, then take_traced_step's answer)")
        print(f"  longest main-thread task while tracing: {page.evaluate('window.__longest'):.0f} ms (0: none over 50 ms)")


if __name__ == "__main__":
    main()
