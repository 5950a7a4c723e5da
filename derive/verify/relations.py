"""Relations between relations: conclusions, rearranged inequalities, implications."""
from __future__ import annotations

import math
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
    """``a`` implies ``b`` because ``b`` is ``a`` rearranged: terms moved across, or both
    sides divided by a quantity positive under the assumptions (a negative one flips
    the direction, which ``_as_nonnegative`` has already normalised).

    A strict ``a`` implies a non-strict ``b``; a non-strict one never a strict one.
    """
    fa, fb = _as_nonnegative(a), _as_nonnegative(b)
    if fa is None or fb is None or (fb[1] and not fa[1]):
        return False
    if _prove_zero(fa[0] - fb[0], declared):
        return True
    try:
        ratio = sp.cancel(sp.together(fa[0] / fb[0]))
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    if ratio.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        return False
    if ratio.is_number:
        return bool(ratio.is_positive)
    return _prove_sign(ratio, True, declared) is not None


def _outside(v: sp.Expr, dom: Domain) -> bool:
    """``v`` is provably not in ``dom`` (decided from assumptions where it has symbols)."""
    if dom.contains(v) is False:
        return True
    if dom.lo is not None:
        d = v - sp.nsimplify(dom.lo)
        if d.is_negative or (not dom.closed_lo and d.is_zero):
            return True
    if dom.hi is not None:
        d = sp.nsimplify(dom.hi) - v
        if d.is_negative or (not dom.closed_hi and d.is_zero):
            return True
    return bool(v.is_real is False)


def _algebraic_in(e: sp.Expr, s: sp.Symbol) -> bool:
    """``e`` is built from ``s`` by +, ×, and rational powers only (other atoms are constants)."""
    if not e.has(s):
        return True
    if e == s:
        return True
    if isinstance(e, (sp.Add, sp.Mul)):
        return all(_algebraic_in(a, s) for a in e.args)
    if isinstance(e, sp.Pow):
        return e.exp.is_Rational is True and _algebraic_in(e.base, s)
    return False


def _nondegenerate(f: sp.Expr, s: sp.Symbol, dom: Domain) -> bool:
    """``f = 0`` is, for every value of the other symbols, a polynomial equation in
    ``s`` (or in a root of ``s``) of degree 1 to 4 whose leading coefficient never
    vanishes.  Then ``solve`` lists every solution: ``x y = 0`` solved for ``x``
    gives only ``x = 0``, which misses every ``x`` when ``y = 0``.
    """
    if not _algebraic_in(f, s):
        return False
    try:
        num = sp.numer(sp.together(f))
        exps = {p.exp for p in num.atoms(sp.Pow) if p.base == s} | {sp.Integer(1)}
        q = math.lcm(*[int(sp.Rational(e).q) for e in exps])
        if q > 1:
            if dom.lo is None or dom.lo < 0:
                return False
            u = sp.Dummy("u", positive=True)
            num = sp.expand(num.subs(s, u**q))
            s = u
        poly = sp.Poly(num, s)
    except (sp.PolynomialError, sp.GeneratorsNeeded, TypeError, ValueError):
        return False
    if not 1 <= poly.degree() <= 4:
        return False
    lc = poly.LC()
    return bool(lc.is_number and lc != 0) or lc.is_nonzero is True


def _all_solutions(premise: sp.Eq, s: sp.Symbol, dom: Domain) -> list[sp.Expr] | None:
    """Every real solution of ``premise`` for ``s`` in ``dom``, or None if not known to be complete.

    ``solve`` only on a non-degenerate algebraic equation; ``solveset`` only when
    ``s`` is the one symbol (with parameters it returns generic solutions).  Not
    ``solve`` in general: ``solve(sin x = 0)`` lists two solutions of infinitely
    many, which would "prove" ``sin x = 0 => x < 4``.
    """
    f = premise.lhs - premise.rhs
    if _nondegenerate(f, s, dom):
        try:
            sols = sp.solve(premise, s, dict=False)
        except (NotImplementedError, TypeError, ValueError, AttributeError, sp.PolynomialError):
            sols = None
        if isinstance(sols, list) and all(isinstance(v, sp.Expr) for v in sols):
            return [v for v in sols if not _outside(v, dom)]
    if premise.free_symbols != {s}:
        return None
    try:
        found = sp.solveset(premise, s, domain=sp.S.Reals)
    except (NotImplementedError, TypeError, ValueError, AttributeError):
        return None
    if not isinstance(found, sp.FiniteSet):
        return None
    return [v for v in found if not _outside(v, dom)]


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
            sols = _all_solutions(premise, s, domain_of(s, declared))
            if sols is None:
                continue
            if not sols:
                return f"no solution for {s}"
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
