"""The built site (make site -> dist/site): one folder, served by a plain static
server, that works with the network off after one visit.

The browser tests serve the folder with a real `python -m http.server` (no
special headers) in a subprocess and fail on any request outside its origin,
any uncaught page error and any Python traceback (tests/page_support.PageGuard;
it listens on the browser context, so it also sees the service worker's requests).
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
import time
import zipfile
from pathlib import Path

import pytest

from page_support import PageGuard
from fcnn.web import facts
from site_support import ROOT, StaticServer, source_copy

spec = importlib.util.spec_from_file_location("build_site", ROOT / "scripts" / "build_site.py")
build_site = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = build_site
spec.loader.exec_module(build_site)

READY = '[data-testid="status"][data-state="ready"]'
PYODIDE = "static/vendor/pyodide/"


def tid(name):
    return f'[data-testid="{name}"]'


def site_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """dist/site as `make site` builds it, from the sources under test."""
    assert (ROOT / "static" / "vendor" / ".stamp").exists(), "run `make vendor` first (make test does it)"
    sys.path.insert(0, str(ROOT / "scripts"))
    import zip_package

    import numpy_pycache
    import pyodide_snapshot

    zip_package.build(ROOT / "static" / "vendor" / "fcnn.zip")
    numpy_pycache.ensure()
    pyodide_snapshot.ensure()
    facts.write(ROOT / "static" / "vendor" / "facts.json")
    site = tmp_path_factory.mktemp("dist") / "site"
    build_site.build(site, quiet=True)
    return site


# ------------------------------------------------------------------ the folder


def test_site_holds_exactly_the_files_the_page_needs(built_site):
    files = site_files(built_site)
    needed = {
        "index.html", "pyscript.toml", "sw.js", "manifest.webmanifest", "fcnn/web/worker.py",
        "static/favicon.svg", "static/css/app.css", "static/data/boston.csv",
        "static/js/offline.js", "static/js/pyodide-start.mjs",
        "static/vendor/fcnn.zip", "static/vendor/facts.json", "static/vendor/numpy-pycache.zip",
        "static/vendor/pyodide-snapshot.bin", "static/vendor/pyscript/core.js", "static/vendor/pyscript/core.css",
        "static/vendor/uplot/uPlot.iife.min.js", "static/vendor/uplot/uPlot.min.css",
        "static/vendor/dagre/dagre.esm.js",
        PYODIDE + "pyodide.mjs", PYODIDE + "pyodide.asm.js", PYODIDE + "pyodide.asm.wasm",
        PYODIDE + "python_stdlib.zip", PYODIDE + "pyodide-lock.json",
        PYODIDE + "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl",
    }
    # every module of the page (app.js imports the views; the site must carry them all)
    needed |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "static" / "js").rglob("*.*js")}
    assert needed <= files, f"missing: {sorted(needed - files)}"
    # everything else is one of: PyScript's chunks, licences and notes, sample data
    allowed = re.compile(
        r"^(static/vendor/pyscript/[\w.-]+\.js|static/vendor/(pyscript|uplot|dagre)/LICENSE"
        r"|static/vendor/pyodide/package\.json|static/data/[\w.-]+|static/(js|css)/[\w.-]+\.(m?js|css))$"
    )
    extra = sorted(f for f in files - needed if not allowed.match(f))
    assert not extra, f"files the page does not need: {extra}"
    # nothing of the development tree, and no micropip: numpy is loaded straight from the lock file
    for path in files:
        assert not path.startswith(("tests/", "scripts/", "dist/", ".")), path
        assert not re.search(r"(micropip|packaging)-.*\.whl$|/pyodide\.js$|\.stamp$|\.map$", path), path
    assert [f for f in files if f.startswith("fcnn/")] == ["fcnn/web/worker.py"]


def test_every_file_the_page_and_config_name_is_in_the_site(built_site):
    html = (built_site / "index.html").read_text()
    refs = re.findall(r'(?:href|src)="\./([^"]+)"', html)
    toml = (built_site / "pyscript.toml").read_text()
    refs += [r for r in re.findall(r'"\./([^"]+)"', toml) if r != "*"]  # "./*": unpack into the cwd
    refs += re.findall(r'url: "\./([^"]+)"', (built_site / "static" / "js" / "app.js").read_text())
    assert len(refs) >= 15
    files = site_files(built_site)
    missing = sorted(r for r in refs if r not in files)
    assert not missing, f"named but not in the site: {missing}"


def test_service_worker_lists_every_file_with_its_hash(built_site):
    record = build_site.read_build(built_site)
    listed = {f["path"]: f for f in record["files"]}
    assert set(listed) == site_files(built_site) - {"sw.js"}
    for path, entry in listed.items():
        data = (built_site / path).read_bytes()
        assert entry["size"] == len(data), path
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), path
    assert re.fullmatch(r"[0-9a-f]{16}", record["version"])


def test_build_version_changes_with_any_file_and_only_then(tmp_path):
    src = source_copy(tmp_path / "src")
    first = build_site.build(tmp_path / "a", root=src, quiet=True)
    again = build_site.build(tmp_path / "b", root=src, quiet=True)
    assert again["version"] == first["version"]
    assert (tmp_path / "a" / "sw.js").read_bytes() == (tmp_path / "b" / "sw.js").read_bytes()

    versions = {first["version"]}
    for rel in ("static/css/app.css", "fcnn/web/worker.py", "static/data/boston.csv"):
        with open(src / rel, "a") as f:
            f.write("\n")
        versions.add(build_site.build(tmp_path / "a", root=src, quiet=True)["version"])
    assert len(versions) == 4, "every changed file must give a new version"


def test_only_the_built_page_registers_the_service_worker(built_site):
    marker = '<meta name="fcnn-site"'
    assert marker not in (ROOT / "index.html").read_text()
    html = (built_site / "index.html").read_text()
    assert marker in html
    assert 'querySelector(\'meta[name="fcnn-site"]\')' in (built_site / "static/js/offline.js").read_text()
    preloads = re.findall(r'<link rel="modulepreload" href="\./([^"]+)">', html)
    assert any("/core-" in p for p in preloads)
    assert all((built_site / p).is_file() for p in preloads)


def test_the_built_page_preloads_its_modules_and_what_the_worker_fetches(built_site):
    html = (built_site / "index.html").read_text()
    preloads = set(re.findall(r'<link rel="modulepreload" href="\./([^"]+)">', html))
    # every module app.js imports, directly or not, and none it imports only when needed (dagre)
    assert {"static/js/engine.js", "static/js/views/loss-chart.js", "static/js/views/graph-layout.js"} <= preloads
    assert "static/js/app.js" not in preloads and not any("dagre" in p for p in preloads)
    # the runtime preload comes first in <head>, and names the files the worker fetches to start
    head = html.split("<head>", 1)[1]
    assert head.lstrip().startswith('<script async src="./static/js/preload-runtime.js"')
    listed = re.search(r'preload-runtime\.js" data-files="([^"]+)"', html).group(1).split()
    names = {p.rsplit("/", 1)[1] for p in listed}
    assert {"pyodide.asm.js", "python_stdlib.zip", "fcnn.zip", "numpy-pycache.zip"} <= names
    assert "pyodide.asm.wasm" not in names  # the worker did not reuse a preloaded copy (build_site.WORKER_START)
    assert any(n.startswith("numpy-") and n.endswith(".whl") for n in names)
    assert all((built_site / p).is_file() for p in listed)


def test_numpy_pycache_holds_only_hash_checked_bytecode_of_numpy(built_site):
    """Python uses a hash-checked .pyc only while its source has the same hash (PEP 552),
    so a stale file can never run in place of numpy's own source."""
    with zipfile.ZipFile(built_site / "static/vendor/numpy-pycache.zip") as archive:
        names = archive.namelist()
        if not names:
            pytest.skip("built without Node.js: the archive is empty and the page compiles numpy itself")
        assert "numpy/__pycache__/__init__.cpython-312.pyc" in names
        for name in names:
            assert re.fullmatch(r"numpy/([\w]+/)*__pycache__/[\w-]+\.cpython-312\.pyc", name), name
            flags = int.from_bytes(archive.read(name)[4:8], "little")
            assert flags == 0b11, f"{name}: not a hash-checked pyc (flags {flags})"


