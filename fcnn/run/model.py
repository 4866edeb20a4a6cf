"""The model file: a versioned JSON document with everything needed to predict.

It holds the architecture, the weights, the feature pipeline (imputation,
one-hot encoders, scaler), the target encoder, the column names, the
training configuration, the metrics and the loss history. Loading validates
the format, version, names and every shape, and refuses a bad file with a
message that says what is wrong. Nothing is unpickled or evaluated.
"""

from __future__ import annotations

import json
import math
import pathlib

import numpy as np

from ..errors import DataError, FcnnError
from ..engine.network import Network
from ..tables import FeaturePipeline, TargetEncoder

FORMAT = "fcnn-model"
VERSION = 1


class ModelFileError(FcnnError):
    """A model file that cannot be used: malformed, another version, wrong shapes or names."""


class Model:
    """A trained network with its preprocessing: ``predict(rows)`` takes raw rows."""

    def __init__(self, network, pipeline, encoder, *, target, feature_columns, config=None, metrics=None, history=None):
        self.network, self.pipeline, self.encoder = network, pipeline, encoder
        self.target, self.feature_columns = target, list(feature_columns)
        self.config, self.metrics, self.history = config or {}, metrics or {}, history or []

    @property
    def task(self):
        return self.network.task

    def _features(self, rows):
        """Raw rows (dicts by column name, or lists in ``feature_columns`` order) → scaled matrix."""
        rows = list(rows)
        ordered = []
        for number, row in enumerate(rows, start=1):
            if isinstance(row, dict):
                missing = [c for c in self.feature_columns if c not in row]
                if missing:
                    raise FcnnError(f"row {number} has no value for the column {missing[0]!r}; the model needs: {', '.join(self.feature_columns)}")
                ordered.append([row[c] for c in self.feature_columns])
            else:
                row = list(row)
                if len(row) != len(self.feature_columns):
                    raise FcnnError(f"row {number} has {len(row)} values; the model needs {len(self.feature_columns)}: {', '.join(self.feature_columns)}")
                ordered.append(row)
        return self.pipeline.transform_rows(ordered)

    def predict_output(self, rows):
        """The network's output for raw rows: values in target units (regression),
        or class probabilities (one column per class)."""
        out = decoded_output(self.network, self.encoder, self._features(rows))
        broken = ~np.isfinite(out.reshape(len(out), -1)).all(axis=1)
        if broken.any():
            # not a bug to report: the row's values are far outside those trained on
            raise DataError(
                f"the prediction for row {int(np.argmax(broken)) + 1} is not a finite number: its values are "
                "far outside those the model was trained on; check them"
            )
        return out

    def predict(self, rows):
        """Predictions for raw rows: numbers (regression) or class labels."""
        out = self.predict_output(rows)
        if self.task == "regression":
            return np.asarray(out, dtype=float)
        return self.encoder.decode(np.argmax(out, axis=1))

    # -- the file ----------------------------------------------------------------
    def to_dict(self):
        return {
            "format": FORMAT,
            "version": VERSION,
            "architecture": self.network.spec(),
            "weights": {w.name: w.value.tolist() for w in self.network.weights},
            "feature_columns": self.feature_columns,
            "target": self.target,
            "pipeline": self.pipeline.to_dict(),
            "target_encoder": self.encoder.to_dict(),
            "config": self.config,
            "metrics": self.metrics,
            "history": self.history,
        }

    def to_json(self):
        return json.dumps(self.to_dict(), allow_nan=False)

    def save(self, path):
        pathlib.Path(path).write_text(self.to_json(), encoding="utf-8")


def decoded_output(network, encoder, x):
    """The network's output on scaled rows ``x``, in the user's terms: values in target
    units (regression, shape (n,)), or class probabilities (one column per class)."""
    out = network.predict(x)
    if network.task == "regression":
        return encoder.decode(out[:, 0])
    if network.task == "binary":
        return np.column_stack([1.0 - out[:, 0], out[:, 0]])
    return out


# What to do about a damaged or foreign file, said once for every check below.
SAVED_BY_FCNN = "choose a model file saved by fcnn (Download the model), unchanged"


