"""The matrix products of a linear node: out = A B, with A or B a transposed view.

    forward:   X W        dL/dW = Xᵀ G        dL/dX = G Wᵀ

All three of a layer multiply the same three dimensions (rows m, inputs n, units
k), so the node picks one function for them, ``matmul_for(m, n, k)``, when its
batch size changes, and calls it as ``matmul(A, B, out)``.

Why not just ``np.dot`` everywhere: in CPython numpy calls BLAS, and ``np.dot``
is what it does (the tests pin its numbers). The numpy of Pyodide (the page's
worker) has no BLAS: its ``np.dot`` computes each output element as a
sequential sum over the inner index, walking B down a column with a stride,
one dependent addition after another; for 32×512 by 512×512 that is about 4×
slower than it needs to be, and Xᵀ G (both operands strided) worse still.

``np.einsum`` with B C-contiguous, A C- or F-contiguous and every dimension
at least 2 loops the other way round: for each inner index it adds
A[i, k]·B[k, :] to the output row, along contiguous rows, the additions of
different output elements independent. Each output element is still the sum
over k in increasing order starting from 0, with the product rounded before
each addition (WebAssembly has no fused multiply-add), so the result is
bit-identical to Pyodide's ``np.dot`` (scripts/check_pyodide_products.py
checks it there) and several times faster for big shapes. With a dimension of
1 einsum coalesces it away and sums in another order, and for small shapes
its set-up costs more than it saves: those keep ``np.dot``, called directly.
"""

from __future__ import annotations

import sys

import numpy as np

#: numpy without BLAS (Pyodide): the einsum loops below pay off there, and only there
NO_BLAS = sys.platform == "emscripten"
#: below this many multiply-adds einsum's set-up costs more than its loop saves
EINSUM_MIN_MACS = 16_384


def matmul_for(m, n, k):
    """The function ``matmul(A, B, out)`` (out = A B) for a linear layer's products on a
    batch of m rows, n inputs and k units: np.dot itself unless einsum pays (see above)."""
    if NO_BLAS and m * n * k >= EINSUM_MIN_MACS and min(m, n, k) > 1:
        return einsum_matmul
    return np.dot


def einsum_matmul(a, b, out):
    """out = A B by einsum's row-by-row loop; Bᵀ views (dL/dX = G Wᵀ) are copied to rows first:
    n·k numbers copied against m·n·k multiply-adds saved from the strided loop."""
    if not (a.flags.c_contiguous or a.flags.f_contiguous):
        return np.dot(a, b, out)  # another layout could change einsum's loop order
    if not b.flags.c_contiguous:
        b = np.ascontiguousarray(b)
    return np.einsum("ik,kj->ij", a, b, out=out)
