"""Working precision from the step itself, and the exact difference of the sides at a point.

Comparing two sides at a fixed number of digits certifies a *tiny-effect* error
(``\\sqrt2 + 10^{-41} = \\sqrt2``, ``e^{\\pi\\sqrt{163}}`` against its nearest integer,
``\\tanh 1000 = 1``): the sides agree in every digit evaluated.  Here the sides are
subtracted *exactly* at the point (SymPy cancels equal terms, so ``\\sqrt2 + 10^{-41} - \\sqrt2``
is ``10^{-41}``), and the difference is evaluated by ``evalf`` in strict mode, which
raises the working precision until it knows 15 significant digits of the result or
gives up at ``maxn`` digits.  A result is a difference known to 15 digits (re-checked
20 digits higher): the sides differ, with that value.  Giving up means the sides agree to
``maxn`` digits, where ``maxn`` is the step's own scale (``needed_digits``): the base
precision plus the largest exponent of a number in the step (``10^{-41}`` needs 41
digits more; ``e^{1000}`` hides ``e^{-2000}`` inside ``\\tanh 1000``, so an exponential
of ``a`` counts ``2 a \\log_{10} e`` digits) plus a margin.  A scale beyond ``CAP`` digits
is not resolved: no evidence at that point.
"""
from __future__ import annotations

import math
from typing import Any, Iterable

import sympy as sp
from sympy.core.evalf import PrecisionExhausted

from ..step import Rel

#: Digits added above the step's scale, and the most digits ever used.
MARGIN = 20
CAP = 3000
#: Functions whose value at ``a`` lies within about ``e^{-2|a|}`` (``e^{-a^2}`` for erf) of a simpler value.
_EXP_LIKE = (sp.exp, sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch)
_GAUSS_LIKE = (sp.erf, sp.erfc)
_LOG10_E = math.log10(math.e)
#: Objects whose ``evalf`` carries no error bound of its own (or that stayed unevaluated).
_UNBOUNDED = (sp.Float, sp.Integral, sp.Sum, sp.Product, sp.Limit, sp.Derivative)


def _digits(q: sp.Rational) -> int:
    """How many decimal digits the numerator and the denominator of ``q`` span (the larger)."""
    return max(len(str(abs(q.p))), len(str(q.q)))


def _magnitude(e: sp.Expr) -> float:
    try:
        v = abs(complex(e.evalf(5)))
    except (TypeError, ValueError, OverflowError, ZeroDivisionError):
        return 0.0
    return v if math.isfinite(v) else 0.0


def scale_digits(sides: Iterable[Any]) -> int:
    """The step's scale at a point, in digits: the largest exponent of a rational in the exact
    ``sides`` (``10^{-41}``: 41), of an exponential-like function's hidden tail (``\\tanh a``:
    ``2|a| \\log_{10} e``; ``\\operatorname{erf} a``: ``a^2 \\log_{10} e``) and of a power with a
    numeric exponent (``\\pi^{100}``: 50)."""
    scale = 0.0
    for side in sides:
        if not isinstance(side, sp.Basic):
            continue
        for q in side.atoms(sp.Rational):
            scale = max(scale, _digits(q))
        for f in list(side.atoms(*_EXP_LIKE, *_GAUSS_LIKE))[:40]:
            a = _magnitude(f.args[0])
            scale = max(scale, (a * a if isinstance(f, _GAUSS_LIKE) else 2 * a) * _LOG10_E)
        for p in list(side.atoms(sp.Pow))[:40]:
            if p.base.is_Rational and p.exp.is_Integer:
                continue
            b = _magnitude(p.base)
            if b > 0 and p.exp.is_number:
                scale = max(scale, abs(math.log10(b)) * _magnitude(p.exp))
    return int(math.ceil(min(scale, 10.0 * CAP)))


def needed_digits(sides: Iterable[Any], base: int) -> int:
    """The digits at which equal-looking sides are told apart: ``base`` plus the step's scale
    plus ``MARGIN``."""
    return base + scale_digits(sides) + MARGIN


def resolvable(value: Any) -> bool:
    """A number whose strict ``evalf`` bounds its own error (no Float, quadrature or unevaluated sum)."""
    return (isinstance(value, sp.Expr) and not isinstance(value, sp.MatrixBase) and value.is_number
            and not value.has(*_UNBOUNDED) and not value.has(sp.nan, sp.zoo, sp.oo, -sp.oo))


def _strict(d: sp.Expr, maxn: int) -> sp.Expr | None:
    """15 significant digits of ``d`` (``None``: not resolved within ``maxn`` digits)."""
    try:
        v = d.evalf(15, strict=True, maxn=maxn)
    except PrecisionExhausted:
        return None
    if not v.is_number or v.has(*_UNBOUNDED[1:]):
        return None
    return v


