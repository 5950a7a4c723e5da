"""Steps between two sets, tuples or intervals written out: ``\\{1, 1\\} = \\{1\\}``, ``(1, 2) = (1, 2)``.

A side ``\\{a, b, ...\\}`` is the finite set of its elements; ``(a, b, ...)`` and
``[a, b)`` are a tuple or an interval, compared as written (same brackets, entry by
entry).  Each pair of elements is decided by the engine's verifier (bounded in time):

* sets: every element of each side equals some element of the other (``valid``);
  an element of constants that differs from every constant of the other side is a
  certificate (``invalid``); anything else is ``unknown``;
* tuples and intervals: the same number of entries and brackets, and every entry equal;
  an entry of constants that differs is a certificate.

A printed decimal element stands for its rounded value, as a side does (``check/rounding.py``):
``(1.41, 0.33) = (\\sqrt 2, \\frac13)`` is equal up to rounding, ``(1.41, 0.34)`` is not.

A set with a condition (``\\{x : x > 0\\}``, ``\\mid``) is not read here.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import sympy as sp

from ..step import Justification, Rel, Step
from .latex.scan import ParseError, _top_split
from .report import Verdict

#: at most this many elements a side (the pairs are decided one by one)
MAX_ELEMENTS = 12

_SET = re.compile(r"\s*\\\{(?P<body>.*)\\\}\s*", re.S)
_EMPTY = re.compile(r"\s*(?:\\emptyset|\\varnothing|\\\{\s*\\\})\s*")
_TUPLE = re.compile(r"\s*(?P<open>[(\[])(?P<body>.*)(?P<close>[)\]])\s*", re.S)
_BUILDER = re.compile(r":|\\mid(?![A-Za-z])|\|")


def _balanced(text: str) -> bool:
    depth = 0
    for c in re.sub(r"\\.", "", text):
        depth += c in "([{"
        depth -= c in ")]}"
        if depth < 0:
            return False
    return depth == 0


def structure(text: str) -> tuple[str, list[str]] | None:
    """``("set", items)``, ``("(]", items)`` for a tuple or interval, or ``None``."""
    t = re.sub(r"\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])", "", text)
    if _EMPTY.fullmatch(t):
        return "set", []
    m = _SET.fullmatch(t)
    if m and _balanced(m.group("body")) and not _BUILDER.search(m.group("body")):
        items = _top_split(m.group("body"), seps=",", norm_bars=False)
        return ("set", items) if all(i.strip() for i in items) else None
    m = _TUPLE.fullmatch(t)
    if m and _balanced(m.group("body")):
        items = _top_split(m.group("body"), seps=",", norm_bars=False)
        if len(items) > 1 and all(i.strip() for i in items):
            return m.group("open") + m.group("close"), items
    return None


def both(lhs: str, rhs: str) -> tuple[tuple[str, list[str]], tuple[str, list[str]]] | None:
    """Both sides of an equation written as sets (or both as tuples / intervals)."""
    a, b = structure(lhs), structure(rhs)
    if a is None or b is None or (a[0] == "set") != (b[0] == "set"):
        return None
    return a, b


def decide(sides: tuple[tuple[str, list[str]], tuple[str, list[str]]], read: Callable[[str], Any],
           equal: Callable[[Any, Any, str, str], str]) -> Verdict:
    """The verdict of ``A = B``; ``read`` parses one element (``ParseError``), ``equal`` decides
    two elements given their values and texts (``proved``, ``numeric``, ``rounded``: equal up to the
    rounding of a printed decimal, ``failed`` or ``unknown``)."""
    (ka, ia), (kb, ib) = sides
    if max(len(ia), len(ib)) > MAX_ELEMENTS:
        return Verdict("unknown", "structure", f"more than {MAX_ELEMENTS} elements: not compared")
    xs, ys = [read(t) for t in ia], [read(t) for t in ib]
    for v in xs + ys:
        if not isinstance(v, sp.Expr):
            raise ParseError("an element that is not a number or an expression")
    if ka == "set":
        return _sets(ia, xs, ib, ys, equal)
    if len(xs) != len(ys):
        return Verdict("invalid", "structure", f"{len(xs)} entries vs {len(ys)}")
    numeric = rounded = undecided = False
    for k, (x, y) in enumerate(zip(xs, ys), 1):
        got = equal(x, y, ia[k - 1], ib[k - 1])
        if got == "failed" and _constant(x) and _constant(y):
            return Verdict("invalid", "structure", f"entry {k} differs: {ia[k - 1].strip()} vs {ib[k - 1].strip()}")
        numeric |= got == "numeric"
        rounded |= got == "rounded"
        undecided |= got not in ("proved", "numeric", "rounded")
    if undecided:
        return Verdict("unknown", "structure", "some entries could not be compared")
    if ka != kb:
        return Verdict("invalid", "structure", "the same entries in different brackets "
                       f"({ka[0]} ... {ka[1]} vs {kb[0]} ... {kb[1]})")
    return Verdict("valid", "numeric" if numeric else "proved",
                   "entry by entry, up to rounding of the printed decimals" if rounded else "entry by entry")


def _sets(ia: list[str], xs: list[Any], ib: list[str], ys: list[Any],
          equal: Callable[[Any, Any, str, str], str]) -> Verdict:
    numeric = rounded = undecided = False
    for texts, one, other, other_texts in ((ia, xs, ys, ib), (ib, ys, xs, ia)):
        for text, x in zip(texts, one):
            got = [equal(x, y, text, t) for y, t in zip(other, other_texts)]
            if "proved" in got or "numeric" in got or "rounded" in got:
                numeric |= "proved" not in got and "rounded" not in got
                rounded |= "proved" not in got and "rounded" in got
                continue
            if all(g == "failed" for g in got) and _constant(x) and all(_constant(y) for y in other):
                return Verdict("invalid", "structure", f"{text.strip()} is in one set only")
            undecided = True
    if undecided:
        return Verdict("unknown", "structure", "some elements could not be compared")
    return Verdict("valid", "numeric" if numeric else "proved",
                   "the same elements, up to rounding of the printed decimals" if rounded else "the same elements")


def _constant(e: Any) -> bool:
    return isinstance(e, sp.Expr) and not e.free_symbols and not e.atoms(sp.core.function.AppliedUndef)


def element_step(a: Any, b: Any, tol: Any = None) -> Step:
    """``a = b`` for the verifier; ``tol``: the rounding a printed decimal element allows."""
    return Step(a, Rel.EQ if tol is None else Rel.APPROX, b, Justification("element"), tol=tol)


__all__ = ["structure", "both", "decide", "element_step", "MAX_ELEMENTS"]
