r"""Sums whose bounds may cross (``\sum_{k=1}^{n} 1`` with ``n`` any integer).

SymPy evaluates ``Sum(f, (k, a, b))`` with Karr's convention: for ``b < a - 1`` it is
``-Sum(f, (k, b + 1, a - 1))`` (``\sum_{k=1}^{n} 1 = n`` for every ``n``).  Written
mathematics means an empty sum there, value 0 (``\sum_{k=1}^{-2} 1 = 0``).  So a proof
that used ``doit`` only holds where every such sum has ``b \ge a - 1``.  This module looks
for a counterexample at small integer bounds where a sum is empty (each sum evaluated
with the empty-sum convention, never Karr's), and writes each such sum as a Piecewise
that is 0 where it is empty, for the proofs and the numeric points.
"""
from __future__ import annotations

import dataclasses
import itertools
from typing import Any, Mapping

import sympy as sp

from ..domains import Domain, domain_of
from ..step import Verdict

#: The integers tried for each bound symbol (small, both signs).
TRIED = tuple(sorted(range(-4, 5), key=lambda v: (abs(v), v)))
#: At most this many assignments of the bound symbols are evaluated.
MAX_POINTS = 60


def _sides(job: Any) -> list[sp.Basic]:
    return [s for s in (job.lhs, job.rhs) if isinstance(s, sp.Basic) and not isinstance(s, sp.MatrixBase)]


def crossing(job: Any) -> list[sp.Basic]:
    """The lengths ``b - a + 1`` of the sums whose bounds are not known to satisfy
    ``b \\ge a - 1`` under the declared domains."""
    from .symbolic import _prove_sign

    declared = dict(job.domains)
    out: list[sp.Basic] = []
    for side in _sides(job):
        for s in side.atoms(sp.Sum):
            for lim in s.limits:
                if len(lim) != 3:
                    continue
                length = sp.expand(lim[2] - lim[1] + 1)
                if not length.free_symbols or length in out:
                    continue
                if length.has(sp.oo, -sp.oo) or any(e.has(s.variables[0]) for e in lim[1:]
                                                    if s.variables[0] != lim[0]):
                    continue
                try:
                    ok = _prove_sign(length, False, declared)
                except Exception:       # noqa: BLE001 - an unprovable condition stays a condition
                    ok = None
                if ok is None:
                    out.append(length)
    return out


def _empty_first(e: sp.Basic) -> sp.Basic:
    """Every sum with numeric bounds ``b < a`` replaced by 0 (inner sums first)."""
    def fold(*args: Any) -> sp.Basic:
        s = sp.Sum(*args)
        for lim in s.limits:
            if len(lim) == 3 and (lim[2] - lim[1]).is_number and (lim[2] - lim[1]).is_negative:
                return sp.S.Zero
        return s
    return e.replace(sp.Sum, fold)


def _value(e: sp.Basic) -> sp.Basic | None:
    try:
        v = _empty_first(e)
        v = v.doit() if v.has(sp.Sum) else v
        if v.has(sp.Sum) or v.free_symbols:
            return None
        return sp.nsimplify(v) if v.is_Float else v
    except Exception:           # noqa: BLE001 - no value, no counterexample
        return None


def _fits(value: int, dom: Domain) -> bool:
    return dom.contains(sp.Integer(value)) is not False


def counterexample(job: Any, lengths: list[sp.Basic]) -> Verdict | None:
    """``failed`` at small integer bounds where a sum is empty and the sides differ."""
    declared: Mapping[sp.Symbol, Domain] = dict(job.domains)
    syms = sorted({s for length in lengths for s in length.free_symbols}, key=lambda s: s.name)
    sides = _sides(job)
    if len(sides) != 2 or len(syms) > 3 or {s for side in sides for s in side.free_symbols} - set(syms):
        return None
    from ..step import Rel
    compare = {Rel.EQ: sp.Eq, Rel.LE: sp.Le, Rel.LT: sp.Lt, Rel.GE: sp.Ge, Rel.GT: sp.Gt}.get(job.rel)
    if compare is None:
        return None
    tried = 0
    for combo in itertools.product(TRIED, repeat=len(syms)):
        point = dict(zip(syms, map(sp.Integer, combo)))
        if not all(_fits(int(v), domain_of(s, declared)) for s, v in point.items()):
            continue
        if not any((length.xreplace(point)).is_negative for length in lengths):
            continue
        tried += 1
        if tried > MAX_POINTS:
            return None
        l, r = (_value(side.xreplace(point)) for side in sides)
        if l is None or r is None:
            continue
        holds = compare(l, r)
        if holds is sp.false:
            return Verdict("failed", "empty sum", f"a sum is empty here (value 0): {sp.sstr(l)} vs {sp.sstr(r)}",
                           {s.name: str(v) for s, v in point.items()})
    return None


def explicit(job: Any) -> Any:
    """The job with each sum that may be empty written ``Piecewise((S, b - a + 1 >= 0), (0, True))``:
    proofs and numeric points then use the empty-sum convention (SymPy evaluates ``S`` by Karr's
    only where the condition holds, and there the conventions agree)."""
    lengths = crossing(job)
    if not lengths:
        return job

    def wrap(e: Any) -> Any:
        if not isinstance(e, sp.Basic) or isinstance(e, sp.MatrixBase) or not e.has(sp.Sum):
            return e

        def fold(*args: Any) -> sp.Basic:
            s = sp.Sum(*args)
            conds = [sp.Ge(sp.expand(lim[2] - lim[1] + 1), 0) for lim in s.limits
                     if len(lim) == 3 and sp.expand(lim[2] - lim[1] + 1) in lengths]
            return sp.Piecewise((s, sp.And(*conds)), (0, True)) if conds else s
        return e.replace(sp.Sum, fold)
    return dataclasses.replace(job, lhs=wrap(job.lhs), rhs=wrap(job.rhs))


def refute(job: Any) -> Verdict | None:
    """``failed`` when a sum that may be empty makes the sides differ; else None."""
    lengths = crossing(job)
    return counterexample(job, lengths) if lengths else None


__all__ = ["crossing", "counterexample", "explicit", "refute"]
