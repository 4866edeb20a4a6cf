#!/usr/bin/env python3
"""Start-up benchmark: the built site (dist/site) beside the floor, in real Chromium.

    python scripts/bench_startup.py [--runs 5] [--no-build]

Measures, from navigation start to "ready":

* cold: a fresh browser (empty HTTP cache, no service worker, no IndexedDB),
  first visit;
* warm: a reload in the same browser context after one full visit (for the
  app: after its service worker has cached everything, as a returning user
  has it).

"Ready" is when the page sets ``document.body.dataset.readyMs``: the app does
that when its engine answers (numpy and fcnn imported in the worker). The
time is taken by a MutationObserver installed before any page script, as
``performance.now()`` (milliseconds since navigation start).

The floor is a plain PyScript page that only imports numpy, built here into a
temporary folder with the same vendored runtime (PyScript 0.6.66, Pyodide
0.27.7) and its default package loading (micropip). A second floor page,
"floor-passthrough", also loads numpy straight from the lock file like the
app does: it shows what is left once the app's own overhead is gone.

Every page is served by ``python -m http.server`` on 127.0.0.1, each on its
own port (its own origin). Runs of the pages are interleaved, so a busy
machine slows all of them alike. Speed targets are read off the printed
figures; nothing here fails on them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

import build_site  # noqa: E402
from page_support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from site_support import StaticServer  # noqa: E402

TARGET_COLD_MS = 3000
TARGET_WARM_MS = 1500
TARGET_RATIO = 1.3

# Runs before any page script: note when the page marks itself ready.
READY_PROBE = """
(() => {
  const done = () => {
    if (window.__readyAt === undefined && document.body && document.body.dataset.readyMs !== undefined) {
      window.__readyAt = performance.now();
    }
  };
  new MutationObserver(done).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-ready-ms"] });
})();
"""

FLOOR_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>floor: PyScript + numpy</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="./static/vendor/pyscript/core.css">
  <script type="module" src="./static/vendor/pyscript/core.js"></script>
</head>
<body>
  <script type="py" config="./pyscript.toml">
import numpy
from pyscript import document
document.body.dataset.readyMs = "1"
  </script>
</body>
</html>
"""

FLOOR_TOML = """interpreter = "./static/vendor/pyodide/pyodide.mjs"
packages = ["numpy"]
"""


def build_floor(folder: Path, passthrough: bool) -> Path:
    """A plain PyScript page importing numpy, on the repository's vendored runtime."""
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(FLOOR_HTML)
    (folder / "pyscript.toml").write_text(FLOOR_TOML + ('packages_cache = "passthrough"\n' if passthrough else ""))
    (folder / "static" / "vendor").mkdir(parents=True)
    for part in ("pyscript", "pyodide"):
        os.symlink(ROOT / "static" / "vendor" / part, folder / "static" / "vendor" / part, target_is_directory=True)
    return folder


def wait_ready(page, timeout_ms=180_000) -> float:
    page.wait_for_function("() => window.__readyAt !== undefined", timeout=timeout_ms, polling=20)
    return float(page.evaluate("window.__readyAt"))


def cold_run(playwright, url: str) -> float:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        context = browser.new_context()
        context.add_init_script(READY_PROBE)
        page = context.new_page()
        page.goto(url, wait_until="commit")
        return wait_ready(page)
    finally:
        browser.close()


class WarmSession:
    """One browser context that has visited the page once; each run is a reload."""

    def __init__(self, playwright, url: str, is_app: bool):
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = self.browser.new_context()
        context.add_init_script(READY_PROBE)
        self.page = context.new_page()
        self.page.goto(url, wait_until="commit")
        wait_ready(self.page)
        if is_app:  # a returning visitor: the service worker has cached every file
            self.page.wait_for_function("() => document.body.dataset.offline === 'ready'", timeout=120_000)
            assert self.page.evaluate("navigator.serviceWorker.controller !== null")
        self.page.wait_for_timeout(500)

    def run(self) -> float:
        self.page.reload(wait_until="commit")
        ready = wait_ready(self.page)
        self.page.wait_for_timeout(300)  # let the page settle before the next reload
        return ready

    def close(self):
        self.browser.close()


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--site", default=str(ROOT / "dist" / "site"), help="the built site to measure")
    ap.add_argument("--no-build", action="store_true", help="measure --site as it is")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    site = Path(args.site)
    if not args.no_build:
        build_site.build(site)
    pages = {"app": site}
    with tempfile.TemporaryDirectory(prefix="fcnn-floor-") as tmp:
        pages["floor"] = build_floor(Path(tmp) / "floor", passthrough=False)
        pages["floor-passthrough"] = build_floor(Path(tmp) / "floor-passthrough", passthrough=True)
        servers = {name: StaticServer(folder) for name, folder in pages.items()}
        results = {name: {"cold": [], "warm": []} for name in pages}
        print(f"[bench] Chromium {CHROMIUM}, {os.cpu_count()} CPUs, load average {load_average()}", flush=True)
        try:
            with sync_playwright() as pw:
                for i in range(args.runs):
                    for name, server in servers.items():
                        ms = cold_run(pw, server.origin + "/")
                        results[name]["cold"].append(ms)
                        print(f"[bench] cold {i + 1}/{args.runs} {name:18} {ms:7.0f} ms", flush=True)
                sessions = {name: WarmSession(pw, s.origin + "/", name == "app") for name, s in servers.items()}
                try:
                    for i in range(args.runs):
                        for name, session in sessions.items():
                            ms = session.run()
                            results[name]["warm"].append(ms)
                            print(f"[bench] warm {i + 1}/{args.runs} {name:18} {ms:7.0f} ms", flush=True)
                finally:
                    for session in sessions.values():
                        session.close()
        finally:
            for server in servers.values():
                server.stop()

    med = {name: {kind: statistics.median(v) for kind, v in r.items()} for name, r in results.items()}
    app, floor, tuned = med["app"], med["floor"], med["floor-passthrough"]
    print(f"\n[bench] medians of {args.runs} runs, navigation start -> ready (load average now {load_average()})")
    print(f"{'page':20} {'cold ms':>9} {'warm ms':>9}")
    for name, m in med.items():
        print(f"{name:20} {m['cold']:9.0f} {m['warm']:9.0f}")
    rows = [
        ("app cold", app["cold"], f"<= {TARGET_COLD_MS} ms", app["cold"] <= TARGET_COLD_MS),
        ("app warm", app["warm"], f"<= {TARGET_WARM_MS} ms", app["warm"] <= TARGET_WARM_MS),
        ("app/floor cold", app["cold"] / floor["cold"], f"<= {TARGET_RATIO}x", app["cold"] / floor["cold"] <= TARGET_RATIO),
        ("app/floor warm", app["warm"] / floor["warm"], f"<= {TARGET_RATIO}x", app["warm"] / floor["warm"] <= TARGET_RATIO),
    ]
    print("\ntarget            measured   target     met")
    for label, value, target, met in rows:
        shown = f"{value:.0f} ms" if "ms" in target else f"{value:.2f}x"
        print(f"{label:17} {shown:>9}   {target:10} {'yes' if met else 'NO'}")
    print(
        f"(for reference: app / floor-passthrough: cold {app['cold'] / tuned['cold']:.2f}x, "
        f"warm {app['warm'] / tuned['warm']:.2f}x)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps({"runs": results, "medians": med}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
