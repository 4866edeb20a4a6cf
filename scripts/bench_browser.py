#!/usr/bin/env python3
"""Training in the page against training in CPython, and where the page's time goes (`make bench-browser`).

    python scripts/bench_browser.py [--runs 3] [--skip-throughput] [--epochs 5] [--rows 20000]
                                    [--height 800] [--json figures.json]

Two configurations, each trained --runs times in the real page (Chromium, the vendored runtime,
this checkout's fcnn served on 127.0.0.1 as the browser tests serve it) and in CPython,
interleaved (page, CPython, page, CPython, …) so that a busy machine slows both alike:

1. the seed's configuration: Boston, 1×8 sigmoid, SGD, batch 8, lr 0.0008, 500 epochs, min-max
   scaling, early stopping off (`python -m fcnn train static/data/boston.csv --target MEDV
   --seed-config --hidden 8 --lr 0.0008 --batch-size 8 --epochs 500`); the rest at the page's
   defaults (test fraction 0.3, seed 20);
2. throughput: 2×64 relu, Adam, batch 256, --epochs epochs, early stopping off, on a seeded
   --rows × 20 CSV written to a temporary folder and chosen through the page's file input.

The page's controls are set, then Train is pressed from inside the page; the time runs from
that click to the run's `done` state (the page's fcnn:run-state event), both read on the page's
own clock (performance.now()). CPython runs the same Session calls the page's worker runs, with
the settings the page's engine reported for its run: `start`, then `train_for(80)` until the
run finishes (the page's slice length), timed with time.perf_counter(); no page, no worker, and
numpy's BLAS as a user's `python -m fcnn` has it (its default threads; set OPENBLAS_NUM_THREADS=1
to compare with Pyodide's single thread). Both report their last epoch's loss: they must agree.

For each page run it prints where the time went: the engine's Python time in `train_for` (the
answers' engine_ms), the round trips to the worker (each train_for's `fcnn train_for` user-timing
entry minus its engine_ms), the page's own work between slices (drawing, JS) and before the
first and after the last slice, the other engine calls by name, and the main thread's long tasks
(PerformanceObserver 'longtask': tasks over 50 ms). Figures, not a test: nothing fails on them.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_support import (SEED_SETTINGS, THROUGHPUT_SETTINGS, long_tasks_within, machine,  # noqa: E402
                           medians_and_ratios, set_layers, settings_mismatches, time_breakdown, write_csv)
from page_support import (CHROMIUM, CHROMIUM_ARGS, choose_sample, install_event_recorder, load_file,  # noqa: E402
                          open_app, received_epochs, start_server, tid, wait_state)

SLICE_MS = 80  # the page's slice (static/js/run-controller.js SLICE_MS): CPython trains in the same slices

# Before the page's first script: the run's states, the engine calls' user-timing entries, the
# answers carrying engine_ms (seen as the page parses them: the page is not changed for the bench),
# the run the engine started, and the main thread's long tasks, each on the page's clock.
PROBE_JS = """(() => {
  const probe = window.__bench = { states: [], answers: [], measures: [], longTasks: [], started: null };
  document.addEventListener("fcnn:run-state", (e) => probe.states.push([e.detail.state, performance.now()]));
  const take = (entry) => {
    if (entry.entryType === "longtask") probe.longTasks.push([entry.startTime, entry.duration]);
    else if (entry.name.startsWith("fcnn ")) probe.measures.push([entry.name.slice(5), entry.startTime, entry.duration]);
  };
  probe.observers = ["measure", "longtask"].map((type) => {
    const observer = new PerformanceObserver((list) => list.getEntries().forEach(take));
    observer.observe({ type });
    return observer;
  });
  probe.flush = () => probe.observers.forEach((o) => o.takeRecords().forEach(take));
  const parse = JSON.parse;
  JSON.parse = function (text, reviver) {
    const value = parse.call(JSON, text, reviver);
    if (value !== null && typeof value === "object") {
      if (typeof value.engine_ms === "number") probe.answers.push([performance.now(), value.engine_ms]);
      if (value.ok && value.config && value.n_train !== undefined) probe.started = value;
    }
    return value;
  };
})();"""

COLLECT_JS = """(since) => {
  const probe = window.__bench;
  probe.flush();
  const after = (rows, at) => rows.filter((row) => row[at] >= since);
  return { states: after(probe.states, 1), answers: after(probe.answers, 0), measures: after(probe.measures, 1),
           longTasks: after(probe.longTasks, 0), started: probe.started };
}"""

PRESS_TRAIN_JS = """() => {
  const train = document.querySelector('[data-testid="train-button"]');
  if (train.disabled) throw new Error("Train is disabled");
  const seq = window.__fcnnEvents.length - 1;
  const at = performance.now();
  train.click();
  return { seq, at };
}"""

PING_JS = """() => document.querySelector('script[type="py"][worker][name="engine"]').xworker.sync.ping()"""


# ------------------------------------------------------------------------------ the page


def configure(page, settings):
    """The page's controls set to ``settings`` (the other controls keep the page's defaults)."""
    set_layers(page, settings["hidden_layers"])
    for key, testid in (("activation", "activation-select"), ("optimizer", "optimizer-select"),
                        ("scaling", "scaling-select")):
        page.select_option(tid(testid), settings[key])
    for key, testid in (("learning_rate", "learning-rate"), ("batch_size", "batch-size"), ("epochs", "epochs"),
                        ("early_stopping", "early-stopping")):
        page.fill(tid(testid), str(settings[key]))
        page.dispatch_event(tid(testid), "change")


# Resolves with the state that ended the run begun after event `after`. It waits on the page's
# event, not by polling: Playwright's waits poll once an animation frame, so the page would draw a
# frame every 16 ms it would not draw by itself, counted as the page's own work.
RUN_END_JS = """(after) => new Promise((resolve) => {
    const ends = (d) => d.state === 'done' || d.state === 'failed';
    const seen = window.__fcnnEvents.find((e) => e.seq > after && e.name === 'fcnn:run-state' && ends(e.detail));
    if (seen) { resolve(seen.detail.state); return; }
    const listener = (e) => {
        if (!ends(e.detail)) return;
        document.removeEventListener('fcnn:run-state', listener);
        resolve(e.detail.state);
    };
    document.addEventListener('fcnn:run-state', listener);
})"""


def run_in_page(page):
    """One run from Train to done: its time, breakdown, long tasks, last loss and the engine's config."""
    page.wait_for_selector(tid("train-button") + ":enabled")
    pressed = page.evaluate(PRESS_TRAIN_JS)
    state = page.evaluate(RUN_END_JS, pressed["seq"])
    wait_state(page, "done", "error", timeout=900_000)  # the run's end is drawn: the next run starts clean
    if state != "done":
        raise SystemExit(f"the page's run failed: {page.text_content(tid('error-message'))}")
    probe = page.evaluate(COLLECT_JS, pressed["at"])
    begun = pressed["at"]
    ended = next(at for name, at in probe["states"] if name in ("done", "failed"))
    breakdown = time_breakdown(probe["measures"], probe["answers"], begun, ended)
    last = received_epochs(page, after=pressed["seq"])[-1]
    return {"seconds": (ended - begun) / 1000, "breakdown": breakdown,
            "long_tasks": long_tasks_within(probe["longTasks"], begun, ended),
            "last_epoch": last["epoch"], "last_loss": last["loss"], "config": probe["started"]["config"],
            "n_train": probe["started"]["n_train"]}


