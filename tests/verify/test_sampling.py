"""Sample points cover the whole declared domain, not one small window of it."""
from __future__ import annotations

import random

import pytest
import sympy as sp

from derive import domains as D
from derive.step import Justification, Rel, Step
from derive.verify import Verifier
from derive.verify.sampling import _rat, points, strata

x = sp.Symbol("x")


def values(dom: D.Domain, n: int = 60, expr=None) -> list[sp.Rational]:
    job = Verifier().job(Step(expr if expr is not None else x, Rel.EQ, 0, Justification("t")), {x: dom})
    return [p[x] for p in points(job, random.Random(7), n)]


def test_an_unconstrained_real_gets_every_magnitude_of_both_signs():
    vs = values(D.REAL)
    assert any(v > 10**4 for v in vs) and any(v < -10**4 for v in vs)
    assert any(0 < v < sp.Rational(1, 50) for v in vs) and any(-sp.Rational(1, 50) < v < 0 for v in vs)
    assert any(abs(v - 1) < sp.Rational(1, 50) and v != 1 for v in vs)
    assert any(abs(v + 1) < sp.Rational(1, 50) and v != -1 for v in vs)
    assert max(abs(v) for v in vs) <= 10**6 and min(abs(v) for v in vs) >= sp.Rational(1, 10**3) * sp.Rational(99, 100)


def test_a_positive_symbol_gets_the_same_magnitudes_and_stays_positive():
    vs = values(D.POSITIVE)
    assert all(v > 0 for v in vs)
    assert any(v > 10**4 for v in vs) and any(v < sp.Rational(1, 50) for v in vs)


def test_a_closed_end_is_sampled_exactly():
    assert 0 in values(D.NONNEGATIVE)
    assert all(v >= 0 for v in values(D.NONNEGATIVE))


@pytest.mark.parametrize("dom, lo, hi", [(D.UNIT_INTERVAL, 0, 1), (D.Domain("(-1, 1)", lo=-1.0, hi=1.0), -1, 1)])
def test_a_bounded_symbol_gets_points_near_both_ends(dom, lo, hi):
    vs = values(dom)
    assert all(lo < v < hi for v in vs)
    assert any(v - lo < sp.Rational(1, 100) for v in vs) and any(hi - v < sp.Rational(1, 100) for v in vs)


def test_integers_are_small_and_large():
    vs = values(D.POSITIVE_INTEGER)
    assert all(v.is_Integer and v >= 1 for v in vs)
    assert 1 in vs and any(v >= 100 for v in vs) and any(v <= 6 for v in vs)
    signed = values(D.INTEGER)
    assert any(v < -50 for v in signed) and any(v > 50 for v in signed)


def test_a_bound_of_a_sum_stays_small():
    k = sp.Symbol("k", integer=True)
    vs = values(D.POSITIVE_INTEGER, expr=sp.Sum(k, (k, 1, x)))
    assert all(1 <= v <= 7 for v in vs)


def test_the_first_points_are_moderate():
    job = Verifier().job(Step(x, Rel.EQ, 0, Justification("t")), {x: D.REAL})
    first = [p[x] for p in points(job, random.Random(3), 2)]
    assert all(sp.Rational(1, 100) < abs(v) < 5 for v in first)


@pytest.mark.parametrize("value, expected", [
    (1234.5678, sp.Integer(1235)), (0.0012346, sp.Rational(1235, 10**6)), (-2.5, sp.Rational(-5, 2)),
    (987654.3, sp.Integer(987700)),
])
def test_rationals_keep_four_significant_digits(value, expected):
    assert _rat(value) == expected


def test_every_stratum_of_a_real_is_named():
    assert [s.name for s in strata(D.REAL)] == ["moderate", "near 0", "near ±1", "large", "medium"]


# --------------------------------------------------------------------------- #
# each stratum draws inside its own range (many seeds), names pinned
# --------------------------------------------------------------------------- #

R = sp.Rational
SEEDS = range(40)


def draws(dom: D.Domain, name: str, **kw) -> list[sp.Expr]:
    (st,) = [st for st in strata(dom, **kw) if st.name == name]
    return [st.draw(random.Random(seed)) for seed in SEEDS]


def between(vs, lo, hi) -> bool:
    return all(lo <= v <= hi for v in vs)


