"""Near-miss tests written against survivors of the seed-18 mutation run (derive/verify/, helper va17).

Each test pins an exact verdict, message, counterexample or returned value that a one-token
change to the verifier altered while the suite still passed; its docstring names the mutant.
Expected values come from plain Python (fractions, math, mpmath), not from derive.
"""
from __future__ import annotations

import itertools
import math
import types
from fractions import Fraction as F

import mpmath
import pytest
import sympy as sp

from derive import domains as D
from derive.check import check_text
from derive.step import Justification, Rel, Step
from derive.verify import Verifier, onesided
from derive.verify import distributions as Ds
from derive.verify.job import _Job
from derive.verify.probability import EXPECT, RandomSymbol
from derive.verify.zeros import zeros_job

x = sp.Symbol("x", real=True)
R = sp.Rational
X = RandomSymbol("X")


def job(lhs, rel, rhs, domains=(), timeout: float = 5.0) -> _Job:
    return _Job(sp.sympify(lhs), rel, sp.sympify(rhs), tuple(domains), None, 1, 6, 24, 40, timeout)


# --------------------------------------------------------------------------- #
# distributions._exact_holds: the scale of the "clearly away from 0" test uses both sides
# at three times the working precision
# --------------------------------------------------------------------------- #
S2, S7 = sp.sqrt(2), sp.sqrt(7)


@pytest.mark.parametrize("rel, base, gap, want", [
    # gap 3.87e-60 against 10^-60 (1 + 2 sqrt 2 + gap) = 3.83e-60: clearly away from 0
    (Rel.EQ, S2, R(387, 10**62), False),
    (Rel.LE, S2, R(387, 10**62), False),
    # gap 6.2e-60 against 10^-60 (1 + 2 sqrt 7 + gap) = 6.29e-60: too close to 0 to say
    (Rel.EQ, S7, R(62, 10**61), None),
    (Rel.GE, S7, -R(62, 10**61), None),
])
def test_the_exact_decision_is_scaled_by_both_sides_at_full_precision(rel, base, gap, want) -> None:
    """Kills distributions.x__exact_holds__mutmut_32 (the right side evaluated to ``3 / prec``
    digits, 0.1 at prec 30: sqrt 2 read as 1.5 and sqrt 7 as 2.5, so the threshold moved and
    the first rows became undecided, the last ones decided)."""
    ref = {S2: math.sqrt(2), S7: math.sqrt(7)}[base]
    g = F(gap.p, gap.q) * 10**60                          # the gap in units of 10^-60
    scale = 1 + 2 * ref + float(g) * 1e-60
    assert (abs(g) >= scale) is (want is not None)           # independent: is the gap outside the slack?
    assert abs(abs(float(g)) - scale) > 0.03                 # and not by a hair (sqrt read as 1.5 / 2.5 moves it 0.09 / 0.15)
    assert Ds._exact_holds(rel, [base + gap, base], 30) is want


# --------------------------------------------------------------------------- #
# distributions.probability_layer: a derivative is no expectation to sample
# --------------------------------------------------------------------------- #
t = sp.Symbol("t", real=True)


@pytest.mark.parametrize("lhs, rhs", [
    (sp.Derivative(t**2 * EXPECT(X), t), 2 * t * EXPECT(X)),
    (sp.Derivative(t**2, t) + EXPECT(X), 2 * t + EXPECT(X)),
])
def test_a_side_with_a_derivative_is_left_to_the_algebra(lhs, rhs) -> None:
    """Kills distributions.x_probability_layer__mutmut_53 (``sp.Derivative`` dropped from the
    forms left undecided: the laws were sampled and none gave a value, "only 0 laws ...")."""
    got = Ds.probability_layer(job(lhs, Rel.EQ, rhs), 24, 40, thorough=True)
    assert (got.status, got.method, got.message) == (
        "unknown", "distribution", "the expectations could not be evaluated")
    assert Ds.probability_layer(job(lhs, Rel.EQ, rhs), 24, 40, thorough=False) is None


