"""Finite laws are compared exactly: a tiny gap that only a point mass or a
two-point law shows (``E[X^2] >= E[X]^2 + 10^{-30}``) is refuted, with the law
as the counterexample; the law is re-checked here by brute force with fractions."""
from __future__ import annotations

import re
from fractions import Fraction

import pytest

from derive.check import check_text


def _law(text: str) -> list[tuple[Fraction, Fraction]]:
    """'2 (a constant)', '1 or 2 (equally likely)', '1 (probability 1/10) or 3 (probability 9/10)'."""
    m = re.fullmatch(r"(-?[\d/]+) \(a constant\)", text)
    if m:
        return [(Fraction(m.group(1)), Fraction(1))]
    m = re.fullmatch(r"(.*) \(equally likely\)", text)
    if m:
        vals = [Fraction(v) for v in m.group(1).split(" or ")]
        return [(v, Fraction(1, len(vals))) for v in vals]
    return [(Fraction(v), Fraction(p)) for v, p in re.findall(r"(-?[\d/]+) \(probability ([\d/]+)\)", text)]


def _moments(law):
    m1 = sum(p * v for v, p in law)
    m2 = sum(p * v * v for v, p in law)
    return m1, m2


TINY = Fraction(1, 10 ** 30)


@pytest.mark.parametrize("claim, holds", [
    ("\\mathbb{E}[X^2] \\ge \\mathbb{E}[X]^2 + 10^{-30}", lambda m1, m2: m2 >= m1 ** 2 + TINY),
    ("\\mathrm{Var}(X) > 0", lambda m1, m2: m2 - m1 ** 2 > 0),
    ("\\mathrm{Var}(X) \\ge 10^{-30}", lambda m1, m2: m2 - m1 ** 2 >= TINY),
    ("\\mathbb{E}[X^2] > \\mathbb{E}[X]^2", lambda m1, m2: m2 > m1 ** 2),
    ("\\mathbb{E}[X]^2 \\le \\mathbb{E}[X^2] - 10^{-30}", lambda m1, m2: m1 ** 2 <= m2 - TINY),
])
def test_tiny_gap_fails_at_a_point_mass(claim: str, holds) -> None:
    (step,) = check_text(f"\\[ {claim} \\]").steps
    assert (step.verdict, step.method) == ("invalid", "distribution"), step
    law = _law(step.counterexample["X"])
    assert law and sum(p for _, p in law) == 1
    assert holds(*_moments(law)) is False


@pytest.mark.parametrize("claim", [
    "\\mathbb{E}[X^2] \\ge \\mathbb{E}[X]^2",
    "\\mathrm{Var}(X) \\ge 0",
    "\\mathbb{E}[X^2] + 10^{-30} > \\mathbb{E}[X]^2",
])
def test_true_neighbour_is_valid(claim: str) -> None:
    (step,) = check_text(f"\\[ {claim} \\]").steps
    assert step.verdict == "valid", step


def test_tie_is_named_equal() -> None:
    (step,) = check_text("\\[ \\mathrm{Var}(X) > 0 \\]").steps
    assert step.message.startswith("the two sides are equal"), step


def test_gap_below_printed_digits_is_shown() -> None:
    (step,) = check_text("\\[ \\mathbb{E}[X^2] \\ge \\mathbb{E}[X]^2 + 10^{-30} \\]").steps
    assert "difference -1.00E-30" in step.message, step


def test_two_sums_of_std_exactly() -> None:
    """Std(X + Y) = Std X + Std Y at Y = X: minus 10^{-30} fails there (irrational-free here,
    but decided on the exact difference, not on 40 digits)."""
    (step,) = check_text("\\[ \\mathrm{Std}(X + Y) \\le \\mathrm{Std}(X) + \\mathrm{Std}(Y) - 10^{-30} \\]").steps
    assert step.verdict == "invalid", step
    (ok,) = check_text("\\[ \\mathrm{Std}(X + Y) \\le \\mathrm{Std}(X) + \\mathrm{Std}(Y) \\]").steps
    assert (ok.verdict, ok.method) == ("valid", "numeric"), ok


@pytest.mark.parametrize("claim, holds", [
    # a random variable is not a positive quantity by default (a constant sigma would be)
    ("\\mathbb{E}[|X|] = \\mathbb{E}[X]", lambda law: sum(p * abs(v) for v, p in law) == sum(p * v for v, p in law)),
    ("\\mathbb{E}[\\sqrt{X^2}] = \\mathbb{E}[X]",
     lambda law: sum(p * abs(v) for v, p in law) == sum(p * v for v, p in law)),
])
def test_random_variable_may_be_negative(claim: str, holds) -> None:
    (step,) = check_text(f"\\[ {claim} \\]").steps
    assert (step.verdict, step.method) == ("invalid", "distribution"), step
    law = _law(step.counterexample["X"])
    assert holds(law) is False


def test_random_variable_sign_neighbour() -> None:
    (step,) = check_text("\\[ \\mathbb{E}[|X|] \\ge |\\mathbb{E}[X]| \\]").steps
    assert step.verdict == "valid", step
    (const,) = check_text("\\[ \\sqrt{\\sigma^2} = \\sigma \\]").steps     # a constant: positive by default
    assert const.verdict == "unknown" and const.message.startswith("holds when"), const
