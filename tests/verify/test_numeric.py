"""The numeric layer (derive/verify/numeric.py), function by function.

Tolerances are pinned on both sides of their edge; values are compared with
independent computations (mpmath quadrature is checked against closed forms).
"""
from __future__ import annotations

import math
import random

import pytest
import sympy as sp

from derive import domains as D
from derive import notation as nt
from derive.step import Rel
from derive.verify import numeric as N
from derive.verify.job import _Job

x = sp.Symbol("x", real=True)
a = sp.Symbol("a", real=True)
s = D.POSITIVE.symbol("s")
R = sp.Rational
F = sp.Float
f = sp.Function("f")


def job(lhs, rel, rhs, domains=(), seed=3, tol=None) -> _Job:
    return _Job(lhs, rel, rhs, tuple(domains), tol, seed, 6, 30, 40)


# --------------------------------------------------------------------------- #
# _close and _holds_at: both sides of every tolerance
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("a_, b_, tol, expected", [
    (F(1), F(1), 1e-10, True),
    (F(1), F(1) + F(0.9e-10), 1e-10, True),
    (F(1), F(1) + F(1.1e-10), 1e-10, False),
    # relative above 1: the scale is the larger magnitude
    (F(1000), F(1000) + F(0.9e-7), 1e-10, True),
    (F(1000), F(1000) + F(1.1e-7), 1e-10, False),
    (F(-1000), F(-1000) - F(0.9e-7), 1e-10, True),
    (F(-1000), F(-1000) - F(1.1e-7), 1e-10, False),
    # absolute below 1: small numbers are not compared relative to themselves
    (F(1e-12), F(2e-12), 1e-10, True),
    (F(1e-3), F(2e-3), 1e-10, False),
])
def test_close(a_, b_, tol, expected):
    assert N._close(a_, b_, tol) is expected
    assert N._close(b_, a_, tol) is expected


@pytest.mark.parametrize("rel, l, r, expected", [
    (Rel.EQ, F(2), F(2) + F(1e-12), True),
    (Rel.EQ, F(2), F(2) + F(1e-8), False),
    (Rel.LE, F(2), F(2), True),
    (Rel.LE, F(2) + F(1e-12), F(2), True),           # within slack
    (Rel.LE, F(2) + F(1e-8), F(2), False),
    (Rel.LE, F(1), F(2), True),
    (Rel.GE, F(2), F(2) + F(1e-12), True),
    (Rel.GE, F(2), F(2) + F(1e-8), False),
    (Rel.GE, F(3), F(2), True),
    (Rel.LT, F(1), F(2), True),
    (Rel.LT, F(2), F(1), False),
    (Rel.LT, F(2), F(2), None),                       # a tie: undecided here
    (Rel.LT, F(2), F(2) + F(1e-12), None),
    (Rel.LT, F(2) + F(1e-12), F(2), None),
    (Rel.LT, F(2), F(2) + F(1e-8), True),
    (Rel.LT, F(2) + F(1e-8), F(2), False),
    (Rel.GT, F(2), F(1), True),
    (Rel.GT, F(1), F(2), False),
    (Rel.GT, F(2), F(2), None),
    (Rel.GT, F(2) + F(1e-8), F(2), True),
    (Rel.GT, F(2), F(2) + F(1e-8), False),
    # the slack scales with the magnitude
    (Rel.LE, F(1000) + F(0.9e-7), F(1000), True),
    (Rel.LE, F(1000) + F(1.1e-7), F(1000), False),
    (Rel.LT, F(1000) + F(0.9e-7), F(1000), None),
    (Rel.LT, F(1000), F(1000) + F(1.1e-7), True),
    # complex values: only = compares them; an inequality between them fails
    (Rel.EQ, F(1) + sp.I, F(1) + sp.I, True),
    (Rel.EQ, F(1) + sp.I, F(1) - sp.I, False),
    (Rel.LE, F(1) + sp.I, F(2), False),
    (Rel.LE, F(1), F(2) + sp.I, False),
])
def test_holds_at(rel, l, r, expected):
    assert N._holds_at(rel, l, r, 1e-10, None) is expected


