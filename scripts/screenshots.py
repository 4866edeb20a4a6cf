"""Regenerate the README screenshots from the real page in Debian's Chromium, after a run on the
two-spirals sample with its own settings: the one-screen workspace and its side panel's sheets
(the preview, the results, the norms and gradient check beside the graph) and the trace drawn on
the graph, at 1280×800 and on a phone (390×844); and the views that look inside a run (the
graph, a forward and a backward trace step, the Neurons face, the norm chart, the learning-rate
finder), at 1280 wide.

    python scripts/screenshots.py [--inside-only]     (or: make screenshot)

Writes docs/screenshot-<view>.png (desktop), docs/screenshot-phone-<view>.png and
docs/inside-<view>.png.
"""

import pathlib
import sys

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from page_support import CHROMIUM, CHROMIUM_ARGS, start_server  # noqa: E402
from page_support import set_layers as support_set_layers  # noqa: E402
from page_support import (choose_sample, close_sheet, install_event_recorder, open_app, open_sheet, show,  # noqa: E402
                          tid, train_to_done)
import zip_package  # noqa: E402

# view name → what is on screen: the phone's tab (the column it shows), the network's face, the
# side panel's sheet (None: closed; on a phone a sheet takes the whole column, so the phone shows
# the tab alone where the sheet is "desktop only"), and whether the trace is on (on the Nodes face)
VIEWS = {
    "trained": {"tab": "output", "face": "neurons", "sheet": None},
    "data": {"tab": "data", "face": "neurons", "sheet": "preview", "phone_sheet": False},
    "results": {"tab": "output", "face": "neurons", "sheet": "results"},
    "network": {"tab": "network", "face": "nodes", "sheet": "inside", "phone_sheet": False},
    # spirals' own network is relu (the sample catalogue's settings)
    "trace": {"tab": "network", "face": "nodes", "sheet": "trace", "trace": ("forward", "relu2")},
}
SIZES = {
    "screenshot-": {"viewport": {"width": 1280, "height": 800}},
    # a phone: its width in CSS pixels, drawn at twice the density as phones do
    "screenshot-phone-": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
                          "is_mobile": True, "has_touch": True},
}


def is_phone(page):
    return page.is_visible(tid("tabbar"))


def set_layers(page, widths):
    """The hidden layers as ``widths``, edited on the Neurons face's head row."""
    page.select_option(tid("network-face"), "neurons")
    support_set_layers(page, widths)


def open_two_tanh_layers(page, origin, sample, units, learning_rate):
    """The app on ``sample`` with two hidden tanh layers of ``units`` at ``learning_rate``."""
    install_event_recorder(page)  # train_to_done waits for the run's own end
    open_app(page, origin)
    choose_sample(page, sample)
    set_layers(page, [units, units])
    page.select_option(tid("activation-select"), "tanh")
    page.fill(tid("learning-rate"), str(learning_rate))


def train_spirals(page, origin):
    """Spirals with the settings it opens with, trained; the gradient check run and the confusion
    matrix's numbers opened (their sheets keep them)."""
    install_event_recorder(page)
    open_app(page, origin)
    if is_phone(page):
        page.click(tid("tab-data"))  # a phone shows the data choice on the Data tab
    choose_sample(page, "spirals")
    train_to_done(page, timeout=180_000)
    show(page, "gradcheck-button").click()
    page.wait_for_selector(f'{tid("gradcheck-table")} tbody tr')
    close_sheet(page)  # a phone's toolbar (the More tab) shows while no sheet is open
    open_sheet(page, "results")
    page.click("#confusion-details summary")
    close_sheet(page)


def wait_attribute_changes(page, testid, attribute, action):
    """Runs ``action`` and waits until the element's ``attribute`` differs from before."""
    before = page.get_attribute(tid(testid), attribute)
    action()
    page.wait_for_function("([id, name, old]) => document.querySelector(`[data-testid=${id}]`).getAttribute(name) !== old",
                           arg=[testid, attribute, before])


