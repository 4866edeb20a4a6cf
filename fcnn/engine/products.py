"""The three matrix products of a linear node, written into a given array.

    product(A, B, out):     out = A B        (forward: X W)
    product_at(A, B, out):  out = Aᵀ B       (backward: dL/dW = Xᵀ G)
    product_bt(A, B, out):  out = A Bᵀ       (backward: dL/dX = G Wᵀ)

Why not just ``np.dot`` everywhere: in CPython numpy calls BLAS, and ``np.dot``
is what it does (the tests pin its numbers). The numpy of Pyodide (the page's
worker) has no BLAS: its ``np.dot`` computes each output element as a
sequential sum over the inner index, walking B down a column with a stride,
one dependent addition after another; for 32×512 by 512×512 that is about 4×
slower than it needs to be, and Xᵀ G (both operands strided) worse still.

``np.einsum`` on C-contiguous operands with every dimension at least 2 loops
the other way round: for each inner index k it adds A[i, k]·B[k, :] to the
output row, along contiguous rows, with the additions of different output
elements independent. Each output element is still the sum over k in
increasing order starting from 0, with the product rounded before each
addition (WebAssembly has no fused multiply-add), so the result is
bit-identical to Pyodide's ``np.dot`` (scripts/check_pyodide_products.py
checks it in Pyodide) and several times faster for big shapes. With a
dimension of 1 einsum coalesces it away and sums in another order, and for
small shapes its set-up costs more than it saves: those keep ``np.dot``.
"""

from __future__ import annotations

import sys

import numpy as np

#: numpy without BLAS (Pyodide): the einsum loops below pay off there, and only there
NO_BLAS = sys.platform == "emscripten"
#: below this many multiply-adds einsum's set-up costs more than its loop saves
EINSUM_MIN_MACS = 16_384


def _einsum_fits(a, b, macs):
    """Whether einsum sums in np.dot's order here and is worth it (see the module docstring)."""
    return (
        macs >= EINSUM_MIN_MACS and min(a.shape) > 1 and min(b.shape) > 1
        and a.flags.c_contiguous and b.flags.c_contiguous
    )


def product(a, b, out):
    """out = A B for A (m×n) and B (n×k)."""
    if NO_BLAS and _einsum_fits(a, b, a.shape[0] * b.size):
        return np.einsum("ik,kj->ij", a, b, out=out)
    return np.dot(a, b, out=out)


def product_at(a, b, out):
    """out = Aᵀ B for A (m×n) and B (m×k): the sum runs over the m rows."""
    if NO_BLAS and _einsum_fits(a, b, a.size * b.shape[1]):
        return np.einsum("ki,kj->ij", a, b, out=out)
    return np.dot(a.T, b, out=out)


def product_bt(a, b, out):
    """out = A Bᵀ for A (m×k) and B (n×k). Without BLAS Bᵀ is copied to be contiguous
    first: n·k numbers copied against m·n·k multiply-adds saved from the strided loop."""
    if NO_BLAS and _einsum_fits(a, b, a.shape[0] * b.size):
        return np.einsum("ik,kj->ij", a, np.ascontiguousarray(b.T), out=out)
    return np.dot(a, b.T, out=out)
