"""Command line: ``python -m fcnn train data.csv --target COLUMN …``."""

from __future__ import annotations

import argparse
import sys
import time

from .data import read_csv_text
from .errors import FcnnError
from .training import RegressionRun, TrainingConfig

DEFAULTS = TrainingConfig(target="")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m fcnn",
        description="fcnn: a fully connected network built as a node graph, trained on a CSV file.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    train = commands.add_parser("train", help="train on a CSV file and report the test R²")
    train.add_argument("csv", help="CSV file with a header row and numeric columns")
    train.add_argument("--target", required=True, help="the column to predict")
    train.add_argument("--hidden", type=int, default=DEFAULTS.hidden_units, help="hidden units (default %(default)s)")
    train.add_argument("--epochs", type=int, default=DEFAULTS.epochs, help="epochs (default %(default)s)")
    train.add_argument("--batch-size", type=int, default=DEFAULTS.batch_size, help="mini-batch size (default %(default)s)")
    train.add_argument("--lr", type=float, default=DEFAULTS.learning_rate, help="learning rate (default %(default)s)")
    train.add_argument("--seed", type=int, default=DEFAULTS.seed, help="random seed (default %(default)s)")
    train.add_argument("--log-every", type=int, default=0, help="print the loss every N epochs (default: about 20 lines)")
    return parser


def run_train(args, out):
    try:
        with open(args.csv, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        raise FcnnError(f"cannot read {args.csv!r}: {exc.strerror}; check the path") from None
    table = read_csv_text(raw)
    config = TrainingConfig(args.target, args.hidden, args.lr, args.epochs, args.batch_size, args.seed)
    run = RegressionRun(table, config)
    cfg = run.config
    print(
        f"{args.csv}: {table.n_rows} rows, {len(run.feature_names)} features, target {cfg.target}; "
        f"train {len(run.train_idx)} / test {len(run.test_idx)} rows",
        file=out,
    )
    print(
        f"network: {len(run.feature_names)} → linear → sigmoid({cfg.hidden_units}) → linear → MSE; "
        f"SGD lr {cfg.learning_rate}, batch {cfg.batch_size}, {cfg.epochs} epochs, seed {cfg.seed}",
        file=out,
    )
    every = args.log_every if args.log_every > 0 else max(1, cfg.epochs // 20)
    started = time.perf_counter()
    while not run.finished:
        for record in run.train_for(max_epochs=every):
            if record.epoch % every == 0 or record.epoch == 1 or record.epoch == cfg.epochs:
                print(f"epoch {record.epoch:>6}  loss {record.loss:.6f}", file=out)
    _, _, r2 = run.test_results()
    print(f"trained in {time.perf_counter() - started:.2f} s", file=out)
    print(f"test R2 {r2:.4f}", file=out)
    return 0


def main(argv=None, out=None):
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        return run_train(args, out)
    except FcnnError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
