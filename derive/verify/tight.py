"""Where an inequality is tightest: near the roots and the minima of the difference.

Random points rarely land where ``d = rhs - lhs`` touches or crosses zero, yet
that is where a false inequality fails (``x^2 + 1 > 2x`` only at ``x = 1``).
Along each symbol, with the others fixed at a sampled point, this finds the
real roots of ``d`` (exactly for a rational function of low degree, else
numerically) and the local minima of ``d`` on a grid over the domain, and
returns points at and around them for the numeric layer to test.
"""
from __future__ import annotations

import math
import random
import time
from fractions import Fraction
from typing import Iterator

import sympy as sp
from mpmath.libmp.libhyper import NoConvergence

from ..domains import Domain, domain_of
from ..step import Rel
from .critical import Doubts, Touching, members, paired_points, settle_minima, solution_sets, square_zeros, touching_roots
from .job import _elementary, _Job
from .relations import _algebraic_in
from .sampling import ValuesOnly, _rat, exponent_symbols, points, step_symbols

Point = dict[sp.Symbol, sp.Expr]

#: Bounds on the search: symbols searched, base points, grid size, evaluations.
MAX_SYMBOLS = 4
BASES = 2
GRID = 24
MAX_EVALS = 400
#: The highest degree of a derivative whose zeros are searched (after removing repeated roots).
CRITICAL_DEGREE = 12


def _difference(job: _Job) -> sp.Expr | None:
    """``d`` such that the relation says ``d >= 0`` (or ``> 0``)."""
    if job.rel not in (Rel.LE, Rel.LT, Rel.GE, Rel.GT):
        return None
    l, r = _elementary(job.lhs), _elementary(job.rhs)
    if not (isinstance(l, sp.Expr) and isinstance(r, sp.Expr)) or isinstance(l, sp.MatrixBase):
        return None
    d = r - l if job.rel in (Rel.LE, Rel.LT) else l - r
    if d.has(sp.Integral, sp.Sum, sp.Product, sp.Limit, sp.Derivative, sp.Piecewise):
        return None
    return d


