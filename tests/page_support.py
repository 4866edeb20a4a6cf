"""Everything a browser test needs around the real page, in one place: the server and the
guard, what a person does on the page (one contract per action), and what the page told us.

Every helper waits for the page's own signal (an event it emitted, a status it set, a
text it wrote), never for a time. The page's events (``fcnn:progress``, ``fcnn:run-state``,
``fcnn:engine-state``, ``fcnn:charts-settled``) are recorded from the first line of the
page on (``install_event_recorder``), so a test reads every report in order, however
fast or slow the machine ran.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import pathlib
import sys
import threading

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
READY = '[data-testid="status"][data-state="ready"]'

# each sample's target column, as the page preselects it
SAMPLES = {
    "boston": "MEDV", "iris": "species", "wine": "class", "breast_cancer": "diagnosis", "diabetes": "progression",
    "xor": "label", "circles": "label", "spirals": "label", "blobs": "label", "surface": "y",
}


def tid(name):
    return f'[data-testid="{name}"]'


# ------------------------------------------------------------------------------ server and guard


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript", ".wasm": "application/wasm"}

    def log_message(self, *args):
        pass


def start_server(directory=ROOT):
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@contextlib.contextmanager
def served_app(path="/", viewport=None):
    """For the benchmark scripts: this checkout's fcnn zipped for the worker, the repository served
    as the tests serve it, Chromium launched with the tests' arguments, and a page (recording its
    events) open on the app at ``path``, Ready. Yields the page; closes the browser and the server."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "scripts"))
    import zip_package

    zip_package.build(ROOT / "static" / "vendor" / "fcnn.zip")
    server, origin = start_server(ROOT)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport=viewport or {"width": 1280, "height": 900})
                install_event_recorder(page)
                open_app(page, origin, path)
                yield page
            finally:
                browser.close()
    finally:
        server.shutdown()


class PageGuard:
    """Collects what a page did that a browser test must fail on."""

    def __init__(self, page, origin):
        self.origin = origin
        self.outside_requests = []
        self.page_errors = []
        self.tracebacks = []
        self.console = []
        self.csp_violations = []
        page.context.on("request", self._on_request)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("console", self._on_console)

    def _on_request(self, request):
        url = request.url
        if not (url.startswith(self.origin + "/") or url.startswith(("data:", "blob:"))):
            self.outside_requests.append(url)

    def _on_console(self, message):
        text = message.text
        self.console.append(f"{message.type}: {text}")
        if "Traceback (most recent call last)" in text or "PythonError" in text:
            self.tracebacks.append(text)
        if "Content Security Policy" in text:
            self.csp_violations.append(text)

    def detach(self, page):
        """Stop watching (a context that outlives the page would keep calling this guard)."""
        page.context.remove_listener("request", self._on_request)

    def reset(self):
        """Forget what was collected: a page shared by many tests is checked test by test."""
        for found in (self.outside_requests, self.page_errors, self.tracebacks, self.csp_violations):
            found.clear()

    def problems(self):
        found = []
        if self.outside_requests:
            found.append(f"requests outside {self.origin}: {self.outside_requests}")
        if self.page_errors:
            found.append(f"uncaught page errors: {self.page_errors}")
        if self.tracebacks:
            found.append(f"Python tracebacks in the console: {self.tracebacks}")
        if self.csp_violations:
            found.append(f"Content-Security-Policy violations: {self.csp_violations}")
        return found


def new_guarded_page(browser, origin, **context_options):
    """A page in a browser context of its own, guarded (``page.guard``) and recording its events
    from its first script on: a page a module's tests share (conftest's ``shared_page``)."""
    page = browser.new_context(**context_options).new_page()
    page.set_default_timeout(60_000)
    page.guard = PageGuard(page, origin)
    install_event_recorder(page)
    return page


# ------------------------------------------------------------------------------ the page's events

EVENT_NAMES = ("fcnn:progress", "fcnn:run-state", "fcnn:engine-state", "fcnn:charts-settled")
# a copy of each detail (JSON round trip): what the page sent then, not what the object holds later
RECORD_EVENTS_JS = """(() => {
    window.__fcnnEvents = [];
    for (const name of %s) {
        document.addEventListener(name, (e) => window.__fcnnEvents.push({
            name, seq: window.__fcnnEvents.length,
            detail: e.detail === undefined ? null : JSON.parse(JSON.stringify(e.detail)),
        }));
    }
})();""" % list(EVENT_NAMES)


def install_event_recorder(page):
    """Record the page's events from its first script on, on this and every later load."""
    page.add_init_script(RECORD_EVENTS_JS)


def events(page, name=None, after=-1):
    """The recorded events ({name, seq, detail}) in the order the page emitted them; with
    ``after``, only those emitted after that sequence number."""
    found = page.evaluate("(after) => window.__fcnnEvents.filter((e) => e.seq > after)", after)
    return [e for e in found if name is None or e["name"] == name]


