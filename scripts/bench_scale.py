#!/usr/bin/env python3
"""A big file in the real page: 100,000 rows × 20 columns, parsed and trained in Chromium.

    python scripts/bench_scale.py [--rows 100000] [--epochs 4] [--runs 1] [--verbose]
                                  [--no-browser] [--no-python]

Writes a seeded CSV (19 numeric features x1…x19 and a numeric target, normal
draws written with 6 significant digits: 17.4 MB), then:

* in the page (real Chromium, the repository served on 127.0.0.1 as the
  browser tests serve it): sets 2 hidden layers of 64, relu, Adam, batch 256
  and the epochs through the page's controls (the rest stay at the page's
  defaults: learning rate 0.003, early stopping after 30 epochs, so 15% of
  the training rows are held out for validation), chooses the file through
  the file input and, as soon as the preview shows, presses Train. It prints
  - the parse time: from the file input's change event to the preview shown;
  - the time per epoch (the mean over the epochs after the first);
  - the time from choosing the file to the end of the first epoch (the
    parse, then the engine's prepare, then one epoch);
  - the peak JS heap of the page's main thread (performance.memory.usedJSHeapSize,
    sampled every 50 ms, precise with --enable-precise-memory-info);
  - the worker's WebAssembly memory (Python's heap and numpy's arrays), read
    through the worker's `memory_bytes` call once training is done: that
    memory only grows, so its size then is its peak;
  - the longest main-thread task while parsing and while training
    (PerformanceObserver for 'longtask', registered before the file is chosen);
  - the round trip of each engine call (the page's `fcnn <call>` user-timing
    entries) and how long the page took to read its answer.
* in CPython, on the same file's bytes, the same session calls with the same
  settings: load_csv (parse), start (prepare and build) and step (one epoch).
  BLAS runs on one thread (OPENBLAS_NUM_THREADS=1 and the like), as numpy
  in Pyodide does.

Targets, read off the figures (nothing here fails on them): parse + first
epoch at most 10 s, and no main-thread task over 200 ms. Times are wall
clock: on a machine busy with other work every figure is slower, the
longest task too (the load average is printed first).
"""

from __future__ import annotations

import os

# Before numpy is imported: one BLAS thread, as in Pyodide (and threads that
# fight over a busy machine's cores make the CPython figures meaningless).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_support import set_layers, write_csv  # noqa: E402  (shared with scripts/bench_browser.py)

TARGET_FIRST_EPOCH_S = 10.0
TARGET_LONGEST_TASK_MS = 200.0
SETTINGS = {"hidden": [64, 64], "activation": "relu", "optimizer": "adam", "batch_size": 256}
# The rest as the page sends them by default (static/js/state.js), so CPython runs the same training.
PAGE_DEFAULTS = {"learning_rate": 0.003, "weight_decay": 0, "early_stopping": 30, "seed": 20,
                 "test_fraction": 0.3, "scaling": "standard", "task": "auto"}


# ---------------------------------------------------------------------------
# the page

# Runs in the page once it is ready, before the file is chosen.
INSTRUMENT = """() => {
  const probe = window.__scale = { longTasks: [], heap: [], epochs: [], chosen: null, preview: null };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push([e.startTime, e.duration]);
  }).observe({ type: "longtask" });
  const sampleHeap = () => probe.heap.push(performance.memory.usedJSHeapSize);
  sampleHeap();
  probe.sampler = setInterval(sampleHeap, 50);
  // the capture phase at the document runs before the input's own listener
  document.addEventListener("change", (e) => {
    if (e.target.id === "file-input") probe.chosen = performance.now();
  }, true);
  const info = document.getElementById("dataset-info");
  new MutationObserver((_, observer) => {
    if (probe.chosen === null || !info.textContent.startsWith("scale.csv:")) return;
    probe.preview = performance.now();
    observer.disconnect();
    // no human pause: Train as soon as the page lets it (it waits while the file is read)
    const train = document.querySelector('[data-testid="train-button"]');
    const press = () => (train.disabled ? setTimeout(press, 5) : train.click());
    press();
  }).observe(info, { childList: true, characterData: true, subtree: true });
  const counter = document.getElementById("epoch-counter");
  new MutationObserver(() => {
    const epoch = Number(counter.textContent);
    const last = probe.epochs[probe.epochs.length - 1];
    if (epoch > 0 && (!last || last[0] !== epoch)) probe.epochs.push([epoch, performance.now()]);
  }).observe(counter, { childList: true, characterData: true, subtree: true });
}"""

