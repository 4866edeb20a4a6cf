"""The engine's face for the browser worker: plain strings in, JSON strings out.

One Session holds the loaded table and the current experiment. Every call
answers ``{"ok": true, …}`` or ``{"ok": false, "error": "…"}``; a failed call
leaves the data and the trained model that were there before untouched.
No browser module is imported here, so the same code is tested in CPython.
"""

from __future__ import annotations

import gc
import json
import traceback
from collections import Counter

import numpy as np

from ..tables import TASKS, explain_task, infer_columns, is_missing, mixed_column_notes, read_csv_text
from ..errors import ConfigError, FcnnError
from ..engine.gradcheck import check_all_node_kinds, demo_batch, gradient_check
from ..run.model import load_model as _load_model_text
from ..engine.network import EVALUATION_CHUNK_ROWS
from ..engine.nodes import WeightNode
from ..tables import MAX_CATEGORIES, TargetEncoder, left_out_by_default, resolve_task
from ..run.samples import TOY_SETS, toy_csv
from ..run.training import Experiment, TrainingConfig

MAX_RESULT_ROWS = 10_000
PREVIEW_ROWS = 20
# The preview and the column summary cover this many columns: a file of 10,000
# columns would otherwise send (and the page draw) 200,000 cells.
PREVIEW_COLUMNS = 100
MAX_PREDICT_ROWS = 10_000
GRID_SIZE = 40
MAX_EDGES_PER_LAYER = 400  # the strongest edges only, so the page's drawing stays cheap
SHOWN_CLASSES = 10  # describe_target names at most this many class labels
# In the browser the engine lives in 32-bit WebAssembly: at most 2 GB in all.
# A run may take half of it for training; the data and Python need the rest.
BROWSER_MEMORY_BUDGET = 1_000_000_000
OUT_OF_MEMORY = (
    "the engine ran out of memory (in the browser it has at most 2 GB); use a smaller batch size, "
    "fewer or narrower hidden layers, or fewer rows, and train again"
)


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
        return {"samples": [{"name": k, "title": v[0]} for k, v in TOY_SETS.items()]}

    def _load_table(self, source, name):
        table = read_csv_text(source)
        columns = infer_columns(table)
        usable = [c for c in columns if c.kind != "empty"]
        if not usable:
            raise FcnnError("every column of the file is empty; choose a file with values in it")
        self.table, self.table_name, self.columns = table, str(name), columns
        left_out = left_out_by_default(columns)
        return {
            "name": self.table_name,
            "columns": table.columns,
            # unchecked in the page's feature list; still a feature if the user checks it
            "left_out": left_out,
            "column_info": [c.to_dict() for c in columns[:PREVIEW_COLUMNS]],
            "n_rows": table.n_rows,
            "suggested_target": usable[-1].name,
            "notes": list(table.notes) + mixed_column_notes(table, columns) + _left_out_notes(left_out),
            "preview": [row[:PREVIEW_COLUMNS] for row in table.rows[:PREVIEW_ROWS]],
        }

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
        try:
            detected, reason = explain_task(info)
            problem = None
        except FcnnError as exc:
            detected, reason, problem = None, "", str(exc)
        options = {}
        for task in TASKS:
            try:
                resolve_task(task, info)
                options[task] = None
            except FcnnError as exc:
                options[task] = str(exc)
        classes = []
        if detected in ("binary", "multiclass"):
            cells = [row[info.index] for row in self.table.rows if not is_missing(row[info.index])]
            classes = TargetEncoder.for_task(detected, info.name).fit(cells).classes
        return {
            "target": info.name,
            "kind": info.kind,
            "detected": detected,
            "reason": reason,
            "problem": problem,
            "n_classes": len(classes),
            "classes": [str(c) for c in classes[:SHOWN_CLASSES]],
            "n_distinct": info.n_distinct,
            "n_missing": info.n_missing,
            "options": options,
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
        if not isinstance(fields, dict):
            raise FcnnError("the settings are not a JSON object; reload the page")
        experiment = Experiment(self.table, TrainingConfig.from_dict(fields), columns_info=self.columns)
        self._check_memory(experiment)
        # the model the user had stays until the new run has trained a first step
        self.previous = (self.experiment, self.loaded_model)
        self.experiment = experiment
        self.loaded_model = None
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
            "feature_fields": _feature_fields(data.pipeline),
            "notes": experiment.notes,
            "nodes": [{"name": n.name, "kind": type(n).__name__} for n in experiment.network.nodes],
        }

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
        if not (0 < rate <= 10) or rate != rate:
            raise FcnnError(f"learning rate {value!r} is out of range; use a number above 0 and at most 10")
        experiment.trainer.learning_rate = rate
        return {"learning_rate": experiment.trainer.learning_rate}

    @_answer
    def model_json(self):
        """The current model as the engine's JSON model file."""
        return {"text": self._model().to_json(), "target": self._model().target}

    @_answer
    def load_model(self, source):
        """Load a model file's text or bytes; the current model is kept if it is not usable."""
        model = _load_model_text(source if isinstance(source, (bytes, bytearray)) else str(source))
        self.loaded_model = model
        return {"target": model.target, "features": model.feature_columns, "task": model.task,
                "classes": _classes(model), "feature_fields": _feature_fields(model.pipeline)}

    @_answer
    def predict_csv(self, source, name="new.csv"):
        """Predictions of the current model on a new CSV (text or bytes) with the model's feature columns.

        Missing columns are an error; extra columns are left out, with a note saying so."""
        model = self._model()
        table = read_csv_text(source)
        needed = model.feature_columns
        missing = [c for c in needed if c not in table.columns]
        if missing:
            more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
            raise FcnnError(
                f"{name} has no column {missing[0]!r}{more}; the model needs the columns {', '.join(needed)}, "
                "so add the missing ones and choose the file again"
            )
        extra = [c for c in table.columns if c not in needed]
        index = [table.columns.index(c) for c in needed]
        rows = [[row[i] for i in index] for row in table.rows[:MAX_PREDICT_ROWS]]
        predicted = model.predict(rows)
        notes = []
        if extra:
            notes.append(f"the extra columns {', '.join(extra)} were left out: the model does not use them")
        if table.n_rows > MAX_PREDICT_ROWS:
            notes.append(f"only the first {MAX_PREDICT_ROWS} rows were predicted")
        notes.extend(_unseen_category_notes(model.pipeline, needed, rows))
        return {"columns": needed, "rows": rows, "predictions": _plain(predicted), "notes": notes,
                "n_rows": table.n_rows, "target": model.target}

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
        predicted = model.predict([{c: str(values.get(c, "")) for c in model.feature_columns}])
        output = model.predict_output([{c: str(values.get(c, "")) for c in model.feature_columns}])
        return {"prediction": _plain(predicted)[0], "output": np.asarray(output).reshape(-1).tolist()}

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
    def network_view(self):
        """The node graph and, per layer, the strongest weights (for the neuron view)."""
        network = self._network()
        nodes = []
        for node in network.nodes:
            value = getattr(node, "value", None)
            shape = list(np.shape(value)) if value is not None else []
            if shape and not isinstance(node, WeightNode):
                # rows are the mini-batch, or whatever was predicted last: say "batch", not a count
                shape[0] = "batch"
            nodes.append({"name": node.name, "kind": type(node).__name__, "shape": shape})
        layers = []
        sizes = [network.n_inputs]
        matrices = [w for w in network.weights if np.ndim(w.value) == 2]
        # the graph lists weights in topological order, not layer order; W1, W2, … name the layers
        matrices.sort(key=lambda w: int("".join(ch for ch in w.name if ch.isdigit()) or 0))
        for w in matrices:
            matrix = np.asarray(w.value)
            sizes.append(matrix.shape[1])
            flat = np.abs(matrix).ravel()
            keep = np.argsort(flat)[::-1][:MAX_EDGES_PER_LAYER]
            rows, cols = np.unravel_index(keep, matrix.shape)
            layers.append([[int(r), int(c), float(matrix[r, c])] for r, c in zip(rows, cols)])
        return {"nodes": nodes, "sizes": sizes, "edges": layers}

    @_answer
    def grid(self, size=GRID_SIZE):
        """Predictions over a size×size grid spanning the two features (2-D data only)."""
        experiment = self._current()
        features = experiment.data.features
        if len(features) != 2:
            raise FcnnError("the decision map needs exactly two feature columns")
        size = max(2, min(int(size), 100))
        ranges = []
        for name in features:
            i = self.table.columns.index(name)
            values = []
            for row in self.table.rows:
                try:
                    values.append(float(row[i]))
                except ValueError:
                    pass
            low, high = (min(values), max(values)) if values else (0.0, 1.0)
            pad = (high - low) * 0.05 or 1.0
            ranges.append((low - pad, high + pad))
        xs = np.linspace(*ranges[0], size)
        ys = np.linspace(*ranges[1], size)
        rows = [[repr(float(x)), repr(float(y))] for y in ys for x in xs]
        model = experiment.model()
        output = np.asarray(model.predict_output(rows))
        if experiment.task == "regression":
            values = output.reshape(-1)
        else:
            values = output.argmax(axis=1) + output.max(axis=1) * 0  # class index per cell
        confidence = None if experiment.task == "regression" else output.max(axis=1).tolist()
        points = []
        target = self.table.columns.index(experiment.config.target)
        idx = [self.table.columns.index(n) for n in features]
        for row in self.table.rows[:2000]:
            try:
                points.append([float(row[idx[0]]), float(row[idx[1]]), row[target]])
            except ValueError:
                pass
        return {"size": size, "x_range": list(ranges[0]), "y_range": list(ranges[1]), "features": features,
                "task": experiment.task, "classes": experiment.classes,
                "values": np.asarray(values, dtype=float).tolist(), "confidence": confidence, "points": points}

    def _check_memory(self, experiment):
        """Refuse a run that would run out of memory, before it allocates it."""
        if self.memory_budget is None:
            return
        network, batch = experiment.network, experiment.trainer.batch_size
        rows = max(batch, min(EVALUATION_CHUNK_ROWS, len(experiment.data.x_test)))
        need = network.training_memory_bytes(rows)
        if need <= self.memory_budget:
            return
        per_row = network.training_memory_bytes(1) - network.training_memory_bytes(0)
        fits = int((self.memory_budget - network.training_memory_bytes(0)) // per_row)
        advice = (f"use a batch size of at most {fits}, or fewer or narrower hidden layers" if fits >= 1
                  else "use fewer or narrower hidden layers")
        raise ConfigError(
            f"this network would need about {_size(need)} of memory to train with batches of {batch} rows, "
            f"more than the {_size(self.memory_budget)} the engine can use here; {advice}"
        )

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


def _left_out_notes(left_out):
    """One sentence for the columns the page does not tick as features (see left_out_by_default)."""
    if not left_out:
        return []
    if len(left_out) == 1:
        return [f"{next(iter(left_out.values()))}: it looks like an id or free text, so it is not ticked as a feature"]
    names = ", ".join(map(repr, list(left_out)[:5])) + (", …" if len(left_out) > 5 else "")
    return [
        f"{len(left_out)} columns ({names}) hold more than {MAX_CATEGORIES} different text values each, too many "
        "to be categories: they look like ids or free text, so they are not ticked as features"
    ]


def _size(n_bytes):
    return f"{n_bytes / 1e9:.1f} GB" if n_bytes >= 1e9 else f"{n_bytes / 1e6:.0f} MB"


def _feature_fields(pipeline):
    """One entry per feature for the page's what-if form: its name, kind ("numeric" or
    "categorical"), the categories the model knows (categorical) and the value a blank takes."""
    return [
        {"name": c["name"], "kind": c["kind"], "categories": c.get("categories"), "fill": c["fill"]}
        for c in pipeline.to_dict()["columns"]
    ]


def _unseen_category_notes(pipeline, columns, rows):
    """A note per text feature whose cells hold values training never saw: the model
    cannot tell such a value from any other unknown one, which the user should know."""
    notes = []
    for field in _feature_fields(pipeline):
        if field["kind"] != "categorical" or field["name"] not in columns:
            continue
        at, known = columns.index(field["name"]), set(field["categories"])
        unseen = Counter(row[at] for row in rows if not is_missing(row[at]) and row[at] not in known)
        if unseen:
            shown = ", ".join(f"{value!r} ({count} {'row' if count == 1 else 'rows'})" for value, count in unseen.most_common(5))
            more = ", …" if len(unseen) > 5 else ""
            notes.append(
                f"{field['name']} holds values the model never saw in training: {shown}{more}; "
                f"it predicts those rows as if {field['name']} were none of the values it knows"
            )
    return notes


def _progress(trainer, records):
    """The answer to a slice of training; a clear refusal, with the epochs done, when the loss diverged."""
    answer = {
        "epochs": [[r.epoch, r.train_loss, _finite_or_none(r.val_loss)] for r in records],
        "epoch": trainer.epoch,
        "finished": trainer.finished,
        "stop_reason": trainer.stop_reason,
    }
    if trainer.stop_reason == "diverged":
        kept = f"the weights of epoch {trainer.epoch} were kept" if trainer.epoch else "the starting weights were kept"
        raise _StoppedWithAnswer(
            f"the loss became infinite or NaN in epoch {trainer.epoch + 1}, so training stopped and {kept}; "
            "lower the learning rate (for example to a tenth) and train again",
            **answer,
        )
    return answer


def _classes(model):
    classes = getattr(model.encoder, "classes", None)
    return [str(c) for c in classes] if classes is not None else []


def _plain(values):
    out = []
    for v in np.asarray(values).tolist():
        out.append(float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v))
    return out
