"""Regenerate the README screenshot(s) from the real page in Debian's Chromium.

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
        page.select_option('[data-testid="sample-select"]', "boston")
        page.wait_for_selector('[data-testid="target-select"] option[value="MEDV"]', state="attached")
        page.click('[data-testid="train-button"]')
        page.wait_for_selector('[data-testid="status"][data-state="done"]', timeout=120_000)
        target = out / "screenshot-trained.png"
        page.screenshot(path=str(target), full_page=False)
        print(f"wrote {target.relative_to(ROOT)}")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
