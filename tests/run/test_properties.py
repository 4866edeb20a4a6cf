"""Property tests: on random configurations and data, build → train → predict
raises nothing but the engine's own clear errors (FcnnError and its kinds)."""

import math

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from fcnn.tables import read_csv_text
from fcnn.errors import FcnnError
from fcnn.run.experiment import Experiment
from fcnn.run.settings import TrainingConfig

cells = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(lambda v: f"{v:.4g}"),
    st.integers(-5, 5).map(str),
    st.sampled_from(["", "NA", "?", "red", "blue", "x,y", '"q"', "1e400", "inf", "-0"]),
)


@st.composite
def tables(draw):
    n_cols = draw(st.integers(1, 5))
    n_rows = draw(st.integers(1, 25))
    header = [f"c{i}" for i in range(n_cols)]
    rows = [[draw(cells) for _ in range(n_cols)] for _ in range(n_rows)]
    quote = lambda cell: '"' + cell.replace('"', '""') + '"' if any(ch in cell for ch in ',"') else cell
    return "\n".join(",".join(quote(c) for c in row) for row in [header] + rows) + "\n"


configs = st.fixed_dictionaries(
    {},
    optional={
        "task": st.sampled_from(["auto", "regression", "binary", "multiclass"]),
        "hidden_layers": st.lists(st.integers(-1, 6), max_size=3),
        "activation": st.sampled_from(["sigmoid", "tanh", "relu", "identity", "nope"]),
        "optimizer": st.sampled_from(["sgd", "momentum", "adam"]),
        "learning_rate": st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.just(0.01)),
        "epochs": st.integers(-1, 3),
        "batch_size": st.integers(-1, 40),
        "weight_decay": st.floats(-1, 1),
        "early_stopping": st.integers(0, 2),
        "validation_fraction": st.floats(0, 0.6),
        "test_fraction": st.floats(0, 1),
        "scaling": st.sampled_from(["standard", "minmax"]),
        "missing": st.sampled_from(["impute", "drop"]),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=tables(), settings_=configs, target_pick=st.integers(0, 10))
def test_build_train_predict_raises_only_clear_errors(text, settings_, target_pick):
    try:
        table = read_csv_text(text)
        target = table.columns[target_pick % len(table.columns)]
        experiment = Experiment(table, TrainingConfig(target, **settings_))
        experiment.train_for()
        if experiment.trainer.stop_reason != "diverged":
            metrics = experiment.test_metrics()
            assert all(not isinstance(v, float) or math.isfinite(v) for v in metrics.values())
        model = experiment.model()
        predictions = model.predict(table.rows[:3] and [[row[table.columns.index(c)] for c in model.feature_columns] for row in table.rows[:3]])
        assert len(predictions) == min(3, table.n_rows)
        event("trained and predicted")
    except FcnnError as exc:
        event(f"refused: {type(exc).__name__}")
        assert len(str(exc)) > 20  # a sentence that says what is wrong, not a bare code


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), rows=st.integers(2, 40))
def test_same_seed_same_run(seed, rows):
    rng = np.random.default_rng(seed)
    lines = ["a,b,y"] + [f"{rng.normal():.5f},{rng.normal():.5f},{rng.normal():.5f}" for _ in range(rows)]
    text = "\n".join(lines)
    runs = []
    for _ in range(2):
        experiment = Experiment(read_csv_text(text), TrainingConfig("y", epochs=3, seed=seed % 1000, hidden_layers=[4]))
        experiment.train_for()
        runs.append([r.train_loss for r in experiment.trainer.history])
    assert runs[0] == runs[1]
