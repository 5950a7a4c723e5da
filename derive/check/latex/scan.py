"""Bracket scanning shared by the LaTeX reader, and the reader's limits and error.

One scanner (``_scan``) gives every token of a side with its bracket depth; the
top-level splitters and the depth bound are built on it.
"""
from __future__ import annotations

from typing import Iterator

MAX_CHARS = 6000
MAX_DEPTH = 40
MAX_EXPONENT = 10_000

class ParseError(Exception):
    """A side could not be parsed; ``column`` is 0-based within the side."""

    def __init__(self, message: str, column: int = 0) -> None:
        super().__init__(message)
        self.column = column



_COMMA = "QC"


def _subscript_commas(text: str) -> str:
    """``x_{1,2}`` -> ``x_{1QC2}``: a comma in a subscript must not split a function's arguments."""
    out, i = [], 0
    while True:
        j = text.find("_{", i)
        if j < 0:
            out.append(text[i:])
            return "".join(out)
        close = _matching(text, j + 1)
        if close < 0:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:j + 2] + text[j + 2:close].replace(",", _COMMA))
        i = close


def _depth(text: str) -> int:
    depth = best = 0
    for c in text:
        if c in "{([":
            depth += 1
            best = max(best, depth)
        elif c in "})]":
            depth -= 1
    return best


def _matching(text: str, i: int) -> int:
    """Index of the bracket closing ``text[i]`` (``(``, ``[`` or ``{``), or -1."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = [pairs[text[i]]]
    j = i + 1
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")]}":
            if c != stack[-1]:
                return -1
            stack.pop()
            if not stack:
                return j
        j += 1
    return -1


def _scan(text: str, environments: bool = False) -> Iterator[tuple[int, str, int]]:
    """``(index, token, depth)`` for every token of ``text``.

    A token is a backslash with the next character (``\\|``, ``\\c`` of
    ``\\circ``...) or one character; ``depth`` is the bracket depth outside it
    (braces, brackets, parentheses, and ``\\begin``/``\\end`` when
    ``environments``). The one scanner behind every top-level split below.
    """
    depth, i = 0, 0
    while i < len(text):
        if text[i] == "\\":
            yield i, text[i:i + 2], depth
            if environments and text.startswith("\\begin", i):
                depth += 1
            elif environments and text.startswith("\\end", i):
                depth -= 1
            i += 2
            continue
        c = text[i]
        if c in "})]":
            depth -= 1
        yield i, c, depth
        if c in "{([":
            depth += 1
        i += 1


def _top_split(text: str, seps: str = ",;|", norm_bars: bool = True) -> list[str]:
    """Split at top-level ``seps`` (and ``\\|`` when ``norm_bars``), not inside
    braces, brackets or parentheses; escaped characters never split."""
    out, start = [], 0
    for i, tok, depth in _scan(text):
        if depth == 0 and (tok in seps or (norm_bars and tok == "\\|")):
            out.append(text[start:i])
            start = i + len(tok)
    out.append(text[start:])
    return [p.strip() for p in out]


def _has_top_bar(text: str) -> bool:
    """A conditional bar ``|`` at the top level (``\\|`` is a norm, not a bar)."""
    return any(tok == "|" and depth == 0 for _, tok, depth in _scan(text))



def _norm_close(text: str, i: int) -> int:
    for j, tok, depth in _scan(text[i:]):
        if tok == "\\|" and depth == 0:
            return i + j
    return -1
