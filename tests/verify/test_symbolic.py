"""Symbolic strategies (derive/verify/symbolic.py): which strategy proves what, exactly."""
from __future__ import annotations

import pytest
import sympy as sp

from derive import domains as D
from derive import notation as nt
from derive.verify import symbolic as S

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
s = D.POSITIVE.symbol("s")
t = D.POSITIVE.symbol("t")
n = sp.Symbol("n", integer=True, positive=True)
k = sp.Symbol("k", integer=True)
R = sp.Rational


@pytest.mark.parametrize("dom, expected", [
    (D.REAL, sp.Interval(-sp.oo, sp.oo)),
    (D.POSITIVE, sp.Interval.open(0, sp.oo)),
    (D.NONNEGATIVE, sp.Interval(0, sp.oo)),
    (D.UNIT_INTERVAL, sp.Interval.open(0, 1)),
    (D.Domain("b", lo=1.0, hi=3.0, closed_lo=True), sp.Interval.Ropen(1, 3)),
    (D.Domain("h", hi=2.0), sp.Interval.open(-sp.oo, 2)),
    (D.INTEGER, sp.S.Integers),
    (D.POSITIVE_INTEGER, sp.Range(1, sp.oo)),
    (D.NONNEGATIVE_INTEGER, sp.Range(0, sp.oo)),
    # integers inside an open or non-integer bound: none outside the domain (a counterexample
    # drawn from the set must fit the declaration)
    (D.Domain("n", lo=2.5, integer=True), sp.Range(3, sp.oo)),
    (D.Domain("n", lo=2.5, integer=True, closed_lo=True), sp.Range(3, sp.oo)),
    (D.Domain("n", lo=2, integer=True), sp.Range(3, sp.oo)),
    (D.Domain("n", lo=0, hi=5, integer=True, closed_lo=True), sp.Range(0, 5)),
    (D.Domain("n", lo=0, hi=4.5, integer=True, closed_lo=True), sp.Range(0, 5)),
    (D.Domain("n", hi=4.5, integer=True), sp.Range(-sp.oo, 5)),
])
def test_interval(dom, expected):
    assert S._interval(dom) == expected


@pytest.mark.parametrize("cond, declared, expected", [
    (x > 0, {x: D.POSITIVE}, sp.true),
    (x < 0, {x: D.POSITIVE}, sp.false),
    (x >= 0, {x: D.NONNEGATIVE}, sp.true),
    (x > 0, {x: D.NONNEGATIVE}, x > 0),          # false only at the closed end
    (x > 1, {x: D.POSITIVE}, x > 1),             # undecided
    (x * y > 0, {}, x * y > 0),                  # two symbols
    (sp.true, {}, sp.true), (sp.false, {}, sp.false),
])
def test_decide(cond, declared, expected):
    assert S._decide(cond, declared) == expected


@pytest.mark.parametrize("e, declared, expected", [
    (sp.Piecewise((x, x > 0), (-x, True)), {x: D.POSITIVE}, x),
    (sp.Piecewise((x, x < 0), (-x, True)), {x: D.POSITIVE}, -x),
    (sp.Piecewise((x, x < 0)), {x: D.POSITIVE}, sp.nan),
    (sp.Piecewise((x, x > 1), (0, True)), {x: D.POSITIVE}, sp.Piecewise((x, x > 1), (0, True))),
    (sp.Piecewise((x, x > 1), (0, x < 0), (1, True)), {x: D.POSITIVE}, sp.Piecewise((x, x > 1), (1, True))),
    (x + 1, {}, x + 1),
])
def test_resolve_piecewise(e, declared, expected):
    assert S._resolve_piecewise(e, declared) == expected


def test_linear_parts():
    assert S._linear_parts(sp.Integral(2 * x * y + 3, (x, 0, 1))) == \
        2 * y * sp.Integral(x, (x, 0, 1)) + 3 * sp.Integral(1, (x, 0, 1))
    assert S._linear_parts(sp.Sum(2 * k + y, (k, 1, n))) == y * sp.Sum(1, (k, 1, n)) + 2 * sp.Sum(k, (k, 1, n))
    assert S._linear_parts(x + 1) == x + 1


