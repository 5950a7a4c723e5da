"""The numeric layer for ``P => Q`` and ``P <=> Q``: evidence only where P holds.

Random points rarely satisfy a premise (``c^2 d = 1`` never, at random), so a
point where P fails says nothing about the implication.  Besides random points,
this solves P for one symbol at a time, with the other symbols at sampled
values, and samples inside P's solution set and on its boundary.  ``P <=> Q``
checks both directions.  A numeric verdict needs at least ``MIN_PREMISE_POINTS``
points where the premise holds; with fewer the verdict is ``unknown``.
"""
from __future__ import annotations

import dataclasses
import random
import time
from typing import Any, Iterator, Mapping

import sympy as sp

from ..bounds import Overrun, alarm
from ..domains import Domain, domain_of
from ..step import Rel, Verdict
from .job import _free_symbols, _Job
from .numeric import _numeric, _relational_holds, _substituted
from .quadrature import margins, recording
from .sampling import _counterexample, _rat, points, step_symbols

Point = dict[sp.Symbol, sp.Expr]

#: Fewer points than this where the premise holds: no numeric verdict.
MIN_PREMISE_POINTS = 8
#: Sampled base points around which the premise is solved, and values taken per solution set.
SOLVE_BASES = 8
PER_SET = 6
#: Seconds for solving a premise's equation (or boundary) for one symbol, and solutions used.
SOLVE_SECONDS = 1.0
MAX_SOLUTIONS = 4
_REL = {sp.Gt: Rel.GT, sp.Ge: Rel.GE, sp.Lt: Rel.LT, sp.Le: Rel.LE}


def _real_interval(dom: Domain) -> sp.Set:
    lo = sp.nsimplify(dom.lo) if dom.lo is not None else sp.S.NegativeInfinity
    hi = sp.nsimplify(dom.hi) if dom.hi is not None else sp.S.Infinity
    return sp.Interval(lo, hi, left_open=not dom.closed_lo or dom.lo is None,
                       right_open=not dom.closed_hi or dom.hi is None)


def _solution_set(rel: sp.Basic, s: sp.Symbol, dom: Domain) -> sp.Set | None:
    """Values of ``s`` (a real interval of the domain) for which ``rel`` holds."""
    where = _real_interval(dom)
    if rel == sp.true:
        return where
    if rel == sp.false:
        return sp.S.EmptySet
    if isinstance(rel, (sp.And, sp.Or)):
        parts = [_solution_set(a, s, dom) for a in rel.args]
        if None in parts:
            return None
        return sp.Intersection(*parts) if isinstance(rel, sp.And) else sp.Union(*parts)
    if not isinstance(rel, sp.core.relational.Relational) or rel.free_symbols != {s}:
        return None
    try:
        return sp.solveset(rel, s, domain=where)
    except (NotImplementedError, TypeError, ValueError, AttributeError):
        return None


def _beside(x: sp.Expr, away: int) -> sp.Expr:
    mag = max(1.0, abs(float(x)))
    return x + away * _rat(mag * 1e-6)


def _pick(region: sp.Set, dom: Domain, rng: random.Random) -> list[sp.Expr]:
    """Values inside ``region`` and on its boundary (exact where the boundary is)."""
    out: list[sp.Expr] = []
    if isinstance(region, sp.Union):
        for part in region.args[:4]:
            out += _pick(part, dom, rng)
        return out
    if isinstance(region, sp.FiniteSet):
        out = [v for v in region if v.is_real][:PER_SET]
    elif isinstance(region, sp.Interval):
        a, b = region.start, region.end
        if a.is_finite:
            out.append(a if not region.left_open else _beside(a, 1))
        if b.is_finite:
            out.append(b if not region.right_open else _beside(b, -1))
        if a.is_finite and b.is_finite:
            out += [(a + b) / 2, a + (b - a) * _rat(rng.uniform(0.05, 0.95))]
        elif a.is_finite:
            out += [a + _rat(10 ** rng.uniform(-2, 3)), a + _rat(10 ** rng.uniform(3, 6))]
        elif b.is_finite:
            out += [b - _rat(10 ** rng.uniform(-2, 3)), b - _rat(10 ** rng.uniform(3, 6))]
        else:
            out += [_rat(rng.uniform(-3, 3)), _rat(10 ** rng.uniform(2, 6) * rng.choice((-1, 1)))]
    else:
        return []
    if dom.integer:
        ints = []
        for v in out:
            try:
                ints += [sp.floor(v), sp.ceiling(v)]
            except (TypeError, ValueError):
                continue
        out = list(dict.fromkeys(ints))
    return [v for v in out if v.is_number and dom.contains(v) is not False]


