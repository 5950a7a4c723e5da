"""Exact critical points of a one-variable difference, and minima that come too close to 0.

A strict inequality whose sides touch at an irrational point (``1 + \\cos x > 0``
at ``x = \\pi``, ``\\ln t < t/e`` at ``t = e``) passed every float point: the
difference ``d`` is positive at each of them.  Here the zeros of ``d`` and of
``d'`` are solved for exactly (``solveset``, bounded in time); a periodic
solution set (an ``ImageSet``) gives a few of its members inside the domain.
``tight.tight_points`` visits them, where the numeric layer evaluates the sides
exactly and sees the tie.

Where no exact point is found, a local minimum found numerically is refined
(Newton on ``d'`` at high precision): a minimum that is 0 to many digits is a
*doubt*, and a strict inequality with a doubt is ``unknown``, never ``valid``.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Iterator

import mpmath
import sympy as sp

from ..bounds import Overrun, alarm
from ..domains import Domain
from .zeros import region_of

#: Seconds for one solveset call, and members taken from each periodic solution set.
SOLVE_SECONDS = 1.0
MEMBERS = 2
#: Digits of the Newton refinement of a numeric minimum, and the digits to which a
#: minimum that equals 0 there is a doubt (relative to the sides' size).
REFINE_DPS = 60
DOUBT_DIGITS = 40


@dataclass
class Doubts:
    """What ``tight_points`` could not settle: minima of the difference that are 0 to
    ``DOUBT_DIGITS`` digits at a point no exact solution was found for."""
    found: list[tuple[sp.Symbol, str]] = field(default_factory=list)

    def add(self, s: sp.Symbol, where: str) -> None:
        if len(self.found) < 4:
            self.found.append((s, where))

    def message(self) -> str:
        s, where = self.found[0]
        return (f"the difference of the sides comes within 10^-{DOUBT_DIGITS} of 0 near {s.name} = {where}: "
                "derive cannot tell whether the strict inequality fails there")


class Touching(dict):
    """A point at an exact real root of the numerator of the difference (a ``CRootOf`` of a
    polynomial with rational coefficients): the sides are exactly equal there, whether or not
    SymPy simplifies their difference to 0.  A strict inequality whose sides tie numerically
    at such a point fails (``numeric._judge_point``)."""


#: Highest degree of a numerator whose real roots are isolated exactly.
ROOT_DEGREE = 12



def _solve_seconds(deadline: float | None) -> float:
    """The time one exact solve may take: ``SOLVE_SECONDS``, less if the deadline is nearer."""
    return SOLVE_SECONDS if deadline is None else min(SOLVE_SECONDS, deadline - time.monotonic())

def touching_roots(f: sp.Expr, s: sp.Symbol, dom: Domain, deadline: float | None = None) -> list[sp.Expr]:
    """Exact real roots in the domain of the numerator of a rational function ``f`` of ``s``:
    ``(x^2 - 2)^2 > 0`` fails at sqrt 2 and ``(x^3 - 3x + 1)^2 > 0`` at a CRootOf, where
    a 20-digit root (``nroots``) leaves a positive difference."""
    limit = _solve_seconds(deadline)
    if limit <= 0.05 or f.has(sp.CRootOf):      # no rational coefficients, and slow to cancel
        return []
    try:
        with alarm(limit):
            poly = sp.Poly(sp.numer(sp.cancel(sp.together(f))), s).sqf_part()
            if not 1 <= poly.degree() <= ROOT_DEGREE or not all(c.is_Rational for c in poly.all_coeffs()):
                return []
            return [r for r in poly.real_roots() if dom.contains(r) is True][:6]
    except Overrun:
        return []
    except Exception:  # noqa: BLE001 - no exact roots, never a crash
        return []


def _critical(f: sp.Expr, s: sp.Symbol, dom: Domain, deadline: float | None) -> list[sp.Expr]:
    """Exact critical points of a slice: real roots of the derivative's numerator (a rational
    function), else the members of solveset's solution set of ``f'``."""
    if f.has(sp.CRootOf):
        return []
    slope = sp.diff(f, s)
    found = touching_roots(slope, s, dom, deadline)
    if found:
        return found
    sets = [x for x in [_solved(slope, s, region_of(dom), deadline)] if x is not None]
    return members(sets, dom)


def paired_points(d: sp.Expr, syms: list[sp.Symbol], base: dict, doms: dict, deadline: float | None) -> Iterator[dict]:
    """``y^2 + (x^2 - 2)^2 > 0`` fails at x = sqrt 2 and y = 0 together, which no slice through a
    sampled point meets: one symbol at an exact critical point of its slice, then another at an
    exact root (``Touching``) or critical point of what is left, the rest at ``base``."""
    for s in syms:
        f = d.xreplace({t: v for t, v in base.items() if t != s})
        if f.free_symbols != {s}:
            continue
        for c in _critical(f, s, doms[s], deadline)[:4]:
            for t in syms:
                if t == s or (deadline is not None and time.monotonic() > deadline):
                    continue
                g = d.xreplace({s: c, **{u: v for u, v in base.items() if u not in (s, t)}})
                if g.free_symbols != {t}:
                    continue
                roots = touching_roots(g, t, doms[t], deadline)
                for r in roots:
                    yield Touching({**base, s: c, t: r})
                for r in [] if roots else _critical(g, t, doms[t], deadline)[:2]:
                    yield {**base, s: c, t: r}


def _square_bases(d: sp.Expr) -> list[sp.Expr] | None:
    """``g_1, g_2, ..`` when ``d`` is written as ``c_1 g_1^{2k} + c_2 g_2^{2m} + ..`` (``c_i > 0``,
    or ``|g_i|``): then ``d = 0`` exactly where every ``g_i = 0``."""
    bases = []
    for term in sp.Add.make_args(d):
        coeff, rest = term.as_coeff_Mul()
        if not (coeff.is_Rational and coeff > 0):
            return None
        if isinstance(rest, sp.Abs):
            bases.append(rest.args[0])
        elif rest.is_Pow and rest.exp.is_Integer and rest.exp.is_even and rest.exp > 0:
            bases.append(rest.base)
        else:
            return None
    return bases if len(bases) > 1 else None


def square_zeros(d: sp.Expr, syms: list[sp.Symbol], doms: dict, deadline: float | None) -> Iterator[dict]:
    """``(x - y)^2 + (y^2 - 3)^2 > 0`` fails at x = y = sqrt 3, where no slice through a sampled
    point meets a zero: a sum of squares of polynomials is 0 where all of them are, a system
    solved exactly (bounded in time); each real solution in the domains is a ``Touching`` point."""
    bases = _square_bases(d)
    limit = _solve_seconds(deadline)
    if bases is None or limit <= 0.05 or not all(b.is_polynomial(*syms) for b in bases):
        return
    try:
        with alarm(limit):
            found = sp.solve(bases, syms, dict=True)
    except Overrun:
        return
    except Exception:  # noqa: BLE001 - solve raises many kinds; no points, never a crash
        return
    for sol in found[:6]:
        if set(sol) == set(syms) and all(doms[s].contains(v) is True for s, v in sol.items()):
            yield Touching(sol)


def _solved(g: sp.Expr, s: sp.Symbol, region: sp.Set, deadline: float | None) -> sp.Set | None:
    limit = _solve_seconds(deadline)
    if limit <= 0.05:
        return None
    try:
        with alarm(limit):
            return sp.solveset(sp.Eq(g, 0), s, region)
    except Overrun:
        return None
    except Exception:  # noqa: BLE001 - solveset raises many kinds; no points, never a crash
        return None


def _near(dom: Domain) -> float:
    """Where in the domain the members of a periodic set are taken: 0, or beside a bound."""
    if dom.lo is not None and dom.lo >= 0:
        return float(dom.lo)
    if dom.hi is not None and dom.hi <= 0:
        return float(dom.hi)
    return 0.0


def _members(found: sp.Set, dom: Domain, center: float, depth: int = 0) -> list[sp.Expr]:
    """A few real elements of a solution set inside the domain, a periodic one's nearest ``center``."""
    if depth > 3:
        return []
    out: list[sp.Expr] = []
    if isinstance(found, sp.FiniteSet):
        out = list(found)[:8]
    elif isinstance(found, sp.Union):       # a ConditionSet part gives none; the others still do
        for part in found.args[:6]:
            out += _members(part, dom, center, depth + 1)
    elif isinstance(found, (sp.Intersection, sp.Complement)):
        inner = [a for a in found.args if not isinstance(a, (sp.Interval, sp.FiniteSet))] or [found.args[0]]
        out = [v for v in _members(inner[0], dom, center, depth + 1) if found.contains(v) is sp.true]
    elif isinstance(found, sp.ImageSet) and len(found.lamda.variables) == 1 \
            and found.base_sets[0] == sp.S.Integers:
        (n,) = found.lamda.variables
        expr = found.lamda.expr
        try:
            poly = sp.Poly(expr, n)
        except (sp.PolynomialError, sp.GeneratorsNeeded):
            return []
        if poly.degree() != 1:
            return []
        slope, offset = poly.all_coeffs()
        try:
            at = (center - float(offset)) / float(slope)
            k0 = round(at)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            return []
        ks = sorted((k0 - 1, k0, k0 + 1), key=lambda k: (abs(k - at), -k))[:MEMBERS]
        out = [expr.xreplace({n: sp.Integer(k)}) for k in ks]
    return [v for v in out if v.is_number and v.is_real is not False and dom.contains(v) is True]


