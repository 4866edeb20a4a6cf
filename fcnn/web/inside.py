"""The Session's answers that look inside a run: the node graph drawn, one mini-batch
traced and its step taken, the trace's gradient check, the neuron view and maps, the
decision map, the learning-rate range test and the engine's gradient check.

A mixin of ``Session`` (session.py), which holds the table, the run and the model file;
the work is done by the engine and by this folder's view modules.
"""

from __future__ import annotations

import json
import time

import numpy as np

from . import views
from .answers import (finite_numbers, json_answer, leaves_nodes_alone, progress_answer, settings_from_json,
                      with_engine_ms)
from .memory import check_memory
from .neuron_maps import MAP_SIZE, neuron_maps
from .trace_check import batch_of_rows, check_gradient
from .trace_progress import FIRST_PART_BUDGET_MS, TRACE_BUDGET_MS, PageTrace
from .trace_view import kind_docs, trace_summary
from .workspace_views import layer_units, output_view, shown_weights
from ..engine import lr_finder
from ..engine.gradcheck import check_all_node_kinds, demo_batch, gradient_check
from ..errors import FcnnError
from ..run.lr_find import find_for_run_or_table


class RunInsideViews:
    """Answers about the inside of the current run (see the module's docstring)."""

    @json_answer
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

    @json_answer
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
        self.traced, self.tracing = (rows, trace), None
        answer = trace_summary(trace, experiment.network)
        answer["rows"] = [int(r) for r in rows]
        answer["table_rows"] = [int(experiment.trained_rows[r]) for r in rows]  # the file's rows, 0-based
        return answer

    @json_answer
    def trace_begin(self, budget_ms=FIRST_PART_BUDGET_MS):
        """``trace_next_batch`` in parts, for the page: starts tracing the run's next mini-batch
        (it only looks, as trace_next_batch does) and answers the first part, about ``budget_ms``
        of work (see trace_progress); ``trace_more`` answers the next parts until ``done``.

        Answers, besides the part's keys: ``trace`` (this trace's number, for trace_more),
        ``nodes`` (each node's name, kind and inbound names,
        in topological order), ``docs``, ``optimizer``, ``learning_rate``, ``rows`` and
        ``table_rows`` (as trace_next_batch answers them)."""
        begun = time.perf_counter()
        experiment = self._trainable()
        tracer, rows = experiment.trainer.next_batch_tracer()
        self.traced, self.tracing = None, PageTrace(experiment, tracer, rows)
        network = experiment.network
        answer = {
            "trace": self.tracing.number,
            "nodes": [{"name": n.name, "kind": n.kind, "inbound": n.inbound} for n in tracer.records],
            "docs": kind_docs(network), "optimizer": type(tracer.optimizer).__name__,
            "learning_rate": float(tracer.optimizer.learning_rate), "rows": [int(r) for r in rows],
            "table_rows": [int(experiment.trained_rows[r]) for r in rows],
        }
        return with_engine_ms({**answer, **self._trace_part(budget_ms)}, begun)

    @json_answer
    def trace_more(self, trace=None, budget_ms=TRACE_BUDGET_MS):
        """The next part of the trace ``trace_begin`` started (see trace_progress for its keys),
        and ``engine_ms``, the time the engine took for it (the round trip adds the wait
        behind other calls and the message). ``trace``: the number trace_begin answered; a part
        of a trace since replaced is refused (its answer would be the new trace's)."""
        begun = time.perf_counter()
        tracing = self._tracing_now()
        if trace is not None and int(trace) != tracing.number:
            raise FcnnError("that trace was replaced by a newer one; its parts are no longer computed")
        return with_engine_ms(self._trace_part(budget_ms), begun)

    def _tracing_now(self):
        """The trace in progress, its nodes put back when another call ran the network meanwhile."""
        tracing = self.tracing
        if tracing is None or tracing.experiment is not self.experiment:
            raise FcnnError("no trace of this run is in progress; press Trace one mini-batch to trace the next batch")
        if self.answers_begun != tracing.answer_mark + 1:
            tracing.tracer.replay()
        return tracing

    def _trace_part(self, budget_ms):
        tracing = self.tracing
        part = tracing.answer(float(budget_ms) / 1000)
        if tracing.tracer.finished:
            self.traced = (tracing.rows, tracing.tracer.result)
        tracing.answer_mark = self.answers_begun
        return part

    @json_answer
    def take_traced_step(self):
        """Take the step of the mini-batch ``trace_next_batch`` showed, counted as a training
        step: answers the progress keys of ``train_for`` (an epoch the step completed is in
        ``epochs``), the batch's ``loss`` and ``loss_after``, and ``weights_match``: the
        weights now equal those the trace showed after its step."""
        experiment = self._trainable()
        if self.tracing is not None and self.traced is None:  # a trace in parts the page has not finished
            self._tracing_now().tracer.run_to_end()
            self.traced = (self.tracing.rows, self.tracing.tracer.result)
        trainer, traced = experiment.trainer, self.traced
        self.traced = self.tracing = None
        if traced is None or not _same_batch(trainer, experiment.network, *traced):
            raise FcnnError("the run has moved on since this mini-batch was traced; trace the next one again")
        rows, shown = traced
        trace, record = trainer.take_peeked_step(shown, rows)  # the step shown, not computed again
        weights = experiment.network.get_weights()
        answer = {"loss": finite_numbers([trace.loss])[0], "loss_after": finite_numbers([trace.loss_after])[0],
                  "weights_match": all(np.array_equal(weights[k], shown.weights_after[k]) for k in weights)}
        answer.update(progress_answer(trainer, [] if record is None else [record]))
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

    @json_answer
    def find_learning_rate(self, config_json, steps=None):
        """The learning-rate range test for the settings ``config_json`` (as ``start`` takes them):
        on a copy of the current run's weights as they are now when the run trains what these
        settings would, else on a new network for them. Starts and changes no run.

        Answers the RangeTest's keys (``rates``, ``losses``, ``smoothed``, ``suggestion``,
        ``lowest_rate``, ``rule``, ``stopped_reason``, ``stopped``, ``optimizer``,
        ``batch_size``, ``steps``), ``task``, and ``weights``: "run" or "new"."""
        if self.table is None:
            raise FcnnError("no data is loaded yet; choose a CSV file or a sample data set first")
        config = settings_from_json(config_json)
        steps = lr_finder.DEFAULT_STEPS if steps is None else steps
        test, experiment, weights = find_for_run_or_table(
            self.table, config, self.experiment, steps, self.columns,
            check=lambda tested: check_memory(tested, self.memory_budget))
        return {**test.to_dict(), "task": experiment.task, "weights": weights}

    @json_answer
    @leaves_nodes_alone
    def network_view(self):
        """The node graph, per layer the strongest weights, and ``shown``: the weights among the
        units the page's Neurons face draws (see workspace_views.shown_weights)."""
        network = self._network()
        answer = views.network_view(network)
        answer["shown"] = shown_weights(network)
        return answer

    @json_answer
    @leaves_nodes_alone
    def layer_units(self, layer):
        """Each unit of layer ``layer`` (1-based) with its bias and incoming weight norm: the list
        behind a wide layer's "+N more" (see workspace_views.layer_units)."""
        return {"layer": int(layer), "units": layer_units(self._network(), layer)}

    @json_answer
    def output_view(self):
        """The run's output now on its test rows, predicted against actual (the Output column
        while it trains; see workspace_views.output_view)."""
        return output_view(self._current())

    @json_answer
    @leaves_nodes_alone
    def graph_view(self, config_json):
        """The node graph of the network the settings (the JSON object Train sends) would build
        for the loaded table: the current run's own network when it has those settings, else one
        the engine builds for them (the run is left as it is). See fcnn.web.graph_view."""
        return self.graphs.view(self.table, self.columns, self.experiment, config_json)

    @json_answer
    def grid(self, size=views.GRID_SIZE):
        """Predictions over a size×size grid spanning the two features (2-D data only)."""
        return views.decision_map(self._current(), self.table, size)

    @json_answer
    def neuron_maps(self, size=MAP_SIZE):
        """What each hidden unit computes (see ``neuron_maps.neuron_maps``): its output over a
        size×size grid of the two features, or its histogram of activations over the test rows."""
        if self.loaded_model is not None:
            raise FcnnError("the neuron maps show a run trained here, not a loaded model file; press Train to see them")
        return neuron_maps(self._current(), self.table, size)

    @json_answer
    def check_trace_gradient(self, name, rows_json):
        """The trace's "Check this gradient" for node ``name`` on the traced rows (``rows`` of a
        trace_next_batch answer, as JSON) with the current weights; the run is left as it was
        (see ``trace_check.check_gradient``)."""
        network = self._current().network
        try:
            rows = json.loads(rows_json)
        except (json.JSONDecodeError, TypeError):
            rows = None
        return check_gradient(network, str(name), *batch_of_rows(network, rows))


def _same_batch(trainer, network, rows, trace):
    """True while the run still stands where ``trace`` was taken: the same next rows, the same weights."""
    if not np.array_equal(trainer.next_batch_rows(), rows):
        return False
    weights = network.get_weights()
    return all(np.array_equal(weights[k], trace.weights_before[k]) for k in weights)
