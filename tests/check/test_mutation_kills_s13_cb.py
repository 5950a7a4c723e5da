"""Paths of the checker that no corpus reached (mutation testing, #14, session 13, helper cb):
each test pins the correct result on the input that tells the original from a surviving mutant."""
from __future__ import annotations

import ast
import re

import pytest
import sympy as sp

from derive.check import check_text
from derive.check.directives import parse_law
from derive.check.judge import check_source


@pytest.mark.parametrize("text", [
    r"X \sim \mathcal{N}(0, 1), Y \sim \mathrm{Exp}(1)",      # two laws: one piece at a time
    r"X \sim \mathrm{Exp}(\lambda), \lambda > 0",             # a law and a condition
    r"X \sim \mathcal{N}(0, 1), Y",
])
def test_a_law_followed_by_another_piece_is_not_one_law(text):
    """Kills derive.check.randoms.x__read_law__mutmut_15 (two comma pieces after \\sim read as one law)."""
    assert parse_law(text) is None


def test_one_law_is_read_with_its_text():
    """The positive neighbour of the cases above (derive.check.randoms.x__read_law__mutmut_15)."""
    got = parse_law(r"X \sim \mathcal{N}(0, 1)")
    assert list(got) == ["X"] and got["X"].law == r"\mathcal{N}(0, 1)"


@pytest.mark.parametrize("source, message", [
    (r"$$\{1, \foo\} = \{1, 2\}$$", r"unknown macro \foo"),
    (r"$$\{1, 2 +\} = \{1, 2\}$$", "I expected something else here"),
    (r"$$(1, \foo 2) = (1, 2)$$", r"unknown macro \foo"),
])
def test_an_unreadable_element_of_a_set_is_unparsed(source, message):
    """Kills derive.check.judge.xǁJudgeǁ_sets__mutmut_64 (the parse error lost: a crash, 'could not be checked')."""
    steps = check_text(source).steps
    assert [(s.line, s.verdict, s.message) for s in steps] == [(1, "unparsed", message)]


@pytest.mark.parametrize("src", [
    "Suppose $x \\ge 1$. Then $\\sqrt{x^2} = x$.\n\nFor any $x$, $\\sqrt{x^2} = x$.\n",
    "Suppose $x > 0$. Then $|x| = x$.\n\nFor any $x$, $|x| = x$.\n",
])
def test_a_quantifier_ends_a_bound_a_supposition_put_on_the_name(src):
    """Kills derive.check.suppose.xǁSupposingǁ_requantify__mutmut_17 (restoring the bound crashed)."""
    steps = check_source(src, "x.md", timeout=5).steps
    assert [(s.line, s.verdict, s.role) for s in steps] == [
        (1, "given", "hypothesis"), (1, "valid", "claim"), (3, "invalid", "claim")]


@pytest.mark.parametrize("source, verdict, message", [
    # a space between the lower and the upper limit of an evaluation bar
    (r"$$\left. x^2 \right|_{0} ^{1} = 1$$", "valid", "identical"),
    (r"$$x^3 \Big|_{0} ^{2} = 8$$", "valid", "identical"),
    # t^2/2 from 0 to 2 is 2 - 0 = 2
    (r"$$\left. \frac{t^2}{2} \right|_{t=0} ^{t=2} = 3$$", "invalid", "sides differ: 2.0000000 vs 3.0000000"),
])
def test_an_evaluation_bar_with_spaced_limits(source, verdict, message):
    """Kills derive.check.latex.evalbar.x__bars__mutmut_62 (the space stopped the scripts: 'read only at the end')."""
    steps = check_text(source).steps
    assert [(s.line, s.verdict, s.message) for s in steps] == [(1, verdict, message)]


MATRICES = "% derive: assume A, B \\in \\mathbb{R}^{2 \\times 2}\n"


@pytest.mark.parametrize("step", [
    # the braces delimit the argument, as parentheses do: the power is the value's
    # (as the scalar reader reads \sin{x}^2 = \sin(x)^2 and the matrix reader \exp{A}^2)
    r"\operatorname{tr}{A}^2 = \operatorname{tr}(A)^2",
    r"\operatorname{rank}{A}^2 = \operatorname{rank}(A)^2",
])
def test_a_braced_argument_of_trace_or_rank_ends_at_its_brace(step):
    """Kills derive.check.latex.matrices.xǁMatrixReaderǁprimary__mutmut_51 (tr{A}^2 read as tr(A^2))."""
    steps = check_text(MATRICES + "$$" + step + "$$\n").steps
    assert [(s.line, s.verdict, s.method) for s in steps] == [(2, "valid", "proved")]


def test_trace_of_a_braced_argument_squared_is_not_trace_of_the_square():
    """Kills derive.check.latex.matrices.xǁMatrixReaderǁprimary__mutmut_51; the counterexample is
    checked independently: (tr A)^2 and tr(A^2) of the matrix it names."""
    steps = check_text(MATRICES + r"$$\operatorname{tr}{A}^2 = \operatorname{tr}(A^2)$$" + "\n").steps
    assert [(s.line, s.verdict, s.method) for s in steps] == [(2, "invalid", "random matrices")]
    m = re.fullmatch(r"for A = (\[.*\]): the left side is (-?\d+), the right side is (-?\d+)", steps[0].message)
    assert m
    a = sp.Matrix(ast.literal_eval(m.group(1)))
    assert (int(m.group(2)), int(m.group(3))) == (a.trace() ** 2, (a * a).trace())
    assert a.trace() ** 2 != (a * a).trace()