def solution_sets(f: sp.Expr, s: sp.Symbol, dom: Domain, deadline: float | None = None) -> list[sp.Set]:
    """The zeros of ``f'`` and of ``f`` in ``s`` over the domain, as solveset gives them."""
    if dom.integer or sp.count_ops(f) > 80:
        return []
    region = region_of(dom)
    found = [_solved(g, s, region, deadline) for g in (sp.diff(f, s), f)]
    return [x for x in found if x is not None]


def exact_points(f: sp.Expr, s: sp.Symbol, dom: Domain, deadline: float | None = None,
                 sets: list[sp.Set] | None = None, center: float | None = None) -> list[sp.Expr]:
    """Exact zeros of ``f'`` and of ``f`` that lie in the domain (critical points first); of a
    periodic set, the members nearest ``center`` (0, or the domain's bound)."""
    return members(solution_sets(f, s, dom, deadline) if sets is None else sets, dom, center)


def members(sets: list[sp.Set], dom: Domain, center: float | None = None) -> list[sp.Expr]:
    """The points of ``sets`` in the domain, at most 8; of a periodic set, those nearest ``center``."""
    at = _near(dom) if center is None else center
    out: list[sp.Expr] = []
    for found in sets:
        out += [v for v in _members(found, dom, at) if v not in out]
    return out[:8]


