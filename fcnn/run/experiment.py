"""A training run on a table: preprocessing, the graph, the trainer, the results.

    table → prepare (split, impute, encode, scale) → Network → Trainer → metrics → Model
"""

from __future__ import annotations

import numpy as np

from . import metrics as fm
from ..errors import FcnnError
from .model import Model, decoded_output
from ..engine.network import Network
from ..engine.optimizers import make_optimizer
from ..tables import prepare, stratified_split
from ..tables import train_test_split
from ..engine.trainer import Trainer


class Experiment:
    """One run: prepares the table, builds the graph and trains it a slice at a time."""

    def __init__(self, table, config, callback=None, columns_info=None):
        """columns_info: ``infer_columns(table)`` when the caller has it (see ``prepare``)."""
        self.config = cfg = config.validated()
        self.data = prepare(
            table, cfg.target, features=cfg.features, task=None if cfg.task == "auto" else cfg.task,
            scaling=cfg.scaling, missing=cfg.missing, test_fraction=cfg.test_fraction,
            seed=cfg.seed if cfg.split_seed is None else cfg.split_seed,
            columns_info=columns_info,
        )
        self.task = self.data.task
        self.classes = list(self.data.classes or [])
        rng = np.random.default_rng(cfg.seed)  # weights, validation split, shuffling
        x, y = self.data.x_train, self.labels(self.data.y_train)
        # Early stopping decides on a validation split of the training rows.
        # Without it, the held-out curve is the test loss: shown, never used to decide.
        self.held_out = "test"
        x_val, y_val = self.data.x_test, self.labels(self.data.y_test)
        # row k of the trainer's x is table row trained_rows[k] (a trace names its batch by these)
        self.trained_rows = self.data.train_rows
        if cfg.early_stopping > 0 and cfg.validation_fraction > 0 and len(x) >= 10:
            self.held_out = "validation"
            if self.task == "regression":
                fit_idx, val_idx = train_test_split(len(x), cfg.validation_fraction, rng)
            else:
                fit_idx, val_idx = stratified_split(np.asarray(self.data.y_train), cfg.validation_fraction, rng)
            x, y, x_val, y_val = x[fit_idx], y[fit_idx], x[val_idx], y[val_idx]
            self.trained_rows = self.data.train_rows[fit_idx]
        self.network = Network(self.data.x_train.shape[1], cfg.hidden_layers, cfg.activation, self.task,
                               max(len(self.classes), 1), rng)
        # sentences for the user: how the data was prepared, and settings adjusted to it
        self.notes = list(self.data.report.notes)
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

    def labels(self, encoded):
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

    # -- the loss's units ---------------------------------------------------------------
    @property
    def loss_scale(self):
        """The factor that turns the engine's loss into the target's units: a regression network
        trains on the target scaled by ``TargetScaler`` (y' = (y − mean) / scale), so its MSE times
        scale² is the MSE of its predictions in the target's units². 1.0 for classification,
        whose cross-entropy has no units. Exact for any L2: weight decay is added to the
        gradient, never to the loss the engine reports."""
        if self.task != "regression":
            return 1.0
        return float(self.data.encoder.scaler.scale_) ** 2

    @property
    def loss_label(self):
        """What the loss times ``loss_scale`` is, in a few words for a chart's axis."""
        if self.task == "regression":
            return f"MSE in {self.config.target}'s units²"
        return "cross-entropy"

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

    def predictor(self):
        """The trained network with its preprocessing, without the test metrics (cheap: nothing is evaluated)."""
        return Model(
            self.network, self.data.pipeline, self.data.encoder, target=self.config.target,
            feature_columns=self.data.features, config=self.config.to_dict(),
        )

    def model(self):
        """The model to save or predict with: the predictor with the test metrics and the loss history."""
        model = self.predictor()
        model.metrics, model.history = self.test_metrics(), [r.to_dict() for r in self.trainer.history]
        return model
