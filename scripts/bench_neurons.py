#!/usr/bin/env python3
"""What the neuron maps cost: in CPython, and in the real page while training.

    python scripts/bench_neurons.py [--epochs 1500] [--no-browser]

* CPython: Session.neuron_maps for circles with 2 hidden layers of 16 (a 24×24 grid),
  10 layers of 512 (the grid a big network gets) and Boston with 10 layers of 512
  (histograms over the test rows): the best and median of 5 calls, and the answer's size.
* The page (Chromium, the repository served on 127.0.0.1 as the browser tests serve it):
  circles, 2 hidden layers of 16, tanh, trained for --epochs with the maps off screen (the
  Network column's Nodes face shown: the Neurons face is hidden), then on screen (the
  Neurons face), twice each. Printed for each run: samples/s as the page shows it (the
  training slices only), the neuron_maps calls made, their mean round trip (the page's
  `fcnn neuron_maps` user-timing entries) and their share of the training time. Then
  one epoch of 10 layers of 512 on circles (grid) and on Iris (histograms), maps on screen.

The page asks for the maps only while the Neurons face is on screen, and while training at most
once per 25× the last call's time of training (views/neuron-maps.js), so their share of
the time stays near 4 %. On a machine busy with other work samples/s varies from run
to run by more than that: compare the shares, not the speeds.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def time_calls(session, size, runs=5):
    times = []
    for _ in range(runs):
        begun = time.perf_counter()
        text = session.neuron_maps(size)
        times.append((time.perf_counter() - begun) * 1000)
    return min(times), statistics.median(times), json.loads(text), len(text)


def bench_python():
    from fcnn.web.session import Session

    cases = [("circles", None, "label", [16, 16]), ("circles", None, "label", [512] * 10),
             (None, "boston.csv", "MEDV", [512] * 10)]
    for sample, file, target, layers in cases:
        session = Session()
        if sample:
            session.load_sample(sample, 0)
        else:
            session.load_csv((ROOT / "static" / "data" / file).read_text(), file)
        session.start(json.dumps({"target": target, "hidden_layers": layers, "epochs": 1}))
        best, median, answer, size = time_calls(session, 24)
        shape = f"{answer['size']}×{answer['size']} grid" if answer["kind"] == "grid" else f"histograms of {answer['n_rows']} rows"
        print(f"CPython {sample or file} {len(layers)}×{layers[0]}: {shape}, best {best:.1f} ms, "
              f"median {median:.1f} ms, answer {size / 1000:.0f} kB")


def set_network(page, widths, activation, sample):
    from page_support import choose_sample, set_layers, tid

    choose_sample(page, sample)
    page.select_option(tid("network-face"), "neurons")  # the layer editor is the Neurons face's head row
    set_layers(page, widths)
    page.select_option(tid("activation-select"), activation)
    page.fill(tid("early-stopping"), "0")


def timed_run(page, epochs, maps_on_screen):
    """One run, with the Neurons face (its maps) shown or the Nodes face in its place."""
    from page_support import click_marked, tid, wait_for_run_state, wait_state

    page.evaluate("() => performance.clearMeasures()")
    page.fill(tid("epochs"), str(epochs))
    page.select_option(tid("network-face"), "neurons" if maps_on_screen else "nodes")
    pressed = click_marked(page, "train-button")
    wait_for_run_state(page, "done", "failed", after=pressed, timeout=600_000)
    wait_state(page, "done", "error")
    durations = page.evaluate("""() => Object.fromEntries(['fcnn neuron_maps', 'fcnn train_for'].map((n) =>
                                  [n, performance.getEntriesByName(n).map((e) => e.duration)]))""")
    maps, train = durations["fcnn neuron_maps"], durations["fcnn train_for"]
    share = sum(maps) / sum(train) if train else 0.0
    mean = sum(maps) / len(maps) if maps else 0.0
    return (f"{page.text_content(tid('samples-per-second'))}, {len(maps)} map calls of {mean:.0f} ms on average, "
            f"{100 * share:.1f} % of the training time")


def bench_page(epochs):
    from page_support import served_app

    with served_app() as page:
        set_network(page, [16, 16], "tanh", "circles")
        for on_screen in (False, True, False, True):
            where = "on screen" if on_screen else "off screen"
            print(f"page circles 2×16, {epochs} epochs, maps {where}: {timed_run(page, epochs, on_screen)}")
        set_network(page, [512] * 10, "sigmoid", "circles")
        print(f"page circles 10×512, 1 epoch, maps on screen: {timed_run(page, 1, True)}")
        set_network(page, [512] * 10, "sigmoid", "iris")
        print(f"page iris 10×512 (histograms), 1 epoch, maps on screen: {timed_run(page, 1, True)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1500)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.1f}")
    bench_python()
    if not args.no_browser:
        bench_page(args.epochs)


if __name__ == "__main__":
    main()
