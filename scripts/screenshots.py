"""Regenerate the README screenshots (training, results, network views) from the real page in Debian's Chromium.

    python scripts/screenshots.py      (or: make screenshot)
"""

import pathlib
import sys

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from browser_support import CHROMIUM, CHROMIUM_ARGS, start_server  # noqa: E402
import zip_package  # noqa: E402


def main():
    zip_package.build(ROOT / "static" / "vendor" / "fcnn.zip")
    server, origin = start_server(ROOT)
    out = ROOT / "docs"
    out.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(origin + "/")
        page.wait_for_selector('[data-testid="status"][data-state="ready"]', timeout=120_000)
        page.select_option('[data-testid="sample-select"]', "spirals")
        page.wait_for_function("() => document.querySelector('[data-testid=target-select]').value === 'label'")
        page.click('[data-testid="add-layer"]')
        page.fill('[data-testid="hidden-units"]', "16")
        page.fill('[data-testid="hidden-units-2"]', "16")
        page.select_option('[data-testid="activation-select"]', "tanh")
        page.fill('[data-testid="learning-rate"]', "0.01")
        page.fill('[data-testid="epochs"]', "300")
        page.click('[data-testid="train-button"]')
        page.wait_for_selector('[data-testid="status"][data-state="done"]', timeout=120_000)
        page.click('[data-testid="gradcheck-button"]')
        page.wait_for_selector('[data-testid="gradcheck-table"] tbody tr')
        shots = {
            "screenshot-trained.png": "#train-heading",
            "screenshot-results.png": "#results-heading",
            "screenshot-network.png": "#network-heading",
        }
        for name, heading in shots.items():
            page.locator(heading).scroll_into_view_if_needed()
            page.evaluate("(h) => document.querySelector(h).scrollIntoView({block: 'start'})", heading)
            target = out / name
            page.screenshot(path=str(target), full_page=False)
            print(f"wrote {target.relative_to(ROOT)}")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
