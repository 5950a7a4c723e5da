"""B10: a stack of affine layers without a nonlinearity is one affine layer.

(a) For ``layers`` layers, ``W_L(...(W_1 x + b_1)...) + b_L = W' x + b'`` with
``W' = W_L ... W_1`` and ``b' = sum_l W_L ... W_(l+1) b_l``.  The steps are
written with matrix symbols; the verifier checks them entry by entry on
generic matrices of *different* rectangular shapes (layer ``l`` maps dimension
``l + 1`` to ``l + 2``), so a wrong order of factors or a missing transpose
cannot pass.  The generic matrices are introduced as "given" steps.

(b) The induction step ``W (P x + c) + b = (W P) x + (W c + b)`` for arbitrary
``P``, ``c``: with (a) at one layer as the base case it covers every depth.

(c) ``rank(W_2 W_1) <= min(rank W_2, rank W_1) <= min(m, n)`` for ``W_1`` of
shape ``m x n`` and ``W_2`` of shape ``n x m`` (catalogue: 2 x 10 and 10 x 2).
The two rank lemmas are cited premises, each entered as an equality with a
nonnegative slack (``rank(AB) = min(rank A, rank B) - delta``, ``delta >= 0``) so
that the inequalities after them are verified; a numpy cross-check computes the
rank of random products.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from .. import notation as nt
from ..domains import NONNEGATIVE, POSITIVE_INTEGER
from ..errors import ParameterError
from ..pipeline import Inputs, Param, PartBuilder, pipeline
from ..step import CheckRow, Derivation, Rel

PARAMS = (
    Param("layers", POSITIVE_INTEGER, default=2, symbol="L", help="number of affine layers (at most 6)"),
    Param("m", POSITIVE_INTEGER, default=2, help="(c): rows of W_1 = columns of W_2"),
    Param("n", POSITIVE_INTEGER, default=10, help="(c): columns of W_1 = rows of W_2"),
)

MAX_LAYERS = 6


def generic(letter: str, rows: int, cols: int, layer: int | None = None) -> sp.ImmutableMatrix:
    """A matrix of independent real symbols, printed ``w^{(l)}_{ij}`` (a vector: ``b^{(l)}_i``)."""
    head = letter if layer is None else f"{letter}^({layer})"

    def entry(i: int, j: int) -> sp.Symbol:
        return sp.Symbol(f"{head}_{i + 1}" + (f"{j + 1}" if cols > 1 else ""), real=True)

    return sp.ImmutableMatrix(rows, cols, entry)


def collapsed(Ws: list, bs: list) -> tuple[sp.MatrixExpr, sp.MatrixExpr]:
    """``W' = W_L ... W_1`` and ``b' = sum_l W_L ... W_(l+1) b_l`` (as matrix expressions)."""
    L = len(Ws)
    w_eff = sp.MatMul(*reversed(Ws)) if L > 1 else Ws[0]
    terms = []
    for l in range(L):
        later = list(reversed(Ws[l + 1:]))
        terms.append(sp.MatMul(*later, bs[l]) if later else bs[l])
    b_eff = sp.MatAdd(*terms) if len(terms) > 1 else terms[0]
    return w_eff, b_eff


def _given(part: PartBuilder, sym: sp.MatrixSymbol, value: sp.ImmutableMatrix) -> None:
    part.eq(sym, value, "given", "generic entries", facts={sym: value})


@pipeline("linear_collapse", "Linear layers collapse", PARAMS, results=("W_eff", "b_eff", "rank_bound"))
def build(p: Inputs) -> Derivation:
    L = p.value("layers")
    if not L.is_number:
        raise ParameterError("linear_collapse: layers must be a number (part (b) proves every depth by induction)")
    if L > MAX_LAYERS:
        raise ParameterError(f"linear_collapse: layers={L} is more than {MAX_LAYERS}; part (b) covers deeper stacks")
    L = int(L)
    d = p.builder()

    # (a) the stack, written out
    a = d.part("a", f"{L} affine layers are one affine layer")
    dims = [l + 2 for l in range(L + 1)]           # 2 -> 3 -> 4 ...: every shape differs
    x = sp.MatrixSymbol("x", dims[0], 1)
    Ws = [sp.MatrixSymbol(f"W_{l + 1}", dims[l + 1], dims[l]) for l in range(L)]
    bs = [sp.MatrixSymbol(f"b_{l + 1}", dims[l + 1], 1) for l in range(L)]
    values = {x: generic("x", dims[0], 1)}
    values.update({W: generic("w", *W.shape, layer=l + 1) for l, W in enumerate(Ws)})
    values.update({b: generic("b", *b.shape, layer=l + 1) for l, b in enumerate(bs)})
    for sym, val in values.items():
        _given(a, sym, val)
    nested: sp.MatrixExpr = x
    for W, b in zip(Ws, bs):
        nested = sp.MatAdd(sp.MatMul(W, nested), b)
    w_eff, b_eff = collapsed(Ws, bs)
    a.eq(nested, sp.MatAdd(sp.MatMul(w_eff, x), b_eff), "distribute",
         "multiply out from the inside; matrix products are associative", facts=values)
    w_name, b_name = sp.MatrixSymbol("W'", dims[-1], dims[0]), sp.MatrixSymbol("b'", dims[-1], 1)
    a.eq(w_name, w_eff, "definition", "the coefficient of $x$", facts={w_name: w_eff})
    a.eq(b_name, b_eff, "definition", "the part that does not depend on $x$", facts={b_name: b_eff})
    a.result("W_eff", w_name, w_eff)
    a.result("b_eff", b_name, b_eff)

    # (b) induction step for any depth
    b_part = d.part("b", "Induction on the number of layers")
    r, s, t = 3, 2, 4                                  # shapes of P (r x t), W (s x r), x (t)
    P, c = sp.MatrixSymbol("P", r, t), sp.MatrixSymbol("c", r, 1)
    W, bb, xx = sp.MatrixSymbol("W", s, r), sp.MatrixSymbol("b", s, 1), sp.MatrixSymbol("x", t, 1)
    ind = {P: generic("p", r, t), c: generic("q", r, 1), W: generic("w", s, r), bb: generic("beta", s, 1),
           xx: generic("x", t, 1)}
    for sym, val in ind.items():
        _given(b_part, sym, val)
    b_part.eq(sp.MatAdd(sp.MatMul(W, sp.MatAdd(sp.MatMul(P, xx), c)), bb),
              sp.MatAdd(sp.MatMul(sp.MatMul(W, P), xx), sp.MatAdd(sp.MatMul(W, c), bb)), "distribute",
              "if $L$ layers give $MatrixSymbol('P', r, t)*MatrixSymbol('x', t, 1) + MatrixSymbol('c', r, 1)$, one more "
              "layer gives $MatrixSymbol('W', s, r)*MatrixSymbol('P', r, t)*MatrixSymbol('x', t, 1) + "
              "MatrixSymbol('W', s, r)*MatrixSymbol('c', r, 1) + MatrixSymbol('b', s, 1)$: again affine", facts=ind)

    # (c) the rank bound
    cc = d.part("c", "Rank of a product")
    m, n = p.value("m"), p.value("n")
    W1, W2 = sp.MatrixSymbol("W_1", m, n), sp.MatrixSymbol("W_2", n, m)
    r1, r2, r12 = nt.Rank(W1), nt.Rank(W2), nt.Rank(sp.MatMul(W2, W1))
    # Each cited lemma is an inequality; it enters as an equality with a nonnegative
    # slack, so the facts substituted by the verifier are exact.
    delta = d.declare(NONNEGATIVE.symbol("delta"), NONNEGATIVE)
    eps = d.declare(NONNEGATIVE.symbol("epsilon"), NONNEGATIVE)
    bound = sp.Min(m, n)
    cc.eq(r12, sp.Min(r2, r1) - delta, "premise",
          "the rank of a product is at most the smaller rank of its factors; $delta >= 0$ is the shortfall", facts={r12: sp.Min(r2, r1) - delta})
    cc.then(sp.Min(r2, r1), "slack", "$delta >= 0$", rel=Rel.LE)
    cc.then(r1, "minimum", "a minimum is at most each of its arguments", rel=Rel.LE)
    cc.then(bound - eps, "premise", "a rank is at most the number of rows and of columns; $epsilon >= 0$",
            facts={r1: bound - eps})
    cc.then(bound, "slack", "$epsilon >= 0$", rel=Rel.LE)
    cc.result("rank_bound", r12, bound)
    if m.is_number and n.is_number:
        rng = np.random.default_rng(0)
        worst = max(np.linalg.matrix_rank(rng.standard_normal((int(n), int(m))) @ rng.standard_normal((int(m), int(n))))
                    for _ in range(5))
        cc.check(CheckRow(r12, float(bound), float(worst), 0.0,
                          "numpy matrix_rank of 5 random Gaussian products (generic: the bound is attained)"))
    return d.build()
