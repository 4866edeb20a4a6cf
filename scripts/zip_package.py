"""Zip the fcnn package for the browser worker (pyscript.toml unpacks it with "./*").

The archive is built from the same files CPython imports, so there is one source.
It holds what the browser runs: the command line, the benchmark, the ONNX export and the facts
writer (run by `make vendor`, not by the page) stay out.
With Node it also holds their bytecode, compiled by the vendored Pyodide and hash-checked
(scripts/pyodide_build.py): the worker then imports fcnn without compiling it (about 0.17 s
of every start). Python uses a .pyc only while its source has the same hash.
Entries are sorted and timestamped fixed, so the same source gives the same bytes, and an
archive that already holds these sources is left as it is (tests and benches call `build`).
"""

import pathlib
import sys
import tempfile
import zipfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from pyodide_build import compile_in_pyodide, node_path, write_atomically, zip_bytes  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
# CPython-only modules: the page never imports them
NOT_IN_BROWSER = {
    "fcnn/__main__.py", "fcnn/cli.py", "fcnn/bench.py",
    "fcnn/web/facts.py", "fcnn/run/lessons.py",  # the facts writer: the page reads facts.json
    "fcnn/web/demo.py", "fcnn/web/notes.py",  # the demo folder is built in CPython
    "fcnn/run/export_onnx.py",  # needs the onnx package, which the page does not have
}


def browser_files():
    """The package's .py files that the worker imports, sorted."""
    files = (p for p in (ROOT / "fcnn").rglob("*.py") if "__pycache__" not in p.parts)
    return sorted(p for p in files if p.relative_to(ROOT).as_posix() not in NOT_IN_BROWSER)


def held(target):
    """({name: bytes} of the .py files in the archive at `target`, whether it holds bytecode too)."""
    try:
        with zipfile.ZipFile(target) as archive:
            names = archive.namelist()
            return {n: archive.read(n) for n in names if n.endswith(".py")}, any(n.endswith(".pyc") for n in names)
    except (OSError, zipfile.BadZipFile):
        return {}, False


def compiled_bytecode(sources):
    """{name: bytes} of the .pyc files the vendored Pyodide compiles from `sources` ({} without Node)."""
    with tempfile.TemporaryDirectory(prefix="fcnn-zip-") as tmp:
        work = pathlib.Path(tmp)
        for name, data in sources.items():
            (work / "src" / name).parent.mkdir(parents=True, exist_ok=True)
            (work / "src" / name).write_bytes(data)
        if not compile_in_pyodide(work / "out", work, package="fcnn", source=work / "src"):
            return {}
        return {p.relative_to(work / "out").as_posix(): p.read_bytes() for p in (work / "out").rglob("*.pyc")}


def build(target):
    target = pathlib.Path(target)
    files = browser_files()
    sources = {path.relative_to(ROOT).as_posix(): path.read_bytes() for path in files}
    held_sources, has_bytecode = held(target)
    if held_sources == sources and (has_bytecode or node_path() is None):
        print(f"{target} is up to date ({len(files)} files)")
        return
    entries = {**sources, **compiled_bytecode(sources)}
    write_atomically(target, zip_bytes(entries))
    print(f"wrote {target} ({len(files)} files, {len(entries) - len(files)} compiled)")


if __name__ == "__main__":
    build(sys.argv[1] if len(sys.argv) > 1 else ROOT / "static" / "vendor" / "fcnn.zip")
