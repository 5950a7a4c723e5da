"""The fast reader of plain algebra gives what latex2sympy gives, on every side of the corpora."""
from __future__ import annotations

import glob
import tomllib
from pathlib import Path

import pytest
import sympy as sp

import derive.check.parse as parse_mod
from derive.check.extract import _relations
from derive.check.latex.fast import fast_read
from derive.check.parse import Context, Parser, ParseError

ROOT = Path(__file__).resolve().parents[2]


def _sides() -> list[str]:
    out: list[str] = []
    for f in sorted(glob.glob(str(ROOT / "tests/verify/corpus/*.toml"))):
        for e in tomllib.load(open(f, "rb"))["entry"]:
            text = e["latex"]
            prev = 0
            for a, b, _ in _relations(text, 0, len(text)):
                out.append(text[prev:a])
                prev = b
            out.append(text[prev:])
    extra = ["a^2 + 2ab + b^2", r"\frac{x^2 - 1}{x - 1}", r"2\sqrt{2}", "0.01(5.7)", "2^{10}", "-x^2 + 3",
             "x^2y", "(a+b)(a-b)", r"\frac{1}{2} + \frac{1}{3}", r"3 \cdot 4 / 6", r"a \times b - c", "x^{n+1}",
             r"\sqrt{\frac{a}{b}}", "{(x+1)}^2", "--x", "1/2x", "2^3^2", "x^23", "f(x)", "2 3",
             r"\sin^2 x + \cos^2 x", r"\ln(x^2)", r"2\ln(x)", r"\ln x + 1", r"\tanh(x)", r"\sin x \cos y",
             r"\exp(2x)", "n(n+1)", "x(y+1) - 2", r"\frac{n(n+1)}{2}", r"\sin(x)^2", r"\log(x^2)", r"\cos 2x"]
    return list(dict.fromkeys(s.strip() for s in out + extra if s.strip()))


SIDES = _sides()


def _full(text: str) -> object:
    saved = parse_mod.fast_read
    parse_mod.fast_read = lambda *_: None
    try:
        return Parser(Context()).parse(text)
    finally:
        parse_mod.fast_read = saved


def test_the_fast_reader_takes_a_real_share_of_the_sides() -> None:
    taken = [s for s in SIDES if fast_read(parse_mod.normalise(s), Context().symbol) is not None]
    assert len(taken) >= 150, len(taken)
    # and leaves what it must not guess
    for s in ("x^23", "f(x)", "2 3", "2^3^2", r"e^{x}", r"\frac{d}{dx} x", "x_1 + 1", r"\alpha + 1", "|x|",
              "D(x)", r"\sin x y", r"\ln 3", r"\cos 2x"):
        assert fast_read(parse_mod.normalise(s), Context().symbol) is None, s


@pytest.mark.parametrize("side", SIDES)
def test_fast_reader_agrees_with_latex2sympy(side: str) -> None:
    fast = fast_read(parse_mod.normalise(side), Context().symbol)
    if fast is None:
        return
    try:
        full = _full(side)
    except ParseError:
        pytest.fail(f"the full reader rejects what the fast reader reads: {side!r} -> {fast}")
    assert Parser(Context()).parse(side) == full or sp.expand(fast - full) == 0, (side, fast, full)
