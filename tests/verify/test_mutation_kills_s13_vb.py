"""Near-miss tests written against session 13's mutation survivors of ``derive/verify`` (seed 18).

Each case pins an exact verdict (or the value of the private helper the existing tests already
call) that a one-token change to the verifier altered while the suite still passed; the docstring
of each test names the mutant(s) it kills.  References are computed independently (mpmath at
high precision, closed forms, scipy, plain integer arithmetic).
"""
from __future__ import annotations

import ast
import math
from fractions import Fraction

import mpmath
import pytest
import sympy as sp

from derive.notation import Expectation, Norm
from derive.step import Justification, Rel, Step
from derive.verify import Verifier


@pytest.fixture()
def v(verifier: Verifier) -> Verifier:
    """The suite's verifier (tests/conftest.py), by a short name."""
    return verifier


def _step(v: Verifier, lhs, rel: Rel, rhs):
    return v.verify_step(Step(lhs, rel, rhs, Justification("t")), {})


n = sp.Symbol("n", integer=True, positive=True)
A = sp.MatrixSymbol("A", n, n)
x = sp.Symbol("x", real=True)


# --------------------------------------------------------------------------- #
# matexpr._norm: the spectral norm of a matrix with irrational entries
# --------------------------------------------------------------------------- #
def test_the_spectral_norm_keeps_thirty_digits_of_irrational_entries() -> None:
    """Kills matexpr.x__norm__mutmut_50 (``sp.N(e, None)``: the entries were rounded to 15 digits
    before the singular values, so the 30-digit norm was wrong from the 16th digit)."""
    from derive.verify import matexpr as Me

    got = Me._norm(sp.ImmutableMatrix([[sp.sqrt(2), 1], [0, sp.sqrt(3)]]), "2")
    # by hand: M^T M has trace 6 and determinant 6, so sigma_max^2 = (6 + sqrt(36 - 24)) / 2 = 3 + sqrt 3
    with mpmath.workdps(60):
        ref = mpmath.sqrt(3 + mpmath.sqrt(3))
        assert abs(mpmath.mpf(str(got)) - ref) < mpmath.mpf(10) ** -28, (got, ref)


@pytest.mark.parametrize("rel, method", [
    (Rel.EQ, "equal for 10 random integer matrices (sizes 2 to 11) and 32 structured ones"),
    (Rel.LE, "holds for 10 random integer matrices (sizes 2 to 11) and 32 structured ones"),
])
def test_a_norm_is_homogeneous_under_an_irrational_factor(v: Verifier, rel, method) -> None:
    """Kills matexpr.x__norm__mutmut_50 (with 15-digit entries the two sides differed at the 16th
    digit, inside the undecided band of the comparison: ``unknown``)."""
    got = _step(v, Norm(sp.sqrt(2) * A, 2), rel, sp.sqrt(2) * Norm(A, 2))
    assert (got.status, got.method) == ("numeric", method), got


# --------------------------------------------------------------------------- #
# matrices._compare_scalars: an exact value whose digits cancel far below its terms
# --------------------------------------------------------------------------- #
BIG = sp.Integer(10) ** 100
#: sqrt(10^200 + 10^40) - 10^100 = 10^40 / (sqrt(10^200 + 10^40) + 10^100), about 5 * 10^-61: its
#: two terms agree to 160 digits, so 15-digit arithmetic cannot even place it below 10^-30
TINY = sp.sqrt(BIG ** 2 + sp.Integer(10) ** 40) - BIG
GRAM = sp.Trace(A.T * A)


def test_the_cancelling_constant_is_far_below_the_bound() -> None:
    # integers only: 10^100 <= sqrt(10^200 + 10^40) < 10^100 + 1, so TINY = 10^40 / (that + 10^100)
    # lies in (10^40 / (2 10^100 + 1), 10^40 / (2 10^100)]
    root = math.isqrt(10 ** 200 + 10 ** 40)
    assert root == 10 ** 100 and (root + 1) ** 2 > 10 ** 200 + 10 ** 40
    lo, hi = Fraction(10 ** 40, 2 * 10 ** 100 + 1), Fraction(10 ** 40, 2 * 10 ** 100)
    assert hi < Fraction(1, 10 ** 60)
    with mpmath.workdps(400):       # 240 digits survive the cancellation
        c = mpmath.sqrt(mpmath.mpf(10) ** 200 + mpmath.mpf(10) ** 40) - mpmath.mpf(10) ** 100
        assert mpmath.mpf(lo.numerator) / lo.denominator <= c <= mpmath.mpf(hi.numerator) / hi.denominator
    assert TINY == sp.sqrt(sp.Integer(10) ** 200 + sp.Integer(10) ** 40) - sp.Integer(10) ** 100


