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

For the app it also prints (scripts/startup_probe.py):

* "controls": when the sample list and the file input are enabled (a choice
  made before Ready waits for the engine: static/js/data-loading.js);
* "link": a cold load of ``/#sample=boston`` with Train pressed as soon as it
  is enabled, to the first epoch on screen (the epoch counter leaves 0);
* where the time goes: the page's resource timing of the files a start needs
  and the worker's own marks (fcnn/web/worker.py ``startup_marks``), medians;
* how often the server sent each runtime file in the first cold load, until
  Ready: a preloaded file that the worker reuses is sent once (or answered 304).

``--before REV`` also builds the site of a git revision and measures it as
"app-before", interleaved with the others, for before/after figures from one run.

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
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

import build_site  # noqa: E402
import startup_probe as probe  # noqa: E402
from page_support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from site_support import free_port  # noqa: E402

TARGET_COLD_MS = 3000
TARGET_WARM_MS = 1500
TARGET_RATIO = 1.3

TARGET_LINK_MS = 4000
READY_PROBE = probe.READY_PROBE
# a link that opens a sample: the bench presses Train as soon as it can
LINK = "/#sample=boston"

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


def app_figures(page) -> dict:
    """What the app's probe saw besides Ready: controls usable, and the start's stages."""
    controls = page.evaluate("window.__controlsAt")
    return {"controls": controls, "stages": probe.stages(page)}


def cold_run(playwright, url: str, is_app: bool, on_ready=lambda: None) -> dict:
    """on_ready() is called at once when the page is ready. Service workers are blocked: a first
    visit has none until after Ready, and its precaching would mix with the worker's requests."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        context = browser.new_context(service_workers="block")
        context.add_init_script(READY_PROBE)
        page = context.new_page()
        page.goto(url, wait_until="commit")
        run = {"ready": wait_ready(page)}
        on_ready()
        if is_app:
            run.update(app_figures(page))
        return run
    finally:
        browser.close()


def link_run(playwright, url: str) -> dict:
    """A cold load of a link that opens a sample, Train pressed as soon as it is enabled:
    ms from navigation start to the first epoch on screen."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        context = browser.new_context()
        context.add_init_script("window.fcnnBenchTrain = true;")
        context.add_init_script(READY_PROBE)
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function("() => window.__firstEpochAt !== undefined", timeout=180_000, polling=20)
        return {name: float(page.evaluate(f"window.__{name}At")) for name in ("firstEpoch", "trainPressed", "ready")}
    finally:
        browser.close()


class WarmSession:
    """One browser context that has visited the page once; each run is a reload."""

    def __init__(self, playwright, url: str, is_app: bool):
        self.is_app = is_app
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

    def run(self) -> dict:
        self.page.reload(wait_until="commit")
        run = {"ready": wait_ready(self.page)}
        if self.is_app:
            run.update(app_figures(self.page))
        self.page.wait_for_timeout(300)  # let the page settle before the next reload
        return run

    def close(self):
        self.browser.close()


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def build_revision(rev: str, folder: Path) -> Path:
    """The built site of git revision `rev` (its own fcnn.zip; the vendored runtime linked)."""
    src = folder / "src"
    src.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    vendor = src / "static" / "vendor"
    vendor.mkdir(parents=True, exist_ok=True)
    for entry in (ROOT / "static" / "vendor").iterdir():
        if entry.is_dir():
            os.symlink(entry, vendor / entry.name, target_is_directory=True)
        elif entry.name != "fcnn.zip":
            shutil.copy2(entry, vendor / entry.name)
    subprocess.run([sys.executable, str(src / "scripts" / "zip_package.py"), str(vendor / "fcnn.zip")], check=True,
                   stdout=subprocess.DEVNULL)
    build_site.build(folder / "site", root=src, quiet=True)
    return folder / "site"


def measure(pw, servers: dict, runs: int, results: dict) -> dict:
    """Cold loads, link loads (apps) and warm reloads, interleaved page by page; returns how
    the server sent the runtime files in each app's first cold load."""
    sends = {}
    for i in range(runs):
        for name, server in servers.items():
            is_app = name.startswith("app")
            before = server.mark()
            # what the server sent until Ready; called within this iteration, so the names it reads are this page's
            def note_sends(name=name, server=server, before=before):
                if is_app and i == 0:
                    sends[name] = probe.runtime_sends(server.sent_since(before))

            run = cold_run(pw, server.origin + "/", is_app, note_sends)
            results[name]["cold"].append(run)
            print(f"[bench] cold {i + 1}/{runs} {name:18} {run['ready']:7.0f} ms", flush=True)
        for name, server in servers.items():
            if name.startswith("app"):
                run = link_run(pw, server.origin + LINK)
                results[name]["link"].append(run)
                print(f"[bench] link {i + 1}/{runs} {name:18} {run['firstEpoch']:7.0f} ms to the first epoch", flush=True)
    sessions = {name: WarmSession(pw, s.origin + "/", name.startswith("app")) for name, s in servers.items()}
    try:
        for i in range(runs):
            for name, session in sessions.items():
                run = session.run()
                results[name]["warm"].append(run)
                print(f"[bench] warm {i + 1}/{runs} {name:18} {run['ready']:7.0f} ms", flush=True)
    finally:
        for session in sessions.values():
            session.close()
    return sends


