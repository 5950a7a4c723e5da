"""One-sided branches (derive/verify/onesided.py) against direct evaluation beside the point (#14).

Each row names the session-7 survivor it kills; each was confirmed by applying the mutant by hand
and seeing the row fail.  The reference is independent of ``local_branch``: the function is
evaluated exactly at a point 10^-9 to the side (every kink of these rows is farther away), or the
one-sided value is the textbook one.
"""
from __future__ import annotations

import pytest
import sympy as sp

from derive.verify.onesided import derivative_at, limit_at

x = sp.Symbol("x", real=True)
R = sp.sqrt(3 + 2 * sp.sqrt(2))     # = 1 + sqrt(2), written so that only a proof of zero sees it
EPS = sp.Rational(1, 10**9)

LIMITS = [
    # x_local_branch__mutmut_65: the value at 0 of a Heaviside written with one (H(0) = 1 or 0)
    (sp.Heaviside(sp.Max(x, 0), 1), 0, "-", 1),
    (sp.Heaviside(sp.Max(x, 0), 0), 0, "-", 0),
    (sp.Heaviside(sp.Max(x, 0)), 0, "-", sp.Rational(1, 2)),
    (sp.Heaviside(sp.Max(x, 0), 1), 0, "+", 1),
    (sp.Heaviside(sp.Min(x, 0), 0), 0, "+", 0),
    # x__truth__mutmut_50: a kink on the left of an equation in a case condition
    (sp.Piecewise((0, sp.Eq(sp.Abs(x) - x, 0)), (1, True)), 0, "+", 0),
    (sp.Piecewise((0, sp.Eq(sp.Abs(x) - x, 0)), (1, True)), 0, "-", 1),
    (sp.Piecewise((0, sp.Ne(sp.Abs(x) - x, 0)), (1, True)), 0, "+", 1),
    (sp.Piecewise((0, sp.Ne(sp.Abs(x) - x, 0)), (1, True)), 0, "-", 0),
    # x__sign__mutmut_20: the sign beside a zero that SymPy proves but a series does not see
    (sp.sign(x - 1 - sp.sqrt(2)), R, "-", -1),
    (sp.sign(x - 1 - sp.sqrt(2)), R, "+", 1),
    (sp.sign(2 + 2 * sp.sqrt(2) - 2 * x), R, "-", 1),
    (sp.sign(2 + 2 * sp.sqrt(2) - 2 * x), R, "+", -1),
]


@pytest.mark.parametrize("f, a, side, value", LIMITS, ids=[f"{r[0]} at {r[1]}{r[2]}" for r in LIMITS])
def test_one_sided_limits_are_the_values_beside_the_point(f, a, side: str, value) -> None:
    a = sp.sympify(a)
    assert limit_at(f, x, a, side) == ("value", value)
    beside = f.subs(x, a + (EPS if side == "+" else -EPS))      # the reference: f just there
    assert sp.nsimplify(beside) == value


def test_a_kink_at_a_denested_radical_has_its_two_one_sided_slopes() -> None:
    # x__sign__mutmut_20: |x - 1 - sqrt 2| at sqrt(3 + 2 sqrt 2) = 1 + sqrt 2, slopes -1 and 1
    assert sp.sqrtdenest(R) == 1 + sp.sqrt(2)
    assert derivative_at(sp.Abs(x - 1 - sp.sqrt(2)), x, R, 1) == (
        "none", "not differentiable at x = sqrt(2*sqrt(2) + 3): one-sided derivatives -1 and 1")


# sin^2 + cos^2 - 1 is zero, but SymPy cannot prove it at a point, and its series of
# g(R + s h) then drops the constant term it cannot tell from 0 and called the leading term 0:
# every sign, |.| and max beside R was taken as vanishing, and the false steps below were
# "valid".  g is x - (1 + sqrt 2) on the reals, so its sign beside R is the side's (mpmath).
G = x + sp.sin(x)**2 + sp.cos(x)**2 - 2 - sp.sqrt(2)
UNSEEN = "derive cannot tell which case applies beside x = sqrt(2*sqrt(2) + 3)"