def difference(lhs: Any, rhs: Any, digits: int) -> tuple[str, Any]:
    """The exact ``lhs - rhs`` at a point: ``("zero", 0)``, ``("nonzero", value)`` with 15
    significant digits, ``("tie", maxn)`` when it is 0 to ``maxn`` digits (the step's scale),
    ``("unresolved", maxn)`` when the scale exceeds ``CAP``, or ``("none", None)`` when it
    cannot be evaluated with an error bound (a Float from quadrature, an unevaluated sum)."""
    if not (resolvable(lhs) and resolvable(rhs)):
        return "none", None
    try:
        d = lhs - rhs
    except (TypeError, ValueError, RecursionError):
        return "none", None
    if d == 0:
        return "zero", sp.S.Zero
    if d.is_Rational:
        return "nonzero", d
    if not resolvable(d):
        return "none", None
    maxn = needed_digits((lhs, rhs), digits)
    if maxn > CAP:
        return "unresolved", maxn
    v = _strict(d, maxn)
    if v is None or v == 0:
        return "tie", maxn
    again = _strict(d, maxn + 20)      # the same value with 20 more digits, or no verdict
    if again is None or again == 0 or abs(again - v) > abs(v) * sp.Rational(1, 10**6):
        return "tie", maxn
    return "nonzero", v


def within_half(lhs: Any, rhs: Any, half: sp.Rational) -> bool | None:
    """Whether ``|lhs - rhs| <= half`` for constant sides, decided on the exact differences
    ``lhs - (rhs +- half)`` at the step's scale (the written digits' length counts, so a
    40-digit decimal is compared at more than 40 digits); ``None`` when that cannot be told
    (no error bound, or a difference within ``maxn`` digits of the half unit itself)."""
    if not (isinstance(half, sp.Rational) and half >= 0):
        return None
    signs = []
    # lhs - rhs - half is at most 0, and lhs - rhs + half at least 0
    for kind, value in (difference(lhs, rhs + half, 0), difference(lhs, rhs - half, 0)):
        if kind == "zero":
            signs.append(0)
        elif kind == "nonzero":
            signs.append(1 if value > 0 else -1)
        else:
            return None
    return signs[0] <= 0 <= signs[1]


# --------------------------------------------------------------------------- #
# Ties of the numeric layer (numeric._judge_point)
# --------------------------------------------------------------------------- #

def _near_tie(l: Any, r: Any, rel_tol: float) -> bool:
    """The sides agree within the tolerance (an equation always; an inequality at a touch point)."""
    if isinstance(l, sp.MatrixBase) or isinstance(r, sp.MatrixBase):
        return False
    try:
        return float(abs(l - r)) <= 2 * rel_tol * max(1.0, float(abs(l)), float(abs(r)))
    except (TypeError, ValueError):
        return False


def _resolved_tie(rel: Rel, exact: list, l: Any, r: Any, prec: int, rel_tol: float,
                  strict: bool) -> tuple[str, str]:
    """Sides equal to ``prec`` digits, decided on their exact difference at the step's scale."""
    if len(exact) != 2:
        return ("skip", "") if strict else ("pass", "")
    kind, value = difference(exact[0], exact[1], prec)
    if kind == "none":
        # no error bound (quadrature): the tolerance decides, unless the step's own numbers
        # are finer than it (\int_0^1 x dx + 10^{-41} = 1/2 cannot be resolved here)
        tiny = scale_digits(e for e in exact if isinstance(e, sp.Basic)) >= prec * 2 // 3 - 2
        if tiny:
            return "unresolved", f"the sides agree to the {prec} digits evaluated, finer than the step's numbers"
        return ("skip", "") if strict else ("pass", "")
    if kind == "unresolved":
        return "unresolved", f"the sides agree to {prec} digits; telling them apart needs {value} digits"
    if kind in ("zero", "tie"):
        if strict:
            if kind == "zero":
                return "fail", f"the two sides are equal here ({_short(l)}), so the strict inequality fails"
            return "skip", ""
        return "pass", ""
    d = value                               # exact[0] - exact[1], 15 significant digits
    ok = {Rel.EQ: False, Rel.LE: d < 0, Rel.LT: d < 0, Rel.GE: d > 0, Rel.GT: d > 0}.get(rel)
    if ok is None:
        return "pass", ""
    if ok:
        return "pass", ""
    return "fail", f"sides differ: {_short(l)} vs {_short(r)} (difference {sp.N(d, 3)})"


def _gap(l: Any, r: Any) -> str:
    """The difference, when the shown digits do not show it."""
    if isinstance(l, sp.MatrixBase) or isinstance(r, sp.MatrixBase) or _short(l) != _short(r):
        return ""
    return f" (difference {sp.N(l - r, 3)})"


def _short(x: Any) -> str:
    if isinstance(x, sp.MatrixBase):
        return str(x.evalf(6).tolist())
    return str(sp.N(x, 8))


__all__ = ["CAP", "MARGIN", "difference", "needed_digits", "resolvable", "scale_digits", "within_half"]
