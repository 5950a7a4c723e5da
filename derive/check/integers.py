"""Integers a line pins down: the least integer with a bound, and the value a linear line solves for.

``$N \\ge 58.4$, so $N = 59$`` is the idiom for the least integer N with the bound; ``2x = 5``
after a wrong line says the writer now believes ``x = 5/2``.  ``LeastInteger`` is mixed into
``decide.Deciding``, which owns the scope (``bounded``, ``domains``, ``hyps``).
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from .chains import RawStep
from .facts import _constant, names_in
from .report import Verdict


def _solve_linear(lhs: Any, rhs: Any) -> tuple[sp.Symbol, sp.Expr] | None:
    """``(x, value)`` when ``lhs = rhs`` is linear in its only symbol ``x``."""
    if not (isinstance(lhs, sp.Expr) and isinstance(rhs, sp.Expr)):
        return None
    names = names_in(lhs) | names_in(rhs)
    if len(names) != 1:
        return None
    (x,) = names
    if not isinstance(x, sp.Symbol):
        return None
    try:
        poly = sp.Poly(lhs - rhs, x)
    except (sp.PolynomialError, sp.GeneratorsNeeded, ValueError, TypeError):
        return None
    if poly.degree() != 1:
        return None
    a, b = poly.all_coeffs()
    return x, -b / a


def _least_integer(premise: Any, conclusion: Any) -> Verdict | None:
    """``N \\ge 58.4 \\Rightarrow N = 59``: the idiom for the least integer N with the bound."""
    if not (isinstance(premise, (sp.Ge, sp.Gt)) and isinstance(conclusion, sp.Eq)):
        return None
    name, bound = premise.lhs, premise.rhs
    if not (isinstance(name, sp.Symbol) and conclusion.lhs == name and _constant(bound)
            and conclusion.rhs.is_Integer and bound.is_real):
        return None
    try:
        least = sp.floor(bound) + 1 if isinstance(premise, sp.Gt) else sp.ceiling(bound)
    except (TypeError, ValueError):
        return None
    if least == conclusion.rhs:
        return Verdict("valid", "proved", "the least integer that satisfies the bound")
    return Verdict("invalid", "proved", f"the least integer that satisfies the bound is {least}")


class LeastInteger:
    """``_least_after_bound``: the per-step check of the least-integer idiom (see the module doc)."""

    def _least_after_bound(self, raw: RawStep, lhs: Any, rhs: Any) -> Verdict | None:
        """"$N \\ge 58.4$, so $N = 59$": ``N = k`` for a name a hypothesis bounds from below and
        nothing gives a value is the least integer with the bound (valid when it is; otherwise
        not decided: any larger integer satisfies the bound too)."""
        if raw.rel != "eq" or not isinstance(lhs, sp.Symbol) or not (isinstance(rhs, sp.Integer)) \
                or self._firm(lhs) or lhs not in self.bounded:
            return None
        domain = self.domains.get(lhs)
        if domain is None or domain is not self.bounded[lhs][1] or domain.lo is None or domain.hi is not None:
            return None
        hyp = next((h for h, _ in reversed(self.hyps) if isinstance(h, (sp.Ge, sp.Gt)) and h.lhs == lhs
                    and _constant(h.rhs)), None)
        if hyp is None:
            return None
        verdict = _least_integer(hyp, sp.Eq(lhs, rhs, evaluate=False))
        if verdict is None or verdict.verdict != "valid":
            return None
        line = self.ex.line_of(raw.offset)
        where = next((n for h, n in reversed(self.hyps) if h is hyp), line)
        return Verdict("valid", "proved", f"the least integer with the bound on line {where}")
