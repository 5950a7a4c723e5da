"""What the verifier compares: prepared sides, and the job sent to a worker."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import sympy as sp

from .. import notation as nt
from ..domains import Domain
from ..step import Rel

Domains = Mapping[sp.Symbol, Domain]


def _elementary(obj: Any) -> Any:
    """Rewrite notation with a known definition (the sigmoid) into elementary form."""
    if isinstance(obj, sp.MatrixBase):
        return sp.ImmutableMatrix(obj.applyfunc(_elementary))
    if not isinstance(obj, sp.Basic):
        return sp.sympify(obj)
    for cls in nt.DEFINED:
        if obj.has(cls):
            obj = obj.replace(lambda e, c=cls: isinstance(e, c), lambda e: e.rewrite(sp.exp))
    return obj


def prepare(obj: Any, facts: Iterable[tuple[sp.Basic, sp.Basic]] = ()) -> Any:
    """Apply the step's facts, then rewrite notation into elementary functions."""
    if isinstance(obj, sp.MatrixBase):
        obj = sp.ImmutableMatrix(obj)
    else:
        obj = sp.sympify(obj)
    facts = tuple(facts)
    if facts:
        mapping = dict(facts)
        obj = obj.xreplace(mapping)
        if any(k in obj.atoms(type(k)) for k in mapping if isinstance(k, sp.Basic)):
            obj = obj.subs(mapping)
    if isinstance(obj, sp.MatrixExpr) and not isinstance(obj, sp.MatrixBase) and not obj.atoms(sp.MatrixSymbol) \
            and all(sp.sympify(d).is_Integer for d in obj.shape):
        # ``W a + b`` with explicit matrices (after facts): compare it entry by entry.
        obj = sp.ImmutableMatrix(obj.doit())
    # Defined notation (sigmoid, Gaussian density) stays folded here: algebra on
    # the folded form is much cheaper; the strategies unfold it when needed.
    return obj


def _free_symbols(*objs: Any) -> set[sp.Symbol]:
    out: set[sp.Symbol] = set()
    for o in objs:
        if isinstance(o, sp.Basic):
            out |= {s for s in o.free_symbols if isinstance(s, sp.Symbol)}
    return out


# --------------------------------------------------------------------------- #
# Numeric evaluation (layers 1 and 3)


@dataclass(frozen=True)
class _Job:
    lhs: Any
    rel: Rel
    rhs: Any
    domains: tuple[tuple[sp.Symbol, Domain], ...]
    tol: float | None
    seed: int
    filter_points: int
    numeric_points: int
    precision: int
    timeout: float = 5.0
    #: givens about a family's sum, used after the sum is expanded (``sums``)
    constraints: tuple[tuple[sp.Basic, sp.Basic], ...] = ()
    #: facts about matrix expressions (``Q^T Q = I``): random matrices must satisfy them
    matrix_constraints: tuple[tuple[Any, Any], ...] = ()
    #: ``tol`` as the exact rational it was given as (half a unit of a printed digit), if so
    exact_tol: Any = None
