"""Near-miss tests written against mutation survivors of ``derive/verify`` (seed 18, list vb17).

Each case pins an exact verdict (or the value of a helper the existing tests already call) that
a one-token change to the verifier altered while the suite still passed; the docstring of each
test names the mutant(s) it kills.  References are computed independently (fractions, mpmath at
high precision, closed forms).
"""
from __future__ import annotations

import re
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from derive.notation import Norm
from derive.step import Justification, Rel, Step
from derive.verify import Verifier


@pytest.fixture()
def v(verifier: Verifier) -> Verifier:
    """The suite's verifier (tests/conftest.py), by a short name."""
    return verifier


def _step(v: Verifier, lhs, rel: Rel, rhs):
    return v.verify_step(Step(lhs, rel, rhs, Justification("t")), {})


x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
t = sp.Symbol("t", real=True)


# --------------------------------------------------------------------------- #
# quadrature.margins: exactly MAX_UNCERTAIN uncertain values are still replayed
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("uncertain, certain", [(4, 0), (4, 3), (3, 1), (5, 0)])
def test_at_most_four_uncertain_integrals_get_a_spread(uncertain, certain) -> None:
    """Kills quadrature.x_margins__mutmut_35 (``>= MAX_UNCERTAIN``: four uncertain values, which
    the 2^4 corners still cover, left the point without evidence, as five do)."""
    from derive.verify import quadrature as Q

    assert Q.MAX_UNCERTAIN == 4
    # error 10^-5 at rel_tol 10^-26 is uncertain (margin 100 * 10^-5); 10^-70 is below the tolerance
    second = [Q.QuadValue(mpmath.mpf(1), mpmath.mpf("1e-5"))] * uncertain \
        + [Q.QuadValue(mpmath.mpf(2), mpmath.mpf("1e-70"))] * certain
    got = Q.margins([], second, 1e-26)
    if uncertain > 4:
        assert got is None
        return
    assert got is not None and len(got) == uncertain + certain
    assert all(abs(g - mpmath.mpf("1e-3")) <= mpmath.mpf("1e-12") for g in got[:uncertain]), got
    assert all(g == 0 for g in got[uncertain:]), got


# --------------------------------------------------------------------------- #
# precision._resolved_tie: sides equal to the working digits, a positive exact difference
# --------------------------------------------------------------------------- #
def test_a_positive_difference_below_one_refutes_a_non_strict_upper_bound() -> None:
    """Kills precision.x__resolved_tie__mutmut_69 (``Rel.LE: d < 1``: any lhs - rhs below 1,
    here 10^-50, made ``1 + 10^-50 <= 1`` pass)."""
    from derive.verify.precision import _resolved_tie

    one = sp.Integer(1)
    exact = [one + sp.Rational(1, 10 ** 50), one]
    for strict in (False, True):
        got = _resolved_tie(Rel.LE, exact, one, one, 40, 1e-26, strict=strict)
        assert got == ("fail", "sides differ: 1.0000000 vs 1.0000000 (difference 1.00E-50)"), got
    # and the reverse bound holds
    assert _resolved_tie(Rel.GE, exact, one, one, 40, 1e-26, strict=False) == ("pass", "")


E50 = sp.Rational(1, 10 ** 50)


@pytest.mark.parametrize("lhs, rhs, shown, ref", [
    (sp.pi + E50, sp.pi, "3.1415927", lambda: mpmath.pi),
    (sp.log(6) + E50, sp.log(2) + sp.log(3), "1.7917595", lambda: mpmath.log(6)),
    # (sqrt 2 + sqrt 3)^2 = 5 + 2 sqrt 6
    (sp.sqrt(2) + sp.sqrt(3) + E50, sp.sqrt(5 + 2 * sp.sqrt(6)), "3.1462644", lambda: mpmath.sqrt(2) + mpmath.sqrt(3)),
    (sp.sin(1) ** 2 + sp.cos(1) ** 2 + E50, sp.Integer(1), "1.0000000", lambda: mpmath.mpf(1)),
])
def test_a_constant_above_its_bound_by_ten_to_minus_fifty_is_refuted(v: Verifier, lhs, rhs, shown, ref) -> None:
    """Kills precision.x__resolved_tie__mutmut_69 (the tie at 40 digits was resolved to
    lhs - rhs = 10^-50 > 0 and still passed ``<=``: these false steps were certified ``numeric``)."""
    assert abs(mpmath.mpf(shown) - ref()) < mpmath.mpf("5e-8")       # the 8 digits shown
    got = _step(v, lhs, Rel.LE, rhs)
    assert (got.status, got.method, got.message) == (
        "failed", "numeric", f"sides differ: {shown} vs {shown} (difference 1.00E-50)"), got


