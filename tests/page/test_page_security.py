"""The page's Content-Security-Policy: only its own origin, and the app works under it.

Every browser test runs under this policy, and PageGuard fails a test on any
CSP violation in the console; this test checks the policy itself and a run.
"""

import pytest

pytestmark = pytest.mark.browser


def test_policy_allows_only_this_origin_and_training_works(guarded_page, app_server):
    page = guarded_page
    page.goto(app_server + "/")
    policy = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    for name, sources in directives.items():
        assert "http" not in sources and "*" not in sources, (name, sources)
    assert "'unsafe-inline'" not in directives["script-src"]
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.wait_for_selector('[data-testid="status"][data-state="ready"]', timeout=90_000)
    page.select_option('[data-testid="sample-select"]', "iris")
    page.wait_for_selector('[data-testid="target-select"] option[value="species"]', state="attached")
    page.fill('[data-testid="epochs"]', "20")
    page.click('[data-testid="train-button"]')
    page.wait_for_selector('[data-testid="status"][data-state="done"]', timeout=90_000)
    assert page.text_content('[data-testid="metric-accuracy"]').strip() not in ("", "–")
    assert violations == []
