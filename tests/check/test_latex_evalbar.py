"""Evaluation bars (``derive.check.latex.evalbar``): the bar applies to the evaluated derivative.

Attack 3, finding 1: latex2sympy attached ``|_{x=1}`` to the last atom, so
``\\left. \\frac{d}{dx} x^2 \\right|_{x=1}`` substituted before differentiating (d/dx 1 = 0) and
``= 0`` was proved.  Expected values are worked by hand (d/dx x^2 at 1 is 2, d/dx x^3 at 2 is 12,
e^t at 0 is 1, x^3 from 0 to 2 is 8, d/dx (x^2 y) at x=1 is 2y)."""
from __future__ import annotations

from pathlib import Path

import pytest
import sympy as sp

from derive.check import check_text, equivalent
from derive.check.judge import check_source
from derive.check.latex.scan import ParseError
from derive.check.parse import Context, Parser
from derive.errors import InvalidStepError

x, y = sp.symbols("x y", real=True)


@pytest.mark.parametrize("src, want", [
    (r"\left. \frac{d}{dx} x^2 \right|_{x=1}", sp.Integer(2)),
    (r"\left.\frac{d}{dt}e^{t}\right|_{t=0}", sp.Integer(1)),
    (r"\frac{d}{dx} x^3 \bigg|_{x=2}", sp.Integer(12)),
    (r"\frac{d}{dx}(x^2)\Big|_{x=1}", sp.Integer(2)),
    (r"\left.\frac{\partial}{\partial x}(x^2y)\right|_{x=1}", 2 * y),
    (r"x^3 \Big|_0^2", sp.Integer(8)),                    # F|_a^b = F(b) - F(a)
    (r"\left. x^2 \right|_{0}^{3}", sp.Integer(9)),
    (r"x^2|_{x=1}^{x=3}", sp.Integer(8)),
    (r"x^2 y \big|_{x=1}^{2}", 3 * y),
    (r"\left. |x - 3| \right|_{x=1}", sp.Integer(2)),     # bars of an absolute value inside
])
def test_the_bar_evaluates_what_is_before_it(src: str, want: sp.Expr) -> None:
    got = Parser(Context()).parse(src)
    assert sp.simplify(got - want) == 0, got


def test_a_bar_of_an_unknown_derivative_stays_a_substitution() -> None:
    got = Parser(Context()).parse(r"\left.\frac{d}{dx} f(x)\right|_{x=1}")
    assert isinstance(got, sp.Subs) and isinstance(got.expr, sp.Derivative) and got.point == (1,), got


@pytest.mark.parametrize("src, message", [
    (r"x^2 y \Big|_0^1", "evaluation bar: write the variable (x = a)"),
    (r"\left. x^2 \right|_{x=1} + 3", "an evaluation bar is read only at the end of a side"),
    (r"x^2 \Big|^{1}", "evaluation bar without a lower limit"),
    (r"x^2 \Big|_{x=0}^{y=1}", "evaluation bar: two variables"),
    (r"x^2 \Big|_{x=y=1}", "evaluation bar: one variable per limit"),
    (r"\left. x^2 \right|_{x=0}^{x=y=1}", "evaluation bar: one variable per limit"),
])
def test_a_bar_not_read_is_a_parse_error(src: str, message: str) -> None:
    with pytest.raises(ParseError) as err:
        Parser(Context()).parse(src)
    assert str(err.value) == message


@pytest.mark.parametrize("src", [r"|x|^2", r"|x - 1| + |y|", r"P(A|B)"])
def test_absolute_values_and_conditional_bars_are_no_evaluation_bars(src: str) -> None:
    Parser(Context()).parse(src)      # no ParseError


DOCUMENTS = [
    (r"\[ \left. \frac{d}{dx} x^2 \right|_{x=1} = 0 \]", "invalid"),
    (r"\[ \left. \frac{d}{dx} x^2 \right|_{x=1} = 2 \]", "valid"),
    (r"\[ \left. \frac{d}{dt} e^{t} \right|_{t=0} = 0 \]", "invalid"),
    (r"\[ \left. \frac{d}{dt} e^{t} \right|_{t=0} = 1 \]", "valid"),
    (r"\[ \frac{d}{dx} x^3 \bigg|_{x=2} = 0 \]", "invalid"),
    (r"\[ \frac{d}{dx} x^3 \bigg|_{x=2} = 12 \]", "valid"),
    (r"\[ \left.\frac{\partial}{\partial x}(x^2y)\right|_{x=1} = 2y \]", "valid"),
    (r"\[ x^3 \Big|_0^2 = 8 \]", "valid"),
    (r"\[ x^3 \Big|_0^2 = 6 \]", "invalid"),
]


@pytest.mark.parametrize("src, verdict", DOCUMENTS)
def test_bar_steps(src: str, verdict: str) -> None:
    (s,) = check_source(src + "\n", "x.tex", timeout=10).steps
    assert s.verdict == verdict, s


def test_a_partial_at_a_point_is_no_definition() -> None:
    """``2y = 0`` is not an identity: never valid, never a definition of the bar."""
    (s,) = check_text("\\[ \\left.\\frac{\\partial}{\\partial x}(x^2y)\\right|_{x=1} = 0 \\]\n", timeout=10).steps
    assert s.verdict != "valid" and s.role != "definition", s


@pytest.mark.parametrize("a, b, verdict", [
    (r"\left.\frac{d}{dx}x^2\right|_{x=1}", "0", "invalid"),
    (r"\left.\frac{d}{dx}x^2\right|_{x=1}", "2", "valid"),
])
def test_equivalent_evaluates_the_bar_after_differentiating(a: str, b: str, verdict: str) -> None:
    assert equivalent(a, b).verdict == verdict


SHEET = """title = "Bar"

[[problem]]
id = "P1"
title = "t"
statement = "s"
steps = '''
%s
'''
"""


def test_a_sheet_step_with_a_bar_is_evaluated_after_differentiating(tmp_path: Path) -> None:
    from derive import sheet as sh

    bad = tmp_path / "bad.toml"
    bad.write_text(SHEET % "\\left. \\frac{d}{dx} x^2 \\right|_{x=1} &= 0")
    with pytest.raises(InvalidStepError, match=r"is failed: 2 = 0 \(sides differ"):
        sh.build(bad, tmp_path / "out", cache=False)
    good = tmp_path / "good.toml"
    good.write_text(SHEET % "\\left. \\frac{d}{dx} x^2 \\right|_{x=1} &= 2")
    assert sh.build(good, tmp_path / "out2", cache=False).pdf.is_file()
