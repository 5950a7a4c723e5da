"""The order in which the terms of a sum are printed.

SymPy sorts the arguments of an ``Add`` when it builds one, so ``n - k + 1``
is stored (and printed by SymPy) as ``-k + n + 1``.  A textbook keeps what the
author wrote.  This module gives the printer two things:

* **the written order**: inside ``recording()`` (a pipeline run, the reading of
  a ``$...$`` formula), every ``a + b`` / ``a - b`` written *outside* SymPy
  records the order of its terms in a table keyed by the resulting ``Add``.
  SymPy's own internal arithmetic (``expand``, ``diff``...) is not recorded,
  and nothing about the expression itself changes, so verification is
  unaffected: the table is consulted only when printing.
* **the conventional order**, for sums nobody wrote (results of ``expand``,
  ``subs``...): descending degree (ties in SymPy's lexicographic order),
  constants last, and a positive leading term (``1 - \\beta^t``
  rather than ``-\\beta^t + 1``).

``written(*terms)`` builds a sum in exactly the given order without recording.
"""
from __future__ import annotations

import contextlib
import os
import sys
import threading
from typing import Any, Iterator, Sequence

import sympy as sp
from sympy.core.expr import Expr

_SYMPY_DIR = os.path.dirname(sp.__file__) + os.sep
#: SymPy's operator dispatch between user code and ``Expr.__add__`` (``Integer(1) - x``
#: goes through ``Integer.__sub__`` and its ``_sympifyit`` wrapper).
_DISPATCH = frozenset({"__add__", "__radd__", "__sub__", "__rsub__", "__sympifyit_wrapper",
                       "binary_op_wrapper", "_func"})
_LIMIT = 200_000

_written: dict[sp.Add, tuple[sp.Expr, ...]] = {}
_lock = threading.Lock()
_depth = 0
_originals = {name: Expr.__dict__[name] for name in ("__add__", "__radd__", "__sub__", "__rsub__")}


def written(*terms: Any) -> sp.Expr:
    """The sum of ``terms``, printed in exactly this order."""
    out = sp.Add(*terms)
    if isinstance(out, sp.Add):
        _remember(out, [sp.sympify(t) for t in terms])
    return out


@contextlib.contextmanager
def recording() -> Iterator[None]:
    """Record the written order of every sum built by ``+``/``-`` outside SymPy."""
    global _depth
    with _lock:
        _depth += 1
        if _depth == 1:
            for name, op in _originals.items():
                setattr(Expr, name, _recorder(name, op))
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                for name, op in _originals.items():
                    setattr(Expr, name, op)


def _recorder(name: str, op: Any) -> Any:
    def recorded(self: Expr, other: Any) -> Any:
        out = op(self, other)
        if out.__class__ is sp.Add and _called_outside_sympy():
            try:
                other = sp.sympify(other, strict=True)
            except sp.SympifyError:
                return out
            left, right = {"__add__": (self, other), "__radd__": (other, self),
                           "__sub__": (self, -other), "__rsub__": (other, -self)}[name]
            _remember(out, [*_terms(left), *_terms(right)])
        return out

    recorded.__name__ = name
    return recorded


def _called_outside_sympy() -> bool:
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_name in _DISPATCH \
            and frame.f_code.co_filename.startswith(_SYMPY_DIR):
        frame = frame.f_back
    return frame is not None and not frame.f_code.co_filename.startswith(_SYMPY_DIR)


def _terms(e: sp.Expr) -> list[sp.Expr]:
    """The terms of an operand in the order they print."""
    if isinstance(e, sp.Add):
        return list(_written.get(e) or conventional(e.args))
    if isinstance(e, sp.Mul) and e.args and e.args[0] == -1 and isinstance(e.args[1], sp.Add):
        return [-t for t in _terms(e.args[1])]
    return [e]


def _key(term: sp.Expr) -> sp.Expr:
    """Terms that SymPy merges (``x + 2x``) share this key: the term without its coefficient."""
    return term.as_coeff_Mul()[1]


