"""The training loop: mini-batch gradient descent, an epoch at a time.

It can run in time slices (a browser worker answers the page between slices),
be stopped and resumed between any two mini-batches without losing state,
stop early on the validation loss and restore the best weights, and stop on
divergence, restoring the weights of the last finite epoch.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field

import numpy as np


@dataclass
class EpochRecord:
    epoch: int
    train_loss: float
    val_loss: float | None = None
    metrics: dict = field(default_factory=dict)
    learning_rate: float | None = None

    def to_dict(self):
        return asdict(self)


class Trainer:
    """Trains ``network`` with ``optimizer`` on (x_train, y_train).

    ``callback(record)`` is called after each epoch with the training loss
    (the mean over the epoch's mini-batches), the validation loss and
    ``metrics(network)`` when given. ``patience`` > 0 turns early stopping on.
    ``stop_reason`` ends as "finished", "early_stopping" or "diverged".
    """

    def __init__(self, network, optimizer, x_train, y_train, *, batch_size, epochs, rng,
                 x_val=None, y_val=None, patience=0, metrics=None, callback=None):
        self.network, self.optimizer, self.rng = network, optimizer, rng
        self.batch_size, self.epochs = int(batch_size), int(epochs)
        network.inputs.set_data(x_train)
        network.labels.set_data(y_train)
        self.n_train = len(x_train)
        self.x_val, self.y_val = x_val, y_val
        self.patience = int(patience) if x_val is not None and len(x_val) else 0
        self.metrics, self.callback = metrics, callback
        self.history = []
        self.stop_reason = None
        self.best_epoch, self.best_val_loss = 0, math.inf
        self._best = network.parameters.snapshot()
        self._last_finite = network.parameters.snapshot()
        self._wait = 0
        self._order, self._position, self._loss_sum = None, 0, 0.0

    @property
    def epoch(self):
        return len(self.history)

    @property
    def finished(self):
        return self.stop_reason is not None or self.epoch >= self.epochs

    @property
    def learning_rate(self):
        return self.optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        """Takes effect from the next mini-batch (the app changes it while paused)."""
        self.optimizer.learning_rate = float(value)

    def train_step(self):
        """One mini-batch. Returns the EpochRecord when it completes an epoch, else None."""
        if self._order is None:  # the start of an epoch: a fresh shuffle
            self._order, self._position, self._loss_sum = self.rng.permutation(self.n_train), 0, 0.0
        batch = self._order[self._position : self._position + self.batch_size]
        loss = self.network.train_batch(batch)
        if not math.isfinite(loss):
            return self._diverged()
        self.optimizer.step()
        self._loss_sum += loss * len(batch)
        self._position += len(batch)
        if self._position < self.n_train:
            return None
        self._order = None
        return self._end_epoch(self._loss_sum / self.n_train)

    def _end_epoch(self, train_loss):
        params = self.network.parameters
        val_loss = None
        if self.x_val is not None and len(self.x_val):
            val_loss = self.network.evaluate_loss(self.x_val, self.y_val)
        if not math.isfinite(train_loss) or (val_loss is not None and not math.isfinite(val_loss)):
            return self._diverged()
        np.copyto(self._last_finite, params.values)
        record = EpochRecord(self.epoch + 1, float(train_loss), val_loss, {}, self.optimizer.learning_rate)
        if self.metrics is not None:
            record.metrics = self.metrics(self.network)
        self.history.append(record)
        if val_loss is not None and val_loss < self.best_val_loss:
            self.best_val_loss, self.best_epoch, self._wait = val_loss, record.epoch, 0
            np.copyto(self._best, params.values)
        else:
            self._wait += 1
        if self.patience and self._wait >= self.patience:
            self.stop_reason = "early_stopping"
            params.restore(self._best)
        elif record.epoch >= self.epochs:
            self.stop_reason = "finished"
            if self.patience:
                params.restore(self._best)  # early stopping keeps the best validated weights
        if self.callback is not None:
            self.callback(record)
        return record

    def _diverged(self):
        self.stop_reason = "diverged"
        self.network.parameters.restore(self._last_finite)
        self._order = None
        return None

    def run(self, seconds=None, max_epochs=None):
        """Train until the run ends, ``seconds`` pass, or ``max_epochs`` more epochs are done.

        Stops only between mini-batches, so any slicing gives the same result.
        Returns the epochs completed in this call.
        """
        deadline = None if seconds is None else time.perf_counter() + seconds
        done = []
        with np.errstate(over="ignore", invalid="ignore"):
            while not self.finished:
                record = self.train_step()
                if record is not None:
                    done.append(record)
                    if max_epochs is not None and len(done) >= max_epochs:
                        break
                if deadline is not None and time.perf_counter() >= deadline:
                    break
        return done

    def extend(self, epochs):
        """Allow more epochs after the run finished (Resume after the last epoch)."""
        if epochs > self.epochs:
            self.epochs = int(epochs)
            if self.stop_reason == "finished":
                self.stop_reason = None
