"""Reading the sides of a step: propositions for implications, lists of names, and
the unparsed verdict with its column.

``Reading`` is mixed into ``judge.Judge``, whose ``side`` parses one side with
the scope's parser (and its cache).
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp

from .diagnose import _opaque
from .latex import events
from .parse import ParseError, _top_split
from .relations import _SP_REL, _decimals, _relations
from .report import Verdict


class Reading:
    """Side-reading helpers of ``judge.Judge``."""

    def proposition(self, text: str) -> Any:
        """``a = b``, ``0 < x < 1`` or ``x = 2 \\lor x = -2`` (also ``x = \\pm 2``) as a SymPy boolean."""
        signs = _PM.findall(text)
        if len(signs) == 1:         # x = 2 \pm 1: x = 2 + 1 or x = 2 - 1 (\mp: the other way round)
            plus, minus = ("+", "-") if signs[0].startswith("\\pm") else ("-", "+")
            return sp.Or(self.proposition(_PM.sub(plus, text)), self.proposition(_PM.sub(minus, text)))
        alts = re.split(r"\\lor(?![A-Za-z])|\\vee(?![A-Za-z])|\\text\s*\{\s*or\s*\}", text)
        if len(alts) > 1:
            return sp.Or(*[self.proposition(a) for a in alts])
        both = re.split(r"\\land(?![A-Za-z])|\\wedge(?![A-Za-z])|\\text\s*\{\s*and\s*\}", text)
        if len(both) > 1:
            return sp.And(*[self.proposition(a) for a in both], evaluate=False)
        conj = _top_split(text, seps=",", norm_bars=False)
        if len(conj) > 1 and all(_relations(c, 0, len(c)) for c in conj):
            # \mu = 0, \sigma = 1 \Rightarrow ...: a list of relations is their conjunction
            return sp.And(*[self.proposition(c) for c in conj], evaluate=False)
        text = events.inclusions(text)      # A \subseteq B: P(A \setminus B) = 0 (latex/events.py)
        rels = _relations(text, 0, len(text))
        if not rels:
            raise ParseError("expected a relation on this side of the implication")
        pieces, texts, prev = [], [], 0
        for a, b, _ in rels:
            pieces.append(self.side(text[prev:a]))
            texts.append(text[prev:a])
            prev = b
        pieces.append(self.side(text[prev:]))
        texts.append(text[prev:])
        parts = []
        for k, ((_, _, key), a, b) in enumerate(zip(rels, pieces, pieces[1:])):
            if key not in _SP_REL:
                raise ParseError("nested implications are not supported")
            if parts and key in ("eq", "approx") and _printed_value(a, b, texts[k + 1]):
                continue    # N \ge \frac{\log 0.05}{\log 0.95} = 58.4: the value of the bound, as printed
            parts.append(_SP_REL[key](a, b, evaluate=False))
        return parts[0] if len(parts) == 1 else sp.And(*parts, evaluate=False)

    def _name_list(self, text: str) -> list[Any]:
        """``a, b_1`` -> the two symbols; ``y_1, y_2`` with a family ``y_i`` -> its two entries
        (empty unless every piece is one symbol or one entry)."""
        out = []
        for piece in text.split(","):
            try:
                value = self.side(piece)
            except ParseError:
                return []
            if not isinstance(value, (sp.Symbol, sp.Indexed)):
                return []
            out.append(value)
        return out

    def _side_or_raise(self, e: Any) -> Any:
        try:
            return self.side(e.text)
        except ParseError as exc:
            raise _SideError(exc, e) from None

    def _unparsed(self, exc: ParseError, where: Any) -> Verdict:
        col = self.ex.column_of(where.offset) + getattr(exc, "column", 0)
        return Verdict("unparsed", message=str(exc), column=col)


_PM = re.compile(r"\\pm(?![A-Za-z])|\\mp(?![A-Za-z])")


def _printed_value(a: Any, b: Any, printed: str) -> bool:
    """``a = b`` between constants, ``b`` printed with decimals and within half a unit of
    their last place of ``a``: a computed value inside a proposition, not a condition."""
    places = _decimals(printed)
    if not places or not all(isinstance(e, sp.Expr) and not e.free_symbols and not _opaque(e) for e in (a, b)):
        return False
    try:
        gap = abs(sp.N(a - b, 30))
    except (TypeError, ValueError):
        return False
    return bool(gap.is_number and gap <= sp.Rational(1, 2) / sp.Integer(10) ** min(places))


class _SideError(Exception):
    def __init__(self, exc: ParseError, expr: Any) -> None:
        super().__init__(str(exc))
        self.exc = exc
        self.expr = expr
