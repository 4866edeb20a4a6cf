"""Benchmarks, outside the test suite: ``python -m fcnn.bench [--quick]``.

1. Speed on the seed's configuration (Boston, 1×8 sigmoid, SGD, batch 8,
   lr 0.0008, 500 epochs, min-max features, 7:3 split with seed 20): fcnn
   against scikit-learn's MLPRegressor set up identically, in one process,
   alternating runs and keeping each one's best time. Prints both times,
   their ratio and both R².
2. Throughput: samples per second on a synthetic 100,000 × 20 regression
   with 2×64 relu, Adam, batch 256.
3. Accuracy side by side (see ``accuracy_table``).

scikit-learn is optional (``pip install scikit-learn``); without it only the
fcnn columns are printed.
"""

from __future__ import annotations

import argparse
import pathlib
import time
import warnings

import numpy as np

from .tables import MinMaxScaler, TargetScaler, numeric_matrix, read_csv_text, train_test_split
from .run.experiment import Experiment
from .run.metrics import r2_score as r2
from .run.settings import DEFAULTS, TrainingConfig
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
    accuracy_table(splits=2 if args.quick else 5, seeds=2 if args.quick else 5, have_sklearn=have_sklearn)
    if limiter is not None:
        limiter.restore_original_limits()



# -- 3. accuracy side by side ---------------------------------------------------------

def app_defaults_config(target, split_seed, seed):
    """The page's settings (settings.DEFAULTS) for ``target``, with the run's own seeds."""
    chosen = {k: v for k, v in DEFAULTS.items() if k not in ("sample", "target")}
    return TrainingConfig(target, **{**chosen, "seed": seed, "split_seed": split_seed})


def _experiment(table, target, split_seed, seed):
    experiment = Experiment(table, app_defaults_config(target, split_seed, seed))
    experiment.train_for()
    return experiment


def _sklearn_score(experiment, seed):
    """MLP on exactly the rows fcnn trained and tested on, standardised like sklearn users do."""
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.preprocessing import StandardScaler

    data = experiment.data
    x_train, x_test = data.x_train, data.x_test  # already standardised on the training rows
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if experiment.task == "regression":
            y_scaler = StandardScaler().fit(np.asarray(data.target_train).reshape(-1, 1))
            model = MLPRegressor(hidden_layer_sizes=_app_layers(), activation="relu", solver="adam",
                                 early_stopping=True, random_state=seed, max_iter=1000)
            model.fit(x_train, y_scaler.transform(np.asarray(data.target_train).reshape(-1, 1))[:, 0])
            predicted = y_scaler.inverse_transform(model.predict(x_test).reshape(-1, 1))[:, 0]
            return r2(data.target_test, predicted)
        model = MLPClassifier(hidden_layer_sizes=_app_layers(), activation="relu", solver="adam",
                              early_stopping=True, random_state=seed, max_iter=1000)
        model.fit(x_train, data.target_train)
        return float(np.mean(model.predict(x_test) == data.target_test))


def _app_layers():
    """The app's hidden layers, which the scikit-learn baseline gets too."""
    return tuple(DEFAULTS["hidden_layers"])


def accuracy_table(splits=5, seeds=5, have_sklearn=True):
    """Mean test score over splits × weight seeds, with the app's default settings."""
    print(f"3. App defaults over {splits} splits (7:3) × {seeds} weight seeds; "
          f"scikit-learn MLP {_app_layers()} relu adam early_stopping on the same rows")
    print(f"   {'data set':<10} {'metric':<9} {'fcnn':>8} {'sklearn':>8} {'diff':>8}")
    for name, target, metric in (("boston", "MEDV", "R²"), ("iris", "species", "accuracy"), ("wine", "class", "accuracy")):
        table = read_csv_text((DATA / f"{name}.csv").read_bytes())
        ours, theirs = [], []
        for split in range(splits):
            for seed in range(seeds):
                experiment = _experiment(table, target, split_seed=100 + split, seed=seed)
                scores = experiment.test_metrics()
                ours.append(scores["r2"] if metric == "R²" else scores["accuracy"])
                if have_sklearn:
                    theirs.append(_sklearn_score(experiment, seed))
        mean_ours = float(np.mean(ours))
        if have_sklearn:
            mean_theirs = float(np.mean(theirs))
            print(f"   {name:<10} {metric:<9} {mean_ours:8.4f} {mean_theirs:8.4f} {mean_ours - mean_theirs:+8.4f}")
        else:
            print(f"   {name:<10} {metric:<9} {mean_ours:8.4f} {'–':>8}")


if __name__ == "__main__":
    main()