def _refusal(problem, fix=SAVED_BY_FCNN):
    """The error for an unusable file: what is wrong, then what to do."""
    return ModelFileError(f"this is not a usable fcnn model file: {problem}; {fix}")


def _require(condition, message, fix=SAVED_BY_FCNN):
    if not condition:
        raise _refusal(message, fix)


def model_from_dict(doc):
    """Build a Model from a parsed model document, validating every part."""
    _require(isinstance(doc, dict), "it is not a JSON object")
    found = doc.get("format")
    _require(found == FORMAT, "it is JSON, but has no 'format' entry of a model file" if found is None
             else f"its format is {found!r}, expected {FORMAT!r}")
    version = doc.get("version")
    _require(version == VERSION, f"it is version {version!r}, and this fcnn reads version {VERSION}",
             "train the model again in this fcnn and download it")
    for key in ("architecture", "weights", "feature_columns", "target", "pipeline", "target_encoder"):
        _require(key in doc, f"the part {key!r} is missing")
    arch = doc["architecture"]
    _require(isinstance(arch, dict), "'architecture' is not an object")
    try:
        network = Network(
            int(arch["n_inputs"]), [int(h) for h in arch["hidden_layers"]], str(arch["activation"]),
            str(arch["task"]), int(arch.get("n_outputs", 1)), np.random.default_rng(0),
        )
    except (KeyError, TypeError, ValueError, FcnnError) as exc:
        raise _refusal(f"its architecture is invalid ({exc})") from None
    weights = doc["weights"]
    _require(isinstance(weights, dict), "'weights' is not an object")
    expected = {w.name for w in network.weights}
    _require(set(weights) == expected, f"it has weights {sorted(weights)}, the architecture needs {sorted(expected)}")
    for w in network.weights:
        try:
            value = np.asarray(weights[w.name], dtype=float)
        except (TypeError, ValueError):
            raise _refusal(f"weights {w.name} are not numbers") from None
        _require(value.shape == w.value.shape, f"weights {w.name} have shape {value.shape}, the architecture needs {w.value.shape}")
        _require(bool(np.all(np.isfinite(value))), f"weights {w.name} hold values that are not finite")
        np.copyto(w.value, value)
    columns = doc["feature_columns"]
    _require(isinstance(columns, list) and all(isinstance(c, str) for c in columns), "'feature_columns' is not a list of names")
    try:
        pipeline = FeaturePipeline.from_dict(doc["pipeline"])
        encoder = TargetEncoder.from_dict(doc["target_encoder"])
    except (KeyError, TypeError, ValueError, FcnnError) as exc:
        raise _refusal(f"its preprocessing is invalid ({exc})") from None
    _require(list(pipeline.input_names) == columns, "its pipeline's columns differ from 'feature_columns'")
    _require(len(pipeline.output_names) == network.n_inputs,
             f"its pipeline makes {len(pipeline.output_names)} inputs, the network takes {network.n_inputs}")
    return Model(network, pipeline, encoder, target=str(doc["target"]), feature_columns=columns,
                 config=doc.get("config") or {}, metrics=doc.get("metrics") or {}, history=doc.get("history") or [])


def load_model(source):
    """Load a model from a path, or from the JSON text itself."""
    looks_like_json = isinstance(source, str) and source.lstrip()[:1] in ("{", "[")
    if isinstance(source, pathlib.Path) or (isinstance(source, str) and not looks_like_json):
        try:
            text = pathlib.Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise ModelFileError(f"cannot read the model file {str(source)!r}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise _refusal("it is not UTF-8 JSON text") from None
    elif isinstance(source, (bytes, bytearray)):
        try:
            text = bytes(source).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _refusal("it is not UTF-8 JSON text") from None
    else:
        text = str(source)
    if not text.strip():
        raise _refusal("the file is empty")
    try:
        doc = json.loads(text, parse_constant=lambda name: math.nan)
    except json.JSONDecodeError as exc:
        raise _refusal(f"it is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    return model_from_dict(doc)
