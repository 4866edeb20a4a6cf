"""The bad-input matrix, at the engine's face for the page (fcnn.web.session).

Each case: the answer is a clear message (what is wrong and what to do), or
the data loads with a note saying what was done; and whatever was loaded and
trained before is still there afterwards.
"""

import json

import numpy as np
import pytest

from fcnn.web.session import Session

# size is a shuffle of 20…59, not in file order: a column counting 20, 21, 22… would be left out as a row number
GOOD = "size,rooms,price\n" + "\n".join(f"{20 + k},{i % 5},{100 + 3 * k}" for i, k in ((i, i * 7 % 40) for i in range(40))) + "\n"


def answer(raw):
    return json.loads(raw)


@pytest.fixture
def trained_session():
    session = Session()
    assert answer(session.load_csv(GOOD, "good.csv"))["ok"]
    assert answer(session.start(json.dumps({"target": "price", "epochs": 3})))["ok"]
    assert answer(session.train_for(60_000))["finished"]
    session.before = answer(session.results())
    return session


def assert_kept(session):
    assert session.table_name == "good.csv"
    assert answer(session.results()) == session.before


REFUSED_FILES = [
    ("empty", b"", "empty"),
    ("only blank lines", b"\n\n \n", "empty"),
    ("header only", b"a,b,c\n", "no data rows"),
    ("ragged rows", b"a,b,c\n1,2,3\n4,5\n", "line 3 has 2 fields"),
    ("a quote never closed", b'a,b\n1,2\n3,"4\n5,6\n', "opened on line 3 is never closed"),
    ("a cell of a million characters", b"a,b\n1,2\n" + b"x" * 1_000_000 + b",3\n", "on line 3 is longer than 131,072"),
    ("a ragged row after Excel's sep= line", b"sep=,\na,b\n1,2\n3\n", "line 4 has 1 field"),
    ("binary named .csv", bytes(range(256)) * 40, "binary"),
    ("a workbook", b"PK\x03\x04" + b"\x00" * 200, "binary"),
    ("every column empty", b"a,b\n,\nNA,?\n", "empty"),
]


@pytest.mark.parametrize("label, data, fragment", REFUSED_FILES, ids=[c[0] for c in REFUSED_FILES])
def test_unusable_files_are_refused_and_nothing_is_lost(trained_session, label, data, fragment):
    result = answer(trained_session.load_csv(data, "bad.csv"))
    assert not result["ok"]
    assert fragment in result["error"]
    assert len(result["error"]) > 30  # a sentence, with what to do
    assert_kept(trained_session)


LOADED_FILES = [
    ("one data row", "a,b\n1,2\n", None),
    ("UTF-8 BOM", "\ufeffa,b\n1,2\n3,4\n", None),
    ("semicolons", "a;b\n1;2\n3;4\n", None),
    ("tabs", "a\tb\n1\t2\n3\t4\n", None),
    ("quoted commas and newlines", 'a,b\n"1,5","x\ny"\n2,z\n', None),
    ("duplicate header names", "a,a\n1,2\n3,4\n", "a_2"),
    ("empty header name", "a,\n1,2\n3,4\n", "column_2"),
    ("Excel's sep= line", "sep=;\r\na;b\r\n1,5;2\r\n3;4\r\n", "'sep=;' names the separator"),
]


@pytest.mark.parametrize("label, text, note_fragment", LOADED_FILES, ids=[c[0] for c in LOADED_FILES])
def test_awkward_but_readable_files_load_with_notes(label, text, note_fragment):
    result = answer(Session().load_csv(text, "f.csv"))
    assert result["ok"], result
    if note_fragment:
        assert any(note_fragment in note for note in result["notes"]) or note_fragment in result["columns"]


def test_latin1_bytes_load_with_a_note():
    result = answer(Session().load_csv("name,città\nJosé,1\nZoë,2\n".encode("latin-1"), "l.csv"))
    assert result["ok"] and result["columns"] == ["name", "città"]
    assert any("Latin-1" in note for note in result["notes"])


def test_ten_thousand_columns_load_and_train():
    rng = np.random.default_rng(0)
    header = ",".join(f"c{i}" for i in range(10_000))
    rows = "\n".join(",".join(f"{v:.2f}" for v in rng.normal(size=10_000)) for _ in range(12))
    session = Session()
    loaded = answer(session.load_csv(header + "\n" + rows, "wide.csv"))
    assert loaded["n_rows"] == 12 and len(loaded["columns"]) == 10_000
    # the preview and the summary cover the first columns only, so the page stays light
    assert len(loaded["column_info"]) == 100 and all(len(row) == 100 for row in loaded["preview"])
    assert answer(session.start(json.dumps({"target": "c0", "epochs": 2, "hidden_layers": [4]})))["ok"]
    assert answer(session.train_for(60_000))["finished"]


