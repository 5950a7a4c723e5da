"""derive.verify.distributions: the values a random variable's law is drawn from."""
from __future__ import annotations

import pytest
import sympy as sp

from derive.domains import Domain
from derive.verify.distributions import _pool


# An integer domain bounded below by a large number has too few of the usual values: its law
# is drawn from its six least integers (mutation testing: one below an open bound went
# unnoticed, a value outside the domain).  Reference: the least integers counted by hand.
@pytest.mark.parametrize("dom, want", [
    (Domain("N", lo=10, integer=True), [11, 12, 13, 14, 15, 16]),
    (Domain("N", lo=10, closed_lo=True, integer=True), [10, 11, 12, 13, 14, 15]),
    (Domain("N", lo=-20, hi=-10, integer=True), [-19, -18, -17, -16, -15, -14]),
])
def test_a_law_on_few_usual_values_uses_the_least_integers(dom: Domain, want: list) -> None:
    got = _pool(dom)
    assert got == [sp.Integer(v) for v in want]


@pytest.mark.parametrize("dom", [Domain("X"), Domain("X", lo=0), Domain("X", lo=0, hi=1),
                                 Domain("N", lo=100, hi=200, integer=True)])
def test_every_value_of_the_pool_is_in_the_domain(dom: Domain) -> None:
    got = _pool(dom)
    assert len(got) >= 3 and all(dom.contains(v) is True for v in got)


def _step(src: str):
    from derive.check import check_text
    return check_text(src + "\n", timeout=10).steps[-1]


# Y on the outcomes of X: X uniform on {1, 2}, Y = 3 - X.  By hand: E[(X - Y)^2] = (1 + 1)/2 = 1,
# E[XY] = (2 + 2)/2 = 2, E[X^2] = (1 + 4)/2 = 5/2.
@pytest.mark.parametrize("step, message", [
    (r"\[ \mathbb{E}[(X - Y)^2] + 1 = 1 \]", "sides differ: 2.0000000 vs 1.0000000"),
    (r"\[ \mathbb{E}[X Y] = \mathbb{E}[X^2] \]", "sides differ: 2.0000000 vs 2.5000000"),
])
def test_a_dependent_counterexample_says_whose_outcomes_it_follows(step: str, message: str) -> None:
    s = _step(step)
    assert (s.verdict, s.method, s.message) == ("invalid", "distribution", message)
    assert s.counterexample == {"X": "1 or 2 (equally likely)", "Y": "2 or 1 (equally likely) on the outcomes of X"}


@pytest.mark.parametrize("step", [r"\[ \mathbb{E}[(X Z)^2] \ge \mathbb{E}[X Z]^2 \]",
                                  r"\[ \mathbb{E}[X^2 Y^2 Z^2] \ge \mathbb{E}[X Y Z]^2 \]"])
def test_laws_that_do_not_cover_the_declared_dependence_leave_the_step_unknown(step: str) -> None:
    s = _step("% derive: assume X, Y independent\n" + step)
    assert (s.verdict, s.method, s.message) == (
        "unknown", "distribution", "holds for the laws tried, but they do not cover every dependence the "
                                   "declarations allow")


def test_a_law_that_is_not_known_leaves_the_expectations_unevaluated() -> None:
    from derive.check import check_text
    steps = check_text("% derive: assume X \\sim \\mathrm{Foo}(2)\n\\[ \\mathbb{E}[X] = 1 \\]\n", timeout=10).steps
    assert [(s.verdict, s.method, s.message) for s in steps] == [
        ("unparsed", "", "assumption: the law '\\mathrm{Foo}(2)' is not known"),
        ("unknown", "distribution", "the expectations could not be evaluated")]