def last_seq(page):
    """The sequence number of the last event recorded so far (-1 for none)."""
    return page.evaluate("() => window.__fcnnEvents.length - 1")


def progress_reports(page, after=-1):
    return [e["detail"] for e in events(page, "fcnn:progress", after)]


def received_epochs(page, after=-1):
    """Every epoch the progress reports carried, in the order received."""
    return [epoch for report in progress_reports(page, after) for epoch in report["epochs"]]


def run_states(page, after=-1):
    """The run controller's transitions, as (previous, state) pairs in order."""
    return [(e["detail"]["previous"], e["detail"]["state"]) for e in events(page, "fcnn:run-state", after)]


def wait_for_event(page, name, condition="true", after=-1, timeout=60_000):
    """Waits for an event ``name`` emitted after ``after`` whose detail ``d`` meets the JS
    ``condition``; returns the first such event."""
    found = page.wait_for_function(
        "([name, after]) => window.__fcnnEvents.find((e) => e.seq > after && e.name === name && ((d) => %s)(e.detail))"
        % condition,
        arg=[name, after],
        timeout=timeout,
    )
    return found.json_value()


def wait_for_run_state(page, *states, after=-1, timeout=60_000):
    """Waits until the run controller enters one of ``states`` after event ``after``; returns the state."""
    found = wait_for_event(page, "fcnn:run-state", f"{list(states)}.includes(d.state)", after, timeout)
    return found["detail"]["state"]


def wait_for_epoch(page, epoch, after=-1, timeout=60_000):
    """Waits until a progress report after ``after`` carried epoch ``epoch`` or a later one."""
    wait_for_event(page, "fcnn:progress", f"d.epochs.some((e) => e.epoch >= {int(epoch)})", after, timeout)


def click_marked(page, testid):
    """Clicks a control from inside the page and returns the last event's sequence number at
    that moment: every event after it came after the click (no report can slip in between).
    Waits first until the control is enabled, as a person would."""
    page.wait_for_selector(f"{tid(testid)}:enabled")
    return page.evaluate(
        """(id) => { const control = document.querySelector(`[data-testid="${id}"]`);
                     if (control.disabled) throw new Error(`${id} is disabled`);
                     const seq = window.__fcnnEvents.length - 1;
                     control.click(); return seq; }""",
        testid,
    )


def set_viewport(page, width, height, timeout=60_000):
    """Sets the window's size and, when its width changed (the charts follow their panels'
    width; their height is fixed), waits until the charts fitted themselves to it."""
    widened = (page.viewport_size or {}).get("width") != width
    before = last_seq(page)
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_function("(w) => document.documentElement.clientWidth === w", arg=width)
    # a chart on screen fits itself to the new width and says so (one hidden by a sheet or a tab does not)
    charts_shown = page.evaluate("() => [...document.querySelectorAll('.chart')].some((c) => c.offsetParent !== null)")
    if widened and charts_shown:
        wait_for_event(page, "fcnn:charts-settled", after=before, timeout=timeout)


# ------------------------------------------------------------------------------ actions


def open_app(page, origin, path="/"):
    page.goto(origin + path)
    page.wait_for_selector(READY, timeout=90_000)
    assert "Ready" in page.text_content(tid("status"))


# the settings' controls, by the page's defaults' names (fcnn/run/settings.py DEFAULTS)
SETTING_CONTROLS = {"activation": "activation-select", "optimizer": "optimizer-select", "learning_rate": "learning-rate",
                    "epochs": "epochs", "batch_size": "batch-size", "weight_decay": "weight-decay",
                    "early_stopping": "early-stopping", "seed": "seed", "test_fraction": "test-fraction",
                    "scaling": "scaling-select"}


def reset_settings(page):
    """Every setting back to the page's defaults, typed and chosen as a person would."""
    from fcnn.run.settings import DEFAULTS

    page.select_option(tid("network-face"), "neurons")
    set_layers(page, DEFAULTS["hidden_layers"])
    for name, testid in SETTING_CONTROLS.items():
        if testid.endswith("-select"):
            page.select_option(tid(testid), str(DEFAULTS[name]))
        else:
            page.fill(tid(testid), str(DEFAULTS[name]))


def app_open(page, origin):
    """A module's shared page on the app, idle, with the side panel closed, the desktop's size and
    the default settings: opened when it is not yet (a test run alone), else taken as it is, since
    the next table a test loads clears the run of the one before (a page start costs seconds)."""
    if not page.url.startswith(origin) or page.get_attribute(tid("status"), "data-state") in (None, "loading", "error"):
        open_app(page, origin)
        return
    wait_until_idle(page)
    if page.is_enabled(tid("stop-button")):
        stopped = click_marked(page, "stop-button")
        wait_for_run_state(page, "done", "failed", after=stopped)
    close_sheet(page)
    if page.viewport_size != {"width": 1280, "height": 800}:
        set_viewport(page, 1280, 800)
    reset_settings(page)


