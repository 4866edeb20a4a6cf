#!/usr/bin/env python3
"""Training with the whole workspace on screen against the same run with its views hidden.

    python scripts/bench_workspace.py [--runs 5] [--width 1280 --height 800]

One page of this checkout, in one browser: each configuration trains alternately with every view
of the one-screen workspace visible (the Neurons face with its maps and weights, the decision map
or the predicted-against-actual plot, the loss chart) and with the network and output columns
hidden (display: none, so no view asks the engine for anything). Configurations:

* the seed's: Boston, 1 hidden layer of 8 sigmoid units, SGD, learning rate 0.01, 500 epochs;
* Boston as the page opens it (the sample's own settings, from the sample catalogue).

Then every sample, chosen from the list (so with the settings that solve it), trains once with
the workspace visible: its seconds from Train to done (the target: under 15 s each) and the test
metric it reached.

Printed per configuration: each run's seconds from Train to the run's `done` event (the page's
own clock), the medians and their ratio (visible / hidden, the target is at most 1.10), and the
longest main-thread task seen while it trained with the views visible (the target: none over
100 ms). A figure, not a test.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from page_support import choose_sample, served_app, tid  # noqa: E402
from fcnn.run.settings import SAMPLES  # noqa: E402

SEED_CONFIG = {"hidden_layers": [8], "activation": "sigmoid", "optimizer": "sgd", "learning_rate": 0.01,
               "epochs": 500, "batch_size": 16, "weight_decay": 0, "early_stopping": 0, "seed": 20}
BOSTON = next(s for s in SAMPLES if s.name == "boston")

# Every long task (over 50 ms) the browser reports, from the page's first script on.
LONG_TASKS_JS = """(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: 'longtask', buffered: true });
})();"""

# Train pressed and the seconds until the run's `done`, on the page's own clock, waiting on the
# page's event (a Playwright poll would make the page draw frames it would not draw itself).
TRAIN_UNTIL_DONE_JS = """() => new Promise((resolve) => {
    const started = performance.now();
    document.addEventListener('fcnn:run-state', (e) => {
        if (e.detail.state === 'done' || e.detail.state === 'failed') resolve([e.detail.state, started, performance.now()]);
    });
    document.querySelector('[data-testid="train-button"]').click();
})"""

HIDE_VIEWS_CSS = ".ws-network, .ws-output { display: none !important; }"


def apply_settings(page, settings):
    """The settings typed into the controls as a person would, the layers with the editor."""
    page.evaluate(
        """(settings) => {
            const layers = settings.hidden_layers;
            const editor = () => [...document.querySelectorAll('[data-testid=layer-editor] input')];
            while (editor().length > layers.length) document.querySelector('[data-testid=remove-layer]').click();
            while (editor().length < layers.length) document.querySelector('[data-testid=add-layer]').click();
            editor().forEach((input, i) => { input.value = String(layers[i]); input.dispatchEvent(new Event('change', {bubbles: true})); });
            const ids = {activation: 'activation-select', optimizer: 'optimizer-select', learning_rate: 'learning-rate',
                         epochs: 'epochs', batch_size: 'batch-size', weight_decay: 'weight-decay',
                         early_stopping: 'early-stopping', seed: 'seed'};
            for (const [key, id] of Object.entries(ids)) {
                if (!(key in settings)) continue;
                const control = document.querySelector(`[data-testid=${id}]`);
                control.value = String(settings[key]);
                control.dispatchEvent(new Event('change', {bubbles: true}));
            }
        }""",
        settings,
    )


def timed_run(page):
    page.wait_for_selector(f"{tid('train-button')}:enabled")
    state, started, ended = page.evaluate(TRAIN_UNTIL_DONE_JS)
    if state != "done":
        raise SystemExit(f"the run ended {state}: {page.text_content(tid('error-message'))}")
    page.wait_for_selector(f'{tid("status")}[data-state="done"]')
    longest = page.evaluate("([a, b]) => Math.max(0, ...window.__longTasks.filter(([t]) => t >= a && t <= b).map(([, d]) => d))",
                            [started, ended])
    return (ended - started) / 1000, longest


def set_views(page, visible):
    page.evaluate(
        """([visible, css]) => {
            let style = document.getElementById('bench-hide-views');
            if (!visible && !style) {
                style = Object.assign(document.createElement('style'), {id: 'bench-hide-views', textContent: css});
                document.head.append(style);
            }
            if (visible && style) style.remove();
        }""",
        [visible, HIDE_VIEWS_CSS],
    )


def bench(page, name, settings, runs):
    print(f"\n{name}: {json.dumps(settings)}")
    apply_settings(page, settings)
    times = {True: [], False: []}
    longest = 0.0
    timed_run(page)  # warm-up: the first run pays for code paths compiled once
    for i in range(runs):
        for visible in (True, False) if i % 2 == 0 else (False, True):
            set_views(page, visible)
            seconds, long_task = timed_run(page)
            times[visible].append(seconds)
            if visible:
                longest = max(longest, long_task)
            print(f"  run {i + 1} views {'visible' if visible else 'hidden '}: {seconds:.2f} s"
                  + (f" (longest main-thread task {long_task:.0f} ms)" if visible else ""))
    set_views(page, True)
    shown, hidden = statistics.median(times[True]), statistics.median(times[False])
    print(f"  median visible {shown:.2f} s, hidden {hidden:.2f} s: ratio {shown / hidden:.3f} (target ≤ 1.10); "
          f"longest main-thread task while training with the views visible: {longest:.0f} ms (target ≤ 100)")
    return shown / hidden


def bench_samples(page):
    print("\nevery sample with its own settings, the workspace visible:")
    for sample in SAMPLES:
        choose_sample(page, sample.name)
        seconds, longest = timed_run(page)
        key = "metric-r2" if sample.task == "regression" else "metric-accuracy"
        metric = page.text_content(tid(key)).strip()
        (wanted, least), = sample.expect.items()
        print(f"  {sample.title:<24} {seconds:5.2f} s  {'R²' if sample.task == 'regression' else 'accuracy'} {metric}"
              f" (stated ≥ {least}); longest main-thread task {longest:.0f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args()
    with served_app(viewport={"width": args.width, "height": args.height}) as page:
        page.set_default_timeout(300_000)
        page.evaluate(LONG_TASKS_JS)  # buffered: the long tasks since the page opened are in too
        choose_sample(page, "boston")
        bench(page, "the seed's configuration on Boston", SEED_CONFIG, args.runs)
        bench(page, "Boston as the page opens it", BOSTON.settings, args.runs)
        bench_samples(page)


if __name__ == "__main__":
    main()
