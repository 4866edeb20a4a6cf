"""Command line.

    python -m fcnn train data.csv --target COL [--hidden 32,16 --activation relu
        --optimizer adam --lr 0.01 --epochs 200 --save model.json]
    python -m fcnn predict model.json new.csv > predictions.csv
    python -m fcnn trace data.csv --target COL [the train options] --rows 0,1,2,3 [--json]
    python -m fcnn export model.json [--onnx model.onnx] [--python model.py]
    python -m fcnn demo data.csv --target COL [the train options] [--title T] [--notes NOTES.md]
        [--hide CONTROL,…] --out DIR
    python -m fcnn lr-find data.csv --target COL [the train options] [--steps 200] [--json]
    python -m fcnn gradcheck

``train`` uses the app's defaults for every setting not given, except where
``--seed-config`` asks for the original project's (1×8 sigmoid, SGD, min-max,
no validation split).
"""

from __future__ import annotations

import argparse
import csv
import json
import pathlib
import sys
import time

from .tables import read_csv_text
from .errors import FcnnError
from .engine.gradcheck import check_all_node_kinds
from .run.columns import rows_for_model
from .run.model import load_model
from .run.experiment import Experiment
from .run.trace import parse_rows, trace_rows, trace_table
from .run.export_onnx import write_onnx
from .run.export_python import write_python
from .run.settings import CHOICES, DEFAULTS, MISSING_CHOICES, TrainingConfig
from .web.demo import build_demo_folder, hidden_controls
from .run.lr_find import find_for_table, range_table
from .engine.lr_finder import DEFAULT_STEPS, END_RATE, MAX_STEPS, MIN_STEPS, START_RATE

DEFAULT_CONFIG = TrainingConfig(target="")
GRADCHECK_TOLERANCE = 1e-5