def proved_zero(d: sp.Expr) -> bool:
    """A number (no floats) that ``simplify`` or SymPy's ``equals`` proves is 0 within
    ``SOLVE_SECONDS`` (``cos(2 acos(-1/4)) + 7/8``): the sides tie exactly there."""
    if not (isinstance(d, sp.Expr) and d.is_number) or d.has(sp.Float, sp.Integral, sp.Sum, sp.Limit):
        return False
    try:
        with alarm(SOLVE_SECONDS):
            return sp.simplify(d) == 0 or d.equals(0) is True
    except Overrun:
        return False
    except Exception:  # noqa: BLE001 - simplify raises many kinds: not proved
        return False


def _mp_value(fn: Any, x: Any) -> Any:
    try:
        v = fn(x)
    except (ZeroDivisionError, ValueError, TypeError, OverflowError):
        return None
    if isinstance(v, mpmath.mpc):
        if abs(v.imag) > mpmath.mpf(10) ** (-REFINE_DPS // 2) * max(1, abs(v)):
            return None
        v = v.real
    return v if isinstance(v, mpmath.mpf) and mpmath.isfinite(v) else None


def zero_minimum(f: sp.Expr, s: sp.Symbol, x: float, scale: sp.Expr) -> float | None:
    """Refine the numeric minimum of ``f`` near ``x`` by Newton on ``f'`` at ``REFINE_DPS`` digits;
    where ``f`` is 0 there to ``DOUBT_DIGITS`` digits of ``scale`` (the sides' size), that point."""
    try:
        slope, fn = sp.lambdify(s, sp.diff(f, s), "mpmath"), sp.lambdify(s, f, "mpmath")
        size = sp.lambdify(s, scale, "mpmath")
    except Exception:  # noqa: BLE001 - an expression mpmath cannot compile: no doubt found
        return None
    with mpmath.workdps(REFINE_DPS):
        try:
            root = mpmath.findroot(slope, mpmath.mpf(x), tol=mpmath.mpf(10) ** (-REFINE_DPS + 5), maxsteps=60)
        except (ZeroDivisionError, ValueError, TypeError, OverflowError):
            return None
        if isinstance(root, mpmath.mpc):
            if abs(root.imag) > mpmath.mpf(10) ** (-REFINE_DPS // 2):
                return None
            root = root.real
        v, big = _mp_value(fn, root), _mp_value(size, root)
        if v is None or big is None or abs(v) > mpmath.mpf(10) ** (-DOUBT_DIGITS) * max(mpmath.mpf(1), abs(big)):
            return None
        return float(root)


def exact_at(sets: list[sp.Set], dom: Domain, x: float) -> sp.Expr | None:
    """The exact solution (of ``f'`` or ``f``) that a numeric point ``x`` is (to 1e-9), if any."""
    for v in members(sets, dom, center=x):
        try:
            if abs(float(v) - x) <= 1e-9 * max(1.0, abs(x)):
                return v
        except (TypeError, ValueError):
            continue
    return None


def settle_minima(f: sp.Expr, s: sp.Symbol, dom: Domain, sets: list[sp.Set], mids: list[float],
                  exact: list[sp.Expr], doubts: Doubts) -> list[sp.Expr]:
    """For a strict inequality: each numeric minimum (``mids``) that is 0 to many digits is the
    exact solution it is (returned, to be evaluated exactly: a tie fails, a positive gap passes),
    or, when no solution set has it, a doubt."""
    out: list[sp.Expr] = []
    scale = sp.Add(*map(sp.Abs, sp.Add.make_args(f)))
    for m in mids[:6]:
        root = zero_minimum(f, s, m, scale)
        if root is None:
            continue
        at = exact_at(sets, dom, root)
        if at is None:
            doubts.add(s, format(root, ".8g"))
        elif at not in exact and at not in out:
            out.append(at)
    return out


__all__ = ["paired_points", "square_zeros", "Touching", "touching_roots", "Doubts", "exact_at", "exact_points", "members", "proved_zero", "settle_minima", "solution_sets", "zero_minimum"]
