"""B8: gradient flow through a chain of layers, with and without residual connections.

A partial derivative ``dA/dB`` is a ``Partial``: it prints as a fraction of
partials and *evaluates* to the derivative of a concrete model, so chain-rule
steps are checked by differentiation, not assumed.  The model is the
linearisation at the point of interest: a layer with local derivative ``d``
maps ``u`` to ``d u`` (only first derivatives enter the question, and those are
exactly the local derivatives).

Parameters beyond the catalogue table: ``chain`` (JSON list) gives part (a) and
(b): ``[dL/dz_k, dz_k/dz_(k-1), ..., dz_1/dx]``.  In (b) the same path gets a
skip connection ``y = z_k + x`` and ``chain[0]`` is read as ``dL/dy``.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from ..domains import POSITIVE_INTEGER, REAL
from ..errors import ParameterError
from ..figures import Table
from ..pipeline import Inputs, Param, pipeline
from ..step import Derivation
from ._jsonvalues import to_expr, to_list
from .. import notation as nt
from ._shown import product, total

PARAMS = (
    Param("local", REAL, default="1/2", help="local derivative of each layer"),
    Param("upstream", REAL, default="1/2", help="dL/d(output of the last layer)"),
    Param("layers", POSITIVE_INTEGER, default=6, symbol="n", help="number of layers"),
    Param("block", POSITIVE_INTEGER, default=2, symbol="k", help="layers per residual block"),
    Param("chain", kind="json", default=[0.01, 0.005, 0.1],
          help="(a), (b): [dL/dz_k, dz_k/dz_(k-1), ..., dz_1/dx]"),
)


class Partial(sp.Expr):
    """``d top / d bottom``, evaluating to ``Derivative(model, var)``."""

    is_commutative = True

    def __new__(cls, top: sp.Symbol, bottom: sp.Symbol, derivative: sp.Derivative) -> "Partial":
        return sp.Expr.__new__(cls, top, bottom, derivative)

    @classmethod
    def of(cls, top: sp.Symbol, bottom: sp.Symbol, model: sp.Expr, var: sp.Symbol) -> "Partial":
        """``d top / d bottom`` where ``top = model`` as a function of ``var``."""
        return cls(top, bottom, sp.Derivative(model, var))

    def doit(self, **hints: Any) -> sp.Expr:
        return self.args[2].doit(**hints)

    def _eval_evalf(self, prec: int) -> sp.Expr:
        return self.doit()._eval_evalf(prec)

    def _latex(self, printer: Any) -> str:
        return rf"\frac{{\partial {printer._print(self.args[0])}}}{{\partial {printer._print(self.args[1])}}}"

    def _sympystr(self, printer: Any) -> str:
        return f"d{self.args[0]}/d{self.args[1]}"


def _is_number(e: sp.Expr) -> bool:
    return bool(sp.sympify(e).is_number)


def plain_value(upstream: sp.Expr, local: sp.Expr, n: Any) -> sp.Expr:
    return upstream * local**n


def residual_value(upstream: sp.Expr, local: sp.Expr, n: Any, block: Any) -> sp.Expr:
    return upstream * (1 + local**block) ** (n / block)


@pipeline("gradient_flow", "Gradient flow and residual connections", PARAMS, results=("plain", "residual"))
def build(p: Inputs) -> Derivation:
    d = p.builder()
    chain = [to_expr(v, f"gradient_flow: chain[{i}]") for i, v in enumerate(to_list(p.value("chain"), "gradient_flow: chain"))]
    if len(chain) < 2:
        raise ParameterError("gradient_flow: chain needs dL/dz and at least one local derivative")
    local, upstream = p.value("local"), p.value("upstream")
    n, k = p.value("layers"), p.value("block")
    if _is_number(n) and _is_number(k) and n % k != 0:
        raise ParameterError(f"gradient_flow: layers={n} is not a multiple of block={k}")

    x, L, y = (sp.Symbol(s, real=True) for s in ("x", "L", "y"))
    depth = len(chain) - 1
    zs = [x] + [sp.Symbol(f"z_{j}", real=True) for j in range(1, depth + 1)]

    # (a) a chain of given local derivatives
    a = d.part("a", "A chain of local derivatives")
    top = zs[-1]
    model = chain[0] * top            # L, linear in the top activation with the given slope
    for j in range(depth, 0, -1):     # z_j = chain[depth - j + 1] * z_(j-1)
        model = model.xreplace({zs[j]: chain[depth - j + 1] * zs[j - 1]})
    factors = [Partial.of(L, top, chain[0] * top, top)]
    factors += [Partial.of(zs[j], zs[j - 1], chain[depth - j + 1] * zs[j - 1], zs[j - 1]) for j in range(depth, 0, -1)]
    dLdx = Partial.of(L, x, model, x)
    a.eq(dLdx, product(*factors), "chain rule", "multiply the local derivatives along the path")
    a.then(product(*chain), "substitute", "the given local derivatives")
    value_a = sp.Mul(*chain)
    a.then(value_a, "arithmetic")
    a.result("chain", dLdx, value_a)

    # (b) the same path with a skip connection y = z_top + x
    b = d.part("b", "With a residual connection: $y$ is $z + x$")
    path = sp.Mul(*chain[1:])
    skip_model = chain[0] * (path * x + x)
    dLdx_b = Partial.of(L, x, skip_model, x)
    path_factors = product(*factors[1:])
    dydx = Partial.of(y, x, path * x + x, x)
    b.eq(dydx, total([path_factors, Partial.of(x, x, x, x)]), "sum rule",
         "$y$ depends on $x$ through the layers and through the identity")
    b.eq(dLdx_b, product(Partial.of(L, y, chain[0] * y, y), dydx), "chain rule", "the loss sees $x$ only through $y$")
    b.then(product(chain[0], total([product(*chain[1:]), 1])), "substitute", "the identity path has derivative 1")
    value_b = chain[0] * (path + 1)
    b.then(value_b, "arithmetic")
    b.result("chain_residual", dLdx_b, value_b)

    # (c) n plain layers with the same local derivative
    c = d.part("c", "A deep plain chain")
    j = sp.Symbol("j", integer=True, positive=True)
    n_sym = p.sym("layers")
    general = upstream * sp.Product(local, (j, 1, n_sym))
    c.eq(general, plain_value(upstream, local, n_sym), "product", "$n$ equal factors")
    plain = plain_value(upstream, local, n)
    if n != n_sym:
        c.eq(plain_value(upstream, local, n_sym), plain, "substitute", "", facts={n_sym: n})
    c.result("plain", nt.Grad(x), plain)
    if _is_number(n) and n <= 64:
        c.tables.append(Table(("$n$", "$Grad(x)$ (plain)"),
                              tuple((m, plain_value(upstream, local, m)) for m in range(1, int(n) + 1)),
                              caption="each extra layer multiplies the gradient by the local derivative"))

    # (d) residual blocks of `block` layers
    dd = d.part("d", "Residual blocks")
    k_sym = p.sym("block")
    u = sp.Symbol("u", real=True)
    block_model = local**k_sym * u + u
    factor = Partial.of(sp.Symbol("y_b", real=True), u, block_model, u)
    dd.eq(factor, 1 + local**k_sym, "chain rule", "$k$ layers on the branch plus the identity skip")
    blocks = sp.Symbol("B", integer=True, positive=True)
    dd.eq(upstream * sp.Product(1 + local**k_sym, (j, 1, blocks)), upstream * (1 + local**k_sym) ** blocks,
          "product", "$B = n/k$ equal block factors")
    residual = residual_value(upstream, local, n, k)
    dd.eq(upstream * (1 + local**k_sym) ** blocks, residual, "substitute", "$B = n/k$",
          facts={blocks: n / k, k_sym: k})
    dd.result("residual", nt.Grad(x), residual)
    if _is_number(n) and _is_number(k) and n <= 64:
        rows = tuple((m, plain_value(upstream, local, m), residual_value(upstream, local, m, k))
                     for m in range(int(k), int(n) + 1, int(k)))
        dd.tables.append(Table(("$n$", "plain $Grad(x)$", "residual $Grad(x)$"), rows,
                               caption=f"a residual block multiplies the gradient by $1 + ({sp.sstr(local)})^k$ "
                                       f"instead of $({sp.sstr(local)})^k$"))
    d.export("block_factor", (1 + local**k))
    return d.build()