COLLECT = """async () => {
  const probe = window.__scale;
  clearInterval(probe.sampler);
  probe.heap.push(performance.memory.usedJSHeapSize);
  const script = document.querySelector('script[type="py"][worker][name="engine"]');
  const wasmBytes = await script.xworker.sync.memory_bytes();
  const calls = performance.getEntriesByType("measure").filter((m) => m.name.startsWith("fcnn "))
    .map((m) => [m.name.slice(5), m.startTime, m.duration, (m.detail && m.detail.parseMs) || 0]);
  return { ...probe, sampler: null, wasmBytes, calls };
}"""


def run_page(csv_path, epochs, chromium_args):
    from playwright.sync_api import sync_playwright

    from page_support import CHROMIUM, CHROMIUM_ARGS, start_server
    import zip_package

    zip_package.build(ROOT / "static" / "vendor" / "fcnn.zip")  # the worker runs this checkout's fcnn
    server, origin = start_server(ROOT)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + chromium_args)
            page = browser.new_page()
            page.set_default_timeout(300_000)
            page.goto(origin + "/")
            page.wait_for_selector('[data-testid="status"][data-state="ready"]', timeout=180_000)
            set_layers(page, SETTINGS["hidden"])
            page.select_option('[data-testid="activation-select"]', SETTINGS["activation"])
            page.select_option('[data-testid="optimizer-select"]', SETTINGS["optimizer"])
            page.fill('[data-testid="batch-size"]', str(SETTINGS["batch_size"]))
            page.fill('[data-testid="epochs"]', str(epochs))
            page.evaluate(INSTRUMENT)
            page.set_input_files('[data-testid="file-input"]', str(csv_path))
            page.wait_for_selector('[data-testid="status"][data-state="done"]', timeout=600_000)
            error = page.text_content('[data-testid="error-message"]')
            if page.is_visible('[data-testid="error-message"]'):
                raise SystemExit(f"the page showed an error: {error}")
            probe = page.evaluate(COLLECT)
            task = page.text_content('[data-testid="task-info"]')
            browser.close()
    finally:
        server.shutdown()
    return probe, task


def _longest(durations):
    if not durations:
        return "under 50 ms (no long task)"
    return f"{max(durations):6.0f} ms  ({len(durations)} tasks over 50 ms)"


def report_page(probe, task, verbose=False):
    chosen, preview = probe["chosen"], probe["preview"]
    ends = [t for _, t in probe["epochs"]]
    parse_s = (preview - chosen) / 1000
    first_s = (ends[0] - chosen) / 1000
    per_epoch = (ends[-1] - ends[0]) / (len(ends) - 1) / 1000 if len(ends) > 1 else float("nan")
    during_parse = [d for start, d in probe["longTasks"] if chosen <= start < preview]
    during_training = [d for start, d in probe["longTasks"] if start >= preview]
    print(f"In the page (Chromium, {task})")
    print(f"  parse (file chosen → preview shown)     {parse_s:6.2f} s")
    print(f"  prepare + first epoch (preview → epoch 1) {first_s - parse_s:4.2f} s")
    print(f"  file chosen → end of the first epoch    {first_s:6.2f} s   (target ≤ {TARGET_FIRST_EPOCH_S:.0f} s)")
    print(f"  time per epoch (mean of epochs 2–{len(ends)})      {per_epoch:6.2f} s")
    print(f"  peak JS heap, main thread               {max(probe['heap']) / 2**20:6.1f} MB (performance.memory.usedJSHeapSize)")
    print(f"  worker WebAssembly memory (peak)        {probe['wasmBytes'] / 2**20:6.1f} MB (the worker's memory_bytes call)")
    # the browser reports only tasks over 50 ms: none means every task took less
    longest_parse = max(during_parse, default=0.0)
    longest_train = max(during_training, default=0.0)
    print(f"  longest main-thread task, parsing       {_longest(during_parse)}")
    print(f"  longest main-thread task, training      {_longest(during_training)}   (target ≤ {TARGET_LONGEST_TASK_MS:.0f} ms)")
    print("  engine calls (round trip; the page's reading of the answer):")
    by_name = {}
    for name, _start, duration, parse_ms in probe["calls"]:
        by_name.setdefault(name, []).append((duration, parse_ms))
    for name in ("load_csv", "start", "network_view", "train_for"):
        if name in by_name:
            durations = [d for d, _ in by_name[name]]
            parses = [p for _, p in by_name[name]]
            how = f"{durations[0]:7.0f} ms" if len(durations) == 1 else f"{statistics.median(durations):7.0f} ms median of {len(durations)}"
            print(f"    {name:<13}{how}; reading {max(parses):.0f} ms at most")
    if verbose:
        print("  timeline (ms after the file was chosen):")
        events = [(start - chosen, f"call {name} {duration:.0f} ms") for name, start, duration, _ in probe["calls"]]
        events += [(start - chosen, f"long task {duration:.0f} ms") for start, duration in probe["longTasks"]]
        events += [(at - chosen, f"epoch {epoch} shown") for epoch, at in probe["epochs"]]
        events += [(preview - chosen, "preview shown")]
        for at, what in sorted(events):
            if at >= 0:
                print(f"    {at:8.0f}  {what}")
    return {"parse_s": parse_s, "first_epoch_s": first_s, "per_epoch_s": per_epoch,
            "longest_task_ms": max(longest_parse, longest_train)}