@pytest.mark.parametrize("l, r, tol, expected", [
    (F(0.3333), R(1, 3), 5e-5, True),
    (F(0.3333), R(1, 3), 3e-5, False),
    (F(0.33335), F(0.3333), 5e-5, True),
    (F(0.33336), F(0.3333), 5e-5, False),
    (F(0.3333), F(0.3334), None, False),      # no tolerance: the numeric one
    (F(0.3333), F(0.3333) + F(1e-11), None, True),
])
def test_approx_holds_within_the_stated_tolerance(l, r, tol, expected):
    assert N._holds_at(Rel.APPROX, l, r, 1e-10, tol) is expected


@pytest.mark.parametrize("l, r, expected", [
    (sp.ImmutableMatrix([1, 2]), sp.ImmutableMatrix([1, 2]), True),
    (sp.ImmutableMatrix([1, 2]), sp.ImmutableMatrix([1, 3]), False),
    (sp.ImmutableMatrix([1, 2]), sp.ImmutableMatrix([[1, 2]]), False),   # shapes differ
    (sp.ImmutableMatrix([1, 2]), F(1), False),
    (F(1), sp.ImmutableMatrix([1]), False),
])
def test_matrices_hold_entry_by_entry(l, r, expected):
    assert N._holds_at(Rel.EQ, l, r, 1e-10, None) is expected


def test_a_strict_matrix_tie_is_undecided_and_a_failure_wins():
    m = sp.ImmutableMatrix
    assert N._holds_at(Rel.LT, m([1, 2]), m([1, 3]), 1e-10, None) is None
    assert N._holds_at(Rel.LT, m([0, 2]), m([1, 3]), 1e-10, None) is True
    assert N._holds_at(Rel.LT, m([1, 4]), m([1, 3]), 1e-10, None) is False


# --------------------------------------------------------------------------- #
# _relational_holds (implications)
# --------------------------------------------------------------------------- #

E, L, T_ = sp.Eq, sp.Le, sp.Lt


@pytest.mark.parametrize("rel, expected", [
    (sp.true, True), (sp.false, False),
    (E(F(1), F(1), evaluate=False), True),
    (E(F(1), F(2), evaluate=False), False),
    (sp.Ne(F(1), F(2), evaluate=False), True),
    (sp.Ne(F(1), F(1) + F(1e-12), evaluate=False), False),
    (L(F(1), F(2), evaluate=False), True),
    (T_(F(2), F(2), evaluate=False), None),
    (sp.Ge(F(2), F(1), evaluate=False), True),
    (sp.Gt(F(1), F(2), evaluate=False), False),
    (sp.And(L(F(1), F(2), evaluate=False), L(F(3), F(2), evaluate=False), evaluate=False), False),
    (sp.And(L(F(1), F(2), evaluate=False), T_(F(2), F(2), evaluate=False), evaluate=False), None),
    (sp.And(L(F(1), F(2), evaluate=False), L(F(1), F(3), evaluate=False), evaluate=False), True),
    (sp.Or(L(F(3), F(2), evaluate=False), L(F(1), F(3), evaluate=False), evaluate=False), True),
    (sp.Or(L(F(3), F(2), evaluate=False), T_(F(2), F(2), evaluate=False), evaluate=False), None),
    (sp.Or(L(F(3), F(2), evaluate=False), L(F(4), F(3), evaluate=False), evaluate=False), False),
    (sp.Not(L(F(3), F(2), evaluate=False), evaluate=False), True),
    (sp.Not(L(F(1), F(2), evaluate=False), evaluate=False), False),
    (sp.Not(T_(F(2), F(2), evaluate=False), evaluate=False), None),
    (L(x, F(2), evaluate=False), None),                         # not a number
    (L(sp.zoo, F(2), evaluate=False), None),                    # undefined
    (L(F(1), sp.sqrt(-2) * 1.0, evaluate=False), None),         # not real
    (x > 1, None),
])
def test_relational_holds(rel, expected):
    assert N._relational_holds(rel, 1e-10) is expected


