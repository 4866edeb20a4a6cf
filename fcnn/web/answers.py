"""The Session's protocol: each call answers a JSON string, ``{"ok": true, …}`` or
``{"ok": false, "error": "…"}``; and the answer to a slice of training.
"""

from __future__ import annotations

import gc
import json
import math
import time
import traceback

from ..errors import FcnnError
from ..run.settings import TrainingConfig
from .memory import OUT_OF_MEMORY


def leaves_nodes_alone(method):
    """Marks an answer that runs none of the run's nodes (it reads weights or the graph's shape):
    a trace answered in parts need not put its nodes back after it. Put it under @json_answer."""
    method.leaves_nodes_alone = True
    return method


def json_answer(method):
    counted = not getattr(method, "leaves_nodes_alone", False)

    def wrapper(self, *args):
        if counted:  # so that a trace answered in parts sees whether another call ran the network in between
            self.answers_begun = getattr(self, "answers_begun", 0) + 1
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


class StoppedWithAnswer(FcnnError):
    """A refusal that still carries part of an answer: the epochs trained before training stopped."""

    def __init__(self, message, **answer):
        super().__init__(message)
        self.answer = answer


def finite_or_none(value):
    return None if value is None else float(value)


def finite_numbers(values):
    """None for a number that is not finite (a gradient may overflow in a finite epoch; JSON has no infinity)."""
    return [v if math.isfinite(v) else None for v in values]


def progress_answer(trainer, records):
    """The answer to a slice of training; a clear refusal, with the epochs done, when the loss diverged."""
    answer = {
        "epochs": [[r.epoch, r.train_loss, finite_or_none(r.val_loss)] for r in records],
        "epoch": trainer.epoch,
        "finished": trainer.finished,
        "stop_reason": trainer.stop_reason,
        "best_epoch": best_epoch(trainer),
        # per epoch: [epoch, [‖W‖ per layer], [‖dLoss/dW‖ of its last batch per layer]], output layer last
        "layer_norms": [[r.epoch, finite_numbers(r.weight_norms), finite_numbers(r.gradient_norms)] for r in records],
        "val_accuracy": [[r.epoch, r.metrics["val_accuracy"]] for r in records if "val_accuracy" in r.metrics],
    }
    if trainer.stop_reason == "diverged":
        kept = f"the weights of epoch {trainer.epoch} were kept" if trainer.epoch else "the starting weights were kept"
        raise StoppedWithAnswer(
            f"the loss became infinite or NaN in epoch {trainer.epoch + 1}, so training stopped and {kept}; "
            "lower the learning rate (for example to a tenth) and train again",
            **answer,
        )
    return answer


def best_epoch(trainer):
    """The epoch whose validation loss was the best so far: with early stopping on, a run that
    stops early or trains all its epochs ends with that epoch's weights (one that diverges, with
    its last finite epoch's). None when early stopping is off or no epoch was validated yet."""
    return trainer.best_epoch if trainer.patience and trainer.best_epoch else None


def settings_from_json(config_json):
    """The page's settings (the JSON object Train sends) as a TrainingConfig; a clear refusal
    when they are not a JSON object (the page sent something it never sends: reload it)."""
    fields = json_object(config_json, unreadable="the settings could not be read; reload the page",
                         not_object="the settings are not a JSON object; reload the page")
    return TrainingConfig.from_dict(fields)


def json_object(text, unreadable, not_object):
    """The JSON object the page sent as ``text``; FcnnError(unreadable) when it is not JSON,
    FcnnError(not_object) when it is JSON but not an object."""
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        raise FcnnError(unreadable) from None
    if not isinstance(value, dict):
        raise FcnnError(not_object)
    return value


def with_engine_ms(answer, begun):
    """The answer with ``engine_ms``: the Python time the call spent training and building its
    answer (time.perf_counter), so scripts/bench_browser.py and bench_trace.py can tell the engine's time from the
    round trip to the worker (its JSON text and the message) and from the page's own work."""
    answer["engine_ms"] = (time.perf_counter() - begun) * 1000.0
    return answer

