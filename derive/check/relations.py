"""Relation symbols: the table of what the checker reads as a relation, and the scanner
that finds them at the top level of a row (not inside braces or environments).

``extract`` cuts rows into steps at these; ``directives`` and ``equivalence`` read
relations with the same scanner.
"""
from __future__ import annotations

import re

import sympy as sp

from ..step import Rel
from .relscan import NOT_EQUAL, RELATIONS, _relations, top_level  # noqa: F401 - re-exported

IMPLICATIONS = ("implies", "iff")


def _split_top(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], list[int]]:
    """Rows of ``text[start:end]`` split at top-level ``\\\\``; offsets of top-level ``&``."""
    rows: list[tuple[int, int]] = []
    amps: list[int] = []
    row_start = start
    for i, j in top_level(text, start, end):
        if text.startswith("\\\\", i) and j == i + 2:
            rows.append((row_start, i))
            row_start = j
        elif text[i] == "&":
            amps.append(i)
    rows.append((row_start, end))
    return rows, amps


#: relation keys -> the engine's relation, and the SymPy relation of a proposition
_REL = {"eq": Rel.EQ, "le": Rel.LE, "lt": Rel.LT, "ge": Rel.GE, "gt": Rel.GT, "approx": Rel.APPROX,
        "implies": Rel.IMPLIES, "iff": Rel.IFF}
_SP_REL = {"eq": sp.Eq, "le": sp.Le, "lt": sp.Lt, "ge": sp.Ge, "gt": sp.Gt, "approx": sp.Eq}
_DECIMAL = re.compile(r"(?<![\w.])\d*\.(\d+)")


def _decimals(text: str) -> list[int]:
    return [len(m.group(1)) for m in _DECIMAL.finditer(text)]


def _one(text: str) -> str:
    return " ".join(text.split())
