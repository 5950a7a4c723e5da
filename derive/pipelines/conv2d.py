"""B3, B4 (g): 2-D convolution or cross-correlation by hand.

``mode = convolution`` flips the kernel (rotates it by 180 degrees) before
sliding it, ``correlation`` does not (a CNN layer).  With padding ``P``, stride
``S`` and dilation ``D`` the output entry (1-based) is

    y_ij = sum_{a,b} xpad[S(i-1) + D a, S(j-1) + D b] * k[a, b],   a, b = 0..K-1,

where ``k`` is the (possibly flipped) kernel.  The first entry is shown as its
full sum of products; the whole output is then checked entry by entry against
a second, independent computation (shift-and-add of strided sub-matrices).
"""
from __future__ import annotations

import sympy as sp

from ..domains import NONNEGATIVE_INTEGER, POSITIVE_INTEGER
from ..errors import ParameterError
from ..pipeline import Inputs, Param, pipeline
from ..step import Derivation
from ._grid import parse_matrix, require_number
from ._shown import product, ratio, total

PARAMS = (
    Param("input", kind="json", default=[[5 * r + c + 1 for c in range(5)] for r in range(5)],
          help="input matrix (JSON)"),
    Param("kernel", kind="json", default=[[-1, -2, -1], [0, 0, 0], [1, 2, 1]], help="kernel matrix (JSON)"),
    Param("padding", NONNEGATIVE_INTEGER, default=0, help="zeros added on every side"),
    Param("stride", POSITIVE_INTEGER, default=1),
    Param("dilation", POSITIVE_INTEGER, default=1, help="spacing between kernel taps"),
    Param("mode", kind="choice", default="convolution", choices=("convolution", "correlation"),
          help="convolution flips the kernel; correlation (a CNN layer) does not"),
)

#: Show every entry as a sum of products when the output is at most this large.
_SHOW_ALL = 4


def pad(x: sp.Matrix, p: int) -> sp.Matrix:
    out = sp.zeros(x.rows + 2 * p, x.cols + 2 * p)
    out[p:p + x.rows, p:p + x.cols] = x
    return out


def out_size(n: int, k: int, p: int, s: int, d: int) -> int:
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def shift_and_add(xp: sp.Matrix, k: sp.Matrix, s: int, d: int, rows: int, cols: int) -> sp.Matrix:
    """sum_{a,b} k[a,b] * (strided sub-matrix of xp starting at (D a, D b)): the whole output at once."""
    out = sp.zeros(rows, cols)
    for a in range(k.rows):
        for b in range(k.cols):
            sub = sp.Matrix(rows, cols, lambda i, j: xp[d * a + s * i, d * b + s * j])
            out += k[a, b] * sub
    return out.applyfunc(sp.expand)


@pipeline("conv2d", "2-D convolution by hand", PARAMS, results=("output",))
def build(p: Inputs) -> Derivation:
    x = parse_matrix("conv2d", "input", p.value("input"))
    h = parse_matrix("conv2d", "kernel", p.value("kernel"))
    P, S, D = (require_number("conv2d", k, p.value(k)) for k in ("padding", "stride", "dilation"))
    flip = p.value("mode") == "convolution"
    k = sp.Matrix(h.rows, h.cols, lambda r, c: h[h.rows - 1 - r, h.cols - 1 - c]) if flip else h
    rows, cols = out_size(x.rows, h.rows, P, S, D), out_size(x.cols, h.cols, P, S, D)
    if rows < 1 or cols < 1:
        raise ParameterError(f"conv2d: the dilated {h.rows}x{h.cols} kernel does not fit in the "
                             f"padded {x.rows + 2 * P}x{x.cols + 2 * P} input")
    xp = pad(x, P)
    d = p.builder()

    a = d.part("a", "Output size: $floor((n + 2*P - D*(K - 1) - 1)/S) + 1$ per axis")
    for n, kk, name in ((x.rows, h.rows, "rows"), (x.cols, h.cols, "columns")):
        inner = total([n, product(2, P), -product(D, kk - 1), -1])
        a.eq(total([sp.floor(ratio(inner, S), evaluate=False), 1]), out_size(n, kk, P, S, D), "window count",
             f"{name}: input {n}, kernel {kk}, padding {P}, stride {S}, dilation {D}")

    y = sp.IndexedBase("y")
    sums = {}
    for i in range(rows):
        for j in range(cols):
            terms = [product(xp[S * i + D * r, S * j + D * c], k[r, c])
                     for r in range(h.rows) for c in range(h.cols)]
            sums[y[i + 1, j + 1]] = total(terms)
    what = ("true convolution: the kernel is flipped, so the entries of $x$ meet $h$ in reverse order"
            if flip else "cross-correlation: the kernel slides unflipped")
    b = d.part("b", "Entries as sums of products")
    shown = list(sums.items()) if rows * cols <= _SHOW_ALL else list(sums.items())[:1]
    for entry, terms in shown:
        b.eq(entry, terms, "definition", what, facts={entry: terms})
        b.then(sp.expand(terms.doit()), "arithmetic")

    c = d.part("c", "The whole output")
    y_mat = sp.Matrix(rows, cols, lambda i, j: y[i + 1, j + 1])
    value = shift_and_add(xp, k, S, D, rows, cols)
    c.eq(y_mat, value, "definition",
         "every entry's sum of products, evaluated and compared with a shift-and-add of strided sub-matrices",
         facts=sums)
    c.result("output", sp.Symbol("y"), value)
    return d.build()
