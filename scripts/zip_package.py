"""Zip the fcnn package for the browser worker (pyscript.toml unpacks it with "./*").

The archive is built from the same files CPython imports, so there is one source.
Entries are sorted and timestamped fixed, so the same source gives the same bytes.
"""

import pathlib
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def build(target):
    target = pathlib.Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in (ROOT / "fcnn").rglob("*.py") if "__pycache__" not in p.parts)
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
