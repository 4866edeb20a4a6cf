"""Responsiveness of the page while it trains, measured in real Chromium.

Prints: time to Ready, training time for Boston with the default settings, the
longest main-thread task while training (PerformanceObserver 'longtask'), and
how long Stop takes to end a long run. Figures, not a pass/fail test.

    python scripts/bench_page.py [--runs 3]
"""

import argparse
import pathlib
import statistics
import sys

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from page_support import CHROMIUM, CHROMIUM_ARGS, start_server  # noqa: E402
import zip_package  # noqa: E402

OBSERVE_LONG_TASKS = """() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push(e.duration);
    }).observe({type: "longtask"});
}"""

TIME_STOP = """() => new Promise((resolve) => {
    const status = document.querySelector('[data-testid="status"]');
    const clicked = performance.now();
    new MutationObserver((_, observer) => {
        if (status.dataset.state !== "training") { observer.disconnect(); resolve(performance.now() - clicked); }
    }).observe(status, {attributes: true});
    document.querySelector('[data-testid="stop-button"]').click();
})"""


def one_run(browser, origin):
    page = browser.new_page()
    page.goto(origin + "/")
    page.wait_for_selector('[data-testid="status"][data-state="ready"]', timeout=120_000)
    ready_ms = int(page.get_attribute("body", "data-ready-ms"))
    page.select_option('[data-testid="sample-select"]', "boston")
    page.wait_for_selector('[data-testid="target-select"] option[value="MEDV"]', state="attached")
    page.evaluate(OBSERVE_LONG_TASKS)
    started = page.evaluate("performance.now()")
    page.click('[data-testid="train-button"]')
    page.wait_for_selector('[data-testid="status"][data-state="done"]', timeout=120_000)
    train_ms = page.evaluate("performance.now()") - started
    longest_train = max(page.evaluate("window.__longTasks") or [0])
    page.fill('[data-testid="epochs"]', "100000")
    page.evaluate(OBSERVE_LONG_TASKS)
    page.click('[data-testid="train-button"]')
    page.wait_for_function("() => Number(document.querySelector('[data-testid=epoch-counter]').textContent) >= 20")
    stop_ms = page.evaluate(TIME_STOP)
    longest_long_run = max(page.evaluate("window.__longTasks") or [0])
    page.close()
    return ready_ms, train_ms, max(longest_train, longest_long_run), stop_ms


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    zip_package.build(ROOT / "static" / "vendor" / "fcnn.zip")
    server, origin = start_server(ROOT)
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for i in range(args.runs):
            rows.append(one_run(browser, origin))
            r = rows[-1]
            print(f"run {i + 1}: ready {r[0]} ms, train 200 epochs {r[1]:.0f} ms, longest main-thread task {r[2]:.0f} ms, Stop {r[3]:.0f} ms")
        browser.close()
    server.shutdown()
    med = [statistics.median(col) for col in zip(*rows)]
    print(f"median: ready {med[0]:.0f} ms, train {med[1]:.0f} ms, longest task {med[2]:.0f} ms (target ≤ 200), Stop {med[3]:.0f} ms (target ≈ 200)")


if __name__ == "__main__":
    main()
