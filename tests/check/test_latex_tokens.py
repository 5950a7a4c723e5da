"""The normaliser (``derive.check.latex.tokens``): mixed numbers and empty groups.

Attack 1, findings 15 and 16: ``{}+ 3x`` (the TeX idiom that spaces a continued sum) did not
parse, and ``2\\frac12`` (typeset 2½) was read as the product 2 · 1/2.  Values are exact
rationals worked by hand."""
from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from derive.check import check_text
from derive.check.parse import Parser

x = sp.Symbol("x", real=True)


@pytest.mark.parametrize("src, want", [
    (r"2\frac{1}{2}", Fraction(5, 2)),
    (r"2 \frac{1}{2}", Fraction(5, 2)),
    (r"2\frac12 + \frac12", Fraction(3)),
    (r"-2\frac{1}{2}", Fraction(-5, 2)),
    (r"12\frac{1}{2}", Fraction(25, 2)),
    (r"3\cdot 2\frac{1}{4}", Fraction(27, 4)),
    (r"3 \times 1\tfrac{1}{2}", Fraction(9, 2)),
    (r"1\dfrac{2}{3}", Fraction(5, 3)),
    # not a mixed number: an improper fraction, a power, a decimal, parentheses, 0, a name
    (r"2\frac{3}{2}", Fraction(3)),
    (r"10^2\frac{1}{2}", Fraction(50)),
    (r"2^{2}\frac{1}{2}", Fraction(2)),
    (r"2.5\frac{1}{2}", Fraction(5, 4)),
    (r"(2)\frac{1}{2}", Fraction(1)),
    (r"0\frac{1}{2}", Fraction(0)),
])
def test_mixed_numbers(src: str, want: Fraction) -> None:
    got = Parser().parse(src)
    assert got.is_Rational and Fraction(int(got.p), int(got.q)) == want


@pytest.mark.parametrize("src, want", [
    (r"2\frac{1}{2}x", sp.Rational(5, 2) * x),
    (r"x^2\frac{1}{2}", x ** 2 / 2),
    (r"2\frac{x}{2}", x),
    (r"x^3 + 3x^2 {}+ 3x + 1", x ** 3 + 3 * x ** 2 + 3 * x + 1),
    (r"{}- x", -x),
    (r"x^3 {} - 1", x ** 3 - 1),
])
def test_forms_with_names(src: str, want: sp.Expr) -> None:
    assert sp.expand(Parser().parse(src) - want) == 0


@pytest.mark.parametrize("step, verdict", [
    (r"2\frac12 + \frac12 = 3", "valid"),
    (r"2\frac12 + \frac12 = 1\frac12", "invalid"),      # 3 vs 3/2
    (r"1\frac{1}{2} \cdot 2 = 3", "valid"),
    (r"2\frac{1}{2} = \frac{5}{2}", "valid"),
    (r"2\frac{1}{2} = 1", "invalid"),
])
def test_mixed_number_steps(step: str, verdict: str) -> None:
    (s,) = check_text(f"\\[ {step} \\]\n", timeout=5).steps
    assert s.verdict == verdict, s


ALIGN = "\\begin{align*}\n(x+1)^3 &= x^3 + 3x^2 \\\\\n  &\\qquad {}%s 3x + %s\n\\end{align*}\n"


@pytest.mark.parametrize("op, last, verdict", [("+", "1", "valid"), ("+", "2", "invalid"), ("-", "1", "invalid")])
def test_a_row_continued_with_an_empty_group_joins_the_chain(op: str, last: str, verdict: str) -> None:
    (s,) = check_text(ALIGN % (op, last), timeout=5).steps
    assert (s.line, s.verdict) == (2, verdict), s
    assert s.rhs.split() == ["x^3", "+", "3x^2", "{}" + op, "3x", "+", last]


@pytest.mark.parametrize("text, normal", [
    # a bare one-character script gets its braces (e as a whole exponent, a lone sign)
    ("2^e", "2^{e}"), ("x^- + 1", "x^{-} + 1"), ("x^+", "x^{+}"), ("e^ex", "e^ex"),
    # a row of numbers separated by spaces (\ , \quad, \;, \,) is a row vector, one entry each
    (r"[1 \ 2 \ 3]", r"\begin{bmatrix}1 & 2 & 3\end{bmatrix}"),
    (r"[1 \quad -2]", r"\begin{bmatrix}1 & -2\end{bmatrix}"),
    (r"[1 \; 2]", r"\begin{bmatrix}1 & 2\end{bmatrix}"),
    (r"[0.5 \, 2]", r"\begin{bmatrix}0.5 & 2\end{bmatrix}"),
])
def test_normalise_scripts_and_rows(text: str, normal: str) -> None:
    from derive.check.latex.tokens import normalise
    assert normalise(text) == normal


