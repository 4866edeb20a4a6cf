"""The browser-side Python: runs in a PyScript worker and exports the session to the page.

The page calls these functions, one short call at a time, so the worker is
free between slices of training and Stop takes effect at once.
"""

from fcnn.session import Session

session = Session()

load_csv = session.load_csv
start = session.start
train_for = session.train_for
results = session.results


def ping():
    """Answers once numpy and fcnn are imported: the page's signal that it is ready."""
    import numpy

    return numpy.__version__


__export__ = ["ping", "load_csv", "start", "train_for", "results"]
