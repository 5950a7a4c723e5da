"""Arithmetic kept visible: sums of products that print every term, in order.

Worked numeric answers (a convolution entry, a parameter count) must show the
terms a student writes down, not their value.  ``product`` and ``total`` build
unevaluated SymPy ``Mul``/``Add`` objects whose ``_latex`` hook (which SymPy's
printer consults before its own rules) prints the factors joined by ``\\cdot``
and the terms in the order given.  They are ordinary ``Mul``/``Add`` instances,
so the verifier evaluates them like any other expression.

The module name starts with an underscore so ``load_all`` does not treat it as
a pipeline.
"""
from __future__ import annotations

from typing import Any, Iterable

import sympy as sp


def _needs_parens(e: sp.Basic) -> bool:
    if e.is_Number:
        return bool(e.is_negative) or (e.is_Rational and not e.is_Integer)
    return isinstance(e, (sp.Add, sp.Mul)) or bool(getattr(e, "could_extract_minus_sign", lambda: False)())


def _factor_tex(printer: Any, e: sp.Basic) -> str:
    body = printer._print(e)
    return rf"\left({body}\right)" if _needs_parens(e) else body


class ShownMul(sp.Mul):
    """A product printed factor by factor: ``3 \\cdot \\left(-1\\right)``."""

    def _latex(self, printer: Any) -> str:
        return r" \cdot ".join(_factor_tex(printer, f) for f in self.args)


class ShownAdd(sp.Add):
    """A sum printed term by term, in the order given."""

    def _latex(self, printer: Any) -> str:
        out = printer._print(self.args[0]) if self.args else "0"
        for t in self.args[1:]:
            # A negative number is subtracted, as one writes it by hand.
            if t.is_Number and t.is_negative:
                out += " - " + printer._print(-t)
            else:
                out += " + " + printer._print(t)
        return out


def ratio(num: Any, den: Any) -> sp.Expr:
    """``num / den`` unevaluated, printed as a fraction."""
    return sp.Mul(sp.sympify(num), sp.Pow(sp.sympify(den), -1, evaluate=False), evaluate=False)


def product(*factors: Any) -> sp.Expr:
    """``f1 * f2 * ...`` unevaluated (a single factor is returned as is)."""
    fs = [sp.sympify(f) for f in factors]
    return fs[0] if len(fs) == 1 else ShownMul(*fs, evaluate=False)


def total(terms: Iterable[Any]) -> sp.Expr:
    """``t1 + t2 + ...`` unevaluated (empty -> 0, one term -> that term)."""
    ts = [sp.sympify(t) for t in terms]
    if not ts:
        return sp.Integer(0)
    return ts[0] if len(ts) == 1 else ShownAdd(*ts, evaluate=False)
