"""The bad-input matrix in the real page (issue 5, outcomes 1 and 2).

One page serves every case (see shared_lab.py): it loads the Boston
sample and trains a small model once, and each test starts from that
baseline. Each case checks that the page answers with a clear message in
`error-message` (what is wrong, what to do) or, for a file it can repair, a
note on the page; that the page is still usable (a what-if prediction still
answers, and training works again); and that a refused input leaves the data
and the model that were loaded before exactly as they were.

The page's guard (outside requests, page errors, Python tracebacks, CSP
violations) is checked after every test.
"""

from __future__ import annotations

import json
import math
import re
import time

import numpy as np
import pytest

from page_support import (
    READY, ROOT, PageGuard, act_and_wait, close_sheet, download, choose_sample, click_marked, error_text, install_event_recorder, load_file,
    press_train, show, tid, wait_for_epoch, wait_for_run_state, what_if,
)
from shared_lab import (
    BASELINE_EPOCHS, Lab, data_state, ensure_baseline, model_state, read_settings, snapshot, train_baseline,
)

pytestmark = pytest.mark.browser

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00" + bytes(range(256)) * 4
ZIP_BYTES = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4
BOSTON_COLUMNS = "CRIM,ZN,INDUS,CHAS,NOX,RM,AGE,DIS,RAD,TAX,PTRATIO,B,LSTAT".split(",")


@pytest.fixture(scope="module")
def lab(browser, app_server):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    guard = PageGuard(page, app_server)
    install_event_recorder(page)
    page.goto(app_server + "/")
    page.wait_for_selector(READY, timeout=90_000)
    choose_sample(page, "boston")
    page.fill(tid("epochs"), BASELINE_EPOCHS)
    page.fill(tid("hidden-units"), "8")  # one layer of 8 (the sample opens with two): a small baseline
    lab = Lab(page, guard, settings=read_settings(page))
    train_baseline(page, lab.settings)
    lab.baseline = snapshot(page)
    assert lab.baseline["model"]["what_if"].startswith("Predicted MEDV: ")
    with page.expect_download() as download:
        show(page, "download-model").click()
    lab.model_json = open(download.value.path(), encoding="utf-8").read()
    assert not guard.problems(), guard.problems()
    yield lab
    context.close()


@pytest.fixture
def page(lab):
    """The shared page, at the baseline; the guard's findings (restoring the baseline included) fail the test."""
    lab.guard.reset()
    ensure_baseline(lab)
    yield lab.page
    problems = lab.guard.problems()
    assert not problems, "\n".join(problems)


def assert_says(message, *words):
    """The message names the problem and what to do: every word, case-insensitive, and a sentence long."""
    assert message, "no message was shown"
    for word in words:
        assert word.lower() in message.lower(), f"{word!r} not in the message: {message!r}"
    assert len(message) > 40, f"too short to say what to do: {message!r}"


def assert_notes(notes, *words):
    """The notes on the page say what was repaired or guessed: every word, case-insensitive."""
    text = " ".join(notes)
    assert text, "no note was shown"
    for word in words:
        assert word.lower() in text.lower(), f"{word!r} not in the notes: {notes!r}"


def assert_data_and_model_kept(lab):
    now = snapshot(lab.page)
    assert now["data"] == lab.baseline["data"], "the data loaded before changed"
    assert now["model"] == lab.baseline["model"], "the model trained before changed"


def assert_model_kept(lab):
    assert model_state(lab.page) == lab.baseline["model"], "the model trained before changed"


def assert_model_kept_for_other_data(lab):
    """Other data loaded: the run trained before no longer shows its results (they belong to
    its own data), but its model stays the one that predicts, exactly as before, and says whose it is."""
    page, before = lab.page, lab.baseline["model"]
    now = model_state(page)
    assert (now["what_if_fields"], now["what_if"]) == (before["what_if_fields"], before["what_if"])
    assert now["metrics"] == ["–"] * 4 and now["predictions"] == [] and now["page_info"] == ""
    assert now["task"] == "" and now["run_notes"] == []
    assert "boston.csv" in page.text_content(tid("model-source"))
    assert download(page, "download-model") == lab.model_json


def csv_bytes(lines, encoding="utf-8"):
    return ("\n".join(lines) + "\n").encode(encoding)


