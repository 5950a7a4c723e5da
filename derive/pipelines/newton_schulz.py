"""B1: cost of one Newton-Schulz iteration p(W) = (3 I - W W^T) W / 2, in two orders.

Cost model (catalogue convention): multiplying an ``m x n`` by an ``n x p``
matrix costs ``c m n p``.  Only matrix products are counted; forming
``3 I - G``, and the final scaling by 1/2, are entrywise operations with
``O(d^2)`` scalar work, negligible next to a product and not counted.
"""
from __future__ import annotations

import sympy as sp

from ..domains import POSITIVE, POSITIVE_INTEGER
from ..pipeline import Inputs, Param, pipeline
from ..step import Derivation, Rel
from ._shown import product, total

PARAMS = (
    Param("d_in", POSITIVE_INTEGER, help="columns of W"),
    Param("d_out", POSITIVE_INTEGER, help="rows of W"),
)

#: Shape of the small matrix of symbols on which associativity is shown entry by entry.
_DEMO_SHAPE = (2, 1)


def product_cost(c: sp.Expr, m: sp.Expr, n: sp.Expr, q: sp.Expr) -> sp.Expr:
    """Cost of an ``m x n`` times ``n x q`` product."""
    return product(c, m, n, q)


#: W in statement syntax (a matrix symbol keeps products in order).
_W = "MatrixSymbol('W', d_out, d_in)"


@pipeline("newton_schulz_cost", "Cost of a Newton-Schulz iteration", PARAMS, results=("naive", "gram"))
def build(p: Inputs) -> Derivation:
    d = p.builder()
    di, do = p.sym("d_in"), p.sym("d_out")
    c = d.declare(sp.Symbol("c", positive=True), POSITIVE)
    W = sp.MatrixSymbol("W", do, di)
    cost = sp.Function("cost")
    gram_out, gram_in = W * W.T, W.T * W
    naive_terms = (cost(gram_out), cost((3 * sp.Identity(do) - gram_out) * W))
    gram_terms = (cost(gram_in), cost(W * (3 * sp.Identity(di) - gram_in)))
    c_naive, c_gram = sp.Symbol("C_naive"), sp.Symbol("C_gram")

    a = d.part("a", f"As written: ${_W}*{_W}.T$ first (products only; forming $3*Identity(d_out) - MatrixSymbol('G', d_out, d_out)$ "
               "and halving are not counted)")
    n1, n2 = product_cost(c, do, di, do), product_cost(c, do, do, di)
    a.eq(naive_terms[0], n1, "definition", f"${_W}*{_W}.T$: a $d_out$ × $d_in$ by $d_in$ × $d_out$ product",
         facts={naive_terms[0]: n1})
    a.eq(naive_terms[1], n2, "definition", f"$(3*Identity(d_out) - {_W}*{_W}.T)*{_W}$: a $d_out$ × $d_out$ by $d_out$ × $d_in$ product",
         facts={naive_terms[1]: n2})
    naive = 2 * c * do**2 * di
    a.eq(c_naive, total(naive_terms), "definition", "the two products of one iteration",
         facts={c_naive: total(naive_terms)})
    a.then(total([n1, n2]), "substitute", "insert the two costs", facts=dict(zip(naive_terms, (n1, n2))))
    a.then(naive, "collect", "both products cost $c*d_out^2*d_in$")
    a.result("naive", c_naive, naive)

    b = d.part("b", f"Cheaper order for $d_out$ much larger than $d_in$: ${_W}.T*{_W}$ first")
    demo = sp.Matrix(*_DEMO_SHAPE, lambda i, j: sp.Symbol(f"w_{i + 1}{j + 1}", real=True))
    rows, cols = _DEMO_SHAPE
    b.eq((3 * sp.eye(rows) - demo * demo.T) * demo, demo * (3 * sp.eye(cols) - demo.T * demo), "associativity",
         f"matrix products are associative, so the Gram matrix ${_W}.T*{_W}$ can be formed first; shown entry by "
         "entry for a 2 × 1 $W$ of symbols")
    g1, g2 = product_cost(c, di, do, di), product_cost(c, do, di, di)
    b.eq(gram_terms[0], g1, "definition", f"${_W}.T*{_W}$: a $d_in$ × $d_out$ by $d_out$ × $d_in$ product",
         facts={gram_terms[0]: g1})
    b.eq(gram_terms[1], g2, "definition", f"${_W}*(3*Identity(d_in) - {_W}.T*{_W})$: a $d_out$ × $d_in$ by $d_in$ × $d_in$ product",
         facts={gram_terms[1]: g2})
    gram = 2 * c * do * di**2
    b.eq(c_gram, total(gram_terms), "definition", "the two products in the new order",
         facts={c_gram: total(gram_terms)})
    b.then(total([g1, g2]), "substitute", "insert the two costs", facts=dict(zip(gram_terms, (g1, g2))))
    b.then(gram, "collect", "both products cost $c*d_out*d_in^2$")
    b.result("gram", c_gram, gram)
    b.eq(c_naive - c_gram, naive - gram, "substitute", "subtract the two totals",
         facts={c_naive: naive, c_gram: gram})
    b.then(2 * c * do * di * (do - di), "factor", "positive exactly when $d_out > d_in$")
    b.step(c_gram / c_naive, Rel.EQ, di / do, "cancel", "the saving factor is $d_in/d_out$",
           facts={c_naive: naive, c_gram: gram})
    return d.build()