@pytest.mark.parametrize("f, side", [(sp.sign(G), "+"), (sp.sign(G), "-"), (sp.sign(G), "+-"), (sp.Abs(G), "+")])
def test_a_zero_sympy_cannot_prove_gives_no_one_sided_value(f, side: str) -> None:
    import mpmath

    mpmath.mp.dps = 40
    r = mpmath.sqrt(3 + 2 * mpmath.sqrt(2))
    g = sp.lambdify(x, G, "mpmath")
    assert g(r + mpmath.mpf("1e-10")) > 0 > g(r - mpmath.mpf("1e-10"))      # the sign is the side's
    assert limit_at(f, x, R, side) == ("unknown", UNSEEN)


def test_a_zero_sympy_cannot_prove_gives_no_derivative() -> None:
    assert derivative_at(sp.Abs(G), x, R, 1) == (
        "unknown", "derive cannot tell which case applies on each side of x = sqrt(2*sqrt(2) + 3)")


# --------------------------------------------------------------------------- #
# derive.verify.sums: a family's sum with a symbolic bound and no givens is still judged by its
# instances (x_applies__mutmut_9 sent it to random bounds, which "refuted" the true gradient of
# log-sum-exp at C = 5, k = 603/1000, an index that is no entry)

import numpy as np                                              # noqa: E402

from derive.domains import POSITIVE_INTEGER, REAL               # noqa: E402
from derive.step import Justification, Rel, Step                # noqa: E402
from derive.verify import Verifier                              # noqa: E402

z = sp.IndexedBase(sp.Symbol("z", real=True))
w = sp.IndexedBase(sp.Symbol("w", real=True))
i, j, k = (sp.Symbol(n, real=True) for n in "ijk")
C = sp.Symbol("C", integer=True, positive=True)
SUM_EXP = sp.Sum(sp.exp(z[j]), (j, 1, C))
INSTANCES = ("C = 1, 2, 3, 4, 5, 6, 9 with every index; at least 2 random points each at 40 digits, "
             "entries satisfying the givens")


def _softmax(zs: np.ndarray) -> np.ndarray:
    e = np.exp(zs - zs.max())
    return e / e.sum()


def _entries(cex: dict, name: str, c: int) -> np.ndarray:
    return np.array([float(sp.Rational(cex[f"{name}_{m}"])) for m in range(1, c + 1)])


@pytest.fixture(scope="module")
def verifier() -> Verifier:
    with Verifier() as v:
        yield v


@pytest.mark.parametrize("lhs, rhs", [
    (sp.Derivative(sp.log(SUM_EXP), z[k]), sp.exp(z[k]) / SUM_EXP),          # the softmax
    (sp.Derivative(sp.Sum(w[i] ** 2, (i, 1, C)), w[k]), 2 * w[k]),
], ids=["d log-sum-exp", "d sum of squares"])
def test_a_true_step_about_a_family_is_numeric_by_instances(verifier: Verifier, lhs, rhs) -> None:
    got = verifier.verify_step(Step(lhs, Rel.EQ, rhs, Justification("given"), ()), {C: POSITIVE_INTEGER, k: REAL})
    assert (got.status, got.method) == ("numeric", INSTANCES), got


def test_a_false_gradient_fails_at_an_entry(verifier: Verifier) -> None:
    step = Step(sp.Derivative(sp.log(SUM_EXP), z[k]), Rel.EQ, sp.exp(z[k]) / SUM_EXP ** 2, Justification("given"), ())
    got = verifier.verify_step(step, {C: POSITIVE_INTEGER, k: REAL})
    assert (got.status, got.method) == ("failed", "instances"), got
    cex = got.counterexample
    c, kk = int(cex["C"]), int(cex["k"])                # whole numbers: a size and an entry
    assert 1 <= kk <= c
    zs = _entries(cex, "z", c)
    p = _softmax(zs)
    assert abs(p[kk - 1] - p[kk - 1] / np.exp(zs).sum()) > 1e-6       # numpy: the sides differ there


def test_the_square_of_a_sum_fails_at_entries(verifier: Verifier) -> None:
    step = Step(sp.Sum(w[i] ** 2, (i, 1, C)), Rel.EQ, sp.Sum(w[i], (i, 1, C)) ** 2, Justification("given"), ())
    got = verifier.verify_step(step, {C: POSITIVE_INTEGER})
    assert (got.status, got.method) == ("failed", "instances"), got
    ws = _entries(got.counterexample, "w", int(got.counterexample["C"]))
    assert abs((ws ** 2).sum() - ws.sum() ** 2) > 1e-6