def _premise_points(job: _Job, premise: sp.Basic, rng: random.Random, count: int,
                    thorough: bool, deadline: float, cut: list[bool] | None = None) -> Iterator[Point]:
    """Random points, then (thorough) points inside and on the boundary of the premise's
    solution set; ``cut`` is set when the deadline stops that search early."""
    yield from points(job, rng, count)
    if not thorough:
        return
    declared = dict(job.domains)
    syms = step_symbols(job)
    mine = sorted(_free_symbols(premise) & set(syms), key=lambda s: s.name)
    for base in points(job, rng, SOLVE_BASES, symbols=syms, moderate_first=1):
        for s in mine:
            if time.monotonic() > deadline:
                if cut is not None:
                    cut.append(True)
                return
            dom = domain_of(s, declared)
            fixed = premise.xreplace({t: v for t, v in base.items() if t != s})
            region = _solution_set(fixed, s, dom)
            if region is None:
                continue
            for v in _pick(region, dom, rng):
                yield {**base, s: v}
    yield from _boundary_points(job, premise, job.rhs if premise is job.lhs else job.lhs, deadline)


def _boundary_points(job: _Job, premise: sp.Basic, conclusion: sp.Basic, deadline: float) -> Iterator[Point]:
    """``x = y^2 => x > 0`` holds at every sampled y but fails at y = 0: the premise (an equation,
    or the boundary of a non-strict inequality) is solved for one symbol, and the conclusion with
    that solution put in is searched where it is tightest (``tight.tight_points``)."""
    from .tight import tight_points

    if not isinstance(premise, (sp.Eq, sp.Ge, sp.Le)) or not isinstance(conclusion, tuple(_REL)):
        return
    for s in sorted(_free_symbols(premise), key=lambda t: t.name):
        left = deadline - time.monotonic()
        if left <= 0.1:
            return
        try:
            with alarm(min(SOLVE_SECONDS, left)):
                found = sp.solve(sp.Eq(premise.lhs, premise.rhs), s, dict=False)
        except Overrun:
            continue
        except Exception:  # noqa: BLE001 - solve raises many kinds: no points from this symbol
            continue
        for v in found[:MAX_SOLUTIONS] if isinstance(found, list) else []:
            if not isinstance(v, sp.Expr) or s in v.free_symbols:
                continue
            sub = dataclasses.replace(job, lhs=conclusion.lhs.xreplace({s: v}), rel=_REL[type(conclusion)],
                                      rhs=conclusion.rhs.xreplace({s: v}))
            dom = domain_of(s, dict(job.domains))
            for point in tight_points(sub, deadline):
                at = v.xreplace(point)
                if dom.contains(at) is True:        # a real value of the domain (no sqrt of a negative)
                    yield {**point, s: at}


def _exact_truth(rel: sp.Basic, point: Mapping[sp.Symbol, sp.Expr], atoms: dict,
                 rng: random.Random, prec: int) -> bool | None:
    """Truth of ``rel`` at ``point`` with exact arithmetic, where SymPy can decide it."""
    try:
        e = _substituted(rel, point, atoms, rng, prec)
    except (TypeError, ValueError, ZeroDivisionError, AttributeError):
        return None
    return _decide_exact(e)


