"""The page's trace of one mini-batch, answered a part at a time.

A 10-layer × 512-unit network's trace is about 270 ms of numpy in the browser
(forward, backward, the step and the loss after it) and 90 ms of summaries:
too long for one answer. So the page asks for it in parts: ``PageTrace.answer``
runs the engine's BatchTracer piece by piece and summarises what each piece
completed until about ``budget`` seconds have gone, and answers that part. The
first part holds the batch's first nodes, so the trace is on screen at once,
and the page asks for the rest in the background while the user steps.

Each part answers only what it adds (every summary is made once):
  values:   {node: summary of its value}, from the forward pieces;
  backward: {node: {received, gradient, gradients}}, from the backward pieces;
  steps:    {weight: summary of the optimizer's step}, once the step is computed;
  loss, stepped, loss_after when known; done: True with the last part.
"""

from __future__ import annotations

import time

from .trace_view import finite_number, once_per_array

#: about how long one part of the trace may compute (the page's answer comes within 100 ms);
#: the first part only needs the first steps, so it is shorter and the trace is on screen sooner
TRACE_BUDGET_MS = 40
FIRST_PART_BUDGET_MS = 20
#: pieces that run over the whole network at once (an Adam step on 10 × 512 × 512 weights is 55 ms
#: in the browser, the loss after it a forward pass): each starts a part of its own
HEAVY_PIECES = ("step", "loss_after")


class PageTrace:
    """A trace in progress for the page: the engine's BatchTracer of the run's next batch
    (``experiment``'s, rows ``rows``), and what of it is computed but not yet answered."""

    #: how many traces were begun in this process: each gets its number
    begun = 0

    def __init__(self, experiment, tracer, rows):
        self.experiment, self.tracer, self.rows = experiment, tracer, rows
        PageTrace.begun += 1
        self.number = PageTrace.begun
        self.summarised = once_per_array()
        self._waiting = []  # (section, name, thing to summarise): computed, not yet summarised
        self.answer_mark = None  # the Session's answer count after this trace's last answer

    @property
    def done(self):
        return self.tracer.finished and not self._waiting

    def answer(self, budget):
        """The next part: pieces run and summarised one at a time until ``budget`` seconds have
        gone (at least one thing each time, so every part moves the trace on); a heavy piece
        starts a part of its own."""
        part = {"values": {}, "backward": {}, "steps": {}}
        begun, worked = time.perf_counter(), False
        while not self.done:
            if self._waiting:
                section, name, thing = self._waiting.pop(0)
                part[section][name] = self._summarised(section, thing)
            elif worked and self.tracer.next_phase in HEAVY_PIECES:
                break
            else:
                self._take_piece(part)
            worked = True
            if time.perf_counter() - begun >= budget:
                break
        part["done"] = self.done
        return part

    def _take_piece(self, part):
        """Run the tracer's next piece and queue what it completed for summarising."""
        phase, done = self.tracer.advance()
        if phase in ("forward", "backward"):
            self._waiting.append(("values" if phase == "forward" else "backward", done.name, done))
            if phase == "forward" and done.name == self.experiment.network.loss.name:
                part["loss"] = finite_number(done.value)
        elif phase == "step":
            part["stepped"] = done.stepped
            self._waiting.extend(("steps", name, step) for name, step in done.steps.items())
        else:
            part["loss_after"] = finite_number(done.loss_after)

    def _summarised(self, section, thing):
        form = self.summarised
        if section == "values":
            return form(thing.value)
        if section == "steps":
            return form(thing)
        return {"received": {k: form(v) for k, v in thing.received.items()}, "gradient": form(thing.gradient),
                "gradients": {k: form(v) for k, v in thing.gradients.items()}}
