#!/usr/bin/env python3
"""Training speed with the views that look inside a run open, against the page before them.

    python scripts/bench_views_training.py [--base REV] [--runs 3] [--epochs 300]   (BENCH_HEIGHT=800: only the top on screen)

Serves two copies of the app side by side: this checkout, and REV (default 660a2b4, the
commit before the Graph view, the trace, the neuron maps, the norm chart and the
learning-rate finder) in a temporary git worktree with the same vendored runtime. In a
window tall enough (1280×4000) that every panel is on screen, so every view that draws
while training does (the neuron maps and the norm chart included), each copy trains
Boston with the page's defaults but a fixed number of epochs and no early stopping,
alternately, --runs times. Printed: each run's time from Train to the run's `done`
event, the medians and their ratio (this checkout / REV). A figure, not a test.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from page_support import (CHROMIUM, CHROMIUM_ARGS, choose_sample, install_event_recorder,  # noqa: E402
                          open_app, start_server, tid)

VENDORED = ("pyodide", "pyscript", "uplot", "dagre")


def prepare_base(rev, folder):
    """A worktree of ``rev`` with this checkout's runtime and its own package archive and facts."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), rev], check=True,
                   capture_output=True)
    vendor = folder / "static" / "vendor"
    vendor.mkdir(parents=True, exist_ok=True)
    for name in VENDORED:
        if (ROOT / "static" / "vendor" / name).exists():
            os.symlink(ROOT / "static" / "vendor" / name, vendor / name)
    (vendor / ".stamp").write_text("bench\n")
    env = {**os.environ, "PYTHONPATH": str(folder)}
    subprocess.run([sys.executable, "scripts/zip_package.py", "static/vendor/fcnn.zip"], cwd=folder, check=True, env=env)
    subprocess.run([sys.executable, "-m", "fcnn.web.facts", "static/vendor/facts.json"], cwd=folder, check=True, env=env)


# Train pressed, and the seconds until the run's `done`, both on the page's own clock. It waits
# on the page's event, not by polling: Playwright's waits poll once an animation frame, so the
# page would draw a frame every 16 ms that it would not draw by itself, a cost that grows with
# the panels on screen and would be counted as the views'.
TRAIN_UNTIL_DONE_JS = """() => new Promise((resolve) => {
    const started = performance.now();
    document.addEventListener('fcnn:run-state', (e) => {
        if (e.detail.state === 'done' || e.detail.state === 'failed') resolve([e.detail.state, performance.now() - started]);
    });
    document.querySelector('[data-testid="train-button"]').click();
})"""


def timed_run(page, epochs):
    """Seconds from Train to the run's done event (the page's own performance.now())."""
    page.fill(tid("epochs"), str(epochs))
    page.fill(tid("early-stopping"), "0")
    page.dispatch_event(tid("early-stopping"), "change")
    page.wait_for_selector(f"{tid('train-button')}:enabled")
    state, milliseconds = page.evaluate(TRAIN_UNTIL_DONE_JS)
    if state != "done":
        raise SystemExit(f"the run ended {state}: {page.text_content(tid('error-message'))}")
    page.wait_for_selector(f'{tid("status")}[data-state="done"]')  # the results shown: the page is idle again
    return milliseconds / 1000


def open_copy(browser, origin):
    page = browser.new_page(viewport={"width": 1280, "height": int(os.environ.get("BENCH_HEIGHT", "4000"))})
    page.set_default_timeout(120_000)
    install_event_recorder(page)
    open_app(page, origin)
    choose_sample(page, "boston")
    return page


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", default="660a2b4")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=300)
    args = ap.parse_args()
    base = pathlib.Path(tempfile.mkdtemp(prefix="fcnn-base-")) / "app"
    prepare_base(args.base, base)
    servers = {"this checkout": start_server(ROOT), f"base {args.base}": start_server(base)}
    times = {name: [] for name in servers}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            pages = {name: open_copy(browser, origin) for name, (_, origin) in servers.items()}
            for run in range(args.runs):
                for name, page in pages.items():
                    seconds = timed_run(page, args.epochs)
                    times[name].append(seconds)
                    print(f"run {run + 1} {name:<16} {seconds:6.2f} s", flush=True)
            browser.close()
    finally:
        for server, _ in servers.values():
            server.shutdown()
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], capture_output=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    mine, theirs = medians.values()
    print(f"Boston, defaults, {args.epochs} epochs, every panel on screen; medians of {args.runs}:")
    for name, median in medians.items():
        print(f"  {name:<16} {median:6.2f} s")
    print(f"  ratio (this checkout / base) {mine / theirs:.3f}")


if __name__ == "__main__":
    main()
