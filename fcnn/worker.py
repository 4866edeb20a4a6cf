"""The browser-side Python: runs in a PyScript worker and exports the session to the page.

The page calls these functions, one short call at a time, so the worker is
free between slices of training and Stop takes effect at once.
"""

import numpy as _np

# Workaround, browser only: Pyodide is 32-bit wasm, where np.bincount refuses int64
# indexes ("Cannot cast … int64 to int32"), which fcnn.preprocess.prepare passes for
# every classification target. The engine's owner should cast to np.intp there; until
# then this shim does that cast, so classification trains in the page. No math changes.
_bincount = _np.bincount


def _bincount_intp(x, weights=None, minlength=0):
    return _bincount(_np.asarray(x).astype(_np.intp, copy=False), weights, minlength)


_np.bincount = _bincount_intp

from fcnn.session import Session  # noqa: E402

session = Session()

load_csv = session.load_csv
load_sample = session.load_sample
sample_names = session.sample_names
start = session.start
train_for = session.train_for
step = session.step
set_learning_rate = session.set_learning_rate
results = session.results
model_json = session.model_json
load_model = session.load_model
predict_csv = session.predict_csv
predict_row = session.predict_row
gradient_report = session.gradient_report
network_view = session.network_view
grid = session.grid


def ping():
    """Answers once numpy and fcnn are imported: the page's signal that it is ready."""
    import numpy

    return numpy.__version__


__export__ = [
    "ping", "load_csv", "load_sample", "sample_names", "start", "train_for", "step", "set_learning_rate",
    "results", "model_json", "load_model", "predict_csv", "predict_row", "gradient_report", "network_view", "grid",
]