def test_peel_sums_splits_off_boundary_terms():
    assert S._peel_sums(sp.Sum(k**2, (k, 1, n)) - sp.Sum(k**2, (k, 1, n - 1))) == n**2
    got = S._peel_sums(sp.Sum(k, (k, 0, n)) + sp.Sum(k, (k, 2, n + 1)))
    (inner,) = got.atoms(sp.Sum)
    idx = inner.limits[0][0]
    assert inner.limits[0][1:] == (2, n) and inner.function == idx
    assert sp.expand(got - 2 * inner) == n + 2          # 0 + 1 from the first, n + 1 from the second
    lone = sp.Sum(k, (k, 0, n))
    assert S._peel_sums(lone) == lone
    # bounds that differ by a symbol cannot be aligned
    far = sp.Sum(k, (k, 0, n)) - sp.Sum(k, (k, 0, y))
    got = S._peel_sums(far)
    assert sorted(str(m.limits[0][1:]) for m in got.atoms(sp.Sum)) == ["(0, n)", "(0, y)"]
    assert len(sp.Add.make_args(got)) == 2
    # more than 50 boundary terms are not written out
    wide = sp.Sum(k, (k, 0, n)) - sp.Sum(k, (k, 0, n + 60))
    got = S._peel_sums(wide)
    assert sorted(str(m.limits[0][1:]) for m in got.atoms(sp.Sum)) == ["(0, n + 60)", "(0, n)"]
    # 50 boundary terms are: the sums cancel, the terms n + 1 .. n + 50 are left
    assert sp.expand(S._peel_sums(sp.Sum(k, (k, 0, n)) - sp.Sum(k, (k, 0, n + 50)))) == -(50 * n + 1275)


def test_shift_sums_starts_every_sum_at_zero():
    got = S._shift_sums(sp.Sum(k, (k, 3, n)))
    idx = S._DEPTH_INDEX[0]
    assert got == sp.Sum(idx + 3, (idx, 0, n - 3))
    nested = S._shift_sums(sp.Sum(sp.Sum(k * x, (x, 1, k)), (k, 1, n)))
    i0, i1 = S._DEPTH_INDEX[0], S._DEPTH_INDEX[1]
    assert nested == sp.Sum(sp.Sum((i0 + 1) * (i1 + 1), (i1, 0, i0)), (i0, 0, n - 1))
    assert S._shift_sums(x + 1) == x + 1
    integral = sp.Integral(sp.Sum(k, (k, 1, n)), (x, 0, 1))
    assert S._shift_sums(integral) == integral


@pytest.mark.parametrize("d, declared, expected", [
    (x - x, {}, "identical"),
    ((x + 1) ** 2 - (x**2 + 2 * x + 1), {}, "expand"),
    (1 / (x + 1) + x / (x + 1) - 1, {}, "rational simplification"),
    (sp.exp(y * sp.log(s)) - s**y, {}, "power rules"),
    (sp.Integral(2 * x + y, (x, 0, 1)) - 2 * sp.Integral(x, (x, 0, 1)) - sp.Integral(y, (x, 0, 1)), {}, "linearity"),
    (sp.Sum(k**2, (k, 1, n)) - sp.Sum(k**2, (k, 1, n - 1)) - n**2, {}, "split off boundary terms"),
    (sp.Sum(k, (k, 1, n)) - sp.Sum(k + 1, (k, 0, n - 1)), {}, "shift the summation index"),
    (sp.Sum(k, (k, 1, n)) - n * (n + 1) / 2, {}, "evaluate sums and integrals"),
    (sp.cosh(x) - (sp.exp(x) + sp.exp(-x)) / 2, {}, "exponential form"),
    (sp.gamma(x + 1) - x * sp.gamma(x), {}, "simplify"),
    (x - 1, {}, None),
    (sp.Abs(x) - x, {}, None),
    (sp.Abs(x) - x, {x: D.NONNEGATIVE}, None),   # the symbol itself carries no assumption
    (sp.Abs(s) - s, {}, "identical"),
])
def test_prove_zero(d, declared, expected):
    assert S._prove_zero(d, declared) == expected


