#!/usr/bin/env python3
"""Boot the vendored Pyodide once, at build time, and keep its memory: static/vendor/pyodide-snapshot.bin.

    python scripts/pyodide_snapshot.py [OUT]

Most of a first start of the page is Python initialising itself inside WebAssembly (2.9 s of a
5.3 s cold start here, in scripts/bench_startup.py), and the result is the same on every visit
and every machine. static/js/pyodide-start.mjs restores a copy of that memory instead of
booting (Pyodide's `_loadSnapshot`); until now the copy was made by the browser at its first
visit, so only later visits had it. This script makes the same copy with the same files under
Node (Pyodide's `_makeSnapshot` and `makeMemorySnapshot()`, right after boot, before any
package or Python code of ours runs), so the first visit restores it too.

Pyodide refuses a snapshot of another build (its BUILD_ID) and the page then boots in full, so
a stale file can only cost time. Without Node the file is written empty, and the page boots in
full at its first visit and snapshots itself, as before. Standard library only.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pyodide_build import PYODIDE, ensure_built, node_path, require_pyodide, write_atomically  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "vendor" / "pyodide-snapshot.bin"

# Runs in Node: the vendored Pyodide booted with no options but the snapshot's, as the page's
# worker boots it (static/js/pyodide-start.mjs), and its memory written out.
SNAPSHOT_MJS = """
import { loadPyodide } from "%(pyodide)s/pyodide.mjs";
import { writeFileSync } from "fs";
const py = await loadPyodide({ indexURL: "%(pyodide)s/", _makeSnapshot: true });
writeFileSync(process.argv[2], py.makeMemorySnapshot());
"""


def snapshot_with_node(folder: Path) -> bytes:
    """The booted Pyodide's memory, made under Node; empty without Node."""
    node = node_path()
    if node is None:
        print("[snapshot] Node.js not found: pyodide-snapshot.bin is left empty (the page boots Pyodide in full)")
        return b""
    script, out = folder / "snapshot.mjs", folder / "snapshot.bin"
    script.write_text(SNAPSHOT_MJS % {"pyodide": PYODIDE.as_posix()})
    subprocess.run([node, str(script), str(out)], check=True, cwd=folder, stdout=subprocess.DEVNULL)
    return out.read_bytes()


def build(target: Path | str = OUT) -> Path:
    target = Path(target)
    require_pyodide()
    with tempfile.TemporaryDirectory(prefix="fcnn-snapshot-") as tmp:
        data = snapshot_with_node(Path(tmp))
    write_atomically(target, data)
    print(f"[snapshot] wrote {target} ({len(data) / 1e6:.1f} MB)")
    return target


def ensure(target: Path | str = OUT) -> Path:
    """The snapshot, made once if it is missing (tests call this; `make vendor` remakes it)."""
    return ensure_built(Path(target), build)


if __name__ == "__main__":
    build(sys.argv[1] if len(sys.argv) > 1 else OUT)