# ---------------------------------------------------------------------------
# CPython


def run_python(source, epochs):
    from fcnn.web.session import Session

    session = Session()
    config = {"target": "target", "hidden_layers": SETTINGS["hidden"], "activation": SETTINGS["activation"],
              "optimizer": SETTINGS["optimizer"], "batch_size": SETTINGS["batch_size"], "epochs": epochs,
              **PAGE_DEFAULTS}

    def timed(call, *args):
        begun = time.perf_counter()
        answer = json.loads(call(*args))
        if not answer["ok"]:
            raise SystemExit(f"the session refused: {answer['error']}")
        return time.perf_counter() - begun

    parse_s = timed(session.load_csv, source, "scale.csv")
    prepare_s = timed(session.start, json.dumps(config))
    epoch_s = [timed(session.step) for _ in range(epochs)]
    print(f"In CPython {sys.version.split()[0]}, numpy {np.__version__}, the same session calls")
    print(f"  parse (load_csv)                        {parse_s:6.2f} s")
    print(f"  prepare (start)                         {prepare_s:6.2f} s")
    print(f"  first epoch (step)                      {epoch_s[0]:6.2f} s")
    print(f"  parse + prepare + first epoch           {parse_s + prepare_s + epoch_s[0]:6.2f} s")
    if len(epoch_s) > 1:
        print(f"  time per epoch (mean of epochs 2–{len(epoch_s)})      {statistics.mean(epoch_s[1:]):6.2f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--columns", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=4, help="epochs to train (at least 2 for the time per epoch)")
    parser.add_argument("--runs", type=int, default=1, help="page runs, each in a fresh browser (then the medians)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-browser", action="store_true", help="CPython figures only")
    parser.add_argument("--no-python", action="store_true", help="page figures only")
    parser.add_argument("--verbose", action="store_true", help="also the page's timeline: calls, long tasks, epochs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "scale.csv", args.rows, args.columns, args.seed)
        size = path.stat().st_size
        print(f"{args.rows:,} rows × {args.columns} columns, {size / 2**20:.1f} MB; 2×64 relu, Adam, batch 256, "
              f"{args.epochs} epochs; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} "
              "(other work on the machine slows every figure)")
        if not args.no_python:
            run_python(path.read_bytes(), args.epochs)  # bytes, as the page sends a chosen file
        if not args.no_browser:
            figures = []
            for run in range(args.runs):
                probe, task = run_page(path, args.epochs, ["--enable-precise-memory-info"])
                if args.runs > 1:
                    print(f"-- page run {run + 1} of {args.runs}, load average {os.getloadavg()[0]:.1f}")
                figures.append(report_page(probe, task, args.verbose))
            if args.runs > 1:
                median = {key: statistics.median(f[key] for f in figures) for key in figures[0]}
                longest = max(f["longest_task_ms"] for f in figures)
                print(f"Median of {args.runs} page runs: parse {median['parse_s']:.2f} s, file chosen → end of "
                      f"the first epoch {median['first_epoch_s']:.2f} s, {median['per_epoch_s']:.2f} s per epoch; "
                      f"longest main-thread task of all runs: " + (f"{longest:.0f} ms" if longest else "under 50 ms"))


if __name__ == "__main__":
    main()
