"""Probabilities of events in a side: ``P(A \\cup B)``, ``\\Pr[A^c]``, ``\\mathbb{P}(A \\mid B)``.

``read`` cuts every probability of an event out of a (normalised) side, reads
the event with a small recursive-descent reader of its own, and parses the rest
of the side with the ordinary reader, each probability standing in as a
placeholder name; the placeholders then become ``Prob(event)`` (``verify.events``).

Events: names (``A``, ``B_1``, ``E_{12}``), ``\\cup``, ``\\cap``, ``\\setminus``,
a comma (``P(A, B)`` is ``P(A \\cap B)``), complements ``A^c``, ``A^{C}``,
``A^\\complement``, ``A'``, ``\\overline{A}``, ``\\bar A``, ``\\complement A``,
``\\Omega`` and ``\\emptyset``/``\\varnothing``, with parentheses and ``\\{ \\}``; and
one condition ``A \\mid B`` (``|``, ``\\vert``), read as ``P(A \\cap B) / P(B)``,
which has no value where ``P(B) = 0``.  ``\\cap`` binds tighter than ``\\cup`` and
``\\setminus``.

A head ``P`` is an event's probability only when what it is applied to reads as
an event and either holds an event operator or is capital names (``P(A)``,
``P(A, B)``); ``P(x)``, ``P(x, y)``, ``P(X = 1)`` and a ``P`` the document defines
(``% derive: define``) or declares a matrix are left alone.
``\\Pr`` and ``\\mathbb{P}`` of something that is no event are a ``ParseError``.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import sympy as sp

from ...verify.events import PROB
from .scan import ParseError

#: heads, and whether they always mean a probability
_HEAD = re.compile(r"(?P<sure>\\Pr(?![A-Za-z])|\\mathbb\s*\{\s*P\s*\}|\\mathrm\s*\{\s*(?:P|Pr)\s*\}"
                   r"|\\mathbf\s*\{\s*P\s*\}|\\operatorname\s*\{\s*(?:P|Pr)\s*\})"
                   r"|(?P<plain>(?<![\\A-Za-z_])P(?![A-Za-z_']))")
_OPEN = {"(": ")", "[": "]", "\\{": "\\}"}
_TOKEN = re.compile(r"\s*(\\cup|\\cap|\\setminus|\\mid|\\vert|\\complement|\\overline|\\bar|\\Omega|\\emptyset"
                    r"|\\varnothing|\\\{|\\\}|\^\s*\{\s*(?:c|C|\\complement)\s*\}|\^\s*(?:c|C|\\complement)"
                    r"|[A-Za-z](?:\s*_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?|[(){},|']|\S)")
_OPERATORS = ("\\cup", "\\cap", "\\setminus", "\\mid", "\\vert", "|", ",", "\\complement", "\\overline", "\\bar",
              "'", "\\Omega", "\\emptyset", "\\varnothing")
PLACEHOLDER = "Zevtp"


class _NoEvent(Exception):
    """What the head is applied to is not an event."""


def _tokens(text: str) -> list[str]:
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            break
        pos = m.end()
        out.append(re.sub(r"\s+", "", m.group(1)))
    return out


class _Reader:
    """event := union ['|' union];  union := inter {(cup | setminus) inter};
    inter := unary {(cap | ',') unary};  unary := complement-prefix* primary complement-suffix*."""

    def __init__(self, tokens: list[str], name: Callable[[str], sp.Symbol]) -> None:
        self.toks, self.pos, self.name = tokens, 0, name

    def peek(self) -> str | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self, want: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (want is not None and tok != want):
            raise _NoEvent(f"expected {want or 'an event'}")
        self.pos += 1
        return tok

    def top(self) -> tuple[Any, Any | None]:
        event = self.union()
        cond = None
        if self.peek() in ("|", "\\mid", "\\vert"):
            self.take()
            cond = self.union()
        if self.peek() is not None:
            raise _NoEvent(f"unexpected '{self.peek()}'")
        return event, cond

    def union(self) -> Any:
        out = self.inter()
        while self.peek() in ("\\cup", "\\setminus"):
            op = self.take()
            rhs = self.inter()
            out = sp.Or(out, rhs) if op == "\\cup" else sp.And(out, sp.Not(rhs))
        return out

    def inter(self) -> Any:
        out = self.unary()
        while self.peek() in ("\\cap", ","):
            self.take()
            out = sp.And(out, self.unary())
        return out

    def unary(self) -> Any:
        if self.peek() == "\\complement":
            self.take()
            return sp.Not(self.unary())
        if self.peek() in ("\\overline", "\\bar"):
            self.take()
            return sp.Not(self.group() if self.peek() == "{" else self.primary())
        out = self.primary()
        while self.peek() is not None and (self.peek().startswith("^") or self.peek() == "'"):
            self.take()
            out = sp.Not(out)
        return out

    def group(self) -> Any:
        self.take("{")
        out = self.union()
        self.take("}")
        return out

    def primary(self) -> Any:
        tok = self.take()
        if tok in ("(", "\\{", "{"):
            out = self.union()
            self.take({"(": ")", "\\{": "\\}", "{": "}"}[tok])
            return out
        if tok == "\\Omega":
            return sp.true
        if tok in ("\\emptyset", "\\varnothing"):
            return sp.false
        if re.fullmatch(r"[A-Za-z](?:_(?:\{[^{}]*\}|[A-Za-z0-9]))?", tok):
            return self.name(tok)
        raise _NoEvent(f"'{tok}' is not an event")


def _closing(text: str, start: int, opener: str) -> int:
    """Index of the bracket closing ``opener`` at ``start`` (any bracket kind nests), or -1."""
    depth, i = 0, start
    while i < len(text):
        two = text[i:i + 2]
        if two in ("\\{", "\\}"):
            depth += 1 if two == "\\{" else -1
            i += 2
        else:
            c = text[i]
            depth += 1 if c in "([{" else -1 if c in ")]}" else 0
            i += 1
        if depth == 0:
            return i if text[i - len(_OPEN[opener]):i] == _OPEN[opener] else -1
    return -1


def _cut(text: str, name: Callable[[str], sp.Symbol], defined: set[str]) -> tuple[str, list[Any]]:
    """``text`` with each event probability replaced by a placeholder, and their values.

    ``defined``: functions the document defines (``% derive: define P(x) = ...``): such a
    ``P`` is never a probability."""
    out, found, pos = [], [], 0
    for m in _HEAD.finditer(text):
        if m.start() < pos:
            continue
        if m.group("plain") and "P" in defined:
            continue            # a declared matrix is in ``defined`` too: P(A) is a product there
        j = m.end()
        while j < len(text) and text[j].isspace():
            j += 1
        opener = next((o for o in _OPEN if text.startswith(o, j)), None)
        if opener is None:
            continue
        end = _closing(text, j, opener)
        if end < 0:
            continue
        inner = text[j + len(opener):end - len(_OPEN[opener])]
        toks = _tokens(inner)
        # P(A), P(A, B): capital names only (P(x, y) may be a function of two numbers)
        plain_ok = any((t in _OPERATORS and t != ",") or t.startswith("^") for t in toks) or (
            bool(toks) and all(re.fullmatch(r"[A-Z](?:_.*)?", t) for t in toks[::2])
            and all(t == "," for t in toks[1::2]))
        try:
            if m.group("plain") and (not plain_ok or any(t in defined for t in toks)):
                raise _NoEvent("not an event")
            event, cond = _Reader(toks, name).top()
        except _NoEvent as exc:
            if m.group("sure"):
                raise ParseError(f"cannot read the event in '{text[m.start():end]}': {exc}", m.start()) from None
            continue
        value = PROB(event) if cond is None else PROB(sp.And(event, cond)) / PROB(cond)
        out.append(text[pos:m.start()] + " (\\mathrm{%s%s}) " % (PLACEHOLDER, _letters(len(found))))
        found.append(value)
        pos = end
    out.append(text[pos:])
    return "".join(out), found


def _letters(k: int) -> str:
    s = ""
    while True:
        s = chr(ord("a") + k % 26) + s
        k = k // 26 - 1
        if k < 0:
            return s


def mentions(text: str) -> bool:
    """Whether a side may hold the probability of an event (a cheap test before ``read``)."""
    return _HEAD.search(text) is not None


def read(text: str, parse: Callable[[str], Any], name: Callable[[str], sp.Symbol],
         defined: set[str]) -> Any | None:
    """The side with its event probabilities read, or ``None`` when it holds none."""
    cut, found = _cut(text, name, defined)
    if not found:
        return None
    expr = parse(cut)
    if not isinstance(expr, sp.Basic) or isinstance(expr, sp.MatrixBase):
        raise ParseError("a probability of an event inside a matrix")
    mapping = {}
    for s in expr.free_symbols:
        m = re.search(PLACEHOLDER + r"([a-z]+)$", s.name)
        if m:
            k = _index(m.group(1))
            if k >= len(found):
                raise ParseError("unexpected placeholder")
            mapping[s] = found[k]
    return expr.xreplace(mapping)


_INCLUSION = re.compile(r"\s*(?P<a>[^=<>]+?)\s*\\subseteq(?![A-Za-z])\s*(?P<b>[^=<>]+?)\s*")


def inclusions(text: str) -> str:
    """``A \\subseteq B`` (a premise) as ``P(A \\setminus B) = 0``: what it says about
    probabilities (an inclusion up to a null set implies the same of every probability)."""
    m = _INCLUSION.fullmatch(text)
    if not m or not all(_is_event(m.group(k)) for k in ("a", "b")):
        return text
    return "P((%s) \\setminus (%s)) = 0" % (m.group("a"), m.group("b"))


def _is_event(text: str) -> bool:
    try:
        _Reader(_tokens(text), sp.Symbol).top()
    except _NoEvent:
        return False
    return True


def _index(s: str) -> int:
    k = 0
    for c in s:
        k = k * 26 + (ord(c) - ord("a") + 1)
    return k - 1


__all__ = ["read", "mentions", "inclusions", "PLACEHOLDER"]