# --------------------------------------------------------------------------- #
# implications._boundary_points: a solution that still holds the symbol is skipped, not the end
# --------------------------------------------------------------------------- #
#: (x - max(1, y)) (x - \int_0^1 x t dt - 1) = 0, that is x = max(1, y) or x = 2.  SymPy's solve
#: for x gives [Integral(t x, (t, 0, 1)) + 1, Max(1, y)]: the first solution still holds x.
PREMISE = sp.Eq((x - sp.Max(1, y)) * (x - sp.Integral(x * t, (t, 0, 1)) - 1), 0)


def test_the_solution_in_terms_of_the_symbol_comes_first() -> None:
    """The premise of the next test is what reaches implications.x__boundary_points__mutmut_38:
    a solution still in terms of x comes before a usable one (else ``break`` is ``continue``)."""
    found = sp.solve(sp.Eq(PREMISE.lhs, PREMISE.rhs), x, dict=False)
    assert len(found) == 2 and x in found[0].free_symbols and found[1] == sp.Max(1, y)


def _premise_holds(xv: Fraction, yv: Fraction) -> bool:
    return (xv - max(Fraction(1), yv)) * (xv - xv / 2 - 1) == 0     # \int_0^1 x t dt = x / 2


@pytest.mark.parametrize("conclusion, verdict, point", [
    # fails only at y = 1 on the branch x = max(1, y): 1 > 1 - 0 is false; x = 2 always passes
    (x > 1 - (y - 1) ** 2, ("failed", "numeric", "the premise holds but the conclusion does not"),
     {"y": "1", "x": "1"}),
    (x > 1, ("failed", "numeric", "the premise holds but the conclusion does not"), None),
    (x >= 1, ("numeric", "24 points where the premise holds at 40 digits", ""), None),   # true
])
def test_a_premise_solved_after_a_solution_in_terms_of_itself(v: Verifier, conclusion, verdict, point) -> None:
    """Kills implications.x__boundary_points__mutmut_38 (``break`` at the solution that still
    holds x: the solution x = max(1, y) was never visited, and no random point satisfies the
    equation, so every case was ``unknown``: too few points satisfy the premise)."""
    got = _step(v, PREMISE, Rel.IMPLIES, conclusion)
    assert (got.status, got.method, got.message) == verdict, got
    if point is not None:
        assert got.counterexample == point
    if got.status == "failed":      # a genuine counterexample, checked with fractions
        xv, yv = Fraction(got.counterexample["x"]), Fraction(got.counterexample["y"])
        assert _premise_holds(xv, yv)
        holds = sp.sympify(conclusion).subs({x: sp.Rational(xv), y: sp.Rational(yv)})
        assert holds == sp.false


# --------------------------------------------------------------------------- #
# matrices.matrix_layer: sign(g x^T) at zero vectors; the method of the fast verdict
# --------------------------------------------------------------------------- #
m_ = sp.Symbol("m", integer=True, positive=True)
n_ = sp.Symbol("n", integer=True, positive=True)
alpha = sp.Symbol("alpha", positive=True)
G = sp.MatrixSymbol("g", m_, 1)
XV = sp.MatrixSymbol("x", n_, 1)


@pytest.mark.parametrize("scale", [sp.Integer(1), alpha])
def test_the_norm_of_a_sign_matrix_ignores_the_zero_trial(v: Verifier, scale) -> None:
    """Kills matrices.x_matrix_layer__mutmut_135 (``_has(job, None)``: the zero trial, where
    sign(0) = 0 makes ||sign(g x^T)||_2 = 0, was a doubt, and the true step ``unknown``)."""
    from derive.verify.matexpr import Entrywise

    got = _step(v, Norm(scale * Entrywise("sign", G * XV.T), 2), Rel.EQ, scale * sp.sqrt(m_ * n_))
    # every other trial has nonzero entries: sign(g x^T) = sign(g) sign(x)^T, of norm sqrt(m n)
    assert (got.status, got.method, got.message) == (
        "numeric", "equal for 10 random integer matrices (sizes 2 to 12) and 31 structured ones", ""), got


