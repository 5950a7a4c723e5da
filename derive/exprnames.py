"""The vocabulary of ``derive.expr``: what a name or a call may mean in SymPy-syntax text.

``FUNCTIONS`` (what may be called), ``CONSTANTS`` (bare names that are constants), the two
``Profile``s (``VALUE`` for values, ``PROSE`` for statement math), ``NAME`` (a symbol name) and the
builders behind ``Symbol``, ``Indexed``, ``MatrixSymbol``, ``Matrix``, ``Rational`` and the
summation-like calls.  The reader itself (tokens, tree walk, time and memory bounds) is in
``derive.expr``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import sympy as sp

from . import notation as nt
from .exprlimits import ExprError


#: A symbol name: an identifier, optionally with ``_`` subscripts, then primes.
NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*'*")


def _sum_like(cls: type) -> Callable[..., Any]:
    def build(body: Any, *limits: Any) -> Any:
        if not limits or not all(isinstance(l, tuple) and len(l) == 3 and isinstance(l[0], sp.Symbol)
                                 for l in limits):
            raise ExprError(f"{cls.__name__} needs limits written (k, lo, hi)")
        return cls(body, *limits)
    return build


def _name_arg(what: str, x: Any) -> str:
    if not isinstance(x, _Name) or not NAME.fullmatch(x.text):
        shown = x.text if isinstance(x, _Name) else x
        raise ExprError(f"{what} needs a name such as 'x' or 'd_in' (got {shown!r})")
    return x.text


def _symbol(name: Any) -> sp.Symbol:
    return sp.Symbol(_name_arg("Symbol", name))


def _indexed(name: Any, *idx: Any) -> Any:
    if not idx:
        raise ExprError("Indexed needs at least one index")
    return sp.IndexedBase(_name_arg("Indexed", name))[idx]


def _matrix_symbol(name: Any, rows: Any, cols: Any) -> Any:
    return sp.MatrixSymbol(_name_arg("MatrixSymbol", name), rows, cols)


def _matrix(rows: Any) -> sp.ImmutableMatrix:
    if not isinstance(rows, list) or not rows:
        raise ExprError("Matrix needs a list of rows, e.g. Matrix([[1, 2], [3, 4]])")
    if not all(isinstance(r, list) for r in rows):
        rows = [[r] for r in rows]
    if not rows[0] or any(len(r) != len(rows[0]) for r in rows):
        raise ExprError("Matrix rows must be non-empty and of equal length")
    return sp.ImmutableMatrix(rows)


def _rational(p: Any, q: Any = 1) -> sp.Rational:
    if not (isinstance(p, sp.Integer) and isinstance(q, sp.Integer)) or q == 0:
        raise ExprError("Rational needs two integers, the second non-zero")
    return sp.Rational(p, q)


#: Functions every profile may call, by the name written.
FUNCTIONS: dict[str, Callable[..., Any]] = {
    **{n: getattr(sp, n) for n in (
        "sqrt", "exp", "log", "sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh",
        "asin", "acos", "atan", "asinh", "acosh", "atanh", "Abs", "sign", "floor", "ceiling",
        "Max", "Min", "factorial", "binomial", "erf", "Identity", "Tuple", "transpose",
        "Transpose", "Trace", "re", "im")},
    "ln": sp.log, "abs": sp.Abs, "Symbol": _symbol, "Indexed": _indexed, "MatrixSymbol": _matrix_symbol,
    "Matrix": _matrix, "Rational": _rational, "Sum": _sum_like(sp.Sum), "Product": _sum_like(sp.Product),
    "Integral": _sum_like(sp.Integral),
    # derive notation (README, "Math in statements and prose")
    **{cls.__name__: cls for cls in vars(nt).values()
       if isinstance(cls, type) and issubclass(cls, sp.Function) and not cls.__name__.startswith("_")},
    "sigmoid": nt.Sigmoid, "Var": nt.Variance, "Std": nt.StdDev,
}

#: Names that are constants rather than symbols.
CONSTANTS: dict[str, sp.Basic] = {"pi": sp.pi, "E": sp.E, "I": sp.I, "oo": sp.oo, "zoo": sp.zoo, "nan": sp.nan}


@dataclass(frozen=True)
class Profile:
    """What bare names mean: a value (``E`` is e) or statement math (``E`` is an expectation)."""

    constants: Mapping[str, sp.Basic] = field(default_factory=lambda: dict(CONSTANTS))
    functions: Mapping[str, Callable[..., Any]] = field(default_factory=lambda: dict(FUNCTIONS))
    #: decimals as exact rationals (values) or as the written decimal (statement text)
    exact_decimals: bool = True


VALUE = Profile()
#: Statement math: ``E(X)`` is an expectation; letters SymPy reserves (N, S, Q, O, I, C) are symbols.
PROSE = Profile(constants={k: v for k, v in CONSTANTS.items() if k not in ("E", "I")},
                functions={**FUNCTIONS, "E": nt.Expectation}, exact_decimals=False)


@dataclass(frozen=True)
class _Name:
    """A string literal: only ever a name argument of Symbol, Indexed or MatrixSymbol."""

    text: str
