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

from .trace import BatchTracer, trace_batch


@dataclass
class EpochRecord:
    """One epoch's figures.

    weight_norms[i], gradient_norms[i]: the Frobenius norms of layer i+1's
    weight matrix W (output layer last, as ``network.layers``) after the epoch,
    and of dLoss/dW of the epoch's LAST mini-batch (without weight decay).
    """

    epoch: int
    train_loss: float
    val_loss: float | None = None
    metrics: dict = field(default_factory=dict)
    learning_rate: float | None = None
    weight_norms: list = field(default_factory=list)
    gradient_norms: list = field(default_factory=list)

    def to_dict(self):
        """The figures a model file's history keeps (the layer norms are for the live chart only,
        so a saved model's file stays as it was)."""
        record = asdict(self)
        del record["weight_norms"], record["gradient_norms"]
        return record


def frobenius_norm(array):
    """‖A‖ = √(Σ a²): what np.linalg.norm computes for a contiguous array (the same dot of
    the flattened array, so the same number), without its Python-level dispatch."""
    flat = array.reshape(-1)
    return math.sqrt(float(np.dot(flat, flat)))


def layer_norms(network):
    """([‖W‖ per layer], [‖dLoss/dW‖ per layer]) as the weight nodes hold them now."""
    weights = [frobenius_norm(w.value) for w, _ in network.layers]
    gradients = [frobenius_norm(w.grad) for w, _ in network.layers]
    return weights, gradients


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

    def next_batch_rows(self):
        """The training rows (indexes into x_train) the next mini-batch trains on; nothing is consumed.

        At the start of an epoch this draws the epoch's shuffle, which
        ``train_step`` would draw first anyway (nothing else uses the rng in
        between), so the run goes on exactly as without the call."""
        return self._next_batch().copy()

    def _next_batch(self):
        """The next mini-batch's rows as a view of this epoch's order (no copy on the hot path)."""
        if self._order is None:  # the start of an epoch: a fresh shuffle
            self._order, self._position, self._loss_sum = self.rng.permutation(self.n_train), 0, 0.0
        return self._order[self._position : self._position + self.batch_size]

    def train_step(self):
        """One mini-batch. Returns the EpochRecord when it completes an epoch, else None."""
        batch = self._next_batch()
        loss = self.network.train_batch(batch)
        if not math.isfinite(loss):
            return self._diverged()
        self.optimizer.step()
        return self._advance(loss, len(batch))

    def trace_next_batch(self):
        """Trace the next mini-batch node by node and take its optimizer step, counted as a
        training step (``fcnn.engine.trace.trace_batch``); returns (BatchTrace, rows, EpochRecord or None).

        Training resumes exactly as if that batch had been trained by ``train_step``."""
        rows = self.next_batch_rows()
        network = self.network
        trace = trace_batch(network, self.optimizer, network.inputs.data[rows], network.labels.data[rows])
        if not trace.stepped:
            return trace, rows, self._diverged()
        return trace, rows, self._advance(trace.loss, len(rows))

    def peek_next_batch(self):
        """Trace the next mini-batch with the step it would take, and undo that step:
        returns (BatchTrace, rows); the run is left exactly as it was."""
        tracer, rows = self.next_batch_tracer()
        return tracer.run_to_end(), rows

    def next_batch_tracer(self):
        """A BatchTracer of the next mini-batch that only looks (its step is undone), to be run a
        piece at a time; returns (BatchTracer, rows). Its result is what ``peek_next_batch`` returns."""
        rows = self.next_batch_rows()
        network = self.network
        tracer = BatchTracer(network, self.optimizer, network.inputs.data[rows], network.labels.data[rows],
                             take_step=False)
        return tracer, rows

    def take_peeked_step(self, trace, rows):
        """Take the step of ``trace``, a ``peek_next_batch`` of the next batch ``rows``, counted as a
        training step: returns (the BatchTrace whose step was taken, EpochRecord or None).

        The batch is not computed again: the weights and the optimizer state the peeked step left
        are put back, so the run stands exactly as after ``trace_next_batch``. The caller makes sure
        the run has not moved on since the peek (the same next rows and weights). When the learning
        rate was changed since, the step is computed again at the new rate, as a step now would be."""
        if trace.after_step is None or trace.learning_rate != self.optimizer.learning_rate:
            taken, _, record = self.trace_next_batch()
            return taken, record
        if not trace.stepped:
            return trace, self._diverged()
        weights, optimizer_state = trace.after_step
        self.network.parameters.restore(weights)
        self.optimizer.restore_state(optimizer_state)
        return trace, self._advance(trace.loss, len(rows))

    def _advance(self, loss, rows):
        """Count a stepped batch of ``rows`` rows with ``loss``; the EpochRecord when the epoch ends."""
        self._loss_sum += loss * rows
        self._position += rows
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
        record = EpochRecord(self.epoch + 1, float(train_loss), val_loss, {}, self.optimizer.learning_rate,
                             *layer_norms(self.network))
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
                record = self._train_rest_of_epoch(deadline)
                if record is not None:
                    done.append(record)
                    if max_epochs is not None and len(done) >= max_epochs:
                        break
                if deadline is not None and time.perf_counter() >= deadline:
                    break
        return done

    def _train_rest_of_epoch(self, deadline):
        """``train_step`` over and over until the epoch ends (its EpochRecord), the loss
        diverges or ``deadline`` passes after a mini-batch (None). The same steps in the
        same order as ``train_step``; the hot loop of training, so it keeps to local names."""
        train_batch, step, clock, isfinite = self.network.train_batch, self.optimizer.step, time.perf_counter, math.isfinite
        self._next_batch()  # draws the epoch's shuffle at its start
        order, size, n_train = self._order, self.batch_size, self.n_train
        position, loss_sum = self._position, self._loss_sum
        try:
            while position < n_train:
                batch = order[position : position + size]
                loss = train_batch(batch)
                if not isfinite(loss):
                    return self._diverged()
                step()
                loss_sum += loss * len(batch)
                position += len(batch)
                if deadline is not None and position < n_train and clock() >= deadline:
                    return None
        finally:
            self._position, self._loss_sum = position, loss_sum
        self._order = None
        return self._end_epoch(loss_sum / n_train)

    def extend(self, epochs):
        """Allow more epochs after the run finished (Resume after the last epoch)."""
        if epochs > self.epochs:
            self.epochs = int(epochs)
            if self.stop_reason == "finished":
                self.stop_reason = None
