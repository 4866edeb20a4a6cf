"""Benchmarks, outside the test suite: ``python -m fcnn.bench [--quick]``.

1. Speed on the seed's configuration (Boston, 1×8 sigmoid, SGD, batch 8,
   lr 0.0008, 500 epochs, min-max features, 7:3 split with seed 20): fcnn
   against scikit-learn's MLPRegressor set up identically, in one process,
   alternating runs and keeping each one's best time. Prints both times,
   their ratio and both R².
2. Throughput: samples per second on a synthetic 100,000 × 20 regression
   with 2×64 relu, Adam, batch 256.
3. Accuracy side by side on the five real samples: fcnn's page defaults,
   scikit-learn's MLP with the same settings, and the best of a small grid
   of scikit-learn settings picked on validation rows (see ``accuracy_table``).

scikit-learn is optional (``pip install scikit-learn``); without it only the
fcnn columns are printed.
"""

from __future__ import annotations

import argparse
import itertools
import pathlib
import time
import warnings

import numpy as np

from .tables import MinMaxScaler, TargetScaler, numeric_matrix, read_csv_text, stratified_split, train_test_split
from .run.experiment import Experiment
from .run.metrics import r2_score as r2
from .run.settings import DEFAULTS, SAMPLES, TrainingConfig
from .engine.network import Network
from .engine.optimizers import SGD, make_optimizer
from .engine.trainer import Trainer

DATA = pathlib.Path(__file__).resolve().parent.parent / "static" / "data"


def load_boston():
    table = read_csv_text((DATA / "boston.csv").read_bytes())
    features = [c for c in table.columns if c != "MEDV"]
    return numeric_matrix(table, features), numeric_matrix(table, ["MEDV"])[:, 0]


def seed_split():
    x, y = load_boston()
    train, test = train_test_split(len(x), 0.3, np.random.default_rng(20))
    scaler = MinMaxScaler().fit(x[train])
    return scaler.transform(x[train]), y[train], scaler.transform(x[test]), y[test]


def run_fcnn_seed(x_train, y_train, x_test, y_test):
    rng = np.random.default_rng(20)
    target = TargetScaler().fit(y_train[:, None])
    net = Network(x_train.shape[1], [8], "sigmoid", "regression", 1, rng)
    trainer = Trainer(net, SGD(net.parameters, 0.0008), x_train, target.transform(y_train[:, None]),
                      batch_size=8, epochs=500, rng=rng)
    started = time.perf_counter()
    trainer.run()
    seconds = time.perf_counter() - started
    predicted = target.inverse_transform(net.predict(x_test))[:, 0]
    return seconds, r2(y_test, predicted)


def run_sklearn_seed(x_train, y_train, x_test, y_test):
    from sklearn.neural_network import MLPRegressor

    model = MLPRegressor(hidden_layer_sizes=(8,), activation="logistic", solver="sgd", batch_size=8,
                         learning_rate_init=0.0008, momentum=0.0, nesterovs_momentum=False, alpha=0.0,
                         max_iter=500, tol=0.0, n_iter_no_change=10**9, shuffle=True, random_state=20)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        started = time.perf_counter()
        model.fit(x_train, y_train)
        seconds = time.perf_counter() - started
    return seconds, r2(y_test, model.predict(x_test))


def speed_seed(repeats):
    data = seed_split()
    try:
        import sklearn  # noqa: F401
        have_sklearn = True
    except ImportError:
        have_sklearn = False
    fcnn_times, sk_times = [], []
    for _ in range(repeats):
        seconds, fcnn_r2 = run_fcnn_seed(*data)
        fcnn_times.append(seconds)
        if have_sklearn:
            seconds, sk_r2 = run_sklearn_seed(*data)
            sk_times.append(seconds)
    print("1. Seed configuration on Boston (1×8 sigmoid, SGD, batch 8, lr 0.0008, 500 epochs, seed 20)")
    print(f"   fcnn          best of {repeats}: {min(fcnn_times):7.3f} s   test R² {fcnn_r2:.4f}")
    if have_sklearn:
        print(f"   MLPRegressor  best of {repeats}: {min(sk_times):7.3f} s   test R² {sk_r2:.4f}")
        print(f"   fcnn is {min(sk_times) / min(fcnn_times):.2f}× faster (target ≥ 4×)")
    else:
        print("   (scikit-learn not installed: no MLPRegressor column)")


