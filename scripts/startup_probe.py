"""What scripts/bench_startup.py watches in a page while it starts, and where the time went.

* ``READY_PROBE`` runs before any page script and notes, as ``performance.now()`` (ms since
  navigation start): when the page marks itself ready (``body[data-ready-ms]``), when the
  controls are usable (the sample list and the file input enabled), and when the first epoch
  is on screen (the epoch counter leaves 0). With ``window.fcnnBenchTrain`` set it also
  presses Train as soon as it is enabled, as a user opening a link would.
* ``ServerLog`` is ``python -m http.server`` with its request log kept, so the bench can
  count how often each runtime file was sent: a preload the worker reuses is sent once.
* ``stages`` reads the worker's start-up marks (its ``startup_marks`` export) and the page's
  resource timing, on one clock, for the "where the time goes" table.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from site_support import StaticServer  # noqa: E402

READY_PROBE = """
(() => {
  const body = () => document.body;
  const enabled = (id) => { const e = document.getElementById(id); return e !== null && !e.disabled; };
  const check = () => {
    const now = performance.now();
    if (window.__readyAt === undefined && body() && body().dataset.readyMs !== undefined) window.__readyAt = now;
    if (window.__controlsAt === undefined && enabled("sample-select") && enabled("file-input")) window.__controlsAt = now;
    const counter = document.getElementById("epoch-counter");
    if (window.__firstEpochAt === undefined && counter && Number(counter.textContent) > 0) window.__firstEpochAt = now;
    if (window.fcnnBenchTrain && window.__trainPressedAt === undefined && enabled("train-button")) {
      window.__trainPressedAt = now;
      document.getElementById("train-button").click();
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
})();
"""

# the worker's start-up marks, once the engine is ready (fcnn/web/worker.py: startup_marks)
READ_MARKS = """async () => {
  const script = document.querySelector('script[type="py"][worker]');
  if (!script || !script.xworker || typeof script.xworker.sync.startup_marks !== "function") return [];
  try {
    const marks = JSON.parse(await script.xworker.sync.startup_marks());
    return marks.map((m) => ({ name: m.name, at: m.at - performance.timeOrigin }));
  } catch (_) {
    return []; // a worker without the export (an older build measured as app-before)
  }
}"""

# the page's own resource timing: when each file the start needs was asked for and arrived
READ_RESOURCES = """() => performance.getEntriesByType("resource").map((r) => ({
  name: new URL(r.name).pathname, start: r.startTime, end: r.responseEnd }))"""

# the files a start fetches, in the order they are needed; named by their path's end
KEY_FILES = (
    "index.html", "core.js", "app.js", "pyscript.toml", "pyodide-start.mjs", "pyodide.mjs", "pyodide.asm.js",
    "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json", ".whl", "numpy-pycache.zip", "fcnn.zip", "worker.py",
    "facts.json", "pyodide-snapshot.bin",
)
LOG_LINE = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d+)')


class ServerLog(StaticServer):
    """`python -m http.server` on 127.0.0.1 serving one folder, its request log kept."""

    def __init__(self, directory: Path, port: int, log_path: Path):
        self.log_path = log_path
        self.log = open(log_path, "w")
        super().__init__(directory, port, log=self.log)

    def mark(self) -> int:
        """The log's length now: `sent_since` counts what was sent after it."""
        self.log.flush()
        return self.log_path.stat().st_size

    def sent_since(self, offset: int) -> dict[str, list[int]]:
        """{path: [HTTP status of each answer]} for the requests logged after `offset`."""
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            f.seek(offset)
            text = f.read()
        sent: dict[str, list[int]] = {}
        for path, status in LOG_LINE.findall(text):
            sent.setdefault(path.split("?")[0], []).append(int(status))
        return sent

    def stop(self) -> None:
        super().stop()
        self.log.close()


def key_name(path: str) -> str | None:
    for name in KEY_FILES:
        if path.endswith(name) or (path == "/" and name == "index.html"):
            return name
    return None


def stages(page) -> list[tuple[str, float]]:
    """[(what, ms since navigation start)] for one start: the key files' arrival (first fetch),
    then the worker's marks; sorted by time."""
    rows: dict[str, float] = {}
    for entry in page.evaluate(READ_RESOURCES):
        name = key_name(entry["name"])
        if name and f"{name} fetched" not in rows:
            rows[f"{name} fetched"] = entry["end"]
    for mark in page.evaluate(READ_MARKS):
        rows[mark["name"]] = mark["at"]
    return sorted(rows.items(), key=lambda item: item[1])


def runtime_sends(sent: dict[str, list[int]]) -> dict[str, str]:
    """{runtime file: how it was sent, e.g. '200' or '200 304'} for the files a start needs."""
    out = {}
    for path, statuses in sorted(sent.items()):
        name = key_name(path)
        if name and name not in ("index.html",):
            out[name] = " ".join(str(s) for s in statuses)
    return out


def dump(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n")
