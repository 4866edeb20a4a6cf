"""The engine's face for the browser worker: plain strings in, JSON strings out.

One Session holds the loaded table and the current experiment. Every call
answers ``{"ok": true, …}`` or ``{"ok": false, "error": "…"}``; a failed call
leaves the data and the trained model that were there before untouched.
No browser module is imported here, so the same code is tested in CPython.
"""

from __future__ import annotations

import json
import traceback

from .data import infer_columns, read_csv_text
from .errors import FcnnError
from .training import Experiment, TrainingConfig

MAX_RESULT_ROWS = 10_000
PREVIEW_ROWS = 20


def _answer(method):
    def wrapper(self, *args):
        try:
            result = method(self, *args)
            result["ok"] = True
        except FcnnError as exc:
            result = {"ok": False, "error": str(exc)}
        except Exception as exc:  # noqa: BLE001 - an engine bug must not kill the page
            traceback.print_exc()
            result = {"ok": False, "error": f"internal error ({type(exc).__name__}: {exc}); please report it"}
        return json.dumps(result, allow_nan=False)

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


def _finite_or_none(value):
    return None if value is None else float(value)


class Session:
    def __init__(self):
        self.table = None
        self.table_name = None
        self.experiment = None

    @_answer
    def load_csv(self, text, name="data.csv"):
        """Parse CSV text; on success it replaces the loaded table."""
        table = read_csv_text(text)
        columns = infer_columns(table)
        usable = [c for c in columns if c.kind != "empty"]
        if not usable:
            raise FcnnError("every column of the file is empty; choose a file with values in it")
        self.table, self.table_name, self.columns = table, str(name), columns
        return {
            "name": self.table_name,
            "columns": table.columns,
            "column_info": [c.to_dict() for c in columns],
            "n_rows": table.n_rows,
            "suggested_target": usable[-1].name,
            "notes": list(table.notes),
            "preview": table.rows[:PREVIEW_ROWS],
        }

    @_answer
    def start(self, config_json):
        """Build a new experiment from the loaded table and a JSON config."""
        if self.table is None:
            raise FcnnError("no data is loaded yet; choose a CSV file or a sample data set first")
        try:
            fields = json.loads(config_json)
        except json.JSONDecodeError:
            raise FcnnError("the settings could not be read; reload the page") from None
        experiment = Experiment(self.table, TrainingConfig.from_dict(fields))
        self.experiment = experiment
        data = experiment.data
        return {
            "config": experiment.config.to_dict(),
            "task": experiment.task,
            "classes": experiment.classes,
            "features": data.features,
            "inputs": data.input_names,
            "n_train": int(len(data.x_train)),
            "n_test": int(len(data.x_test)),
            "report": data.report,
            "nodes": [{"name": n.name, "kind": type(n).__name__} for n in experiment.network.nodes],
        }

    @_answer
    def train_for(self, milliseconds):
        """Train for about ``milliseconds``; returns the epochs done and whether the run ended."""
        experiment = self._current()
        records = experiment.train_for(seconds=max(float(milliseconds), 1.0) / 1000.0)
        trainer = experiment.trainer
        if trainer.stop_reason == "diverged":
            raise FcnnError(
                f"the loss became infinite or NaN in epoch {trainer.epoch + 1}, so training stopped and the "
                f"weights of epoch {trainer.epoch} were kept; lower the learning rate and train again"
            )
        return {
            "epochs": [[r.epoch, r.train_loss, _finite_or_none(r.val_loss)] for r in records],
            "epoch": trainer.epoch,
            "finished": trainer.finished,
            "stop_reason": trainer.stop_reason,
        }

    @_answer
    def results(self):
        """Test metrics and, for each test row, the actual and predicted values."""
        experiment = self._current()
        metrics = experiment.test_metrics()
        out = experiment.test_output()
        data = experiment.data
        if experiment.task == "regression":
            rows = [[float(a), float(p)] for a, p in zip(data.target_test[:MAX_RESULT_ROWS], out[:MAX_RESULT_ROWS])]
        else:
            labels = experiment.classes
            rows = [[labels[int(a)], labels[int(p)]] for a, p in zip(data.target_test[:MAX_RESULT_ROWS], out.argmax(axis=1))]
        return {
            "task": experiment.task,
            "metrics": metrics,
            "r2": metrics.get("r2"),
            "accuracy": metrics.get("accuracy"),
            "epoch": experiment.trainer.epoch,
            "target": experiment.config.target,
            "rows": rows,
            "n_test": int(len(out)),
        }

    def _current(self):
        if self.experiment is None:
            raise FcnnError("no training run has started; press Train first")
        return self.experiment