def throughput(rows=100_000, epochs=2):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 20))
    y = (np.sin(x[:, :5]).sum(axis=1) + 0.1 * x[:, 5:].sum(axis=1))[:, None]
    net = Network(20, [64, 64], "relu", "regression", 1, rng)
    trainer = Trainer(net, make_optimizer("adam", net.parameters, 0.001), x, y, batch_size=256, epochs=epochs, rng=rng)
    started = time.perf_counter()
    trainer.run()
    seconds = time.perf_counter() - started
    print(f"2. Synthetic {rows:,} × 20 regression, 2×64 relu, Adam, batch 256: "
          f"{rows * epochs / seconds:,.0f} samples/s ({seconds / epochs:.2f} s per epoch)")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m fcnn.bench")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each side (default 3)")
    parser.add_argument("--quick", action="store_true", help="one repeat, and fewer accuracy runs")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else args.repeats
    try:
        # Small matrices run fastest on one BLAS thread, and a second thread on
        # a busy 2-core machine makes timings swing tenfold. Both sides get one.
        from threadpoolctl import threadpool_limits

        limiter = threadpool_limits(limits=1, user_api="blas")
        print("BLAS threads limited to 1 for both sides (threadpoolctl)")
    except ImportError:
        limiter = None
        print("threadpoolctl not installed: BLAS uses its default thread count")
    speed_seed(repeats)
    throughput()
    try:
        import sklearn  # noqa: F401
        have_sklearn = True
    except ImportError:
        have_sklearn = False
    accuracy_table(splits=1 if args.quick else 3, seeds=2 if args.quick else 3, have_sklearn=have_sklearn)
    if limiter is not None:
        limiter.restore_original_limits()



# -- 3. accuracy side by side ---------------------------------------------------------
#
# Three columns on the same rows: fcnn with the page's defaults; scikit-learn's
# MLP given the very same settings; and scikit-learn's best of GRID, picked on
# validation rows carved out of the training rows. Features are fcnn's own,
# standardised on the training rows; a regression target is scaled as fcnn
# trains on it (10·(y − mean)/std), which leaves R² unchanged.

ACCURACY_SAMPLES = tuple(s for s in SAMPLES if s.group == "real")
SKLEARN_ACTIVATION = {"relu": "relu", "sigmoid": "logistic", "tanh": "tanh", "identity": "identity"}
SKLEARN_SOLVER = {
    "adam": {"solver": "adam"},
    "sgd": {"solver": "sgd", "momentum": 0.0, "nesterovs_momentum": False},
    "momentum": {"solver": "sgd", "momentum": 0.9, "nesterovs_momentum": False},
}
# The grid a tuning user would try; every point also gets early stopping as
# fcnn's defaults have it, and their number of epochs.
# Kept to 12 points so the whole bench runs in minutes on 2 cores; lr 0.003
# with one layer of 8 and alpha 0 is the "same" column already.
GRID = {
    "hidden_layer_sizes": [(8,), (64,), (64, 32)],
    "learning_rate_init": [0.001, 0.01],
    "alpha": [1e-4, 1e-2],
    "batch_size": [16],
}
GRID_VALIDATION_FRACTION = 0.2  # of the training rows, to judge the grid on


def app_defaults_config(target, split_seed, seed):
    """The page's settings (settings.DEFAULTS) for ``target``, with the run's own seeds."""
    chosen = {k: v for k, v in DEFAULTS.items() if k not in ("sample", "target")}
    return TrainingConfig(target, **{**chosen, "seed": seed, "split_seed": split_seed})


