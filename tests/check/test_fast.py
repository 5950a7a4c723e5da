"""The fast reader of plain algebra gives what latex2sympy gives, on every side of the corpora."""
from __future__ import annotations

import glob
import tomllib
from pathlib import Path

import pytest
import sympy as sp

import derive.check.parse as parse_mod
from derive.check.document import kind_of, read_document
from derive.check.extract import _relations, extract
from derive.check.latex.fast import fast_read
from derive.check.parse import Context, Parser, ParseError

ROOT = Path(__file__).resolve().parents[2]
R = dict(real=True)
x, y, n, k = (sp.Symbol(c, **R) for c in "xynk")

#: forms the fast reader takes, with the exact object it reads (the full reader's, or its value)
READ = [
    (r"\sqrt{8}", sp.Pow(8, sp.S.Half, evaluate=False)),              # kept as written, as latex2sympy does
    (r"2\sqrt{2}", 2 * sp.sqrt(2)),
    (r"e^{2\ln 3}", sp.Integer(9)),
    (r"e^{x}", sp.exp(x)),
    (r"\frac{e^{2x}-1}{e^{2x}+1}", (sp.exp(2 * x) - 1) / (sp.exp(2 * x) + 1)),
    (r"2e", 2 * sp.E),
    (r"\ln 3", sp.log(3)),
    (r"\ln 1", sp.Integer(0)),
    (r"\log(x^2)", sp.log(x ** 2)),
    (r"\frac{x d_{in}}{d_{out}}", sp.Symbol("d_in", **R) * x / sp.Symbol("d_out", **R)),
    (r"x_1 + x_{12}", sp.Symbol("x_1", **R) + sp.Symbol("x_12", **R)),
    (r"e_1 + i_k", sp.Symbol("e_1", **R) + sp.Symbol("i_k", **R)),
    (r"\alpha_1 + \beta^2", sp.Symbol("alpha_1", **R) + sp.Symbol("beta", **R) ** 2),
    (r"\lambda x", sp.Symbol("lambda", **R) * x),
    (r"\pi r^2", sp.pi * sp.Symbol("r", **R) ** 2),
    (r"|{-3}|", sp.Abs(-3, evaluate=False)),
    (r"|x - 1|", sp.Abs(x - 1)),
    (r"\max(2, 5)", sp.Max(2, 5, evaluate=False)),
    (r"\min(x, 1)", sp.Min(x, 1)),
    (r"\lfloor 2.5 \rfloor", sp.Integer(2)),
    (r"\lceil x \rceil + 1", sp.ceiling(x) + 1),
    (r"\binom{5}{2}", sp.Integer(10)),
    (r"\binom{n}{k}", sp.binomial(n, k)),
    # a quotient by one number: what latex2sympy reads, without its ANTLR parse (#8: 100-200 ms the first time)
    (r"\frac{n(n+1)}{2}", sp.Rational(1, 2) * n * (n + 1)),
    (r"\frac{x^2 - 1}{12}", (x ** 2 - 1) / 12),
]

#: forms it must leave to the full reader (their reading is the full reader's call)
LEFT = ["x^23", "f(x)", "2 3", "2^3^2", r"\frac{d}{dx} x", "D(x)", r"\sin x y", r"\cos 2x",
        "a^{(2)}", r"W^{(1)} x", r"\gamma", "RF_L", r"\sqrt{0.5}", r"\sqrt{1 + 1}", "Var(x)", "0.1 x + 0.2 x",
        r"\frac{m_3}{0.729}", "||x||", "|a|b|c|", r"\sin 0", r"\exp(0)", "e(x + 1)", "f_t(x)", "x _1",
        r"\ln_2 x", r"\max_i x", r"\max(x)", "d x", "i + 1", "E + 1", "I x", r"\frac{1 + 1}{2}",
        r"\frac{x}{1 + 1}", r"\frac{x}{0}"]


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
             r"\exp(2x)", "n(n+1)", "x(y+1) - 2", r"\frac{n(n+1)}{2}", r"\sin(x)^2", r"\log(x^2)", r"\cos 2x",
             *(a for a, _ in READ)]
    # and every side of the checker's corpora (documents in the styles of real working)
    for f in sorted(glob.glob(str(ROOT / "tests/check/corpus/*.tex")) + glob.glob(str(ROOT / "tests/check/real/*.md"))
                    + glob.glob(str(ROOT / "tests/check/real/*.tex"))):
        ex = extract(read_document(Path(f).read_text(), kind_of(f)).text)
        out += [t for r in ex.steps for t in (r.lhs.text, r.rhs.text)]
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
    assert len(taken) >= 900, len(taken)


@pytest.mark.parametrize("side, expected", READ)
def test_the_fast_reader_reads(side: str, expected: object) -> None:
    got = fast_read(parse_mod.normalise(side), Context().symbol)
    assert got is not None and sp.srepr(got) == sp.srepr(expected), (side, got)
    assert Parser(Context()).parse(side) == got


@pytest.mark.parametrize("side", LEFT)
def test_the_fast_reader_leaves_what_it_must_not_guess(side: str) -> None:
    assert fast_read(parse_mod.normalise(side), Context().symbol) is None


def test_an_indexed_family_is_left_to_the_full_reader() -> None:
    assert fast_read("g_{i} + 1", Context().symbol, indexed={"g"}) is None
    assert fast_read("g_{i} + 1", Context().symbol) == sp.Symbol("g_i", real=True) + 1


@pytest.mark.parametrize("side", SIDES)
def test_fast_reader_agrees_with_latex2sympy(side: str) -> None:
    fast = fast_read(parse_mod.normalise(side), Context().symbol)
    if fast is None:
        return
    try:
        full = _full(side)
    except ParseError:
        pytest.fail(f"the full reader rejects what the fast reader reads: {side!r} -> {fast}")
    # the same object, or the same value (the full reader keeps numeric working such as 0 - (6 + 2 \cdot 7)
    # unevaluated, where the fast reader computes it)
    assert Parser(Context()).parse(side) == full or sp.expand(fast - full.doit()) == 0 \
        or sp.simplify(fast - full) == 0, (side, fast, full)
