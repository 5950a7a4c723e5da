"""Integrals that converge by domination: polynomial times a Gaussian-type exponential.

A definite integral of ``c * P(x) * exp(Q(x))`` (``P`` and ``Q`` polynomials in ``x``, ``c`` a
finite constant) over a range whose infinite ends ``Q`` sends to ``-oo`` is finite: the
exponential beats every polynomial.  A sum of such terms is finite when each term is.  This
is what the Gaussian moments of a solution sheet are (``int (x - mu)^2 p(x) dx`` with ``p``
a normal density), and SymPy's ``doit`` on them with symbolic parameters is slow or gives
up; without it a proof by linearity could not be kept (linearity holds only where the
integrals converge).  Anything outside this class is left to ``doit``: the test is a
sufficient condition, never a verdict of divergence.
"""
from __future__ import annotations

from typing import Mapping

import sympy as sp

from ..domains import Domain
from ..notation import GaussianPdf


def dominated_finite(part: sp.Integral, declared: Mapping[sp.Symbol, Domain]) -> bool:
    """True when ``part`` (one variable, definite) provably has a finite value."""
    from .symbolic import _prove_sign

    if len(part.limits) != 1 or len(part.limits[0]) != 3:
        return False
    x, lo, hi = part.limits[0]
    if lo.has(x) or hi.has(x) or not all(b.is_infinite or _finite_constant(b, x) for b in (lo, hi)):
        return False
    for term in sp.Add.make_args(sp.expand(part.function, deep=False)):
        q = _exponent(term, x, declared)
        if q is None:
            return False
        for end, sign in ((hi, 1), (lo, -1)):
            if not end.is_infinite:
                continue
            if (end is sp.oo) != (sign == 1):       # an integral with reversed infinite ends
                return False
            poly = sp.Poly(q, x)
            if poly.degree() < 1:
                return False
            lead = poly.LC() * (sign ** poly.degree())
            if _prove_sign(-lead, True, declared) is None:
                return False
    return True


def _finite_constant(e: sp.Basic, x: sp.Symbol) -> bool:
    return not e.has(x) and not e.has(sp.oo, -sp.oo, sp.zoo, sp.nan, sp.Integral, sp.Sum) \
        and all(s.is_real for s in e.free_symbols) \
        and (e.is_finite is True or e.is_polynomial(*e.free_symbols))   # 1/a is no finite constant


def _exponent(term: sp.Basic, x: sp.Symbol, declared: Mapping[sp.Symbol, Domain]) -> sp.Expr | None:
    """``Q`` with ``|term| <= C (1 + |x|)^k exp(Q(x))`` for real ``x``, or ``None``."""
    q: sp.Expr = sp.S.Zero
    for factor in sp.Mul.make_args(term):
        if _finite_constant(factor, x):
            continue
        base, power = factor.as_base_exp()
        if power.is_Integer and power > 0 and _polynomial(base, x):
            continue
        if isinstance(factor, sp.exp) and _polynomial(factor.args[0], x):
            q += factor.args[0]
            continue
        if isinstance(base, GaussianPdf) and power.is_Integer and power > 0:
            g = _gaussian_exponent(base, x, declared)
            if g is None:
                return None
            q += power * g
            continue
        if isinstance(factor, sp.log) and power == 1:
            if _log_polynomial(factor.args[0], x, declared):
                continue
        return None
    return sp.expand(q)


def _polynomial(e: sp.Basic, x: sp.Symbol) -> bool:
    return e.is_polynomial(x) and all(_finite_constant(c, x) for c in sp.Poly(e, x).coeffs())


def _gaussian_exponent(pdf: GaussianPdf, x: sp.Symbol, declared: Mapping[sp.Symbol, Domain]) -> sp.Expr | None:
    """The exponent of a normal density with a provably positive variance, linear argument."""
    from .symbolic import _prove_sign

    arg, mean, var = pdf.args[:3]
    if not (_polynomial(arg, x) and sp.Poly(arg, x).degree() <= 1 and _finite_constant(mean, x)
            and _finite_constant(var, x)) or _prove_sign(var, True, declared) is None:
        return None
    return -(arg - mean) ** 2 / (2 * var)


def _log_polynomial(e: sp.Basic, x: sp.Symbol, declared: Mapping[sp.Symbol, Domain]) -> bool:
    """``log e`` is a polynomial in ``x``: ``e`` a product of powers of positive constants and
    normal densities (each positive, with a polynomial logarithm)."""
    from .symbolic import _prove_sign

    for factor in sp.Mul.make_args(e):
        base, power = factor.as_base_exp()
        if not _finite_constant(power, x):
            return False
        if isinstance(base, GaussianPdf):
            if _gaussian_exponent(base, x, declared) is None:
                return False
        elif not (_finite_constant(base, x) and _prove_sign(base, True, declared) is not None):
            return False
    return True
