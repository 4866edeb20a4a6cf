"""The engine's face for the browser worker: plain strings in, JSON strings out.

One Session holds the loaded table and the current experiment. Every call
answers ``{"ok": true, …}`` or ``{"ok": false, "error": "…"}``; a failed call
leaves the data and the trained model that were there before untouched.
No browser module is imported here, so the same code is tested in CPython.
"""

from __future__ import annotations

import gc
import json
import math
import traceback

import numpy as np

from . import views
from .graph_view import GraphPlanner
from .trace_view import trace_summary
from .memory import OUT_OF_MEMORY, check_memory
from .reports import LoadReport, RunReport
from ..errors import FcnnError
from ..engine.gradcheck import check_all_node_kinds, demo_batch, gradient_check
from ..engine import lr_finder
from ..run.columns import rows_for_model
from ..run.experiment import Experiment
from ..run.lr_find import find_for_run_or_table
from ..run.model import load_model as _load_model_text
from ..run.export_python import model_to_python, python_file_name
from ..run.samples import toy_csv
from ..run.settings import LIMITS, TOY_SAMPLES, TrainingConfig
from ..run.settings import BROWSER_MEMORY_BUDGET  # noqa: F401 - still importable here (tests/page read it)
from ..tables import infer_columns, read_csv_text

MAX_PREDICT_ROWS = 10_000


def _answer(method):
    def wrapper(self, *args):
        try:
            result = method(self, *args)
            result["ok"] = True
        except FcnnError as exc:
            result = {"ok": False, "error": str(exc), **getattr(exc, "answer", {})}
        except MemoryError:
            gc.collect()  # give back what the failed call allocated, so the next one can run
            result = {"ok": False, "error": OUT_OF_MEMORY}
        except Exception as exc:  # noqa: BLE001 - an engine bug must not kill the page
            traceback.print_exc()
            result = {"ok": False, "error": f"internal error ({type(exc).__name__}: {exc}); please report it"}
        try:
            return json.dumps(result, allow_nan=False)
        except ValueError:  # an infinite or NaN number slipped into the answer: say so, do not break the call
            return json.dumps({"ok": False, "error": f"internal error ({method.__name__} computed a number "
                               "that is not finite); please report it"})

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


class _StoppedWithAnswer(FcnnError):
    """A refusal that still carries part of an answer: the epochs trained before training stopped."""

    def __init__(self, message, **answer):
        super().__init__(message)
        self.answer = answer


def _finite_or_none(value):
    return None if value is None else float(value)


