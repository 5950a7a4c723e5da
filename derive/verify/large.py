"""Large values of the symbols the sampler keeps small (layer 3).

Symbols in the bounds of sums and in exponents are sampled small, so that
sums and exact powers stay cheap (``sampling``).  A claim that holds for small
``n`` only (``\\sum_{k=1}^n k \\le 10^6``, ``2^n \\le 10^{12}``, ``(1 + 1/n)^n < 2.718``)
then passed every point.  Here the sums are summed in closed form once, both
sides are compiled to mpmath and evaluated at ``n = 10^3 ... 10^6`` with
floating point (no exact powers): a failure there is a counterexample, and an
inequality whose sides cannot be evaluated there gets no ``numeric`` verdict.
Equations are evaluated there too, with every integer symbol unbounded above
among the large ones (``\\lfloor n / 10^4 \\rfloor = 0`` holds for every sampled
``n`` below 10^4): a failure is a counterexample, but an equation whose sides
cannot be evaluated at large values keeps the small points' verdict, and so does
an equation with a sum or a product (its closed form can take seconds; an
identity over a family's entries holds or fails at small ``n`` alike).
"""
from __future__ import annotations

import random
from typing import Any

import sympy as sp

from ..domains import domain_of
from ..step import Rel, Verdict
from .job import _elementary, _free_symbols, _Job
from .sampling import _limit_symbols, exponent_symbols, points

LARGE = (10 ** 3, 10 ** 4, 10 ** 5, 10 ** 6)
#: Further values for an inequality (``\\sum_{k=1}^n k < 10^{12}`` holds up to n = 1414213).
FARTHER = (10 ** 9, 10 ** 12)
#: The most integers visited beside the crossings of a closed form.
MAX_CROSSINGS = 12


def _closed(side: Any) -> Any:
    """Sums and products in closed form (``None``: one stays unsummed)."""
    e = _elementary(side)
    if e.has(sp.Sum, sp.Product):
        e = e.replace(lambda x: isinstance(x, (sp.Sum, sp.Product)), lambda x: x.doit())
        if e.has(sp.Sum, sp.Product):
            return None
    return e


def _targets(job: _Job) -> list[sp.Symbol]:
    sides = (_elementary(job.lhs), _elementary(job.rhs))
    declared = dict(job.domains)
    syms = _limit_symbols(*sides) | exponent_symbols(*sides)
    if job.rel is Rel.EQ:       # inequalities meet large integers in tight.py's extremes
        syms |= {s for s in _free_symbols(*sides) if domain_of(s, declared).integer}
    return sorted((s for s in syms if domain_of(s, declared).hi is None), key=lambda s: s.name)