def start_error(text, **settings):
    session = Session()
    assert answer(session.load_csv(text, "f.csv"))["ok"]
    result = answer(session.start(json.dumps({"epochs": 2, **settings})))
    return None if result["ok"] else result["error"]


def test_text_in_a_numeric_column_makes_it_categorical_and_the_page_is_told():
    text = "x,y,city\n" + "\n".join(f"{i},{i * 2},{'Oslo' if i % 2 else 'Rome'}" for i in range(20)) + "\nseven,3,Oslo\n"
    result = answer(Session().load_csv(text, "f.csv"))
    kinds = {c["name"]: c["kind"] for c in result["column_info"]}
    assert kinds == {"x": "categorical", "y": "numeric", "city": "categorical"}
    # a note names the column, the cell and its line; a column of words gets none
    assert len(result["notes"]) == 1
    assert all(part in result["notes"][0] for part in ("'x'", "'seven'", "line 22", "categories"))


def test_all_missing_feature_column_is_left_out_with_a_note():
    session = Session()
    session.load_csv("a,empty,y\n" + "\n".join(f"{i * 7 % 20},,{i}" for i in range(20)), "f.csv")
    result = answer(session.start(json.dumps({"target": "y", "epochs": 2})))
    assert result["ok"] and result["features"] == ["a"]
    assert any("empty" in note for note in result["report"]["notes"])


def test_constant_column_does_not_divide_by_zero():
    session = Session()
    session.load_csv("a,k,y\n" + "\n".join(f"{i},5,{i * 3}" for i in range(30)), "f.csv")
    assert answer(session.start(json.dumps({"target": "y", "epochs": 5})))["ok"]
    assert answer(session.train_for(60_000))["ok"]
    assert answer(session.results())["ok"]


def test_target_with_one_class_is_refused():
    error = start_error("a,label\n" + "\n".join(f"{i},yes" for i in range(10)), target="label")
    assert "only one class" in error


def test_missing_values_in_the_target_drop_their_rows():
    session = Session()
    session.load_csv("a,y\n" + "\n".join(f"{i % 7},{'' if i % 4 == 0 else i}" for i in range(40)), "f.csv")
    result = answer(session.start(json.dumps({"target": "y", "epochs": 2})))
    assert result["ok"] and result["report"]["dropped_missing_target"] == 10


@pytest.mark.parametrize(
    "settings, fragment",
    [
        ({"learning_rate": 0}, "learning rate"),
        ({"learning_rate": -1}, "learning rate"),
        ({"learning_rate": "NaN"}, "learning rate"),
        ({"learning_rate": 1e12}, "learning rate"),
        ({"hidden_layers": [0]}, "units 0 is out of range"),
        ({"hidden_layers": [10**9]}, "out of range"),
        ({"epochs": 0}, "epochs 0 is out of range"),
    ],
)
def test_settings_out_of_range_are_refused_and_the_model_is_kept(trained_session, settings, fragment):
    result = answer(trained_session.start(json.dumps({"target": "price", **settings})))
    assert not result["ok"] and fragment in result["error"]
    assert_kept(trained_session)


def test_a_batch_larger_than_the_data_is_the_whole_data_with_a_note():
    session = Session()
    session.load_csv(GOOD, "f.csv")
    # no early stopping: every training row is trained on, none held out for validation
    result = answer(session.start(json.dumps({"target": "price", "batch_size": 10_000, "epochs": 2,
                                               "early_stopping": 0})))
    assert result["ok"] and session.experiment.trainer.batch_size == result["n_train"] == 28
    assert any("batch size 10000 is larger than the 28 rows" in note for note in result["notes"])


def test_one_data_row_is_refused_at_training_for_its_row_count():
    error = start_error("a,b\n1,2\n", target="b")
    assert "1 row" in error and "at least 2" in error


def test_an_empty_setting_says_it_is_empty(trained_session):
    result = answer(trained_session.start(json.dumps({"target": "price", "learning_rate": ""})))
    assert not result["ok"] and "learning rate is empty" in result["error"] and "such as" in result["error"]
    assert_kept(trained_session)


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"", "the file is empty"),
        (b"{oops", "not valid JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8 JSON"),
        (b'{"hello": 1}', "no 'format' entry"),
    ],
)
def test_an_unusable_model_file_says_what_to_do_and_the_model_stays(trained_session, data, fragment):
    result = answer(trained_session.load_model(data))
    assert not result["ok"] and fragment in result["error"] and "saved by fcnn" in result["error"]
    assert_kept(trained_session)


def test_a_model_file_loads_from_its_bytes(trained_session):
    text = answer(trained_session.model_json())["text"]
    loaded = answer(Session().load_model(b"\xef\xbb\xbf" + text.encode()))
    assert loaded["ok"] and loaded["target"] == "price"


