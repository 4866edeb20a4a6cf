"""Training a network on a table: settings, preprocessing, and an epoch loop that
can run in time slices (so a browser worker can answer between slices)."""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass

import numpy as np

from .data import MinMaxScaler, TargetScaler, numeric_matrix, r2_score, train_test_split
from .errors import ConfigError, DataError
from .network import SGD, Network

MAX_HIDDEN_UNITS = 4096
MAX_EPOCHS = 1_000_000


@dataclass
class TrainingConfig:
    """Everything that decides a run. The defaults train most small tables well."""

    target: str
    hidden_units: int = 8
    learning_rate: float = 0.003
    epochs: int = 200
    batch_size: int = 16
    seed: int = 20
    test_fraction: float = 0.3

    def validated(self):
        """This config with numbers coerced, or ConfigError saying which setting to fix."""
        hidden = _as_int("hidden units", self.hidden_units, 1, MAX_HIDDEN_UNITS)
        epochs = _as_int("epochs", self.epochs, 1, MAX_EPOCHS)
        batch = _as_int("batch size", self.batch_size, 1, None)
        seed = _as_int("seed", self.seed, 0, 2**32 - 1)
        try:
            lr = float(self.learning_rate)
        except (TypeError, ValueError):
            raise ConfigError(f"learning rate {self.learning_rate!r} is not a number; try 0.003") from None
        if not math.isfinite(lr) or lr <= 0 or lr > 10:
            raise ConfigError(f"learning rate {self.learning_rate!r} is out of range; use a number above 0 and at most 10, such as 0.003")
        fraction = float(self.test_fraction)
        if not 0 < fraction < 1:
            raise ConfigError(f"test fraction {fraction} must be between 0 and 1, such as 0.3")
        return TrainingConfig(str(self.target), hidden, lr, epochs, batch, seed, fraction)

    def to_dict(self):
        return asdict(self)


def _as_int(label, value, low, high):
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


@dataclass
class EpochRecord:
    epoch: int
    loss: float


class RegressionRun:
    """One training run: split and scale the table, build the graph, train, report.

    Features are min-max scaled and the target standardised (TargetScaler),
    both fitted on the training rows; predictions are mapped back to the
    target's units.
    """

    def __init__(self, table, config):
        self.config = config = config.validated()
        if config.target not in table.columns:
            raise ConfigError(f"the data has no column {config.target!r}; choose the target from: {', '.join(table.columns)}")
        self.feature_names = [c for c in table.columns if c != config.target]
        if not self.feature_names:
            raise DataError("the data has only the target column; add at least one feature column")
        x = numeric_matrix(table, self.feature_names)
        y = numeric_matrix(table, [config.target])
        self.rng = np.random.default_rng(config.seed)
        self.train_idx, self.test_idx = train_test_split(table.n_rows, config.test_fraction, self.rng)
        self.x_scaler = MinMaxScaler().fit(x[self.train_idx])
        self.y_scaler = TargetScaler().fit(y[self.train_idx])
        self.x_train = self.x_scaler.transform(x[self.train_idx])
        self.y_train = self.y_scaler.transform(y[self.train_idx])
        self.x_test, self.y_test = x[self.test_idx], y[self.test_idx, 0]
        self.network = Network(len(self.feature_names), config.hidden_units, self.rng)
        self.network.inputs.data = self.x_train
        self.network.labels.data = self.y_train
        self.optimizer = SGD(config.learning_rate)
        self.history = []
        self._order, self._position, self._loss_sum = None, 0, 0.0

    @property
    def epoch(self):
        return len(self.history)

    @property
    def finished(self):
        return self.epoch >= self.config.epochs

    def train_step(self):
        """One mini-batch. Returns an EpochRecord when it completes an epoch, else None."""
        n = len(self.x_train)
        if self._order is None:  # the start of an epoch: a fresh shuffle
            self._order, self._position, self._loss_sum = self.rng.permutation(n), 0, 0.0
        batch = self._order[self._position : self._position + self.config.batch_size]
        loss = self.network.train_batch(batch)
        self.optimizer.step(self.network.weights)
        self._loss_sum += loss * len(batch)
        self._position += len(batch)
        if self._position < n:
            return None
        record = EpochRecord(self.epoch + 1, self._loss_sum / n)
        self.history.append(record)
        self._order = None
        return record

    def train_for(self, seconds=None, max_epochs=None):
        """Train until the run ends, ``seconds`` pass, or ``max_epochs`` more epochs are done.

        Stops only between mini-batches, so any slicing gives the same result.
        Returns the epochs completed in this call.
        """
        deadline = None if seconds is None else time.perf_counter() + seconds
        done = []
        while not self.finished:
            record = self.train_step()
            if record is not None:
                done.append(record)
                if max_epochs is not None and len(done) >= max_epochs:
                    break
            if deadline is not None and time.perf_counter() >= deadline:
                break
        return done

    def predict(self, x):
        """Predictions in the target's units for raw (unscaled) feature rows."""
        scaled = self.network.predict(self.x_scaler.transform(x))
        return self.y_scaler.inverse_transform(scaled[:, None])[:, 0]

    def test_results(self):
        """(actual, predicted, R²) on the test rows."""
        predicted = self.predict(self.x_test)
        return self.y_test, predicted, r2_score(self.y_test, predicted)
