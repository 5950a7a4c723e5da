"""What the reader works out once a side is read: ``\\log_b a`` by the change of base, and
``\\frac{d}{dx} f`` differentiated (a kink or jump decided from both sides, verify/onesided.py).

``parse.Parser._post`` applies both to every parsed side.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from ...verify.onesided import kinky, mark


def _change_of_base(e: sp.log) -> Any:
    """``\\log_b a`` = ln a / ln b; base 0 has no value (ln 0 is infinite, and a / zoo would be 0:
    ``\\log_0 5 = 0`` was proved)."""
    value, base = e.args
    if base.is_zero:
        return sp.nan
    return sp.log(value) / sp.log(base)


def _differentiate(d: sp.Derivative) -> Any:
    """``\\frac{d}{dx} f``: differentiated (an undefined function stays a derivative)."""
    try:
        wrt = d.variable_count
        if len(wrt) == 1 and kinky(d.expr, wrt[0][0]) and wrt[0][1].is_Integer:
            # |x|, max, cases: decided at a point from both sides (verify/onesided.py), never sign(0)
            return mark(d.expr, wrt[0][0], int(wrt[0][1]), wrt[0][0])
        # n x^n / x -> n x^{n-1}: the derivative of x^n is defined at 0 (for n >= 1)
        with sp.evaluate(True):
            return sp.powsimp(d.doit(), combine="exp")
    except (ValueError, TypeError, NotImplementedError):
        return d
