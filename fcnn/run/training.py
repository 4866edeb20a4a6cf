"""A training run on a table: settings, preprocessing, the graph, the trainer, the results.

    table → prepare (split, impute, encode, scale) → Network → Trainer → metrics → Model
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields

import numpy as np

from . import metrics as fm
from ..errors import ConfigError, FcnnError
from .model import Model, decoded_output
from ..engine.network import TASKS, Network
from ..engine.nodes import ACTIVATIONS
from ..engine.optimizers import OPTIMIZERS, make_optimizer
from ..tables import prepare, stratified_split
from ..tables import train_test_split
from ..engine.trainer import Trainer

MAX_LAYERS = 10
MAX_UNITS = 512
MAX_EPOCHS = 100_000


@dataclass
class TrainingConfig:
    """Everything that decides a run. The defaults are the app's, chosen by ``python -m fcnn.bench``."""

    target: str
    features: list | None = None  # None: every other usable column
    task: str = "auto"  # auto, regression, binary, multiclass
    hidden_layers: list = field(default_factory=lambda: [64, 32])
    activation: str = "relu"
    optimizer: str = "adam"
    learning_rate: float = 0.003
    epochs: int = 200
    batch_size: int = 32
    weight_decay: float = 0.01
    early_stopping: int = 0  # patience in epochs; 0 turns it off
    validation_fraction: float = 0.15  # of the training rows, held out only when early stopping is on
    seed: int = 20
    split_seed: int | None = None  # the train/test split's own seed; None: the same as seed
    test_fraction: float = 0.3
    scaling: str = "standard"  # standard, minmax
    missing: str = "impute"  # impute, drop

    @classmethod
    def from_dict(cls, values):
        """From a JSON object; unknown keys are refused so typos do not pass silently."""
        values = dict(values)
        if "hidden_units" in values and "hidden_layers" not in values:  # the first page's single field
            values["hidden_layers"] = [values.pop("hidden_units")]
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ConfigError(f"unknown setting {unknown[0]!r}; the settings are: {', '.join(sorted(names))}")
        if "target" not in values:
            raise ConfigError("no target column is chosen; choose the column to predict")
        return cls(**values)

    def validated(self):
        """A copy with every number checked and coerced, or ConfigError naming the setting to fix."""
        layers = self.hidden_layers
        if isinstance(layers, (int, float, str)):
            layers = [p for p in str(layers).replace(" ", "").split(",") if p]
        layers = [_as_int(f"hidden layer {i} units", v, 1, MAX_UNITS) for i, v in enumerate(layers, start=1)]
        if len(layers) > MAX_LAYERS:
            raise ConfigError(f"{len(layers)} hidden layers is too many; use at most {MAX_LAYERS}")
        choice = {
            "task": (self.task, ("auto",) + TASKS),
            "activation": (self.activation, tuple(ACTIVATIONS)),
            "optimizer": (self.optimizer, tuple(OPTIMIZERS)),
            "scaling": (self.scaling, ("standard", "minmax")),
            "missing": (self.missing, ("impute", "drop")),
        }
        for label, (value, allowed) in choice.items():
            if value not in allowed:
                raise ConfigError(f"{label} {value!r} is not one of: {', '.join(allowed)}")
        return TrainingConfig(
            target=str(self.target),
            features=None if self.features is None else [str(f) for f in self.features],
            task=self.task,
            hidden_layers=layers,
            activation=self.activation,
            optimizer=self.optimizer,
            learning_rate=_as_float("learning rate", self.learning_rate, 0.0, 10.0, low_open=True, example="0.003"),
            epochs=_as_int("epochs", self.epochs, 1, MAX_EPOCHS),
            batch_size=_as_int("batch size", self.batch_size, 1, None),
            weight_decay=_as_float("L2 weight decay", self.weight_decay, 0.0, 10.0, example="0.0001"),
            early_stopping=_as_int("early-stopping patience", self.early_stopping, 0, MAX_EPOCHS),
            validation_fraction=_as_float("validation fraction", self.validation_fraction, 0.0, 0.5, example="0.15"),
            seed=_as_int("seed", self.seed, 0, 2**32 - 1),
            split_seed=None if self.split_seed is None else _as_int("split seed", self.split_seed, 0, 2**32 - 1),
            test_fraction=_as_float("test fraction", self.test_fraction, 0.0, 0.9, low_open=True, example="0.3"),
            scaling=self.scaling,
            missing=self.missing,
        )

    def to_dict(self):
        return asdict(self)


def _is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _as_int(label, value, low, high):
    if _is_blank(value):
        raise ConfigError(f"{label} is empty; enter a whole number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{label} {value!r} is not a number; enter a whole number") from None
    if not math.isfinite(number) or number != int(number):
        raise ConfigError(f"{label} {value!r} is not a whole number; enter a whole number")
    number = int(number)
    if number < low or (high is not None and number > high):
        bound = f"at least {low}" if high is None else f"from {low} to {high}"
        raise ConfigError(f"{label} {number} is out of range; use a whole number {bound}")
    return number


