"""What the benchmark scripts share: the seeded big CSV, the page's layer editor, the machine's
description, and the arithmetic that splits a page's training time into where it went
(pure functions, tested in tests/run/test_bench_support.py).

Times are milliseconds on the page's own clock (performance.now()) unless a name says seconds.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

# The seed's configuration (Boston, target MEDV; the rest at the page's defaults) and the throughput
# run (a 20-column CSV, target "target"), as the page's controls set them.
SEED_SETTINGS = {"hidden_layers": [8], "activation": "sigmoid", "optimizer": "sgd", "learning_rate": 0.0008,
                 "batch_size": 8, "epochs": 500, "scaling": "minmax", "early_stopping": 0}
THROUGHPUT_SETTINGS = {"hidden_layers": [64, 64], "activation": "relu", "optimizer": "adam", "learning_rate": 0.003,
                       "batch_size": 256, "epochs": 5, "scaling": "standard", "early_stopping": 0}
# the options of `python -m fcnn train` that mean the seed's configuration (a unit test checks they agree)
SEED_CLI = ["--seed-config", "--hidden", "8", "--lr", "0.0008", "--batch-size", "8", "--epochs", "500"]


def write_csv(path, rows=100_000, columns=20, seed=0):
    """A seeded regression CSV: columns − 1 normal features x1… and a linear target with noise,
    written with 6 significant digits."""
    rng = np.random.default_rng(seed)
    n_features = columns - 1
    x = rng.normal(size=(rows, n_features))
    y = x @ rng.normal(size=n_features) + 0.1 * rng.normal(size=rows)
    header = ",".join([f"x{i}" for i in range(1, n_features + 1)] + ["target"])
    body = np.column_stack([x, y])
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(header + "\n")
        np.savetxt(out, body, fmt="%.6g", delimiter=",")
    return path


def set_layers(page, widths):
    """The hidden layers through the page's layer editor: add or remove layers, then type each width."""
    editor = page.locator('[data-testid="layer-editor"] input')
    while editor.count() < len(widths):
        page.click('[data-testid="add-layer"]')
    while editor.count() > len(widths):
        page.click('[data-testid="remove-layer"]')
    for k, width in enumerate(widths):
        editor.nth(k).fill(str(width))


# ------------------------------------------------------------------------------ the machine


def cpu_model():
    """The CPU's model name from /proc/cpuinfo (Linux), else what platform says."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def pyodide_version():
    package = ROOT / "static" / "vendor" / "pyodide" / "package.json"
    try:
        return json.loads(package.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "unknown"


def machine(chromium_version=None, pyodide_numpy=None):
    """The machine and the runtimes, as one dict for the printout and the JSON."""
    return {
        "cpu": cpu_model(), "cores": os.cpu_count(), "load_average_1min": round(os.getloadavg()[0], 2),
        "python": sys.version.split()[0], "numpy": np.__version__, "chromium": chromium_version,
        "pyodide": pyodide_version(), "pyodide_numpy": pyodide_numpy, "blas_threads": blas_threads(),
    }


def blas_threads():
    """How many threads numpy's BLAS uses here (threadpoolctl comes with scikit-learn), or "default"."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "default"
    counts = [pool["num_threads"] for pool in threadpool_info() if pool.get("user_api") == "blas"]
    return max(counts) if counts else "default"


def settings_mismatches(config, settings):
    """The settings a run's validated config does not hold as asked: {name: (asked, got)}."""
    return {key: (value, config.get(key)) for key, value in settings.items() if config.get(key) != value}


def medians_and_ratios(numerators, denominators):
    """Run by run pairs (a run of one side, then the run of the other): both medians, the ratio of
    the medians, and the median of the run-by-run ratios (on a busy machine the steadier one, as
    both runs of a pair saw about the same load)."""
    top, bottom = statistics.median(numerators), statistics.median(denominators)
    pairs = [a / b for a, b in zip(numerators, denominators) if b]
    return top, bottom, (top / bottom if bottom else None), (statistics.median(pairs) if pairs else None)


