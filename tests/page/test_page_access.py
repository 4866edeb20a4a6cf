"""Access (issue 4, outcome 9) and the data panel's drop zone: every control has a label and
is reached with Tab, a whole run works from the keyboard alone, and a CSV dropped on the
drop zone loads."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from made_up_data import write_fruit
from page_support import (
    SAMPLES, choose_sample, click_marked, close_sheet, last_seq, load_file, open_app, open_sheet, run_states,
    set_viewport, show, tid, train_to_done, wait_for_epoch, wait_for_run_state, wait_state, wait_text,
)

pytestmark = pytest.mark.browser

# What a keyboard user can operate; `window.__controls` keeps the list so Tab stops can be
# named by their index in it.
CONTROLS_JS = """() => {
    const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    window.__controls = [...document.querySelectorAll(
        'input, select, textarea, button, a[href], summary, [tabindex]')].filter(visible);
    const text = (e) => (e ? e.textContent.trim() : '');
    const name = (e) => {
        const aria = (e.getAttribute('aria-label') || '').trim();
        const by = (e.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
            .map((id) => text(document.getElementById(id))).join(' ').trim();
        const labels = e.labels ? [...e.labels].map(text).join(' ').trim() : '';
        const own = ['BUTTON', 'A', 'SUMMARY'].includes(e.tagName) ? text(e) : '';
        return aria || by || labels || own;
    };
    return window.__controls.map((e, index) => ({
        index, tag: e.tagName.toLowerCase(), id: e.id, testid: e.dataset.testid || '', name: name(e),
        tabindex: e.tabIndex, disabled: e.disabled === true,
    }));
}"""


def tab_stops(page, limit=250):
    """Presses Tab from the top of the page until focus comes round again; returns the
    indexes (in window.__controls) of the controls focused on the way."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        at = page.evaluate("() => window.__controls.indexOf(document.activeElement)")
        if stops and at == stops[0]:
            break
        if at >= 0 and at not in stops:
            stops.append(at)
    return stops


def tab_to(page, testid, limit=120):
    """Presses Tab (only Tab) until the control with ``testid`` has the focus."""
    for _ in range(limit):
        if page.evaluate("() => document.activeElement && document.activeElement.dataset.testid") == testid:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {testid}")


def focused(page):
    return page.evaluate("() => document.activeElement && document.activeElement.dataset.testid")


SHEETS = ("preview", "results", "predict", "rate", "inside", "save")


def test_every_control_has_a_label_and_is_reached_with_tab(guarded_page, app_server):
    """The workspace, then each sheet of the side panel opened in turn: every control on screen
    has a label and is reached with Tab."""
    page = guarded_page
    open_app(page, app_server)
    choose_sample(page, "iris")
    train_to_done(page, epochs=2)  # the results, the what-if fields and the feature boxes exist now
    seen = set()
    for sheet in (None, *SHEETS):
        if sheet:
            open_sheet(page, sheet)
        controls = page.evaluate(CONTROLS_JS)
        seen.update(c["id"] or f"{c['testid'] or c['tag']}:{c['name']}" for c in controls)
        unlabelled = [c for c in controls if not c["name"]]
        assert unlabelled == [], (sheet, unlabelled)
        skipped = [c for c in controls if c["tabindex"] < 0]
        assert skipped == [], (sheet, skipped)
        reached = set(tab_stops(page))
        missed = [c for c in controls if not c["disabled"] and c["index"] not in reached]
        assert missed == [], (sheet, missed)
        if sheet:
            close_sheet(page)
    assert len(seen) > 50  # the whole page, not one panel


def test_a_whole_run_from_the_keyboard_alone(guarded_page, app_server, tmp_path):
    page = guarded_page
    open_app(page, app_server)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    # the arrow keys step through the samples, loading each in turn; the last one chosen wins
    tab_to(page, "sample-select")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert page.input_value(tid("sample-select")) == "wine"
    wait_text(page, "task-detected", "Detected for class")
    wait_state(page, "ready")
    assert page.text_content(tid("dataset-info")).startswith("wine.csv:")

    tab_to(page, "add-layer")
    page.keyboard.press("Space")
    assert page.locator(f'{tid("layer-editor")} input').count() == 2
    tab_to(page, "learning-rate")
    page.keyboard.press("Control+A")
    page.keyboard.type("0.01")
    assert page.input_value(tid("learning-rate-slider")) == "-2"
    tab_to(page, "epochs")
    page.keyboard.press("Control+A")
    page.keyboard.type("100000")
    tab_to(page, "early-stopping")  # no early end: the run stops when the keyboard says so
    page.keyboard.press("Control+A")
    page.keyboard.type("0")

    tab_to(page, "train-button")
    before = last_seq(page)
    page.keyboard.press("Enter")
    wait_for_epoch(page, 2, after=before)
    # Train is disabled while it trains: the focus has moved on to Pause
    assert focused(page) == "pause-button"
    page.keyboard.press("Space")
    wait_for_run_state(page, "paused", after=before)
    page.wait_for_selector(f'{tid("status")}[data-run="paused"]')
    assert focused(page) == "resume-button"
    paused_at = int(page.text_content(tid("epoch-counter")))
    resumed = last_seq(page)
    page.keyboard.press("Enter")
    wait_for_epoch(page, paused_at + 2, after=resumed)
    assert focused(page) == "pause-button"
    tab_to(page, "stop-button")
    page.keyboard.press("Enter")
    assert wait_for_run_state(page, "done", "failed", after=resumed) == "done"
    wait_state(page, "done")
    assert run_states(page, after=before) == [
        ("idle", "training"), ("training", "paused"), ("paused", "training"), ("training", "done")]
    assert page.text_content(tid("metric-accuracy")) not in ("", "–")
    # the layer added with the keyboard is in the trained network: three weight matrices
    nodes = page.locator(tid("graph-node")).all_text_contents()
    assert any(n.startswith("W3 · WeightNode") for n in nodes), nodes

    # the results are reached with Tab too: the Results sheet opened from the toolbar, then the download
    tab_to(page, "open-results")
    page.keyboard.press("Enter")
    page.wait_for_selector('.sheet[data-sheet="results"]:not([hidden])')
    tab_to(page, "download-predictions")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    lines = open(info.value.path(), encoding="utf-8").read().splitlines()
    assert lines[0] == "row,actual class,predicted class" and len(lines) > 10


def test_the_file_input_in_the_drop_zone_opens_from_the_keyboard(guarded_page, app_server, tmp_path):
    page = guarded_page
    open_app(page, app_server)
    data = tmp_path / "keyed.csv"
    data.write_text("a,b,y\n" + "".join(f"{i},{i % 7},{2 * i}\n" for i in range(30)))
    # Playwright turns file-chooser interception on without waiting for it; subscribing
    # before the Tab presses makes sure it is on when Enter is pressed, not racing it
    page.on("filechooser", lambda chooser: None)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    tab_to(page, "file-input")
    assert page.evaluate("() => document.activeElement.closest('[data-testid=drop-zone]') !== null")
    page.evaluate(
        """() => {
            window.__fileInputClicks = 0;
            document.querySelector('[data-testid=file-input]').addEventListener('click', () => window.__fileInputClicks++);
        }"""
    )
    try:
        with page.expect_file_chooser(timeout=30_000) as chooser:
            page.keyboard.press("Enter")
    except PlaywrightTimeoutError:
        clicks = page.evaluate("() => window.__fileInputClicks")
        raise AssertionError(f"Enter on the file input opened no file chooser (clicks on the input: {clicks})")
    chooser.value.set_files(str(data))
    wait_text(page, "dataset-info", "keyed.csv: 30 rows, 3 columns")


def drop_file(page, name, text):
    """Drags a file made in the page over the drop zone and drops it, as a file manager would."""
    return page.evaluate(
        """([name, text]) => {
            const zone = document.querySelector('[data-testid=drop-zone]');
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], name, {type: 'text/csv'}));
            const over = new DragEvent('dragover', {dataTransfer: transfer, bubbles: true, cancelable: true});
            zone.dispatchEvent(over);
            const highlighted = zone.classList.contains('over');
            zone.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
            return {accepted: over.defaultPrevented, highlighted, after: zone.classList.contains('over')};
        }""",
        [name, text],
    )


def test_a_csv_dropped_on_the_drop_zone_is_loaded_and_previewed(guarded_page, app_server):
    page = guarded_page
    open_app(page, app_server)
    choose_sample(page, "boston")
    rows = "".join(f"{s},{'red' if s % 2 else 'blue'},{10 + 3 * s}\n" for s in range(25))
    dropped = drop_file(page, "dropped.csv", "size,colour,price\n" + rows)
    # the zone takes the drag (so the browser does not open the file) and lights up while over it
    assert dropped == {"accepted": True, "highlighted": True, "after": False}
    wait_text(page, "dataset-info", "dropped.csv: 25 rows, 3 columns")
    header = page.locator(f'{tid("data-preview")} thead th').all_text_contents()
    assert header == ["size", "colour", "price"]
    first = page.locator(f'{tid("data-preview")} tbody tr').first.locator("td").all_text_contents()
    assert first == ["0", "blue", "10"]
    summary = page.locator(f'{tid("column-summary")} tbody tr').nth(1).locator("td").all_text_contents()
    assert summary == ["colour", "categorical", "0", "2"]
    assert page.input_value(tid("target-select")) == "price"
    assert page.input_value(tid("sample-select")) == ""  # the sample is no longer what is loaded
    wait_text(page, "task-detected", "Detected for price")
    # a bad file dropped: a clear message, the dropped table kept
    drop_file(page, "broken.csv", "a,b\n1,2,3\n")
    assert "broken.csv" in wait_text(page, "error-message", "broken.csv")
    assert page.text_content(tid("dataset-info")).startswith("dropped.csv:")
    assert SAMPLES["boston"] not in page.eval_on_selector_all(f'{tid("target-select")} option', "els => els.map(e => e.value)")
    # a file dropped while training runs: told why, and the table and the run go on
    # (a long run that early stopping cannot end before the drop)
    page.fill(tid("early-stopping"), "0")
    page.fill(tid("epochs"), "100000")
    pressed = click_marked(page, "train-button")
    wait_for_run_state(page, "training", after=pressed)
    wait_state(page, "training")
    drop_file(page, "later.csv", "a,b\n1,2\n3,4\n")
    message = wait_text(page, "error-message", "later.csv")
    assert "The file later.csv was not loaded" in message and "training is running" in message and "Pause or Stop" in message
    assert page.text_content(tid("dataset-info")).startswith("dropped.csv:")
    assert page.get_attribute(tid("status"), "data-state") == "training"
    assert run_states(page, after=pressed) == [("idle", "training")]
    page.click(tid("stop-button"))
    wait_for_run_state(page, "done", after=pressed)
    wait_state(page, "done")


# Layout faults a person would see: the page scrolling sideways, a control or table sticking
# out of its part of the page, two controls on top of each other. Returns one line per fault.
LAYOUT_FAULTS_JS = """() => {
    const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.dataset.testid ? `[${e.dataset.testid}]` : '');
    const faults = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) faults.push(`the page scrolls sideways by ${doc.scrollWidth - doc.clientWidth}px`);
    const parts = '.panel, .side-panel, .topbar, .toolbar, .tabbar';
    const items = [...document.querySelectorAll(
        'body input, body select, body button, body canvas, body svg, body .table-wrap, body table, body p, body label, body .graph-scroll')]
        // a wide table or graph scrolls inside its frame (the frame itself is checked); the weights'
        // lines lie under the units they join; an input drawn as its label's button has no box of its own
        .filter((e) => visible(e) && e.closest(parts) && !e.closest('.table-wrap table, .graph-scroll svg')
                && !e.matches('svg.neuron-edges, .file-button'))
        // what a part holds below its fold is scrolled to, not on top of what lies below the part
        .filter((e) => { const box = e.closest(parts).getBoundingClientRect(); const r = e.getBoundingClientRect();
                         return r.bottom > box.top && r.top < box.bottom; });
    for (const e of items) {
        const box = e.closest(parts).getBoundingClientRect();
        const r = e.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5) {
            faults.push(`${name(e)} sticks out of its part (${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(box.left)}–${Math.round(box.right)})`);
        }
    }
    // a phone's tab bar stays at the bottom over the page as it scrolls: the page leaves room for it
    const bar = document.querySelector('.tabbar');
    if (visible(bar) && parseFloat(getComputedStyle(document.body).paddingBottom) < bar.getBoundingClientRect().height - 0.5) {
        faults.push('the tab bar hides the end of the page');
    }
    const controls = items.filter((e) => e.matches('input, select, button, canvas, svg') && !e.closest('.chart, .tabbar'));
    for (let i = 0; i < controls.length; i++) {
        for (let j = i + 1; j < controls.length; j++) {
            if (controls[i].contains(controls[j]) || controls[j].contains(controls[i])) continue;
            const a = controls[i].getBoundingClientRect();
            const b = controls[j].getBoundingClientRect();
            const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
            const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
            if (w > 2 && h > 2) faults.push(`${name(controls[i])} and ${name(controls[j])} overlap`);
        }
    }
    return faults;
}"""


def layout_faults(page):
    return page.evaluate(LAYOUT_FAULTS_JS)


SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
PHONE_TABS = ("data", "network", "output", "more")


def faults_everywhere(page):
    """The layout faults at each size: the workspace (on a phone, each of its tabs), then each
    sheet of the side panel open, measured once the charts fitted themselves to the size."""
    found = {}
    for size, (width, height) in SIZES.items():
        set_viewport(page, width, height)
        views = [("tab", tab) for tab in PHONE_TABS] if size == "phone" else [("workspace", None)]
        for kind, name in views + [("sheet", sheet) for sheet in SHEETS]:
            if kind == "tab":
                page.click(tid(f"tab-{name}"))
            elif kind == "sheet":
                open_sheet(page, name)
            faults = layout_faults(page)
            if faults:
                found[f"{size} {kind} {name}"] = faults
            if kind == "sheet":
                close_sheet(page)
    set_viewport(page, *SIZES["desktop"])
    return found


def test_the_page_reads_well_on_a_desktop_and_on_a_phone(guarded_page, app_server, tmp_path):
    """Nothing scrolls the page sideways, sticks out of its part or sits on another control:
    empty, and with every view filled (data with text columns, results, network, predictions),
    in the workspace and in each sheet of the side panel, on a desktop and in each tab of a phone."""
    page = guarded_page
    open_app(page, app_server)
    assert faults_everywhere(page) == {}
    fruit = write_fruit(tmp_path / "fruit.csv")
    assert load_file(page, fruit) == ""
    train_to_done(page, epochs=20)
    show(page, "gradcheck-button").click()
    page.wait_for_selector(f'{tid("gradcheck-table")} tbody tr')
    show(page, "confusion-table")
    page.click("#confusion-details summary")
    page.set_input_files(tid("predict-file-input"), str(fruit))
    wait_text(page, "predict-note", "fruit.csv")
    show(page, "what-if-button").click()
    wait_text(page, "what-if-result", "Predicted kind")
    close_sheet(page)
    assert faults_everywhere(page) == {}
    # a phone shows one column at a time, the whole width, with the tab bar and Train always there
    set_viewport(page, *SIZES["phone"])
    for tab, heading in (("data", "data-heading"), ("network", "model-heading"), ("output", "output-heading")):
        page.click(tid(f"tab-{tab}"))
        shown = [h for h in ("data-heading", "model-heading", "output-heading") if page.is_visible(f"section[aria-labelledby={h}]")]
        assert shown == [heading]
        box = page.locator(f"section[aria-labelledby={heading}]").bounding_box()
        assert box["width"] > 340
        assert page.is_visible(tid("train-button")) and page.is_visible(tid("tabbar"))
