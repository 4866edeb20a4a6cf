"""Regenerate the README screenshots from the real page in Debian's Chromium: the data,
training, results and network views, at 1280×800 and on a phone (390×844); and the
views that look inside a run (the graph, a forward and a backward trace step, the
neuron maps, the norm chart, the learning-rate finder), at 1280 wide.

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
from page_support import choose_sample, install_event_recorder, open_app, tid, train_to_done  # noqa: E402
import zip_package  # noqa: E402

# view name → the heading scrolled to the top of the window
VIEWS = {
    "data": "#data-heading",
    "trained": "#train-heading",
    "results": "#results-heading",
    "network": "#network-heading",
}
SIZES = {
    "screenshot-": {"viewport": {"width": 1280, "height": 800}},
    # a phone: its width in CSS pixels, drawn at twice the density as phones do
    "screenshot-phone-": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
                          "is_mobile": True, "has_touch": True},
}


def open_two_tanh_layers(page, origin, sample, units, learning_rate):
    """The app on ``sample`` with two hidden tanh layers of ``units`` at ``learning_rate``."""
    install_event_recorder(page)  # train_to_done waits for the run's own end
    open_app(page, origin)
    choose_sample(page, sample)
    page.click(tid("add-layer"))
    page.fill(tid("hidden-units"), str(units))
    page.fill(tid("hidden-units-2"), str(units))
    page.select_option(tid("activation-select"), "tanh")
    page.fill(tid("learning-rate"), str(learning_rate))


def train_spirals(page, origin):
    open_two_tanh_layers(page, origin, "spirals", 16, 0.01)
    train_to_done(page, epochs=300, timeout=180_000)
    page.click(tid("gradcheck-button"))
    page.wait_for_selector(f'{tid("gradcheck-table")} tbody tr')
    page.click("#confusion-details summary")
    page.click(".preview summary")


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


def shoot(page, testid, name, out):
    page.locator(tid(testid)).scroll_into_view_if_needed()
    target = out / f"inside-{name}.png"
    page.locator(tid(testid)).screenshot(path=str(target))
    print(f"wrote {target.relative_to(ROOT)}")


def inside_views(browser, origin, out):
    """Circles, 2 hidden layers of 6 (tanh): the finder first, then trained; the maps, the norms,
    the graph and a trace."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(120_000)
    open_two_tanh_layers(page, origin, "circles", 6, 0.03)
    page.click(tid("lr-find-button"))  # on the fresh network, before training: the curve that tells most
    page.wait_for_selector(f'{tid("lr-chart")}[data-drawn="true"]')
    shoot(page, "lr-result", "lr-finder", out)
    train_to_done(page, epochs=120, timeout=180_000)
    page.locator(tid("neuron-maps")).scroll_into_view_if_needed()
    page.wait_for_selector(f'{tid("neuron-maps")}[data-epoch="{page.text_content(tid("epoch-counter"))}"]')
    shoot(page, "neuron-maps", "neuron-maps", out)
    shoot(page, "gradient-norms-chart", "norms", out)
    page.locator(tid("graph-view")).scroll_into_view_if_needed()
    page.wait_for_selector(f'{tid("graph-view")}[data-state="drawn"]')
    page.click(tid("trace-button"))
    page.wait_for_selector(f'{tid("trace-panel")}[data-trace="on"]')
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
            for view, heading in VIEWS.items():
                page.evaluate("(h) => document.querySelector(h).scrollIntoView({block: 'start'})", heading)
                target = out / f"{prefix}{view}.png"
                page.screenshot(path=str(target), full_page=False)
                print(f"wrote {target.relative_to(ROOT)}")
            context.close()
        inside_views(browser, origin, out)
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
