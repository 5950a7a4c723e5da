"""Near-miss tests written against session 13's mutation survivors (seed 16 and seed 17).

Each case pins an exact verdict that a one-token change to the verifier altered while the
suite still passed; the docstring of each test names the mutant it kills.
"""
from __future__ import annotations

import re

import pytest
import sympy as sp

from derive.step import Justification, Rel, Step
from derive.verify import Verifier, onesided
from derive.verify.events import PROB
from derive.verify.probability import RandomSymbol


@pytest.fixture(scope="module")
def v() -> Verifier:
    with Verifier() as verifier:
        yield verifier


# --------------------------------------------------------------------------- #
# distributions._truth: a negated premise about probabilities of events
# --------------------------------------------------------------------------- #
A, B = RandomSymbol("A", law="event"), RandomSymbol("B", law="event")
HALF = sp.Rational(1, 2)
pA, pB = PROB(A), PROB(B)

NEGATED = [
    ("neither above a half", sp.Not(sp.Or(pA > HALF, pB > HALF)), pA <= HALF, "numeric"),
    ("neither above a half, strict", sp.Not(sp.Or(pA > HALF, pB > HALF)), pA < HALF, "failed"),
    ("not both above a half", sp.Not(sp.And(pA > HALF, pB > HALF)), pA <= HALF, "failed"),
    ("one above a half", sp.Or(pA > HALF, pB > HALF), pA + pB > HALF, "numeric"),
]


def _space(cex: dict[str, str]) -> tuple[list[str], dict[str, set[str]]]:
    outcomes = re.fullmatch(r"(.+) \(equally likely\)", cex["outcomes"]).group(1).split(", ")
    sets = {name: set(filter(None, cex[name].strip("{}").split(", "))) for name in ("A", "B")}
    return outcomes, sets


@pytest.mark.parametrize("name,premise,conclusion,verdict", NEGATED, ids=[c[0] for c in NEGATED])
def test_a_negated_premise_about_events(v: Verifier, name, premise, conclusion, verdict) -> None:
    """Kills distributions.x__truth__mutmut_15 and _17 (the negated proposition or its cache
    dropped: no space then satisfied the premise, and every case was ``unknown``)."""
    got = v.verify_step(Step(premise, Rel.IMPLIES, conclusion, Justification("t")), {})
    assert got.status == verdict, got
    if verdict == "failed":     # brute force on the space named: the premise holds, the conclusion not
        outcomes, sets = _space(got.counterexample)
        p = {e: sp.Rational(len(s), len(outcomes)) for e, s in sets.items()}
        at = {pA: p["A"], pB: p["B"]}
        assert bool(premise.xreplace(at)) and not bool(conclusion.xreplace(at)), (got.counterexample, p)
    else:
        assert got.method == "24 finite probability spaces where the premise holds"


# --------------------------------------------------------------------------- #
# onesided.local_branch: an equation in a case's condition, on either side of a kink
# --------------------------------------------------------------------------- #
x = sp.Symbol("x", real=True)


@pytest.mark.parametrize("cond,right,left", [
    (sp.Eq(x, sp.Abs(x)), 1, 0),        # x = |x| just right of 0, not just left
    (sp.Ne(x, sp.Abs(x)), 0, 1),
])
def test_an_equation_with_a_kink_in_a_condition(cond, right, left) -> None:
    """Kills onesided.x__truth__mutmut_58 (the right side of ``Eq``/``Ne`` kept its kink, so
    ``x - |x|`` looked positive right of 0 and ``x = |x|`` false there)."""
    f = sp.Piecewise((1, cond), (0, True))
    assert [onesided.local_branch(f, x, sp.Integer(0), s) for s in (1, -1)] == [right, left]


# --------------------------------------------------------------------------- #
# matrices._to_nc: the inverse of a sum in a non-commutative proof
# --------------------------------------------------------------------------- #
n = sp.Symbol("n", integer=True, positive=True)
MA, MB, MC = (sp.MatrixSymbol(c, n, n) for c in "ABC")
Q = sp.Inverse(MA + MB)


@pytest.mark.parametrize("lhs,rhs,verdict,method", [
    (Q * (MA + MB * MC), Q * MA + Q * MB * MC, "proved", "non-commutative algebra"),
    (Q * (MA + MB * MC), Q * MA + MB * MC * Q, "failed", "random matrices"),
])
def test_an_inverse_of_a_sum_distributes(v: Verifier, lhs, rhs, verdict, method) -> None:
    """Kills matrices.x__to_nc__mutmut_26 (``Pow(..., None)`` for the inverse: no proof, only
    ``numeric``)."""
    got = v.verify_step(Step(lhs, Rel.EQ, rhs, Justification("t")), {})
    assert (got.status, got.method) == (verdict, method), got