def test_a_true_bound_on_a_cancelling_constant_holds(v: Verifier) -> None:
    """Kills matrices.x__compare_scalars__mutmut_17 (``evalf(None)``: 15 digits left only noise
    of order 10^-23 for the gap, so the true bound was refuted)."""
    got = _step(v, TINY * GRAM, Rel.LE, GRAM / 10 ** 30)
    assert (got.status, got.method) == ("numeric", "holds for 10 random integer matrices (sizes 2 to 11) "
                                                   "and 32 structured ones"), got


def test_a_false_bound_on_a_cancelling_constant_is_refuted(v: Verifier) -> None:
    """Kills matrices.x__compare_scalars__mutmut_17 (the same noise made the false bound hold:
    ``numeric`` for a false step)."""
    got = _step(v, TINY * GRAM, Rel.GE, GRAM / 10 ** 30)
    assert (got.status, got.method) == ("failed", "random matrices"), got
    assert set(got.counterexample) == {"A", "n"}
    rows = ast.literal_eval(got.counterexample["A"])
    assert len(rows) == int(got.counterexample["n"])
    t = sum(e * e for row in rows for e in row)       # tr(A^T A), by hand
    assert t > 0        # so TINY * t < t / 10^30 (TINY < 10^-60 above): the step fails there


# --------------------------------------------------------------------------- #
# implications._decide_exact: a relation with -oo inside is not decided exactly
# --------------------------------------------------------------------------- #
UNDEFINED = sp.gamma(-sp.oo)    # SymPy keeps it, calls it real and not positive; it has no value


def test_an_order_relation_with_minus_infinity_inside_is_not_decided_exactly() -> None:
    """Kills implications.x__decide_exact__mutmut_38 (the guard tested ``oo`` twice and not
    ``-oo``: ``Gamma(-oo) < 0`` was decided true from ``is_positive is False``)."""
    from derive.verify.implications import _decide_exact

    assert _decide_exact(sp.Lt(UNDEFINED, 0)) is None
    assert _decide_exact(sp.Lt(3 * UNDEFINED, 2 * UNDEFINED)) is None


def test_an_implication_about_gamma_at_minus_infinity_is_not_certified(v: Verifier) -> None:
    """Kills implications.x__decide_exact__mutmut_38 (``x > 0 => Gamma(-oo) < 0`` was certified at
    24 points; the conclusion has no value, so no point decides it)."""
    got = _step(v, x > 0, Rel.IMPLIES, sp.Lt(UNDEFINED * x, 0))
    # no point where the conclusion could be evaluated counts as one where the premise holds
    assert (got.status, got.method, got.message) == ("unknown", "numeric", "only 0 sample points satisfy the premise")


# --------------------------------------------------------------------------- #
# implications._judge: a premise with an opaque atom needs the random values too
# --------------------------------------------------------------------------- #
f = sp.Function("f")
X = sp.Symbol("X")


@pytest.mark.parametrize("premise, conclusion, verdict", [
    (x + f(x) > 1, x + f(x) > 0, ("numeric", "24 points where the premise holds at 40 digits", "")),
    (f(x) > 1, f(x) > 2, ("failed", "numeric", "the premise holds but the conclusion does not")),
    (Expectation(X) > x, Expectation(X) > x + 1, ("failed", "numeric", "the premise holds but the conclusion does not")),
])
def test_a_premise_with_an_opaque_atom_is_evaluated(v: Verifier, premise, conclusion, verdict) -> None:
    """Kills implications.x__judge__mutmut_5 (the premise evaluated with ``rng=None``: an undefined
    function or an expectation in it got no value, the premise never held, every case ``unknown``)."""
    got = _step(v, premise, Rel.IMPLIES, conclusion)
    assert (got.status, got.method, got.message) == verdict, got


# --------------------------------------------------------------------------- #
# kinks._root: the secant search may land just beside the cell
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("fn, ref", [
    (lambda t: t - mpmath.mpf(3) / 2, lambda: mpmath.mpf(3) / 2),     # beside the cell [0, 1], within its width
    (lambda t: t * t - 2, lambda: mpmath.sqrt(2)),
    (lambda t: mpmath.exp(t) - 3, lambda: mpmath.log(3)),
])
def test_a_root_beside_the_cell_is_kept(fn, ref) -> None:
    """Kills kinks.x__root__mutmut_8 (``findroot(fn, None)`` always raised: bisection inside
    ``[0, 1]`` found no sign change and gave the end 1)."""
    from derive.verify.kinks import _root

    got = _root(fn, mpmath.mpf(0), mpmath.mpf(1), 20)
    with mpmath.workdps(40):
        assert abs(got - ref()) < mpmath.mpf(10) ** -20, got


