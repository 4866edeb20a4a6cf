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

from page_support import CHROMIUM, CHROMIUM_ARGS, PageGuard, install_event_recorder, new_guarded_page, start_server

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
    import pyodide_snapshot

    pyodide_snapshot.ensure()  # the worker restores it (static/js/pyodide-start.mjs): a missing file would be a 404
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


@pytest.fixture(scope="module")
def module_page(browser, app_server):
    """One guarded page for all the tests of a module: a page's start costs seconds, and tests that
    bring the page to the state they need themselves do not need a fresh one (see ``shared_page``)."""
    page = new_guarded_page(browser, app_server)
    yield page
    page.context.close()


@pytest.fixture
def shared_page(module_page):
    """The module's shared page; what its guard finds fails the test during which it was found."""
    module_page.guard.reset()
    yield module_page
    problems = module_page.guard.problems()
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def module_context(browser):
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def warm_page(module_context, app_server):
    """A new page for each test (its own document and engine, nothing kept from the test before)
    in a browser context the module's tests share, so it starts warm: the runtime's files come
    from the context's HTTP cache and Pyodide from its memory snapshot in the context's Cache
    Storage. Guarded and recording events as ``guarded_page``; tests of a cold start use that."""
    page = module_context.new_page()
    page.set_default_timeout(60_000)
    page.guard = PageGuard(page, app_server)
    install_event_recorder(page)
    yield page
    page.guard.detach(page)
    problems = page.guard.problems()
    page.close()
    assert not problems, "\n".join(problems)