def large_points(job: _Job) -> Verdict | None:
    """A failure at a large value, ``unknown`` when none could be evaluated, or ``None``."""
    if job.rel not in (Rel.EQ, Rel.LE, Rel.LT, Rel.GE, Rel.GT) \
            or not all(isinstance(s, sp.Expr) and not isinstance(s, sp.MatrixBase) for s in (job.lhs, job.rhs)):
        return None
    if job.rel is Rel.EQ and any(side.has(sp.Sum, sp.Product) for side in (job.lhs, job.rhs)):
        return None     # a closed form of a family's sum costs seconds, and its identity holds or fails at small n
    targets = _targets(job)
    if not targets:
        return None
    untested = None if job.rel is Rel.EQ else Verdict(
        "unknown", "numeric", "holds at the points tried, but could not be evaluated where "
        + ", ".join(s.name for s in targets) + " is large")
    sides = [_closed(s) for s in (job.lhs, job.rhs)]
    if any(s is None for s in sides):
        return untested
    syms = sorted(set().union(*[s.free_symbols for s in sides]), key=lambda s: s.name)
    if any(not isinstance(s, sp.Symbol) for s in syms):
        return untested
    try:
        fns = [sp.lambdify(syms, s, modules=[{"harmonic": _harmonic}, "mpmath"]) for s in sides]
    except Exception:  # noqa: BLE001 - a side mpmath cannot compile
        return untested
    base = next(points(job, random.Random(job.seed), 1, symbols=[s for s in syms if s not in targets]), {})
    import mpmath

    rel_tol = 10.0 ** (-(job.precision * 2 // 3))
    tested = 0
    values = list(LARGE) if job.rel is Rel.EQ else list(LARGE) + _crossings(sides, base, targets) + list(FARTHER)
    for value in values:
        point = {**base, **{s: sp.Integer(value) for s in targets}}
        got = _values(fns, syms, point, job.precision)
        if got is None:
            continue
        holds = _holds(job.rel, got[0], got[1], rel_tol, job.precision)
        if holds is None:
            continue
        tested += 1
        if holds:
            continue
        again = _values(fns, syms, point, job.precision + 20)
        if again is None or _holds(job.rel, again[0], again[1], rel_tol, job.precision + 20) is not False:
            continue
        shown = [mpmath.nstr(v, 8) for v in got]
        return Verdict("failed", "numeric", f"sides differ: {shown[0]} vs {shown[1]}",
                       {s.name: str(v) for s, v in point.items()})
    return untested if not tested else None


def _harmonic(n: Any, m: Any = 1) -> Any:
    """SymPy's ``harmonic(n, m)`` (``\\sum_{k=1}^n 1/k^m``, the closed form of such sums) in mpmath,
    which has no such function: zeta(m) - zeta(m, n + 1) (Hurwitz), or ``harmonic(n)`` for m = 1."""
    import mpmath

    return mpmath.harmonic(n) if m == 1 else mpmath.zeta(m) - mpmath.zeta(m, n + 1)


def _crossings(sides: list[Any], base: dict, targets: list[sp.Symbol]) -> list[int]:
    """Integers beside the real roots, above the largest sampled size, of the closed-form difference
    in its one large symbol (a polynomial with rational coefficients): where an inequality between
    a sum and a bound turns (``n(n+1)/2 = 10^{12}`` at n = 1414213.1)."""
    if len(targets) != 1:
        return []
    from .tight import _polynomial_roots

    (s,) = targets
    d = (sides[1] - sides[0]).xreplace({t: v for t, v in base.items() if t != s})
    if d.free_symbols != {s}:
        return []
    out: list[int] = []
    for r in _polynomial_roots(d, s) or []:
        try:
            at = float(r)
        except (TypeError, ValueError, OverflowError):
            continue
        if LARGE[0] < at < 1e30:
            out += [v for v in range(int(at) - 1, int(at) + 3) if v not in out]
    return out[:MAX_CROSSINGS]


def _values(fns: list, syms: list[sp.Symbol], point: dict, prec: int) -> tuple[Any, Any] | None:
    import mpmath

    with mpmath.workdps(prec):
        try:
            args = [mpmath.mpf(sp.Rational(point[s]).p) / sp.Rational(point[s]).q for s in syms]
            out = [f(*args) for f in fns]
            # +: mpmath.e is a constant, not an mpf
            out = [+mpmath.mpmathify(v if not isinstance(v, sp.Basic) else sp.Float(v, prec)) for v in out]
        except Exception:  # noqa: BLE001 - no value there (overflow, a pole)
            return None
        if not all(isinstance(v, mpmath.mpf) and mpmath.isfinite(v) for v in out):
            return None
        return out[0], out[1]


def _holds(rel: Rel, l: Any, r: Any, rel_tol: float, prec: int) -> bool | None:
    """``_holds_at`` in mpmath: sides beyond the range of a float (2^{10^4}) compare too."""
    import mpmath

    with mpmath.workdps(prec):
        slack = mpmath.mpf(rel_tol) * max(mpmath.mpf(1), abs(l), abs(r))
        if rel is Rel.EQ:
            return abs(l - r) <= slack
        gap = r - l if rel in (Rel.LE, Rel.LT) else l - r
        if rel in (Rel.LE, Rel.GE):
            return gap >= -slack
        return True if gap > slack else (False if gap < -slack else None)


__all__ = ["large_points", "LARGE"]
