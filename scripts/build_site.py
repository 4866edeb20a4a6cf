#!/usr/bin/env python3
"""Build ``dist/site/``: the one folder to put on any static host.

    python scripts/build_site.py            # -> dist/site/
    python scripts/build_site.py --out DIR

It copies exactly the files the page needs (see ``collect``), then writes

* ``sw.js``: the service worker (from ``scripts/site/sw.js``) with the build
  version and the precache manifest (every file of the site with its size and
  sha256) written into it. The version is a hash of all the other files, so
  any change to any file gives a new service worker, and the browser replaces
  the old cache with a new one;
* ``index.html``: the repository's page plus a ``<meta name="fcnn-site">``
  marker (``static/js/offline.js`` registers the service worker only when it
  sees it, so the repository served by ``make serve`` never gets one),
  ``<link rel="modulepreload">`` hints for the PyScript chunks and the page's
  own modules (the browser fetches the whole graph at once instead of one
  import level at a time), and ``static/js/preload-runtime.js`` with the files
  the engine's worker fetches (preloaded on a visit the service worker does
  not serve).

The folder needs no special headers: serve it with ``python -m http.server``
or put it on GitHub Pages as it is. Standard library only.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SW_TEMPLATE = Path(__file__).resolve().parent / "site" / "sw.js"
VENDOR = "static/vendor"

# The Pyodide files the worker fetches. The loader and lock file name the rest:
# pyodide.mjs loads pyodide.asm.js, pyodide.asm.wasm, python_stdlib.zip and
# pyodide-lock.json from its own folder; packages come from the same folder.
# With `packages_cache = "passthrough"` (pyscript.toml) numpy is loaded straight
# from the lock file, so micropip and packaging are not needed.
PYODIDE_RUNTIME = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
# Not fetched, but carried for the licence record (npm pyodide has no LICENSE file;
# package.json names MPL-2.0).
PYODIDE_NOTICES = ("package.json",)

# The PyScript chunks core.js imports while the page starts (seen in the
# request log of a page load). They get <link rel="modulepreload"> so the
# browser fetches them in parallel instead of one import level at a time.
START_CHUNKS = ("core-", "deprecations-manager-", "donkey-", "error-", "py-editor-", "py-game-", "py-terminal-")

# The page's own module scripts: their static imports, all of them, get <link rel="modulepreload">.
PAGE_MODULES = ("static/js/app.js", "static/js/offline.js")
# (not `import(...)`: what a module imports when it is needed stays out)
STATIC_IMPORT_RE = re.compile(r'^[ \t]*(?:import|export)\s[^;"\'()]*?["\'](\.{1,2}/[^"\']+)["\']', re.M)
# What the worker fetches to start, besides PyScript's own: preloaded from the page (see
# static/js/preload-runtime.js). The numpy wheel and other packages are added from the lock file.
# Not pyodide.asm.wasm: at 10 MB it was sent twice in scripts/bench_startup.py's fresh browser
# (its HTTP cache did not keep the preloaded copy for the worker), so preloading it only
# doubled the largest download.
WORKER_START = (
    "static/js/pyodide-start.mjs", f"{VENDOR}/pyodide/pyodide.mjs", f"{VENDOR}/pyodide/pyodide.asm.js",
    f"{VENDOR}/pyodide/python_stdlib.zip", f"{VENDOR}/pyodide/pyodide-lock.json",
    f"{VENDOR}/fcnn.zip", f"{VENDOR}/numpy-pycache.zip",
)

MARKER_META = '<meta name="fcnn-site" content="static build">'
SW_BUILD_RE = re.compile(r"/\*BUILD\*/.*?/\*END\*/", re.S)


class BuildError(Exception):
    pass


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_config_packages(toml_text: str) -> list[str]:
    """The `packages = [...]` list of pyscript.toml (tomllib is 3.11+, so parse the one line)."""
    match = re.search(r"^packages\s*=\s*\[(.*?)\]", toml_text, re.M | re.S)
    return re.findall(r'"([^"]+)"', match.group(1)) if match else []


def uses_micropip(toml_text: str) -> bool:
    match = re.search(r'^packages_cache\s*=\s*"([^"]*)"', toml_text, re.M)
    return not (match and match.group(1) == "passthrough")


def pyscript_closure(folder: Path) -> list[str]:
    """core.js and every chunk it can import, statically or dynamically, by file name."""
    seen: list[str] = []
    todo = ["core.js"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = folder / name
        if not path.is_file():
            raise BuildError(f"{folder}/{name} is missing (imported by PyScript); run `make vendor`")
        seen.append(name)
        todo += re.findall(r'["\']\./([A-Za-z0-9_.-]+\.js)["\']', path.read_text(encoding="utf-8"))
    return sorted(seen)


def collect(root: Path = ROOT) -> dict[str, Path]:
    """{path in the site: source file}: exactly what the page needs, nothing else."""
    vendor = root / VENDOR
    if not (vendor / ".stamp").is_file():
        raise BuildError(f"{vendor} is not built: run `make vendor` first")
    files: dict[str, Path] = {}

    def add(rel: str, src: Path | None = None) -> None:
        src = src or root / rel
        if not src.is_file():
            raise BuildError(f"missing {src}")
        files[rel] = src

    for rel in ("index.html", "pyscript.toml", "manifest.webmanifest", "fcnn/web/worker.py"):
        add(rel)
    # the page's own code, styles, icons and sample data (with its licence and notes)
    for sub in ("static/js", "static/css", "static/data", "static/icons"):
        for p in sorted((root / sub).rglob("*")):
            if p.is_file() and not p.name.startswith("."):
                add(p.relative_to(root).as_posix(), p)
    add("static/favicon.svg")
    add(f"{VENDOR}/fcnn.zip")
    add(f"{VENDOR}/numpy-pycache.zip")  # numpy's compiled modules (scripts/numpy_pycache.py)
    add(f"{VENDOR}/pyodide-snapshot.bin")  # the booted Pyodide's memory (scripts/pyodide_snapshot.py)
    add(f"{VENDOR}/facts.json")  # the defaults, limits, choices and samples the page builds its controls from

    # uPlot: the script and style the page links, and its licence
    for name in ("uPlot.iife.min.js", "uPlot.min.css", "LICENSE"):
        add(f"{VENDOR}/uplot/{name}")

    # dagre: the Graph view's layout, imported when the view first draws, and its licence
    for name in ("dagre.esm.js", "LICENSE"):
        add(f"{VENDOR}/dagre/{name}")

    # PyScript: core.js, all it can import, and its licence
    for name in pyscript_closure(vendor / "pyscript"):
        add(f"{VENDOR}/pyscript/{name}")
    add(f"{VENDOR}/pyscript/core.css")
    add(f"{VENDOR}/pyscript/LICENSE")

    # Pyodide: the runtime and the wheels of the packages pyscript.toml asks for
    toml_text = (root / "pyscript.toml").read_text(encoding="utf-8")
    lock = json.loads((vendor / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    for name in PYODIDE_RUNTIME + PYODIDE_NOTICES:
        add(f"{VENDOR}/pyodide/{name}")
    wanted = read_config_packages(toml_text) + (["micropip", "packaging"] if uses_micropip(toml_text) else [])
    for package in _with_dependencies(wanted, lock):
        add(f"{VENDOR}/pyodide/{lock['packages'][package]['file_name']}")
    return files


def _with_dependencies(names: list[str], lock: dict) -> list[str]:
    out: list[str] = []
    todo = [n.lower() for n in names]
    while todo:
        name = todo.pop()
        if name in out:
            continue
        if name not in lock["packages"]:
            raise BuildError(f"package {name!r} is not in pyodide-lock.json")
        out.append(name)
        todo += lock["packages"][name].get("depends", [])
    return sorted(out)


def site_version(entries: dict[str, str], worker: str = "") -> str:
    """One hash of every (path, sha256) and of the service worker's code: changes whenever
    any file of the site changes."""
    text = "\n".join(f"{rel} {digest}" for rel, digest in sorted(entries.items()))
    text += "\nsw.js " + sha256_bytes(worker.encode())
    return sha256_bytes(text.encode())[:16]


def module_closure(files: dict[str, Path], entries: tuple[str, ...]) -> list[str]:
    """The site paths of every module the entries import statically, the entries left out."""
    seen: set[str] = set()
    todo = list(entries)
    while todo:
        rel = todo.pop()
        if rel in seen or rel not in files:
            continue
        seen.add(rel)
        folder = Path(rel).parent
        for spec in STATIC_IMPORT_RE.findall(files[rel].read_text(encoding="utf-8")):
            todo.append(os.path.normpath(folder / spec).replace(os.sep, "/"))
    return sorted(seen - set(entries))


def preload_links(files: dict[str, Path]) -> str:
    names = sorted(
        rel for rel in files
        if rel.startswith(f"{VENDOR}/pyscript/") and Path(rel).name.startswith(START_CHUNKS)
    )
    names += module_closure(files, PAGE_MODULES)
    return "\n".join(f'  <link rel="modulepreload" href="./{rel}">' for rel in names)


def runtime_preload(files: dict[str, Path]) -> str:
    """The script that preloads what the worker fetches to start: WORKER_START and the wheels."""
    wheels = sorted(rel for rel in files if rel.startswith(f"{VENDOR}/pyodide/") and rel.endswith(".whl"))
    paths = [rel for rel in WORKER_START if rel in files] + wheels
    listed = " ".join(f"./{rel}" for rel in paths)
    return f'  <script async src="./static/js/preload-runtime.js" data-files="{listed}"></script>'


def page_html(source: str, files: dict[str, Path]) -> str:
    if "</head>" not in source or "<head>" not in source:
        raise BuildError("index.html has no <head> or </head>")
    # first in <head>, so the downloads start before anything else is parsed
    source = source.replace("<head>", "<head>\n" + runtime_preload(files), 1)
    block = (
        "  <!-- added by scripts/build_site.py: this is a built site, so offline.js registers sw.js -->\n"
        f"  {MARKER_META}\n{preload_links(files)}\n"
    )
    return source.replace("</head>", block + "</head>", 1)


def sw_source(template: str, version: str, manifest: list[dict]) -> str:
    build = json.dumps({"version": version, "files": manifest}, indent=1)
    if not SW_BUILD_RE.search(template):
        raise BuildError(f"{SW_TEMPLATE} has no /*BUILD*/ ... /*END*/ block")
    return SW_BUILD_RE.sub(lambda _: f"/*BUILD*/ {build} /*END*/", template, count=1)


def read_build(site: Path) -> dict:
    """The version and precache manifest written into a built site's sw.js."""
    text = (Path(site) / "sw.js").read_text(encoding="utf-8")
    match = SW_BUILD_RE.search(text)
    if not match:
        raise BuildError(f"{site}/sw.js has no build block")
    return json.loads(match.group(0)[len("/*BUILD*/"):-len("/*END*/")])


