"""The engine's face for the browser worker: plain strings in, JSON strings out.

One Session holds the loaded table and the current experiment. Every call
answers ``{"ok": true, …}`` or ``{"ok": false, "error": "…"}`` (answers.py); a failed call
leaves the data and the trained model that were there before untouched.
No browser module is imported here, so the same code is tested in CPython. The
answers about the inside of a run (trace, graph, maps, range test) are in inside.py.
"""

from __future__ import annotations

import gc
import time

import numpy as np

from . import views
from .answers import json_answer, json_object, progress_answer, settings_from_json, with_engine_ms
from .graph_view import GraphPlanner
from .inside import RunInsideViews
from .memory import OUT_OF_MEMORY, check_memory
from .reports import LoadReport, RunReport
from ..errors import FcnnError
from ..run.columns import rows_for_model
from ..run.experiment import Experiment
from ..run.model import load_model as _load_model_text
from ..run.export_python import model_to_python, python_file_name
from ..run.samples import toy_csv
from ..run.settings import LIMITS, TOY_SAMPLES
from ..run.settings import BROWSER_MEMORY_BUDGET  # noqa: F401 - still importable here (tests/page read it)
from ..tables import infer_columns, read_csv_text

MAX_PREDICT_ROWS = 10_000


class Session(RunInsideViews):
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
        self.tracing = None  # the PageTrace trace_begin started, answered in parts (trace_more)
        self.graphs = GraphPlanner()  # the Graph view's networks: the run's, or one built for the settings

    @json_answer
    def load_csv(self, source, name="data.csv"):
        """Parse CSV text or a file's bytes (see read_csv_text); on success it replaces the loaded table."""
        return self._load_table(source, name)

    @json_answer
    def load_sample(self, name, seed=0):
        """Generate a 2-D toy data set (see fcnn.run.samples) and load it as the table."""
        text, target = toy_csv(str(name), seed=int(seed))
        answer = self._load_table(text, f"{name}.csv")
        answer["suggested_target"] = target
        return answer

    @json_answer
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

    @json_answer
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

    @json_answer
    def start(self, config_json):
        """Build a new experiment from the loaded table and a JSON config."""
        if self.table is None:
            raise FcnnError("no data is loaded yet; choose a CSV file or a sample data set first")
        experiment = Experiment(self.table, settings_from_json(config_json), columns_info=self.columns)
        check_memory(experiment, self.memory_budget)
        # the model the user had stays until the new run has trained a first step
        self.previous = (self.experiment, self.loaded_model)
        self.experiment = experiment
        self.graphs.note_run(experiment, self.table)
        self.loaded_model = None
        report = RunReport.of(experiment, views.feature_fields(experiment.data.pipeline),
                              views.node_entries(experiment.network))
        return report.to_dict()

    @json_answer
    def train_for(self, milliseconds):
        """Train for about ``milliseconds``; returns the epochs done and whether the run ended."""
        experiment = self._current()
        begun = time.perf_counter()
        try:
            records = experiment.train_for(seconds=max(float(milliseconds), 1.0) / 1000.0)
        except MemoryError:
            dropped = self._abandon_run()
            has_model = self.experiment is not None or self.loaded_model is not None
            said = ("the new run was dropped and the model you had is kept: " if has_model else "the new run was dropped: ")
            error = FcnnError((said if dropped else "") + OUT_OF_MEMORY)
            error.answer = {"run_dropped": dropped, "has_model": has_model}  # the page's views follow these
            raise error from None
        return with_engine_ms(progress_answer(experiment.trainer, records), begun)

    @json_answer
    def results(self):
        """Test metrics and, for each test row, the actual and predicted values."""
        return views.results_view(self._current())

    @json_answer
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
        begun = time.perf_counter()
        records = experiment.train_for(max_epochs=1)
        return with_engine_ms(progress_answer(experiment.trainer, records), begun)

    @json_answer
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

    @json_answer
    def model_json(self):
        """The current model as the engine's JSON model file."""
        model = self._model()
        return {"text": model.to_json(), "target": model.target}

    @json_answer
    def model_python(self):
        """The current model as one numpy-only Python file predicting a CSV as `fcnn predict` does."""
        model = self._model()
        return {"text": model_to_python(model), "file_name": python_file_name(model.target)}

    @json_answer
    def load_model(self, source):
        """Load a model file's text or bytes; the current model is kept if it is not usable."""
        model = _load_model_text(source if isinstance(source, (bytes, bytearray)) else str(source))
        self.loaded_model = model
        return {"target": model.target, "features": model.feature_columns, "task": model.task,
                "classes": views.model_classes(model), "feature_fields": views.feature_fields(model.pipeline)}

    @json_answer
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

    @json_answer
    def predict_row(self, values_json):
        """One prediction from a JSON object {feature: value} (the "what if" form)."""
        model = self._model()
        values = json_object(values_json, unreadable="the what-if values could not be read; fill in the form again",
                             not_object="the what-if values must be a JSON object of feature: value")
        row = {c: str(values.get(c, "")) for c in model.feature_columns}
        predicted = model.predict([row])
        output = model.predict_output([row])
        return {"prediction": views.plain(predicted)[0], "output": np.asarray(output).reshape(-1).tolist()}

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