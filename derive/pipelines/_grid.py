"""Matrix parameters of the grid pipelines (conv2d, pooling_backprop).

JSON matrices arrive as nested lists; entries may be numbers or expressions
(``"x11"``), so a sheet can show a convolution with symbolic entries.  The
module name starts with an underscore so ``load_all`` skips it.
"""
from __future__ import annotations

import math
from typing import Any

import sympy as sp

from .. import expr as safe
from ..pipeline import exact_decimal
from ..errors import ParameterError

#: Largest side accepted: every output entry becomes a verified step.
MAX_SIDE = 32


def parse_matrix(pipeline: str, key: str, raw: Any) -> sp.Matrix:
    """A rectangular, non-empty matrix of SymPy expressions, or a ``ParameterError``."""
    where = f"{pipeline}: {key}"
    if not isinstance(raw, list) or not raw or not all(isinstance(r, list) and r for r in raw):
        raise ParameterError(f"{where}: expected a non-empty JSON matrix such as [[1,2],[3,4]]")
    width = len(raw[0])
    if any(len(r) != width for r in raw):
        raise ParameterError(f"{where}: rows have different lengths")
    if len(raw) > MAX_SIDE or width > MAX_SIDE:
        raise ParameterError(f"{where}: at most {MAX_SIDE} x {MAX_SIDE} entries")
    return sp.Matrix([[_entry(where, x) for x in row] for row in raw])


def _entry(where: str, x: Any) -> sp.Expr:
    if isinstance(x, bool) or not isinstance(x, (int, float, str)):
        raise ParameterError(f"{where}: entry {x!r} is not a number or an expression")
    if isinstance(x, int):
        return sp.Integer(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            raise ParameterError(f"{where}: entry {x!r} is not finite")
        return exact_decimal(x, where)
    try:
        value = safe.parse_expr(x)
    except safe.ExprError as exc:
        if exc.syntax:
            raise ParameterError(f"{where}: cannot parse entry '{x[:60]}'") from None
        raise ParameterError(f"{where}: entry '{x[:60]}': {exc}") from None
    if not isinstance(value, sp.Expr) or value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ParameterError(f"{where}: cannot parse entry '{x}'")
    return value.xreplace({s: sp.Symbol(s.name, real=True) for s in value.free_symbols})


def require_number(pipeline: str, key: str, value: sp.Expr, why: str = "the matrices have concrete shapes") -> int:
    """A parameter that must be concrete (a grid size, a sample count), with the reason."""
    if value.free_symbols:
        raise ParameterError(f"{pipeline}: {key} must be a number here ({why})")
    return int(value)
