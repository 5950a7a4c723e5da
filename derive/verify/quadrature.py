"""Quadrature (layer 3): definite integrals in one variable, at a sample point, by mpmath."""
from __future__ import annotations

from typing import Any, Mapping

import sympy as sp
from sympy.core.function import AppliedUndef

from .. import notation as nt


def _is_opaque(e: sp.Basic) -> bool:
    return isinstance(e, (AppliedUndef, nt._Opaque, sp.Indexed))


_LAMBDIFIED: dict[sp.Basic, Any] = {}


def _integrals_at(e: sp.Basic, point: Mapping[sp.Symbol, sp.Expr], prec: int) -> sp.Basic:
    """Evaluate one-variable integrals at ``point`` by quadrature.

    The integrand is compiled once per integral (with the parameters as extra
    arguments) and reused for every sample point: compiling dominates otherwise.
    """
    import mpmath

    def quad(integral: sp.Integral) -> sp.Basic:
        limits = integral.limits
        if len(limits) != 1 or len(limits[0]) != 3:
            return integral
        var, lo, hi = limits[0]
        body = integral.function
        params = sorted(body.free_symbols - {var}, key=lambda s: s.name)
        if body.has(sp.Integral, sp.Sum, sp.Product) or any(q not in point for q in params) \
                or any(_is_opaque(a) for a in sp.preorder_traversal(body)):
            return integral
        f = _LAMBDIFIED.get(integral)
        if f is None:
            f = _LAMBDIFIED[integral] = sp.lambdify((var, *params), body, modules="mpmath")
        with mpmath.workdps(prec):
            vals = [mpmath.mpf(sp.N(point[q], prec)) for q in params]
            ends = []
            for end, inf in ((lo, -mpmath.inf), (hi, mpmath.inf)):
                end = sp.sympify(end).xreplace(dict(point))
                ends.append(inf if end.is_infinite else mpmath.mpf(sp.N(end, prec)))
            # split at the parameters' values: a peak at mu = -1378 is missed by one tanh-sinh
            # rule over the whole line (a normal density's integral came out 4e-1365, not 1)
            inner = sorted({v for v in vals if ends[0] < v < ends[1]})
            value = mpmath.quad(lambda t: f(t, *vals), [ends[0], *inner, ends[1]])
        return sp.Float(value, prec)

    return e.replace(lambda x: isinstance(x, sp.Integral), quad)


def _quadrature(integral: sp.Integral, prec: int) -> sp.Expr:
    """Numerically integrate a one-variable definite integral with mpmath.

    ``evalf`` on an infinite-range integral can take seconds; a lambdified
    integrand with tanh-sinh quadrature takes milliseconds.
    """
    if len(integral.limits) != 1 or len(integral.limits[0]) != 3:
        return integral
    var, lo, hi = integral.limits[0]
    body = integral.function
    if body.free_symbols - {var}:
        return integral
    import mpmath

    f = sp.lambdify(var, body, modules="mpmath")
    with mpmath.workdps(prec):
        value = mpmath.quad(f, [mpmath.mpf(sp.N(lo, prec)) if lo.is_finite else -mpmath.inf,
                                mpmath.mpf(sp.N(hi, prec)) if hi.is_finite else mpmath.inf])
    return sp.Float(value, prec)
