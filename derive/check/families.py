"""A definition for every index, used at one index: ``\\nabla_{W_k} L = \\delta_k a_{k-1}^T``.

Backprop working states the gradients once for a layer index k and then writes the
numbers layer by layer:

    $$\\nabla_{W_k} L = \\delta_k \\, a_{k-1}^T$$        (line 150)
    - $\\nabla_{W_1} L = x \\, \\delta_1^T = \\dots$          (line 166: the order is wrong)

A definition whose left side has an index letter (``k`` or ``l``) in a subscript, and whose
right side uses it in a subscript too, is a *family*.  A later relation whose left side is
the family's left side at a number (``\\nabla_{W_1} L``) is a claim about the family's
right side at that number (``\\delta_1 a_0^T``), but only when that right side has an
explicit value in scope (every name in it given by the facts): otherwise the line is
read as before (``\\delta_3 = -2 (10 - 8)`` after ``\\delta_k = \\nabla_{z_k} L`` stays the
definition of the number ``\\delta_3``).  A recurrence (the left side's name on the right)
is no family.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sympy as sp

from .diagnose import _opaque, _symbols

#: index letters of a family
_LETTERS = ("k", "l")


def _subscripted(letter: str) -> re.Pattern[str]:
    """``letter`` as a subscript, alone or in a simple offset: ``_k``, ``_{k}``, ``_{k-1}``."""
    return re.compile(r"_\s*(?:" + letter + r"(?![A-Za-z])|\{\s*" + letter + r"\s*(?:[+-]\s*\d+\s*)?\})")


@dataclass(frozen=True)
class Family:
    lhs: str
    rhs: str
    letter: str
    line: int

    def at(self, text: str, value: int) -> str:
        """``text`` of the family with the index ``value``."""
        def brace(m: re.Match[str]) -> str:
            inner = re.fullmatch(r"\{\s*" + self.letter + r"\s*(?:([+-])\s*(\d+)\s*)?\}", m.group(1))
            if inner is None:
                return m.group(0)
            off = int(inner.group(2) or 0) * (-1 if inner.group(1) == "-" else 1)
            return "_{%d}" % (value + off)
        text = re.sub(r"_\s*(\{[^{}]*\})", brace, text)
        return re.sub(r"_\s*" + self.letter + r"(?![A-Za-z])", "_{%d}" % value, text)


def family_of(lhs: str, rhs: str, line: int) -> Family | None:
    """The family a definition states (``None``: no index letter on both sides, or a recurrence)."""
    for letter in _LETTERS:
        pat = _subscripted(letter)
        if not (pat.search(lhs) and pat.search(rhs)):
            continue
        head = re.match(r"\s*(\\[A-Za-z]+|[A-Za-z])", lhs)
        if head and re.search(re.escape(head.group(1)) + r"(?![A-Za-z])\s*_", rhs):
            return None         # x_{k+1} = c_k W_k x_k: a recurrence
        return Family(lhs, rhs, letter, line)
    return None


class Families:
    """A mixin of ``judge.Judge``: ``self.families`` (reset with the scope), ``side``, ``_prep``."""

    def _family(self, raw: Any, role: str | None) -> None:
        """Keep a definition that states a family."""
        if role != "definition" or raw.rel != "eq" or not raw.first:
            return
        fam = family_of(raw.lhs.text, raw.rhs.text, self.ex.line_of(raw.offset))
        if fam is not None:
            self.store.families = [f for f in self.store.families if f.lhs != fam.lhs] + [fam]

    def _instance(self, raw: Any, lhs: Any) -> tuple[Any, str] | None:
        """The family's right side at the number of ``raw``'s left side, and the reason, if it applies."""
        families = self.store.families
        if not families or not raw.first or raw.rel != "eq":
            return None
        numbers = {int(n) for n in re.findall(r"(?<![\d.])\d{1,2}(?![\d.])", raw.lhs.text)}
        for fam in reversed(families):
            for n in sorted(numbers):
                try:
                    if self.side(fam.at(fam.lhs, n)) != lhs:
                        continue
                    value = self.side(fam.at(fam.rhs, n))
                except Exception:  # noqa: BLE001 - a family that does not read there: not used
                    continue
                explicit = self._prep(value)
                if _symbols(explicit) or _opaque(explicit) or not isinstance(explicit, (sp.Expr, sp.MatrixBase)):
                    return None
                return value, f"by line {fam.line} with {fam.letter} = {n}"
        return None


__all__ = ["Families", "Family", "family_of"]