# --------------------------------------------------------------------------- #
# undefined values
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("v, real, expected", [
    (sp.nan, True, "an indeterminate form"),
    (sp.zoo, True, "a division by zero"),
    (sp.oo, True, "infinite"),
    (-sp.oo, True, "infinite"),
    (F(2) * sp.I, True, "not a real number"),
    (F(2) * sp.I, False, None),
    (F(1000) + F(1e-8) * sp.I, True, None),            # within 1e-10 of 1000
    (F(1000) + F(1e-6) * sp.I, True, "not a real number"),
    (F(2), True, None),
    (3, True, None),
    (sp.ImmutableMatrix([1, sp.zoo]), True, "a division by zero"),
    (sp.ImmutableMatrix([1, 2]), True, None),
])
def test_undefined(v, real, expected):
    assert N._undefined(v, real, 1e-10) == expected


def test_a_symbolic_value_is_no_evidence():
    with pytest.raises(TypeError):
        N._undefined(x + 1, True, 1e-10)


@pytest.mark.parametrize("lhs, rhs, expected", [
    (x, x + 1, True),
    (x * sp.I, x, False),
    (sp.I * sp.pi, x, True),          # a constant imaginary side may be SymPy's log(-1)
    (sp.ImmutableMatrix([x, sp.I * x]), sp.ImmutableMatrix([0, 0]), False),
    (sp.ImmutableMatrix([x, x]), sp.ImmutableMatrix([0, 0]), True),
])
def test_real_context(lhs, rhs, expected):
    assert N._real_context(job(lhs, Rel.EQ, rhs)) is expected


@pytest.mark.parametrize("v, expected", [
    (F(1), True), (sp.zoo, False), (sp.oo, False), (sp.nan, False), (x, False),
    (sp.ImmutableMatrix([1, 2]), True), (sp.ImmutableMatrix([1, sp.oo]), False),
])
def test_finite(v, expected):
    assert N._finite(v) is expected


# --------------------------------------------------------------------------- #
# evaluation at a point
# --------------------------------------------------------------------------- #

def test_opaque_atoms_get_one_shared_random_value():
    atoms: dict = {}
    rng = random.Random(1)
    left = N._substituted(f(x) + x, {x: sp.Integer(2)}, atoms, rng, 15)
    right = N._substituted(f(x), {x: sp.Integer(2)}, atoms, rng, 15)
    assert left - right == 2
    (value,) = atoms.values()
    assert value.is_Rational and R(2, 10) <= abs(value) <= 3


def test_a_nonnegative_opaque_atom_gets_a_positive_value():
    g = sp.Function("g", nonnegative=True)
    for seed in range(20):
        atoms: dict = {}
        v = N._substituted(g(x), {x: sp.Integer(2)}, atoms, random.Random(seed), 15)
        assert v > 0


def test_undeclared_symbols_get_values_and_derivatives_are_taken_first():
    rng = random.Random(5)
    v = N._substituted(sp.Derivative(x**3, x), {x: sp.Integer(2)}, {}, rng, 15)
    assert v == 12
    atoms: dict = {}
    v = N._substituted(a * x, {x: sp.Integer(2)}, atoms, rng, 15)
    assert v == 2 * atoms[sp.srepr(a)]