@pytest.mark.parametrize("d, expected", [
    (nt.Sigmoid(x) - nt.Sigmoid(x), "identical"),
    ((nt.Sigmoid(x) + 1) ** 2 - (nt.Sigmoid(x) ** 2 + 2 * nt.Sigmoid(x) + 1), "expand"),
    (nt.Sigmoid(x) - 1 / (1 + sp.exp(-x)), "identical"),                   # after unfolding
    (nt.Sigmoid(x) + nt.Sigmoid(-x) - 1, "rational simplification"),
    (nt.Sigmoid(x) - x, None),
])
def test_prove_zero_with_defined_notation(d, expected):
    assert S._prove_zero(d, {}) == expected


@pytest.mark.parametrize("d, strict, declared, expected", [
    (x**2, False, {}, "sign under assumptions"),
    (x**2, True, {}, None),
    (x**2 + 1, True, {}, "sign under assumptions"),
    (x**2 - 2 * x + 1, False, {}, "factorised sign"),
    (x**2 - 2 * x + 1, True, {}, None),
    (1 - x, True, {x: D.UNIT_INTERVAL}, "reparametrised sign under assumptions"),
    (x * (1 - x), True, {x: D.UNIT_INTERVAL}, "reparametrised sign under assumptions"),
    (x - 1, True, {x: D.UNIT_INTERVAL}, None),
    ((x**2 + 2 * x + 1) / (x + 1) - x, True, {x: D.POSITIVE}, "factorised sign"),
    (sp.sin(x) ** 2 + sp.cos(x) ** 2, True, {}, "simplified sign"),
    (sp.S.Zero, False, {}, "sign under assumptions"),
    (sp.S.Zero, True, {}, None),
    (s - s, False, {}, "sign under assumptions"),
    (n - 1, False, {n: D.POSITIVE_INTEGER}, "sign under assumptions"),
    (k - 1, False, {k: D.POSITIVE_INTEGER}, "reparametrised sign under assumptions"),
    (k - 1, True, {k: D.POSITIVE_INTEGER}, None),
    (sp.Piecewise((x, x > 0), (1, True)), True, {x: D.UNIT_INTERVAL}, "reparametrised sign under assumptions"),
    ((s**2 - 1) / (s - 1) - s, True, {}, "factorised sign"),
])
def test_prove_sign(d, strict, declared, expected):
    assert S._prove_sign(d, strict, declared) == expected


def test_reparametrised_keeps_integers_integral_and_bounds_inside():
    e = S._reparametrised(x + n, {x: D.UNIT_INTERVAL, n: D.POSITIVE_INTEGER})
    (m,) = [d for d in e.free_symbols if d.name == "n_m"]
    (u,) = [d for d in e.free_symbols if d.name == "x_u"]
    assert m.is_integer and m.is_nonnegative and u.is_positive
    assert sp.simplify(e - (1 + m + u / (u + 1))) == 0
    m3 = S._reparametrised(n, {n: D.integer_at_least(3)})
    assert m3 - 3 == list(m3.free_symbols)[0]
    m_open = S._reparametrised(n, {n: D.Domain("n > 2", lo=2, integer=True)})
    assert m_open - 3 == list(m_open.free_symbols)[0]
    assert S._reparametrised(x + y, {}) == x + y
    assert S._reparametrised(k, {k: D.INTEGER}) == k
    assert S._reparametrised(n, {n: D.NONNEGATIVE_INTEGER}) == n


@pytest.mark.parametrize("l, r, tol, expected", [
    (R(1, 3), R(3333, 10000), 5e-5, "exact bound on the rounding error"),
    (R(1, 3), R(3333, 10000), 3e-5, None),
    (R(1, 3), R(1, 3) + R(1, 10**13), None, "exact bound on the rounding error"),
    (R(1, 3), R(1, 3) + R(1, 10**11), None, None),
    (R(1, 2), R(1, 2) + R(1, 10**12), None, "exact bound on the rounding error"),   # the bound is inclusive
    (R(1, 2), R(1, 2) + R(15, 10**13), None, None),
    (x, x, 1.0, None),                 # symbols: no exact bound
    (R(1, 3), x, 1.0, None),
    (sp.pi, R(314159, 100000), 5e-6, "exact bound on the rounding error"),
    (sp.pi, R(314160, 100000), 5e-6, None),
])
def test_approx_exact(l, r, tol, expected):
    assert S._approx_exact(l, r, tol) == expected