def numbers_in(text):
    return [float(t) for t in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", text)]


# ---------------------------------------------------------------------------------------------
# files the page refuses: a clear message, and the data and the model stay


REFUSED_FILES = [
    ("empty", b"", ["empty", "header row"]),
    ("blank-lines", b"\n \n\n", ["empty"]),
    ("header-only", b"size,rooms,price\n", ["no data rows", "add rows"]),
    ("ragged", b"a,b,c\n1,2,3\n4,5\n6,7,8\n", ["line 3", "2 fields", "3 columns", "one value per column"]),
    ("unclosed-quote", b'a,b\n1,"2\n3,4\n', ["quote", "line"]),
    ("png-named-csv", PNG_BYTES, ["binary", "choose a CSV"]),
    ("zip-named-csv", ZIP_BYTES, ["binary", "zip", "Save As"]),
    ("every-column-empty", b"a,b\n,\nNA,?\n", ["empty", "values"]),
]


@pytest.mark.parametrize("label, data, words", REFUSED_FILES, ids=[case[0] for case in REFUSED_FILES])
def test_a_file_that_cannot_be_used_is_refused_and_nothing_is_lost(lab, page, label, data, words):
    name = f"{label}.csv"
    message = load_file(page, data, name=name)
    assert_says(message, name, *words)
    assert_data_and_model_kept(lab)  # the what-if form still predicts, the same number
    assert page.is_enabled(tid("train-button"))
    assert page.get_attribute(tid("status"), "data-state") == "done"


# ---------------------------------------------------------------------------------------------
# files the page can read: they load, with a note where something was repaired or guessed

READABLE_FILES = [
    # label, bytes, expected header, a preview cell (row, column, text), words of a note (or None)
    ("utf8-bom", b"\xef\xbb\xbf" + csv_bytes(["size,price", "1,2", "3,4"]), ["size", "price"], (0, 0, "1"), None),
    ("utf16-excel-unicode-text", "size\tcity\n1\tZürich\n2\tMontréal\n".encode("utf-16"), ["size", "city"],
     (0, 1, "Zürich"), ["tabs"]),
    ("latin1", csv_bytes(["ville,città,prix", "Montréal,Genève,3", "Zürich,Köln,4", "São Paulo,Málaga,5"], "latin-1"),
     ["ville", "città", "prix"], (0, 0, "Montréal"), ["Latin-1", "UTF-8"]),
    ("semicolons", csv_bytes(["a;b;c", "1,5;2;x", "2,25;3;y"]), ["a", "b", "c"], (0, 0, "1.5"),
     ["semicolons", "decimal comma"]),
    ("tabs", csv_bytes(["a\tb\tc", "1\t2\tx", "3\t4\ty"]), ["a", "b", "c"], (1, 2, "y"), ["tabs"]),
    ("quoted-commas-newlines", csv_bytes(['name,comment,value', '"Smith, J","line one', 'line two",3', 'Lee,plain,4']),
     ["name", "comment", "value"], (0, 1, "line one\nline two"), None),
    ("duplicate-headers", csv_bytes(["a,a,b", "1,2,3", "4,5,6"]), ["a", "a_2", "b"], (1, 1, "5"),
     ["more than once", "a_2"]),
    ("empty-header-names", csv_bytes(["a,,b,", "1,2,3,4", "5,6,7,8"]), ["a", "column_2", "b", "column_4"], (0, 1, "2"),
     ["no name", "column_2"]),
    ("text-in-a-number-column", csv_bytes(["x,y"] + [f"{i},{2 * i}" for i in range(20)] + ["seven,3"]), ["x", "y"],
     (0, 0, "0"), ["'x'", "also text", "'seven'", "line 22", "categories", "fix"]),
    ("no-header-row", csv_bytes(["1,2,3", "4,5,6", "7,8,9"]), ["column_1", "column_2", "column_3"], (0, 0, "1"),
     ["first row holds data"]),
]


@pytest.mark.parametrize("label, data, header, cell, note", READABLE_FILES, ids=[case[0] for case in READABLE_FILES])
def test_a_readable_file_loads_with_a_note_and_the_model_stays(lab, page, label, data, header, cell, note):
    name = f"{label}.csv"
    assert load_file(page, data, name=name) == ""
    shown = data_state(page)
    assert shown["info"].startswith(f"{name}: ")
    assert shown["header"] == header  # no byte-order mark, no replacement characters
    assert shown["targets"] == header and [f for f, _ in shown["features"]] == header[:-1]
    row, column, text = cell
    assert shown["rows"][row][column] == text
    assert "\ufffd" not in json.dumps(shown, ensure_ascii=False)
    if note:
        assert_notes(shown["notes"], *note)
    else:
        assert shown["notes"] == []
    assert error_text(page) == ""
    assert_model_kept_for_other_data(lab)  # the model trained before still predicts the same


def test_latin1_text_reads_as_written_in_the_preview_and_summary(lab, page):
    text = "name,città,score\n" + "\n".join(f"{w},{c},{i}" for i, (w, c) in enumerate(
        [("José", "Genève"), ("Zoë", "Málaga"), ("Ångström", "Köln"), ("Renée", "Genève")]))
    assert load_file(page, text.encode("cp1252"), name="accents.csv") == ""
    shown = data_state(page)
    assert [r[0] for r in shown["rows"]] == ["José", "Zoë", "Ångström", "Renée"]
    assert shown["summary"][1][:2] == ["città", "categorical"]
    assert any("Latin-1" in n for n in shown["notes"])


# ---------------------------------------------------------------------------------------------
# values: the file loads; training answers with a note, or refuses clearly and keeps the model


def test_one_data_row_loads_but_training_needs_two(lab, page):
    assert load_file(page, csv_bytes(["a,b", "1,2"]), name="one-row.csv") == ""
    assert data_state(page)["info"] == "one-row.csv: 1 row, 2 columns"
    message = press_train(page)
    assert_says(message, "1 row", "at least 2")
    assert_model_kept_for_other_data(lab)
    assert page.is_enabled(tid("train-button"))


def test_a_target_with_one_class_is_refused_and_the_model_stays(lab, page):
    lines = ["size,label"] + [f"{i},yes" for i in range(30)]
    assert load_file(page, csv_bytes(lines), name="one-class.csv") == ""
    page.select_option(tid("target-select"), "label")
    message = press_train(page)
    assert_says(message, "'label'", "only one class", "'yes'", "choose another column")
    assert_model_kept_for_other_data(lab)


def test_a_constant_number_target_is_refused_and_the_model_stays(lab, page):
    assert load_file(page, csv_bytes(["size,price"] + [f"{i},7" for i in range(30)]), name="flat.csv") == ""
    message = press_train(page)
    assert_says(message, "'price'", "same number", "nothing to learn")
    assert_model_kept_for_other_data(lab)


def train_loaded_file(page, name, lines, target, epochs="2"):
    assert load_file(page, csv_bytes(lines), name=name) == ""
    page.select_option(tid("target-select"), target)
    page.fill(tid("epochs"), epochs)
    assert press_train(page) == ""
    assert "Trained" in page.text_content(tid("status"))
    return page.locator(f'{tid("run-notes")} li').all_text_contents()


def finite_results(page):
    values = [page.text_content(tid(name)) for name in ("metric-rmse", "metric-mae")]
    assert all(math.isfinite(float(v)) for v in values), values
    rows = page.locator(f'{tid("predictions-table")} tbody tr')
    assert rows.count() > 0
    predicted = [float(v) for v in page.locator(f'{tid("predictions-table")} tbody td:nth-child(3)').all_text_contents()]
    assert all(math.isfinite(v) for v in predicted)


def test_an_all_missing_column_is_left_out_with_a_note(lab, page):
    # size shuffled: a column counting 0, 1, 2… in file order is a row number, not ticked as a feature
    lines = ["size,empty,price"] + [f"{i * 7 % 40},{'NA' if i % 2 else ''},{3 * i + 1}" for i in range(40)]
    notes = train_loaded_file(page, "all-missing.csv", lines, "price")
    assert_notes(notes, "'empty'", "no values", "left out")
    assert page.locator(tid("what-if-field")).evaluate_all("els => els.map(e => e.name)") == ["size"]
    finite_results(page)


def test_a_constant_column_trains_without_dividing_by_zero(lab, page):
    lines = ["size,k,price"] + [f"{i * 7 % 40},5,{3 * i + 1}" for i in range(40)]  # size shuffled: not a row number
    notes = train_loaded_file(page, "constant.csv", lines, "price")
    assert_notes(notes, "'k'", "one value", "tells the network nothing")
    finite_results(page)
    assert what_if(page).startswith("Predicted price: ")
    assert math.isfinite(float(what_if(page).split(": ")[1]))


def test_missing_target_values_leave_their_rows_out_with_a_note(lab, page):
    lines = ["size,price"] + [f"{i * 7 % 50},{'' if i % 5 == 0 else 3 * i}" for i in range(50)]  # size: not a row number
    notes = train_loaded_file(page, "missing-target.csv", lines, "price")
    assert_notes(notes, "10 rows", "no value in the target", "'price'", "left out")
    assert "28 training rows, 12 test rows" in page.text_content(tid("task-info"))
    finite_results(page)


def test_a_number_too_large_to_compute_with_is_refused_at_train_naming_its_line(lab, page):
    # 1e308 is a finite float, but its square is not: the scaling and the loss would be NaN
    lines = ["size,rooms,price"] + [f"{i},{i % 4},{3 * i + 1}" for i in range(30)] + ["1e308,2,50"]
    assert load_file(page, csv_bytes(lines), name="huge.csv") == ""
    message = press_train(page)
    assert_says(message, "'size'", "1e+308", "line 32", "power of ten")
    assert_model_kept_for_other_data(lab)
    assert page.is_enabled(tid("train-button"))


def test_a_huge_value_typed_in_the_what_if_form_is_refused_and_the_model_stays(lab, page):
    show(page, "what-if-button")  # the Predict sheet
    field = page.locator(tid("what-if-field")).first
    typed = field.input_value()
    field.fill("-1e300")
    said = what_if(page)
    assert said.startswith("error: "), said
    assert_says(said, f"'{BOSTON_COLUMNS[0]}'", "-1e+300", "too large")
    field.fill(typed)
    assert_model_kept(lab)


def test_an_id_column_is_not_ticked_as_a_feature_and_training_says_why_if_it_is(lab, page):
    lines = ["id,size,colour,price"] + [f"row-{i:04d},{i % 9},{'red' if i % 3 else 'blue'},{2 * (i % 9) + 1}" for i in range(150)]
    assert load_file(page, csv_bytes(lines), name="with-ids.csv") == ""
    shown = data_state(page)
    assert shown["features"] == [["id", False], ["size", True], ["colour", True]]
    assert_notes(shown["notes"], "'id'", "150 different text values", "id or free text", "not ticked")
    assert "id or free text" in page.text_content(f'{tid("feature-list")} label[for=feature-0]')
    page.fill(tid("epochs"), "2")
    assert press_train(page) == ""
    assert page.locator(tid("what-if-field")).evaluate_all("els => els.map(e => e.name)") == ["size", "colour"]
    # ticked by the user, it is used if it can be: here it cannot, and Train says what to do
    page.check(f'{tid("feature-list")} #feature-0')
    message = press_train(page)
    assert_says(message, "'id'", "too many", "leave it out of the features")


def test_excel_sep_line_names_the_separator(lab, page):
    assert load_file(page, csv_bytes(["sep=;", "size;price", "1,5;2", "2,5;4", "3,5;5"]), name="excel.csv") == ""
    shown = data_state(page)
    assert shown["header"] == ["size", "price"] and shown["rows"][0] == ["1.5", "2"]
    assert_notes(shown["notes"], "'sep=;'", "separator")


# ---------------------------------------------------------------------------------------------
# shape: 10,000 columns, and a 50 MB file


def test_ten_thousand_columns_load_and_the_page_stays_usable(lab, page):
    rng = np.random.default_rng(1)
    header = ",".join(f"c{i}" for i in range(10_000))
    body = "\n".join(",".join(f"{v:.2f}" for v in rng.normal(size=10_000)) for _ in range(12))
    started = time.perf_counter()
    assert load_file(page, (header + "\n" + body + "\n").encode(), name="wide.csv") == ""
    print(f"\n10,000 columns × 12 rows: loaded in the page in {time.perf_counter() - started:.1f} s")
    shown = data_state(page)
    assert shown["info"] == "wide.csv: 12 rows, 10000 columns (the preview shows the first 100)"
    assert len(shown["header"]) == 100 and all(len(r) == 100 for r in shown["rows"]) and len(shown["summary"]) == 100
    assert len(shown["targets"]) == 10_000 and shown["target"] == "c9999"
    assert len(shown["features"]) == 200
    assert page.text_content(tid("unlisted-features")) == "and 9799 more columns, all used"
    assert_model_kept_for_other_data(lab)


def write_big_csv(path, megabytes=50):
    """About `megabytes` of numbers, 20 columns; a block of rows repeated (the size is what matters)."""
    rng = np.random.default_rng(2)
    block = "\n".join(",".join(f"{v:.6f}" for v in row) for row in rng.normal(size=(10_000, 20))) + "\n"
    header = ",".join(f"f{i}" for i in range(20)) + "\n"
    copies = math.ceil(megabytes * 2**20 / len(block))
    path.write_text(header + block * copies)
    return 10_000 * copies


def test_a_50_mb_file_loads_and_the_page_answers_meanwhile(lab, page, tmp_path):
    path = tmp_path / "big.csv"
    n_rows = write_big_csv(path)
    size_mb = path.stat().st_size / 2**20
    assert size_mb >= 50
    # what the page showed the moment it started working, however soon it finished
    page.evaluate(
        """() => { window.__longest = 0;
            new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration); })
                .observe({ type: 'longtask' });
            const status = document.querySelector('[data-testid=status]');
            const disabled = (id) => document.querySelector(`[data-testid=${id}]`).disabled;
            window.__working = [];
            new MutationObserver(() => status.dataset.state === 'working' && window.__working.push(
                {text: status.textContent, train: disabled('train-button'), file: disabled('file-input')}))
                .observe(status, { childList: true, characterData: true, subtree: true, attributes: true }); }"""
    )
    started = time.perf_counter()
    page.set_input_files(tid("file-input"), str(path))
    page.wait_for_function("() => window.__working.length > 0")
    # while the worker parses, the page answers and says what it is doing; nothing else can start
    working = page.evaluate("window.__working[0]")
    assert "big.csv" in working["text"] and "MB" in working["text"]
    assert working["train"] and working["file"]
    page.fill(tid("seed"), "21")
    assert page.input_value(tid("seed")) == "21"
    page.wait_for_function("() => document.querySelector('[data-testid=dataset-info]').textContent.startsWith('big.csv')",
                           timeout=300_000)
    seconds = time.perf_counter() - started
    longest = page.evaluate("window.__longest")
    print(f"\n{size_mb:.1f} MB ({n_rows} rows × 20 columns): loaded in the page in {seconds:.1f} s; "
          f"longest main-thread task {longest:.0f} ms")
    assert error_text(page) == ""
    assert data_state(page)["info"] == f"big.csv: {n_rows} rows, 20 columns"
    assert page.get_attribute(tid("status"), "data-state") == "ready"
    assert page.is_enabled(tid("train-button"))
    assert_model_kept_for_other_data(lab)


# ---------------------------------------------------------------------------------------------
# hostile text: shown as text, never run

IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=2</script>"
CLASS_IMG = "<img src=y onerror=window.__pwned=3>"


def quoted(cell):
    return '"' + cell.replace('"', '""') + '"'


def test_html_and_script_in_headers_and_cells_are_shown_as_text(lab, page):
    page.evaluate(
        """() => { window.__added = [];
            new MutationObserver((records) => { for (const r of records) for (const n of r.addedNodes) {
                if (n.nodeType !== 1) continue;
                if (['IMG', 'SCRIPT', 'IFRAME', 'OBJECT'].includes(n.tagName) || n.querySelector('img,script,iframe,object,[onerror]'))
                    window.__added.push(n.outerHTML.slice(0, 200));
            } }).observe(document.documentElement, { childList: true, subtree: true }); }"""
    )
    lines = [f"size,{quoted(SCRIPT)},{quoted(IMG)}"]
    for i in range(60):
        lines.append(f"{(i * 7) % 60},{(i * 7) % 11},{quoted(CLASS_IMG if i < 30 else SCRIPT)}")  # size: not a row number
    assert load_file(page, csv_bytes(lines), name=f"{IMG}.csv") == ""
    shown = data_state(page)
    assert shown["info"].startswith(f"{IMG}.csv: 60 rows")
    assert shown["header"] == ["size", SCRIPT, IMG] and shown["targets"] == ["size", SCRIPT, IMG]
    assert shown["target"] == IMG and [f for f, _ in shown["features"]] == ["size", SCRIPT]
    assert {r[2] for r in shown["rows"]} == {CLASS_IMG}
    assert page.locator(f'{tid("feature-list")} label').all_text_contents() == ["size", SCRIPT]
    page.fill(tid("epochs"), "2")
    close_sheet(page)  # the Output column on screen: its map's note names the columns
    assert press_train(page) == ""
    # the results: the class labels in the predictions and per-class tables, the target in headings
    assert page.text_content("#actual-heading") == f"actual {IMG}"
    actual = set(page.locator(f'{tid("predictions-table")} tbody td:nth-child(2)').all_text_contents())
    assert actual == {CLASS_IMG, SCRIPT}
    assert set(page.locator(f'{tid("per-class-table")} tbody td:nth-child(1)').all_text_contents()) == {CLASS_IMG, SCRIPT}
    assert page.locator("#what-if-fields label").all_text_contents() == ["size", SCRIPT]
    # the predicted class, as text (a classifier's answer also names its probability)
    assert what_if(page).split(" (probability")[0] in (f"Predicted {IMG}: {CLASS_IMG}", f"Predicted {IMG}: {SCRIPT}")
    assert SCRIPT in page.text_content("#boundary-note")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("window.__added") == []
    assert page.evaluate("document.querySelectorAll('img, [onerror]').length") == 0
    assert IMG not in page.evaluate("location.href")  # the link never holds a user's file's names


# ---------------------------------------------------------------------------------------------
# settings out of range

SETTINGS_REFUSED = [
    ("learning-rate", "0", ["learning rate", "above 0", "at most 10"]),
    ("learning-rate", "-1", ["learning rate", "out of range", "such as 0.003"]),
    ("learning-rate", "1e6", ["learning rate", "out of range", "at most 10"]),
    # a number field cannot hold 1e999 (nor NaN): the browser empties it, and the engine says so
    ("learning-rate", "1e999", ["learning rate", "empty", "enter a number such as"]),
    ("hidden-units", "0", ["hidden layer 1 units", "from 1 to 512"]),
    ("hidden-units", "1000000000", ["hidden layer 1 units", "from 1 to 512"]),
    ("epochs", "0", ["epochs 0", "from 1 to 100000"]),
    ("epochs", "2.5", ["epochs", "whole number"]),
    ("test-fraction", "0", ["test fraction", "above 0", "0.3"]),
]


@pytest.mark.parametrize("field, value, words", SETTINGS_REFUSED, ids=[f"{f}={v}" for f, v, _ in SETTINGS_REFUSED])
def test_a_setting_out_of_range_is_refused_and_nothing_is_lost(lab, page, field, value, words):
    page.fill(tid(field), value)
    message = press_train(page)
    assert_says(message, "could not start training", *words)
    assert_data_and_model_kept(lab)
    assert page.is_enabled(tid("train-button"))


def test_a_learning_rate_of_nan_is_refused(lab, page):
    # a number field cannot hold "NaN": the browser empties it, and the page must say so
    page.evaluate("""() => { const box = document.querySelector('[data-testid=learning-rate]');
                             box.value = 'NaN'; box.dispatchEvent(new Event('input')); box.dispatchEvent(new Event('change')); }""")
    message = press_train(page)
    assert_says(message, "learning rate", "empty", "enter a number")
    assert_data_and_model_kept(lab)


def test_a_batch_larger_than_the_data_trains_on_all_rows_and_says_so(lab, page):
    page.fill(tid("batch-size"), "100000")
    assert press_train(page) == ""
    notes = page.locator(f'{tid("run-notes")} li').all_text_contents()
    assert_notes(notes, "batch size 100000", "larger than the", "rows trained on", "all of them")
    assert "Trained 3 epochs" in page.text_content(tid("status"))
    finite_results(page)
    assert data_state(page) == lab.baseline["data"]


def test_the_page_trains_again_after_refused_settings(lab, page):
    page.fill(tid("hidden-units"), "0")
    assert press_train(page)
    page.fill(tid("hidden-units"), lab.settings["hidden-units"])
    assert press_train(page) == ""
    assert snapshot(page) == lab.baseline  # the same settings and seed: the same model again


# ---------------------------------------------------------------------------------------------
# model files


def mutate(model_json, change):
    doc = json.loads(model_json)
    change(doc)
    return json.dumps(doc).encode()


def shrink_first_weights(doc):
    doc["weights"]["W1"] = doc["weights"]["W1"][:-1]


def rename_columns(doc):
    doc["feature_columns"] = [f"other_{c}" for c in doc["feature_columns"]]


MODEL_FILES = [
    # label, how to make the bytes from the baseline model's JSON, words
    ("truncated", lambda text: text[: len(text) // 2].encode(), ["not valid JSON", "saved by fcnn"]),
    ("empty", lambda text: b"", ["empty", "saved by fcnn"]),
    ("not-a-model", lambda text: b'{"hello": "world"}', ["format", "saved by fcnn"]),
    ("other-version", lambda text: mutate(text, lambda d: d.update(version=2)), ["version 2", "reads version 1", "train"]),
    ("wrong-shapes", lambda text: mutate(text, shrink_first_weights), ["W1", "shape", "(12, 8)", "(13, 8)"]),
    ("columns-differ-from-pipeline", lambda text: mutate(text, rename_columns), ["columns differ", "saved by fcnn"]),
    ("png-named-json", lambda text: PNG_BYTES, ["not UTF-8 JSON", "saved by fcnn"]),
]


def load_model_file(page, name, data):
    files = [{"name": name, "mimeType": "application/json", "buffer": data}]
    seen = act_and_wait(page, lambda: page.set_input_files(tid("model-file-input"), files=files), "error-message", "model-info")
    return seen.get("error-message", "").strip()


@pytest.mark.parametrize("label, make, words", MODEL_FILES, ids=[case[0] for case in MODEL_FILES])
def test_an_unusable_model_file_is_refused_and_the_model_stays(lab, page, label, make, words):
    name = f"{label}.json"
    message = load_model_file(page, name, make(lab.model_json))
    assert_says(message, name, "not a usable fcnn model file", *words)
    assert_data_and_model_kept(lab)


def other_columns_model():
    """A valid model file trained in CPython on columns the page's data does not have."""
    from fcnn.tables import read_csv_text
    from fcnn import Experiment, TrainingConfig

    text = "u,v,w\n" + "\n".join(f"{i % 7},{i % 5},{2 * (i % 7) - (i % 5)}" for i in range(40))
    experiment = Experiment(read_csv_text(text), TrainingConfig(target="w", hidden_layers=[4], epochs=3))
    experiment.train_for()
    return experiment.model().to_json().encode()


def test_a_model_for_other_columns_loads_with_a_note_and_predicts(lab, page):
    assert load_model_file(page, "uv-model.json", other_columns_model()) == ""
    info = page.text_content(tid("model-info"))
    assert_says(info, "uv-model.json", "predicts w", "no column u, v", "what-if form")
    fields = page.locator(tid("what-if-field"))
    assert fields.evaluate_all("els => els.map(e => [e.name, e.value])") == [["u", ""], ["v", ""]]
    show(page, "what-if-button")  # the Predict sheet
    fields.nth(0).fill("3")
    fields.nth(1).fill("1")
    assert re.fullmatch(r"Predicted w: -?\d+(\.\d+)?(e[-+]?\d+)?", what_if(page))
    assert data_state(page) == lab.baseline["data"]
    # training again replaces the loaded model with the data's, as before
    assert press_train(page) == ""
    assert snapshot(page) == lab.baseline


# ---------------------------------------------------------------------------------------------
# files to predict


def predict_file(page, name, data):
    files = [{"name": name, "mimeType": "text/csv", "buffer": data}]
    seen = act_and_wait(page, lambda: page.set_input_files(tid("predict-file-input"), files=files), "error-message", "predict-note")
    return seen.get("error-message", "").strip()


def boston_rows(n=3, drop=(), extra=None):
    lines = (ROOT / "static" / "data" / "boston.csv").read_text(encoding="utf-8").splitlines()[: n + 1]
    table = [line.split(",")[:-1] for line in lines]  # without MEDV
    keep = [i for i, name in enumerate(table[0]) if name not in drop]
    out = [[row[i] for i in keep] for row in table]
    if extra:
        out = [row + [extra if k else "note"] for k, row in enumerate(out)]
    return csv_bytes(",".join(row) for row in out)


PREDICT_REFUSED = [
    ("missing-column", lambda: boston_rows(drop=("CRIM",)), ["no column 'CRIM'", "add the missing"]),
    ("two-missing-columns", lambda: boston_rows(drop=("CRIM", "TAX")), ["no column 'CRIM'", "1 more", "add the missing"]),
    ("png-named-csv", lambda: PNG_BYTES, ["binary", "choose a CSV"]),
    ("empty", lambda: b"", ["empty"]),
    ("text-in-a-number-column", lambda: boston_rows().replace(b"\n0.00632,", b"\nlots,"), ["'CRIM'", "lots"]),
]


@pytest.mark.parametrize("label, make, words", PREDICT_REFUSED, ids=[case[0] for case in PREDICT_REFUSED])
def test_a_file_to_predict_that_does_not_fit_is_refused_and_nothing_is_lost(lab, page, label, make, words):
    table_before = page.inner_text(tid("new-predictions-table"))
    note_before = page.text_content(tid("predict-note"))
    name = f"predict-{label}.csv"
    message = predict_file(page, name, make())
    assert_says(message, f"could not predict {name}", *words)
    assert page.inner_text(tid("new-predictions-table")) == table_before
    assert page.text_content(tid("predict-note")) == note_before
    assert_data_and_model_kept(lab)


def test_a_file_to_predict_with_extra_columns_is_predicted_with_a_note(lab, page):
    assert predict_file(page, "extra.csv", boston_rows(n=3, extra="x")) == ""
    note = page.text_content(tid("predict-note"))
    assert_says(note, "extra.csv", "3 rows predicted", "extra columns note", "left out")
    predictions = json.loads(page.get_attribute(tid("new-predictions-table"), "data-predictions"))
    # its first row is the what-if form's row (the data's first): the same prediction
    assert f"Predicted MEDV: {predictions[0]}" == lab.baseline["model"]["what_if"]
    assert_data_and_model_kept(lab)


# ---------------------------------------------------------------------------------------------
# divergence (issue 5, outcome 2)


def chart_description(page):
    return page.get_attribute(tid("loss-chart"), "aria-label")


def assert_finite_chart(page, epochs):
    label = chart_description(page)
    assert "NaN" not in label and "Infinity" not in label
    if epochs == 0:
        assert label.endswith("no epochs yet")
        return
    assert f"epochs 1–{epochs}," in label
    assert all(math.isfinite(v) for v in numbers_in(label.split(":", 1)[1]))


def test_a_huge_learning_rate_stops_training_with_the_starting_weights(lab, page):
    page.select_option(tid("optimizer-select"), "sgd")
    page.fill(tid("learning-rate"), "10")
    message = press_train(page)
    assert_says(message, "infinite or NaN", "epoch 1", "starting weights were kept", "lower the learning rate")
    status = page.text_content(tid("status"))
    assert "stopped" in status and "diverged after epoch 0" in status
    assert page.get_attribute(tid("status"), "data-state") == "done"
    assert page.text_content(tid("epoch-counter")) == "0"
    assert_finite_chart(page, 0)
    finite_results(page)
    assert math.isfinite(float(what_if(page).split(": ")[1]))
    assert data_state(page) == lab.baseline["data"]


def train_then_pause(page, epochs_at_least=3):
    page.select_option(tid("optimizer-select"), "sgd")
    page.fill(tid("learning-rate"), "0.001")
    page.fill(tid("epochs"), "100000")
    page.fill(tid("early-stopping"), "0")
    # epochs of this run: the counter still shows the baseline's until the run starts
    pressed = click_marked(page, "train-button")
    wait_for_epoch(page, epochs_at_least, after=pressed)
    pause = click_marked(page, "pause-button")
    wait_for_run_state(page, "paused", after=pause)
    page.wait_for_selector(f'{tid("status")}[data-run="paused"]')
    return int(page.text_content(tid("epoch-counter")))


def assert_stopped_at_last_finite_epoch(page, message):
    """The message, the status, the epoch counter and the chart agree on the epoch kept; all finite."""
    found = re.search(r"in epoch (\d+), so training stopped and the weights of epoch (\d+) were kept", message)
    assert found, message
    failed, kept = int(found[1]), int(found[2])
    assert failed == kept + 1
    assert_says(message, "infinite or NaN", "lower the learning rate")
    assert f"stopped: the loss diverged after epoch {kept}" in page.text_content(tid("status"))
    assert page.get_attribute(tid("status"), "data-state") == "done"
    assert int(page.text_content(tid("epoch-counter"))) == kept
    assert_finite_chart(page, kept)
    finite_results(page)
    return kept


def test_divergence_after_finite_epochs_stops_on_the_last_finite_epoch(lab, page):
    paused_at = train_then_pause(page)
    page.fill(tid("learning-rate"), "10")
    seen = act_and_wait(page, lambda: page.click(tid("resume-button")), "error-message")
    page.wait_for_selector(f'{tid("status")}[data-state="done"]')
    assert error_text(page) == seen["error-message"]
    kept = assert_stopped_at_last_finite_epoch(page, seen["error-message"])
    assert kept >= paused_at
    assert math.isfinite(float(what_if(page).split(": ")[1]))
    assert data_state(page) == lab.baseline["data"]


def test_divergence_keeps_exactly_the_weights_of_the_last_finite_epoch(lab, page):
    # epoch by epoch with Step: the what-if prediction of every finite epoch is known
    epoch = train_then_pause(page)
    # a pause can fall between two mini-batches: one Step finishes that epoch
    act_and_wait(page, lambda: page.click(tid("step-button")), "status")
    page.wait_for_function(f"() => Number(document.querySelector('[data-testid=epoch-counter]').textContent) === {epoch + 1}")
    epoch += 1
    predictions = {epoch: what_if(page)}
    page.fill(tid("learning-rate"), "10")
    message = ""
    for _ in range(50):
        seen = act_and_wait(page, lambda: page.click(tid("step-button")), "status", "error-message")
        if seen.get("error-message", "").strip():
            message = seen["error-message"]
            page.wait_for_selector(f'{tid("status")}[data-state="done"]')
            break
        page.wait_for_function(f"() => Number(document.querySelector('[data-testid=epoch-counter]').textContent) === {epoch + 1}")
        epoch += 1
        predictions[epoch] = what_if(page)
    kept = assert_stopped_at_last_finite_epoch(page, message)
    assert kept == epoch
    assert what_if(page) == predictions[kept]
    # Step cannot continue a diverged run; it says what to do, and the kept weights stay
    seen = act_and_wait(page, lambda: page.click(tid("step-button")), "error-message")
    assert_says(seen["error-message"], "stopped", "lower the learning rate", "press Train")
    assert what_if(page) == predictions[kept]
