"""Divisions cancelled while a side is read: ``\\frac{x}{x} = 1`` holds only where x != 0.

SymPy turns ``\\frac{x}{x}`` into 1 as it builds the side, so the verifier sees ``1 = 1``
and the point x = 0, where the written left side is undefined, never reaches it.  Here
each side's text is read again without evaluation (plain algebra, ``latex.fast``), the
denominators that contain one name are solved for it (degree 1 or 2), and a root that
lies in the name's declared domain, where the step as read still has values, is a
division the reading cancelled.  The step then holds only where that name is not the
root: the verdict is ``unknown`` with that condition ("holds if x \\ne 0"), as for a log
simplified away while reading, never a bare ``proved``; and no false alarm, since the
textbook line means exactly that.  ``assume x \\ne 0`` makes it valid.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import sympy as sp

from ..domains import Domain, domain_of
from .latex.fast import fast_read

#: How many denominators of one side are looked at.
MAX_DENOMINATORS = 4


def _unevaluated(text: str, symbol: Callable[[str], Any], indexed: Any) -> sp.Expr | None:
    try:
        with sp.evaluate(False):
            e = fast_read(text, symbol, (), indexed)
    except Exception:  # noqa: BLE001 - the fast reader's grammar only: anything else is not looked at
        return None
    return e if isinstance(e, sp.Expr) else None


def _defined_at(side: Any, point: Mapping[sp.Symbol, sp.Expr]) -> bool:
    if not isinstance(side, sp.Expr) or isinstance(side, sp.MatrixBase):
        return False
    try:
        v = side.xreplace(dict(point))
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    return not v.has(sp.zoo, sp.nan, sp.oo, -sp.oo)


def _zeros(den: sp.Expr, s: sp.Symbol) -> list[sp.Expr]:
    try:
        poly = sp.Poly(sp.expand(den), s)
    except (sp.PolynomialError, sp.GeneratorsNeeded, TypeError, ValueError):
        return []
    if not 1 <= poly.degree() <= 2 or not all(c.is_Rational for c in poly.all_coeffs()):
        return []
    return sorted((r for r in sp.roots(poly, multiple=True) if r.is_real), key=sp.default_sort_key)


def cancelled_division(texts: tuple[str, str], sides: tuple[Any, Any], domains: Mapping[sp.Symbol, Domain],
                       symbol: Callable[[str], Any], indexed: Any = ()) -> tuple[sp.Symbol, sp.Expr, str] | None:
    """``(name, root, "left" | "right")`` of a written denominator that vanishes at a point of
    the domain where the sides as read have values (the division was cancelled), else None."""
    for where, text in zip(("left", "right"), texts):
        e = _unevaluated(text, symbol, indexed)
        if e is None:
            continue
        dens = sorted({p.base for p in e.atoms(sp.Pow) if p.exp.is_negative and len(p.base.free_symbols) == 1},
                      key=sp.default_sort_key)
        for den in dens[:MAX_DENOMINATORS]:
            (s,) = den.free_symbols
            if not isinstance(s, sp.Symbol):
                continue
            for r in _zeros(den, s):
                if domain_of(s, domains).contains(r) is not True:
                    continue
                if all(_defined_at(side, {s: r}) for side in sides):
                    return s, r, where
    return None


__all__ = ["cancelled_division"]
