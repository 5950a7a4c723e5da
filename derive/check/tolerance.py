"""Tolerances for printed decimals in a step (moved out of ``check/decide.py``).

``Tolerating`` is mixed into ``decide.Deciding``: each written number may be off by half a unit
of its own last digit (the rule is ``check/rounding.py``'s), decimals inside a side stand for
rounded values when the other side is irrational, and matrices are rounded entry by entry.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from ..step import Rel
from .chains import RawStep
from .diagnose import _opaque, _symbols
from .rounding import finest_half, perturbed, printed, printed_entries, rounded_half


class Tolerating:
    """How far a step's printed numbers may be from exact (a mixin of ``Deciding``)."""

    def _rounding(self, raw: RawStep, lhs: Any, rhs: Any, rel: Rel, extra: dict[Any, Any]) -> Any:
        """Absolute tolerance for printed numbers (``None``: compare exactly); the rule is
        ``rounding``'s: each written number within half a unit of its own last digit."""
        eq = rel is Rel.EQ
        if eq and "." not in raw.rhs.text + raw.lhs.text:
            return None
        L, R = self._prep(lhs, extra), self._prep(rhs, extra)
        if isinstance(L, sp.MatrixBase) or isinstance(R, sp.MatrixBase):
            return self._entry_rounding(raw, L, R, eq)
        if eq and (_symbols(L) or _symbols(R) or _opaque(L) or _opaque(R)):
            return None
        half = rounded_half(printed(raw.lhs.text), printed(raw.rhs.text), eq)
        if half is None and eq:
            half = self._propagated(raw, L, R, extra)
        if half is None and not eq:
            # \frac{m_3}{0.729} \approx 1.372 \, m_3: the finest printed digit of the rounded side
            half = finest_half(raw.rhs.text) or finest_half(raw.lhs.text)
        if half is None or (eq and L == R):
            return None
        if eq and L.is_Rational and R.is_Rational and abs(L - R) > half:
            return None
        return half     # exact: the verifier compares constants against it at the written digits' length

    def _propagated(self, raw: RawStep, L: Any, R: Any, extra: dict[Any, Any]) -> sp.Rational | None:
        r"""``\frac{4 - \log 4}{2} = \frac{4 - 1.3863}{2}``: decimals inside a side are rounded values
        only when the other side is irrational (no decimal could be exact); then the side may move by
        what rounding each decimal moves it.  Otherwise (``0.5 + \frac13 = \frac45``) they are exact."""
        for text, mine, other in ((raw.rhs.text, R, L), (raw.lhs.text, L, R)):
            if not (isinstance(other, sp.Expr) and other.is_number and not other.is_Rational
                    and isinstance(mine, sp.Expr) and mine.is_number):
                continue
            moves = perturbed(text)
            if moves is None:
                continue
            try:
                ends = [[self._prep(self.side(t), extra) for t in pair] for pair in moves]
            except Exception:  # noqa: BLE001 - a perturbed side that does not read: no tolerance
                return None
            if not all(isinstance(v, sp.Expr) and v.is_number for pair in ends for v in pair):
                return None
            bound = sp.N(sum((abs(hi - lo) / 2 for lo, hi in ends), sp.Integer(0)), 30)
            return sp.Rational(str(bound)) if bound.is_real and bound.is_finite else None
        return None

    def _entry_rounding(self, raw: RawStep, L: Any, R: Any, eq: bool) -> float | None:
        """Matrices written entry by entry: every entry within half a unit of ITS last digit."""
        if not (isinstance(L, sp.MatrixBase) and isinstance(R, sp.MatrixBase)) or L.shape != R.shape or L == R:
            return None
        le, re_ = printed_entries(raw.lhs.text), printed_entries(raw.rhs.text)
        n = len(L)
        le = le if le is not None and len(le) == n else [None] * n
        re_ = re_ if re_ is not None and len(re_) == n else [None] * n
        halves = [rounded_half(a, b, eq) for a, b in zip(le, re_)]
        if all(a.is_Rational and b.is_Rational for a, b in zip(L, R)):
            wrong = [h for a, b, h in zip(L, R, halves) if abs(a - b) > (h or 0)]
            if all(h is None for h in halves) or (wrong and (eq or None in wrong)):
                return None
            # every entry within its own half unit; or (\approx) the finest one, which a wrong entry exceeds
            return float(min(wrong) if wrong else max(h for h in halves if h is not None)) * (1 + 1e-9)
        if eq:
            return _numeric_entries(L, R, halves)
        # \approx between matrices of other numbers: the finest printed digit of any entry
        present = [h for h in halves if h is not None] or [h for h in (finest_half(raw.rhs.text),
                                                                     finest_half(raw.lhs.text)) if h is not None]
        return float(min(present)) * (1 + 1e-9) if present else None


def element_half(a: Any, b: Any, ta: str, tb: str) -> sp.Rational | None:
    """Half a unit of the printed decimal among two constant elements of a tuple or set written
    out (``1.41`` beside ``\\sqrt 2``), by the rule a whole side follows; ``None``: compare exactly."""
    constant = all(isinstance(e, sp.Expr) and e.is_number and not _opaque(e) for e in (a, b))
    return rounded_half(printed(ta), printed(tb), True) if constant else None


def _numeric_entries(L: Any, R: Any, halves: list[Any]) -> float | None:
    """``(1.41, 0.33) = (\\sqrt 2, \\frac13)``: constant entries, each printed one within half a
    unit of its own last digit (at 30 digits) and every other entry the same on both sides; then
    the largest half unit bounds them all (the verifier's check), else compare exactly (``None``)."""
    pairs = list(zip(L, R))
    if not all(isinstance(v, sp.Expr) and v.is_number for p in pairs for v in p) or all(h is None for h in halves):
        return None
    for (a, b), h in zip(pairs, halves):
        if h is None:
            if a != b:
                return None
            continue
        gap = abs(sp.N(a - b, 30))
        if not (gap.is_Number and gap <= h):      # a gap N() cannot evaluate (Sigmoid(1) - 0.7): exactly
            return None
    return float(max(h for h in halves if h is not None)) * (1 + 1e-9)
