r"""derive.verify.emptysums: a sum whose upper bound is below its lower bound is empty (0),
never SymPy's Karr value (``\sum_{k=1}^{n} 1 = n`` for every integer n)."""
from __future__ import annotations

import pytest
import sympy as sp

from derive.check import check_text
from derive.domains import INTEGER, NONNEGATIVE_INTEGER, POSITIVE_INTEGER, Domain
from derive.step import Rel
from derive.verify.emptysums import counterexample, crossing, explicit, refute
from derive.verify.job import _Job

k = sp.Symbol("k", integer=True)
n = sp.Symbol("n", integer=True)
m = sp.Symbol("m", integer=True)


def _job(lhs, rel, rhs, **doms: Domain) -> _Job:
    """The job with each symbol carrying its domain's assumptions (as the parser makes them)."""
    swap = {sp.Symbol(name, integer=True): sp.Symbol(name, **d.assumptions()) for name, d in doms.items()}
    domains = tuple((swap[sp.Symbol(name, integer=True)], d) for name, d in doms.items())
    return _Job(sp.sympify(lhs).xreplace(swap), rel, sp.sympify(rhs).xreplace(swap), domains, None, 1, 10, 10, 15)


def _empty(lo: int, hi: int, f) -> sp.Basic:
    """The written value: terms from lo to hi, none when hi < lo (brute force)."""
    return sum((f(sp.Integer(i)) for i in range(lo, hi + 1)), sp.S.Zero)


@pytest.mark.parametrize("dom, lengths", [
    (INTEGER, [n]),
    (POSITIVE_INTEGER, []),
    (NONNEGATIVE_INTEGER, []),
])
def test_a_sum_may_be_empty_unless_its_bound_is_known_large_enough(dom, lengths) -> None:
    got = crossing(_job(sp.Sum(1, (k, 1, n)), Rel.EQ, n, n=dom))
    assert [str(e) for e in got] == [str(e) for e in lengths]


@pytest.mark.parametrize("lhs, rhs, point", [
    (sp.Sum(1, (k, 1, n)), n, {"n": "-1"}),
    (sp.Sum(k, (k, 1, n)), n * (n + 1) / 2, {"n": "-2"}),
    (sp.Sum(1, (k, m, n)), n - m + 1, {"m": "0", "n": "-2"}),
])
def test_karr_identities_fail_where_the_sum_is_empty(lhs, rhs, point) -> None:
    got = refute(_job(lhs, Rel.EQ, rhs, n=INTEGER, m=INTEGER))
    assert (got.status, got.method, got.counterexample) == ("failed", "empty sum", point)
    # independently: the written sum is 0 there, the other side is not
    at = {sp.Symbol(s, integer=True): int(v) for s, v in point.items()}
    lo, hi = (int(sp.sympify(e).xreplace(at)) for e in lhs.limits[0][1:])
    assert _empty(lo, hi, lambda i: lhs.function.xreplace({k: i})) == 0 != rhs.xreplace(at)


def test_a_sum_that_is_never_negative_has_no_counterexample() -> None:
    job = _job(sp.Sum(1, (k, 1, n)), Rel.GE, sp.S.Zero, n=INTEGER)
    assert counterexample(job, crossing(job)) is None


def test_the_explicit_form_is_zero_where_the_sum_is_empty() -> None:
    job = explicit(_job(sp.Sum(k, (k, 1, n)), Rel.EQ, n, n=INTEGER))
    for v in range(-4, 5):
        assert job.lhs.xreplace({n: v}).doit() == _empty(1, v, lambda i: i)


@pytest.mark.parametrize("src, verdicts", [
    (r"% derive: assume n \in \mathbb{Z}" "\n" r"$$\sum_{k=1}^{n} 1 = n$$", ["invalid"]),
    (r"% derive: assume n \in \mathbb{Z}" "\n" r"$$\sum_{k=1}^{n} k = \frac{n(n+1)}{2}$$", ["invalid"]),
    (r"% derive: assume n \in \mathbb{Z}, m \in \mathbb{Z}" "\n" r"$$\sum_{k=m}^{n} 1 = n - m + 1$$", ["invalid"]),
    (r"% derive: assume n \in \mathbb{Z}" "\n" r"$$\sum_{k=1}^{n} 1 \ge 0$$", ["valid"]),
    (r"% derive: assume n \in \mathbb{Z}, n \ge 0" "\n" r"$$\sum_{k=1}^{n} k = \frac{n(n+1)}{2}$$", ["valid"]),
    # an undeclared upper limit is a count (a positive integer)
    (r"$$\sum_{k=1}^{n} k = \frac{n(n+1)}{2}$$", ["valid"]),
])
def test_checked_sums_with_an_integer_bound(src: str, verdicts: list[str]) -> None:
    assert [s.verdict for s in check_text(src).steps] == verdicts


def test_the_counterexample_is_the_nearest_empty_sum() -> None:
    (s,) = check_text(r"% derive: assume n \in \mathbb{Z}" "\n" r"$$\sum_{k=1}^{n} 1 = n$$").steps
    assert s.message.startswith("a sum is empty here (value 0): 0 vs -1")
