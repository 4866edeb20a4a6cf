#!/usr/bin/env python3
"""Compile numpy's modules once, at build time, for the browser: static/vendor/numpy-pycache.zip.

    python scripts/numpy_pycache.py [OUT]

numpy's Pyodide wheel holds Python sources only, so every start of the page compiled about
170 modules to bytecode inside WebAssembly before `import numpy` finished (in Pyodide under
Node: `import numpy` took 2.2x as long without the compiled files as with them). This script
runs the vendored Pyodide itself under Node (the same Python 3.12 and bytecode format), loads
the vendored numpy wheel and compiles its modules with hash-checked invalidation
(PEP 552): Python uses a file only while the source beside it has the same hash, so a
stale or foreign file is ignored and the module is compiled from source as before.

The archive holds ``numpy/**/__pycache__/*.cpython-312.pyc``, entries sorted and dated fixed
(the same inputs give the same bytes). static/js/pyodide-start.mjs unpacks it into
site-packages right after numpy is installed. Without Node the archive is written empty, and
the page starts as it did (slower). Standard library only.
"""

from __future__ import annotations

import io
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pyodide_build import compile_in_pyodide, ensure_built, require_pyodide, write_atomically, zip_bytes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "vendor" / "numpy-pycache.zip"


def compile_with_node(folder: Path) -> bool:
    """numpy's .pyc files into `folder`/out, compiled by the vendored Pyodide; False without Node."""
    if not compile_in_pyodide(folder / "out", folder):
        print("[pycache] Node.js not found: numpy-pycache.zip is left empty (the page compiles numpy at start)")
        return False
    return True


def archive_bytes(out_folder: Path | None) -> bytes:
    pycs = sorted(out_folder.rglob("*.pyc")) if out_folder else []
    return zip_bytes({path.relative_to(out_folder).as_posix(): path.read_bytes() for path in pycs})


def build(target: Path | str = OUT) -> Path:
    target = Path(target)
    require_pyodide()
    with tempfile.TemporaryDirectory(prefix="fcnn-pycache-") as tmp:
        compiled = compile_with_node(Path(tmp))
        data = archive_bytes(Path(tmp) / "out" if compiled else None)
    write_atomically(target, data)
    count = len(zipfile.ZipFile(io.BytesIO(data)).namelist())
    print(f"[pycache] wrote {target} ({count} compiled modules, {len(data) / 1e6:.1f} MB)")
    return target


def ensure(target: Path | str = OUT) -> Path:
    """The archive, built once if it is missing (tests call this; `make vendor` rebuilds it)."""
    return ensure_built(Path(target), build)


if __name__ == "__main__":
    build(sys.argv[1] if len(sys.argv) > 1 else OUT)
