"""The page and CPython agree: the same table and settings give the same run, and a
downloaded model predicts in CPython exactly what the page predicted."""

import json

import numpy as np
import pytest

from fcnn import load_model
from fcnn.tables import read_csv_text
from fcnn import Experiment, TrainingConfig
from made_up_data import write_csv
from page_support import show, load_file, open_app, tid, train_to_done, wait_text

pytestmark = pytest.mark.browser


def test_fifty_epochs_in_the_page_match_cpython(guarded_page, app_server, tmp_path):
    page = guarded_page
    open_app(page, app_server)
    data = write_csv(tmp_path / "houses.csv", n=120)
    assert load_file(page, data, target="price") == ""
    page.fill(tid("epochs"), "50")
    page.fill(tid("early-stopping"), "0")
    page.fill(tid("seed"), "11")
    page.fill(tid("batch-size"), "8")
    assert train_to_done(page, timeout=120_000) == "done"
    with page.expect_download() as info:
        show(page, "download-model").click()
    text = open(info.value.path(), encoding="utf-8").read()
    page.set_input_files(tid("predict-file-input"), str(data))
    wait_text(page, "predict-note", "houses.csv")
    page_predictions = np.array(json.loads(page.get_attribute(tid("new-predictions-table"), "data-predictions")))

    doc = json.loads(text)
    page_losses = np.array([h["train_loss"] for h in doc["history"]])
    assert len(page_losses) == 50
    table = read_csv_text(data.read_text())
    experiment = Experiment(table, TrainingConfig.from_dict(doc["config"]))
    experiment.train_for()
    cpython_losses = np.array([r.train_loss for r in experiment.trainer.history])
    np.testing.assert_allclose(page_losses, cpython_losses, rtol=1e-6)

    rows = [row[:3] for row in table.rows]
    np.testing.assert_allclose(load_model(text).predict(rows), page_predictions, rtol=0, atol=1e-9)
