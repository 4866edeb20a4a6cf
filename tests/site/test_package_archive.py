"""The browser's package archive holds what the worker imports, and nothing CPython-only."""

import shutil
import sys
import zipfile

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import zip_package  # noqa: E402


def test_the_archive_holds_the_browser_modules_only(tmp_path):
    target = tmp_path / "fcnn.zip"
    zip_package.build(target)
    names = set(zipfile.ZipFile(target).namelist())
    for needed in ("fcnn/__init__.py", "fcnn/engine/nodes.py", "fcnn/tables/prepare.py",
                   "fcnn/run/experiment.py", "fcnn/web/session.py", "fcnn/web/worker.py"):
        assert needed in names
    assert not names & {"fcnn/cli.py", "fcnn/bench.py", "fcnn/__main__.py", "fcnn/web/facts.py"}
    sources = {name for name in names if name.endswith(".py") and "__pycache__" not in name}
    bytecode = names - sources
    if shutil.which("node") is None:
        assert not bytecode  # nothing compiles it without Node: the page compiles fcnn itself
        return
    # beside each module, its bytecode compiled by the vendored Pyodide, hash-checked (PEP 552):
    # Python uses it only while the source has the same hash, so it can never run stale code
    expected = {f"{name.rsplit('/', 1)[0]}/__pycache__/{name.rsplit('/', 1)[1][:-3]}.cpython-312.pyc" for name in sources}
    assert bytecode == expected
    with zipfile.ZipFile(target) as archive:
        for name in bytecode:
            assert int.from_bytes(archive.read(name)[4:8], "little") == 0b11, f"{name}: not a hash-checked pyc"


def test_an_archive_of_the_same_sources_is_kept_and_a_changed_source_rebuilds_it(tmp_path):
    target = tmp_path / "fcnn.zip"
    zip_package.build(target)
    before = target.stat().st_mtime_ns, target.read_bytes()
    zip_package.build(target)
    assert (target.stat().st_mtime_ns, target.read_bytes()) == before
    with zipfile.ZipFile(target) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["fcnn/engine/nodes.py"] = b"# changed\n"  # as if a module had changed since
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    zip_package.build(target)
    assert target.read_bytes() == before[1]


def test_nothing_the_browser_imports_is_left_out():
    """Every module the session's import graph reaches is in the archive (a missing one breaks the page)."""
    import subprocess

    probe = ("import sys; import fcnn.web.session; "
             "print('\\n'.join(sorted(m for m in sys.modules if m == 'fcnn' or m.startswith('fcnn.'))))")
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    archived = {p.relative_to(ROOT).as_posix() for p in zip_package.browser_files()}
    for module in loaded.stdout.split():
        path = module.replace(".", "/")
        assert f"{path}.py" in archived or f"{path}/__init__.py" in archived, module