@pytest.mark.parametrize("dom, kw, names", [
    (D.POSITIVE, {}, ["moderate", "near the end", "near 1", "large", "medium"]),
    (D.NONNEGATIVE, {}, ["moderate", "near the end", "near 1", "large", "medium", "the closed end"]),
    (D.Domain("h", hi=2.0), {}, ["moderate", "near the end", "near 1", "large", "medium"]),
    (D.UNIT_INTERVAL, {}, ["middle", "near the lower end", "near the upper end"]),
    (D.Domain("b", lo=0.0, hi=1.0, closed_lo=True), {}, ["middle", "near the lower end", "near the upper end",
                                                         "the closed end"]),
    (D.INTEGER, {}, ["small", "moderate", "large"]),
    (D.INTEGER, {"small": True}, ["small", "zero"]),
    (D.POSITIVE_INTEGER, {}, ["small", "the least", "moderate", "large"]),
    (D.POSITIVE_INTEGER, {"small": True}, ["small", "the least"]),
    (D.REAL, {"capped": True}, ["moderate", "near 0", "near ±1", "medium"]),
    (D.POSITIVE, {"capped": True}, ["moderate", "near the end", "near 1", "medium"]),
])
def test_strata_names(dom, kw, names):
    assert [st.name for st in strata(dom, **kw)] == names


@pytest.mark.parametrize("name, lo, hi, both_signs", [
    ("moderate", R(2, 10), 3, True),
    ("near 0", R(1, 1000), R(1, 10), True),
    ("near ±1", 1 - R(1, 10), 1 + R(1, 10), True),
    ("large", R(3162, 1000), 10**6, True),
    ("medium", 3, 12, True),
])
def test_real_strata_ranges(name, lo, hi, both_signs):
    vs = draws(D.REAL, name)
    assert between([abs(v) for v in vs], lo * R(999, 1000), hi * R(1001, 1000))
    assert any(v < 0 for v in vs) and any(v > 0 for v in vs)
    assert all(v.is_Rational for v in vs)


@pytest.mark.parametrize("dom, name, lo, hi", [
    (D.POSITIVE, "moderate", R(2, 10), 3),
    (D.POSITIVE, "near the end", R(1, 1000), R(1, 10)),
    (D.POSITIVE, "near 1", 1 - R(1, 10), 1 + R(1, 10)),
    (D.POSITIVE, "large", R(3162, 1000), 10**6),
    (D.POSITIVE, "medium", 3, 12),
    (D.Domain("x > 2", lo=2.0), "moderate", 2 + R(2, 10), 5),
    (D.Domain("x > 2", lo=2.0), "near the end", 2 + R(1, 1000), 2 + R(1, 10)),
    (D.Domain("x > 2", lo=2.0), "large", 2 + R(3162, 1000), 2 + 10**6),
    (D.Domain("x < 2", hi=2.0), "moderate", -1, 2 - R(2, 10)),
    (D.Domain("x < 2", hi=2.0), "near the end", 2 - R(1, 10), 2 - R(1, 1000)),
    (D.Domain("x < 2", hi=2.0), "near 1", 2 - 1 - R(1, 10), 2 - 1 + R(1, 10)),
    (D.Domain("x < 2", hi=2.0), "medium", 2 - 12, 2 - 3),
])
def test_half_bounded_strata_ranges(dom, name, lo, hi):
    vs = draws(dom, name)
    assert between(vs, lo - R(1, 1000) * abs(lo), hi + R(1, 1000) * abs(hi))
    assert all(dom.contains(v) for v in vs)


def test_a_closed_end_is_the_exact_end():
    assert set(draws(D.NONNEGATIVE, "the closed end")) == {0}
    assert set(draws(D.Domain("x >= 2", lo=2.0, closed_lo=True), "the closed end")) == {2}
    assert set(draws(D.Domain("b", lo=0.5, hi=1.0, closed_lo=True), "the closed end")) == {R(1, 2)}


@pytest.mark.parametrize("name, lo, hi", [
    ("middle", 1 + R(2, 100) * 2, 3 - R(2, 100) * 2),
    ("near the lower end", 1 + 2 * R(1, 10**4), 1 + 2 * R(5, 100)),
    ("near the upper end", 3 - 2 * R(5, 100), 3 - 2 * R(1, 10**4)),
])
def test_bounded_strata_ranges(name, lo, hi):
    vs = draws(D.Domain("b", lo=1.0, hi=3.0), name)
    assert between(vs, lo * R(999, 1000), hi * R(1001, 1000))