# ------------------------------------------------------------------------------ CPython


def _answer(text):
    answer = json.loads(text)
    if not answer["ok"]:
        raise SystemExit(f"the session refused: {answer['error']}")
    return answer


def run_in_python(source, name, config):
    """The page's engine calls in CPython: start, then train_for(SLICE_MS) until the run finishes."""
    from fcnn.web.session import Session

    session = Session()
    _answer(session.load_csv(source, name))
    begun = time.perf_counter()
    started = _answer(session.start(json.dumps(config)))
    training = time.perf_counter()
    slices = 0
    while True:
        answer = _answer(session.train_for(SLICE_MS))
        slices += 1
        if answer["finished"]:
            break
    ended = time.perf_counter()
    return {"seconds": ended - begun, "train_seconds": ended - training, "slices": slices,
            "last_epoch": answer["epoch"], "last_loss": answer["epochs"][-1][1], "n_train": started["n_train"]}


# ------------------------------------------------------------------------------ the two configurations


def _agreement(page_run, python_run):
    a, b = page_run["last_loss"], python_run["last_loss"]
    same = page_run["last_epoch"] == python_run["last_epoch"] and abs(a - b) <= 1e-9 * max(1.0, abs(b))
    return "the same run" if same else f"DIFFERENT RUNS: page epoch {page_run['last_epoch']} loss {a!r}, " \
        f"CPython epoch {python_run['last_epoch']} loss {b!r}"


