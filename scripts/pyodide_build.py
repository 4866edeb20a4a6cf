"""Build-time work done by the vendored Pyodide under Node: bytecode for the modules the page
imports, and the files such work writes (scripts/numpy_pycache.py, scripts/zip_package.py,
scripts/pyodide_snapshot.py).

Bytecode: Pyodide's Python never writes bytecode (its file system is new at every start), so every start
of the page compiled the modules it imports, numpy's (scripts/numpy_pycache.py) and fcnn's own
(scripts/zip_package.py), inside WebAssembly. This compiles them once, at build time, with the
same Python 3.12 (the same bytecode format), and with hash-checked invalidation (PEP 552):
Python uses a file only while the source beside it has the same hash, so a stale or foreign
file is ignored and the module is compiled from its source as before. Standard library only.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE = ROOT / "static" / "vendor" / "pyodide"
FIXED_DATE = (2020, 1, 1, 0, 0, 0)

# Runs in Node: the vendored Pyodide compiles a package, one mounted from the host at /src or
# numpy (loaded from the vendored wheel), and copies its .pyc files, by their path from the
# package's parent folder (numpy/…/__pycache__/x.cpython-312.pyc), to the host folder at /out.
COMPILE_MJS = """
import { loadPyodide } from "%(pyodide)s/pyodide.mjs";
const py = await loadPyodide({ indexURL: "%(pyodide)s/" });
const [src, out, name] = ["%(src)s", "%(out)s", "%(name)s"];
if (!src) await py.loadPackage("numpy", { messageCallback: () => {} });
for (const [dir, root] of [["/out", out], ["/src", src]]) {
  if (!root) continue;
  py.FS.mkdirTree(dir);
  py.FS.mount(py.FS.filesystems.NODEFS, { root }, dir);
}
py.globals.set("SRC", src);
py.globals.set("NAME", name);
py.runPython(`
import compileall, importlib.util, pathlib, py_compile, shutil
tree = pathlib.Path("/src", NAME) if SRC else pathlib.Path(importlib.util.find_spec(NAME).origin).parent
assert compileall.compile_dir(str(tree), quiet=1, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
for pyc in tree.rglob("*.pyc"):
    target = pathlib.Path("/out") / pyc.relative_to(tree.parent)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pyc, target)
`);
"""


def node_path():
    return shutil.which("node")


def require_pyodide():
    if not (PYODIDE / "pyodide.mjs").is_file():
        raise SystemExit(f"{PYODIDE} has no pyodide.mjs: run `make vendor` first")


def write_atomically(target: Path, data: bytes) -> Path:
    """`data` into `target`, whole or not at all (a reader never sees half a file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".tmp")
    partial.write_bytes(data)
    partial.replace(target)
    return target


def zip_bytes(entries: dict) -> bytes:
    """A zip of {name: bytes}, entries sorted and dated fixed: the same inputs give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name])
    return buffer.getvalue()


def ensure_built(target: Path, build):
    """`target`, built by `build(target)` once if it is missing (tests call this; `make vendor` rebuilds it)."""
    return target if target.is_file() else build(target)


def compile_in_pyodide(out: Path, work: Path, package: str = "numpy", source: Path | None = None) -> bool:
    """Compile ``package``, from the folder ``source`` (which holds the package's folder) or, when
    None, the vendored numpy, into ``out``: ``out/<package>/**/__pycache__/*.cpython-312.pyc``.
    ``work`` is a scratch folder. False, with nothing compiled, without Node."""
    node = node_path()
    if node is None:
        return False
    require_pyodide()
    script = work / "compile.mjs"
    script.write_text(COMPILE_MJS % {"pyodide": PYODIDE.as_posix(), "out": out.as_posix(), "name": package,
                                     "src": source.as_posix() if source else ""})
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([node, str(script)], check=True, cwd=work, stdout=subprocess.DEVNULL)
    return True
