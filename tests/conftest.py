import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import os

import pytest
from hypothesis import settings as hypothesis_settings

# CI runs the property tests on a fixed sequence of examples, so a run that
# passed once passes again; locally they explore new examples each run.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

from page_support import CHROMIUM, CHROMIUM_ARGS, PageGuard, install_event_recorder, start_server

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def app_server():
    vendor = ROOT / "static" / "vendor" / ".stamp"
    assert vendor.exists(), "static/vendor is missing: run `make vendor` (make test does it)"
    # the worker must run the source under test, not a stale archive
    sys.path.insert(0, str(ROOT / "scripts"))
    import zip_package

    zip_package.build(ROOT / "static" / "vendor" / "fcnn.zip")
    import numpy_pycache

    numpy_pycache.ensure()  # the worker unpacks it (static/js/pyodide-start.mjs): a missing file would be a 404
    from fcnn.web import facts  # the page builds its controls from these: the source's, not a stale copy

    facts.write(ROOT / "static" / "vendor" / "facts.json")
    server, origin = start_server(ROOT)
    yield origin
    server.shutdown()


@pytest.fixture
def guarded_page(page, app_server):
    """The page with guards: the test fails on any outside request, page error or traceback.
    The page's events are recorded from its first script on (page_support.events)."""
    guard = PageGuard(page, app_server)
    install_event_recorder(page)
    page.guard = guard
    page.set_default_timeout(60_000)
    yield page
    problems = guard.problems()
    assert not problems, "\n".join(problems)