@pytest.mark.parametrize("expr, point, expected", [
    (sp.Sum(x**2, (x, 1, sp.Symbol("n", integer=True))), {sp.Symbol("n", integer=True): 4}, 30),
    (sp.Product(x, (x, 1, sp.Symbol("n", integer=True))), {sp.Symbol("n", integer=True): 4}, 24),
    (sp.Limit(sp.sin(a * x) / x, x, 0), {a: 3}, 3),
    (nt.Sigmoid(x), {x: 0}, R(1, 2)),
])
def test_operators_are_evaluated_at_the_point(expr, point, expected):
    v = N._numeric(expr, {k: sp.sympify(v) for k, v in point.items()}, {}, random.Random(0), 30)
    assert abs(v - expected) < 1e-25


@pytest.mark.parametrize("integral, exact", [
    (sp.Integral(x**2, (x, 0, 1)), R(1, 3)),
    (sp.Integral(a * x, (x, 0, 1)), R(3, 2)),                    # a parameter at the point (a = 3)
    (sp.Integral(sp.exp(-x**2), (x, -sp.oo, sp.oo)), sp.sqrt(sp.pi)),
    (sp.Integral(sp.exp(-x), (x, 0, sp.oo)), 1),
    (sp.Integral(sp.exp(x), (x, -sp.oo, 0)), 1),
    (sp.Integral(x, (x, 0, a)), R(9, 2)),                        # an end at the point
])
def test_integrals_by_quadrature_match_the_closed_form(integral, exact):
    v = N._numeric(integral, {a: sp.Integer(3)}, {}, random.Random(0), 30)
    assert isinstance(v, sp.Float)
    assert abs(v - exact) < 1e-25


def test_an_integral_with_an_opaque_integrand_gets_the_value_after_the_atom():
    atoms: dict = {}
    v = N._numeric(sp.Integral(x * f(a), (x, 0, 1)), {a: sp.Integer(1)}, atoms, random.Random(2), 30)
    (c,) = atoms.values()
    assert abs(v - c / 2) < 1e-25


def test_evalf_keeps_relations_and_logic():
    e = N._evalf(sp.And(sp.Lt(R(1, 3), 1, evaluate=False), sp.Eq(x, x, evaluate=False), evaluate=False), 15)
    assert isinstance(e, sp.And)
    assert N._evalf(sp.true, 15) is sp.true
    got = N._evalf(sp.Lt(R(1, 3), R(1, 2), evaluate=False), 15)
    assert isinstance(got, sp.Lt) and isinstance(got.lhs, sp.Float)
    m = N._evalf(sp.ImmutableMatrix([R(1, 3)]), 15)
    assert isinstance(m[0], sp.Float)
    assert abs(N._evalf(R(1, 3), 40) - R(1, 3)) < 1e-39


# --------------------------------------------------------------------------- #
# strict ties: the exact gap
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("lhs, rel, rhs, at, expected", [
    (s, Rel.LT, s, 2, True),                       # equal: the strict relation fails
    (s, Rel.GT, s, 2, True),
    (s, Rel.LT, s + R(1, 10**30), 2, False),       # the exact gap is positive
    (s + R(1, 10**30), Rel.GT, s, 2, False),
    (s + R(1, 10**30), Rel.LT, s, 2, None),        # wrong sign: cannot tell here
    (s, Rel.GT, s + R(1, 10**30), 2, None),
    (s, Rel.LT, s + F(0.5), 2, None),              # a float difference: cannot tell
])
def test_exact_gap(lhs, rel, rhs, at, expected):
    assert N._exact_gap(job(lhs, rel, rhs), {s: sp.Integer(at)}, {}, random.Random(0), 40) is expected


