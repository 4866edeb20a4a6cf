"""What a browser test does on the page, in one place: open it, choose data, train, wait, download.

Every helper waits for the page's own signal (a status state, a target option,
a text) rather than for a time.
"""

READY = '[data-testid="status"][data-state="ready"]'

# each sample's target column, as the page preselects it
SAMPLES = {
    "boston": "MEDV", "iris": "species", "wine": "class", "breast_cancer": "diagnosis", "diabetes": "progression",
    "xor": "label", "circles": "label", "spirals": "label", "blobs": "label", "surface": "y",
}


def tid(name):
    return f'[data-testid="{name}"]'


def open_app(page, origin, path="/"):
    page.goto(origin + path)
    page.wait_for_selector(READY, timeout=90_000)
    assert "Ready" in page.text_content(tid("status"))


def wait_state(page, *states, timeout=60_000):
    """Waits until the status is in one of ``states`` (loading, ready, training, done, error); returns it."""
    selector = ",".join(f'{tid("status")}[data-state="{s}"]' for s in states)
    page.wait_for_selector(selector, timeout=timeout)
    return page.get_attribute(tid("status"), "data-state")


def wait_loaded(page, target):
    """Waits until a newly loaded table's target is chosen and its task described."""
    page.wait_for_function(
        "(t) => document.querySelector('[data-testid=target-select]').value === t"
        " && document.querySelector('[data-testid=task-detected]').textContent.includes(t)",
        arg=target,
    )
    wait_state(page, "ready")


def choose_sample(page, name):
    page.select_option(tid("sample-select"), name)
    wait_loaded(page, SAMPLES[name])


def load_file(page, path, target=None):
    """Chooses a CSV file with the file input and waits until it is loaded and its target
    described; with ``target``, also makes that the column to predict. (The wait is on the
    status naming the file, so load a new file name, not the one loaded last.)"""
    page.set_input_files(tid("file-input"), str(path))
    wait_file_loaded(page, path.name)
    if target is not None:
        choose_target(page, target)


def wait_file_loaded(page, name):
    page.wait_for_function(
        "(name) => { const s = document.querySelector('[data-testid=status]');"
        " return s.dataset.state === 'ready' && s.textContent.includes(name + ' loaded'); }",
        arg=name,
    )


def choose_target(page, target):
    page.select_option(tid("target-select"), target)
    page.wait_for_function(
        "(t) => document.querySelector('[data-testid=task-detected]').textContent.includes(t)", arg=target
    )


def train_to_done(page, epochs=3, timeout=60_000):
    page.fill(tid("epochs"), str(epochs))
    page.click(tid("train-button"))
    return wait_state(page, "done", timeout=timeout)


def download(page, testid):
    """Clicks a download button and returns the downloaded file's text."""
    with page.expect_download() as info:
        page.click(tid(testid))
    return open(info.value.path(), encoding="utf-8").read()


def wait_text(page, testid, fragment):
    """Waits until the hooked element's text contains ``fragment``; returns the text."""
    page.wait_for_function(
        "([id, f]) => document.querySelector(`[data-testid=${id}]`).textContent.includes(f)", arg=[testid, fragment]
    )
    return page.text_content(tid(testid))


def wait_epoch_at_least(page, epoch):
    page.wait_for_function(
        "(n) => Number(document.querySelector('[data-testid=epoch-counter]').textContent) >= n", arg=epoch
    )


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


def epoch_now(page):
    return int(page.text_content(tid("epoch-counter")))


def record_text_changes(page, *testids):
    """Keep every text a hooked element shows, so a test can see live updates afterwards."""
    page.evaluate(
        """(ids) => {
            window.__changes = {};
            for (const id of ids) {
                const el = document.querySelector(`[data-testid="${id}"]`);
                window.__changes[id] = [];
                new MutationObserver(() => window.__changes[id].push(el.textContent))
                    .observe(el, {childList: true, characterData: true, subtree: true});
            }
        }""",
        list(testids),
    )


# Layout faults a person would see: the page scrolling sideways, a control or table sticking
# out of its panel, two controls on top of each other. Returns one line per fault.
LAYOUT_FAULTS_JS = """() => {
    const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') + (e.dataset.testid ? `[${e.dataset.testid}]` : '');
    const faults = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) faults.push(`the page scrolls sideways by ${doc.scrollWidth - doc.clientWidth}px`);
    const items = [...document.querySelectorAll(
        'main input, main select, main button, main canvas, main svg, main .table-wrap, main table, main p, main label')]
        .filter((e) => visible(e) && !e.closest('.table-wrap table'));
    for (const e of items) {
        const box = e.closest('.panel').getBoundingClientRect();
        const r = e.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5) {
            faults.push(`${name(e)} sticks out of its panel (${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(box.left)}–${Math.round(box.right)})`);
        }
    }
    const controls = items.filter((e) => e.matches('input, select, button, canvas, svg') && !e.closest('.chart'));
    for (let i = 0; i < controls.length; i++) {
        for (let j = i + 1; j < controls.length; j++) {
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
