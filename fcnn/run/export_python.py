"""A saved model as one plain Python file: numpy only, the weights inline.

    python -m fcnn export model.json --python model.py
    python model.py new.csv > predictions.csv      # as `python -m fcnn predict model.json new.csv`

The file holds the feature pipeline (median fill, scaling, one-hot), the
layers' weights and the answer's decoding as data, and a short forward pass:
the prediction graph of fcnn's network (linear, activation, …, output), with
the same formulas as the engine's nodes. Numbers are written with ``repr``,
so every weight round-trips exactly and the predictions equal fcnn's.
"""

from __future__ import annotations

import pprint

from .. import __version__
from ..tables import MISSING_TOKENS

TEMPLATE = '''#!/usr/bin/env python3
"""A neural network predicting {target!r} ({task}), exported by fcnn {version}. Needs only numpy.

    python {{this file}} new.csv > predictions.csv

Prints the CSV with one more column, predicted_{target}, exactly as
`python -m fcnn predict model.json new.csv` does. The CSV needs a header row
and the columns {columns}; other columns are kept and left out of the
prediction. The file is read as UTF-8 (else Windows-1252), its delimiter the
first of , ; tab | that splits the header; a file fcnn's reader would have to
repair (decimal commas, no header, ragged rows) is refused: run it through
`python -m fcnn predict` instead.
"""

import csv
import io
import math
import sys

import numpy as np

TASK = {task!r}
TARGET = {target!r}
ACTIVATION = {activation!r}
MISSING_TOKENS = {missing_tokens!r}

# each feature column: numeric (x missing → fill; then (x - offset) / scale) or
# categorical (one 0/1 input per category; missing → fill; an unseen value → all 0)
PIPELINE = {pipeline}

# per layer: W (inputs × units) and b (units); the activation follows every layer but the last
LAYERS = {layers}

# regression: prediction = output · scale + mean; classification: the class of the largest probability
TARGET_DECODING = {decoding!r}


def read_table(path):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\\n", 1)[0]
    delimiter = next((d for d in ",;\\t|" if d in first), ",")
    records = [[cell.strip() for cell in record] for record in csv.reader(io.StringIO(text), delimiter=delimiter)]
    records = [r for r in records if any(r)]
    if not records:
        sys.exit(f"error: {{path}} holds no rows")
    header, rows = records[0], records[1:]
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            sys.exit(f"error: line {{number}} of {{path}} has {{len(row)}} cells, the header {{len(header)}}; "
                     "fix the row or use python -m fcnn predict, which repairs such files")
    return header, rows


def number(cell):
    if cell.strip() in MISSING_TOKENS:
        return math.nan
    try:
        value = float(cell)
    except ValueError:
        sys.exit(f"error: {{cell!r}} is not a number; this column needs numbers")
    return value if math.isfinite(value) else math.nan


def features(header, rows):
    missing = [c["name"] for c in PIPELINE if c["name"] not in header]
    if missing:
        sys.exit(f"error: the file has no column {{missing[0]!r}}; the model needs: {{', '.join(c['name'] for c in PIPELINE)}}")
    blocks = []
    for column in PIPELINE:
        cells = [row[header.index(column["name"])] for row in rows]
        if column["kind"] == "numeric":
            values = np.array([number(cell) for cell in cells])
            values[np.isnan(values)] = column["fill"]
            blocks.append(((values - column["offset"]) / column["scale"])[:, None])
        else:
            slot = {{category: j for j, category in enumerate(column["categories"])}}
            hot = np.zeros((len(cells), len(column["categories"])))
            for k, cell in enumerate(cells):
                label = column["fill"] if cell.strip() in MISSING_TOKENS else cell.strip()
                if label in slot:
                    hot[k, slot[label]] = 1.0
            blocks.append(hot)
    return np.hstack(blocks)


def activation(z):
    if ACTIVATION == "relu":
        return np.maximum(z, 0.0)
    if ACTIVATION == "sigmoid":
        return np.tanh(z * 0.5) * 0.5 + 0.5  # the engine's form, which never overflows
    if ACTIVATION == "tanh":
        return np.tanh(z)
    return z


def predict(x):
    for k, (weights, biases) in enumerate(LAYERS):
        x = np.dot(x, np.array(weights)) + np.array(biases)
        if k < len(LAYERS) - 1:
            x = activation(x)
    if TASK == "regression":
        return [repr(float(v)) for v in x[:, 0] * TARGET_DECODING["scale"] + TARGET_DECODING["mean"]]
    if TASK == "binary":
        p = np.tanh(x[:, 0] * 0.5) * 0.5 + 0.5
        probabilities = np.column_stack([1.0 - p, p])
    else:
        shifted = np.exp(x - x.max(axis=1, keepdims=True))
        probabilities = shifted / shifted.sum(axis=1, keepdims=True)
    return [TARGET_DECODING["classes"][k] for k in probabilities.argmax(axis=1)]


def main(argv):
    if len(argv) != 2:
        sys.exit(f"usage: python {{argv[0]}} new.csv > predictions.csv")
    header, rows = read_table(argv[1])
    predictions = predict(features(header, rows)) if rows else []
    writer = csv.writer(sys.stdout, lineterminator="\\n")
    writer.writerow(header + ["predicted_" + TARGET])
    for row, value in zip(rows, predictions):
        writer.writerow(row + [value])


if __name__ == "__main__":
    main(sys.argv)
'''


def model_to_python(model):
    """The text of a standalone, numpy-only Python file predicting as ``model`` does."""
    network = model.network
    layers = [(w.value.tolist(), b.value.tolist()) for w, b in network.layers]
    if model.task == "regression":
        decoding = {"mean": float(model.encoder.scaler.mean_), "scale": float(model.encoder.scaler.scale_)}
    else:
        decoding = {"classes": list(model.encoder.classes)}
    return TEMPLATE.format(
        target=model.target, task=model.task, version=__version__, activation=network.activation,
        columns=", ".join(f.name for f in model.pipeline.encodings), missing_tokens=sorted(MISSING_TOKENS),
        pipeline=pprint.pformat([f.to_dict() for f in model.pipeline.encodings], width=110, sort_dicts=False),
        layers=pprint.pformat(layers, width=110, compact=True), decoding=decoding,
    )


def python_file_name(target):
    """A file name for the exported model: its target's letters and digits, e.g. fcnn-predict-species.py."""
    slug = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in str(target).lower()).strip("-")
    return f"fcnn-predict-{'-'.join(part for part in slug.split('-') if part) or 'target'}.py"


def write_python(model, path):
    with open(path, "w", encoding="utf-8") as out:
        out.write(model_to_python(model))
