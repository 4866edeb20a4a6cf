"""What the Session's answers say about a run beyond its numbers: columns left out as row
numbers or ids, the units of the loss, and why and where training stopped."""

import json

import numpy as np
import pytest

from fcnn.run.settings import DEFAULTS
from fcnn.web.session import Session


def call(method, *args):
    return json.loads(method(*args))


def noise_csv(n=120, seed=0):
    """A target that no feature predicts: the validation loss rises as soon as the network learns the noise."""
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(n, 3)), rng.normal(size=n)
    return "a,b,c,y\n" + "".join(f"{a:.4f},{b:.4f},{c:.4f},{t:.4f}\n" for (a, b, c), t in zip(x, y))


def started_session(csv, **settings):
    s = Session()
    assert call(s.load_csv, csv, "data.csv")["ok"]
    started = call(s.start, json.dumps(settings))
    assert started["ok"], started
    return s, started


# ---------------------------------------------------------------------------
# a row number or a numeric id is not ticked, with the reason and what to do


ROW_NUMBERED = "rownames,order_id,size,price\n" + "".join(
    f"{k + 1},{(k * 37) % 200 + 9000},{(k * 7) % 11},{3 * ((k * 7) % 11) + k % 3}\n" for k in range(200)
)


def test_a_row_number_and_a_numeric_id_are_named_at_load_as_not_ticked():
    loaded = call(Session().load_csv, ROW_NUMBERED, "rows.csv")
    assert loaded["left_out"] == {
        "rownames": "column 'rownames' counts 1, 2, 3… in file order: a row number, not a measurement; "
                    "tick it if it really is a feature",
        "order_id": "column 'order_id' is named like an identifier and every value is distinct: an id, not a "
                    "measurement; tick it if it really is a feature",
    }
    assert loaded["notes"] == [
        "column 'rownames' counts 1, 2, 3… in file order: a row number, not a measurement, so it is not ticked as a "
        "feature; tick it if it really is one",
        "column 'order_id' is named like an identifier and every value is distinct: an id, not a measurement, so it "
        "is not ticked as a feature; tick it if it really is one",
    ]
    assert loaded["column_info"][0]["counts_from"] == 1 and loaded["column_info"][1]["counts_from"] is None


def test_many_id_columns_share_one_note():
    header = ",".join(f"id{k}" for k in range(5)) + ",y"
    rows = "".join(",".join(str(k + j) for j in range(5)) + f",{k % 4}\n" for k in range(30))
    loaded = call(Session().load_csv, header + "\n" + rows, "ids.csv")
    assert len(loaded["left_out"]) == 5
    assert loaded["notes"] == [
        "5 number columns ('id0', 'id1', 'id2', 'id3', 'id4') count the rows in file order or are named like "
        "identifiers with every value distinct: they look like row numbers or ids, so they are not ticked as "
        "features; tick any that really is a feature"
    ]


def test_train_with_every_column_leaves_them_out_and_a_chosen_one_stays_a_feature():
    s, started = started_session(ROW_NUMBERED, target="price", epochs=1)
    assert started["features"] == ["size"] and started["report"]["dropped_columns"] == ["rownames", "order_id"]
    assert ("column 'rownames' counts 1, 2, 3… in file order: a row number, not a measurement, so it is left out of "
            "the features; choose it as a feature if it really is one") in started["notes"]
    chosen = call(s.start, json.dumps({"target": "price", "epochs": 1, "features": ["rownames", "size"]}))
    assert chosen["features"] == ["rownames", "size"] and chosen["report"]["dropped_columns"] == []


# ---------------------------------------------------------------------------
# the loss in the target's units


def page_settings(**changes):
    settings = {key: value for key, value in DEFAULTS.items() if key != "sample"}
    return json.dumps({**settings, **changes})


@pytest.mark.parametrize("weight_decay", [0.0, 0.01])
def test_loss_scale_turns_the_engines_mse_into_the_targets_units(weight_decay):
    s = Session()
    assert call(s.load_sample, "surface", 0)["ok"]
    started = call(s.start, page_settings(target="y", epochs=20, early_stopping=0, weight_decay=weight_decay))
    assert started["loss_label"] == "MSE in y's units²"
    assert call(s.train_for, 60_000)["finished"]
    data, network = s.experiment.data, s.experiment.network
    engine_mse = network.evaluate_loss(data.x_train, data.y_train)  # the loss the chart shows, on every training row
    predicted = data.encoder.decode(network.predict(data.x_train))
    in_units = float(np.mean((predicted - data.target_train) ** 2))
    assert engine_mse * started["loss_scale"] == pytest.approx(in_units, rel=1e-9)
    # the engine's figure is the target scaled to a spread of 10: a hundred times the variance share left
    assert started["loss_scale"] == pytest.approx((np.std(data.target_train) / 10) ** 2, rel=1e-12)
    assert engine_mse > 10 * in_units


def test_a_classifiers_loss_has_no_units():
    s = Session()
    assert call(s.load_sample, "blobs", 0)["ok"]
    started = call(s.start, page_settings(target="label", epochs=1))
    assert (started["loss_scale"], started["loss_label"]) == (1.0, "cross-entropy")


# ---------------------------------------------------------------------------
# why training stopped, and the epoch whose weights were kept


def test_a_run_that_stops_early_says_so_and_names_its_best_epoch():
    s, _ = started_session(noise_csv(), target="y", hidden_layers=[32], epochs=300, early_stopping=5,
                           learning_rate=0.01, seed=1)
    progress = call(s.train_for, 60_000)
    assert progress["finished"] and progress["stop_reason"] == "early_stopping"
    assert 1 <= progress["best_epoch"] < progress["epoch"] == progress["best_epoch"] + 5
    results = call(s.results)
    assert (results["stop_reason"], results["best_epoch"], results["epoch"], results["epochs_planned"]) == (
        "early_stopping", progress["best_epoch"], progress["epoch"], 300)


def test_a_run_without_early_stopping_names_no_best_epoch():
    s, _ = started_session(noise_csv(), target="y", epochs=4, early_stopping=0)
    progress = call(s.train_for, 60_000)
    assert progress["stop_reason"] == "finished" and progress["best_epoch"] is None
    results = call(s.results)
    assert (results["stop_reason"], results["best_epoch"], results["epoch"], results["epochs_planned"]) == (
        "finished", None, 4, 4)


def test_before_any_epoch_is_validated_there_is_no_best_epoch():
    s, _ = started_session(noise_csv(), target="y", epochs=50, early_stopping=5)
    results = call(s.results)
    assert (results["stop_reason"], results["best_epoch"], results["epoch"]) == (None, None, 0)
    progress = call(s.step)
    assert progress["best_epoch"] == 1 and progress["stop_reason"] is None