# --------------------------------------------------------------------------- #
# one point, then the layer
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("lhs, rel, rhs, at, expected", [
    (x**2, Rel.EQ, x * x, 3, ("pass", "")),
    (x**2, Rel.EQ, x, 3, ("fail", "sides differ: 9.0000000 vs 3.0000000")),
    (1 / x, Rel.EQ, 1, 0, ("fail", "the left side is undefined here (a division by zero)")),
    (1, Rel.EQ, 1 / x, 0, ("fail", "the right side is undefined here (a division by zero)")),
    (1 / x, Rel.EQ, 2 / x, 0, ("skip", "")),       # both undefined
    (sp.sqrt(x), Rel.EQ, 1, -1, ("fail", "the left side is undefined here (not a real number)")),
    (x, Rel.LT, x, 3, ("fail", "the two sides are equal here (3.0000000), so the strict inequality fails")),
    (x, Rel.LT, x + R(1, 10**30), 3, ("pass", "")),
    (x, Rel.LE, x + 1, 3, ("pass", "")),
    (x + 1, Rel.LE, x, 3, ("fail", "sides differ: 4.0000000 vs 3.0000000")),
])
def test_judge_point(lhs, rel, rhs, at, expected):
    j = job(lhs, rel, rhs)
    got = N._judge_point(j, {x: sp.Integer(at)}, random.Random(0), 15, 1e-10, N._real_context(j))
    assert got == expected


def test_a_rejection_is_confirmed_with_more_digits():
    # 1 + 1e-12 vs 1 is within 1e-10 at 15 digits, but both sides are exact rationals there,
    # compared exactly (issue 8: 2^{100} + 1 = 2^{100}); at 40 digits with tol 1e-26 it fails too
    j = job(1 + R(1, 10**12) * x, Rel.EQ, 1)
    status, message = N._judge_point(j, {x: sp.Integer(1)}, random.Random(0), 15, 1e-10, True)
    assert status == "fail" and message.lower().endswith("(difference 1.00e-12)")
    status, message = N._judge_point(j, {x: sp.Integer(1)}, random.Random(0), 40, 1e-26, True)
    assert status == "fail" and message.lower().endswith("(difference 1.00e-12)")
    # not exact (a float side): the float comparison at 15 digits still passes
    j = job(1 + sp.Float("1e-12", 30) * x, Rel.EQ, 1)
    assert N._judge_point(j, {x: sp.Integer(1)}, random.Random(0), 15, 1e-10, True) == ("pass", "")


def test_gap_and_short():
    assert N._short(R(1, 3)) == "0.33333333"
    assert N._short(sp.ImmutableMatrix([[R(1, 3)]])) == "[[0.333333]]"
    assert N._gap(F("1.00000000000001", 30), F(1, 30)) == " (difference 1.00E-14)"
    assert N._gap(F(2), F(1)) == ""
    assert N._gap(sp.ImmutableMatrix([1]), sp.ImmutableMatrix([1])) == ""


@pytest.mark.parametrize("lhs, rel, rhs, domains, expected", [
    (x**2, Rel.EQ, x * x, {}, None),
    (x**2 - 1, Rel.EQ, (x - 1) * (x + 1), {}, None),
    (x**2, Rel.GE, 0, {}, None),
    (sp.sqrt(x**2), Rel.EQ, x, {}, "failed"),
    (sp.sqrt(s**2), Rel.EQ, s, {s: D.POSITIVE}, None),
    (sp.zoo, Rel.EQ, sp.zoo, {}, "unknown"),
])
def test_numeric_layer_verdicts(lhs, rel, rhs, domains, expected):
    v = N._numeric_layer(job(lhs, rel, rhs, domains.items()), 6, 15)
    assert (v.status if v else None) == expected


def test_numeric_layer_messages():
    v = N._numeric_layer(job(sp.zoo, Rel.EQ, sp.zoo), 6, 15)
    assert (v.status, v.method, v.message) == ("unknown", "numeric", "no sample point gave values to compare")
    v = N._numeric_layer(job(x**2, Rel.EQ, x), 6, 15)
    assert (v.status, v.method) == ("failed", "numeric")
    assert v.message.startswith("sides differ: ")
    assert set(v.counterexample) == {"x"}