# --------------------------------------------------------------------------- #
# derive.verify.zeros: a side that holds 1/0 is undefined there, even where SymPy keeps the zoo
# inside a function (sign(zoo), erf(zoo)) and the two sides then cancel to 0
# (x__equal_at__mutmut_5 dropped zoo from the test: sign(1/x) = sign(1/x) "held" at x = 0).

from derive.verify.zeros import _equal_at      # noqa: E402


@pytest.mark.parametrize("a, b", [
    (sp.sign(1 / x), sp.sign(1 / x)),
    (sp.Heaviside(1 / x), sp.Heaviside(1 / x)),
    (x + sp.erf(1 / x), sp.erf(1 / x)),
    (sp.gamma(1 / x), sp.gamma(1 / x) + x),
])
def test_sides_undefined_at_the_point_are_never_equal_there(a, b) -> None:
    assert (1 / x).subs(x, 0) is sp.zoo
    assert _equal_at(a, b, x, sp.Integer(0)) is False
    assert _equal_at(a, b, x, sp.Integer(2)) is (sp.simplify(a.subs(x, 2) - b.subs(x, 2)) == 0)


# --------------------------------------------------------------------------- #
# derive.verify.symbolic._peel_sums: sums whose bounds differ by whole numbers are aligned also
# when the bounds are symbols (x__peel_sums__mutmut_31 compared a + lo0, not a - lo0, and left
# such steps numeric).  Each true row is also summed term by term at a few values (brute force).

a_ = sp.Symbol("a", integer=True, positive=True)
n_ = sp.Symbol("n", integer=True, positive=True)
m_ = sp.Symbol("i", integer=True)
PEELED = [
    (sp.Sum(1 / m_**2, (m_, a_, a_ + n_)), 1 / a_**2 + sp.Sum(1 / m_**2, (m_, a_ + 1, a_ + n_))),
    (sp.Sum(sp.sin(m_), (m_, a_, a_ + n_ + 1)),
     sp.sin(a_) + sp.Sum(sp.sin(m_), (m_, a_ + 1, a_ + n_)) + sp.sin(a_ + n_ + 1)),
    (sp.Sum(sp.sin(m_), (m_, 1, n_)), sp.sin(1) + sp.Sum(sp.sin(m_), (m_, 2, n_))),
]


def _brute(e: sp.Basic, values: dict) -> float:
    import math

    def term_sum(s: sp.Sum) -> float:
        var, lo, hi = s.limits[0]
        f = sp.lambdify(var, s.function, "math")
        return math.fsum(f(t) for t in range(int(lo.subs(values)), int(hi.subs(values)) + 1))
    return float(e.xreplace({s: sp.Float(term_sum(s), 30) for s in e.atoms(sp.Sum)}).subs(values))


@pytest.mark.parametrize("lhs, rhs", PEELED, ids=["1/i^2 from a", "sin i from a, both ends", "sin i from 1"])
def test_boundary_terms_are_split_off_symbolic_bounds(verifier: Verifier, lhs, rhs) -> None:
    for values in ({a_: 1, n_: 1}, {a_: 3, n_: 4}, {a_: 7, n_: 2}):
        assert abs(_brute(lhs, values) - _brute(rhs, values)) < 1e-12
    got = verifier.verify_step(Step(lhs, Rel.EQ, rhs, Justification("given"), ()),
                               {a_: POSITIVE_INTEGER, n_: POSITIVE_INTEGER})
    assert (got.status, got.method) == ("proved", "split off boundary terms"), got


def test_a_missing_boundary_term_is_refuted(verifier: Verifier) -> None:
    lhs, rhs = sp.Sum(sp.sin(m_), (m_, a_, a_ + n_ + 1)), sp.sin(a_) + sp.Sum(sp.sin(m_), (m_, a_ + 1, a_ + n_))
    got = verifier.verify_step(Step(lhs, Rel.EQ, rhs, Justification("given"), ()),
                               {a_: POSITIVE_INTEGER, n_: POSITIVE_INTEGER})
    assert got.status == "failed", got
    at = {a_: int(got.counterexample["a"]), n_: int(got.counterexample["n"])}
    assert abs(_brute(lhs, at) - _brute(rhs, at)) > 1e-6          # sin(a + n + 1) is missing
