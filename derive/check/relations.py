"""Relation symbols: the table of what the checker reads as a relation, and the scanner
that finds them at the top level of a row (not inside braces or environments).

``extract`` cuts rows into steps at these; ``directives`` and ``equivalence`` read
relations with the same scanner.
"""
from __future__ import annotations

import re

import sympy as sp

from ..step import Rel
from .clean import _CMD


#: Relation symbols, longest first; ``name`` is the relation's key.
RELATIONS: tuple[tuple[str, str], ...] = (
    (r"\Longleftrightarrow", "iff"), (r"\Leftrightarrow", "iff"), (r"\iff", "iff"),
    (r"\Longrightarrow", "implies"), (r"\Rightarrow", "implies"), (r"\implies", "implies"),
    (r"\leqslant", "le"), (r"\geqslant", "ge"), (r"\leq", "le"), (r"\geq", "ge"),
    (r"\le", "le"), (r"\ge", "ge"), (r"\lt", "lt"), (r"\gt", "gt"), (r"\approx", "approx"), (r"\sim", "sim"),
    ("<=", "le"), (">=", "ge"), ("=", "eq"), ("<", "lt"), (">", "gt"),
)
IMPLICATIONS = ("implies", "iff")
#: read as relations of steps only (``_relations(..., ne=True)``): ``\\neq``, ``\\ne`` (and ``!=``), and
#: the assignment arrow of an update rule (``W \\gets W - \\eta g``)
NOT_EQUAL: tuple[tuple[str, str], ...] = ((r"\neq", "ne"), (r"\ne", "ne"), (r"\gets", "gets"),
                                          (r"\leftarrow", "gets"))


def _split_top(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], list[int]]:
    """Rows of ``text[start:end]`` split at top-level ``\\\\``; offsets of top-level ``&``."""
    rows: list[tuple[int, int]] = []
    amps: list[int] = []
    depth = 0
    env_depth = 0
    row_start = start
    i = start
    while i < end:
        c = text[i]
        if c == "\\":
            if text.startswith("\\\\", i) and depth == 0 and env_depth == 0:
                rows.append((row_start, i))
                row_start = i + 2
                i += 2
                continue
            if text.startswith("\\begin", i):
                env_depth += 1
            elif text.startswith("\\end", i):
                env_depth = max(0, env_depth - 1)
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        elif c == "&" and depth == 0 and env_depth == 0:
            amps.append(i)
        i += 1
    rows.append((row_start, end))
    return rows, amps


def _relations(text: str, start: int, end: int, ne: bool = False) -> list[tuple[int, int, str]]:
    """Top-level relation symbols in ``text[start:end]`` as (offset, end, key); with ``ne``
    also ``\\neq`` and ``!=`` (key ``ne``)."""
    symbols = NOT_EQUAL + RELATIONS if ne else RELATIONS
    out = []
    depth = 0
    env_depth = 0
    i = start
    while i < end:
        c = text[i]
        if c == "\\":
            if text.startswith("\\begin", i):
                env_depth += 1
            elif text.startswith("\\end", i):
                env_depth = max(0, env_depth - 1)
            if depth == 0 and env_depth == 0:
                for sym, key in symbols:
                    if sym.startswith("\\") and text.startswith(sym, i):
                        after = i + len(sym)
                        if after < end and text[after].isalpha():
                            continue
                        out.append((i, after, key))
                        i = after
                        break
                else:
                    m = _CMD.match(text, i)
                    i = m.end() if m else i + 1
                continue
            m = _CMD.match(text, i)
            i = m.end() if m else i + 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        elif ne and depth == 0 and env_depth == 0 and text.startswith("!=", i):
            out.append((i, i + 2, "ne"))
            i += 2
            continue
        elif depth == 0 and env_depth == 0 and c in "=<>":
            two = text[i:i + 2]
            if two in ("<=", ">="):
                out.append((i, i + 2, "le" if c == "<" else "ge"))
                i += 2
                continue
            out.append((i, i + 1, {"=": "eq", "<": "lt", ">": "gt"}[c]))
        i += 1
    return out


#: relation keys -> the engine's relation, and the SymPy relation of a proposition
_REL = {"eq": Rel.EQ, "le": Rel.LE, "lt": Rel.LT, "ge": Rel.GE, "gt": Rel.GT, "approx": Rel.APPROX,
        "implies": Rel.IMPLIES, "iff": Rel.IFF}
_SP_REL = {"eq": sp.Eq, "le": sp.Le, "lt": sp.Lt, "ge": sp.Ge, "gt": sp.Gt, "approx": sp.Eq}
_DECIMAL = re.compile(r"(?<![\w.])\d*\.(\d+)")


def _decimals(text: str) -> list[int]:
    return [len(m.group(1)) for m in _DECIMAL.finditer(text)]


def _one(text: str) -> str:
    return " ".join(text.split())
