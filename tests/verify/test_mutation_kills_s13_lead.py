"""Verifier paths the seed-18 sample's survivors showed no test reached (mutation testing, #14,
session 13, the lead's share): each test pins the result that tells the original from the mutant."""
from __future__ import annotations

import pytest
import sympy as sp

from derive.step import Justification, Rel, Step
from derive.verify import Verifier

x = sp.Symbol("x", positive=True)
FINER = "the printed digits are finer than the 400 digits derive samples at"


@pytest.mark.parametrize("exponent", [300, 400, 700])   # 10^-400 and 10^-700 underflow a float to 0
@pytest.mark.parametrize("lhs, rhs", [
    (sp.floor(x) + sp.frac(x), x),
    (sp.besselj(0, x) ** 2 + sp.besselj(1, x) ** 2, sp.besselj(0, x) ** 2 + sp.besselj(1, x) ** 2 + sp.exp(-x - 1000)),
])
def test_an_approximation_finer_than_any_sampled_precision_is_unknown(exponent, lhs, rhs) -> None:
    """Kills derive.verify.layers.x__at_printed_digits__mutmut_17 (a half unit below the smallest
    float, 5 * 10^-401, had its digits counted by float(None): an error instead of the honest
    'finer than 400 digits')."""
    tol = sp.Rational(1, 2) * sp.Integer(10) ** -exponent
    got = Verifier().verify_step(Step(lhs, Rel.APPROX, rhs, Justification("given"), tol=tol), {})
    assert (got.status, got.method, got.message) == ("unknown", "rounding", FINER)


# --------------------------------------------------------------------------- #
# matrices._compare_scalars: an exact gap that evaluates to almost nothing is 0 only when proved
# --------------------------------------------------------------------------- #
n = sp.Symbol("n", integer=True, positive=True)
A = sp.MatrixSymbol("A", n, n)
TINY = sp.sqrt(sp.Integer(10) ** 200 + sp.Integer(10) ** 40) - sp.Integer(10) ** 100     # about 5e-61
ZERO = sp.sqrt(3 + 2 * sp.sqrt(2)) - 1 - sp.sqrt(2)             # exactly 0 (denested), not by evaluation


def test_the_tiny_constant_is_positive_and_the_denested_one_zero() -> None:
    """Independently of derive, in exact fractions: 0 < TINY < 10^-60 (so a 60-digit evaluation
    sees only its leading digits), and (1 + sqrt 2)^2 = 3 + 2 sqrt 2."""
    from fractions import Fraction
    assert 10 ** 200 + 10 ** 40 > (10 ** 100) ** 2
    assert (Fraction(10) ** 100 + Fraction(1, 10 ** 60)) ** 2 > 10 ** 200 + 10 ** 40
    assert sp.expand((1 + sp.sqrt(2)) ** 2) == 3 + 2 * sp.sqrt(2)


@pytest.mark.parametrize("lhs, rel, rhs, status", [
    (TINY * A, Rel.EQ, sp.ZeroMatrix(n, n), "failed"),         # was certified: equal for 10 matrices
    (TINY * A + A, Rel.EQ, A, "failed"),
    (TINY * sp.Trace(A.T * A), Rel.LE, sp.Integer(0), "failed"),
    (ZERO * A, Rel.EQ, sp.ZeroMatrix(n, n), "proved"),
    (ZERO * sp.Trace(A.T * A), Rel.LE, sp.Integer(0), "numeric"),
    (ZERO * sp.Trace(A.T * A), Rel.LT, sp.Integer(0), "failed"),    # 0 < 0, proved equal sides
])
def test_a_matrix_step_with_a_tiny_exact_constant(lhs, rel, rhs, status) -> None:
    """A false step on a constant of about 5e-61 was valid in the matrix layer (every gap below
    10^-50 of the scale counted as 0; the scalar layer refutes c x = 0); a gap that is exactly 0
    (a nested radical) still certifies."""
    with Verifier() as v:
        got = v.verify_step(Step(lhs, rel, rhs, Justification("given")), {})
    assert got.status == status, got
