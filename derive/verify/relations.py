"""Relations between relations: conclusions, rearranged inequalities, implications."""
from __future__ import annotations

from typing import Mapping

import sympy as sp

from ..domains import Domain, domain_of
from .symbolic import _interval, _prove_sign, _prove_zero


def _prove_relation(rel: sp.Basic, declared: Mapping[sp.Symbol, Domain]) -> str | None:
    """Prove a relational (the conclusion of an implication)."""
    if rel == sp.true:
        return "evaluates to true"
    if isinstance(rel, sp.Eq):
        return _prove_zero(rel.lhs - rel.rhs, declared)
    if isinstance(rel, (sp.Le, sp.Lt)):
        return _prove_sign(rel.rhs - rel.lhs, isinstance(rel, sp.Lt), declared)
    if isinstance(rel, (sp.Ge, sp.Gt)):
        return _prove_sign(rel.lhs - rel.rhs, isinstance(rel, sp.Gt), declared)
    if isinstance(rel, sp.And):
        methods = [_prove_relation(a, declared) for a in rel.args]
        return None if None in methods else "each conjunct"
    return None


def _as_nonnegative(rel: sp.Basic) -> tuple[sp.Expr, bool] | None:
    """``a >= b`` as ``(a - b, strict)``: the quantity the relation says is >= 0."""
    if isinstance(rel, (sp.Ge, sp.Gt)):
        return rel.lhs - rel.rhs, isinstance(rel, sp.Gt)
    if isinstance(rel, (sp.Le, sp.Lt)):
        return rel.rhs - rel.lhs, isinstance(rel, sp.Lt)
    return None


def _same_inequality(a: sp.Basic, b: sp.Basic, declared: Mapping[sp.Symbol, Domain]) -> bool:
    """Two inequalities that are one rearranged into the other (terms moved across,
    or both sides scaled by a positive constant)."""
    fa, fb = _as_nonnegative(a), _as_nonnegative(b)
    if fa is None or fb is None or fa[1] != fb[1]:
        return False
    if _prove_zero(fa[0] - fb[0], declared):
        return True
    try:
        ratio = sp.cancel(sp.together(fa[0] / fb[0]))
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    return bool(ratio.is_number and ratio.is_positive)


def _point_in(region: sp.Set) -> sp.Expr | None:
    """Some element of a (one-dimensional) set, or None if none is easy to name."""
    if isinstance(region, sp.Union):
        region = region.args[0]
    if isinstance(region, sp.FiniteSet):
        return next(iter(region), None)
    if isinstance(region, sp.Interval):
        lo, hi = region.start, region.end
        if lo.is_finite and hi.is_finite:
            return (lo + hi) / 2
        if lo.is_finite:
            return lo + 1
        if hi.is_finite:
            return hi - 1
        return sp.S.Zero
    return None


def _refute_implication(premise: sp.Basic, conclusion: sp.Basic,
                        declared: Mapping[sp.Symbol, Domain]) -> dict[str, str] | None:
    """A value of the one variable that satisfies ``premise`` but not ``conclusion``.

    Random sampling rarely lands in a premise's solution set, so a false
    implication between one-variable relations is refuted from the sets.
    """
    syms = premise.free_symbols | conclusion.free_symbols
    if len(syms) != 1:
        return None
    s = next(iter(syms))
    try:
        dom = _interval(domain_of(s, declared))
        outside = premise.as_set().intersect(dom) - conclusion.as_set()
        if outside is sp.S.EmptySet:
            return None
        point = _point_in(outside)
    except (NotImplementedError, TypeError, ValueError, AttributeError):
        return None
    return None if point is None else {s.name: str(point)}


def _prove_implication(premise: sp.Basic, conclusion: sp.Basic,
                       declared: Mapping[sp.Symbol, Domain]) -> str | None:
    """Every solution of ``premise`` (in the domains) satisfies ``conclusion``."""
    if premise == sp.false:
        return "premise is false"
    if _same_inequality(premise, conclusion, declared):
        return "rearrangement"
    if isinstance(premise, sp.Eq):
        for s in sorted(premise.free_symbols, key=lambda x: x.name):
            try:
                sols = sp.solve(premise, s, dict=False)
            except (NotImplementedError, TypeError, ValueError):
                continue
            if not sols:
                continue
            dom = domain_of(s, declared)
            sols = [v for v in sols if dom.contains(v) is not False]
            if all(_prove_relation(conclusion.subs(s, v), declared) for v in sols):
                return f"solve for {s}"
        return None
    syms = premise.free_symbols | conclusion.free_symbols
    if len(syms) == 1:
        s = next(iter(syms))
        dom = _interval(domain_of(s, declared))
        try:
            if premise.as_set().intersect(dom).is_subset(conclusion.as_set()):
                return "solution sets"
        except (NotImplementedError, TypeError, ValueError, AttributeError):
            return None
    return None
