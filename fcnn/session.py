"""The engine's face for the browser worker: plain strings in, JSON strings out.

One Session holds the loaded table and the current run. Every call answers
``{"ok": true, …}`` or ``{"ok": false, "error": "…"}``; a failed call leaves
the data and the trained model that were there before untouched.
No browser module is imported here, so the same code is tested in CPython.
"""

from __future__ import annotations

import json
import math
import traceback

from .data import numeric_matrix, read_csv_text
from .errors import FcnnError
from .training import RegressionRun, TrainingConfig

MAX_RESULT_ROWS = 10_000


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


class Session:
    def __init__(self):
        self.table = None
        self.table_name = None
        self.run = None

    @_answer
    def load_csv(self, text, name="data.csv"):
        """Parse CSV text; on success it replaces the loaded table."""
        table = read_csv_text(text)
        numeric_matrix(table, table.columns)  # this version trains on numeric columns only
        self.table, self.table_name = table, str(name)
        return {
            "name": self.table_name,
            "columns": table.columns,
            "n_rows": table.n_rows,
            "suggested_target": table.columns[-1],
        }

    @_answer
    def start(self, config_json):
        """Build a new run from the loaded table and a JSON config."""
        if self.table is None:
            raise FcnnError("no data is loaded yet; choose a CSV file or a sample data set first")
        fields = json.loads(config_json)
        allowed = set(TrainingConfig.__dataclass_fields__)
        config = TrainingConfig(**{k: v for k, v in fields.items() if k in allowed})
        self.run = RegressionRun(self.table, config)
        run = self.run
        return {
            "config": run.config.to_dict(),
            "features": run.feature_names,
            "n_train": int(len(run.train_idx)),
            "n_test": int(len(run.test_idx)),
            "nodes": [{"name": n.name, "kind": type(n).__name__} for n in run.network.nodes],
        }

    @_answer
    def train_for(self, milliseconds):
        """Train for about ``milliseconds``; returns the epochs done and whether the run ended."""
        run = self._current_run()
        records = run.train_for(seconds=max(float(milliseconds), 1.0) / 1000.0)
        epochs = [[r.epoch, r.loss] for r in records]
        if any(not math.isfinite(loss) for _, loss in epochs):
            raise FcnnError("the loss became infinite or NaN, so training stopped; lower the learning rate and train again")
        return {"epochs": epochs, "epoch": run.epoch, "finished": run.finished}

    @_answer
    def results(self):
        """Test-set R² and the actual/predicted values of the test rows."""
        run = self._current_run()
        actual, predicted, r2 = run.test_results()
        rows = [[float(a), float(p)] for a, p in zip(actual[:MAX_RESULT_ROWS], predicted[:MAX_RESULT_ROWS])]
        if not all(math.isfinite(v) for row in rows for v in row):
            raise FcnnError("the predictions are not finite numbers; lower the learning rate and train again")
        return {"r2": r2, "epoch": run.epoch, "target": run.config.target, "rows": rows, "n_test": len(actual)}

    def _current_run(self):
        if self.run is None:
            raise FcnnError("no training run has started; press Train first")
        return self.run