def wait_state(page, *states, timeout=60_000):
    """Waits until the status is in one of ``states`` (loading, ready, working, training, done, error); returns it."""
    selector = ",".join(f'{tid("status")}[data-state="{s}"]' for s in states)
    page.wait_for_selector(selector, timeout=timeout)
    return page.get_attribute(tid("status"), "data-state")


def wait_text(page, testid, fragment):
    """Waits until the hooked element's text contains ``fragment``; returns the text."""
    page.wait_for_function(
        "([id, f]) => document.querySelector(`[data-testid=${id}]`).textContent.includes(f)", arg=[testid, fragment]
    )
    return page.text_content(tid(testid))


def watch_texts(page, *testids):
    """From now on, keep every text (and status state) the hooked elements are given, in
    ``window.__seen`` as [testid, text, data-state]; the same text set again counts."""
    page.evaluate(
        """(ids) => {
            (window.__watchers || []).forEach((o) => o.disconnect());
            window.__seen = [];
            window.__watchers = ids.map((id) => {
                const el = document.querySelector(`[data-testid="${id}"]`);
                const o = new MutationObserver(() => window.__seen.push([id, el.textContent, el.dataset.state || '']));
                o.observe(el, { childList: true, characterData: true, subtree: true, attributes: true });
                return o;
            });
        }""",
        list(testids),
    )


def act_and_wait(page, action, *testids, timeout=60_000):
    """Run ``action`` and wait until one of the hooked elements is given a non-empty text.
    Returns {testid: last text set}."""
    watch_texts(page, *testids)
    action()
    page.wait_for_function("() => window.__seen.some(([, text]) => text.trim())", timeout=timeout)
    return {testid: text for testid, text, _ in page.evaluate("window.__seen")}


# The side panel's sheet each toolbar button opens (index.html, static/js/workspace.js).
SHEET_OF_TESTID_JS = """(id) => {
    const element = document.querySelector(`[data-testid="${id}"]`);
    const sheet = element && element.closest('.sheet');
    return sheet ? sheet.dataset.sheet : null;
}"""


def sheet_open(page):
    """The side panel's open sheet ("results", "trace", …), or None."""
    return page.evaluate("() => document.querySelector('[data-testid=side-panel]').hidden ? null"
                         " : document.querySelector('[data-testid=side-panel]').dataset.sheet")


def open_sheet(page, sheet):
    """Opens the side panel's sheet with its toolbar button, as a person would (on a phone the
    toolbar is the More tab's list); nothing when it is open already."""
    if sheet_open(page) == sheet:
        return
    close_sheet(page)  # on a phone the toolbar is the More tab's list, hidden under an open sheet
    if not page.is_visible(f'[data-open-sheet="{sheet}"]'):
        page.click(tid("tab-more"))
    page.click(f'[data-open-sheet="{sheet}"]')
    page.wait_for_selector(f'.sheet[data-sheet="{sheet}"]:not([hidden])')


def show(page, testid):
    """Brings the hooked element on screen the way a person reaches it: the side panel's sheet
    it sits in is opened first (the trace's sheet opens with Trace, a node's with the node)."""
    sheet = page.evaluate(SHEET_OF_TESTID_JS, testid)
    if sheet:
        open_sheet(page, sheet)
    return page.locator(tid(testid))


def close_sheet(page):
    """Closes the side panel with Escape, as a keyboard user would."""
    if sheet_open(page) is not None:
        page.keyboard.press("Escape")
        page.wait_for_selector(f'{tid("side-panel")}[hidden]', state="attached")


def error_text(page):
    box = page.locator(tid("error-message"))
    return box.text_content() if box.is_visible() else ""


def load_table(page, action, name, timeout=60_000):
    """Runs ``action`` (it makes the page load the table ``name``) and waits until the page says
    it loaded it (status ready, its name in it) or shows an error. Returns the error ("" when loaded)."""
    watch_texts(page, "status", "error-message")
    action()
    page.wait_for_function(
        """(name) => window.__seen.some(([id, text, state]) => (id === 'error-message' && text.trim())
                      || (id === 'status' && state === 'ready' && text.includes(name + ' loaded')))""",
        arg=name,
        timeout=timeout,
    )
    seen = [text for testid, text, _ in page.evaluate("window.__seen") if testid == "error-message" and text.strip()]
    return seen[-1].strip() if seen else ""


