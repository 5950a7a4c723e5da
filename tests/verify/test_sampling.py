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
