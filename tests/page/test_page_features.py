"""End-to-end tests of the lab's panels (issue 4), one or more per outcome.

Runs are kept short (few epochs); the guarded_page and shared_page fixtures fail a test on any
outside request, page error or Python traceback. The tests share one page (a page start costs
seconds), each taking it idle with the default settings (app_open); the test of the loading
stages has a cold page of its own, and the one that needs an engine with no run reloads it.
"""

import json

import pytest

from made_up_data import write_csv
from page_support import (
    app_open, choose_sample, click_marked, download, drawn_share, events, last_seq, load_file, open_app,
    progress_reports, received_epochs, show, tid, train_to_done, wait_for_epoch, wait_for_run_state, wait_state,
    wait_text,
)

pytestmark = pytest.mark.browser


def test_loading_stages_and_ready_time(guarded_page, app_server):
    page = guarded_page
    open_app(page, app_server)
    stages = page.locator(tid("load-stage")).all_text_contents()
    assert stages[0].startswith("Loading the runtime") and "numpy" in stages[1] and stages[2] == "Starting the engine"
    assert int(page.evaluate("document.body.dataset.readyMs")) > 0


def test_features_split_and_scaling_choices_reach_the_engine(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    choose_sample(page, "iris")
    boxes = page.locator(tid("feature-checkbox"))
    assert boxes.count() == 4
    boxes.nth(0).uncheck()
    boxes.nth(1).uncheck()  # two features left: the decision map appears
    page.fill(tid("test-fraction"), "0.2")
    page.select_option(tid("scaling-select"), "minmax")
    train_to_done(page, epochs=2)
    assert "120 training rows, 30 test rows" in page.text_content(tid("task-info"))
    assert page.is_visible(tid("boundary-canvas"))
    model = json.loads(download(page, "download-model"))
    assert model["config"]["features"] == ["petal_length", "petal_width"] and model["config"]["scaling"] == "minmax"


def task_note(page):
    return page.text_content(tid("task-detected"))


def test_the_task_is_shown_on_load_and_can_be_overridden(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    choose_sample(page, "iris")
    # before any training: the detection, its classes and why, also in the select's own words
    note = task_note(page)
    assert "Detected for species: multi-class classification (3 classes: setosa, versicolor, virginica)" in note
    assert "text" in note
    assert page.text_content(f'{tid("task-select")} option[value="auto"]') == "automatic (multi-class classification)"
    page.select_option(tid("target-select"), "petal_width")
    assert "Detected for petal_width: regression" in wait_text(page, "task-detected", "petal_width")
    page.select_option(tid("target-select"), "species")
    wait_text(page, "task-detected", "Detected for species")

    # an override that cannot work is flagged beside the select, and Train says why without a crash
    page.select_option(tid("task-select"), "regression")
    note = task_note(page)
    assert "Your choice, regression, cannot train on this column" in note and "holds text" in note
    assert page.get_attribute(tid("task-detected"), "data-conflict") == "true"
    page.click(tid("train-button"))
    message = wait_text(page, "error-message", "species")
    assert "holds text" in message and "classification" in message
    assert page.is_enabled(tid("train-button")) and page.get_attribute(tid("status"), "data-state") == "ready"
    page.select_option(tid("task-select"), "binary")
    assert "3 classes, not 2; choose multi-class classification" in task_note(page)  # the select's own words
    page.select_option(tid("task-select"), "multiclass")
    assert "cannot" not in task_note(page) and page.get_attribute(tid("task-detected"), "data-conflict") is None

    # new data starts from automatic; a 0/1 column read as binary can be trained as multi-class
    choose_sample(page, "boston")
    assert page.input_value(tid("task-select")) == "auto"
    assert "Detected for MEDV: regression" in task_note(page)
    page.select_option(tid("target-select"), "CHAS")
    assert "binary classification (2 classes: 0, 1)" in wait_text(page, "task-detected", "CHAS")
    page.select_option(tid("task-select"), "multiclass")
    assert "Your choice overrides it: multi-class classification" in task_note(page)
    train_to_done(page, epochs=1)
    assert page.text_content(tid("task-info")).startswith("Training: multi-class classification (2 classes: 0, 1)")

    # the override travels in the link and is put back, after the sample's own target
    link = page.get_attribute(tid("share-link"), "href")
    assert "task=multiclass" in link and "target=CHAS" in link
    page.goto("about:blank")
    page.goto(app_server + "/" + link)
    wait_text(page, "task-detected", "Your choice overrides it")
    assert page.input_value(tid("task-select")) == "multiclass" and page.input_value(tid("target-select")) == "CHAS"


def test_layer_editor_up_to_ten_layers_of_512(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    choose_sample(page, "xor")
    for _ in range(9):
        page.click(tid("add-layer"))
    assert page.is_disabled(tid("add-layer"))
    page.fill(tid("hidden-units"), "512")
    page.fill(tid("hidden-units-10"), "512")
    page.click(tid("remove-layer"))
    assert page.locator(f'{tid("layer-editor")} input').count() == 9
    train_to_done(page, epochs=1)
    assert page.locator(tid("neuron")).count() > 0
    nodes = page.locator(tid("graph-node")).all_text_contents()
    assert len(nodes) > 9 * 4
    assert any(n.startswith("W1 · WeightNode · 2×512") for n in nodes), nodes
    assert any(n.startswith("W9 · WeightNode · 8×8") for n in nodes) and not any(n.startswith("W11 ") for n in nodes)


def test_pause_resume_step_and_change_the_learning_rate(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    choose_sample(page, "circles")
    page.fill(tid("epochs"), "100000")
    page.fill(tid("early-stopping"), "0")  # the run cannot end before the pause
    pressed = click_marked(page, "train-button")
    wait_for_epoch(page, 3, after=pressed)
    pause = click_marked(page, "pause-button")
    wait_for_run_state(page, "paused", after=pause)
    # the status says paused once the slice under way has reported: every report is in by then
    page.wait_for_selector(f'{tid("status")}[data-run="paused"]')
    paused = last_seq(page)
    paused_at = int(page.text_content(tid("epoch-counter")))
    assert paused_at == received_epochs(page, after=pressed)[-1]["epoch"]
    assert "Paused" in page.text_content(tid("status"))
    assert float(page.text_content(tid("elapsed")).removesuffix(" s")) > 0
    assert float(page.text_content(tid("samples-per-second")).removesuffix(" samples/s")) > 0
    step = click_marked(page, "step-button")
    # nothing trained while it was paused; the Step trains one epoch
    assert [e for e in events(page, "fcnn:progress", after=paused) if e["seq"] <= step] == []
    page.wait_for_function(f"() => Number(document.querySelector('[data-testid=epoch-counter]').textContent) === {paused_at + 1}")
    page.fill(tid("learning-rate"), "0")
    page.click(tid("resume-button"))
    page.wait_for_selector(f'{tid("error-message")}:visible')
    assert "learning rate" in page.text_content(tid("error-message"))
    page.fill(tid("learning-rate"), "0.01")
    resumed = click_marked(page, "resume-button")
    wait_for_epoch(page, paused_at + 4, after=resumed)
    page.click(tid("stop-button"))
    wait_for_run_state(page, "done", after=resumed)
    wait_state(page, "done")
    epochs = [e["epoch"] for r in progress_reports(page, after=pressed) for e in r["epochs"]]
    assert epochs == list(range(1, len(epochs) + 1)), f"every epoch once, in order, across the pause: {epochs}"
    assert page.locator(f'{tid("predictions-table")} tbody tr').count() > 0
    page.click(tid("reset-button"))
    assert page.text_content(tid("epoch-counter")) == "0"
    assert page.locator(f'{tid("predictions-table")} tbody tr').count() == 0


def test_every_training_setting_reaches_the_engine(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    choose_sample(page, "iris")
    page.select_option(tid("activation-select"), "sigmoid")
    page.select_option(tid("optimizer-select"), "momentum")
    # the log-scale slider sets the typed rate: five steps of 0.1 down from 10^-2.5
    page.fill(tid("learning-rate"), "0.003")  # the sample opened with its own rate
    assert page.input_value(tid("learning-rate-slider")) == "-2.5"
    page.focus(tid("learning-rate-slider"))
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    assert page.input_value(tid("learning-rate")) == "0.001"
    page.fill(tid("batch-size"), "100000")  # more than the rows: one batch of the whole training set
    page.fill(tid("weight-decay"), "0.01")
    page.fill(tid("early-stopping"), "0")
    page.fill(tid("seed"), "5")
    train_to_done(page, epochs=4)
    model = json.loads(download(page, "download-model"))
    config = model["config"]
    assert (config["activation"], config["optimizer"], config["learning_rate"]) == ("sigmoid", "momentum", 0.001)
    assert (config["batch_size"], config["weight_decay"], config["early_stopping"], config["seed"]) == (100000, 0.01, 0, 5)
    assert config["epochs"] == 4 and len(model["history"]) == 4
    assert page.is_hidden(tid("error-message"))


def test_the_loss_chart_is_drawn_by_the_vendored_library(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    assert page.get_attribute('script[src*="uplot"]', "src") == "./static/vendor/uplot/uPlot.iife.min.js"
    choose_sample(page, "diabetes")
    blank = drawn_share(page, f'{tid("loss-chart")} canvas')
    train_to_done(page, epochs=30)
    assert drawn_share(page, f'{tid("loss-chart")} canvas') > blank
    legend = page.locator(f'{tid("loss-chart")} .u-legend').text_content()
    assert "training loss" in legend and "validation loss" in legend


def test_two_features_draw_the_decision_map_during_training(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    choose_sample(page, "xor")
    # count the weights' redraws on the Neurons face, to see them happen while it trains
    page.evaluate(
        """() => { window.__neuronRedraws = 0;
                   new MutationObserver(() => window.__neuronRedraws++)
                       .observe(document.querySelector('[data-testid=neuron-view]'),
                                {attributes: true, subtree: true, attributeFilter: ['data-weight']}); }"""
    )
    page.fill(tid("epochs"), "100000")
    page.fill(tid("early-stopping"), "0")
    pressed = click_marked(page, "train-button")
    wait_for_epoch(page, 3, after=pressed)
    assert page.is_visible(tid("boundary-canvas"))
    first = page.evaluate("() => document.querySelector('[data-testid=boundary-canvas]').toDataURL()")
    # the map and the weights are redrawn during training, not only at the end
    page.wait_for_function(
        """(first) => document.querySelector('[data-testid=status]').dataset.state === 'training'
                      && document.querySelector('[data-testid=boundary-canvas]').toDataURL() !== first
                      && window.__neuronRedraws >= 3""",
        arg=first,
    )
    page.click(tid("stop-button"))
    wait_for_run_state(page, "done", after=pressed)
    wait_state(page, "done")
    assert drawn_share(page, tid("boundary-canvas"), background=True) > 0.95
    choose_sample(page, "boston")
    train_to_done(page, epochs=1)
    assert page.is_hidden(tid("boundary-view"))


def test_network_view_and_gradient_check(shared_page, app_server):
    page = shared_page
    open_app(page, app_server)  # a fresh engine: no run yet
    show(page, "gradcheck-button").click()  # before any run: every node kind
    page.wait_for_function("() => document.querySelectorAll('[data-testid=gradcheck-table] tbody th').length === 4")
    choose_sample(page, "blobs")
    train_to_done(page, epochs=2)
    nodes = page.locator(tid("graph-node")).all_text_contents()
    assert any(n.startswith("W1 · WeightNode · 2×8") for n in nodes), nodes
    assert "X · InputNode · batch×2" in nodes and "linear1 · LinearNode · batch×8" in nodes, nodes
    # topological order: every node after the nodes it reads from, the loss last
    order = [n.split(" · ")[0] for n in nodes]
    for k in (1, 2):
        assert order.index(f"linear{k}") > max(order.index(f"W{k}"), order.index(f"b{k}"))
    assert order.index("X") < order.index("linear1") < order.index("relu1") < order.index("linear2")
    assert order[-1] == "softmax_cross_entropy"
    # the Neurons face draws each weight: blue when positive, orange when negative, wider when larger
    weights = json.loads(download(page, "download-model"))["weights"]
    edges = page.eval_on_selector_all(
        tid("neuron-edge"),
        "els => els.map(e => [+e.dataset.layer, +e.dataset.from, +e.dataset.to, e.getAttribute('class'), +e.getAttribute('stroke-width'),"
        " getComputedStyle(e).stroke])",
    )
    assert len(edges) == 2 * 8 + 8 * 3  # every weight of 2 → 8 → 3
    drawn = [(weights[f"W{layer + 1}"][i][j], kind, width, stroke) for layer, i, j, kind, width, stroke in edges]
    assert all(kind == ("neuron-edge pos" if w >= 0 else "neuron-edge neg") for w, kind, _, _ in drawn)
    blue, orange = {s for w, _, _, s in drawn if w >= 0}, {s for w, _, _, s in drawn if w < 0}
    assert blue == {"rgb(31, 119, 180)"} and orange == {"rgb(224, 103, 11)"}  # the theme's --pos and --neg
    drawn = [(w, kind, width) for w, kind, width, _ in drawn]
    by_size = sorted(drawn, key=lambda d: abs(d[0]))
    assert [width for _, _, width in by_size] == sorted(width for _, _, width in by_size)
    assert by_size[0][2] < by_size[-1][2]
    show(page, "gradcheck-button").click()
    page.wait_for_function("() => document.querySelector('[data-testid=gradcheck-table] tbody th')?.textContent === 'current network'")
    assert page.locator(f'{tid("gradcheck-table")} tbody th').count() == 1
    nodes = page.locator(f'{tid("gradcheck-row")} td:nth-child(1)').all_text_contents()
    assert "W1WeightNode" in nodes and "softmax_cross_entropySoftmaxCrossEntropyNode" in nodes
    errors = [float(r) for r in page.locator(f'{tid("gradcheck-row")} td:nth-child(2)').all_text_contents()]
    assert errors and max(errors) < 1e-4


def test_model_download_load_and_identical_predictions(shared_page, app_server, tmp_path):
    page = shared_page
    app_open(page, app_server)
    assert load_file(page, write_csv(tmp_path / "houses.csv", n=60), target="price") == ""
    train_to_done(page, epochs=30)
    model_text = download(page, "download-model")
    assert json.loads(model_text)["target"] == "price"
    csv_text = download(page, "download-predictions")
    assert csv_text.splitlines()[0] == "row,actual price,predicted price" and len(csv_text.splitlines()) == 19

    new_rows = tmp_path / "new.csv"
    new_rows.write_text("size,age,noise,extra\n1,2,3,x\n4,5,6,y\n")
    page.set_input_files(tid("predict-file-input"), str(new_rows))
    note = wait_text(page, "predict-note", "new.csv")
    assert "extra" in note and "left out" in note
    before = json.loads(page.get_attribute(tid("new-predictions-table"), "data-predictions"))

    missing = tmp_path / "missing.csv"
    missing.write_text("size,noise\n1,2\n")
    page.set_input_files(tid("predict-file-input"), str(missing))
    page.wait_for_selector(f'{tid("error-message")}:visible')
    assert "'age'" in page.text_content(tid("error-message"))

    # a bad model file: a clear message, the current model kept
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    page.set_input_files(tid("model-file-input"), str(bad))
    assert "not a usable fcnn model file" in wait_text(page, "error-message", "bad.json")
    assert download(page, "download-model") == model_text

    # a fresh page, no training: load the model and predict the same rows
    open_app(page, app_server)
    saved = tmp_path / "model.json"
    saved.write_text(model_text)
    page.set_input_files(tid("model-file-input"), str(saved))
    wait_text(page, "model-info", "price")
    page.set_input_files(tid("predict-file-input"), str(new_rows))
    wait_text(page, "predict-note", "new.csv")
    after = json.loads(page.get_attribute(tid("new-predictions-table"), "data-predictions"))
    assert after == before
    # what if: one field per feature, one row predicted
    assert page.locator(tid("what-if-field")).count() == 3
    show(page, "what-if-button")  # the Predict sheet
    for field, value in zip(page.locator(tid("what-if-field")).all(), ("1", "2", "3")):
        field.fill(value)
    page.click(tid("what-if-button"))
    wait_text(page, "what-if-result", "price")
    assert float(page.text_content(tid("what-if-result")).split(":")[1]) == pytest.approx(before[0], abs=1e-9)


def first_epoch_loss(page):
    model = json.loads(download(page, "download-model"))
    return model["history"][0]["train_loss"]


def test_shared_link_reproduces_the_run(shared_page, app_server):
    page = shared_page
    app_open(page, app_server)
    choose_sample(page, "spirals")
    page.fill(tid("seed"), "7")
    page.click(tid("add-layer"))
    page.fill(tid("hidden-units-2"), "5")
    page.select_option(tid("activation-select"), "tanh")
    train_to_done(page, epochs=3)
    loss = first_epoch_loss(page)
    link = page.get_attribute(tid("share-link"), "href")
    assert "sample=spirals" in link and "seed=7" in link

    page.goto("about:blank")
    page.goto(app_server + "/" + link)
    wait_text(page, "task-detected", "label")
    assert page.input_value(tid("seed")) == "7" and page.input_value(tid("hidden-units-2")) == "5"
    assert page.input_value(tid("activation-select")) == "tanh"
    assert train_to_done(page) == "done"
    assert first_epoch_loss(page) == loss


def test_user_file_never_goes_into_the_link(shared_page, app_server, tmp_path):
    page = shared_page
    app_open(page, app_server)
    assert load_file(page, write_csv(tmp_path / "secret.csv", n=30)) == ""
    link = page.get_attribute(tid("share-link"), "href")
    assert "price" not in link and "secret" not in link and "sample=" not in link


def test_markup_in_headers_and_cells_is_shown_as_text(shared_page, app_server, tmp_path):
    page = shared_page
    app_open(page, app_server)
    evil = tmp_path / "evil.csv"
    evil.write_text('"<img src=x onerror=alert(1)>",b,y\n"<b>bold</b>",1,2\n<i>x</i>,2,3\n' + "".join(f"a{i},{i},{i}\n" for i in range(20)))
    page.set_input_files(tid("file-input"), str(evil))
    page.wait_for_selector(f'{tid("target-select")} option[value="y"]', state="attached")
    assert page.locator("main img").count() == 0 and page.locator("main b").count() == 0
    assert "<img src=x onerror=alert(1)>" in page.text_content(tid("data-preview"))