def sklearn_alpha(weight_decay, batch_size, task):
    """scikit-learn's ``alpha`` with the pull of fcnn's ``weight_decay`` λ.

    fcnn adds λ·W to the gradient of its loss, a mean over the batch.
    scikit-learn adds (alpha / B)·W to the gradient of its loss, a mean over
    the B rows of the batch; its squared loss is half of fcnn's mean squared
    error, its log-losses are fcnn's. Hence alpha = λ·B for classes, λ·B/2
    for regression.
    """
    return weight_decay * batch_size / (2.0 if task == "regression" else 1.0)


def early_stopping_params(config):
    """Early stopping as fcnn's run has it: patience on the same share of the
    training rows (tol 0: any gain counts, as in fcnn), or none at all.

    What differs, and cannot be set: scikit-learn draws its own validation
    rows, and judges them by score (accuracy or R²) where fcnn judges by loss.
    Both keep the best validated weights."""
    if config.early_stopping > 0 and config.validation_fraction > 0:
        return {"early_stopping": True, "validation_fraction": config.validation_fraction,
                "n_iter_no_change": config.early_stopping, "tol": 0.0}
    return {"early_stopping": False, "n_iter_no_change": config.epochs, "tol": 0.0}


def same_settings_params(config, task):
    """MLP parameters matching the fcnn run ``config`` setting for setting."""
    return {
        "hidden_layer_sizes": tuple(config.hidden_layers),
        "activation": SKLEARN_ACTIVATION[config.activation],
        **SKLEARN_SOLVER[config.optimizer],
        "learning_rate_init": config.learning_rate,
        "batch_size": config.batch_size,
        "max_iter": config.epochs,
        "alpha": sklearn_alpha(config.weight_decay, config.batch_size, task),
        "shuffle": True,
        **early_stopping_params(config),
    }


def make_mlp(task, params, seed):
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    model_class = MLPRegressor if task == "regression" else MLPClassifier
    return model_class(random_state=seed, **params)


def fit_and_score(model, task, x_fit, y_fit, x_eval, y_eval):
    """R² for regression, accuracy for classes, of ``model`` fitted on the fit rows."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "max_iter reached": fcnn stops there too
        model.fit(x_fit, y_fit)
    predicted = model.predict(x_eval)
    if task == "regression":
        return r2(y_eval, predicted)
    return float(np.mean(predicted == y_eval))


def grid_points():
    keys = list(GRID)
    return [dict(zip(keys, values)) for values in itertools.product(*(GRID[k] for k in keys))]


def grid_choice(x_train, y_train, task, base_params, seed):
    """The grid point scoring best on validation rows carved from the training rows given.

    Only training rows come in; the test rows are never seen here. Ties go to
    the earlier point of ``grid_points()``.
    """
    rng = np.random.default_rng(seed)
    if task == "regression":
        fit, val = train_test_split(len(x_train), GRID_VALIDATION_FRACTION, rng)
    else:
        fit, val = stratified_split(np.asarray(y_train, dtype=int), GRID_VALIDATION_FRACTION, rng)
    best, best_score = None, -np.inf
    for point in grid_points():
        model = make_mlp(task, {**base_params, **point}, seed)
        score = fit_and_score(model, task, x_train[fit], y_train[fit], x_train[val], y_train[val])
        if score > best_score:
            best, best_score = point, score
    return best


def sklearn_rows(data):
    """(x_train, y_train, x_test, y_test) as scikit-learn gets them: fcnn's own arrays."""
    y_train, y_test = np.asarray(data.y_train), np.asarray(data.y_test)
    if data.task == "regression":
        return data.x_train, y_train[:, 0], data.x_test, y_test[:, 0]
    return data.x_train, y_train.astype(int), data.x_test, y_test.astype(int)


def fcnn_score(experiment):
    scores = experiment.test_metrics()
    return scores["r2"] if experiment.task == "regression" else scores["accuracy"]