class Session:
    """The page's engine: the loaded table, the current run and the model file the user loaded.

    The answers' data come from ``views`` (what the page draws) and ``reports``
    (what a loaded table and a started run are); this class keeps the state."""

    def __init__(self, memory_budget=None):
        """memory_budget: bytes a run may take for training (the browser's worker
        sets it; WebAssembly has 2 GB in all). None: no check."""
        self.memory_budget = memory_budget
        self.table = None
        self.table_name = None
        self.columns = None  # infer_columns(table), computed once when the table is loaded
        self.experiment = None
        self.loaded_model = None  # a model file loaded by the user; used until the next Train
        self.previous = (None, None)  # the run and model file before the last Train
        self.traced = None  # (rows, BatchTrace) of the mini-batch trace_next_batch showed last
        self.graphs = GraphPlanner()  # the Graph view's networks: the run's, or one built for the settings

    @_answer
    def load_csv(self, source, name="data.csv"):
        """Parse CSV text or a file's bytes (see read_csv_text); on success it replaces the loaded table."""
        return self._load_table(source, name)

    @_answer
    def load_sample(self, name, seed=0):
        """Generate a 2-D toy data set (see fcnn.run.samples) and load it as the table."""
        text, target = toy_csv(str(name), seed=int(seed))
        answer = self._load_table(text, f"{name}.csv")
        answer["suggested_target"] = target
        return answer

    @_answer
    def sample_names(self):
        """The toy sets load_sample makes, with the page's option text as their title."""
        return {"samples": [{"name": s.name, "title": s.label} for s in TOY_SAMPLES.values()]}

    def _load_table(self, source, name):
        table = read_csv_text(source)
        columns = infer_columns(table)
        usable = [c for c in columns if c.kind != "empty"]
        if not usable:
            raise FcnnError("every column of the file is empty; choose a file with values in it")
        self.table, self.table_name, self.columns = table, str(name), columns
        return LoadReport.of(table, self.table_name, columns, usable).to_dict()

    @_answer
    def describe_target(self, name):
        """The task the page shows beside its task choice, for the target column ``name``.

        Answers the detected task ("regression", "binary", "multiclass", or
        None when the column cannot be a target, with ``problem`` saying why),
        the ``reason`` in words, the class labels as training will name them
        (the first SHOWN_CLASSES, ``n_classes`` in all), the rows without a
        value (they are left out of training), and ``options``: for each task
        the page offers, None when it can be trained on this column, else the
        message Train would give.
        """
        if self.table is None:
            raise FcnnError("no data is loaded yet; choose a CSV file or a sample data set first")
        info = next((c for c in self.columns if c.name == name), None)
        if info is None:
            raise FcnnError(f"the data has no column {name!r}; choose the target from: {', '.join(self.table.columns)}")
        return views.target_description(self.table, info)

    @_answer
    def start(self, config_json):
        """Build a new experiment from the loaded table and a JSON config."""
        if self.table is None:
            raise FcnnError("no data is loaded yet; choose a CSV file or a sample data set first")
        try:
            fields = json.loads(config_json)
        except json.JSONDecodeError:
            raise FcnnError("the settings could not be read; reload the page") from None
        if not isinstance(fields, dict):
            raise FcnnError("the settings are not a JSON object; reload the page")
        experiment = Experiment(self.table, TrainingConfig.from_dict(fields), columns_info=self.columns)
        check_memory(experiment, self.memory_budget)
        # the model the user had stays until the new run has trained a first step
        self.previous = (self.experiment, self.loaded_model)
        self.experiment = experiment
        self.graphs.note_run(experiment, self.table)
        self.loaded_model = None
        report = RunReport.of(experiment, views.feature_fields(experiment.data.pipeline),
                              views.node_entries(experiment.network))
        return report.to_dict()

    @_answer
    def train_for(self, milliseconds):
        """Train for about ``milliseconds``; returns the epochs done and whether the run ended."""
        experiment = self._current()
        try:
            records = experiment.train_for(seconds=max(float(milliseconds), 1.0) / 1000.0)
        except MemoryError:
            dropped = self._abandon_run()
            has_model = self.experiment is not None or self.loaded_model is not None
            said = ("the new run was dropped and the model you had is kept: " if has_model else "the new run was dropped: ")
            error = FcnnError((said if dropped else "") + OUT_OF_MEMORY)
            error.answer = {"run_dropped": dropped, "has_model": has_model}  # the page's views follow these
            raise error from None
        return _progress(experiment.trainer, records)

    @_answer
    def results(self):
        """Test metrics and, for each test row, the actual and predicted values."""
        return views.results_view(self._current())

    @_answer
    def step(self):
        """Exactly one more epoch (the Step button)."""
        experiment = self._current()
        if experiment.trainer.stop_reason == "diverged":
            raise FcnnError(
                "this run stopped when its loss became infinite or NaN; lower the learning rate and press Train "
                "to start a new run"
            )
        if experiment.finished:
            experiment.trainer.extend(experiment.trainer.epoch + 1)
        records = experiment.train_for(max_epochs=1)
        return _progress(experiment.trainer, records)

    @_answer
    def set_learning_rate(self, value):
        """Change the learning rate of the current run (the page allows it while paused)."""
        experiment = self._current()
        try:
            rate = float(value)
        except (TypeError, ValueError):
            raise FcnnError(f"learning rate {value!r} is not a number; enter a number such as 0.003") from None
        highest = LIMITS["max_learning_rate"]
        if not (0 < rate <= highest) or rate != rate:
            raise FcnnError(f"learning rate {value!r} is out of range; use a number above 0 and at most {highest}")
        experiment.trainer.learning_rate = rate
        return {"learning_rate": experiment.trainer.learning_rate}

    @_answer
    def model_json(self):
        """The current model as the engine's JSON model file."""
        model = self._model()
        return {"text": model.to_json(), "target": model.target}

    @_answer
    def model_python(self):
        """The current model as one numpy-only Python file predicting a CSV as `fcnn predict` does."""
        model = self._model()
        return {"text": model_to_python(model), "file_name": python_file_name(model.target)}

    @_answer
    def load_model(self, source):
        """Load a model file's text or bytes; the current model is kept if it is not usable."""
        model = _load_model_text(source if isinstance(source, (bytes, bytearray)) else str(source))
        self.loaded_model = model
        return {"target": model.target, "features": model.feature_columns, "task": model.task,
                "classes": views.model_classes(model), "feature_fields": views.feature_fields(model.pipeline)}

    @_answer
    def predict_csv(self, source, name="new.csv"):
        """Predictions of the current model on a new CSV (text or bytes) with the model's feature columns.

        Missing columns are an error; extra columns are left out, with a note saying so."""
        model = self._model()
        table = read_csv_text(source)
        matched = rows_for_model(table, model.feature_columns, name, limit=MAX_PREDICT_ROWS)
        predicted = model.predict(matched.rows)
        notes = [matched.extra_note()] if matched.extra else []
        if table.n_rows > MAX_PREDICT_ROWS:
            notes.append(f"only the first {MAX_PREDICT_ROWS} rows were predicted")
        notes.extend(views.unseen_category_notes(model.pipeline, matched.columns, matched.rows))
        return {"columns": matched.columns, "rows": matched.rows, "predictions": views.plain(predicted),
                "notes": notes, "n_rows": table.n_rows, "target": model.target}

    @_answer
    def predict_row(self, values_json):
        """One prediction from a JSON object {feature: value} (the "what if" form)."""
        model = self._model()
        try:
            values = json.loads(values_json)
        except (json.JSONDecodeError, TypeError):
            raise FcnnError("the what-if values could not be read; fill in the form again") from None
        if not isinstance(values, dict):
            raise FcnnError("the what-if values must be a JSON object of feature: value")
        row = {c: str(values.get(c, "")) for c in model.feature_columns}
        predicted = model.predict([row])
        output = model.predict_output([row])
        return {"prediction": views.plain(predicted)[0], "output": np.asarray(output).reshape(-1).tolist()}

    @_answer
    def gradient_report(self):
        """The engine's gradient check: the largest relative error per node.

        On the current network with a demo batch when there is one, else on
        small networks covering every node kind."""
        if self.experiment is not None:
            network = self.experiment.network
            saved = network.get_weights()
            x, y = demo_batch(network)
            checks = gradient_check(network, x, y)
            network.set_weights(saved)  # the check must not disturb training
            reports = {"current network": checks}
        else:
            reports = check_all_node_kinds()
        return {"reports": [{"network": k, "nodes": [c.to_dict() for c in v]} for k, v in reports.items()]}

    @_answer
    def trace_next_batch(self):
        """Trace the run's next mini-batch (the run's batch size; before any training the
        first batch with the initial weights), with the step the optimizer would take;
        the run is left as it was. ``take_traced_step`` then takes that step.

        Answers the summarised trace (see ``trace_view.trace_summary``; ``steps`` and
        ``loss_after`` are the step to come and the loss after it), ``rows`` (the
        batch's indexes into the rows trained on) and ``table_rows`` (the same rows
        numbered as in the file, 0-based: ``python -m fcnn trace --rows``)."""
        experiment = self._trainable()
        trace, rows = experiment.trainer.peek_next_batch()
        self.traced = (rows, trace)
        answer = trace_summary(trace, experiment.network)
        answer["rows"] = [int(r) for r in rows]
        answer["table_rows"] = [int(experiment.trained_rows[r]) for r in rows]  # the file's rows, 0-based
        return answer

    @_answer
    def take_traced_step(self):
        """Take the step of the mini-batch ``trace_next_batch`` showed, counted as a training
        step: answers the progress keys of ``train_for`` (an epoch the step completed is in
        ``epochs``), the batch's ``loss`` and ``loss_after``, and ``weights_match``: the
        weights now equal those the trace showed after its step."""
        experiment = self._trainable()
        trainer, traced = experiment.trainer, self.traced
        self.traced = None
        if traced is None or not _same_batch(trainer, experiment.network, *traced):
            raise FcnnError("the run has moved on since this mini-batch was traced; trace the next one again")
        shown = traced[1]
        trace, _, record = trainer.trace_next_batch()
        weights = experiment.network.get_weights()
        answer = {"loss": _finite_numbers([trace.loss])[0], "loss_after": _finite_numbers([trace.loss_after])[0],
                  "weights_match": all(np.array_equal(weights[k], shown.weights_after[k]) for k in weights)}
        answer.update(_progress(trainer, [] if record is None else [record]))
        return answer

    def _trainable(self):
        """The current run, refused when it has diverged; a finished run is extended by an
        epoch, as Step does, so tracing on trains on."""
        experiment = self._current()
        trainer = experiment.trainer
        if trainer.stop_reason == "diverged":
            raise FcnnError("this run stopped when its loss became infinite or NaN; lower the learning rate and press "
                            "Train to start a new run, then trace")
        if experiment.finished:
            trainer.extend(trainer.epoch + 1)
        return experiment

    @_answer
    def find_learning_rate(self, config_json, steps=None):
        """The learning-rate range test for the settings ``config_json`` (as ``start`` takes them):
        on a copy of the current run's weights as they are now when the run trains what these
        settings would, else on a new network for them. Starts and changes no run.

        Answers the RangeTest's keys (``rates``, ``losses``, ``smoothed``, ``suggestion``,
        ``lowest_rate``, ``rule``, ``stopped_reason``, ``stopped``, ``optimizer``,
        ``batch_size``, ``steps``), ``task``, and ``weights``: "run" or "new"."""
        if self.table is None:
            raise FcnnError("no data is loaded yet; choose a CSV file or a sample data set first")
        try:
            fields = json.loads(config_json)
        except (json.JSONDecodeError, TypeError):
            raise FcnnError("the settings could not be read; reload the page") from None
        if not isinstance(fields, dict):
            raise FcnnError("the settings are not a JSON object; reload the page")
        config = TrainingConfig.from_dict(fields)
        steps = lr_finder.DEFAULT_STEPS if steps is None else steps
        test, experiment, weights = find_for_run_or_table(
            self.table, config, self.experiment, steps, self.columns,
            check=lambda tested: check_memory(tested, self.memory_budget))
        return {**test.to_dict(), "task": experiment.task, "weights": weights}

    @_answer
    def network_view(self):
        """The node graph and, per layer, the strongest weights (for the neuron view)."""
        return views.network_view(self._network())

    @_answer
    def graph_view(self, config_json):
        """The node graph of the network the settings (the JSON object Train sends) would build
        for the loaded table: the current run's own network when it has those settings, else one
        the engine builds for them (the run is left as it is). See fcnn.web.graph_view."""
        return self.graphs.view(self.table, self.columns, self.experiment, config_json)

    @_answer
    def grid(self, size=views.GRID_SIZE):
        """Predictions over a size×size grid spanning the two features (2-D data only)."""
        return views.decision_map(self._current(), self.table, size)

    def _abandon_run(self):
        """After a failure in a run's first epoch: go back to the model there was before it
        (or to none). Answers whether the run was dropped."""
        if self.experiment is None or self.experiment.trainer.epoch > 0:
            return False
        self.experiment, self.loaded_model = self.previous
        self.previous = (None, None)
        gc.collect()
        return True

    def _model(self):
        if self.loaded_model is not None:
            return self.loaded_model
        return self._current().model()

    def _network(self):
        if self.loaded_model is not None:
            return self.loaded_model.network
        return self._current().network

    def _current(self):
        if self.experiment is None:
            raise FcnnError("no training run has started; press Train first")
        return self.experiment