def diverging_session():
    session = Session()
    session.load_csv(GOOD, "good.csv")
    session.start(json.dumps({"target": "price", "optimizer": "sgd", "learning_rate": 0.001, "epochs": 1000,
                              "hidden_layers": [16], "early_stopping": 0}))
    assert answer(session.step())["epoch"] == 1
    assert answer(session.set_learning_rate(10))["ok"]
    return session


def test_divergence_answers_with_the_epochs_done_and_the_epoch_kept():
    session = diverging_session()
    result = answer(session.train_for(60_000))
    assert not result["ok"] and result["stop_reason"] == "diverged"
    kept = session.experiment.trainer.epoch
    assert f"in epoch {kept + 1}" in result["error"] and f"weights of epoch {kept} were kept" in result["error"]
    assert "lower the learning rate" in result["error"]
    assert result["epoch"] == kept and [e[0] for e in result["epochs"]] == list(range(2, kept + 1))
    assert all(np.isfinite(e[1]) for e in result["epochs"])
    assert answer(session.results())["ok"]  # the kept weights still predict


def test_step_does_not_continue_a_diverged_run():
    session = diverging_session()
    answer(session.train_for(60_000))
    weights = session.experiment.network.get_weights()
    stepped = answer(session.step())
    assert not stepped["ok"] and "press Train" in stepped["error"]
    after = session.experiment.network.get_weights()
    assert weights.keys() == after.keys()
    for name, value in weights.items():
        np.testing.assert_array_equal(value, after[name])


HUGE_NUMBERS = [
    # (label, file text, what the message names, where): all-numeric tables take the
    # numpy fast path; a text column sends the same file through the cell-by-cell path
    ("a feature, numbers only", "a,b,y\n1,2,3\n4,1e308,6\n7,8,9\n1,2,4\n2,3,5\n", "column 'b' holds 1e+308", "line 3"),
    ("a feature, with a text column", "a,c,y\n1e200,x,3\n4,y,6\n7,x,9\n1,y,4\n2,x,5\n", "column 'a' holds 1e+200", "line 2"),
    ("the target", "a,y\n1,2\n3,-1e308\n2,4\n5,5\n4,6\n", "the target 'y' holds -1e+308", "line 3"),
]


@pytest.mark.parametrize("label, text, named, where", HUGE_NUMBERS, ids=[c[0] for c in HUGE_NUMBERS])
def test_numbers_too_large_to_compute_with_are_refused_at_train_naming_the_cell(
    trained_session, label, text, named, where
):
    session = trained_session
    loaded = answer(session.load_csv(text, "huge.csv"))
    assert loaded["ok"]  # the file itself is readable: the preview shows it
    # test_fraction 0.2 of 5 rows: the split decides the side, the message must still find the cell
    for seed in range(4):
        started = answer(session.start(json.dumps({"target": "y", "epochs": 2, "seed": seed, "task": "regression"})))
        assert not started["ok"]
        assert named in started["error"] and where in started["error"], started["error"]
        assert "power of ten" in started["error"]
    # the run trained before is still there
    assert answer(session.results()) == session.before


def test_a_huge_value_typed_into_the_what_if_form_is_refused_and_the_model_kept(trained_session):
    said = answer(trained_session.predict_row(json.dumps({"size": "-1e300", "rooms": "2"})))
    assert not said["ok"] and "column 'size' holds -1e+300" in said["error"]
    assert answer(trained_session.predict_row(json.dumps({"size": "30", "rooms": "2"})))["ok"]
    assert_kept(trained_session)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the overflow is the point
def test_a_prediction_that_overflows_is_refused_with_a_message_not_a_broken_answer(trained_session):
    # allowed inputs whose output still overflows once the target's scaling is undone
    model = trained_session._model()
    model.encoder.scaler.scale_ = np.float64(1e300)
    said = answer(trained_session.predict_row(json.dumps({"size": "1e150", "rooms": "2"})))
    assert not said["ok"]
    assert "prediction for row 1 is not a finite number" in said["error"]


def test_an_answer_holding_an_infinite_number_is_still_an_answer():
    session = Session()
    assert answer(session.load_csv(GOOD, "good.csv"))["ok"]
    session._load_table = lambda source, name: {"n_rows": float("inf")}
    said = answer(session.load_csv(GOOD, "good.csv"))
    assert said == {"ok": False, "error": "internal error (load_csv computed a number that is not finite); please report it"}


def test_excel_sep_line_sets_the_delimiter_even_where_sniffing_would_not():
    # commas in every cell would make the sniffer choose the comma; the line says semicolon
    table = answer(Session().load_csv("sep=;\na,b;y\n1,5;2,5\n3,5;4,5\n", "f.csv"))
    assert table["columns"] == ["a,b", "y"] and table["preview"][0] == ["1.5", "2.5"]  # decimal commas read