# ------------------------------------------------------------------------------ where the page's time went


def engine_ms_per_call(calls, answers):
    """Each call's engine time: calls are (start, duration) round trips; answers are (at, engine_ms),
    the moments the page read an answer carrying engine_ms. A call's answer is the first one read
    at or after the call ended (the page reads each answer as it arrives). None when none was."""
    answers = sorted(answers)
    found, k = [], 0
    for start, duration in sorted(calls):
        end = start + duration - 1e-6  # start + duration may round a hair past the moment it was read
        while k < len(answers) and answers[k][0] < end:
            k += 1
        if k < len(answers):
            found.append(answers[k][1])
            k += 1
        else:
            found.append(None)
    return found


def _inside(start, duration, spans):
    return any(lo <= start and start + duration <= hi for lo, hi in spans)


def time_breakdown(measures, answers, begun, ended, slice_call="train_for"):
    """Splits the page's time from ``begun`` (Train pressed) to ``ended`` (the run done) into parts
    that add up to the total:

    - engine: the Python time inside each slice call (its answer's engine_ms);
    - round_trips: each slice call's round trip minus its engine time (the message to the
      worker and back, the answer's JSON text);
    - between_slices: the page's own work (drawing, JS) between one slice's answer and the next
      slice's call, without the other engine calls made there;
    - outside_slices: the page's own work before the first slice (after Train) and after the last;
    - other_calls: the other engine calls started in the window, by name: count, and the ms of
      their round trips that fell outside every slice call (the page's views ask while a slice
      trains; the worker answers one call at a time, so the part under a slice is waiting, and what
      such a call costs the worker shows in the next slice's round trip).

    measures: (name, start, duration) of the page's `fcnn <call>` user-timing entries."""
    window = [(n, s, d) for n, s, d in measures if begun <= s <= ended]
    slices = sorted((s, d) for n, s, d in window if n == slice_call)
    others = [(n, _after_slice(s, slices), d - _overlap(s, d, slices)) for n, s, d in window if n != slice_call]
    engine = [e or 0.0 for e in engine_ms_per_call(slices, answers)]
    gaps = [(a + da, b) for (a, da), (b, _) in zip(slices, slices[1:])]
    other_calls = {}
    for name, _, outside_slices in others:
        count, total = other_calls.get(name, (0, 0.0))
        other_calls[name] = (count + 1, total + outside_slices)
    in_gaps = sum(d for _, s, d in others if _inside(s, d, gaps))
    between = sum(b - a for a, b in gaps) - in_gaps
    total = ended - begun
    slice_time = sum(d for _, d in slices)
    outside = total - slice_time - between - sum(d for _, _, d in others)
    return {
        "total_ms": total, "slices": len(slices), "engine_ms": sum(engine),
        "round_trips_ms": slice_time - sum(engine), "between_slices_ms": between,
        "outside_slices_ms": outside,
        "other_calls": {name: {"count": c, "ms": ms} for name, (c, ms) in sorted(other_calls.items())},
        "first_slice_at_ms": slices[0][0] - begun if slices else None,
    }


def _after_slice(start, slices):
    """Where a call begun at ``start`` leaves the slice call it began under (``start`` if none)."""
    return max([start] + [s + d for s, d in slices if s <= start < s + d])


def _overlap(start, duration, intervals):
    """How much of [start, start + duration] the (start, duration) intervals cover (they do not overlap)."""
    end = start + duration
    return sum(max(0.0, min(end, s + d) - max(start, s)) for s, d in intervals)


def long_tasks_within(tasks, begun, ended):
    """Count and longest duration of the main thread's long tasks (start, duration) that began in the window."""
    inside = [d for s, d in tasks if begun <= s <= ended]
    return {"count": len(inside), "max_ms": max(inside, default=0.0)}