@pytest.mark.parametrize("dom, kw, name, values", [
    (D.INTEGER, {}, "small", set(range(-6, 7))),
    (D.INTEGER, {"small": True}, "zero", {0}),
    (D.INTEGER, {}, "moderate", set(range(7, 41)) | set(range(-40, -6))),
    (D.INTEGER, {}, "large", set(range(100, 1001)) | set(range(-1000, -99))),
    (D.POSITIVE_INTEGER, {}, "small", set(range(1, 8))),
    (D.POSITIVE_INTEGER, {}, "the least", {1}),
    (D.POSITIVE_INTEGER, {}, "moderate", set(range(8, 42))),
    (D.POSITIVE_INTEGER, {}, "large", set(range(101, 1002))),
    (D.Domain("n > 2", lo=2, integer=True), {}, "the least", {3}),
    (D.integer_at_least(3), {}, "the least", {3}),
])
def test_integer_strata_ranges(dom, kw, name, values):
    vs = draws(dom, name, **kw)
    assert set(vs) <= values and all(v.is_Integer for v in vs)


@pytest.mark.parametrize("value, expected", [
    (0, R(1, 7)), (5, 5), (1e-30, R(1, 10**30)), (0.99995, 1), (-98765432.1, -98770000),
    (0.000123456, R(247, 2000000)),
])
def test_rat_more(value, expected):
    assert _rat(value) == expected


def test_exponents_and_bounds_of_sums_are_found():
    from derive.verify.sampling import _limit_symbols, exponent_symbols
    n, k, y = sp.Symbol("n", integer=True), sp.Symbol("k", integer=True), sp.Symbol("y")
    assert exponent_symbols(x**n + y**2, 3) == {n}
    assert exponent_symbols(sp.exp(x)) == set()           # exp is a function, not a power
    assert _limit_symbols(sp.Sum(k, (k, y, n)), sp.Product(k, (k, 1, x))) == {y, n, x}
    assert _limit_symbols(3, x) == set()


def test_an_exponent_symbol_gets_no_large_values():
    n = sp.Symbol("n", positive=True)
    job = Verifier().job(Step(x**n, Rel.EQ, 0, Justification("t")), {x: D.REAL, n: D.POSITIVE})
    vs = [p[n] for p in points(job, random.Random(1), 60)]
    assert max(vs) <= 13 and any(v > 3 for v in vs)


def test_labels_of_indexed_arrays_are_not_symbols_to_sample():
    from derive.verify.sampling import step_symbols
    a = sp.IndexedBase("a")
    i = sp.Symbol("i", integer=True)
    job = Verifier().job(Step(a[i] + x, Rel.EQ, 0, Justification("t")), {})
    assert step_symbols(job) == [i, x]


def test_moderate_first_points_and_sample():
    from derive.verify.sampling import _counterexample, _sample
    n = sp.Symbol("n", integer=True, positive=True)
    job = Verifier().job(Step(x + n, Rel.EQ, 0, Justification("t")), {x: D.REAL, n: D.POSITIVE_INTEGER})
    first = list(points(job, random.Random(3), 3, moderate_first=3))
    assert all(R(2, 10) <= abs(p[x]) <= 3 and 1 <= p[n] <= 7 for p in first)
    one = _sample(job, random.Random(3))
    assert set(one) == {n, x}
    assert _counterexample({x: R(1, 2), n: sp.Integer(3)}) == {"x": "1/2", "n": "3"}


@pytest.mark.parametrize("dom, least", [
    (D.Domain("n", lo=2.5, integer=True, closed_lo=True), 3),   # >= 5/2: int(2.5) = 2 lies outside
    (D.Domain("n", lo=2.5, integer=True), 3),
    (D.Domain("n", lo=2, integer=True), 3),
    (D.POSITIVE_INTEGER, 1),
])
def test_integer_draws_stay_inside_a_fractional_bound(dom, least):
    from derive.verify.sampling import _first_integers, _least_integer, strata

    rng = random.Random(0)
    assert _least_integer(dom) == least and _first_integers(dom, False)[0] == least
    assert min(st.draw(rng) for st in strata(dom) for _ in range(50)) == least


# The first integers an integer symbol walks through, every one (mutation testing: a walk of
# 0, +-1, ..., +-4 instead of +-6 went unnoticed).  Reference: the integers of the domain by
# absolute value (unbounded) or from the least one (bounded below), counted by hand.
@pytest.mark.parametrize("dom, small, want", [
    (D.Domain("n", integer=True), False, (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6)),
    (D.Domain("n", integer=True), True, (0, 1, -1, 2, -2, 3, -3)),
    (D.Domain("n", lo=0, closed_lo=True, hi=5, integer=True), False, (0, 1, 2, 3, 4)),
    (D.Domain("n", lo=0, integer=True), True, (1, 2, 3, 4, 5, 6, 7)),
    (D.Domain("x"), False, ()),
])
def test_first_integers_are_every_small_integer_of_the_domain(dom: D.Domain, small: bool, want: tuple) -> None:
    from derive.verify.sampling import _first_integers
    got = _first_integers(dom, small)
    assert got == want
    assert all(dom.contains(v) is True for v in got)
