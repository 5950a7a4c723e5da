"""Large values of the symbols the sampler keeps small (derive/verify/large.py).

Equations meet large integers too: ``\\lfloor n / 10^4 \\rfloor = 0`` holds at every
integer the sampler draws (up to about 1000) and fails from n = 10^4 on.  Each
counterexample is checked by exact integer arithmetic (Python's ``//``), independent of
derive and of mpmath.
"""
from __future__ import annotations

import pytest
import sympy as sp

from derive.domains import POSITIVE_INTEGER, REAL
from derive.step import Justification, Rel, Step, Verdict
from derive.verify import large as L
from derive.verify.job import _Job

n = sp.Symbol("n", integer=True, positive=True)
k = sp.Symbol("k", integer=True)
x = sp.Symbol("x", real=True)


def job(lhs, rel, rhs, domains=((n, POSITIVE_INTEGER),)) -> _Job:
    return _Job(sp.sympify(lhs), rel, sp.sympify(rhs), tuple(domains), None, 1, 6, 24, 40)


@pytest.mark.parametrize("lhs, rhs, at", [
    (sp.floor(n / 10**4), 0, 10**4),
    (sp.floor(n / 10**5) + n, n, 10**5),
    (sp.Min(n, 3000), n, 10**4),
    (2**n % 1000 + 0 * n, 2**n % 1000, None),          # both sides the same: no failure
])
def test_equations_meet_large_integers(lhs, rhs, at):
    v = L.large_points(job(lhs, Rel.EQ, rhs))
    if at is None:
        assert v is None
        return
    assert isinstance(v, Verdict) and (v.status, v.method) == ("failed", "numeric")
    assert v.counterexample == {"n": str(at)}
    # independent: exact integer arithmetic at the counterexample
    m = int(v.counterexample["n"])
    value = {sp.floor(n / 10**4): m // 10**4, sp.floor(n / 10**5) + n: m // 10**5 + m, sp.Min(n, 3000): min(m, 3000)}
    assert value[lhs] != m if rhs == n else value[lhs] != rhs


@pytest.mark.parametrize("lhs, rhs", [
    (sp.floor(n / 2) + sp.ceiling(n / 2), n),           # true at every n
    (sp.Sum(sp.floor(k / 5000), (k, 1, n)), 0),        # a family's sum keeps the small points' verdict
    (sp.floor(x / 10**4), 0),                           # no integer symbol
])
def test_no_large_failure(lhs, rhs):
    doms = ((n, POSITIVE_INTEGER),) if lhs.has(n) else ((x, REAL),)
    assert L.large_points(job(lhs, Rel.EQ, rhs, doms)) is None


def test_an_inequality_that_cannot_be_evaluated_large_is_still_unknown():
    v = L.large_points(job(sp.Sum(sp.floor(k / 5000), (k, 1, n)), Rel.LE, 0))
    assert (v.status, v.method) == ("unknown", "numeric")
    assert v.message == "holds at the points tried, but could not be evaluated where n is large"


@pytest.mark.parametrize("lhs, rhs, ok", [
    (sp.floor(n / 10**4), 0, False),
    (sp.floor(n / 10**4) * 0, 0, True),
    (sp.floor(n / 2) + sp.ceiling(n / 2), n, True),
])
def test_through_the_verifier(verifier, lhs, rhs, ok):
    v = verifier.verify_step(Step(lhs, Rel.EQ, rhs, Justification("test")), {n: POSITIVE_INTEGER})
    assert v.ok is ok and (ok or v.counterexample == {"n": "10000"})


# --------------------------------------------------------------------------- #
# inequalities with a sum: beyond 10^6, and where the closed form crosses (#8, A15)
# --------------------------------------------------------------------------- #

#: (summand, relation, bound, brute force of the sum at m): the sum's own terms, added one by one
SUM_BOUNDS = [
    (k, Rel.LT, sp.Integer(10) ** 12, lambda m: sum(range(1, m + 1))),
    (k, Rel.LE, 5 * sp.Integer(10) ** 11 + 10**6, lambda m: sum(range(1, m + 1))),
    (k**2, Rel.LT, sp.Integer(10) ** 19, lambda m: sum(i * i for i in range(1, m + 1))),
]


@pytest.mark.parametrize("summand, rel, bound, brute", SUM_BOUNDS)
def test_a_sum_bound_that_holds_up_to_a_million_fails_beyond(summand, rel, bound, brute):
    v = L.large_points(job(sp.Sum(summand, (k, 1, n)), rel, bound))
    assert (v.status, v.method) == ("failed", "numeric")
    assert v.message.startswith("sides differ: ")
    m = int(v.counterexample["n"])
    holds = {Rel.LT: lambda a: a < bound, Rel.LE: lambda a: a <= bound}[rel]
    assert not holds(brute(m))           # independent: the sum added term by term
    assert holds(brute(m - 1))           # the first n where it fails: the crossing was found
    assert holds(brute(10**6))           # which no value of LARGE shows


@pytest.mark.parametrize("lhs, rel, rhs", [
    (sp.Sum(k, (k, 1, n)), Rel.LE, n * (n + 1) / 2),
    (sp.Sum(1 / k, (k, 1, n)), Rel.LT, sp.log(n) + 1 + sp.Rational(1, 1000)),
    (sp.Sum(1 / k, (k, 1, n)), Rel.GT, sp.log(n)),
    (sp.Sum(k, (k, 1, n)), Rel.LT, n**2),
])
def test_true_sum_bounds_have_no_large_failure(lhs, rel, rhs):
    assert L.large_points(job(lhs, rel, rhs)) is None


def test_the_sum_bound_through_the_verifier(verifier):
    v = verifier.verify_step(Step(sp.Sum(k, (k, 1, n)), Rel.LT, sp.Integer(10) ** 12, Justification("test")),
                             {n: POSITIVE_INTEGER})
    assert (v.status, v.counterexample) == ("failed", {"n": "1414214"})
    assert 1414214 * 1414215 // 2 >= 10**12 > 1414213 * 1414214 // 2


@pytest.mark.parametrize("power, bound, ok", [
    (2, sp.Rational(16, 10), False),        # sum 1/k^2 passes 1.6 from n = 23 on (pi^2/6 = 1.6449)
    (2, sp.pi**2 / 6, True),
    (3, sp.Rational(601, 500), False),      # zeta(3) = 1.2020569 > 1.202
    (3, sp.Rational(6, 5) + sp.Rational(1, 400), True),
])
def test_a_sum_of_inverse_powers_is_evaluated_large(power, bound, ok):
    # the closed form is harmonic(n, m), which mpmath has no function for (large._harmonic)
    v = L.large_points(job(sp.Sum(1 / k**power, (k, 1, n)), Rel.LT, bound))
    if ok:
        assert v is None
        return
    assert (v.status, v.method) == ("failed", "numeric")
    m = int(v.counterexample["n"])
    brute = sum(1.0 / i**power for i in range(1, m + 1))        # independent: the terms added as floats
    assert brute >= float(bound)


@pytest.mark.parametrize("rel, l, r, want", [
    # a tie: holds for <= and >=, undecided (None) for < and >
    (Rel.LE, 5, 5, True), (Rel.GE, 5, 5, True), (Rel.LT, 5, 5, None), (Rel.GT, 5, 5, None),
    (Rel.LT, 5, 6, True), (Rel.GT, 6, 5, True), (Rel.LE, 6, 5, False), (Rel.GE, 5, 6, False),
    (Rel.LT, 6, 5, False), (Rel.GT, 5, 6, False), (Rel.EQ, 5, 5, True), (Rel.EQ, 5, 6, False),
])
def test_holds_at_large_values_keeps_strict_and_non_strict_apart(rel, l, r, want):
    import mpmath
    assert L._holds(rel, mpmath.mpf(l), mpmath.mpf(r), 1e-26, 40) is want


@pytest.mark.parametrize("lhs, rel, rhs, want", [
    # equal at every large n: a non-strict inequality holds there
    (sp.floor(n / 2) + sp.ceiling(n / 2), Rel.GE, n, None),
    (sp.Min(n, 1000), Rel.LE, 1000, None),
])
def test_large_ties_of_inequalities(lhs, rel, rhs, want):
    v = L.large_points(job(lhs, rel, rhs))
    assert (v if v is None else (v.status, v.method)) == want
