"""Size guards of ``derive.expr``: what is estimated before anything is built.

Every bound is a field of ``Limits``.  ``Guards`` estimates, for a numeric
operand, an upper bound on ``log10 |value|`` without evaluating it, and
refuses a node whose result would be too large (``too large: ...``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sympy as sp


class ExprError(ValueError):
    """Text that is not an acceptable expression (the message says why).

    ``syntax`` is true when the text does not even parse (as opposed to being refused)."""

    def __init__(self, message: str, syntax: bool = False) -> None:
        super().__init__(message)
        self.syntax = syntax


@dataclass(frozen=True)
class Limits:
    """Size guards applied before anything is built."""

    chars: int = 1000            # length of the text
    nodes: int = 600             # syntax nodes
    depth: int = 200             # nesting (a written sum of n terms nests n deep)
    digits: int = 1000           # log10 of any numeric value (literals, towers, factorials)
    exponent: int = 1000         # a numeric exponent of a symbolic base
    sum_terms: int = 10_000      # terms of a Sum/Product with numeric limits
    matrix_side: int = 64        # rows or columns of a Matrix, MatrixSymbol, Identity

    def merge(self, **kw: Any) -> "Limits":
        return Limits(**{**self.__dict__, **kw})


LIMITS = Limits()


def _is_matrix(x: Any) -> bool:
    return isinstance(x, (sp.MatrixBase, sp.MatrixExpr))


def _short(x: Any) -> str:
    s = str(x)
    return s if len(s) <= 40 else s[:37] + "..."


def _short_float(x: float) -> str:
    return "inf" if math.isinf(x) else f"{x:.3g}"


class Guards:
    """Mixin of the expression builder: ``self.limits`` is a ``Limits``."""

    limits: Limits

    def mag(self, e: Any) -> float | None:
        if isinstance(e, (list, tuple)):
            return None
        if not isinstance(e, sp.Basic) or e.free_symbols or not isinstance(e, sp.Expr):
            return None
        if e.is_Rational:
            p, q = abs(int(e.p)), int(e.q)
            return max(len(str(p)) if p else 0, len(str(q)) - 1) if p.bit_length() < 20_000 else math.inf
        try:
            v = abs(complex(sp.N(e, 15, maxn=50)))
        except OverflowError:
            return math.inf
        except (TypeError, ValueError, ZeroDivisionError, AttributeError):
            return None         # not a plain number (notation such as Normal(0, 1))
        if math.isnan(v) or math.isinf(v):
            return math.inf
        return math.log10(v) if v > 1 else 0.0

    def too_large(self, what: str) -> ExprError:
        return ExprError(f"too large: {what}")

    def _guard_add(self, a: Any, b: Any) -> None:
        ma, mb = self.mag(a), self.mag(b)
        if ma is not None and mb is not None and max(ma, mb) > self.limits.digits:
            raise self.too_large(f"a number above 10^{self.limits.digits}")

    def _guard_mul(self, a: Any, b: Any) -> None:
        ma, mb = self.mag(a), self.mag(b)
        if ma is not None and mb is not None and ma + mb > self.limits.digits:
            raise self.too_large(f"a product above 10^{self.limits.digits}")

    def _guard_pow(self, base: Any, e: Any) -> None:
        me = self.mag(e)
        if me is None:
            return          # a symbolic exponent stays symbolic
        mb = self.mag(base)
        if mb is None or _is_matrix(base):
            if me > 300 or abs(float(sp.re(e))) > self.limits.exponent:
                raise self.too_large(f"the exponent {_short(e)} of a symbolic base (limit {self.limits.exponent})")
            return
        if base in (0, 1, -1):
            return
        try:
            ev = float(sp.Abs(e)) if me < 300 else math.inf
        except (TypeError, ValueError, OverflowError):
            ev = math.inf
        est = ev * max(mb, abs(self._low_mag(base)))
        if est > self.limits.digits:
            raise self.too_large(f"the power {_short(base)}^{_short(e)} (about 10^{_short_float(est)})")

    def _low_mag(self, base: Any) -> float:
        """log10 of a small base (|b| < 1 raised to a negative power grows too)."""
        try:
            v = abs(complex(sp.N(base, 15, maxn=50)))
        except (TypeError, ValueError, OverflowError, ZeroDivisionError, AttributeError):
            return 0.0
        return math.log10(v) if 0 < v < 1 else 0.0

    def _guard_call(self, name: str, fn: Any, args: list[Any]) -> None:
        if fn in (sp.factorial, sp.gamma) and args:
            m = self.mag(args[0])
            if m is not None:
                n = float(sp.Abs(args[0])) if m < 300 else math.inf
                if n * max(math.log10(max(n, 1.0)), 1.0) > self.limits.digits:
                    raise self.too_large(f"{name}({_short(args[0])})")
        if fn is sp.binomial and len(args) == 2:
            m = self.mag(args[0])
            if m is not None and m > math.log10(self.limits.digits):
                raise self.too_large(f"binomial({_short(args[0])}, ...)")
        if fn in (sp.exp, sp.sinh, sp.cosh) and args:
            m = self.mag(args[0])
            if m is not None and m > 0:
                try:
                    big = abs(float(sp.re(args[0]))) * math.log10(math.e) > self.limits.digits
                except (TypeError, ValueError, OverflowError):
                    big = True
                if big:
                    raise self.too_large(f"{name}({_short(args[0])})")
        if name in ("Sum", "Product") and len(args) > 1:
            terms = 1.0
            for lim in args[1:]:
                if isinstance(lim, tuple) and len(lim) == 3:
                    span = sp.sympify(lim[2]) - sp.sympify(lim[1]) if all(isinstance(x, sp.Basic) for x in lim[1:]) else None
                    if span is not None and span.is_number and span.is_finite:
                        terms *= max(float(span) + 1, 0.0)
            if terms > self.limits.sum_terms:
                raise self.too_large(f"a {name} of about {_short_float(terms)} terms (limit {self.limits.sum_terms})")
        if name in ("MatrixSymbol", "Identity"):
            for dim in args[1:] if name == "MatrixSymbol" else args:
                if isinstance(dim, sp.Basic) and dim.is_number and (dim.is_integer is not True or dim < 0):
                    raise ExprError(f"{name}: a size must be a non-negative integer (got {_short(dim)})")
                if isinstance(dim, sp.Basic) and dim.is_number and dim > self.limits.matrix_side:
                    raise self.too_large(f"{name} of size {_short(dim)} (limit {self.limits.matrix_side})")
        if name == "Matrix" and args and isinstance(args[0], list):
            rows = args[0]
            cols = max((len(r) if isinstance(r, list) else 1) for r in rows) if rows else 0
            if len(rows) > self.limits.matrix_side or cols > self.limits.matrix_side:
                raise self.too_large(f"a {len(rows)} x {cols} matrix (limit {self.limits.matrix_side} per side)")