def _decide_exact(e: Any) -> bool | None:
    if e in (sp.true, sp.false):
        return bool(e)
    if isinstance(e, (sp.And, sp.Or)):
        parts = [_decide_exact(a) for a in e.args]
        if isinstance(e, sp.And):
            return False if False in parts else (None if None in parts else True)
        return True if True in parts else (None if None in parts else False)
    if not isinstance(e, sp.core.relational.Relational) or e.has(sp.Float):
        return None
    d = e.lhs - e.rhs
    if d.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not d.is_number or d.is_real is not True:
        return None
    d = sp.expand(d)
    zero = d == 0 or d.is_zero is True
    if isinstance(e, sp.Eq):
        return True if zero else (False if d.is_zero is False else None)
    if isinstance(e, sp.Ne):
        return False if zero else (True if d.is_zero is False else None)
    if zero:
        return isinstance(e, (sp.Le, sp.Ge))
    pos = d.is_positive
    if pos is None:
        return None
    return pos if isinstance(e, (sp.Gt, sp.Ge)) else not pos


def _truth(rel: sp.Basic, point: Point, atoms: dict, rng: random.Random, prec: int,
           rel_tol: float) -> bool | None:
    exact = _exact_truth(rel, point, atoms, rng, prec)
    if exact is not None:
        return exact
    try:
        return _relational_holds(_numeric(rel, point, atoms, rng, prec), rel_tol)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, AttributeError, RecursionError):
        return None


def _judge(premise: sp.Basic, conclusion: sp.Basic, point: Point, rng: random.Random, prec: int,
           rel_tol: float) -> str:
    atoms: dict = {}
    if _truth(premise, point, atoms, rng, prec, rel_tol) is not True:
        return "skip"
    q = _truth(conclusion, point, atoms, rng, prec, rel_tol)
    if q is None:
        return "skip"
    if q:
        return "pass"
    # Confirm with more digits: rounding noise is never a counterexample, nor is the error
    # of a quadrature (a value whose bound matters leaves the point without evidence).
    with recording(deeper=True) as values:
        confirmed = _truth(premise, point, atoms, rng, prec + 20, rel_tol) is True \
            and _truth(conclusion, point, atoms, rng, prec + 20, rel_tol) is False
    spread = margins((), values, rel_tol)
    return "fail" if confirmed and spread is not None and not any(spread) else "skip"


def _implication_layer(job: _Job, count: int, prec: int, thorough: bool) -> Verdict | None:
    """A counterexample, ``unknown`` (too few points satisfy the premise), or None."""
    rng = random.Random(job.seed)
    rel_tol = 10.0 ** (-(prec * 2 // 3))
    # the thorough search may use most of the numeric layer's budget (twice the timeout) before it is cut
    deadline = time.monotonic() + max(job.timeout * (1.6 if thorough else 1.0), 0.5)
    directions = [(job.lhs, job.rhs, "the premise holds but the conclusion does not")]
    if job.rel is Rel.IFF:
        directions.append((job.rhs, job.lhs, "the right side holds but the left side does not"))
    undecided: Verdict | None = None     # one direction of <=> undecided: the other may still fail
    for premise, conclusion, message in directions:
        held, cut = 0, []
        for point in _premise_points(job, premise, rng, count, thorough, deadline, cut):
            status = _judge(premise, conclusion, point, rng, prec, rel_tol)
            if status == "fail":
                return Verdict("failed", "numeric", message, _counterexample(point))
            held += status == "pass"
        if thorough and cut:
            # random points alone miss thin premise regions (s/sqrt(d) <= 1 => s <= d, under load)
            undecided = undecided or Verdict("unknown", "timeout", "the search inside the premise did not finish in time")
        elif thorough and held < MIN_PREMISE_POINTS:
            side = "premise" if premise is job.lhs else "right side"
            undecided = undecided or Verdict("unknown", "numeric", f"only {held} sample points satisfy the {side}")
    return undecided
