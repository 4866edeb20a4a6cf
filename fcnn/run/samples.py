"""Seeded 2-D toy data sets, generated in numpy and returned as CSV text.

They are made in code (not shipped as files) so the page can offer them
without a download, and so a shared link that names one reproduces it
exactly: the same name and seed give the same table on every machine.
"""

from __future__ import annotations

import numpy as np

from ..errors import FcnnError
from .settings import TOY_SAMPLES

DEFAULT_ROWS = 300


def _xor(rng, n):
    x = rng.uniform(-1, 1, size=(n, 2))
    label = np.where((x[:, 0] > 0) ^ (x[:, 1] > 0), "a", "b")
    return x, label


def _circles(rng, n):
    inner = n // 2
    radius = np.concatenate([rng.uniform(0, 0.45, inner), rng.uniform(0.65, 1.0, n - inner)])
    angle = rng.uniform(0, 2 * np.pi, n)
    x = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]) + rng.normal(0, 0.04, (n, 2))
    label = np.where(np.arange(n) < inner, "inner", "outer")
    return x, label


def _spirals(rng, n):
    half = n // 2
    t = np.sqrt(rng.uniform(0, 1, n)) * 3 * np.pi
    arm = np.arange(n) >= half
    angle = t + np.where(arm, np.pi, 0.0)
    x = np.column_stack([t * np.cos(angle), t * np.sin(angle)]) / (3 * np.pi) + rng.normal(0, 0.02, (n, 2))
    label = np.where(arm, "B", "A")
    return x, label


def _blobs(rng, n):
    centres = np.array([[-0.6, -0.5], [0.6, -0.4], [0.0, 0.6]])
    which = rng.integers(0, len(centres), n)
    x = centres[which] + rng.normal(0, 0.2, (n, 2))
    label = np.array(["red", "green", "blue"])[which]
    return x, label


def _surface(rng, n):
    x = rng.uniform(-1, 1, size=(n, 2))
    y = np.sin(3 * x[:, 0]) * np.cos(2 * x[:, 1]) + 0.5 * x[:, 0] + rng.normal(0, 0.05, n)
    return x, y


# name → generator; the titles and target columns are in settings.SAMPLES
TOY_SETS = {"xor": _xor, "circles": _circles, "spirals": _spirals, "blobs": _blobs, "surface": _surface}


def toy_csv(name, seed=0, rows=DEFAULT_ROWS):
    """The toy set ``name`` as CSV text (columns x1, x2 and the target), and its target column."""
    if name not in TOY_SETS:
        raise FcnnError(f"there is no sample called {name!r}; choose one of: {', '.join(TOY_SETS)}")
    rows = int(rows)
    if not 10 <= rows <= 100_000:
        raise FcnnError(f"{rows} rows is out of range; use from 10 to 100000")
    generate, target = TOY_SETS[name], TOY_SAMPLES[name].target
    x, y = generate(np.random.default_rng(int(seed)), rows)
    lines = [f"x1,x2,{target}"]
    if y.dtype.kind in "fi":
        lines += [f"{a:.6f},{b:.6f},{t:.6f}" for (a, b), t in zip(x, y)]
    else:
        lines += [f"{a:.6f},{b:.6f},{t}" for (a, b), t in zip(x, y)]
    return "\n".join(lines) + "\n", target
