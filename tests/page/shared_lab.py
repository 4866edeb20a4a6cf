"""The bad-input matrix's one page, shared by its tests: a trained baseline, what it shows, and how to get back to it.

A page start costs about ten seconds, so the bad-input tests share one page
(a module-scoped fixture). Before each test the page is brought back to the
baseline: the Boston sample loaded and a small model trained on it with the
baseline settings. ``snapshot`` reads everything the baseline shows (the data
panel, the results, and a what-if prediction), so a test can check that a
refused input left the data and the model exactly as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from page_support import PageGuard, choose_sample, press_train, tid, what_if

BASELINE_SAMPLE, BASELINE_EPOCHS = "boston", "3"
# the settings fields of the network panel and the data panel, restored before each test
SETTINGS = ["hidden-units", "activation-select", "optimizer-select", "learning-rate", "epochs", "batch-size",
            "weight-decay", "early-stopping", "seed", "task-select", "test-fraction", "scaling-select"]


@dataclass
class Lab:
    page: object
    guard: PageGuard
    settings: dict = field(default_factory=dict)
    baseline: dict = field(default_factory=dict)
    model_json: str = ""


def data_state(page):
    """What the data panel shows: the file, its preview and summary, the target and the features."""
    return page.evaluate(
        """() => {
            const q = (sel) => [...document.querySelectorAll(sel)];
            const cells = (sel) => q(sel).map((tr) => [...tr.cells].map((c) => c.textContent));
            return {
                info: document.querySelector('[data-testid=dataset-info]').textContent,
                notes: q('[data-testid=data-notes] li').map((li) => li.textContent),
                header: q('[data-testid=data-preview] thead th').map((th) => th.textContent),
                rows: cells('[data-testid=data-preview] tbody tr'),
                summary: cells('[data-testid=column-summary] tbody tr'),
                targets: q('[data-testid=target-select] option').map((o) => o.value),
                target: document.querySelector('[data-testid=target-select]').value,
                features: q('[data-testid=feature-checkbox]').map((b) => [b.value, b.checked]),
            };
        }"""
    )


def model_state(page):
    """What the trained model shows: metrics, the predictions table, the what-if form, and a what-if prediction."""
    shown = page.evaluate(
        """() => {
            const text = (id) => document.querySelector(`[data-testid="${id}"]`).textContent;
            return {
                metrics: ['metric-r2', 'metric-rmse', 'metric-mae', 'metric-accuracy'].map(text),
                predictions: [...document.querySelectorAll('[data-testid=predictions-table] tbody tr')]
                    .map((tr) => [...tr.cells].map((c) => c.textContent)),
                page_info: text('page-info'),
                task: text('task-info'),
                run_notes: [...document.querySelectorAll('[data-testid=run-notes] li')].map((li) => li.textContent),
                model_info: text('model-info'),
                what_if_fields: [...document.querySelectorAll('[data-testid=what-if-field]')].map((i) => [i.name, i.value]),
            };
        }"""
    )
    shown["what_if"] = what_if(page) if page.is_enabled(tid("what-if-button")) else None
    return shown


def snapshot(page):
    return {"data": data_state(page), "model": model_state(page)}


def read_settings(page):
    return {name: page.input_value(tid(name)) for name in SETTINGS}


def restore_settings(page, settings):
    while page.locator(f'{tid("layer-editor")} input').count() > 1:
        page.click(tid("remove-layer"))
    for name, value in settings.items():
        if name.endswith("-select"):
            page.select_option(tid(name), value)
        else:
            page.fill(tid(name), value)


def stop_any_run(page):
    if page.is_enabled(tid("stop-button")):
        page.click(tid("stop-button"))
        page.wait_for_selector(f'{tid("status")}[data-state="done"]')


def train_baseline(page, settings):
    choose_sample(page, BASELINE_SAMPLE)
    restore_settings(page, settings)
    assert press_train(page) == "", "the baseline must train"


def ensure_baseline(lab):
    """Bring the shared page back to the baseline: the sample's data, and the baseline model trained on it."""
    page = lab.page
    stop_any_run(page)
    restore_settings(page, lab.settings)
    now = snapshot(page)
    # the same seed and settings: the same model again. Other data loaded cleared the run it had
    # (a run belongs to its data), so the sample comes back with its model trained again.
    if now != lab.baseline:
        train_baseline(page, lab.settings)
    assert snapshot(page) == lab.baseline, "the page could not be brought back to the baseline"
