"""Lessons in the page: each opens (by the Lessons select, or by its #lesson= link), trains to
the outcome its text states, and so does its "Try this" variation. The outcome is read from
what the page reported (the metrics it shows, the progress events' stop reason, val_loss and
layer norms), measured as tests/run/test_lessons.py measures it in CPython.

The tests share one page: choosing a lesson sets every setting (the defaults under the lesson's)
and loads its sample again, so a page that showed another lesson is a fresh page for it. A lesson
opened by its link is a new load of that page."""


import pytest

from fcnn.run.lessons import load_lessons, unmet_expectations
from page_support import (SAMPLES, click_marked, events, load_table, open_app, received_epochs, tid,
                          wait_for_run_state, wait_loaded, wait_state)

pytestmark = pytest.mark.browser

LESSONS = load_lessons()


def number(page, testid):
    text = page.text_content(tid(testid)).strip()
    try:
        return float(text)
    except ValueError:
        return None


def train_and_read(page):
    """Press Train, wait for the run's end, and return what it showed, in the terms of `expect`."""
    pressed = click_marked(page, "train-button")
    wait_for_run_state(page, "done", "failed", after=pressed, timeout=150_000)
    wait_state(page, "done", "error", timeout=60_000)
    reports = [e["detail"] for e in events(page, "fcnn:progress", pressed)]
    shown = {"stop_reason": next((r["stopped_reason"] for r in reversed(reports) if r["stopped_reason"]), None)}
    if shown["stop_reason"] == "diverged":
        return shown
    shown["stop_reason"] = shown["stop_reason"] or "finished"
    shown["accuracy"] = number(page, "metric-accuracy")
    shown["r2"] = number(page, "metric-r2")
    norms = [entry for r in reports for entry in r["layer_norms"]]
    gradients = norms[-1][2]
    shown["first_layer_gradient_share"] = gradients[0] / gradients[-1]
    held_out = [e["val_loss"] for e in received_epochs(page, pressed)]
    shown["held_out_loss_rise"] = held_out[-1] / min(held_out)
    return shown


def layer_widths(page):
    return page.eval_on_selector_all(f'{tid("layer-editor")} input', "inputs => inputs.map((i) => Number(i.value))")


def open_by_link(page, origin, link):
    page.goto("about:blank")  # a new load of the page, not a change of the fragment of the one shown
    open_app(page, origin, link)


def open_by_select(page, origin, lesson):
    """Chooses the lesson in the Lessons select and waits until its sample loaded (the page is
    opened first when it is not, or when a run of a test before is still going on)."""
    if not page.url.startswith(origin) or page.get_attribute(tid("status"), "data-state") not in ("ready", "done"):
        open_by_link(page, origin, "/")
    message = load_table(page, lambda: page.select_option(tid("lesson-select"), lesson["name"]), f"{lesson['sample']}.csv")
    assert message == "", message


@pytest.mark.parametrize("index", range(len(LESSONS)), ids=[lesson["name"] for lesson in LESSONS])
def test_each_lesson_and_its_variation_train_in_the_page_to_their_stated_outcome(shared_page, app_server, index):
    page, lesson = shared_page, LESSONS[index]
    if index % 2:
        open_by_link(page, app_server, f"/#lesson={lesson['name']}")
    else:
        open_by_select(page, app_server, lesson)
    wait_loaded(page, SAMPLES[lesson["sample"]])
    assert page.input_value(tid("lesson-select")) == lesson["name"]
    assert page.input_value(tid("sample-select")) == lesson["sample"]
    assert lesson["text"] in page.text_content(tid("lesson-text"))
    assert lesson["try"]["text"] in page.text_content(tid("lesson-text"))
    assert f"lesson={lesson['name']}" in page.get_attribute(tid("share-link"), "href")
    shown = train_and_read(page)
    assert not unmet_expectations(lesson["expect"], shown), shown
    page.click(tid("lesson-try"))
    settings = {**lesson["settings"], **lesson["try"]["settings"]}
    if "hidden_layers" in settings:
        assert layer_widths(page) == settings["hidden_layers"]
    if "learning_rate" in settings:
        assert float(page.input_value(tid("learning-rate"))) == settings["learning_rate"]
    assert "try=1" in page.get_attribute(tid("share-link"), "href")
    shown = train_and_read(page)
    assert not unmet_expectations(lesson["try"]["expect"], shown), shown


def test_a_variation_link_opens_the_lesson_with_its_variation_on_the_controls(shared_page, app_server):
    page, lesson = shared_page, LESSONS[0]
    open_by_link(page, app_server, f"/#lesson={lesson['name']}&try=1")
    wait_loaded(page, SAMPLES[lesson["sample"]])
    assert layer_widths(page) == lesson["try"]["settings"]["hidden_layers"]
    assert page.input_value(tid("early-stopping")) == str(lesson["try"]["settings"]["early_stopping"])
    assert page.input_value(tid("learning-rate")) == str(lesson["settings"]["learning_rate"])
    assert page.get_attribute(tid("lesson-text"), "data-tried") == "true"