@pytest.mark.parametrize("lhs, rhs", [
    (lambda A, B: (A + B).T, lambda A, B: A.T + B.T),
    (lambda A, B: A * (B + A), lambda A, B: A * B + A ** 2),
])
def test_the_fast_matrix_trials_report_the_matrix_method(lhs, rhs) -> None:
    """Kills matrices.x_matrix_layer__mutmut_239 (the method of the fast pass's ``unknown`` was
    ``MATRIX``)."""
    from derive.step import Verdict
    from derive.verify import matrices as Mx
    from derive.verify.job import _Job

    A, B = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("B", 2, 2)
    job = _Job(lhs(A, B), Rel.EQ, rhs(A, B), (), None, 1, 6, 30, 40)
    assert Mx.matrix_layer(job, thorough=False) == Verdict("unknown", "matrix", "agreed at 2 random integer matrices")


# --------------------------------------------------------------------------- #
# kinks._breaks: more integer crossings than MAX_BREAKS
# --------------------------------------------------------------------------- #
def _compiled(*kinks):
    from derive.verify.kinks import _Compiled

    return _Compiled(f=lambda s: 0, kinks=tuple(kinks))


def _linear(c):
    return (lambda s: c * s, lambda s: c, True)       # floor(c s): crossings at k / c


SINE_SHIFT = mpmath.mpf(1) / 10
#: sin(20 pi s + 1/10): 20 sign changes in (0, 1), at (k pi - 1/10) / (20 pi), k = 1..20
SINE = (lambda s: mpmath.sin(20 * mpmath.pi * s + SINE_SHIFT),
        lambda s: 20 * mpmath.pi * mpmath.cos(20 * mpmath.pi * s + SINE_SHIFT), False)


def test_too_many_integer_crossings_give_no_breaks() -> None:
    """Kills kinks.x__breaks__mutmut_39 (``cells is None and ...``: with more than MAX_BREAKS
    crossings, ``len(None)`` raised instead of leaving the range unsplit)."""
    from derive.verify.kinks import MAX_BREAKS, _breaks

    assert MAX_BREAKS == 32
    assert _breaks(_compiled(_linear(100)), [], mpmath.mpf(0), mpmath.mpf(1), 20) == []


@pytest.mark.parametrize("c, count", [(12, 20 + 11), (13, None), (20, None)])
def test_breaks_of_two_kinks_are_counted_together(c, count) -> None:
    """Kills kinks.x__breaks__mutmut_39 (``and``: 20 sign changes of the sine and c crossings of
    floor(c s), together above MAX_BREAKS, were all kept instead of none)."""
    from derive.verify.kinks import _breaks

    got = _breaks(_compiled(SINE, _linear(c)), [], mpmath.mpf(0), mpmath.mpf(1), 20)
    if count is None:           # 20 + c > 32: it oscillates faster than the grid
        assert got == []
        return
    with mpmath.workdps(50):
        ref = sorted([(k * mpmath.pi - SINE_SHIFT) / (20 * mpmath.pi) for k in range(1, 21)]
                     + [mpmath.mpf(k) / c for k in range(1, c)])        # k = c is the end 1
        assert len(got) == count == len(ref)
        assert all(abs(g - r) < mpmath.mpf(10) ** -18 for g, r in zip(got, ref)), got


def test_an_integral_of_a_fast_staircase_is_still_refuted(v: Verifier) -> None:
    """Kills kinks.x__breaks__mutmut_39 (floor(100 x) crosses 99 integers: ``len(None)`` raised,
    the integral had no value, and the false step was ``unknown``)."""
    got = _step(v, sp.Integral(sp.floor(100 * x), (x, 0, 1)), Rel.EQ, sp.Integer(50))
    exact = Fraction(sum(range(100)), 100)           # sum of k / 100 over k = 0..99
    assert exact == Fraction(99, 2)
    assert (got.status, got.method) == ("failed", "numeric"), got
    # unsplit, the quadrature is off in the 4th digit; still far from 50
    shown = re.fullmatch(r"sides differ: ([0-9.]+) vs 50\.000000", got.message)
    assert shown is not None, got.message
    assert abs(Fraction(shown.group(1)) - exact) < Fraction(1, 100)