def score_sample(sample, splits, seeds, have_sklearn):
    """Test scores over splits × seeds: {"fcnn": [...], "same": [...], "grid": [...]}, and the points picked."""
    table = read_csv_text((DATA / sample.file).read_bytes())
    scores, picked = {"fcnn": [], "same": [], "grid": []}, []
    for split in range(splits):
        chosen = None
        for seed in range(seeds):
            config = app_defaults_config(sample.target, split_seed=100 + split, seed=seed)
            experiment = Experiment(table, config)
            experiment.train_for()
            scores["fcnn"].append(fcnn_score(experiment))
            if not have_sklearn:
                continue
            task, rows = experiment.task, sklearn_rows(experiment.data)
            same = same_settings_params(experiment.config, task)
            scores["same"].append(fit_and_score(make_mlp(task, same, seed), task, *rows))
            if chosen is None:  # one pick per split, on its training rows only
                chosen = grid_choice(rows[0], rows[1], task, same, seed=100 + split)
                picked.append(chosen)
            scores["grid"].append(fit_and_score(make_mlp(task, {**same, **chosen}, seed), task, *rows))
    return scores, picked


def describe_point(point):
    layers = "×".join(str(n) for n in point["hidden_layer_sizes"])
    return f"{layers} lr {point['learning_rate_init']:g} α {point['alpha']:g} b {point['batch_size']}"


def print_accuracy_header(splits, seeds, have_sklearn):
    config = app_defaults_config("", split_seed=0, seed=0)
    print(f"3. Test scores, mean ± sd over {splits} splits (7:3) × {seeds} weight seeds, all on the same rows.")
    print(f"   fcnn: the page's defaults: hidden {config.hidden_layers} {config.activation}, {config.optimizer}, "
          f"lr {config.learning_rate:g}, batch {config.batch_size}, {config.epochs} epochs, L2 {config.weight_decay:g}, "
          f"early stopping patience {config.early_stopping} on {config.validation_fraction:g} of the training rows")
    if not have_sklearn:
        print("   (scikit-learn not installed: no MLP columns)")
        return
    import sklearn

    print(f"   same: scikit-learn {sklearn.__version__} MLP with those settings: "
          f"{same_settings_params(config, 'multiclass')}")
    print("         (alpha = L2 × batch for classes, L2 × batch / 2 for regression: see sklearn_alpha)")
    print(f"   grid: best of {len(grid_points())} points, judged on {GRID_VALIDATION_FRACTION:g} of each split's "
          "training rows (never the test rows), then refitted on all training rows per seed:")
    for key, values in GRID.items():
        print(f"         {key} ∈ {values}")
    print("         everything else as 'same'")


def accuracy_table(splits=5, seeds=5, have_sklearn=True):
    """Mean test score of fcnn and both scikit-learn baselines on the five real samples."""
    print_accuracy_header(splits, seeds, have_sklearn)
    print(f"   {'data set':<14} {'metric':<9} {'fcnn':>15} {'same':>15} {'grid':>15} "
          f"{'fcnn−same':>10} {'fcnn−grid':>10}  grid's picks")
    behind = []
    for sample in ACCURACY_SAMPLES:
        scores, picked = score_sample(sample, splits, seeds, have_sklearn)
        metric = "R²" if sample.task == "regression" else "accuracy"
        cells = {k: f"{np.mean(v):.4f} ± {np.std(v):.3f}" if v else "–" for k, v in scores.items()}
        line = f"   {sample.name:<14} {metric:<9} {cells['fcnn']:>15} {cells['same']:>15} {cells['grid']:>15}"
        if have_sklearn:
            diffs = {k: np.mean(scores["fcnn"]) - np.mean(scores[k]) for k in ("same", "grid")}
            behind += [f"{sample.name} (vs {k}, {d:+.4f})" for k, d in diffs.items() if d < 0]
            picks = "; ".join(f"{describe_point(p)}" for p in picked)
            line += f" {diffs['same']:+10.4f} {diffs['grid']:+10.4f}  {picks}"
        print(line, flush=True)
    if have_sklearn:
        print(f"   fcnn scores below a baseline on: {', '.join(behind)}" if behind
              else "   fcnn scores at least as well as both baselines on every data set")


if __name__ == "__main__":
    main()
