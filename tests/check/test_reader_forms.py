"""Forms the reader used to leave unparsed: ratios, ``^e``/``0^+`` scripts, ``\\land``,
and matrix steps with norms, ranks and givens, each with its exact verdict."""
from __future__ import annotations

import ast

import numpy as np
import pytest
import sympy as sp

from derive.check import check_text
from derive.check.parse import Parser

x = sp.Symbol("x", real=True)


@pytest.mark.parametrize("src, want", [
    ("12:6", sp.Integer(2)),
    ("2:1", sp.Integer(2)),
    ("1.5 : 3", sp.Rational(1, 2)),
    ("12:00", sp.zoo),                                      # no value: 12/0
    (r"\int_1^e \frac{1}{x} \, dx", sp.Integral(1 / x, (x, 1, sp.E))),
    (r"\lim_{x \to 0^+} x \ln x", sp.Limit(x * sp.log(x), x, 0, dir="+")),
    (r"\lim_{x \to 0^-} x", sp.Limit(x, x, 0, dir="-")),
    ("x^e", x ** sp.E),
])
def test_side(src: str, want: object) -> None:
    assert Parser().parse(src) == want


def _verdict(step: str, assume: tuple[str, ...] = (), given: tuple[str, ...] = ()) -> object:
    lines = [f"% derive: assume {a}" for a in assume] + [f"% derive: given {g}" for g in given]
    rep = check_text("\n".join(lines + [f"\\[ {step} \\]"]) + "\n")
    (s,) = [s for s in rep.steps if s.line == len(lines) + 1]
    return s


@pytest.mark.parametrize("step, verdict", [
    ("12:00 = 1:00", "invalid"),
    ("12:6 = 2:1", "valid"),
    (r"\int_1^e \frac{1}{x} \, dx = 1", "valid"),
    (r"\int_1^e \frac{1}{x} \, dx = e - 1", "invalid"),
    (r"x^2 < 4 \Rightarrow x < 2 \land x > 0", "invalid"),
    (r"x > 0 \land y > 0 \Rightarrow x y > 0", "valid"),
    (r"x > 0 \wedge y > 0 \Rightarrow x + y > 0", "valid"),
    (r"x > 0 \land y > 0 \Rightarrow x - y > 0", "invalid"),
])
def test_scalar_steps(step: str, verdict: str) -> None:
    assert _verdict(step).verdict == verdict


SQ = (r"A, B \in \mathbb{R}^{n \times n}",)
RECT = (r"A \in \mathbb{R}^{m \times n}", r"x \in \mathbb{R}^n")


@pytest.mark.parametrize("step, assume, given, verdict", [
    (r"\|A\|_2 \le \|A\|_F", RECT, (), "valid"),
    (r"\|A\|_2 \ge \|A\|_F", RECT, (), "invalid"),
    (r"\|A x\| \le \|A\|_2 \|x\|", RECT, (), "valid"),
    (r"\|A x\| \le \|x\|", RECT, (), "invalid"),
    (r"\|A x\|_\infty \le \|A\|_\infty \|x\|_\infty", RECT, (), "valid"),
    (r"\|A x\|_1 \le \|A\|_1 \|x\|_1", RECT, (), "valid"),
    (r"\|A\|_1 = \|A^T\|_\infty", RECT, (), "valid"),
    (r"\|A\|_1 = \|A\|_\infty", RECT, (), "invalid"),
    (r"\operatorname{rank}(A B) \le \operatorname{rank}(A)", SQ, (), "valid"),
    (r"\operatorname{rank}(A + B) = \operatorname{rank}(A) + \operatorname{rank}(B)", SQ, (), "invalid"),
    (r"\operatorname{tr}(A^T A) \ge 0", RECT, (), "valid"),
    (r"(A - I)(A + I) = A^2 - I", SQ, (), "valid"),
    (r"(I + A)^{-1} (I + A) = I", SQ, (), "valid"),
    (r"(AB)^T = A^T B^T", (r"A \in \mathbb{R}^{m \times n}", r"B \in \mathbb{R}^{n \times p}"), (), "invalid"),
    (r"Q^{-1} = Q^T", (r"Q \in \mathbb{R}^{n \times n}",), ("Q^T Q = I",), "valid"),
    (r"Q^{-1} = Q", (r"Q \in \mathbb{R}^{n \times n}",), ("Q^T Q = I",), "invalid"),
    (r"\det(S - S^T) = 0", (r"S \in \mathbb{R}^{3 \times 3}",), (), "valid"),
    (r"S = S^T", (r"S \in \mathbb{R}^{n \times n}",), (), "invalid"),
    (r"(S + K)^T = S - K", (r"S, K \in \mathbb{R}^{n \times n}",), ("S^T = S", "K^T = -K"), "valid"),
])
def test_matrix_steps(step: str, assume: tuple[str, ...], given: tuple[str, ...], verdict: str) -> None:
    assert _verdict(step, assume, given).verdict == verdict


def test_a_refuted_norm_inequality_shows_matrices_that_refute_it() -> None:
    s = _verdict(r"\|A x\| \le \|x\|", RECT)
    a = np.array(ast.literal_eval(s.counterexample["A"]), dtype=float)
    v = np.array(ast.literal_eval(s.counterexample["x"]), dtype=float)
    assert np.linalg.norm(a @ v) > np.linalg.norm(v) * (1 + 1e-9)


def test_a_step_not_defined_at_the_declared_shapes_says_so() -> None:
    s = _verdict(r"(AB)^T = A^T B^T", (r"A \in \mathbb{R}^{m \times n}", r"B \in \mathbb{R}^{n \times p}"))
    assert s.verdict == "invalid" and s.message.startswith("not defined for m = ")
    assert "a product of a" in s.message


@pytest.mark.parametrize("assume, step, verdict, cex", [
    (r"x > 0", r"x^2 + 1 \ne 0", "valid", None),
    (r"x > 0", r"x^2 \ne 4", "invalid", {"x": "2"}),
    (r"x > 0", r"x^2 \ne -4", "valid", None),
    (r"x > 0", r"\frac{1}{x} \ne 0", "valid", None),
    (r"n \in \mathbb{N}", r"2n \ne 7", "valid", None),
    (r"n \in \mathbb{N}", r"2n \ne 8", "invalid", {"n": "4"}),
    (r"x > 0", r"x \ne 3", "given", None),           # a bare name against a number: a condition
    (r"x > 0", r"x^2 \neq 9", "invalid", {"x": "3"}),
])
def test_unequal_in_a_declared_unknown(assume: str, step: str, verdict: str, cex: dict | None) -> None:
    s = _verdict(step, (assume,))
    assert (s.verdict, s.counterexample) == (verdict, cex)


def test_unequal_in_an_undeclared_name_stays_a_condition() -> None:
    assert _verdict(r"x^2 \ne 4").verdict == "given"


@pytest.mark.parametrize("src, verdict, cex", [
    ("We have $x^2 = 4$ $\\Rightarrow x = 2$.\n", "invalid", {"x": "-2"}),
    ("So $x + 1 = 3$, $\\Rightarrow x = 2$.\n", "valid", None),
    ("$$x + 1 = 3$$\n$$\\Rightarrow x = 2$$\n", "valid", None),
    ("$a = 1$ and then\n\n\n$\\Rightarrow b = 2$\n", "unparsed", None),     # too far from its premise
])
def test_an_implication_opening_a_math_region_takes_the_relation_before_it(src: str, verdict: str,
                                                                          cex: dict | None) -> None:
    last = check_text(src).steps[-1]
    assert (last.relation, last.verdict, last.counterexample) == ("=>", verdict, cex)
