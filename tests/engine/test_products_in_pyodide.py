"""In the vendored Pyodide (under Node, the same WebAssembly numpy the page's worker runs),
the linear node's products are bit-identical to that numpy's np.dot, on shapes that take
the einsum loop and on shapes that keep np.dot (scripts/check_pyodide_products.py)."""

import pathlib
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.browser  # the real runtime: slow, run with the browser tests

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_products_are_bit_identical_to_np_dot_in_pyodide():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: it runs the vendored Pyodide outside the browser")
    done = subprocess.run(
        [node, str(ROOT / "scripts" / "pyodide_node.mjs"), str(ROOT / "scripts" / "check_pyodide_products.py")],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "all bit-identical to np.dot (einsum on" in done.stdout, done.stdout
