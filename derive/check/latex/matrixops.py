"""Sums and products of the matrix reader's values (moved out of ``latex/matrices.py``).

A 1x1 product beside a scalar is its entry (``x^T A x + 1``); an identity ``I`` takes the
size of what it meets; ``x \\cdot y`` of two vectors of one shape is their dot product;
``[h; x]`` stacks explicit blocks one above the other.
A shape that does not fit is a ``ParseError``: a side with matrices is never guessed.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from .scan import ParseError


def _is_matrix(x: Any) -> bool:
    return isinstance(x, (sp.MatrixExpr, sp.MatrixBase))


def _resize(x: Any, k: Any) -> Any:
    """``x`` with every identity resized to ``k x k`` (``I`` takes the size of what it meets)."""
    return x.xreplace({e: sp.Identity(k) for e in x.atoms(sp.Identity)}) if isinstance(x, sp.Basic) else x


def _add(a: Any, b: Any) -> Any:
    am, bm = _is_matrix(a), _is_matrix(b)
    if am and bm and a.shape != b.shape:
        if b.atoms(sp.Identity) and a.shape[0] == a.shape[1]:
            b = _resize(b, a.shape[0])
        elif a.atoms(sp.Identity) and b.shape[0] == b.shape[1]:
            a = _resize(a, b.shape[0])
    if am != bm:
        m, other = (a, b) if am else (b, a)
        if m.shape != (1, 1):
            raise ParseError("a matrix plus a scalar")
        return sp.Trace(m) + other       # x^T A x + 1: a 1x1 product is its entry
    try:
        return a + b
    except (sp.ShapeError, TypeError, ValueError) as exc:
        raise ParseError(f"shapes do not match: {exc}") from None


def _dot(a: Any, b: Any) -> Any:
    """``x \\cdot y`` of two vectors of one shape is their dot product ``x^T y`` (issue 8, attack 1
    finding 14: it was refuted as "a product of a 2x1 and a 2x1 matrix"); otherwise a product."""
    if _is_matrix(a) and _is_matrix(b) and a.shape == b.shape and a.shape[1] == 1 and a.shape[0] != 1:
        return a.T * b
    return _mul(a, b)


def _mul(a: Any, b: Any) -> Any:
    if _is_matrix(a) and _is_matrix(b) and a.shape[1] != b.shape[0]:
        if b.atoms(sp.Identity):
            b = _resize(b, a.shape[1])
        elif a.atoms(sp.Identity):
            a = _resize(a, b.shape[0])
        elif a.shape == (1, 1):
            return sp.Trace(a) * b      # (x^T y) x: a 1x1 product is a scalar, so this is a multiple of x
        elif b.shape == (1, 1):
            return a * sp.Trace(b)
    try:
        return a * b
    except (sp.ShapeError, TypeError, ValueError) as exc:
        raise ParseError(f"shapes do not match: {exc}") from None


def _close_bracket(text: str, start: int) -> int:
    """The index of the ``]`` that closes the ``[`` at ``start``."""
    depth = 0
    for k in range(start, len(text)):
        if text[k] in "[({":
            depth += 1
        elif text[k] in "])}":
            depth -= 1
            if depth == 0:
                if text[k] != "]":
                    break
                return k
    raise ParseError("a '[' in a matrix expression is not closed by ']'", start)


def _blocks(inner: str) -> list[str]:
    """The parts of ``[a; b; c]`` (split at the semicolons outside brackets); fewer than two is no stack."""
    parts, depth, last = [], 0, 0
    for k, ch in enumerate(inner):
        if ch in "[({":
            depth += 1
        elif ch in "])}":
            depth -= 1
        elif ch == ";" and depth == 0:
            parts.append(inner[last:k])
            last = k + 1
    parts.append(inner[last:])
    if len(parts) < 2 or not all(p.strip() for p in parts):
        raise ParseError("brackets in a matrix expression are read only as a stack [a; b]")
    return parts


def _stack(parts: list[Any]) -> sp.ImmutableMatrix:
    """``[h; x]``: the explicit blocks one above the other (a number is a 1x1 block)."""
    blocks = []
    for p in parts:
        if isinstance(p, sp.MatrixBase):
            blocks.append(sp.ImmutableMatrix(p))
        elif isinstance(p, sp.Expr) and not isinstance(p, sp.MatrixExpr):
            blocks.append(sp.ImmutableMatrix([[p]]))
        else:
            raise ParseError("a stack [a; b] of matrices whose entries are not known")
    if len({b.cols for b in blocks}) != 1:
        raise ParseError("a stack [a; b] of blocks with different numbers of columns")
    return sp.ImmutableMatrix(sp.Matrix.vstack(*blocks))