def interleaved(page, runs, source, name, settings):
    """--runs page runs and CPython runs, alternately; CPython takes the settings the page's engine
    reported for its run (after checking they are ``settings``)."""
    page_runs, python_runs = [], []
    for k in range(runs):
        page_runs.append(run_in_page(page))
        config = dict(page_runs[-1]["config"])
        wrong = settings_mismatches(config, settings)
        if wrong:
            raise SystemExit(f"the page's run did not take the bench's settings: {wrong}")
        python_runs.append(run_in_python(source, name, config))
        p, c = page_runs[-1], python_runs[-1]
        print(f"  run {k + 1}: page {p['seconds']:7.3f} s ({p['breakdown']['slices']} slices)   CPython "
              f"{c['seconds']:7.3f} s ({c['slices']} slices; start {c['seconds'] - c['train_seconds']:.3f} s)   "
              f"ratio {p['seconds'] / c['seconds']:5.2f}   last loss {c['last_loss']:.6g}: {_agreement(p, c)}",
              flush=True)
    return page_runs, python_runs


def seed_configuration(page, runs):
    print("1. The seed's configuration: Boston, 1×8 sigmoid, SGD, batch 8, lr 0.0008, 500 epochs, min-max, "
          "early stopping off; Train → done")
    choose_sample(page, "boston")
    configure(page, SEED_SETTINGS)
    source = (ROOT / "static" / "data" / "boston.csv").read_text(encoding="utf-8")
    page_runs, python_runs = interleaved(page, runs, source, "boston.csv", SEED_SETTINGS)
    page_s, python_s, ratio, paired = medians_and_ratios([r["seconds"] for r in page_runs],
                                                         [r["seconds"] for r in python_runs])
    print(f"  median of {runs}: page {page_s:.3f} s, CPython {python_s:.3f} s; page / CPython {ratio:.2f} "
          f"(median of the run-by-run ratios {paired:.2f}; target ≤ 2.0)")
    return {"page_s": [r["seconds"] for r in page_runs], "cpython_s": [r["seconds"] for r in python_runs],
            "page_median_s": page_s, "cpython_median_s": python_s, "ratio": ratio, "paired_ratio": paired,
            "page_runs": page_runs,
            "cpython_runs": python_runs}


def _samples_per_second(run, epochs, page_run=True):
    """Training rows × epochs over the training's time: in the page from the first slice's call to done."""
    if page_run:
        seconds = run["seconds"] - run["breakdown"]["first_slice_at_ms"] / 1000
    else:
        seconds = run["train_seconds"]
    return run["n_train"] * epochs / seconds


def throughput(page, runs, epochs, rows, folder):
    print(f"2. Throughput: 2×64 relu, Adam, batch 256, {epochs} epochs, early stopping off, {rows:,} × 20 rows "
          "(the file chosen through the file input)")
    path = write_csv(Path(folder) / "throughput.csv", rows=rows, columns=20, seed=0)
    assert load_file(page, path, target="target") == "", "the page did not load the throughput CSV"
    settings = {**THROUGHPUT_SETTINGS, "epochs": epochs}
    configure(page, settings)
    page_runs, python_runs = interleaved(page, runs, path.read_bytes(), path.name, settings)
    page_rate = [_samples_per_second(r, epochs) for r in page_runs]
    python_rate = [_samples_per_second(r, epochs, page_run=False) for r in python_runs]
    python_sps, page_sps, ratio, paired = medians_and_ratios(python_rate, page_rate)
    print(f"  samples/s: {page_runs[0]['n_train']:,} training rows × {epochs} epochs / the training's time "
          "(in the page from the first train_for call to done; start left out in both)")
    for k, (p, c) in enumerate(zip(page_rate, python_rate)):
        print(f"  run {k + 1}: page {p:9,.0f} samples/s   CPython {c:9,.0f} samples/s   ratio {c / p:5.2f}")
    print(f"  median: page {page_sps:,.0f} samples/s, CPython {python_sps:,.0f} samples/s; "
          f"page / CPython in time (CPython's samples/s over the page's) {ratio:.2f} "
          f"(median of the run-by-run ratios {paired:.2f}; target ≤ 1.5)")
    return {"page_samples_per_s": page_rate, "cpython_samples_per_s": python_rate, "page_median": page_sps,
            "cpython_median": python_sps, "ratio": ratio, "paired_ratio": paired, "page_runs": page_runs,
            "cpython_runs": python_runs}