# --------------------------------------------------------------------------- #
# distributions.probability_layer: the filter's share of the time (0.3 of the timeout,
# 0.8 in the thorough pass), on a clock that reads 0, 1, 2, ... seconds
# --------------------------------------------------------------------------- #
def _on_a_ticking_clock(monkeypatch, fn):
    ticks = itertools.count()
    monkeypatch.setattr(Ds, "time", types.SimpleNamespace(monotonic=lambda: float(next(ticks))))
    return fn()


# E[X] >= 1 holds for the first seven readable laws (X in {1, 2}, X = 2) and fails at the eighth,
# the lopsided law 1 w.p. 1/10, 0 w.p. 9/10 (E[X] = 1/10).  One clock reading sets the deadline,
# one more precedes each law: law k is tried when k <= share * timeout.
@pytest.mark.parametrize("timeout, thorough, found", [
    (26.0, False, False),       # 0.3 * 26 = 7.8: seven laws, then the time is up
    (27.0, False, True),        # 0.3 * 27 = 8.1: the eighth law is tried
    (9.9, True, False),         # 0.8 * 9.9 = 7.92
    (10.5, True, True),         # 0.8 * 10.5 = 8.4
])
def test_the_filter_stops_at_its_share_of_the_timeout(monkeypatch, timeout, thorough, found) -> None:
    """Kills distributions.x_probability_layer__mutmut_96 (the filter's share 1.3 for 0.3: it
    ran past the whole timeout, and found the counterexample at 26 s)."""
    share = 0.8 if thorough else 0.3
    assert (8 <= share * timeout) is found and 7 <= share * timeout
    assert F(1, 10) * 1 + F(9, 10) * 0 < 1                  # the eighth law's E[X]
    got = _on_a_ticking_clock(monkeypatch, lambda: Ds.probability_layer(
        job(EXPECT(X), Rel.GE, 1, timeout=timeout), 24, 40, thorough=thorough))
    if found:
        assert (got.status, got.method, got.message, got.counterexample) == (
            "failed", "distribution", "sides differ: 0.10000000 vs 1.0000000",
            {"X": "1 (probability 1/10) or 0 (probability 9/10)"})
    elif thorough:
        assert (got.status, got.method, got.message) == (
            "unknown", "distribution", "only 7 laws gave values to compare")
    else:
        assert got is None


def test_the_step_fails_on_a_real_clock() -> None:
    """The same step with the time it needs: the eighth law is its counterexample."""
    got = Ds.probability_layer(job(EXPECT(X), Rel.GE, 1), 24, 40, thorough=False)
    assert (got.status, got.counterexample) == ("failed", {"X": "1 (probability 1/10) or 0 (probability 9/10)"})


# --------------------------------------------------------------------------- #
# onesided._number_sign: a number SymPy cannot sign is signed by its value
# --------------------------------------------------------------------------- #
LI3 = sp.polylog(3, R(1, 2))        # 0.5372..., SymPy: is_positive None


def test_the_constant_is_between_zero_and_one() -> None:
    """Independently of derive: Li_3(1/2) = 7/8 zeta(3) - pi^2 ln 2 / 12 + ln^3 2 / 6 = 0.537."""
    mpmath.mp.dps = 30
    ref = mpmath.polylog(3, mpmath.mpf(1) / 2)
    ln2 = mpmath.log(2)
    assert abs(ref - (mpmath.mpf(7) / 8 * mpmath.zeta(3) - mpmath.pi**2 * ln2 / 12 + ln2**3 / 6)) < 1e-25
    assert 0.53 < ref < 0.54
    assert LI3.is_positive is None and LI3.is_zero is not True     # the case _number_sign evaluates


@pytest.mark.parametrize("v, sign", [
    (LI3, 1),
    (LI3 / 10**10, 1),
    (sp.Integral(x, (x, 0, 1)), 1),     # 1/2, unevaluated
    (2 * LI3, 1),
    (LI3 - 1, -1),
])
def test_an_unsigned_number_is_signed_by_its_value(v, sign) -> None:
    """Kills onesided.x__number_sign__mutmut_30 (``w > 1`` for ``w > 0``: a positive value up to
    1 was called negative)."""
    assert onesided._number_sign(v) == sign


