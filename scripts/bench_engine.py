"""The engine's speed without a page: the seed's configuration, the throughput run and a
trace step of a 10-layer × 512-unit network, each through the Session as the worker calls it.
Runs in CPython and in the vendored Pyodide under Node (the worker's WebAssembly numpy):

    .venv/bin/python scripts/bench_engine.py [/tmp/big20k.csv]
    node scripts/pyodide_node.mjs scripts/bench_engine.py      (reads /tmp/big20k.csv)

Times are the process's CPU seconds (Node: process.cpuUsage), steadier than wall time on a
shared machine; compare runs made at the same moment. The throughput and trace figures
need a 20,000 × 20 table with a numeric column "y" (skipped without it). A benchmark: it
prints figures and asserts nothing about speed.
"""

import json
import os
import statistics
import sys
import time

REPOSITORY = globals().get("REPOSITORY") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPOSITORY)

from fcnn.web.session import Session  # noqa: E402

SEED = dict(target="MEDV", hidden_layers=[8], activation="sigmoid", optimizer="sgd", batch_size=8,
            learning_rate=0.0008, epochs=500, scaling="minmax", early_stopping=False, validation_fraction=0.0)
THROUGHPUT = dict(target="y", hidden_layers=[64, 64], activation="relu", optimizer="adam", batch_size=256,
                  learning_rate=0.003, epochs=3, early_stopping=False)
DEEP = dict(target="y", hidden_layers=[512] * 10, activation="relu", optimizer="adam", batch_size=32,
            learning_rate=0.001, epochs=5, early_stopping=False)


def cpu_seconds():
    if sys.platform == "emscripten":
        import js  # Node's process: the CPU time of the whole runtime

        used = js.process.cpuUsage()
        return (used.user + used.system) / 1e6
    return time.process_time()


def session_with(path, config):
    session = Session()
    with open(path) as file:
        session.load_csv(file.read(), os.path.basename(path))
    answer = json.loads(session.start(json.dumps(config)))
    assert answer["ok"], answer
    return session


def train_seconds(path, config):
    """(CPU seconds from Train to done, in slices of 80 ms as the worker trains; rows trained on)."""
    session = session_with(path, config)
    start = cpu_seconds()
    while not json.loads(session.train_for(80))["finished"]:
        pass
    return cpu_seconds() - start, session.experiment.trainer.n_train * config["epochs"]


def trace_seconds(path, repeats=3):
    """CPU seconds of Session.trace_next_batch on the 10 × 512 network, batch 32 (the fastest of ``repeats``)."""
    session = session_with(path, DEEP)
    times = []
    for _ in range(repeats):
        start = cpu_seconds()
        assert json.loads(session.trace_next_batch())["ok"]
        times.append(cpu_seconds() - start)
    return min(times)


def main(big_path):
    seed = [train_seconds(os.path.join(REPOSITORY, "static", "data", "boston.csv"), SEED)[0] for _ in range(3)]
    lines = [f"{sys.platform}: seed configuration {statistics.median(seed):.3f} s (median of 3; "
             f"{', '.join(f'{t:.3f}' for t in seed)})"]
    if os.path.exists(big_path):
        seconds, rows = train_seconds(big_path, THROUGHPUT)
        lines.append(f"{sys.platform}: throughput {rows / seconds:,.0f} samples/s (2×64 relu, Adam, batch 256)")
        lines.append(f"{sys.platform}: trace_next_batch 10×512, batch 32: {trace_seconds(big_path) * 1e3:.0f} ms")
    else:
        lines.append(f"{big_path} is missing: no throughput or trace figures")
    return "\n".join(lines)


result = main(sys.argv[1] if len(sys.argv) > 1 and sys.platform != "emscripten" else "/tmp/big20k.csv")
if sys.platform != "emscripten":
    print(result)
result
