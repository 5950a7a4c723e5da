"""Facts a step cites: premises, or instances of equations established earlier."""
from __future__ import annotations

from typing import Any

import sympy as sp

#: Rules whose facts are premises of the problem rather than earlier results.
PREMISE_RULES = frozenset({"definition", "given", "substitute", "premise"})


def _unify(pattern: sp.Basic, target: sp.Basic, syms: set[sp.Symbol], binding: dict) -> bool:
    """Bind ``syms`` so that ``pattern`` becomes ``target`` (structural, with solving)."""
    if pattern in syms:
        if pattern in binding:
            return binding[pattern] == target
        binding[pattern] = target
        return True
    free = pattern.free_symbols & syms
    if not free:
        return pattern == target
    if pattern.func == target.func and len(pattern.args) == len(target.args) and not pattern.is_Atom:
        trial = dict(binding)
        if all(_unify(p, t, syms, trial) for p, t in zip(pattern.args, target.args)):
            binding.update(trial)
            return True
    unbound = [x for x in free if x not in binding]
    if len(unbound) == 1 and isinstance(target, sp.Expr):
        x = unbound[0]
        try:
            sols = [v for v in sp.solve(sp.Eq(pattern.xreplace(binding), target), x)
                    if v.free_symbols <= target.free_symbols]
        except (NotImplementedError, TypeError, ValueError, sp.PolynomialError):
            # PolynomialError: solve refuses non-commutative symbols (W x, U V^T).
            return False
        sols = [v for v in sols if not (x.is_positive and v.is_positive is False)]
        if len(sols) == 1:
            binding[x] = sols[0]
            return True
    return False


#: What a symbol of an established equation may stand for: a value known to have each
#: property the symbol was declared with (unknown is not enough).
_KEPT = ("real", "integer", "positive", "nonnegative", "negative", "nonpositive", "nonzero")


def _fits(sym: Any, value: Any) -> bool:
    if not isinstance(sym, sp.Symbol) or not isinstance(value, sp.Basic):
        return True
    return all(getattr(value, f"is_{a}", None) is True for a in _KEPT if getattr(sym, f"is_{a}", None) is True)


def _instance_of(k: Any, v: Any, lhs: Any, rhs: Any) -> bool:
    """Is ``k = v`` the equation ``lhs = rhs`` with its symbols specialised?"""
    if not isinstance(lhs, sp.Basic) or not isinstance(k, sp.Basic):
        return False
    if k == lhs and v == rhs:
        return True
    if lhs.func != k.func and not isinstance(lhs, sp.Symbol):
        return False
    binding: dict = {}
    if not _unify(lhs, k, set(lhs.free_symbols), binding):
        return False
    if not all(_fits(sym, value) for sym, value in binding.items()):
        return False            # Var(s) = s^2 for s > 0 says nothing about Var(-3)
    try:
        # Cheap algebra only: the fact must be the established equation, not a
        # new claim that would need its own proof (and no integral is evaluated).
        diff = sp.sympify(rhs).xreplace(binding) - v
        return diff == 0 or sp.expand(diff) == 0 or sp.cancel(sp.together(sp.expand_log(diff))) == 0
    except (TypeError, ValueError, AttributeError):
        return False