def test_a_bare_e_exponent_is_euler_s_number() -> None:
    (s,) = check_text("$$2^e = 2^{e}$$").steps
    assert (s.verdict, s.method) == ("valid", "proved")


# Attack 3, finding 2: a thousands separator before a decimal tail split the number into a
# product (2\,000.5 was 2 * 000.5 = 1, so "= 1" was proved).  Groups of exactly three digits after
# one to three digits are one number, with an optional decimal tail; other split digits are unparsed.
@pytest.mark.parametrize("text, normal", [
    (r"2\,000.5", "2000.5"), (r"3\,000.25 \cdot 4", r"3000.25 \cdot 4"), (r"1\,000\,000.5", "1000000.5"),
    (r"1~000", "1000"), (r"1\ 000.5", "1000.5"), (r"1{,}000.5", "1000.5"), (r"14{,}916", "14916"),
    (r"2\,000", "2000"), (r"x~=~3", "x = 3"), (r"2~x", "2 x"),
])
def test_thousands_separators_with_decimals(text: str, normal: str) -> None:
    from derive.check.latex.tokens import normalise
    assert normalise(text) == normal


@pytest.mark.parametrize("text", [r"12\,34", r"1\,00", r"3.141\,592", r"1\,0000"])
def test_digits_split_otherwise_are_not_read(text: str) -> None:
    from derive.check.latex.scan import ParseError
    from derive.check.latex.tokens import normalise
    with pytest.raises(ParseError, match=r"^digits split by a space: write one number \(1\\,000\) or a product"):
        normalise(text)


@pytest.mark.parametrize("src, verdicts", [
    ("\\[ 2\\,000.5 = 1 \\]", ["invalid"]),
    ("\\[ 3\\,000.25 \\cdot 4 = 3 \\]", ["invalid"]),
    ("\\[ 3\\,000.25 \\cdot 4 = 12\\,001 \\]", ["valid"]),
    ("\\[ 1\\,000\\,000.5 = 500 \\]", ["invalid"]),
    ("\\[ 1~000 = 0 \\]", ["invalid"]),
    ("\\[ 1~000 = 1000 \\]", ["valid"]),
    ("\\[ 2\\,500.75 = 2500.75 \\]", ["valid"]),
    ("The total is $1\\,000.4 + 1 = 1.4$ dollars.\n", ["invalid"]),
    ("The total is $1\\,000.4 + 1 = 1001.4$ dollars.\n", ["valid"]),
    ("Let $x = 1\\,234.5$. Then $2x = 2469$.\n", ["given", "valid"]),
])
def test_thousands_separator_steps(src: str, verdicts: list[str]) -> None:
    got = check_text(src, timeout=10).steps
    assert [s.verdict for s in got] == verdicts, got


@pytest.mark.parametrize("text, want", [
    # a macro without a rule is kept as written; only \% is a percent
    ("2\\alpha + 1", "2\\alpha + 1"),
    ("\\sin x", "\\sin x"),
    ("2\\pi", "2\\pi"),
    ("28\\% + 1", "(\\frac{28}{100}) + 1"),
    ("5\\,\\%", "5 \\cdot \\frac{1}{100}"),
])
def test_the_normaliser_keeps_macros_and_reads_percent(text: str, want: str) -> None:
    from derive.check.latex.tokens import normalise
    assert normalise(text) == want


@pytest.mark.parametrize("src, verdict", [
    # 28% + 1 = 1.28 and 5% of 40 = 2, exactly (fractions: 28/100 + 1 = 32/25, 5/100 * 40 = 2)
    ("$28\\% + 1 = 1.28$", "valid"), ("$28\\% + 1 = 1.29$", "invalid"),
    ("$5\\,\\% \\cdot 40 = 2$", "valid"), ("$2\\alpha + 1 = 1 + 2\\alpha$", "valid"),
])
def test_percent_steps(src: str, verdict: str) -> None:
    assert Fraction(28, 100) + 1 == Fraction(128, 100) and Fraction(5, 100) * 40 == 2
    assert [s.verdict for s in check_text(src).steps] == [verdict]