def _same_batch(trainer, network, rows, trace):
    """True while the run still stands where ``trace`` was taken: the same next rows, the same weights."""
    if not np.array_equal(trainer.next_batch_rows(), rows):
        return False
    weights = network.get_weights()
    return all(np.array_equal(weights[k], trace.weights_before[k]) for k in weights)


def _finite_numbers(values):
    """None for a number that is not finite (a gradient may overflow in a finite epoch; JSON has no infinity)."""
    return [v if math.isfinite(v) else None for v in values]


def _progress(trainer, records):
    """The answer to a slice of training; a clear refusal, with the epochs done, when the loss diverged."""
    answer = {
        "epochs": [[r.epoch, r.train_loss, _finite_or_none(r.val_loss)] for r in records],
        "epoch": trainer.epoch,
        "finished": trainer.finished,
        "stop_reason": trainer.stop_reason,
        # per epoch: [epoch, [‖W‖ per layer], [‖dLoss/dW‖ of its last batch per layer]], output layer last
        "layer_norms": [[r.epoch, _finite_numbers(r.weight_norms), _finite_numbers(r.gradient_norms)] for r in records],
        "val_accuracy": [[r.epoch, r.metrics["val_accuracy"]] for r in records if "val_accuracy" in r.metrics],
    }
    if trainer.stop_reason == "diverged":
        kept = f"the weights of epoch {trainer.epoch} were kept" if trainer.epoch else "the starting weights were kept"
        raise _StoppedWithAnswer(
            f"the loss became infinite or NaN in epoch {trainer.epoch + 1}, so training stopped and {kept}; "
            "lower the learning rate (for example to a tenth) and train again",
            **answer,
        )
    return answer
