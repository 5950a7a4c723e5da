"""JSON parameter values (numbers, expression strings, lists, matrices) as exact SymPy.

``kind="json"`` parameters arrive as plain JSON data.  Pipelines that do linear
algebra want exact SymPy objects: a decimal such as ``2.3`` becomes ``23/10``
(its written value, not its binary float), a string is parsed as an expression
whose new names are real symbols, and shapes are checked with one clear error.

``round_to`` gives the decimal a display step shows next to an exact value.

The module name starts with an underscore so ``load_all`` does not treat it as
a pipeline.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from ..domains import REAL
from ..errors import ParameterError
from ..pipeline import Param, _parse_expr, exact_decimal

_REAL = Param("value", REAL)


def to_expr(raw: Any, where: str) -> sp.Expr:
    """A number or an expression string as an exact SymPy expression."""
    if isinstance(raw, float):
        # the written digits (or repr, the shortest that round-trips): 2.3 -> 23/10, not 2.29999...
        return exact_decimal(raw, where)
    if isinstance(raw, (list, dict)):
        raise ParameterError(f"{where}: expected a number or an expression, got {type(raw).__name__}")
    return _parse_expr(raw, _REAL, where)


def to_vector(raw: Any, where: str) -> sp.ImmutableMatrix:
    """A column vector from a JSON list (or a single number, a 1-vector)."""
    if not isinstance(raw, list):
        return sp.ImmutableMatrix([[to_expr(raw, where)]])
    if not raw:
        raise ParameterError(f"{where}: expected a non-empty list of numbers")
    return sp.ImmutableMatrix([[to_expr(v, f"{where}[{i}]")] for i, v in enumerate(raw)])


def to_matrix(raw: Any, where: str) -> sp.ImmutableMatrix:
    """A matrix from a JSON list of equal-length rows (a flat list is one row)."""
    if not isinstance(raw, list) or not raw:
        raise ParameterError(f"{where}: expected a matrix as a list of rows, e.g. [[1,2],[3,4]]")
    rows = raw if all(isinstance(r, list) for r in raw) else [raw]
    width = len(rows[0])
    if width == 0 or any(not isinstance(r, list) or len(r) != width for r in rows):
        raise ParameterError(f"{where}: rows must be non-empty lists of equal length")
    return sp.ImmutableMatrix([[to_expr(v, f"{where}[{i}][{j}]") for j, v in enumerate(r)]
                               for i, r in enumerate(rows)])


def to_list(raw: Any, where: str) -> list[Any]:
    if not isinstance(raw, list) or not raw:
        raise ParameterError(f"{where}: expected a non-empty JSON list")
    return raw


def round_to(x: sp.Expr, places: int) -> sp.Float:
    """``x`` rounded half-even to ``places`` decimals, from 30 exact digits.

    For display steps ``exact ~ rounded`` (``Rel.APPROX`` with tolerance half a
    unit in the last place).  The sigmoid is evaluated through its exponential form.
    """
    from decimal import ROUND_HALF_EVEN, Decimal

    digits = sp.N(sp.sympify(x).rewrite(sp.exp), 30)
    return sp.Float(str(Decimal(str(digits)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN)), 15)
