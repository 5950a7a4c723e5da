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

import itertools
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


# --------------------------------------------------------------------------- #
# Poles inside the range: a rational integrand's real pole in [lo, hi] is never integrable

#: Values tried for each parameter when looking for a pole inside the range.
_TRIES = (2, 3, sp.Rational(1, 2), 10, -2, -sp.Rational(1, 2), 1, -1, 0, -3, 100)
_MAX_POINTS = 64


def _real_poles(f: sp.Expr, x: sp.Symbol) -> list[sp.Expr] | None:
    """The real zeros of the denominator of the rational function ``f`` of ``x`` (numeric
    coefficients), after cancelling; ``None`` when ``f`` is no such function."""
    try:
        num, den = sp.fraction(sp.cancel(sp.together(f)))
        if not den.has(x):
            return []
        if not (den.is_polynomial(x) and num.is_polynomial(x)) or den.free_symbols - {x}:
            return None
        return list(dict.fromkeys(sp.Poly(den, x).real_roots()))
    except (sp.PolynomialError, NotImplementedError, TypeError, ValueError):
        return None


def _inside(r: sp.Expr, lo: sp.Expr, hi: sp.Expr) -> bool | None:
    gap = hi - lo           # extended: an infinite end is on its side of every pole
    a, b = (lo, hi) if gap.is_extended_nonnegative else (hi, lo) if gap.is_extended_negative else (None, None)
    if a is None:
        return None
    left, right = (r - a).is_extended_nonnegative, (b - r).is_extended_nonnegative
    if left is None or right is None:
        return None
    return left and right


def pole_inside(part: sp.Integral, declared: Mapping[sp.Symbol, Domain]) -> tuple[str, dict, sp.Expr | None]:
    """``("pole", point, r)``: at ``point`` (values of the parameters in their domains; empty when
    there are none) the rational integrand has a pole ``r`` in the closed range, so the integral
    does not converge; ``("none", {}, None)``: no pole in the range for any parameter value;
    ``("unknown", {}, None)``: a pole may lie inside for some values, derive cannot tell;
    ``("skip", {}, None)``: the test does not apply (no rational integrand, poles that move)."""
    from ..domains import domain_of

    if len(part.limits) != 1 or len(part.limits[0]) != 3:
        return "skip", {}, None
    x, lo, hi = part.limits[0]
    f = part.function
    if not isinstance(f, sp.Expr) or f.has(sp.Integral, sp.Sum, sp.Piecewise) or lo.has(x) or hi.has(x):
        return "skip", {}, None
    params = sorted((f.free_symbols | lo.free_symbols | hi.free_symbols) - {x}, key=str)
    if not params:
        poles = _real_poles(f, x)
        if poles is None:
            return "skip", {}, None
        inside = [r for r in poles if _inside(r, lo, hi)]
        return ("pole", {}, inside[0]) if inside else ("none", {}, None)
    if len(params) > 2:
        return "skip", {}, None
    tries = [[sp.sympify(v) for v in _TRIES if domain_of(p, declared).contains(sp.sympify(v)) is True] for p in params]
    for values in itertools.islice(itertools.product(*tries), _MAX_POINTS):
        point = {p: sp.sympify(v) for p, v in zip(params, values)}
        g, a, b = f.xreplace(point), lo.xreplace(point), hi.xreplace(point)
        poles = _real_poles(g, x) if a.is_finite is not False and b.is_finite is not False else None
        for r in poles or ():
            if _inside(r, a, b) and (a - r) != 0 and (b - r) != 0:    # strictly inside: a clear case
                return "pole", point, r
    poles = _real_poles(f, x) if not (f.free_symbols - {x}) else None
    if poles is None:
        return "skip", {}, None         # poles that move with the parameters: left to the other checks
    from .symbolic import _prove_sign

    for r in poles:     # every pole on one side of both ends, for every value of the parameters
        if not any(_prove_sign(sign * (lo - r), True, declared) is not None
                   and _prove_sign(sign * (hi - r), True, declared) is not None for sign in (1, -1)):
            return "unknown", {}, None
    return "none", {}, None


def divergent_value(part: sp.Integral, declared: Mapping[sp.Symbol, Domain]) -> sp.Expr:
    """The value of an integral with a pole in its range and no parameters: ``oo`` (``-oo``) when
    the integrand tends to +oo (-oo) on every side of every pole inside, else ``nan`` (no value)."""
    from .onesided import _sign

    (x, lo, hi), f = part.limits[0], part.function
    reversed_ = bool((hi - lo).is_extended_negative)
    a, b = (hi, lo) if reversed_ else (lo, hi)
    signs = set()
    for r in _real_poles(f, x) or ():
        if not _inside(r, lo, hi):
            continue
        for s in (-1, 1):
            if (s < 0 and r == a) or (s > 0 and r == b):
                continue        # the side beyond the range
            v = _sign(sp.cancel(1 / f), x, r, s)     # 1/f -> 0 there, with the sign of f
            signs.add(v)
    direction = -1 if reversed_ else 1
    if signs == {1}:
        return direction * sp.oo
    if signs == {-1}:
        return -direction * sp.oo
    return sp.nan