# --------------------------------------------------------------------------- #
# kinks._breaks: a kink expression that touches or nears 0 between grid points
# --------------------------------------------------------------------------- #
def _parabola(depth):
    """(t - 3/10)^2 + depth and its derivative (3/10 is no point of the grid k/96), computed at
    the working precision of the caller."""
    from derive.verify.kinks import _Compiled

    return _Compiled(f=lambda t: 0, kinks=((lambda t: (t - mpmath.mpf(3) / 10) ** 2 + depth,
                                           lambda t: 2 * (t - mpmath.mpf(3) / 10), False),))


@pytest.mark.parametrize("depth, found", [
    (0, True),                          # touches 0: a kink
    (mpmath.mpf(10) ** -6, True),       # a narrow peak of the integrand (below a hundredth of the top)
    (mpmath.mpf(1) / 100, False),       # a minimum at about 1/50 of the top (0.5): no kink there
    (mpmath.mpf(1) / 10, False),
])
def test_a_turn_near_zero_between_grid_points_is_a_break(depth, found) -> None:
    """Kills kinks.x__breaks__mutmut_101 (``d1 is None``: no turn of the slope was ever a cell, so
    touching zeros were missed) and x__breaks__mutmut_141 (``top * 100``: every turn in a cell was
    kept, the minimum at 1/100 as well)."""
    from derive.verify.kinks import _breaks

    got = _breaks(_parabola(depth), [], mpmath.mpf(0), mpmath.mpf(1), 20)
    assert len(got) == int(found), got
    if found:
        with mpmath.workdps(60):
            assert abs(got[0] - mpmath.mpf(3) / 10) < mpmath.mpf(10) ** -40


SINE = sp.Integral(sp.sqrt(1 - sp.cos(x) ** 2), (x, 0, 4))     # |sin x| on [0, 4]: a kink at pi, off the grid
SINE_VALUE = 3 + sp.cos(4)                                       # 2 + (cos 4 - cos pi)


def test_a_touching_kink_off_the_grid_is_integrated_to_every_digit() -> None:
    """Kills kinks.x__breaks__mutmut_101 (the kink at pi, where 1 - cos^2 x touches 0, was not a
    break: tanh-sinh across it was wrong in the 6th digit)."""
    from scipy import integrate as si

    from derive.verify import quadrature as Q

    got = Q._quadrature(SINE, 40)
    assert abs(got - sp.N(SINE_VALUE, 50)) < 1e-30
    ref, err = si.quad(lambda t: abs(math.sin(t)), 0, 4, points=[math.pi])
    assert err < 1e-9 and abs(float(got) - ref) < 1e-9 and abs(ref - (3 + math.cos(4))) < 1e-9


@pytest.mark.parametrize("rhs, verdict", [
    (SINE_VALUE, ("numeric", "24 random points at 40 digits", "")),
    (sp.Rational(2346356, 10 ** 6), ("failed", "numeric", "sides differ: 2.3463564 vs 2.3463560")),
])
def test_an_integral_with_a_touching_kink(v: Verifier, rhs, verdict) -> None:
    """Kills kinks.x__breaks__mutmut_101 (no break at pi: the quadrature's error bound left no
    evidence, both steps ``unknown``)."""
    got = _step(v, SINE, Rel.EQ, rhs)
    assert (got.status, got.method, got.message) == verdict, got


# --------------------------------------------------------------------------- #
# integrable.pole_inside: an end in the variable of integration
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("lo, hi", [
    (x - 2, 0),                 # the mutant found no pole (the range cannot be placed): "none"
    (-x ** 2 - 1, 2),           # the mutant found the pole 1 in [-x^2 - 1, 2]: "pole"
])
def test_a_lower_end_in_the_variable_is_skipped(lo, hi) -> None:
    """Kills integrable.x_pole_inside__mutmut_21 (``lo.has(None)``: only the upper end was tested
    for the variable of integration)."""
    from derive.verify.integrable import pole_inside

    assert pole_inside(sp.Integral(1 / (x - 1), (x, lo, hi)), {}) == ("skip", {}, None)
