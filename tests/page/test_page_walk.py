"""A newcomer's walk through every panel on data made here, not one of the samples: text
columns, missing cells, a regression target and a multi-class one (issue 4, "How it will
be checked"). Each step asserts what a newcomer would look at."""

import csv
import json
import re

import pytest

from made_up_data import write_apartments, write_fruit
from page_support import show, download, drawn_share, load_file, open_app, tid, train_to_done, wait_text

pytestmark = pytest.mark.browser

MISSING = ("", "NA", "?")


def read_table(path):
    header, *rows = list(csv.reader(path.open(encoding="utf-8")))
    missing = {name: sum(1 for r in rows if r[i] in MISSING) for i, name in enumerate(header)}
    return header, rows, missing


def split_sizes(page):
    info = page.text_content(tid("task-info"))
    n_train, n_test = map(int, re.search(r"(\d+) training rows, (\d+) test rows", info).groups())
    return info, n_train, n_test


def column_summary(page):
    rows = page.locator(f'{tid("column-summary")} tbody tr')
    return {cells[0]: cells[1:] for cells in (rows.nth(i).locator("td").all_text_contents() for i in range(rows.count()))}


def what_if(page, values):
    show(page, "what-if-button")  # the Predict sheet
    for name, value in values.items():
        field = page.locator(f'{tid("what-if-field")}[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.evaluate("() => { document.querySelector('[data-testid=what-if-result]').textContent = ''; }")
    page.click(tid("what-if-button"))
    page.wait_for_function("() => document.querySelector('[data-testid=what-if-result]').textContent !== ''")
    return page.text_content(tid("what-if-result"))


def test_a_newcomer_predicts_apartment_prices_from_text_columns_with_gaps(guarded_page, app_server, tmp_path):
    page = guarded_page
    path = write_apartments(tmp_path / "apartments.csv")
    header, rows, missing = read_table(path)
    open_app(page, app_server)
    assert load_file(page, path) == ""

    # the data panel: preview, column summary, the target and its task before any training
    assert page.text_content(tid("dataset-info")).startswith(f"apartments.csv: {len(rows)} rows, 5 columns")
    assert page.locator(f'{tid("data-preview")} tbody tr').count() == 20
    summary = column_summary(page)
    assert summary["city"] == ["categorical", str(missing["city"]), "4"]
    assert summary["type"] == ["categorical", "0", "3"]
    assert summary["area"][:2] == ["numeric", str(missing["area"])]
    assert page.input_value(tid("target-select")) == "price"
    note = page.text_content(tid("task-detected"))
    assert "Detected for price: regression" in note
    assert f"{missing['price']} rows have no price and will be left out" in note

    # the network panel: two hidden layers
    page.fill(tid("hidden-units"), "16")
    page.click(tid("add-layer"))
    train_to_done(page, epochs=400, timeout=120_000)
    info, n_train, n_test = split_sizes(page)
    assert info.startswith("Training: regression;") and n_train + n_test == len(rows) - missing["price"]
    run_notes = " ".join(page.locator(f'{tid("run-notes")} li').all_text_contents())
    assert "Missing values were filled in" in run_notes and "no value in the target 'price'" in run_notes

    # results: the scores, the scatter and residuals, the paged table and its download
    assert float(page.text_content(tid("metric-r2"))) > 0.8
    assert float(page.text_content(tid("metric-rmse"))) > 0 and float(page.text_content(tid("metric-mae"))) > 0
    assert drawn_share(page, tid("results-plot")) > 0.001 and drawn_share(page, tid("residuals-plot")) > 0.001
    assert page.locator(f'{tid("predictions-table")} tbody tr').count() == min(50, n_test)
    assert f"({n_test} rows)" in page.text_content(tid("page-info"))
    lines = download(page, "download-predictions").splitlines()
    assert lines[0] == "row,actual price,predicted price" and len(lines) == n_test + 1
    first = page.locator(f'{tid("predictions-table")} tbody tr').first.locator("td").all_text_contents()
    row, actual, predicted = lines[1].split(",")
    assert row == first[0] and float(actual) == pytest.approx(float(first[1]), rel=1e-4)

    # predict a new file: an extra column left out, an unseen city and a blank area said so
    new = tmp_path / "new-apartments.csv"
    new.write_text("city,type,rooms,area,remarks\nLyon,house,4,90,big garden\nParis,flat,2,45,\nNantes,studio,1,,ground floor\n")
    page.set_input_files(tid("predict-file-input"), str(new))
    note = wait_text(page, "predict-note", "new-apartments.csv")
    assert "3 rows predicted" in note and "remarks" in note and "left out" in note
    assert "'Paris' (1 row)" in note
    assert page.locator(f'{tid("new-predictions-table")} tbody tr').count() == 3
    predictions = json.loads(page.get_attribute(tid("new-predictions-table"), "data-predictions"))
    assert len(predictions) == 3 and all(isinstance(p, float) for p in predictions)

    # what if: text features are lists of the known values; a bigger flat in Lyon costs more
    labels = page.locator("#what-if-fields label").all_text_contents()
    assert labels == ["city", "type", "rooms", "area"]
    cities = page.locator(f'{tid("what-if-field")}[name="city"] option').all_text_contents()
    assert cities[1:] == ["Bordeaux", "Lille", "Lyon", "Nantes"] and "missing" in cities[0]
    assert page.get_attribute(f'{tid("what-if-field")}[name="area"]', "placeholder").startswith("blank: ")
    small = what_if(page, {"city": "Lyon", "type": "flat", "rooms": "3", "area": "60"})
    large = what_if(page, {"area": "120"})
    assert small.startswith("Predicted price: ") and large.startswith("Predicted price: ")
    assert float(large.split(": ")[1]) > float(small.split(": ")[1])
    assert page.is_hidden(tid("error-message"))


def test_a_newcomer_tells_fruit_apart_from_text_columns_with_gaps(guarded_page, app_server, tmp_path):
    page = guarded_page
    path = write_fruit(tmp_path / "fruit.csv")
    header, rows, missing = read_table(path)
    open_app(page, app_server)
    assert load_file(page, path) == ""

    summary = column_summary(page)
    assert summary["shape"] == ["categorical", str(missing["shape"]), "3"]
    assert summary["weight"][:2] == ["numeric", str(missing["weight"])]
    note = page.text_content(tid("task-detected"))
    assert "Detected for kind: multi-class classification (4 classes: apple, banana, orange, plum)" in note
    assert page.text_content(f'{tid("task-select")} option[value="auto"]') == "automatic (multi-class classification)"

    train_to_done(page, epochs=300, timeout=120_000)
    info, n_train, n_test = split_sizes(page)
    assert info.startswith("Training: multi-class classification (4 classes: apple, banana, orange, plum);")

    # results: accuracy, the confusion matrix drawn and as numbers, precision and recall per class
    accuracy = float(page.text_content(tid("metric-accuracy")))
    assert accuracy > 0.7
    assert drawn_share(page, tid("results-plot")) > 0.05
    assert page.is_hidden(tid("residuals-plot"))
    per_class = page.locator(f'{tid("per-class-table")} tbody tr td:first-child').all_text_contents()
    assert per_class == ["apple", "banana", "orange", "plum"]
    show(page, "confusion-table")  # the Results sheet
    page.click("#confusion-details summary")
    assert page.locator(f'{tid("confusion-table")} thead th').all_text_contents()[1:] == per_class
    matrix = [
        [int(v) for v in page.locator(f'{tid("confusion-table")} tbody tr').nth(i).locator("td").all_text_contents()]
        for i in range(4)
    ]
    assert sum(map(sum, matrix)) == n_test
    assert sum(matrix[i][i] for i in range(4)) / n_test == pytest.approx(accuracy, abs=1e-4)

    # the predictions table names the classes and marks each right or wrong
    for cells in (r.locator("td").all_text_contents() for r in page.locator(f'{tid("predictions-table")} tbody tr').all()):
        assert cells[1] in per_class and cells[2] in per_class
        assert cells[3] == ("✓" if cells[1] == cells[2] else "✗")
    lines = download(page, "download-predictions").splitlines()
    assert lines[0] == "row,actual kind,predicted kind" and len(lines) == n_test + 1

    # new fruit, with an unknown weight and a blank shape
    new = tmp_path / "new-fruit.csv"
    new.write_text("colour,shape,weight\nyellow,long,118\npurple,oval,?\norange,,210\n")
    page.set_input_files(tid("predict-file-input"), str(new))
    wait_text(page, "predict-note", "new-fruit.csv: 3 rows predicted")
    predicted = json.loads(page.get_attribute(tid("new-predictions-table"), "data-predictions"))
    assert set(predicted) <= set(per_class)

    # what if: a long yellow fruit of 120 g
    result = what_if(page, {"colour": "yellow", "shape": "long", "weight": "120"})
    assert re.fullmatch(r"Predicted kind: banana \(probability (0\.\d\d|1\.00)\)", result), result

    # save the model, load it back, and it predicts the new file the same
    model = tmp_path / "fruit-model.json"
    model.write_text(download(page, "download-model"))
    page.set_input_files(tid("model-file-input"), str(model))
    assert "predicts kind (multi-class classification)" in wait_text(page, "model-info", "fruit-model.json")
    page.evaluate("() => { document.querySelector('[data-testid=predict-note]').textContent = ''; }")
    page.set_input_files(tid("predict-file-input"), str(new))
    wait_text(page, "predict-note", "new-fruit.csv")
    assert json.loads(page.get_attribute(tid("new-predictions-table"), "data-predictions")) == predicted
    assert page.locator(tid("neuron-edge")).count() > 0
    assert page.is_hidden(tid("error-message"))
