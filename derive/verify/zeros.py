"""``a \\ne b`` in one unknown: are the two sides ever equal on its declared domain?

``zeros_job`` runs in the verifier's killable worker (solveset is unbounded): it
solves ``a = b`` over the domain of the one unknown (``x \\ne 0`` taken out) and
answers ``("none", None)`` when there is no solution, ``("zero", point)`` with
a solution at which both sides are defined and equal (checked exactly), or
None when it cannot tell.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from ..domains import Domain
from .relations import _point_in


def region_of(dom: Domain | None) -> sp.Set:
    """The declared domain as a SymPy set (the reals when nothing is declared)."""
    region = sp.S.Integers if dom is not None and dom.integer else sp.S.Reals
    if dom is not None and (dom.lo is not None or dom.hi is not None):
        lo = -sp.oo if dom.lo is None else sp.nsimplify(dom.lo)
        hi = sp.oo if dom.hi is None else sp.nsimplify(dom.hi)
        region = region.intersect(sp.Interval(lo, hi, left_open=not dom.closed_lo, right_open=not dom.closed_hi))
    if dom is not None and dom.nonzero:
        region = sp.Complement(region, sp.FiniteSet(0))
    return region


def _equal_at(a: Any, b: Any, x: sp.Symbol, p: Any) -> bool:
    va, vb = a.xreplace({x: p}), b.xreplace({x: p})
    if any(v.has(sp.zoo, sp.nan, sp.oo, -sp.oo) for v in (va, vb)):
        return False
    return sp.simplify(va - vb) == 0


def zeros_job(job: Any) -> tuple[str, str | None] | None:
    a, b = job.lhs, job.rhs
    if not (isinstance(a, sp.Expr) and isinstance(b, sp.Expr)):
        return None
    free = (a.free_symbols | b.free_symbols)
    if len(free) != 1:
        return None
    (x,) = free
    region = region_of(dict(job.domains).get(x))
    try:
        sol = sp.solveset(sp.Eq(a, b), x, region)
    except Exception:  # noqa: BLE001 - solveset raises many kinds; undecided, never a crash
        return None
    if sol.is_empty:
        return "none", None
    if sol.has(sp.ConditionSet):
        return None
    candidates = list(sol)[:4] if isinstance(sol, sp.FiniteSet) else [_point_in(sol)]
    for p in candidates:
        if p is not None and p.is_real and _equal_at(a, b, x, p):
            return "zero", str(p)
    return None