def _remember(out: sp.Add, terms: Sequence[sp.Expr]) -> None:
    first: dict[sp.Expr, int] = {}
    for i, t in enumerate(u for term in terms for u in _terms(term)):
        first.setdefault(_key(t), i)
    late = len(terms)
    args = conventional(out.args)
    order = sorted(range(len(args)), key=lambda j: first.get(_key(args[j]), late))
    if len(_written) > _LIMIT:
        _written.clear()
    _written[out] = tuple(args[j] for j in order)


def snapshot() -> dict[sp.Add, tuple[sp.Expr, ...]]:
    """The written orders recorded so far (for ``since``)."""
    return dict(_written)


def since(before: dict[sp.Add, tuple[sp.Expr, ...]]) -> dict[sp.Add, tuple[sp.Expr, ...]]:
    """The written orders recorded after ``before = snapshot()``: what a worker
    process sends back with the derivation it built (``derive.worker``)."""
    return {k: v for k, v in _written.items() if before.get(k) is not v}


def adopt(entries: dict[sp.Add, tuple[sp.Expr, ...]]) -> None:
    """Take over written orders recorded in another process."""
    if len(_written) + len(entries) > _LIMIT:
        _written.clear()
    _written.update(entries)


def xreplace(expr: Any, mapping: dict[Any, Any]) -> Any:
    """``expr.xreplace(mapping)``, and every written sum in ``expr`` keeps its order in
    the result (``W + 2P - D(K - 1) - 1`` at ``D = 1`` prints ``W + 2P - K``)."""
    out = expr.xreplace(mapping)
    if isinstance(expr, sp.Basic):
        for node in sp.preorder_traversal(expr):
            mine = _written.get(node) if isinstance(node, sp.Add) else None
            if mine is None:
                continue
            image = node.xreplace(mapping)
            if isinstance(image, sp.Add) and image not in _written:
                _remember(image, [t.xreplace(mapping) for t in mine])
    return out


def degree(e: sp.Expr) -> sp.Rational:
    """Total degree of a term: ``2 D (K - 1)`` has degree 2, ``x^3`` 3, numbers 0."""
    if e.is_number:
        return sp.Integer(0)
    if isinstance(e, sp.Mul):
        return sp.Add(*(degree(f) for f in e.args))
    if isinstance(e, sp.Pow):
        base = degree(e.base)
        return base * e.exp if e.exp.is_Rational else base
    if isinstance(e, sp.Add):
        return max(degree(t) for t in e.args)
    return sp.Integer(1)


def _rank(term: sp.Expr) -> tuple[int, sp.Expr]:
    """Symbols first by descending degree, then constants such as ``log 2``, rationals last."""
    if term.is_Rational:
        return (2, sp.Integer(0))
    if term.is_number:
        return (1, sp.Integer(0))
    return (0, -degree(term))


def conventional(terms: Sequence[sp.Expr]) -> list[sp.Expr]:
    """Textbook order of the terms of a sum (``terms`` in SymPy's own order).

    The leading term is made positive (``n - k + 1``, ``1 - \\beta^t``) except in a
    polynomial of degree two or more in one variable with three or more terms,
    where descending powers win (``-x^3 + 3 x^2 - 3 x + 1``).
    """
    ordered = sorted(terms, key=_rank)
    if ordered and ordered[0].could_extract_minus_sign() and not _descending_polynomial(ordered):
        positive = next((i for i, t in enumerate(ordered) if not t.could_extract_minus_sign()), None)
        if positive is not None:
            ordered.insert(0, ordered.pop(positive))
    return ordered


def _descending_polynomial(terms: Sequence[sp.Expr]) -> bool:
    if len(terms) < 3:
        return False
    syms = set().union(*(t.free_symbols for t in terms))
    if len(syms) != 1:
        return False
    (x,) = syms
    return all(t.is_polynomial(x) for t in terms) and degree(terms[0]) >= 2


def ordered_terms(expr: sp.Add, default: Sequence[sp.Expr]) -> list[sp.Expr]:
    """The terms of ``expr`` as written, else in the conventional order."""
    mine = _written.get(expr)
    if mine is not None and len(mine) == len(expr.args):
        return list(mine)
    return conventional(default)
