"""Piecewise definitions: ``\\begin{cases} ... \\end{cases}`` and the OCR form
``\\left\\{ \\begin{array}{ll} ... \\end{array} \\right.`` as one SymPy ``Piecewise``.

A side that is such a block is read row by row, from the text as written:
``value & condition``, rows ended by ``\\\\``, a trailing comma or full stop of
the value or the condition dropped.  Values are read by the reader; a condition
is a relation, a chain of relations (``0 \\le n \\le 6``) or a comma list of them
(their conjunction), after the words ``if``, ``for``, ``when``, ``where`` (bare or
in ``\\text{}``) are dropped; an empty condition, ``otherwise`` or ``else``, is
the last row's only.  Any other word (``\\text{unless}``, ``n \\text{ even}``), or
a row without ``&``, is a ``ParseError``: the side stays unread rather than guessed.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import sympy as sp

from .scan import ParseError, _scan, _top_split

_BLOCK = re.compile(r"\s*(?:(?:\\left\s*)?\\\{\s*\\begin\{array\}\s*\{[lcr|\s]*\}(?P<a>.*)\\end\{array\}"
                    r"\s*(?:\\right\s*\.)?|\\begin\{[dt]?cases\}(?P<c>.*)\\end\{[dt]?cases\})\s*", re.S)
#: the words a condition may carry: dropped (``otherwise`` and ``else`` only make it empty)
_CUE = re.compile(r"\\(?:text|textrm|mathrm|mbox|textnormal)\s*\{\s*(?:if|for|when|where|otherwise|else)?\s*[,.:;]?\s*\}"
                  r"|(?<![\\A-Za-z])(?:if|for|when|where|otherwise|else)(?![A-Za-z])"
                  r"|\\(?:quad|qquad|[,;:! ])")
_WORDS = re.compile(r"\\(?:text|textrm|mathrm|mbox|textnormal|operatorname)\b|(?<![\\A-Za-z])[A-Za-z]{3,}(?![A-Za-z])")
_RELATION = re.compile(r"\\leq?(?![A-Za-z])|\\geq?(?![A-Za-z])|\\lt(?![A-Za-z])|\\gt(?![A-Za-z])"
                       r"|\\neq?(?![A-Za-z])|<|>|=")
_SYMPY = {"\\le": sp.Le, "\\leq": sp.Le, "\\ge": sp.Ge, "\\geq": sp.Ge, "\\lt": sp.Lt, "\\gt": sp.Gt, "<": sp.Lt,
          ">": sp.Gt, "=": sp.Eq, "\\ne": sp.Ne, "\\neq": sp.Ne}
MAX_ROWS = 20


def _split(text: str, token: str) -> list[str]:
    """``text`` split at top-level ``token`` (``\\\\`` or ``&``), not inside braces or brackets."""
    out, start = [], 0
    for i, tok, depth in _scan(text):
        if depth == 0 and tok == token:
            out.append(text[start:i])
            start = i + len(tok)
    out.append(text[start:])
    return out


def _trim(text: str) -> str:
    return re.sub(r"[\s,.;]+$", "", text).strip()


def _condition(text: str, parse: Callable[[str], Any]) -> Any:
    if _WORDS.search(text):
        raise ParseError(f"a case condition in words: '{' '.join(text.split())}'")
    parts = [p for p in _top_split(text, seps=",", norm_bars=False) if p]
    if len(parts) > 1:
        return sp.And(*[_condition(p, parse) for p in parts])
    cuts = [(m.start(), m.end(), m.group(0)) for m in _RELATION.finditer(text)
            if all(depth == 0 for i, _, depth in _scan(text) if i == m.start())]
    if not cuts:
        raise ParseError(f"a case condition that is not a relation: '{' '.join(text.split())}'")
    sides, prev = [], 0
    for a, b, _ in cuts:
        sides.append(parse(text[prev:a]))
        prev = b
    sides.append(parse(text[prev:]))
    rels = [_SYMPY[op](x, y) for (_, _, op), x, y in zip(cuts, sides, sides[1:])]
    return rels[0] if len(rels) == 1 else sp.And(*rels)


def piecewise_side(text: str, parse: Callable[[str], Any]) -> Any | None:
    """The ``Piecewise`` a side written as cases means; None when the side is no such block."""
    m = _BLOCK.fullmatch(text)
    if not m:
        return None
    body = m.group("a") if m.group("a") is not None else m.group("c")
    rows = [r for r in _split(body, "\\\\") if r.strip()]
    if not rows or len(rows) > MAX_ROWS:
        raise ParseError("a piecewise definition needs between 1 and %d cases" % MAX_ROWS)
    pieces = []
    for k, row in enumerate(rows):
        cells = _split(row, "&")
        if len(cells) != 2 or not _trim(cells[0]):
            raise ParseError("a case must be 'value & condition'")
        value, cond = parse(_trim(cells[0])), _trim(_CUE.sub(" ", cells[1]))
        if not cond:
            if k != len(rows) - 1:
                raise ParseError("only the last case may be 'otherwise'")
            pieces.append((value, sp.true))
            continue
        pieces.append((value, _condition(cond, parse)))
    if not all(isinstance(v, sp.Expr) for v, _ in pieces):
        raise ParseError("a case value that is not an expression")
    return sp.Piecewise(*pieces)
