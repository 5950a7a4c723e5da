"""Bounds in assumption directives: one name bounded by numbers (``0 < x < 1``, ``x > 0``),
a set (``n \\in \\mathbb{N}``, ``x \\in [0, 1)``, ``A \\in \\mathbb{R}^{n \\times n}``), numbers as
written (``\\frac{1}{2}``, ``10^{-3}``), and ``Assumed``: what assumption lines declare.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import sympy as sp

from ..domains import INTEGER, NONNEGATIVE, NONNEGATIVE_INTEGER, POSITIVE, POSITIVE_INTEGER, REAL, Domain
from .extract import _relations
from .latex.matrices import matrix_shape
from .parse import _top_split, symbol_key


class DirectiveError(Exception):
    """An assumption or given that cannot be read."""


#: a bare name (``p``, ``\\lambda``, ``\\sigma_1``)
_NAME = r"(?:\\[A-Za-z]+|[A-Za-z])(?:\s*_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?"


def split_commas(text: str) -> list[str]:
    """Split at top-level commas (not inside braces or brackets)."""
    return [p for p in _top_split(text, seps=",", norm_bars=False) if p]


#: ``x \ne 0``, ``x \neq 0``, ``x != 0``: the only inequation an assumption may state.
_NONZERO = re.compile(r"\s*(.+?)\s*(?:\\neq?(?![A-Za-z])|!=|\\not\s*=)\s*0\s*")
NONZERO = Domain("nonzero real", nonzero=True)
#: ``x \ne 1``, ``x \ne -\frac{1}{2}``: a number other than 0 excluded (``Domain.excluded``)
_EXCLUDED = re.compile(r"\s*(.+?)\s*(?:\\neq?(?![A-Za-z])|!=|\\not\s*=)\s*(-?\s*(?:\d+(?:\.\d+)?|\\frac\{\d+\}\{\d+\}))\s*")


def excluded_point(text: str) -> sp.Rational:
    """The exact number of an excluded point (``-\\frac{1}{2}``, ``1.5``)."""
    t = re.sub(r"\s+", "", text)
    m = re.fullmatch(r"-?\\frac\{(\d+)\}\{(\d+)\}", t)
    if m and int(m.group(2)) == 0:
        raise DirectiveError(f"expected a number, got '{text.strip()}'")
    value = sp.Rational(int(m.group(1)), int(m.group(2))) if m else sp.Rational(t.lstrip("-"))
    return -value if t.startswith("-") else value

_SETS = {
    r"\mathbb{N}": POSITIVE_INTEGER, r"\mathbb{N}_0": NONNEGATIVE_INTEGER, r"\mathbb{N}_{0}": NONNEGATIVE_INTEGER,
    r"\mathbb{Z}": INTEGER,      # every integer: a lower bound here would certify |n + 4| = n + 4
    r"\mathbb{Z}_{>0}": POSITIVE_INTEGER, r"\mathbb{Z}^+": POSITIVE_INTEGER, r"\mathbb{Z}_{\ge0}": NONNEGATIVE_INTEGER,
    r"\mathbb{R}": REAL, r"\mathbb{R}_{>0}": POSITIVE, r"\mathbb{R}^+": POSITIVE, r"\mathbb{R}_{+}": POSITIVE,
    r"\mathbb{R}_{\ge0}": NONNEGATIVE,
}


def _number(text: str) -> float:
    t = text.strip().replace(" ", "")
    m = re.fullmatch(r"\\frac\{(-?[\d.]+)\}\{([\d.]+)\}", t)
    if m:
        return float(m.group(1)) / float(m.group(2))
    m = re.fullmatch(r"(-?[\d.]+(?:\\(?:times|cdot)))?10\^\{?(-?\d{1,3})\}?", t)
    if m:           # 10^6, 2 \times 10^{-3}
        return float(m.group(1)[:m.group(1).index("\\")] if m.group(1) else 1) * 10.0 ** int(m.group(2))
    try:
        return float(t)
    except ValueError:
        raise DirectiveError(f"expected a number, got '{text.strip()}'") from None


def _interval(sym: str, text: str) -> Domain:
    m = re.fullmatch(r"\s*([(\[])\s*(.+?)\s*,\s*(.+?)\s*([)\]])\s*", text)
    if not m:
        raise DirectiveError(f"cannot read the set '{text.strip()}'")
    lo = None if "infty" in m.group(2) else _number(m.group(2))
    hi = None if "infty" in m.group(3) else _number(m.group(3))
    return Domain(f"{m.group(1)}{m.group(2)}, {m.group(3)}{m.group(4)}", lo=lo, hi=hi,
                  closed_lo=m.group(1) == "[" and lo is not None, closed_hi=m.group(4) == "]" and hi is not None)


def parse_assumption(text: str) -> dict[str, Domain]:
    """One assumption (``0 < x < 1``, ``x > 0``, ``n \\in \\mathbb{N}``) -> {symbol key: Domain}."""
    m = re.fullmatch(r"\s*(.+?)\s*\\in\s*(.+?)\s*", text)
    if m:
        key = symbol_key(m.group(1))
        target = re.sub(r"\s+", "", m.group(2))
        if target in _SETS:
            return {key: _SETS[target]}
        shape = matrix_shape(m.group(2))
        if shape is not None:
            # a declared matrix; its symbolic sizes are positive integers
            dims = {symbol_key(d): POSITIVE_INTEGER for d in (shape.rows, shape.cols) if not d.isdigit()}
            return {key: shape, **{d: dom for d, dom in dims.items() if d != key}}
        return {key: _interval(key, m.group(2))}
    rels = _relations(text, 0, len(text))
    if not rels:
        raise DirectiveError(f"'{text.strip()}' is not a relation")
    pieces, prev = [], 0
    for a, b, _ in rels:
        pieces.append(text[prev:a].strip())
        prev = b
    pieces.append(text[prev:].strip())
    keys = [k for _, _, k in rels]
    sym_index = [i for i, p in enumerate(pieces) if not _is_number(p)]
    if len(sym_index) != 1:
        raise DirectiveError(f"'{text.strip()}' must bound exactly one symbol by numbers")
    i = sym_index[0]
    key = symbol_key(pieces[i])
    lo = hi = None
    closed_lo = closed_hi = False
    # bound on the left: "a < x" or "a <= x"
    if i > 0:
        k = keys[i - 1]
        v = _number(pieces[i - 1])
        if k in ("lt", "le"):
            lo, closed_lo = v, k == "le"
        elif k in ("gt", "ge"):
            hi, closed_hi = v, k == "ge"
    if i < len(pieces) - 1:
        k = keys[i]
        v = _number(pieces[i + 1])
        if k in ("gt", "ge"):
            lo, closed_lo = v, k == "ge"
        elif k in ("lt", "le"):
            hi, closed_hi = v, k == "le"
    if lo is None and hi is None:
        raise DirectiveError(f"'{text.strip()}' gives no bound")
    if lo == 0 and hi is None:
        return {key: NONNEGATIVE if closed_lo else POSITIVE}
    name = (f"{'[' if closed_lo else '('}{'-inf' if lo is None else f'{lo:g}'}, "
            f"{'inf' if hi is None else f'{hi:g}'}{']' if closed_hi else ')'}")
    return {key: Domain(name, lo=lo, hi=hi, closed_lo=closed_lo, closed_hi=closed_hi)}


def _is_number(text: str) -> bool:
    try:
        _number(text)
        return True
    except DirectiveError:
        return False


@dataclass
class Assumed:
    """What assumption lines declare: ``domains`` by symbol key; ``relations`` between names, as
    LaTeX (``a < b``: hypotheses of the scope, which a counterexample must satisfy); the
    implicit domains of laws' parameters (``implied``: applied under what is written); and
    ``problems``: one message per piece that could not be read (the other pieces are kept)."""

    domains: dict[str, Domain] = field(default_factory=dict)
    relations: list[str] = field(default_factory=list)
    implied: list[dict[str, Domain]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: relations written as such (``a < b``), not implied by a law
    written: list[str] = field(default_factory=list)