def _layers(text):
    try:
        layers = [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of whole numbers, such as 32,16") from None
    if not layers or min(layers) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give each hidden layer's width as a whole number ≥ 1, such as 32,16")
    return layers


def add_training_options(parser):
    """The data and training settings, shared by ``train``, ``trace`` and ``lr-find`` so they see the run ``train`` would."""
    parser.add_argument("csv", help="CSV file (header row optional; comma, semicolon or tab)")
    parser.add_argument("--target", required=True, help="the column to predict")
    parser.add_argument("--features", help="comma-separated feature columns (default: all others)")
    parser.add_argument("--task", choices=CHOICES["task"], default=DEFAULT_CONFIG.task)
    parser.add_argument("--hidden", type=_layers, default=DEFAULT_CONFIG.hidden_layers,
                        help="hidden layer widths, e.g. 32,16 (default %(default)s)")
    parser.add_argument("--activation", choices=CHOICES["activation"], default=DEFAULT_CONFIG.activation)
    parser.add_argument("--optimizer", choices=CHOICES["optimizer"], default=DEFAULT_CONFIG.optimizer)
    parser.add_argument("--lr", type=float, default=DEFAULT_CONFIG.learning_rate, help="learning rate (default %(default)s)")
    parser.add_argument("--epochs", type=int, default=DEFAULT_CONFIG.epochs, help="epochs (default %(default)s)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_CONFIG.batch_size, help="mini-batch size (default %(default)s)")
    parser.add_argument("--l2", type=float, default=DEFAULT_CONFIG.weight_decay, help="L2 weight decay (default %(default)s)")
    parser.add_argument("--patience", type=int, default=DEFAULT_CONFIG.early_stopping,
                        help="early-stopping patience in epochs, 0 for none (default %(default)s)")
    parser.add_argument("--validation", type=float, default=DEFAULT_CONFIG.validation_fraction,
                        help="fraction of training rows held out for validation (default %(default)s)")
    parser.add_argument("--scaling", choices=CHOICES["scaling"], default=DEFAULT_CONFIG.scaling)
    parser.add_argument("--missing", choices=MISSING_CHOICES, default=DEFAULT_CONFIG.missing)
    parser.add_argument("--seed", type=int, default=DEFAULT_CONFIG.seed, help="random seed (default %(default)s)")
    parser.add_argument("--seed-config", action="store_true",
                        help="the original project's network: sigmoid, SGD, min-max scaling, no validation split")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m fcnn",
        description="fcnn: a fully connected network built as a node graph, trained on a CSV file.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    train = commands.add_parser("train", help="train on a CSV file and report test metrics")
    add_training_options(train)
    train.add_argument("--log-every", type=int, default=0, help="print the loss every N epochs (default: about 20 lines)")
    train.add_argument("--save", metavar="MODEL.json", help="write the trained model to this file")

    predict = commands.add_parser("predict", help="predict a CSV file's rows with a saved model; CSV on stdout")
    predict.add_argument("model", help="a model file saved by `train --save` or by the app")
    predict.add_argument("csv", help="CSV file with the model's feature columns (extra columns are ignored)")

    trace = commands.add_parser("trace", help="one mini-batch of the file's rows traced node by node, forward, backward and one step")
    add_training_options(trace)
    trace.add_argument("--rows", required=True, help="the mini-batch: row numbers of the data (0-based, the header not counted), e.g. 0,1,2,3; "
                       "the batch is these rows, whatever --batch-size says")
    trace.add_argument("--json", action="store_true", help="print the trace as one JSON object instead of a table")

    export = commands.add_parser("export", help="write a saved model as ONNX (needs the onnx package) or as one numpy-only Python file")
    export.add_argument("model", help="a model file saved by `train --save` or by the app")
    export.add_argument("--onnx", metavar="MODEL.onnx", help="an ONNX graph taking the raw feature columns")
    export.add_argument("--python", metavar="MODEL.py", help="a standalone Python file: python MODEL.py new.csv")

    demo = commands.add_parser("demo", help="a static folder of the app opening on this table, settings and notes (like make site)")
    add_training_options(demo)
    demo.add_argument("--title", help="the table's name in the page (default: the file's name)")
    demo.add_argument("--notes", metavar="NOTES.md", help="notes shown beside the data: Markdown (headings, lists, emphasis, code, links)")
    demo.add_argument("--hide", metavar="CONTROL,…", help="settings to hide, named as the link names them, e.g. optimizer,learning_rate")
    demo.add_argument("--out", required=True, help="the folder to write (replaced)")

    lr_find = commands.add_parser("lr-find", help="the learning-rate range test: the loss as the rate grows "
                                  f"from {START_RATE:g} to {END_RATE:g}, and a suggested rate")
    add_training_options(lr_find)
    lr_find.add_argument("--steps", type=int, default=DEFAULT_STEPS,
                         help=f"mini-batches to grow the rate over, {MIN_STEPS} to {MAX_STEPS} (default %(default)s)")
    lr_find.add_argument("--json", action="store_true", help="print the range test as one JSON object instead of a table")

    commands.add_parser("gradcheck", help="check every node's backward against central differences")
    return parser


def _config(args):
    if args.seed_config:
        args.activation, args.optimizer, args.scaling = "sigmoid", "sgd", "minmax"
        args.validation, args.patience = 0.0, 0
    features = None if not args.features else [f.strip() for f in args.features.split(",") if f.strip()]
    return TrainingConfig(
        target=args.target, features=features, task=args.task, hidden_layers=args.hidden,
        activation=args.activation, optimizer=args.optimizer, learning_rate=args.lr, epochs=args.epochs,
        batch_size=args.batch_size, weight_decay=args.l2, early_stopping=args.patience,
        validation_fraction=args.validation, seed=args.seed, scaling=args.scaling, missing=args.missing,
    )


def _read(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise FcnnError(f"cannot read {path!r}: {exc.strerror}; check the path") from None


def run_train(args, out):
    table = read_csv_text(_read(args.csv))
    experiment = Experiment(table, _config(args))
    cfg, data = experiment.config, experiment.data
    print(f"{args.csv}: {table.n_rows} rows; target {cfg.target} ({experiment.task}); "
          f"{len(data.features)} feature columns → {data.x_train.shape[1]} inputs; "
          f"train {len(data.x_train)} / test {len(data.x_test)} rows", file=out)
    for line in list(_report_lines(data)) + experiment.notes:
        print(f"note: {line}", file=out)
    layers = " → ".join(f"{cfg.activation}({h})" for h in cfg.hidden_layers)
    print(f"network: {data.x_train.shape[1]} → {layers} → {experiment.network.loss.name}; "
          f"{cfg.optimizer} lr {cfg.learning_rate}, batch {cfg.batch_size}, {cfg.epochs} epochs, seed {cfg.seed}", file=out)
    print(_loss_line(experiment), file=out)
    every = args.log_every if args.log_every > 0 else max(1, cfg.epochs // 20)
    started = time.perf_counter()
    trainer = experiment.trainer
    scale, number = experiment.loss_scale, "{:.6g}" if experiment.task == "regression" else "{:.6f}"
    while not trainer.finished:
        for r in experiment.train_for(max_epochs=every):
            if r.epoch % every == 0 or r.epoch == 1 or (trainer.finished and r.epoch == trainer.epoch):
                val = "" if r.val_loss is None else f"  val {number.format(r.val_loss * scale)}"
                print(f"epoch {r.epoch:>6}  loss {number.format(r.train_loss * scale)}{val}", file=out)
    if trainer.stop_reason == "diverged":
        raise FcnnError(f"the loss became infinite or NaN in epoch {trainer.epoch + 1}; lower the learning rate (now {cfg.learning_rate}) and train again")
    if trainer.stop_reason == "early_stopping":
        print(f"early stopping: best validation loss at epoch {trainer.best_epoch}; its weights are kept", file=out)
    print(f"trained in {time.perf_counter() - started:.2f} s", file=out)
    metrics = experiment.test_metrics()
    if experiment.task == "regression":
        print(f"test R2 {metrics['r2']:.4f}  RMSE {metrics['rmse']:.4f}  MAE {metrics['mae']:.4f}", file=out)
    else:
        print(f"test accuracy {metrics['accuracy']:.4f}  log-loss {metrics['log_loss']:.4f}", file=out)
    if args.save:
        experiment.model().save(args.save)
        print(f"saved the model to {args.save}", file=out)
    return 0


def _report_lines(data):
    """The preparation's figures that are not empty, "key: value" each (its notes are printed one by one)."""
    for key, value in data.report.to_dict().items():
        if value and key != "notes":
            yield f"{key}: {value}"


def _loss_line(experiment):
    """What the printed losses are: a regression network trains on its target scaled (the page's
    chart shows the same numbers), and the loss is printed converted to the target's units²."""
    if experiment.task != "regression":
        return f"loss: {experiment.loss_label} (val: the same on the {experiment.held_out} rows)"
    target = experiment.config.target
    return (f"loss: {experiment.loss_label} (val: the same on the {experiment.held_out} rows); the network trains on "
            f"{target} scaled, where the loss is this ÷ {experiment.loss_scale:.6g}")


def run_predict(args, out):
    model = load_model(args.model)
    table = read_csv_text(_read(args.csv))
    rows = rows_for_model(table, model.feature_columns, args.csv).rows
    predictions = model.predict(rows)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns + [f"predicted_{model.target}"])
    for row, value in zip(table.rows, predictions):
        writer.writerow(row + [repr(float(value)) if model.task == "regression" else value])
    return 0


def run_trace(args, out):
    rows = parse_rows(args.rows)
    table = read_csv_text(_read(args.csv))
    trace, experiment = trace_rows(table, _config(args), rows)
    if args.json:
        document = {"rows": rows, "task": experiment.task, "input_names": list(experiment.data.input_names),
                    **trace.to_dict()}
        json.dump(document, out)
        print(file=out)
    else:
        for line in trace_table(trace, rows):
            print(line, file=out)
    return 0


def run_export(args, out):
    if not args.onnx and not args.python:
        raise FcnnError("say what to write: --onnx MODEL.onnx, --python MODEL.py, or both")
    model = load_model(args.model)
    if args.onnx:
        write_onnx(model, args.onnx)
        print(f"wrote {args.onnx}: inputs {', '.join(model.pipeline.input_names)}", file=out)
    if args.python:
        write_python(model, args.python)
        print(f"wrote {args.python}: python {args.python} new.csv > predictions.csv", file=out)
    return 0


def run_demo(args, out):
    config = _config(args)
    settings = {key: getattr(config, key) for key in DEFAULTS if key != "sample"}
    notes = _read(args.notes).decode("utf-8-sig") if args.notes else ""
    name = pathlib.Path(args.csv).name
    build_demo_folder(_read(args.csv), name, settings, args.out, title=args.title or name, notes=notes,
                      hide=hidden_controls(args.hide))
    print(f"wrote {args.out}: serve it with  python -m http.server --directory {args.out}", file=out)
    return 0


def run_lr_find(args, out):
    table = read_csv_text(_read(args.csv))
    test, experiment = find_for_table(table, _config(args), args.steps)
    if args.json:
        json.dump({"task": experiment.task, **test.to_dict()}, out)
        print(file=out)
    else:
        for line in range_table(test):
            print(line, file=out)
    return 0


def run_gradcheck(_args, out):
    worst = 0.0
    for title, checks in check_all_node_kinds().items():
        print(title, file=out)
        for c in checks:
            print(f"  {c.node:<24} {c.kind:<26} max relative error {c.max_relative_error:.2e}", file=out)
            worst = max(worst, c.max_relative_error)
    ok = worst < GRADCHECK_TOLERANCE
    print(f"largest relative error {worst:.2e}: {'ok' if ok else 'FAILED'} (tolerance {GRADCHECK_TOLERANCE:g})", file=out)
    return 0 if ok else 1


# each command's handler: handler(args, out) prints to ``out`` and returns the exit status
COMMANDS = {
    "train": run_train, "predict": run_predict, "trace": run_trace, "export": run_export, "demo": run_demo,
    "lr-find": run_lr_find, "gradcheck": run_gradcheck,
}


def main(argv=None, out=None):
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args, out)
    except FcnnError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