def _as_float(label, value, low, high, low_open=False, example="1"):
    if _is_blank(value):
        raise ConfigError(f"{label} is empty; enter a number such as {example}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{label} {value!r} is not a number; enter a number such as {example}") from None
    too_low = number <= low if low_open else number < low
    if not math.isfinite(number) or too_low or number > high:
        side = "above" if low_open else "at least"
        raise ConfigError(f"{label} {value!r} is out of range; use a number {side} {low:g} and at most {high:g}, such as {example}")
    return number


class Experiment:
    """One run: prepares the table, builds the graph and trains it a slice at a time."""

    def __init__(self, table, config, callback=None, columns_info=None):
        """columns_info: ``infer_columns(table)`` when the caller has it (see ``prepare``)."""
        self.config = cfg = config.validated()
        self.data = prepare(
            table, cfg.target, features=cfg.features, task=None if cfg.task == "auto" else cfg.task,
            scaling=cfg.scaling, missing=cfg.missing, test_fraction=cfg.test_fraction, seed=cfg.seed,
            columns_info=columns_info,
        )
        self.task = self.data.task
        self.classes = list(self.data.classes or [])
        rng = np.random.default_rng(cfg.seed)  # weights, validation split, shuffling
        x, y = self.data.x_train, self._labels(self.data.y_train)
        # Early stopping decides on a validation split of the training rows.
        # Without it, the held-out curve is the test loss: shown, never used to decide.
        self.held_out = "test"
        x_val, y_val = self.data.x_test, self._labels(self.data.y_test)
        if cfg.early_stopping > 0 and cfg.validation_fraction > 0 and len(x) >= 10:
            self.held_out = "validation"
            if self.task == "regression":
                fit_idx, val_idx = train_test_split(len(x), cfg.validation_fraction, rng)
            else:
                fit_idx, val_idx = stratified_split(np.asarray(self.data.y_train), cfg.validation_fraction, rng)
            x, y, x_val, y_val = x[fit_idx], y[fit_idx], x[val_idx], y[val_idx]
        self.network = Network(self.data.x_train.shape[1], cfg.hidden_layers, cfg.activation, self.task,
                               max(len(self.classes), 1), rng)
        # sentences for the user: how the data was prepared, and settings adjusted to it
        self.notes = list(self.data.report["notes"])
        if cfg.batch_size > len(x):
            self.notes.append(
                f"the batch size {cfg.batch_size} is larger than the {len(x)} rows trained on, "
                "so each batch is all of them"
            )
        optimizer = make_optimizer(cfg.optimizer, self.network.parameters, cfg.learning_rate, cfg.weight_decay)
        self.trainer = Trainer(self.network, optimizer, x, y, batch_size=min(cfg.batch_size, len(x)),
                               epochs=cfg.epochs, rng=rng, x_val=x_val, y_val=y_val,
                               patience=cfg.early_stopping, metrics=self._epoch_metrics(x_val, y_val),
                               callback=callback)

    def _labels(self, encoded):
        """The label node's array: a column for regression and binary, one-hot rows for multi-class."""
        encoded = np.asarray(encoded)
        if self.task == "multiclass":
            return np.eye(len(self.classes))[encoded.astype(int)]
        return encoded.astype(float).reshape(-1, 1)

    def _epoch_metrics(self, x_val, y_val):
        if self.task == "regression" or x_val is None:
            return None

        def validation_accuracy(network):
            out = network.predict(x_val)
            if self.task == "binary":
                predicted, actual = (out[:, 0] >= 0.5).astype(int), y_val[:, 0].astype(int)
            else:
                predicted, actual = out.argmax(axis=1), y_val.argmax(axis=1)
            return {"val_accuracy": float(np.mean(predicted == actual))}

        return validation_accuracy

    # -- training ----------------------------------------------------------------------
    def train_for(self, seconds=None, max_epochs=None):
        return self.trainer.run(seconds=seconds, max_epochs=max_epochs)

    @property
    def finished(self):
        return self.trainer.finished

    # -- results -----------------------------------------------------------------------
    def test_output(self):
        """The network's output on the test rows (see Model.predict_output)."""
        return decoded_output(self.network, self.data.encoder, self.data.x_test)

    def test_metrics(self):
        out = self.test_output()
        if not np.all(np.isfinite(out)):
            raise FcnnError("the network's outputs are not finite numbers; lower the learning rate and train again")
        if self.task == "regression":
            return fm.regression_metrics(self.data.target_test, out)
        return fm.classification_metrics(self.data.target_test, out, self.classes)

    def model(self):
        return Model(
            self.network, self.data.pipeline, self.data.encoder, target=self.config.target,
            feature_columns=self.data.features, config=self.config.to_dict(),
            metrics=self.test_metrics(), history=[r.to_dict() for r in self.trainer.history],
        )
