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