def build(out: Path | str = ROOT / "dist" / "site", root: Path | str = ROOT, quiet: bool = False,
          extra: dict[str, bytes] | None = None) -> dict:
    """Write the site to ``out`` (replacing it); return its build record.

    extra: {path in the site: bytes} added or replaced before the precache manifest is
    made (a demo folder's table and facts.json: ``python -m fcnn demo``)."""
    root, out = Path(root), Path(out)
    files = collect(root)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=out.parent))
    os.chmod(tmp, 0o755)
    try:
        contents: dict[str, bytes] = {}
        for rel, src in files.items():
            data = src.read_bytes()
            if rel == "index.html":
                data = page_html(data.decode("utf-8"), files).encode("utf-8")
            contents[rel] = data
        contents.update(extra or {})
        digests = {rel: sha256_bytes(data) for rel, data in contents.items()}
        template = SW_TEMPLATE.read_text(encoding="utf-8")
        version = site_version(digests, template)
        manifest = [
            {
                "path": rel,
                "size": len(contents[rel]),
                "sha256": digests[rel],
                # the form fetch(..., {integrity}) wants: the browser checks each file
                "integrity": "sha256-" + base64.b64encode(bytes.fromhex(digests[rel])).decode(),
            }
            for rel in sorted(contents)
        ]
        contents["sw.js"] = sw_source(template, version, manifest).encode("utf-8")
        for rel, data in contents.items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            os.chmod(target, 0o644)
        for d in tmp.rglob("*"):
            if d.is_dir():
                os.chmod(d, 0o755)
        # swap in the new folder (a server reading `out` by path sees old or new, never half)
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=out.parent))
            os.replace(out, old / "site")
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    size = sum(len(d) for d in contents.values())
    if not quiet:
        print(f"[site] {out}: {len(contents)} files, {size / 1e6:.1f} MB, version {version}")
    return {"version": version, "files": manifest, "size": size}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(ROOT / "dist" / "site"), help="output folder (replaced)")
    args = ap.parse_args(argv)
    try:
        build(args.out)
    except BuildError as e:
        print(f"[site] ERROR: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