def median_of(runs: list[dict], key: str) -> float:
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else float("nan")


def stage_medians(runs: list[dict]) -> list[tuple[str, float]]:
    by_name: dict[str, list[float]] = {}
    for run in runs:
        for name, at in run.get("stages", []):
            by_name.setdefault(name, []).append(at)
    return sorted(((name, statistics.median(v)) for name, v in by_name.items()), key=lambda item: item[1])


def report(results: dict, sends: dict, runs: int) -> dict:
    med = {name: {kind: median_of(r[kind], "ready") for kind in ("cold", "warm")} for name, r in results.items()}
    apps = [name for name in results if name.startswith("app")]
    print(f"\n[bench] medians of {runs} runs, ms from navigation start (load average now {load_average()})")
    print(f"{'page':20} {'cold ready':>10} {'warm ready':>10} {'cold controls':>14} {'warm controls':>14} {'link: 1st epoch':>16}")
    for name, r in results.items():
        extra = ""
        if name in apps:
            extra = (f" {median_of(r['cold'], 'controls'):14.0f} {median_of(r['warm'], 'controls'):14.0f}"
                     f" {median_of(r['link'], 'firstEpoch'):16.0f}")
        print(f"{name:20} {med[name]['cold']:10.0f} {med[name]['warm']:10.0f}{extra}")
    for name in apps:
        for kind in ("cold", "warm"):
            print(f"\n[bench] {name}, {kind}: where the time goes (median ms from navigation start)")
            for stage, at in stage_medians(results[name][kind]):
                print(f"  {at:7.0f}  {stage}")
        print(f"\n[bench] {name}: how the server sent each runtime file in the first cold load, until Ready (HTTP status per send)")
        for file, how in sends.get(name, {}).items():
            print(f"  {file:20} {how}")
    return med


def print_targets(med: dict, results: dict) -> None:
    app, floor, tuned = med["app"], med["floor"], med["floor-passthrough"]
    link = median_of(results["app"]["link"], "firstEpoch")
    rows = [
        ("app cold", app["cold"], f"<= {TARGET_COLD_MS} ms", app["cold"] <= TARGET_COLD_MS),
        ("app warm", app["warm"], f"<= {TARGET_WARM_MS} ms", app["warm"] <= TARGET_WARM_MS),
        ("app/floor cold", app["cold"] / floor["cold"], f"<= {TARGET_RATIO}x", app["cold"] / floor["cold"] <= TARGET_RATIO),
        ("app/floor warm", app["warm"] / floor["warm"], f"<= {TARGET_RATIO}x", app["warm"] / floor["warm"] <= TARGET_RATIO),
        ("link 1st epoch", link, f"<= {TARGET_LINK_MS} ms", link <= TARGET_LINK_MS),
    ]
    print("\ntarget            measured   target     met")
    for label, value, target, met in rows:
        shown = f"{value:.0f} ms" if "ms" in target else f"{value:.2f}x"
        print(f"{label:17} {shown:>9}   {target:10} {'yes' if met else 'NO'}")
    print(
        f"(for reference: app / floor-passthrough: cold {app['cold'] / tuned['cold']:.2f}x, "
        f"warm {app['warm'] / tuned['warm']:.2f}x)"
    )
    if "app-before" in med:
        before = med["app-before"]
        print(f"(app / app-before, same run: cold {app['cold'] / before['cold']:.2f}x, warm {app['warm'] / before['warm']:.2f}x, "
              f"link {link / median_of(results['app-before']['link'], 'firstEpoch'):.2f}x)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--site", default=str(ROOT / "dist" / "site"), help="the built site to measure")
    ap.add_argument("--no-build", action="store_true", help="measure --site as it is")
    ap.add_argument("--before", metavar="REV", help="also measure the site of this git revision, as app-before")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    site = Path(args.site)
    if not args.no_build:
        build_site.build(site)
    pages = {"app": site}
    with tempfile.TemporaryDirectory(prefix="fcnn-floor-") as tmp:
        if args.before:
            pages["app-before"] = build_revision(args.before, Path(tmp) / "before")
        pages["floor"] = build_floor(Path(tmp) / "floor", passthrough=False)
        pages["floor-passthrough"] = build_floor(Path(tmp) / "floor-passthrough", passthrough=True)
        servers = {name: probe.ServerLog(folder, free_port(), Path(tmp) / f"{name}.log") for name, folder in pages.items()}
        results = {name: {"cold": [], "warm": [], "link": []} for name in pages}
        print(f"[bench] Chromium {CHROMIUM}, {os.cpu_count()} CPUs, load average {load_average()}", flush=True)
        try:
            with sync_playwright() as pw:
                sends = measure(pw, servers, args.runs, results)
        finally:
            for server in servers.values():
                server.stop()

    med = report(results, sends, args.runs)
    print_targets(med, results)
    if args.json:
        probe.dump(Path(args.json), {"runs": results, "medians": med, "sends": sends})
    return 0


if __name__ == "__main__":
    sys.exit(main())