# ------------------------------------------------------------------------------ the printout


def print_breakdown(title, page_runs):
    """A small table: one column per page run, the parts adding up to the total."""
    print(f"3. Where the page's time went, {title} (ms; the parts add up to the total)")
    rows = [("total (Train → done)", "total_ms"), ("engine (Python in train_for)", "engine_ms"),
            ("round trips and waits in the worker", "round_trips_ms"),
            ("page between slices (drawing, JS)", "between_slices_ms"),
            ("page before 1st / after last slice", "outside_slices_ms")]
    runs = [r["breakdown"] for r in page_runs]
    print(f"  {'':<38}" + "".join(f"{'run ' + str(k + 1):>16}" for k in range(len(runs))))
    for label, key in rows:
        print(f"  {label:<38}" + "".join(f"{b[key]:16.0f}" for b in runs))
    names = sorted({name for b in runs for name in b["other_calls"]})
    for name in names:
        cells = [b["other_calls"].get(name, {"count": 0, "ms": 0.0}) for b in runs]
        print(f"  {'call ' + name + ' (outside slices)':<38}" + "".join(f"{c['ms']:10.0f} ({c['count']:>3})" for c in cells))
    print(f"  {'slices (train_for calls)':<38}" + "".join(f"{b['slices']:16d}" for b in runs))
    print(f"  {'main-thread long tasks: count, max':<38}" + "".join(
        f"{r['long_tasks']['count']:8d}, {r['long_tasks']['max_ms']:5.0f}ms" for r in page_runs))


def open_page(browser, origin, height):
    page = browser.new_page(viewport={"width": 1280, "height": height})
    page.set_default_timeout(120_000)
    install_event_recorder(page)
    page.add_init_script(PROBE_JS)
    open_app(page, origin)
    return page


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="runs of each configuration in the page and in CPython")
    ap.add_argument("--skip-throughput", action="store_true", help="only the seed's configuration")
    ap.add_argument("--epochs", type=int, default=THROUGHPUT_SETTINGS["epochs"], help="the throughput run's epochs")
    ap.add_argument("--rows", type=int, default=20_000, help="the throughput CSV's rows")
    ap.add_argument("--height", type=int, default=800, help="the window's height (what is on screen draws)")
    ap.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    import zip_package

    zip_package.build(ROOT / "static" / "vendor" / "fcnn.zip")  # the worker runs this checkout's fcnn
    server, origin = start_server(ROOT)
    figures = {"settings": {"runs": args.runs, "window": [1280, args.height], "slice_ms": SLICE_MS}}
    try:
        with sync_playwright() as p, tempfile.TemporaryDirectory() as folder:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = open_page(browser, origin, args.height)
            figures["machine"] = machine(browser.version, page.evaluate(PING_JS))
            print_machine(figures["machine"], args.height)
            figures["seed"] = seed_configuration(page, args.runs)
            if not args.skip_throughput:
                figures["throughput"] = throughput(page, args.runs, args.epochs, args.rows, folder)
            print_breakdown("seed configuration", figures["seed"]["page_runs"])
            if not args.skip_throughput:
                print_breakdown("throughput", figures["throughput"]["page_runs"])
            browser.close()
    finally:
        server.shutdown()
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")


def print_machine(m, height):
    print(f"Machine: {m['cpu']}, {m['cores']} cores, load average {m['load_average_1min']} (other work slows "
          f"every figure; the ratios are taken run by run, interleaved)")
    print(f"Chromium {m['chromium']} (window 1280×{height}); Pyodide {m['pyodide']} with numpy {m['pyodide_numpy']}; "
          f"CPython {m['python']} with numpy {m['numpy']} ({m['blas_threads']} BLAS threads)")


if __name__ == "__main__":
    main()