def load_file(page, source, name=None, target=None, mime="text/csv", timeout=60_000):
    """Chooses a file with the file input: ``source`` is a path, or the file's bytes or text
    (then ``name`` names it). Returns the error shown, or "" when the page loaded it, its preview
    shown and its target preselected; with ``target``, that column is then chosen to predict."""
    if isinstance(source, pathlib.Path):
        name, data = name or source.name, source.read_bytes()
    else:
        data = source.encode("utf-8") if isinstance(source, str) else source
    files = [{"name": name, "mimeType": mime, "buffer": data}]
    message = load_table(page, lambda: page.set_input_files(tid("file-input"), files=files), name, timeout)
    if not message:
        assert page.text_content(tid("dataset-info")).startswith(f"{name}: ")
        if target is not None:
            choose_target(page, target)
    return message


def choose_sample(page, name):
    """Chooses a sample (again, if it is the one chosen) and returns when its preview shows
    and its target is preselected and described."""
    if page.input_value(tid("sample-select")) == name:
        page.select_option(tid("sample-select"), "")  # no load: a choice of the same sample is a change again
    message = load_table(page, lambda: page.select_option(tid("sample-select"), name), f"{name}.csv")
    assert message == "", f"the sample {name} did not load: {message}"
    assert page.text_content(tid("dataset-info")).startswith(f"{name}.csv: ")
    assert page.input_value(tid("target-select")) == SAMPLES[name]
    wait_text(page, "task-detected", f"Detected for {SAMPLES[name]}")


def wait_loaded(page, target):
    """Waits until a table loaded by the page itself (a choice it carried out later) has ``target``
    chosen and described, and the page is ready."""
    page.wait_for_function(
        "(t) => document.querySelector('[data-testid=target-select]').value === t"
        " && document.querySelector('[data-testid=task-detected]').textContent.includes(t)",
        arg=target,
    )
    wait_state(page, "ready")


def set_layers(page, widths):
    """The hidden layers as ``widths``, whatever the sample chose: the Network head's buttons add or
    remove layers, and each layer's units are typed into its head on the drawing."""
    layers = page.locator(f'{tid("layer-editor")} input')
    while layers.count() > max(1, len(widths)):
        page.click(tid("remove-layer"))
    while layers.count() < len(widths):  # a lesson may have left none
        page.click(tid("add-layer"))
    for i, width in enumerate(widths, start=1):
        page.fill(tid("hidden-units" if i == 1 else f"hidden-units-{i}"), str(width))


def choose_target(page, target):
    page.select_option(tid("target-select"), target)
    page.wait_for_function(
        "(t) => document.querySelector('[data-testid=task-detected]').textContent.includes(t)", arg=target
    )


def train_to_done(page, epochs=None, timeout=60_000):
    """Sets the epochs (if given), presses Train and waits for the run it started to end (not for
    a status left from the run before); returns the status state ("done", or "error")."""
    if epochs is not None:
        page.fill(tid("epochs"), str(epochs))
    pressed = click_marked(page, "train-button")
    wait_for_run_state(page, "done", "failed", after=pressed, timeout=timeout)
    return wait_state(page, "done", "error", timeout=timeout)


def wait_until_idle(page, timeout=120_000):
    """Wait until no run and no file load is going on (a refused start never began one)."""
    page.wait_for_selector(f'{tid("status")}:not([data-state="training"]):not([data-state="working"])', timeout=timeout)


def press_train(page, timeout=120_000):
    """Press Train and wait for the run's end; returns the error message shown ("" when there is none)."""
    act_and_wait(page, lambda: page.click(tid("train-button")), "error-message", "status")
    wait_until_idle(page, timeout)
    return error_text(page)


def what_if(page):
    """The what-if prediction's text for the form's current values (or the error it gave)."""
    show(page, "what-if-button")
    seen = act_and_wait(page, lambda: page.click(tid("what-if-button")), "what-if-result", "error-message")
    return seen.get("what-if-result") or f"error: {seen.get('error-message')}"


def download(page, testid):
    """Clicks a download button (its sheet opened first) and returns the downloaded file's text."""
    show(page, testid)
    with page.expect_download() as info:
        page.click(tid(testid))
    return open(info.value.path(), encoding="utf-8").read()


def epoch_now(page):
    return int(page.text_content(tid("epoch-counter")))


def drawn_share(page, selector, background=False):
    """The share of a canvas's pixels that are painted: with ``background`` any opaque pixel
    counts, else only those darker than near-white (lines, points, filled cells)."""
    return page.evaluate(
        """([selector, background]) => {
            const c = document.querySelector(selector);
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 0; i < d.length; i += 4) {
                if (d[i + 3] > 0 && (background || d[i] + d[i + 1] + d[i + 2] < 740)) n++;
            }
            return n / (d.length / 4);
        }""",
        [selector, background],
    )
