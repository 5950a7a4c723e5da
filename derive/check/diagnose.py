"""Diagnosis of an invalid step, run in the verifier's worker.

``diagnose`` gives the conditions ``symbol = value`` under which the step would
hold (the zeros of the factors of ``lhs - rhs``) and, for matrices, the entries
that differ; ``implication_counterexample`` a solution of a premise where the
conclusion fails; ``short`` and ``latex`` print values for messages.
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from ..domains import domain_of
from ..printer import terminating_decimal
from ..step import Rel
from ..verify import _Job


def _symbols(e: Any) -> set[sp.Symbol]:
    if isinstance(e, sp.MatrixBase):
        return set().union(*[_symbols(x) for x in e]) if e else set()
    return {s for s in getattr(e, "free_symbols", set()) if isinstance(s, sp.Symbol)}


def _opaque(e: Any) -> set[sp.Basic]:
    if isinstance(e, sp.MatrixBase):
        return set().union(*[_opaque(x) for x in e]) if e else set()
    if not isinstance(e, sp.Basic):
        return set()
    return {a for a in sp.preorder_traversal(e) if isinstance(a, AppliedUndef)}


def _diagnose(job: _Job, point: dict[str, str] | None = None) -> tuple[list[tuple[sp.Symbol, sp.Expr]], list[str]]:
    """Conditions ``symbol = value`` under which the step holds; differing matrix entries."""
    declared = dict(job.domains)
    l, r = job.lhs, job.rhs
    entries: list[str] = []
    if isinstance(l, sp.MatrixBase) and isinstance(r, sp.MatrixBase) and l.shape == r.shape:
        subs = {s: sp.Rational(point[s.name]) for s in _symbols(l) | _symbols(r)
                if point and s.name in point}
        for i in range(l.rows):
            for j in range(l.cols):
                d = sp.simplify((l[i, j] - r[i, j]).xreplace(subs))
                if d != 0:
                    entries.append(f"({i + 1},{j + 1})")
        return [], entries
    if job.rel is not Rel.EQ or not isinstance(l, sp.Expr) or not isinstance(r, sp.Expr):
        return [], []
    num, _ = sp.fraction(sp.together(sp.expand(l - r)))
    conds: list[tuple[sp.Symbol, sp.Expr]] = []
    for f in sp.factor_list(num)[1]:
        factor = f[0]
        syms = sorted(_symbols(factor), key=lambda s: s.name)
        if not syms or factor.is_positive or factor.is_negative:
            continue
        for s in syms:
            try:
                sols = sp.solve(factor, s)
            except (NotImplementedError, TypeError, ValueError):
                continue
            dom = domain_of(s, declared)
            sols = [v for v in sols if v.is_real is not False and dom.contains(v) is not False
                    and sp.count_ops(v) <= 6]
            if sols:
                conds.extend((s, v) for v in sols[:2])
                break
    return conds, entries


def _implication_counterexample(job: _Job) -> dict[str, str] | None:
    """A solution of the premise (within the domains) where the conclusion fails."""
    declared = dict(job.domains)
    premise, conclusion = job.lhs, job.rhs
    eqs = [premise] if isinstance(premise, sp.Eq) else list(premise.args) if isinstance(premise, sp.And) else []
    eqs = [e for e in eqs if isinstance(e, sp.Eq)]
    if not eqs:
        return None
    syms = sorted(_symbols(premise) | _symbols(conclusion), key=lambda s: s.name)
    try:
        sols = sp.solve(eqs, syms, dict=True)
    except (NotImplementedError, TypeError, ValueError):
        return None
    for sol in sols:
        if any(not domain_of(s, declared).contains(v) for s, v in sol.items() if not v.free_symbols):
            continue
        c = conclusion.xreplace(sol)
        if c.free_symbols:
            continue
        truth = c.doit() if hasattr(c, "doit") else c
        if truth == sp.false:
            return {s.name: str(v) for s, v in sol.items()}
    return None


def _became_matrix(raw: Any, prepared: Any) -> bool:
    """A product of commuting (scalar) names that facts turned into matrices: its order is lost.
    A product of matrix names (``MatMul``) keeps its order and is no such case."""
    return not isinstance(raw, sp.MatrixBase) and isinstance(prepared, sp.MatrixBase) and isinstance(raw, sp.Basic) \
        and any(isinstance(a, sp.Mul) and not isinstance(a, sp.MatrixExpr)
                and sum(1 for f in a.args if not f.is_number) >= 2 for a in sp.preorder_traversal(raw))


def _scalar_beside_matrix(a: Any, b: Any) -> bool:
    """``a`` an explicit matrix, ``b`` a scalar expression with names in it."""
    return isinstance(a, sp.MatrixBase) and not isinstance(b, (sp.MatrixBase, sp.MatrixExpr)) \
        and bool(getattr(b, "free_symbols", None))


def _short(value: str) -> str:
    """``-971/1000`` -> ``-0.971``: a fraction with a terminating decimal is printed as
    that (exact) decimal; other values (``1/3``, ``\\sqrt{2}``) stay as they are."""
    m = re.fullmatch(r"\s*(-?\d+)\s*/\s*(\d+)\s*", value)
    if not m:
        return value
    text = terminating_decimal(sp.Rational(int(m.group(1)), int(m.group(2))))
    return value if text is None else text


def _latex(v: sp.Expr, names: dict[str, str]) -> str:
    return sp.latex(v, symbol_names={s: names.get(s.name, s.name) for s in v.free_symbols})


__all__ = ["_diagnose", "_implication_counterexample", "_became_matrix", "_scalar_beside_matrix", "_short", "_latex", "_symbols", "_opaque"]
