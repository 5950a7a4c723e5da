"""What a printed number stands for: the checker's one rounding rule (README, "Rounding").

A number written as a whole side stands for every value within half a unit of ITS
last digit, scaled by its power of ten: ``0.7725`` is 0.7725 +- 0.00005,
``1.27 \\times 10^{30}`` is 1.27e30 +- 5e27, ``9 \\times 10^{-3}`` is 0.009 +- 0.0005,
``4\\%`` is 0.04 +- 0.005.  On ``=`` only a number written with a decimal point is a
rounded value (``1.96 = 2`` is wrong: the 2 is exact); on ``\\approx`` an integer is one
too (``\\pi \\approx 3``).  A number inside an expression is exact input, never a rounded
value (the 0.5 in ``0.5 + \\frac13 = \\frac45``).  When both sides are printed numbers the
coarser one is the rounded value (``3.49 \\approx 3.5``).  A matrix written entry by entry
is rounded entry by entry, each entry by its own last digit.

The sides are read from the walker's normalised text (``tokens.normalise``: thousands
separators joined, ``\\%`` made ``\\frac{..}{100}``), never evaluated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import sympy as sp
from pylatexenc.latexwalker import LatexCharsNode

from .latex.scan import ParseError
from .latex.tokens import nodes, normalise


#: The longest side read as one printed number (a 1000-digit decimal is compared exactly).
MAX_CHARS = 1200


@dataclass(frozen=True)
class Printed:
    """A written number: its exact value, half a unit of its last digit, and whether it has a decimal point."""

    value: sp.Rational
    half: sp.Rational
    decimal: bool


_POWER = r"10\^(?:\{(?P<exp>[+-]?\d{1,3})\}|(?P<digit>\d))"
#: a plain number or a number times a power of ten (``1.27 \times 10^{30}``)
_NUMBER = re.compile(rf"(?P<sign>[+-]?)(?P<int>\d+)(?:\.(?P<frac>\d+))?(?:(?:\\times|\\cdot){_POWER})?")
#: a power of ten alone (``10^{-3}``): the digit 1 times it
_TEN = re.compile(rf"(?P<sign>[+-]?){_POWER}")
_DECIMAL = re.compile(r"(?<![\w.])\d+\.\d+(?![\d.])")
_PERCENT = re.compile(r"\\frac\{(?P<num>[^{}]+)\}\{100\}")
_MATRIX = re.compile(r"\\begin\{(?P<env>[pbBvV]?matrix)\}(?P<body>.*)\\end\{(?P=env)\}", re.S)


def _plain(text: str) -> str:
    try:
        out = normalise(text)
    except ParseError:
        return ""
    out = re.sub(r"\s+", "", out).rstrip(",;.")
    while out.startswith("(") and out.endswith(")") and out.count("(") == 1:
        out = out[1:-1]
    return out


def _number(plain: str) -> Printed | None:
    p = _PERCENT.fullmatch(plain)
    if p is not None:
        inner = _number(p.group("num"))
        return None if inner is None else Printed(inner.value / 100, inner.half / 100, inner.decimal)
    m = _NUMBER.fullmatch(plain) or _TEN.fullmatch(plain)
    if m is None:
        return None
    frac = m.groupdict().get("frac") or ""
    scale = sp.Integer(10) ** int(m.group("exp") or m.group("digit") or 0)
    digits = sp.Integer(int((m.groupdict().get("int") or "1") + frac))
    unit = scale / sp.Integer(10) ** len(frac)
    sign = -1 if m.group("sign") == "-" else 1
    return Printed(sign * digits * unit, unit / 2, bool(frac))


def printed(text: str) -> Printed | None:
    """The number a side is, as written (``None``: the side is not one written number)."""
    plain = _plain(text)
    return _number(plain) if len(plain) <= MAX_CHARS else None


def printed_entries(text: str) -> list[Printed | None] | None:
    """The entries of a side written as one matrix literal, row by row (``None``: not one)."""
    plain = _plain(text)
    m = _MATRIX.fullmatch(plain)
    if m is None or "\\begin" in m.group("body") or len(plain) > 4000:
        return None
    rows = [r for r in m.group("body").split("\\\\") if r]
    return [_number(cell) for row in rows for cell in row.split("&")]


def rounded_half(lhs: Printed | None, rhs: Printed | None, eq: bool) -> sp.Rational | None:
    """Half a unit of the rounded side's last digit (``None``: neither side is a rounded value).

    On ``=`` only numbers with a decimal point count; when both sides count, the coarser."""
    halves = [p.half for p in (lhs, rhs) if p is not None and (p.decimal or not eq)]
    return max(halves) if halves else None


def finest_half(text: str) -> sp.Rational | None:
    """Half a unit of the finest decimal written in ``text`` (an ``\\approx`` side that is
    not one number, ``1.372 \\, m_3``): the smallest tolerance its printed digits allow."""
    places = [len(m.group(1)) for m in re.finditer(r"(?<![\w.])\d*\.(\d+)", _plain(text))]
    return sp.Rational(1, 2) / sp.Integer(10) ** max(places) if places else None


def perturbed(text: str, limit: int = 6) -> list[tuple[str, str]] | None:
    """For each decimal written inside ``text`` (the walker's character nodes), the side
    with that decimal moved down and up by half a unit of its last digit: how far rounding
    it can move the side.  ``None``: none, more than ``limit``, or unreadable."""
    try:
        found = nodes(text)
    except ParseError:
        return None
    spots: list[tuple[int, int, str]] = []
    stack = list(found)
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if isinstance(node, LatexCharsNode):
            spots += [(node.pos + m.start(), node.pos + m.end(), m.group(0)) for m in _DECIMAL.finditer(node.chars)]
        for attr in ("nodelist",):
            stack += list(getattr(node, attr, None) or [])
        args = getattr(node, "nodeargd", None)
        stack += list(getattr(args, "argnlist", None) or [])
    if not spots or len(spots) > limit:
        return None
    out = []
    for a, b, digits in sorted(spots):
        d, half = Decimal(digits), Decimal(5).scaleb(-len(digits.split(".")[1]) - 1)
        out.append(tuple(f"{text[:a]}({d + sgn * half}){text[b:]}" for sgn in (-1, 1)))
    return out  # type: ignore[return-value]


def far_apart(a: object, b: object) -> bool:
    r"""Two constants more than 10% apart (of the larger): not approximately equal at any
    precision a writer could mean (``\frac13 \approx \frac12``, ``\pi \approx \frac72``)."""
    if not all(isinstance(e, sp.Expr) and e.is_number for e in (a, b)):
        return False
    try:
        x, y = (sp.N(e, 30) for e in (a, b))
        gap, size = abs(x - y), max(abs(x), abs(y))
        return bool(x.is_real and y.is_real and gap > size / 10)
    except (TypeError, ValueError, ArithmeticError):
        return False


__all__ = ["Printed", "far_apart", "finest_half", "perturbed", "printed", "printed_entries", "rounded_half"]
