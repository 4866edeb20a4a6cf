"""The accuracy section of ``python -m fcnn.bench``: fair baselines, a grid judged off the test rows, one row a data set."""

import numpy as np
import pytest

from fcnn import bench
from fcnn.run.experiment import Experiment
from fcnn.run.settings import TrainingConfig
from fcnn.tables import read_csv_text

pytest.importorskip("sklearn")

IRIS = next(s for s in bench.ACCURACY_SAMPLES if s.name == "iris")


def built_params(config, task):
    return bench.make_mlp(task, bench.same_settings_params(config, task), seed=4).get_params()


def test_the_same_settings_baseline_gets_fcnns_layers_rate_batch_epochs_and_l2():
    config = TrainingConfig("y", hidden_layers=[5, 3], activation="tanh", learning_rate=0.02, batch_size=8,
                            epochs=7, weight_decay=0.001, early_stopping=4, validation_fraction=0.25)
    params = built_params(config, "multiclass")
    assert params["hidden_layer_sizes"] == (5, 3) and params["activation"] == "tanh"
    assert params["solver"] == "adam" and params["learning_rate_init"] == 0.02
    assert params["batch_size"] == 8 and params["max_iter"] == 7 and params["random_state"] == 4
    # λ on the gradient of a batch's mean loss is alpha / B in scikit-learn; its squared loss is half fcnn's
    assert params["alpha"] == pytest.approx(0.001 * 8)
    assert built_params(config, "regression")["alpha"] == pytest.approx(0.001 * 8 / 2)
    assert (params["early_stopping"], params["n_iter_no_change"], params["validation_fraction"]) == (True, 4, 0.25)


def test_the_baseline_stops_early_only_when_fcnn_does():
    params = built_params(TrainingConfig("y", early_stopping=0, epochs=50), "binary")
    assert params["early_stopping"] is False
    assert params["n_iter_no_change"] >= 50  # no stop on the training loss before the last epoch either


def test_the_page_defaults_reach_the_baseline():
    config = bench.app_defaults_config("MEDV", split_seed=100, seed=0)
    params = built_params(config, "regression")
    assert params["hidden_layer_sizes"] == tuple(config.hidden_layers)
    assert (params["learning_rate_init"], params["batch_size"], params["max_iter"]) == (
        config.learning_rate, config.batch_size, config.epochs)


def test_the_grid_picks_the_best_validation_score_from_training_rows_only(monkeypatch):
    rng = np.random.default_rng(0)
    x_train, y_train = rng.normal(size=(40, 3)), np.repeat([0, 1], 20)
    seen = []

    def fake_fit_and_score(model, task, x_fit, y_fit, x_eval, y_eval):
        seen.append((x_fit, x_eval))
        return model.get_params()["learning_rate_init"] + model.get_params()["alpha"]

    monkeypatch.setattr(bench, "fit_and_score", fake_fit_and_score)
    chosen = bench.grid_choice(x_train, y_train, "binary", {"max_iter": 1}, seed=3)
    assert chosen == max(bench.grid_points(), key=lambda p: p["learning_rate_init"] + p["alpha"])
    assert len(seen) == len(bench.grid_points())
    for x_fit, x_eval in seen:
        fit_rows, val_rows = {r.tobytes() for r in x_fit}, {r.tobytes() for r in x_eval}
        assert not fit_rows & val_rows and len(fit_rows | val_rows) == len(x_train)
        assert len(val_rows) == round(bench.GRID_VALIDATION_FRACTION * len(x_train))


def test_the_grid_choice_is_handed_the_training_rows_and_never_a_test_row(monkeypatch):
    handed = []

    def spying_choice(x_train, y_train, task, base_params, seed):
        handed.append(x_train)
        return bench.grid_points()[0]

    monkeypatch.setattr(bench, "grid_choice", spying_choice)
    scores, picked = bench.score_sample(IRIS, splits=1, seeds=1, have_sklearn=True)
    table = read_csv_text((bench.DATA / IRIS.file).read_bytes())
    data = Experiment(table, bench.app_defaults_config(IRIS.target, split_seed=100, seed=0)).data
    assert len(handed) == 1 and np.array_equal(handed[0], data.x_train)
    test_rows = {r.tobytes() for r in data.x_test}
    assert not test_rows & {r.tobytes() for r in handed[0]}
    assert picked == [bench.grid_points()[0]]
    assert all(len(v) == 1 and 0 <= v[0] <= 1 for v in scores.values())


def test_the_table_has_a_row_per_data_set_and_names_where_fcnn_is_behind(monkeypatch, capsys):
    point = bench.grid_points()[0]

    def fake_scores(sample, splits, seeds, have_sklearn):
        behind = sample.name == "wine"
        return {"fcnn": [0.5], "same": [0.6 if behind else 0.4], "grid": [0.45]}, [point]

    monkeypatch.setattr(bench, "score_sample", fake_scores)
    bench.accuracy_table(splits=1, seeds=1)
    lines = capsys.readouterr().out.splitlines()
    names = [s.name for s in bench.ACCURACY_SAMPLES]
    assert names == ["boston", "iris", "wine", "breast_cancer", "diabetes"]
    rows = [line.split() for line in lines if line.split() and line.split()[0] in names]
    assert [r[0] for r in rows] == names
    assert rows[2][1:5] == ["accuracy", "0.5000", "±", "0.000"] and rows[0][1] == "R²"
    assert "-0.1000" in rows[2] and "+0.1000" in rows[0]
    assert lines[-1] == "   fcnn scores below a baseline on: wine (vs same, -0.1000)"
    # the grid is printed for the reader
    assert any("learning_rate_init ∈ [0.001, 0.01]" in line for line in lines)
