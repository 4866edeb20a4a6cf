"""The linear node's three products: the einsum loops Pyodide takes compute the same
products as np.dot (forced on here; bit-identity itself is checked in Pyodide by
test_products_in_pyodide.py), and every product is written into the array given."""

import numpy as np
import pytest

from fcnn.engine import products

SHAPES = [(32, 64, 48), (256, 20, 64), (5, 3, 1), (1, 7, 9), (40, 1, 30), (8, 13, 8)]


@pytest.fixture(params=[False, True], ids=["as-in-cpython", "as-in-pyodide"])
def no_blas(request, monkeypatch):
    monkeypatch.setattr(products, "NO_BLAS", request.param)
    monkeypatch.setattr(products, "EINSUM_MIN_MACS", 1)  # einsum on every shape it can take
    return request.param


@pytest.mark.parametrize("m, n, k", SHAPES)
def test_products_equal_np_dot_and_are_written_into_out(no_blas, m, n, k):
    rng = np.random.default_rng(m * n * k)
    x, w, g = rng.normal(size=(m, n)), rng.normal(size=(n, k)), rng.normal(size=(m, k))
    cases = [
        (products.product, (x, w), np.empty((m, k)), x @ w),
        (products.product_at, (x, g), np.empty((n, k)), x.T @ g),
        (products.product_bt, (g, w), np.empty((m, n)), g @ w.T),
    ]
    for function, operands, out, expected in cases:
        out.fill(np.nan)  # einsum must overwrite, not add to, what the buffer held
        assert function(*operands, out) is out
        np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


def test_einsum_is_taken_only_where_it_sums_in_np_dot_s_order(monkeypatch):
    """With a dimension of 1 einsum would sum along the inner index in another order;
    a transposed (non-contiguous) operand would change its loop order."""
    fits = products._einsum_fits
    big = np.empty((64, 64))
    assert fits(big, big, 64**3)
    assert not fits(np.empty((64, 1)), np.empty((1, 64)), 64 * 64)
    assert not fits(big, np.empty((64, 1)), 64 * 64)
    assert not fits(big.T[:, :32], big, 64**3)
    assert not fits(np.empty((4, 4)), np.empty((4, 4)), 64)
