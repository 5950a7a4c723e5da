"""A2 (c): backpropagation through max pooling and average pooling.

Window ``w`` at output position ``(r, c)`` covers input rows
``S(r-1)+1 .. S(r-1)+K`` and the same columns.  By the chain rule
``dL/dx_ij = sum_w dL/dy_w * dy_w/dx_ij``: average pooling gives every entry of
a window ``1/K^2``; max pooling routes the whole upstream gradient to the
window's maximum (the first maximal entry in row-major order when there is a
tie, a valid subgradient).  Overlapping windows (``S < K``) add up.
"""
from __future__ import annotations

import sympy as sp

from .. import notation as nt
from ..domains import POSITIVE_INTEGER
from ..errors import ParameterError
from ..pipeline import Inputs, Param, pipeline
from ..step import Derivation
from ._grid import parse_matrix, require_number
from ._shown import product, ratio, total

PARAMS = (
    Param("input", kind="json", default=[[1, 3, 2, 0], [4, 2, 1, 5], [0, 6, 3, 1], [2, 1, 7, 4]],
          help="input matrix x (JSON)"),
    Param("upstream", kind="json", default=[[1, -2], [3, 4]], help="upstream gradient dL/dy (JSON)"),
    Param("kind", kind="choice", default="max", choices=("max", "avg")),
    Param("size", POSITIVE_INTEGER, default=2, help="window size K (K x K)"),
    Param("stride", POSITIVE_INTEGER, default=2),
)

Window = tuple[int, int]


def windows(rows: int, cols: int, k: int, s: int) -> list[tuple[Window, list[tuple[int, int]]]]:
    """Each output position (0-based) with the input cells its window covers."""
    out = []
    for r in range((rows - k) // s + 1):
        for c in range((cols - k) // s + 1):
            out.append(((r, c), [(s * r + i, s * c + j) for i in range(k) for j in range(k)]))
    return out


def argmax_cell(x: sp.Matrix, cells: list[tuple[int, int]]) -> tuple[int, int]:
    best = cells[0]
    for cell in cells[1:]:
        if x[cell] > x[best]:
            best = cell
    return best


@pipeline("pooling_backprop", "Backpropagation through pooling", PARAMS, results=("grad_input",))
def build(p: Inputs) -> Derivation:
    x = parse_matrix("pooling_backprop", "input", p.value("input"))
    g = parse_matrix("pooling_backprop", "upstream", p.value("upstream"))
    k, s = (require_number("pooling_backprop", key, p.value(key)) for key in ("size", "stride"))
    kind = p.value("kind")
    if k > x.rows or k > x.cols:
        raise ParameterError(f"pooling_backprop: the {k}x{k} window does not fit in the {x.rows}x{x.cols} input")
    wins = windows(x.rows, x.cols, k, s)
    out_shape = ((x.rows - k) // s + 1, (x.cols - k) // s + 1)
    if g.shape != out_shape:
        raise ParameterError(f"pooling_backprop: upstream must be {out_shape[0]}x{out_shape[1]} "
                             f"(the pooled output), got {g.rows}x{g.cols}")
    if kind == "max" and any(e.free_symbols for e in x):
        raise ParameterError("pooling_backprop: max pooling needs numeric input entries (to find each maximum)")
    d = p.builder()

    fw = d.part("a", f"Forward pass: {k} × {k} {kind} pooling, stride {s}")
    for (r, c), cells in wins:
        entries = [x[cell] for cell in cells]
        if kind == "max":
            fw.eq(sp.Max(*entries, evaluate=False), x[argmax_cell(x, cells)], "maximum",
                  f"$Indexed('y', {r + 1}, {c + 1})$: window rows {s * r + 1}–{s * r + k}, columns {s * c + 1}–{s * c + k}")
        else:
            fw.eq(ratio(total(entries), k * k), sp.expand(sum(entries, sp.Integer(0)) / (k * k)), "average",
                  f"$Indexed('y', {r + 1}, {c + 1})$: window rows {s * r + 1}–{s * r + k}, columns {s * c + 1}–{s * c + k}")

    # Chain-rule terms dL/dy_w * dy_w/dx_ij, keeping only nonzero local derivatives.
    terms: dict[tuple[int, int], list[sp.Expr]] = {}
    for (r, c), cells in wins:
        if kind == "max":
            terms.setdefault(argmax_cell(x, cells), []).append(product(g[r, c], 1))
        else:
            for cell in cells:
                terms.setdefault(cell, []).append(product(g[r, c], sp.Rational(1, k * k)))
    shown = sp.Matrix(x.rows, x.cols, lambda i, j: total(terms.get((i, j), [])))
    # The value, scattered window by window (a second computation of the same sums).
    value = sp.zeros(x.rows, x.cols)
    for (r, c), cells in wins:
        targets = [argmax_cell(x, cells)] if kind == "max" else cells
        for cell in targets:
            value[cell] += g[r, c] / len(targets)
    bw = d.part("b", "Backward pass")
    local = ("1 for the maximum of window $w$ and 0 for the other entries" if kind == "max"
             else f"${sp.Rational(1, k * k)}$ for every entry of window $w$")
    why = (f"$Grad(Indexed('x', i, j))$ sums, over the windows $w$, the upstream gradient "
           f"$Grad(Indexed('y', w))$ times the derivative of $Indexed('y', w)$ by $Indexed('x', i, j)$: {local}")
    bw.eq(shown, value.applyfunc(sp.expand), "chain rule", why)
    bw.result("grad_input", nt.Grad(sp.Symbol("x")), value.applyfunc(sp.expand))
    return d.build()
