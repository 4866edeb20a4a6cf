"""The browser's package archive holds what the worker imports, and nothing CPython-only."""

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
    assert all(name.endswith(".py") and "__pycache__" not in name for name in names)


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