def step_trace_to(page, phase, node):
    """Next until the trace shows ``node`` in ``phase``."""
    for _ in range(200):
        if page.text_content(tid("trace-phase")) == phase and page.text_content(tid("trace-node")) == node:
            return
        wait_attribute_changes(page, "trace-panel", "data-step", lambda: page.click(tid("trace-next")))
    raise RuntimeError(f"the trace never showed {node} in its {phase} pass")


def start_trace(page):
    """Trace one mini-batch (the toolbar's button: on a phone, in the More tab's list)."""
    if not page.is_visible(tid("trace-button")):
        page.click(tid("tab-more"))
    page.click(tid("trace-button"))
    page.wait_for_selector(f'{tid("trace-panel")}[data-trace="on"]')
    page.wait_for_selector(f'{tid("graph-view")}[data-state="drawn"]')


def show_view(page, view):
    """Puts the page in the state ``view`` names (VIEWS), as a person would get there."""
    close_sheet(page)  # leaves a trace too
    phone = is_phone(page)
    if phone:
        page.click(tid(f'tab-{view["tab"]}'))
    if page.input_value(tid("network-face")) != view["face"] and page.is_visible(tid("network-face")):
        page.select_option(tid("network-face"), view["face"])
    if view.get("trace"):
        start_trace(page)
        step_trace_to(page, *view["trace"])
    elif view["sheet"] and not (phone and view.get("phone_sheet") is False):
        open_sheet(page, view["sheet"])
    if view["face"] == "nodes":
        page.wait_for_selector(f'{tid("graph-view")}[data-state="drawn"]')
    if phone:  # the column from its top (a trace's Next scrolled down to the step's numbers)
        page.evaluate("() => window.scrollTo(0, 0)")
    if not view.get("trace"):  # no focus ring left on the button that opened the view
        page.evaluate("() => document.activeElement && document.activeElement.blur()")


def shoot(page, testid, name, out):
    page.locator(tid(testid)).scroll_into_view_if_needed()
    target = out / f"inside-{name}.png"
    page.locator(tid(testid)).screenshot(path=str(target))
    print(f"wrote {target.relative_to(ROOT)}")


def inside_views(browser, origin, out):
    """Circles, 2 hidden layers of 6 (tanh): the finder first, then trained; the Neurons face, the
    norms, the graph and a trace."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(120_000)
    open_two_tanh_layers(page, origin, "circles", 6, 0.03)
    open_sheet(page, "rate")
    page.click(tid("lr-find-button"))  # on the fresh network, before training: the curve that tells most
    page.wait_for_selector(f'{tid("lr-chart")}[data-drawn="true"]')
    shoot(page, "lr-result", "lr-finder", out)
    close_sheet(page)
    train_to_done(page, epochs=120, timeout=180_000)
    page.wait_for_selector(f'{tid("neuron-maps")}[data-epoch="{page.text_content(tid("epoch-counter"))}"]')
    shoot(page, "neurons-face", "neuron-maps", out)
    open_sheet(page, "inside")
    shoot(page, "gradient-norms-chart", "norms", out)
    start_trace(page)
    step_trace_to(page, "forward", "tanh1")
    shoot(page, "graph-view", "graph", out)
    shoot(page, "trace-panel", "trace-forward", out)
    step_trace_to(page, "backward", "W2")
    shoot(page, "trace-panel", "trace-backward", out)
    page.close()


def main():
    inside_only = "--inside-only" in sys.argv  # only docs/inside-*.png
    zip_package.build(ROOT / "static" / "vendor" / "fcnn.zip")
    server, origin = start_server(ROOT)
    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for prefix, options in ({} if inside_only else SIZES).items():
            context = browser.new_context(**options)
            page = context.new_page()
            page.set_default_timeout(120_000)
            train_spirals(page, origin)
            for view, shown in VIEWS.items():
                show_view(page, shown)
                target = out / f"{prefix}{view}.png"
                page.screenshot(path=str(target), full_page=False)
                print(f"wrote {target.relative_to(ROOT)}")
            context.close()
        inside_views(browser, origin, out)
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
