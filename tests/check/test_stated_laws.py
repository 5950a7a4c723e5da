"""A law stated in the working (``X \\sim \\mathrm{Bernoulli}(2)``) whose numeric parameter is out of
its domain is no distribution: the line is invalid, with the reason, and nothing follows from
it (its moments are not facts).  A ``% derive: assume`` line with the same law is refused
(tests/check/test_randoms.py); the working must not be laxer than the directive."""
from __future__ import annotations

import pytest

from derive.check import check_text
from derive.check.randoms import law_problems


def _verdicts(*lines: str):
    rep = check_text("\n".join(f"\\[ {line} \\]" for line in lines))
    return [(s.verdict, s.method, s.message) for s in rep.steps]


@pytest.mark.parametrize("law, problem", [
    (r"\mathrm{Bernoulli}(2)", r"in '\mathrm{Bernoulli}(2)' parameter 1 (2) must be a number >= 0 and <= 1"),
    (r"\mathrm{Bern}(-0.5)", r"in '\mathrm{Bern}(-0.5)' parameter 1 (-0.5) must be a number >= 0 and <= 1"),
    (r"\mathcal{N}(0, -1)", r"in '\mathcal{N}(0, -1)' parameter 2 (-1) must be a number > 0"),
    (r"\mathrm{Bin}(10, 1.5)", r"in '\mathrm{Bin}(10, 1.5)' parameter 2 (1.5) must be a number >= 0 and <= 1"),
    (r"\mathrm{Uniform}(3, 1)", r"in '\mathrm{Uniform}(3, 1)' the first parameter must be below the second"),
    (r"\mathrm{Exp}(0)", r"in '\mathrm{Exp}(0)' parameter 1 (0) must be a number > 0"),
])
def test_an_impossible_law_in_the_working_is_invalid(law, problem):
    assert law_problems(law) == [problem]
    got = _verdicts(rf"X \sim {law}", r"\mathbb{E}[X] = 7")
    assert got[0] == ("invalid", "law", f"no such distribution: {problem}")
    # its moments are not facts: E[X] = 7 is not judged against a mean the law would give
    assert got[1][0] != "valid" and got[1][0] != "invalid"


@pytest.mark.parametrize("law, mean", [
    (r"\mathrm{Bernoulli}(0.3)", "0.3"),
    (r"\mathrm{Bernoulli}(1)", "1"),          # the closed end of [0, 1]
    (r"\mathrm{Bernoulli}(p)", "p"),          # a symbol: its domain is a hypothesis, not a problem
    (r"\mathcal{N}(0, 1)", "0"),
    (r"\mathrm{Uniform}(1, 3)", "2"),
])
def test_a_possible_law_in_the_working_gives_its_moments(law, mean):
    assert law_problems(law) == []
    got = _verdicts(rf"X \sim {law}", rf"\mathbb{{E}}[X] = {mean}", rf"\mathbb{{E}}[X] = {mean} + 1")
    assert got[0][0] == "given"
    assert got[1][0] == "valid"
    assert got[2][0] == "invalid"


def test_the_first_wrong_line_is_the_law_not_the_moment_after_it():
    got = _verdicts(r"X \sim \mathrm{Bernoulli}(2)", r"\mathrm{Var}(X) = 2(1 - 2)", r"2(1 - 2) = -2")
    assert [g[0] for g in got][:1] == ["invalid"]
    assert got[-1][0] == "valid"           # plain arithmetic after it is still judged
