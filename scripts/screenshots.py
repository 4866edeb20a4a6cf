"""Regenerate the README screenshots from the real page in Debian's Chromium: the data,
training, results and network views, at 1280×800 and on a phone (390×844).

    python scripts/screenshots.py      (or: make screenshot)

Writes docs/screenshot-<view>.png (desktop) and docs/screenshot-phone-<view>.png.
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


def train_spirals(page, origin):
    install_event_recorder(page)  # train_to_done waits for the run's own end
    open_app(page, origin)
    choose_sample(page, "spirals")
    page.click(tid("add-layer"))
    page.fill(tid("hidden-units"), "16")
    page.fill(tid("hidden-units-2"), "16")
    page.select_option(tid("activation-select"), "tanh")
    page.fill(tid("learning-rate"), "0.01")
    train_to_done(page, epochs=300, timeout=180_000)
    page.click(tid("gradcheck-button"))
    page.wait_for_selector(f'{tid("gradcheck-table")} tbody tr')
    page.click("#confusion-details summary")
    page.click(".preview summary")


def main():
    zip_package.build(ROOT / "static" / "vendor" / "fcnn.zip")
    server, origin = start_server(ROOT)
    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for prefix, options in SIZES.items():
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
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