@pytest.mark.parametrize("shift, seed", [(10, 3), (100, 4), (10000, 3)])
def test_too_few_points_with_values_is_unknown(shift, seed):
    # sqrt(x - c) has a real value only for x > c: count those among the sampled points
    from derive.verify.sampling import points
    j = job(sp.sqrt(x - shift), Rel.EQ, sp.sqrt(x - shift), seed=seed)
    expected = sum(1 for p in points(j, random.Random(seed), 18) if p[x] >= shift)
    assert 1 <= expected < N.MIN_TESTED
    v = N._numeric_layer(j, 6, 15)
    assert (v.status, v.method, v.message) == ("unknown", "numeric",
                                               f"only {expected} sample points gave values to compare")


def test_extra_points_are_tested_after_the_sample_passes():
    calls = []

    def extra():
        calls.append(1)
        yield {x: sp.Integer(1)}

    # x^2 + 1 > 2x fails only at x = 1
    v = N._numeric_layer(job(x**2 + 1, Rel.GT, 2 * x), 6, 15, extra=extra)
    assert calls == [1]
    assert (v.status, v.message) == ("failed", "the two sides are equal here (2.0000000), so the strict inequality fails")
    assert v.counterexample == {"x": "1"}


def test_the_rel_tol_is_two_thirds_of_the_precision():
    # at 15 digits the tolerance is 1e-10: a relative error of 1e-12 passes, 1e-9 fails
    # (with a float factor: exact rationals are compared exactly, issue 8)
    assert N._numeric_layer(job(s * (1 + F("1e-12", 30)), Rel.EQ, s, {s: D.POSITIVE}.items()), 6, 15) is None
    assert N._numeric_layer(job(s * (1 + R(1, 10**12)), Rel.EQ, s, {s: D.POSITIVE}.items()), 6, 15).status == "failed"
    v = N._numeric_layer(job(s * (1 + R(1, 10**9)), Rel.EQ, s, {s: D.POSITIVE}.items()), 6, 15)
    assert v is not None and v.status == "failed"
    assert math.isclose(10.0 ** (-(15 * 2 // 3)), 1e-10)


# --------------------------------------------------------------------------- #
# edges found by mutation testing
# --------------------------------------------------------------------------- #

def test_a_complex_left_side_of_a_relation_is_undecided():
    assert N._relational_holds(sp.Eq(F(2) * sp.I, F(2), evaluate=False), 1e-10) is None
    assert N._relational_holds(sp.Eq(F(2), F(2) * sp.I, evaluate=False), 1e-10) is None


_S = D.POSITIVE.symbol("s")


@pytest.mark.parametrize("factor, fails", [
    (1 + sp.Rational(5, 10**26), True),      # 5e-26 relative: beyond the 1e-26 slack at 40 digits
    (1 + sp.Rational(2, 10**26), True),
    (1 + sp.Rational(5, 10**28), False),     # inside the slack: no counterexample from the values
    (1 - sp.Rational(5, 10**26), True),
])
def test_the_tolerance_without_exact_resolution_is_ten_to_minus_26_at_40_digits(factor, fails):
    """sums.py runs the numeric layer on written-out instances without the exact tie resolution,
    so there the slack of _holds_at decides: 10^{-(2*40 // 3)} = 1e-26 relative (issue 14's
    'numeric rel_tol x10' would let 5e-26 pass).  sqrt(s) keeps the values irrational, so the
    exact comparison of rational values (numeric._exactly) does not decide first."""
    v = N._numeric_layer(job(sp.sqrt(_S) * factor, Rel.EQ, sp.sqrt(_S), domains=[(_S, D.POSITIVE)]), 24, 40)
    assert (v is not None and (v.status, v.method) == ("failed", "numeric")) is fails
    if fails:
        s = sp.Rational(v.counterexample["s"])
        gap = abs(sp.N(sp.sqrt(s) * (factor - 1), 30))         # the difference, independently
        assert gap > sp.Float("1e-26") * max(1, sp.N(sp.sqrt(s)))
