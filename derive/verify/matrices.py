"""Matrix sides: shapes and entry-by-entry comparison."""
from __future__ import annotations

from typing import Any, Mapping

import sympy as sp

from ..domains import Domain
from ..step import Rel, Verdict
from .symbolic import _approx_exact, _prove_zero


def _shape_mismatch(a: Any, b: Any) -> bool:
    am, bm = isinstance(a, sp.MatrixBase), isinstance(b, sp.MatrixBase)
    return (am or bm) and not (am and bm and a.shape == b.shape)


def _prove_matrix(l: Any, rel: Rel, r: Any, tol: float | None,
                  declared: Mapping[sp.Symbol, Domain]) -> Verdict | str | None:
    """Explicit matrices: a method name, a failed verdict (shapes) or None (undecided)."""
    if rel is Rel.APPROX:
        ok = l.shape == r.shape and all(_approx_exact(a, b, tol) for a, b in zip(l, r))
        return "exact bound on the rounding error, entry by entry" if ok else None
    if _shape_mismatch(l, r):
        return Verdict("failed", "shape", "the two sides have different shapes")
    if rel is not Rel.EQ:
        return None
    methods = [_prove_zero(a - b, declared) for a, b in zip(l, r)]
    return None if None in methods else "entry by entry"
