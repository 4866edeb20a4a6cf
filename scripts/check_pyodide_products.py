"""Checks, in Pyodide, that the linear node's products (fcnn/engine/products.py) are
bit-identical to numpy's np.dot there, on shapes where they take the einsum loop and
where they keep np.dot, including dimensions of 1 and 2. Run it in the vendored Pyodide:

    node scripts/pyodide_node.mjs scripts/check_pyodide_products.py

It prints one line: "products: N shapes, all bit-identical to np.dot (einsum on K)" or
the shapes that differ. In CPython it runs too (there the products are np.dot itself).
"""

import sys

sys.path.insert(0, globals().get("REPOSITORY", "."))

import numpy as np  # noqa: E402

from fcnn.engine import products  # noqa: E402

SIZES = (1, 2, 3, 8, 33, 64, 130)


def check(rng, m, n, k):
    """[the products that differ from np.dot] for X (m×n), W (n×k), G (m×k), as a linear node
    computes them: X W, Xᵀ G, G Wᵀ, and X W with X in column order (a caller's array)."""
    x, w, g = rng.normal(size=(m, n)), rng.normal(size=(n, k)), rng.normal(size=(m, k))
    matmul, x_columns = products.matmul_for(m, n, k), np.asfortranarray(x)
    found = [
        ("X W", matmul(x, w, np.empty((m, k))), np.dot(x, w)),
        ("Xt G", matmul(x.T, g, np.empty((n, k))), np.dot(x.T, g)),
        ("G Wt", matmul(g, w.T, np.empty((m, n))), np.dot(g, w.T)),
        ("X W, X in column order", matmul(x_columns, w, np.empty((m, k))), np.dot(x_columns, w)),
    ]
    return [name for name, got, expected in found if not np.array_equal(got, expected)]


def main():
    rng = np.random.default_rng(0)
    shapes = [(m, n, k) for m in SIZES for n in SIZES for k in SIZES] + [(32, 512, 512), (256, 20, 64)]
    differing = [(shape, names) for shape in shapes for names in [check(rng, *shape)] if names]
    on_einsum = sum(products.matmul_for(*shape) is products.einsum_matmul for shape in shapes)
    if differing:
        return f"products: {len(differing)} of {len(shapes)} shapes differ from np.dot: {differing[:10]}"
    einsum = f"einsum on {on_einsum}" if products.NO_BLAS else "np.dot itself: numpy has BLAS here"
    return f"products: {len(shapes)} shapes, all bit-identical to np.dot ({einsum})"


result = main()
if sys.platform != "emscripten":
    print(result)
result
