"""Zip the fcnn package for the browser worker (pyscript.toml unpacks it with "./*").

The archive is built from the same files CPython imports, so there is one source.
It holds what the browser runs: the command line, the benchmark, the ONNX export and the facts
writer (run by `make vendor`, not by the page) stay out.
Entries are sorted and timestamped fixed, so the same source gives the same bytes.
"""

import pathlib
import sys
import zipfile

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


def build(target):
    target = pathlib.Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    files = browser_files()
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(ROOT).as_posix(), date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    tmp.replace(target)
    print(f"wrote {target} ({len(files)} files)")


if __name__ == "__main__":
    build(sys.argv[1] if len(sys.argv) > 1 else ROOT / "static" / "vendor" / "fcnn.zip")
