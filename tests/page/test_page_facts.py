"""The page and the engine agree on the facts they share (static/vendor/facts.json, written
from fcnn.run.settings): every default the page shows, the limits on its numeric inputs and
its layer editor, the choices of its selects and its sample list, before the engine is ready.

The engine is held back (its package archive never arrives), so what the page shows can
only come from the facts, not from anything the engine told it later.
"""

import pytest

from fcnn.web.facts import facts
from page_support import events, tid

pytestmark = pytest.mark.browser

# the facts' default → the control that shows it
NUMBER_FIELDS = {
    "test_fraction": "test-fraction", "learning_rate": "learning-rate", "epochs": "epochs", "batch_size": "batch-size",
    "weight_decay": "weight-decay", "early_stopping": "early-stopping", "seed": "seed",
}
SELECTS = {"task": "task-select", "scaling": "scaling-select", "activation": "activation-select",
           "optimizer": "optimizer-select"}
# the facts' limit → (the input, its attribute)
LIMIT_ATTRIBUTES = {
    "max_units": ("hidden-units", "max"), "max_epochs": ("epochs", "max"), "min_batch_size": ("batch-size", "min"),
    "max_learning_rate": ("learning-rate", "max"), "max_test_fraction": ("test-fraction", "max"),
}

SHOWN_JS = """() => {
    const q = (sel) => [...document.querySelectorAll(sel)];
    const one = (id) => document.querySelector(`[data-testid="${id}"]`);
    const options = (id) => q(`[data-testid="${id}"] option`).map((o) => o.value);
    return {
        values: Object.fromEntries(q('[data-testid]').filter((e) => 'value' in e && e.tagName !== 'BUTTON')
            .map((e) => [e.dataset.testid, e.value])),
        options: Object.fromEntries(%s.map((id) => [id, options(id)])),
        layers: q('[data-testid=layer-editor] input').map((i) => [i.value, i.min, i.max]),
        features: q('[data-testid=feature-checkbox]').length,
        samples: q('[data-testid=sample-select] option').filter((o) => o.value)
            .map((o) => [o.value, o.textContent, o.parentElement.tagName === 'OPTGROUP' ? o.parentElement.label : null]),
        status: one('status').dataset.state,
    };
}"""


def open_with_the_engine_held_back(page, origin):
    """Opens the page with the engine's package never arriving; returns when the sample list is built."""
    page.context.route("**/static/vendor/fcnn.zip", lambda route: None)  # never answered
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(origin + "/")
    count = len(facts()["samples"])
    page.wait_for_function(
        "(n) => document.querySelectorAll('[data-testid=sample-select] option:not([value=\"\"])').length === n",
        arg=count,
    )
    return requested


def test_the_page_shows_the_engines_defaults_limits_choices_and_samples_before_it_is_ready(guarded_page, app_server):
    page = guarded_page
    shared = facts()
    requested = open_with_the_engine_held_back(page, app_server)
    shown = page.evaluate(SHOWN_JS % list(SELECTS.values()))
    assert any(url.endswith("/static/vendor/facts.json") for url in requested), "the page never fetched facts.json"
    # not ready: nothing here came from the engine
    assert shown["status"] == "loading"
    assert "ready" not in [e["detail"]["state"] for e in events(page, "fcnn:engine-state")]

    defaults = shared["defaults"]
    assert shown["values"]["sample-select"] == defaults["sample"]
    assert shown["values"]["target-select"] == defaults["target"]
    assert defaults["features"] is None and shown["features"] == 0  # every other column, once data is loaded
    for key, testid in NUMBER_FIELDS.items():
        assert float(shown["values"][testid]) == defaults[key], (key, shown["values"][testid])
    for key, testid in SELECTS.items():
        assert shown["values"][testid] == defaults[key], key
        assert shown["options"][testid] == shared["choices"][key], key
    assert [int(value) for value, _, _ in shown["layers"]] == defaults["hidden_layers"]

    limits = shared["limits"]
    for key, (testid, attribute) in LIMIT_ATTRIBUTES.items():
        value = page.get_attribute(tid(testid), attribute)
        said = f"{testid} {attribute}={value!r}, the engine's {key} is {limits[key]}"
        assert value is not None and float(value) == limits[key], said
    assert all(int(high) == limits["max_units"] for _, _, high in shown["layers"])

    # the samples: names, the option texts, their order, and grouped as the facts group them
    assert [(name, label) for name, label, _ in shown["samples"]] == [(s["name"], s["label"]) for s in shared["samples"]]
    groups = [group for _, _, group in shown["samples"]]
    kinds = [s["group"] for s in shared["samples"]]
    assert all((groups[i] == groups[j]) == (kinds[i] == kinds[j]) for i in range(len(kinds)) for j in range(len(kinds)))

    # the layer editor takes layers up to the limit, and no more
    while page.is_enabled(tid("add-layer")):
        page.click(tid("add-layer"))
        assert page.locator(f'{tid("layer-editor")} input').count() <= limits["max_layers"]
    assert page.locator(f'{tid("layer-editor")} input').count() == limits["max_layers"]
    highs = page.eval_on_selector_all(f'{tid("layer-editor")} input', "els => els.map((e) => Number(e.max))")
    assert highs == [limits["max_units"]] * limits["max_layers"]
    assert page.get_attribute(tid("status"), "data-state") == "loading"
