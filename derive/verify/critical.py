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
from typing import Any

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


def _solved(g: sp.Expr, s: sp.Symbol, region: sp.Set, deadline: float | None) -> sp.Set | None:
    limit = SOLVE_SECONDS if deadline is None else min(SOLVE_SECONDS, deadline - time.monotonic())
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


def _members(found: sp.Set, dom: Domain, depth: int = 0) -> list[sp.Expr]:
    """A few real elements of a solution set, inside the domain."""
    if depth > 3:
        return []
    out: list[sp.Expr] = []
    if isinstance(found, sp.FiniteSet):
        out = list(found)[:8]
    elif isinstance(found, sp.Union):       # a ConditionSet part gives none; the others still do
        for part in found.args[:6]:
            out += _members(part, dom, depth + 1)
    elif isinstance(found, (sp.Intersection, sp.Complement)):
        inner = [a for a in found.args if not isinstance(a, (sp.Interval, sp.FiniteSet))] or [found.args[0]]
        out = [v for v in _members(inner[0], dom, depth + 1) if found.contains(v) is sp.true]
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
            at = (_near(dom) - float(offset)) / float(slope)
            k0 = round(at)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            return []
        ks = sorted((k0 - 1, k0, k0 + 1), key=lambda k: (abs(k - at), -k))[:MEMBERS]
        out = [expr.xreplace({n: sp.Integer(k)}) for k in ks]
    return [v for v in out if v.is_number and v.is_real is not False and dom.contains(v) is True]


def exact_points(f: sp.Expr, s: sp.Symbol, dom: Domain, deadline: float | None = None) -> list[sp.Expr]:
    """Exact zeros of ``f`` and of ``f'`` in ``s`` that lie in the domain (critical points first)."""
    if dom.integer or sp.count_ops(f) > 80:
        return []
    region = region_of(dom)
    out: list[sp.Expr] = []
    for g in (sp.diff(f, s), f):
        found = _solved(g, s, region, deadline)
        if found is None:
            continue
        out += [v for v in _members(found, dom) if v not in out]
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


def doubtful_minimum(f: sp.Expr, s: sp.Symbol, x: float, scale: sp.Expr) -> str | None:
    """Refine the numeric minimum of ``f`` near ``x`` by Newton on ``f'``; where it is 0 to
    ``DOUBT_DIGITS`` digits of ``scale`` (the sides' size), the point (8 digits), else None."""
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
        if v is None or big is None:
            return None
        if abs(v) <= mpmath.mpf(10) ** (-DOUBT_DIGITS) * max(mpmath.mpf(1), abs(big)):
            return mpmath.nstr(root, 8)
    return None


__all__ = ["Doubts", "doubtful_minimum", "exact_points", "proved_zero"]
