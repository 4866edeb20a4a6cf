"""The browser-side Python: runs in a PyScript worker and exports the session to the page.

The page calls these functions, one short call at a time, so the worker is
free between slices of training and Stop takes effect at once.
"""

import json
import time

import js
from pyodide.ffi import JsProxy


# (stage, ms since the epoch) of this module's own start, for `startup_marks`
_marks = []


def _mark(name):
    """Notes when a stage of the start ended, in ms since the epoch like the interpreter module's marks."""
    _marks.append({"name": name, "at": time.time() * 1000})  # Date.now() in Pyodide


_mark("worker: worker.py started")
import numpy  # noqa: E402,F401 - imported here to time it apart from fcnn's own modules

_mark("worker: numpy imported")
from fcnn.run.settings import BROWSER_MEMORY_BUDGET  # noqa: E402
from fcnn.web.session import Session  # noqa: E402

session = Session(memory_budget=BROWSER_MEMORY_BUDGET)
_mark("worker: fcnn imported")


def _file_data(data):
    """The page sends a file as its bytes, a JS Uint8Array, which arrives here as a
    JsProxy: the engine decodes bytes itself (BOM, UTF-16, Latin-1, binary refusal).
    Text (the samples fetched by the page) passes through as str."""
    return data.to_bytes() if isinstance(data, JsProxy) else data


def load_csv(data, name="data.csv"):
    return session.load_csv(_file_data(data), name)


def predict_csv(data, name="new.csv"):
    return session.predict_csv(_file_data(data), name)


def load_model(data):
    return session.load_model(_file_data(data))


load_sample = session.load_sample
sample_names = session.sample_names
describe_target = session.describe_target
start = session.start
step = session.step
set_learning_rate = session.set_learning_rate
results = session.results
model_json = session.model_json
model_python = session.model_python
predict_row = session.predict_row
gradient_report = session.gradient_report
trace_next_batch = session.trace_next_batch
trace_begin = session.trace_begin  # the page's trace, in parts (fcnn/web/trace_progress.py)
trace_more = session.trace_more
take_traced_step = session.take_traced_step
find_learning_rate = session.find_learning_rate
network_view = session.network_view
grid = session.grid
check_trace_gradient = session.check_trace_gradient
graph_view = session.graph_view  # the Graph view (fcnn/web/graph_view.py)
neuron_maps = session.neuron_maps
output_view = session.output_view  # the workspace's Output column while a run trains
layer_units = session.layer_units


def simulate_fatal_error():
    """Fault injection for the page's recovery test (tests/page/test_page_faults.py):
    reads memory outside WebAssembly's heap, the fatal error that a crashed
    native library gives. Pyodide cannot be used after it, and the page must
    start a new worker without losing the user's data and model."""
    import ctypes

    return ctypes.string_at(0xFFFFFF00, 1024)


_hang_next_train_seconds = 0.0


def train_for(milliseconds):
    global _hang_next_train_seconds
    if _hang_next_train_seconds:
        end = time.monotonic() + _hang_next_train_seconds
        _hang_next_train_seconds = 0.0
        while time.monotonic() < end:  # busy, not asleep: the worker answers nothing meanwhile
            pass
    return session.train_for(milliseconds)


def simulate_hang_next_train(seconds):
    """Fault injection for tests/page/test_page_faults.py: the next training slice (train_for)
    spins for ``seconds`` without answering, as an endless loop would; the page must
    offer to restart the engine, keeping the user's data and model."""
    global _hang_next_train_seconds
    _hang_next_train_seconds = float(seconds)


def memory_bytes():
    """The size of the WebAssembly memory Python lives in (its heap, numpy's arrays).

    It grows and never shrinks, so it is also the peak; scripts/bench_scale.py reads it.
    """
    import pyodide_js

    return pyodide_js._module.HEAPU8.length


def startup_marks():
    """The worker's start-up stages as JSON [{name, at}], `at` in ms since the epoch:
    scripts/bench_startup.py prints where the start-up time goes from them."""
    marks = getattr(js, "fcnnStartupMarks", None)  # static/js/pyodide-start.mjs: the stages before Python ran
    return json.dumps((json.loads(js.JSON.stringify(marks)) if marks is not None else []) + _marks)


def ping():
    """Answers once numpy and fcnn are imported: the page's signal that it is ready."""
    import numpy

    return numpy.__version__


__export__ = [
    "ping", "load_csv", "load_sample", "sample_names", "describe_target", "start", "train_for", "step", "set_learning_rate",
    "results", "model_json", "load_model", "predict_csv", "predict_row", "gradient_report", "trace_next_batch", "take_traced_step", "network_view", "grid",
    "find_learning_rate", "graph_view", "neuron_maps", "model_python",
    "simulate_fatal_error", "simulate_hang_next_train", "memory_bytes",
    "check_trace_gradient", "startup_marks", "trace_begin", "trace_more", "output_view", "layer_units",
]