@pytest.mark.parametrize("f, direction, value", [
    (sp.Max(LI3 * x, 0) / x, "-", 0),           # just left of 0, C x < 0: the max is 0
    (sp.Max(LI3 * x, 0) / x, "+", LI3),         # just right of 0: C x / x = C
])
def test_a_max_with_an_unsigned_slope_beside_its_kink(f, direction, value) -> None:
    """Kills onesided.x__number_sign__mutmut_30 at the verdict: the mutant took C x > 0 left
    of 0 (the sign of C read as -1), so the left limit of max(C x, 0) / x was C."""
    assert onesided.limit_at(f, x, sp.Integer(0), direction) == ("value", value)
    assert onesided.derivative_at(sp.Max(LI3 * x, 0), x, sp.Integer(0), 1) == (
        "none", "not differentiable at x = 0: one-sided derivatives 0 and polylog(3, 1/2)")
    with Verifier() as v:
        got = v.verify_step(Step(sp.Limit(f, x, 0, direction), Rel.EQ, value, Justification("t")), {})
    assert (got.status, got.method) == ("proved", "identical")     # the limit resolved, then equal


# --------------------------------------------------------------------------- #
# probability._independent_groups: a product splits only when every variable in it is of
# one declared independent family
# --------------------------------------------------------------------------- #
ASSUME = "% derive: assume X_1, X_2 independent\n"


# A is undeclared, so it may be X_1 itself: with X_1, X_2 uniform on {1, 2} (Fractions):
# E[A X_1] = E[X_1^2] = 5/2 against E[A] E[X_1] = 9/4; and with A = X_2,
# E[A X_1 X_2] = E[X_1] E[X_2^2] = 15/4 against E[A X_1] E[X_2] = 27/8.
_U = [F(1), F(2)]
_E1 = sum(_U) / 2
_E2 = sum(u * u for u in _U) / 2


@pytest.mark.parametrize("step, sides, cex", [
    (r"\mathbb{E}[A X_1] = \mathbb{E}[A] \mathbb{E}[X_1]", (_E2, _E1 * _E1), {"A": "X_1"}),
    (r"\mathbb{E}[A X_1 X_2] = \mathbb{E}[A X_1] \mathbb{E}[X_2]", (_E1 * _E2, _E1 * _E1 * _E1),
     {"A": "X_2", "X_2": "1 or 2 (equally likely) independently"}),
])
def test_a_product_with_an_undeclared_variable_does_not_split(step, sides, cex) -> None:
    """Kills probability.x__independent_groups__mutmut_2 (the families read off the last base
    only: A X_1 was split as if A were of X_1's family, and the false step proved)."""
    s = check_text(ASSUME + f"\\[ {step} \\]\n", timeout=10).steps[-1]
    assert (s.verdict, s.method) == ("invalid", "distribution")
    assert s.message == f"sides differ: {float(sides[0]):#.8g} vs {float(sides[1]):#.8g}"     # 8 digits
    assert s.counterexample == {"X_1": "1 or 2 (equally likely) independently", **cex}


def test_two_members_of_the_family_do_split() -> None:
    """The declared case, for contrast: E[X_1 X_2] = E[X_1] E[X_2] is proved."""
    s = check_text(ASSUME + "\\[ \\mathbb{E}[X_1 X_2] = \\mathbb{E}[X_1] \\mathbb{E}[X_2] \\]\n", timeout=10).steps[-1]
    assert (s.verdict, s.method) == ("valid", "proved")


# --------------------------------------------------------------------------- #
# zeros.zeros_job: a solution set solveset left partly unsolved gives no answer
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("a, b, want", [
    (x * (x + sp.exp(x)), 0, None),                 # {0} and the unsolved x + e^x = 0
    ((x - 1) * (x + sp.exp(x)), 0, None),
    (sp.Max(x, 0) * (x + sp.exp(x)), 0, None),      # (-oo, 0] and the unsolved part on (0, oo)
    (x * (x - 1), 0, ("zero", "0")),                # solved completely: {0, 1}
    (x**2 + 1, 0, ("none", None)),
])
def test_zeros_are_reported_only_from_a_complete_solution(a, b, want) -> None:
    """Kills zeros.x_zeros_job__mutmut_26 (``sol.has(None)`` for ``sol.has(ConditionSet)``: a
    solution set with an unsolved ConditionSet part was searched for a point)."""
    assert zeros_job(job(a, Rel.EQ, b, ((x, D.REAL),))) == want