def _grid(dom: Domain, capped: bool = False) -> list[sp.Expr]:
    """A coarse grid over the domain, log-spaced towards its ends (to 1e6, or 30 if ``capped``)."""
    top = 1.5 if capped else 6
    exps = [-3 + (3 + top) * i / (GRID // 2 - 1) for i in range(GRID // 2)]
    if dom.lo is None and dom.hi is None:
        mags = [_rat(10**e) for e in exps]
        return sorted([-m for m in mags] + mags)
    if dom.hi is None or dom.lo is None:
        end = sp.nsimplify(dom.lo if dom.hi is None else dom.hi)
        sign = 1 if dom.hi is None else -1
        return sorted(end + sign * _rat(10**e) for e in exps)
    lo, hi = sp.nsimplify(dom.lo), sp.nsimplify(dom.hi)
    fracs = [sp.Rational(1, 10**k) for k in (4, 3, 2)] + [sp.Rational(j, 10) for j in range(1, 10)]
    fracs += [1 - f for f in fracs[:3]]
    return sorted(lo + (hi - lo) * f for f in fracs)


def _value(f: sp.Expr, s: sp.Symbol, x: sp.Expr) -> float | None:
    try:
        v = f.xreplace({s: x}).evalf(20)
        if not v.is_number or v.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or abs(sp.im(v)) > 1e-12 * max(1.0, abs(v)):
            return None
        return float(sp.re(v))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError):
        return None


def _polynomial_roots(f: sp.Expr, s: sp.Symbol) -> list[sp.Expr] | None:
    """Real roots and poles of a rational function of ``s`` (None if it is not one)."""
    try:
        num, den = sp.fraction(sp.cancel(sp.together(f)))
        polys = [sp.Poly(num, s), sp.Poly(den, s)]
    except (sp.PolynomialError, sp.GeneratorsNeeded, TypeError, ValueError):
        return None
    return _real_roots(polys)


def _critical_points(f: sp.Expr, s: sp.Symbol) -> list[sp.Expr]:
    """Real zeros of the derivative of a rational function of ``s``: a minimum between two
    close roots is where ``4x(1-x) \\le 1 - 10^{-20}`` fails (x = 1/2), and no root lies there."""
    try:
        num, den = sp.fraction(sp.cancel(sp.together(f)))
        slope = sp.expand(sp.diff(num, s) * den - num * sp.diff(den, s))
        if not slope.free_symbols:
            return []
        # square-free (t beta^{t-1} has one root, 0, not t - 1 of them: polyroots stalls on
        # repeated roots) and of a degree nroots solves in milliseconds
        poly = sp.Poly(slope, s).sqf_part()
        return _real_roots([poly]) if poly.degree() <= CRITICAL_DEGREE else []
    except (sp.PolynomialError, sp.GeneratorsNeeded, TypeError, ValueError):
        return []


def _real_roots(polys: list[sp.Poly]) -> list[sp.Expr]:
    out: list[sp.Expr] = []
    for p in polys:
        if p.degree() <= 0 or p.degree() > 40 or not all(c.is_Rational for c in p.all_coeffs()):
            continue
        if p.degree() <= 2:
            out += [r for r in sp.roots(p, multiple=True) if r.is_real]
        else:
            try:
                found = p.nroots(n=20)
            except (NoConvergence, sp.PolynomialError, ValueError):
                continue        # no root to visit here; the other candidates still are
            for r in found:
                if abs(sp.im(r)) < 1e-15:
                    out += _snapped(sp.re(r))
    return out


def _snapped(x: sp.Expr, tol: float = 1e-12) -> list[sp.Expr]:
    """A numeric root as a 20-digit rational, and first as the simplest rational within
    ``tol`` (relative) of it when one has a small denominator (a minimum at 1/2, at y):
    the numeric layer then evaluates there exactly."""
    q = sp.Rational(str(x))
    for most in (10, 100, 1000):
        simple = sp.Rational(Fraction(str(x)).limit_denominator(most))
        if abs(simple - q) <= sp.Rational(tol) * max(1, abs(q)):
            return [simple, q] if simple != q else [q]
    return [q]


def _minima(f: sp.Expr, s: sp.Symbol, dom: Domain, budget: list[int], capped: bool,
            mids: list[float] | None = None) -> list[sp.Expr]:
    """Local minima of ``f`` on the grid, refined by golden-section search (their floats go to ``mids``)."""
    xs = _grid(dom, capped)
    vals = []
    for x in xs:
        budget[0] -= 1
        vals.append(_value(f, s, x))
    out = []
    for i in range(1, len(xs) - 1):
        a, b, c = vals[i - 1], vals[i], vals[i + 1]
        if None in (a, b, c) or not (b <= a and b <= c):
            continue
        lo, hi = float(xs[i - 1]), float(xs[i + 1])
        g = (5**0.5 - 1) / 2
        for _ in range(30):
            if budget[0] <= 0:
                break
            m1, m2 = hi - g * (hi - lo), lo + g * (hi - lo)
            v1, v2 = _value(f, s, _rat(m1)), _value(f, s, _rat(m2))
            budget[0] -= 2
            if v1 is None or v2 is None:
                break
            lo, hi = (lo, m2) if v1 <= v2 else (m1, hi)
        mid = (lo + hi) / 2
        out += _simple_near(mid) + [_rat(mid)]
        if mids is not None:
            mids.append(mid)
    return out


def _simple_near(x: float) -> list[sp.Expr]:
    """A rational with denominator at most 12 within 1e-3 (relative) of a minimum found by
    golden section on 4-digit points (7/3 for 2.3325), for |x| <= 1000: evaluated exactly,
    a minimum at a simple point (x = y, x = 1/2) is met exactly."""
    if not abs(x) <= 1000:
        return []
    simple = sp.Rational(Fraction(x).limit_denominator(12))
    ok = abs(float(simple) - x) <= 1e-3 * max(1.0, abs(x)) and simple != _rat(x)
    return [simple] if ok else []


def _around(x: sp.Expr, dom: Domain) -> list[sp.Expr]:
    """``x`` itself and points just beside it, inside the domain."""
    try:
        mag = max(1.0, abs(float(x)))
    except (TypeError, ValueError):
        return []
    if dom.integer:
        fl = int(sp.floor(x))
        cands = [sp.Integer(fl - 1), sp.Integer(fl), sp.Integer(fl + 1), sp.Integer(fl + 2)]
    else:
        cands = [x] + [x + sgn * _rat(mag * h) for h in (1e-6, 1e-3) for sgn in (-1, 1)]
    return [c for c in cands if dom.contains(c) is True]


def _extremes(dom: Domain, capped: bool) -> list[sp.Expr]:
    """Values beyond the sampled magnitudes: 1e9 and 1e12 towards an open end, 1e-9 from a bound."""
    far = [] if capped else [sp.Integer(10) ** 9, sp.Integer(10) ** 12]
    near = [sp.Rational(1, 10**9), sp.Rational(1, 10**12)]
    if dom.integer:
        far = [] if capped else [sp.Integer(10) ** 6, sp.Integer(10) ** 9]
        near = []
    out: list[sp.Expr] = []
    lo = None if dom.lo is None else sp.nsimplify(dom.lo)
    hi = None if dom.hi is None else sp.nsimplify(dom.hi)
    if hi is None:
        out += [(lo if lo is not None else 0) + f for f in far]
    if lo is None:
        out += [(hi if hi is not None else 0) - f for f in far]
    width = 1 if lo is None or hi is None else hi - lo
    if lo is not None:
        out += [lo + width * e for e in near]
    if hi is not None:
        out += [hi - width * e for e in near]
    return [v for v in out if dom.contains(v) is True]


def _algebraic_roots(f: sp.Expr, s: sp.Symbol) -> list[sp.Expr]:
    """Real roots of an algebraic (radical) equation in one symbol, from ``solve``."""
    if not _algebraic_in(f, s) or sp.count_ops(f) > 60:
        return []
    try:
        return [r for r in sp.solve(f, s) if r.is_real]
    except (NotImplementedError, TypeError, ValueError, sp.PolynomialError):
        return []


def tight_points(job: _Job, deadline: float | None = None, doubts: Doubts | None = None) -> Iterator[Point]:
    """Points at and beside the roots and minima of the difference, slice by slice (exact
    zeros of ``d`` and ``d'`` first); ``doubts`` (strict only) gets the minima that are 0."""
    d = _difference(job)
    if d is None:
        return
    declared = dict(job.domains)
    syms = step_symbols(job)
    if not syms or any(isinstance(a, sp.Indexed) for a in sp.preorder_traversal(d)):
        return
    rng = random.Random(job.seed ^ 0x5EED)
    budget = [MAX_EVALS]
    capped = exponent_symbols(d)
    doubts = doubts if job.rel in (Rel.LT, Rel.GT) else None
    solved: dict[sp.Expr, list[sp.Expr]] = {}      # a slice met again (one symbol) is solved once
    yield from square_zeros(d, syms, {t: domain_of(t, declared) for t in syms}, deadline) if doubts is not None else ()
    for base in points(job, rng, BASES, symbols=syms, moderate_first=1):
        for s in syms[:MAX_SYMBOLS]:
            if budget[0] <= 0 or (deadline is not None and time.monotonic() > deadline):
                return
            dom = domain_of(s, declared)
            f = d.xreplace({t: v for t, v in base.items() if t != s})
            if f.free_symbols != {s}:
                continue
            for v in _extremes(dom, s in capped):
                yield {**base, s: v}
            found = _polynomial_roots(f, s)
            if found is not None:
                found = list(dict.fromkeys(_critical_points(f, s)[:4] + found))
                for r in touching_roots(f, s, dom, deadline) if job.rel in (Rel.LT, Rel.GT) else ():
                    yield Touching({**base, s: r})
            elif not dom.integer:
                found = _transcendental(f, s, dom, budget, s in capped, solved.setdefault(
                    f, solution_sets(f, s, dom, deadline)), doubts)
            for x in (found or [])[:12]:       # at most 4 critical points, then 8 roots
                for v in _around(x, dom):
                    yield {**base, s: v}
        if len(syms) > 1 and job.rel in (Rel.LT, Rel.GT):      # two symbols at their touching point
            yield from paired_points(d, syms[:MAX_SYMBOLS], base, {t: domain_of(t, declared) for t in syms}, deadline)


def _transcendental(f: sp.Expr, s: sp.Symbol, dom: Domain, budget: list[int], capped: bool,
                    sets: list[sp.Set], doubts: Doubts | None) -> list[sp.Expr]:
    """Exact critical points and zeros first, then roots and minima (``critical.settle_minima``)."""
    mids: list[float] = []
    minima = _minima(f, s, dom, budget, capped, mids)
    exact = members(sets, dom)[:6]
    if doubts is not None:
        exact += settle_minima(f, s, dom, sets, mids, exact, doubts)
    return exact + _algebraic_roots(f, s) + minima


def _denominators(e: sp.Basic) -> list[sp.Expr]:
    """Bases of negative powers and arguments of logs: where a side may have no value."""
    out = [p.base for p in e.atoms(sp.Pow) if p.exp.is_negative]
    out += [a.args[0] for a in e.atoms(sp.log)]
    return out


def singular_points(job: _Job) -> Iterator[Point]:
    """Points where a denominator (or a log's argument) of either side is zero.

    ``(x^2 - 1)/(x - 1) = x + 1`` fails at ``x = 1``, which no random point hits.
    """
    if job.rel in (Rel.IMPLIES, Rel.IFF):
        return
    sides = [s for s in (job.lhs, job.rhs) if isinstance(s, sp.Expr) and not isinstance(s, sp.MatrixBase)]
    dens = {d for side in sides for d in _denominators(_elementary(side)) if d.free_symbols}
    if not dens:
        return
    declared = dict(job.domains)
    syms = step_symbols(job)
    rng = random.Random(job.seed ^ 0xD0)
    base = next(points(job, rng, 1, symbols=syms))
    for den in sorted(dens, key=sp.default_sort_key)[:6]:
        for s in sorted(den.free_symbols & set(syms), key=lambda x: x.name):
            f = den.xreplace({t: v for t, v in base.items() if t != s})
            try:
                poly = sp.Poly(f, s)
            except (sp.PolynomialError, sp.GeneratorsNeeded):
                continue
            if not 1 <= poly.degree() <= 2:
                continue
            dom = domain_of(s, declared)
            for r in sp.roots(poly, multiple=True):
                if r.is_real and dom.contains(r) is True:
                    yield {**base, s: r}


# --------------------------------------------------------------------------- #
# Points random sampling misses, for every relation: simple values and breakpoints
# --------------------------------------------------------------------------- #

#: Exact simple values: every symbol at one of them (the symmetric points, x = y), then
#: one symbol at a time at the first three with the others at a sampled point.
SIMPLE = (sp.Integer(0), sp.Integer(1), sp.Integer(-1), sp.Rational(1, 2), sp.Rational(-1, 2), sp.Integer(2))
#: Functions that change their formula where their argument is 0 (``sign(x)^2 = 1`` fails
#: at x = 0 only), or an integer (``\lfloor \cos^2 x \rfloor = 0`` fails where cos^2 x = 1).
_AT_ZERO = (sp.sign, sp.Abs, sp.Heaviside)
_AT_INTEGERS = (sp.floor, sp.ceiling, sp.frac)


def _kinks(sides: list[sp.Expr]) -> list[tuple[sp.Expr, bool]]:
    """``(g, integers)``: the breakpoints are where ``g = 0``, or ``g`` is an integer."""
    out: list[tuple[sp.Expr, bool]] = []
    for side in sides:
        out += [(f.args[0], False) for f in side.atoms(*_AT_ZERO)]
        out += [(f.args[0], True) for f in side.atoms(*_AT_INTEGERS)]
        for f in side.atoms(sp.Max, sp.Min):
            args = f.args[:3]
            out += [(a - b, False) for i, a in enumerate(args) for b in args[i + 1:]]
        for f in side.atoms(sp.Piecewise):
            for _, cond in f.args:
                if isinstance(cond, sp.Basic):
                    out += [(c.lhs - c.rhs, False) for c in cond.atoms(sp.core.relational.Relational)]
    return sorted({g: k for g, k in out if g.free_symbols}.items(), key=lambda gk: sp.default_sort_key(gk[0]))[:6]


def _solutions(f: sp.Expr, s: sp.Symbol) -> list[sp.Expr]:
    """Real solutions of ``f = 0`` in ``s``: a polynomial's roots, else ``solve`` of a small equation."""
    try:
        poly = sp.Poly(f, s)
        if 1 <= poly.degree() <= 2 and all(c.is_Rational for c in poly.all_coeffs()):
            return [r for r in sp.roots(poly, multiple=True) if r.is_real]
    except (sp.PolynomialError, sp.GeneratorsNeeded, TypeError, ValueError):
        pass
    if sp.count_ops(f) > 25:
        return []
    try:
        return [r for r in sp.solve(f, s) if r.is_real and r.is_number]
    except (NotImplementedError, TypeError, ValueError, sp.PolynomialError, RecursionError):
        return []


def special_points(job: _Job, deadline: float | None = None) -> Iterator[Point]:
    """Exact simple points (0, ±1, 1/2, every symbol equal) and the breakpoints of floor,
    ceiling, sign, abs, max, min, Heaviside and Piecewise, with points just beside them.

    They refute a step only by values (``ValuesOnly``): where a side is undefined
    (``singular_points`` looks for that on purpose) a convention may hold instead."""
    if job.rel in (Rel.IMPLIES, Rel.IFF):
        return
    sides = [_elementary(s) for s in (job.lhs, job.rhs)]
    if not all(isinstance(e, sp.Expr) and not isinstance(e, sp.MatrixBase) for e in sides):
        return
    syms = step_symbols(job)
    if not syms or any(e.has(sp.Indexed) for e in sides):
        return
    declared = dict(job.domains)
    doms = {s: domain_of(s, declared) for s in syms}
    # a side with a sum, an integral or a limit costs a summation or a quadrature per point:
    # only its breakpoints are visited
    costly = any(e.has(sp.Sum, sp.Product, sp.Integral, sp.Limit) for e in sides)
    for v in () if costly else SIMPLE:
        if all(doms[s].contains(v) is True for s in syms):
            yield ValuesOnly({s: v for s in syms})
    base = next(points(job, random.Random(job.seed ^ 0x51), 1, symbols=syms))
    if len(syms) > 1 and not costly:
        for s in syms[:MAX_SYMBOLS]:
            for v in SIMPLE[:3]:
                if doms[s].contains(v) is True:
                    yield ValuesOnly({**base, s: v})
    for g, integers in _kinks(sides):
        for s in syms[:MAX_SYMBOLS]:
            if deadline is not None and time.monotonic() > deadline:
                return
            f = g.xreplace({t: v for t, v in base.items() if t != s})
            if f.free_symbols != {s}:
                continue
            levels = [sp.Integer(0)]
            if integers:
                at = _value(f, s, base[s])
                levels = sorted({sp.Integer(int(math.floor(at)) + j) for j in (-1, 0, 1)} | {sp.Integer(0), sp.Integer(1)}) \
                    if at is not None and abs(at) < 1e9 else levels
            for k in levels:
                for x in _solutions(f - k, s)[:4]:
                    for v in _around(x, doms[s]):
                        yield ValuesOnly({**base, s: v})