# ------------------------------------------------------------------ in the browser


# True once the service worker controlling the page answers with this build version.
CONTROLLED_BY = """async (version) => {
    const worker = navigator.serviceWorker.controller;
    if (!worker) return false;
    const answer = await new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => resolve(e.data);
        worker.postMessage("fcnn-version", [channel.port2]);
        setTimeout(() => resolve(null), 2000); // a worker being replaced may not answer
    });
    return answer === version;
}"""


WORKER_STATE = """async () => ({
    controller: navigator.serviceWorker.controller && navigator.serviceWorker.controller.state,
    registrations: (await navigator.serviceWorker.getRegistrations()).map((r) => ({
        active: r.active && r.active.state, waiting: r.waiting && r.waiting.state, installing: r.installing && r.installing.state,
    })),
    caches: await caches.keys(),
})"""


def poll(page, expression, arg=None, timeout=60.0, interval=0.25):
    """Evaluate an (async) expression until it is truthy; Playwright's wait_for_function does
    not await a promise, so async checks (caches, service worker messages) are polled here."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            state = page.evaluate(WORKER_STATE)
            raise AssertionError(f"still false after {timeout} s: {expression}\nservice workers: {state}")
        page.wait_for_timeout(interval * 1000)


def open_guarded(page, origin):
    guard = PageGuard(page, origin)
    page.set_default_timeout(90_000)
    page.goto(origin + "/")
    page.wait_for_selector(READY, timeout=120_000)
    return guard


def wait_offline_ready(page):
    page.wait_for_function("() => document.body.dataset.offline === 'ready'", timeout=60_000)


def cache_names(page):
    return page.evaluate("async () => (await caches.keys()).filter(n => n.startsWith('fcnn-')).sort()")


def train_boston(page, epochs=30):
    page.select_option(tid("sample-select"), "boston")
    page.wait_for_selector(f'{tid("target-select")} option[value="MEDV"]', state="attached")
    page.fill(tid("epochs"), str(epochs))
    page.click(tid("train-button"))
    page.wait_for_selector(f'{tid("status")}[data-state="done"]', timeout=60_000)
    assert page.text_content(tid("epoch-counter")) == str(epochs)
    # 152 test rows, paged 50 at a time
    assert page.locator(f'{tid("predictions-table")} tbody tr').count() == 50
    assert "(152 rows)" in page.text_content(tid("page-info"))


@pytest.mark.browser
def test_built_site_on_a_plain_static_server_works_with_the_network_off(page, built_site):
    server = StaticServer(built_site)
    try:
        bad = []
        page.context.on("response", lambda r: r.status >= 400 and bad.append(f"{r.status} {r.url}"))
        guard = open_guarded(page, server.origin)
        # a plain static server sends no COOP/COEP headers, and the app needs none
        assert page.evaluate("crossOriginIsolated") is False
        # installable: the only objection left is Playwright's incognito context
        errors = page.context.new_cdp_session(page).send("Page.getInstallabilityErrors")["installabilityErrors"]
        assert {e["errorId"] for e in errors} <= {"in-incognito"}, errors
        wait_offline_ready(page)
        version = build_site.read_build(built_site)["version"]
        assert cache_names(page) == [f"fcnn-{version}"]
        if (built_site / "static/vendor/pyodide-snapshot.bin").stat().st_size:
            # the first start restored the build's memory snapshot of the booted Pyodide
            assert any("restored from its memory snapshot (the build's)" in m for m in guard.console), guard.console
        else:  # built without Node: the first start booted in full and kept a memory snapshot of it
            poll(page, "async () => (await caches.keys()).some(n => n.startsWith('pyodide-snapshot-'))")

        # cut the network twice over: the browser is offline and the server is gone
        page.context.set_offline(True)
        server.stop()
        failed = []
        # (the worker's own check of sw.js is expected to fail offline)
        page.context.on("requestfailed", lambda r: r.url != server.origin + "/sw.js" and failed.append(r.url))
        served = []
        page.on("response", lambda r: served.append((r.url, r.from_service_worker)))
        console_before = len(guard.console)
        page.reload()
        page.wait_for_selector(READY, timeout=120_000)
        assert page.evaluate("navigator.serviceWorker.controller !== null")
        train_boston(page)
        # the Graph view imports its layout library (static/vendor/dagre/) when it first draws: from the cache too
        page.select_option(tid("network-face"), "nodes")
        page.wait_for_selector(f'{tid("graph-view")}[data-state="drawn"]')
        assert any(url.endswith("/static/vendor/dagre/dagre.esm.js") for url, _ in served)
        assert not failed, f"requests that failed offline: {failed}"
        assert served and all(from_sw for url, from_sw in served if url.startswith(server.origin)), served
        assert not bad, bad
        assert not guard.problems(), guard.problems()
        # ... and the offline start restored it instead of booting Pyodide again
        snapshot_lines = [m for m in guard.console[console_before:] if "snapshot" in m]
        assert len(snapshot_lines) == 1 and "restored from its memory snapshot" in snapshot_lines[0], guard.console
    finally:
        server.stop()


@pytest.mark.browser
def test_a_new_build_replaces_the_old_cache(page, tmp_path):
    src = source_copy(tmp_path / "src")
    site = tmp_path / "site"
    old = build_site.build(site, root=src, quiet=True)
    with StaticServer(site) as server:
        guard = open_guarded(page, server.origin)
        wait_offline_ready(page)
        assert cache_names(page) == [f"fcnn-{old['version']}"]

        # a new build: one stylesheet changed
        with open(src / "static/css/app.css", "a") as f:
            f.write("\n/* build 2 */ body { --fcnn-build: 2; }\n")
        new = build_site.build(site, root=src, quiet=True)
        assert new["version"] != old["version"]
        downloads = []
        page.context.on("request", lambda r: r.service_worker and downloads.append(r.url[len(server.origin):]))
        page.reload()  # the browser checks sw.js for an update on navigation
        # the new worker activates, takes control of the page and deletes the old cache
        # (watched without messaging the worker: events sent to the old worker keep it busy,
        # and Chromium activates the new one only when the old one has no work)
        poll(
            page,
            "async (name) => (await caches.keys()).filter(n => n.startsWith('fcnn-')).join() === name",
            f"fcnn-{new['version']}",
        )
        poll(page, CONTROLLED_BY, new["version"], timeout=20)
        # the old cache is gone and the page gets the new file
        css = page.evaluate("async () => (await fetch('./static/css/app.css')).text()")
        assert "--fcnn-build: 2" in css
        # unchanged files were copied from the old cache, not downloaded again
        assert "/static/css/app.css" in downloads
        assert not [d for d in downloads if d not in ("/sw.js", "/static/css/app.css")], downloads
        page.wait_for_selector(READY, timeout=120_000)
        assert not guard.problems(), guard.problems()


@pytest.mark.browser
def test_a_stale_worker_removes_itself_and_the_repository_page_registers_none(page, built_site):
    """Serve a built site, then the repository on the same port: the old worker sees that the
    origin has no built sw.js any more, removes itself and its caches, and the page reloads
    from the repository (python -m http.server answers the browser's own update check with 304)."""
    with StaticServer(built_site) as server:
        open_guarded(page, server.origin)
        wait_offline_ready(page)
        port = server.port
    with StaticServer(ROOT, port=port) as dev:
        guard = PageGuard(page, dev.origin)
        # every registration the page asks for, counted as it asks (the repository's page asks none)
        page.add_init_script(
            """if (navigator.serviceWorker) { window.__swRegisterCalls = 0;
                const register = navigator.serviceWorker.register.bind(navigator.serviceWorker);
                navigator.serviceWorker.register = (...args) => { window.__swRegisterCalls++; return register(...args); }; }"""
        )
        page.reload()
        poll(
            page,
            """async () => (await navigator.serviceWorker.getRegistrations()).length === 0
                && document.readyState !== "loading" && !document.querySelector('meta[name="fcnn-site"]')""",
            timeout=60,
        )
        assert page.evaluate("navigator.serviceWorker.controller") is None
        assert cache_names(page) == []
        # the repository's page registers no worker of its own, even once it is ready
        page.wait_for_selector(READY, timeout=120_000)
        # offline.js registers once the page is ready (body[data-ready-ms]), in the same turn
        page.wait_for_function("() => document.body.dataset.readyMs")
        assert page.evaluate("window.__swRegisterCalls") == 0
        assert page.evaluate("async () => (await navigator.serviceWorker.getRegistrations()).length") == 0
        assert "offline" not in page.evaluate("Object.keys(document.body.dataset)")
        assert not guard.problems(), guard.problems()



def fulfilled_with(body):
    """A route handler answering every request it takes with ``body``."""
    return lambda route: route.fulfill(body=body)


@pytest.mark.browser
def test_a_first_visit_restores_the_builds_snapshot_and_a_damaged_one_boots_in_full(page, built_site):
    """A fresh browser (no snapshot of its own) restores Pyodide from the build's memory snapshot.
    Given one of another Pyodide build, or bytes that are no snapshot, it says so, boots in full
    and keeps its own; it trains either way."""
    snapshot = (built_site / "static/vendor/pyodide-snapshot.bin").read_bytes()
    if not snapshot:
        pytest.skip("built without Node.js: the build has no snapshot, and the first visit boots in full")
    other_build = bytearray(snapshot)
    other_build[16:48] = bytes(32)  # Pyodide's BUILD_ID, after the magic number and two sizes
    damages = {"another build": (bytes(other_build), "not usable, booting in full"),
               "no snapshot": (bytes(range(256)) * 4096, "cut short or damaged: booting in full")}
    with StaticServer(built_site) as server:
        guard = open_guarded(page, server.origin)
        restored = [m for m in guard.console if "snapshot" in m]
        assert len(restored) == 1 and "restored from its memory snapshot (the build's)" in restored[0], guard.console
        train_boston(page, epochs=3)
        assert not guard.problems(), guard.problems()
        for body, said in damages.values():
            context = page.context.browser.new_context()
            try:
                fresh = context.new_page()
                fresh.route("**/pyodide-snapshot.bin", fulfilled_with(body))
                fresh_guard = open_guarded(fresh, server.origin)
                lines = [m for m in fresh_guard.console if "snapshot" in m]
                assert len(lines) == 1 and said in lines[0], fresh_guard.console
                poll(fresh, "async () => (await caches.keys()).some(n => n.startsWith('pyodide-snapshot-'))")
                train_boston(fresh, epochs=3)
            finally:
                context.close()
