"""The linear node's products: the einsum loop Pyodide takes computes the same products
as np.dot (forced on here; bit-identity itself is checked in Pyodide by
test_products_in_pyodide.py), written into the array given, and np.dot is kept where
einsum would sum in another order."""

import numpy as np
import pytest

from fcnn.engine import products

SHAPES = [(32, 64, 48), (256, 20, 64), (5, 3, 2), (8, 13, 8)]


@pytest.fixture
def as_in_pyodide(monkeypatch):
    monkeypatch.setattr(products, "NO_BLAS", True)
    monkeypatch.setattr(products, "EINSUM_MIN_MACS", 1)  # einsum on every shape it can take


@pytest.mark.parametrize("m, n, k", SHAPES)
def test_the_einsum_loop_computes_a_linear_node_s_products_into_out(as_in_pyodide, m, n, k):
    rng = np.random.default_rng(m * n * k)
    x, w, g = rng.normal(size=(m, n)), rng.normal(size=(n, k)), rng.normal(size=(m, k))
    matmul = products.matmul_for(m, n, k)
    assert matmul is products.einsum_matmul
    for a, b, out in [(x, w, np.empty((m, k))), (x.T, g, np.empty((n, k))), (g, w.T, np.empty((m, n))),
                      (np.asfortranarray(x), w, np.empty((m, k)))]:
        out.fill(np.nan)  # einsum must overwrite, not add to, what the buffer held
        assert matmul(a, b, out) is out
        np.testing.assert_allclose(out, a @ b, rtol=1e-12, atol=1e-12)


def test_np_dot_is_kept_where_einsum_would_sum_in_another_order(as_in_pyodide):
    """A dimension of 1 is coalesced away by einsum, which then sums along the inner index."""
    assert products.matmul_for(64, 1, 64) is np.dot
    assert products.matmul_for(64, 64, 1) is np.dot
    assert products.matmul_for(1, 64, 64) is np.dot
    rng = np.random.default_rng(1)
    strided = rng.normal(size=(16, 32))[:, ::2]  # neither row nor column order: np.dot, same numbers
    w, out = rng.normal(size=(16, 8)), np.empty((16, 8))
    np.testing.assert_allclose(products.einsum_matmul(strided, w, out), strided @ w, rtol=1e-12)


def test_cpython_keeps_np_dot_itself():
    """With BLAS, np.dot is the product whose numbers the other tests pin."""
    if products.NO_BLAS:
        pytest.skip("numpy here has no BLAS")
    assert products.matmul_for(512, 512, 512) is np.dot

