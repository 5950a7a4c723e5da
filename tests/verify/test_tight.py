"""Where an inequality is tightest (derive/verify/tight.py), function by function.

Exact outputs are pinned against independent constructions (numpy's logspace
rounded to 4 significant digits for the grids, hand-solved roots), so that a
changed constant or comparison in the search shows up here, not only as a
missed counterexample somewhere downstream.
"""
from __future__ import annotations

import time

import numpy as np
import pytest
import sympy as sp

from derive import domains as D
from derive.step import Rel
from derive.verify import critical as C
from derive.verify import tight as T
from derive.verify.job import _Job

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
R = sp.Rational


def job(lhs, rel, rhs, domains=(), seed=1) -> _Job:
    return _Job(lhs, rel, rhs, tuple(domains), None, seed, 6, 30, 40)


def four_digits(v: float) -> sp.Rational:
    return sp.Rational(format(v, ".4g"))


# --------------------------------------------------------------------------- #
# the difference that must be >= 0
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("rel, expected", [
    (Rel.LE, 2 - x), (Rel.LT, 2 - x), (Rel.GE, x - 2), (Rel.GT, x - 2),
    (Rel.EQ, None), (Rel.APPROX, None), (Rel.IMPLIES, None),
])
def test_the_difference_points_the_way_of_the_relation(rel, expected):
    lhs, rhs = (x, 2) if rel is not Rel.IMPLIES else (x > 0, x > 1)
    assert T._difference(job(lhs, rel, rhs)) == expected


@pytest.mark.parametrize("side", [
    sp.Integral(x, (x, 0, 1)), sp.Sum(x, (x, 0, 3)), sp.Product(x, (x, 1, 3)),
    sp.Limit(1 / x, x, sp.oo), sp.Derivative(x**2, x), sp.Piecewise((x, x > 0), (0, True)),
])
def test_no_difference_with_unevaluated_operators(side):
    assert T._difference(job(side, Rel.LE, 2)) is None


def test_no_difference_between_matrices():
    m = sp.ImmutableMatrix([[x]])
    assert T._difference(job(m, Rel.LE, m)) is None


# --------------------------------------------------------------------------- #
# grids
# --------------------------------------------------------------------------- #

def test_an_unbounded_grid_is_log_spaced_from_a_thousandth_to_a_million_both_signs():
    mags = [four_digits(v) for v in np.logspace(-3, 6, 12)]
    assert T._grid(D.REAL) == sorted([-m for m in mags] + mags)


def test_a_capped_grid_stops_near_thirty():
    mags = [four_digits(v) for v in np.logspace(-3, 1.5, 12)]
    assert T._grid(D.REAL, capped=True) == sorted([-m for m in mags] + mags)


@pytest.mark.parametrize("dom, end, sign", [
    (D.POSITIVE, 0, 1),
    (D.Domain("x", lo=2.0), 2, 1),
    (D.Domain("x", hi=2.0), 2, -1),
])
def test_a_half_bounded_grid_moves_away_from_its_end(dom, end, sign):
    expected = sorted(end + sign * four_digits(v) for v in np.logspace(-3, 6, 12))
    assert T._grid(dom) == expected


@pytest.mark.parametrize("dom, lo, hi", [(D.UNIT_INTERVAL, 0, 1), (D.Domain("b", lo=1.0, hi=3.0), 1, 3)])
def test_a_bounded_grid_crowds_both_ends(dom, lo, hi):
    fracs = [R(1, 10**4), R(1, 10**3), R(1, 100)] + [R(j, 10) for j in range(1, 10)]
    fracs += [1 - R(1, 10**4), 1 - R(1, 10**3), 1 - R(1, 100)]
    assert T._grid(dom) == sorted(lo + (hi - lo) * f for f in fracs)
    assert len(T._grid(dom)) == 15


# --------------------------------------------------------------------------- #
# values, roots, minima
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("f, at, expected", [
    (x**2, 3, 9.0),
    (x**3 - x, R(1, 2), -0.375),
    (1 / x, 0, None),                    # zoo
    (sp.sqrt(x), -1, None),              # imaginary
    (sp.log(x), -1, None),
    (sp.log(x), 0, None),                # -oo
    (sp.exp(x), 1, float(sp.E)),
    (x * sp.I * 10**-14 + 2, 1, 2.0),    # an imaginary part below 1e-12 is rounding
    (x * sp.I * 10**-11 + 2, 1, None),
])
def test_value(f, at, expected):
    got = T._value(f, x, sp.sympify(at))
    assert got == (pytest.approx(expected, rel=1e-15) if expected is not None else None)


@pytest.mark.parametrize("f, expected", [
    (x**2 - 2, [sp.sqrt(2), -sp.sqrt(2)]),
    (x - R(3, 7), [R(3, 7)]),
    ((x - 1) / (x - 3), [1, 3]),             # a root of the numerator and a pole
    (x**2 + 1, []),                           # no real roots
    (x**2 - sp.pi, []),                       # irrational coefficients are not searched
    (sp.Integer(5), []),                      # degree 0
    (sp.sin(x), None),                        # not rational in x
])
def test_polynomial_roots(f, expected):
    got = T._polynomial_roots(f, x)
    if expected is None:
        assert got is None
    else:
        assert sorted(got, key=float) == sorted(expected, key=float)


def test_cubic_roots_are_found_numerically_to_many_digits():
    (root,) = T._polynomial_roots(x**3 - 2, x)
    assert root.is_Rational
    assert abs(float(root) - 2 ** (1 / 3)) < 1e-15
    # three real roots of a cubic, none missed
    roots = T._polynomial_roots((x - 1) * (x - 2) * (x + 5), x)
    assert sorted(float(r) for r in roots) == pytest.approx([-5, 1, 2], abs=1e-15)


def test_a_polynomial_of_degree_above_forty_is_not_searched():
    assert T._polynomial_roots(x**41 - 1, x) == []
    assert sorted(T._polynomial_roots(x**40 - 1, x)) == [-1, 1]


def test_minima_are_refined_by_golden_section_and_spend_the_budget():
    budget = [400]
    got = T._minima((x - R(7, 3)) ** 2 + 1, x, D.REAL, budget, False)
    assert got == [R(7, 3), R(2333, 1000)]      # the simplest rational nearby first, evaluated exactly
    assert budget == [400 - 24 - 2 * 30]


def test_minima_stop_when_the_budget_is_spent():
    # the grid alone spends 24: the minimum at 1.874 is then the midpoint of its
    # neighbours 0.2848 and 12.33, unrefined; two more evaluations refine it once
    budget = [24]
    got = T._minima((x - R(7, 3)) ** 2 + 1, x, D.REAL, budget, False)
    assert got[-1] == R(6307, 1000) and all(abs(v / got[-1] - 1) <= R(1, 1000) for v in got)
    assert budget == [0]
    budget = [26]
    golden = (5**0.5 - 1) / 2
    lo, hi = 0.2848, 12.33
    m1, m2 = hi - golden * (hi - lo), lo + golden * (hi - lo)
    expected = (lo, m2) if (m1 - 7 / 3) ** 2 <= (m2 - 7 / 3) ** 2 else (m1, hi)
    got = T._minima((x - R(7, 3)) ** 2 + 1, x, D.REAL, budget, False)
    assert got[-1] == four_digits(sum(expected) / 2)
    assert budget == [0]


def test_a_minimum_is_a_grid_point_not_above_both_neighbours():
    # f = |x|-like valley at 0 is not on the grid; a monotone function has no minimum inside
    assert T._minima(x, x, D.REAL, [400], False) == []
    assert T._minima(-(x**2), x, D.REAL, [400], False) == []
    # minima of a function with two valleys: both found
    got = T._minima((x**2 - 4) ** 2, x, D.REAL, [400], False)
    assert sorted(float(v) for v in got) == pytest.approx([-2, 2], abs=1e-3)


def test_undefined_grid_values_are_not_minima():
    # log(x) has no value at the negative half of the grid
    assert T._minima(sp.log(x) ** 2 * 0 + sp.sqrt(x), x, D.REAL, [400], False) == []


# --------------------------------------------------------------------------- #
# points beside a root, extreme values
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("at, dom, expected", [
    (R(5), D.REAL, [5, 5 - R(5, 10**6), 5 + R(5, 10**6), 5 - R(5, 1000), 5 + R(5, 1000)]),
    (R(1, 2), D.REAL, [R(1, 2), R(1, 2) - R(1, 10**6), R(1, 2) + R(1, 10**6),
                       R(1, 2) - R(1, 1000), R(1, 2) + R(1, 1000)]),
    (R(2000), D.REAL, [2000, 2000 - R(2, 1000), 2000 + R(2, 1000), 1998, 2002]),
    (sp.S.Zero, D.POSITIVE, [R(1, 10**6), R(1, 1000)]),        # 0 and the negatives are outside
    (R(5, 2), D.INTEGER, [1, 2, 3, 4]),
    (R(-5, 2), D.INTEGER, [-4, -3, -2, -1]),
    (R(1, 2), D.POSITIVE_INTEGER, [1, 2]),
    (sp.Symbol("t"), D.REAL, []),
])
def test_around(at, dom, expected):
    assert T._around(at, dom) == expected


@pytest.mark.parametrize("dom, capped, expected", [
    (D.REAL, False, [10**9, 10**12, -10**9, -10**12]),
    (D.REAL, True, []),
    (D.POSITIVE, False, [10**9, 10**12, R(1, 10**9), R(1, 10**12)]),
    (D.POSITIVE, True, [R(1, 10**9), R(1, 10**12)]),
    (D.NONNEGATIVE, False, [10**9, 10**12, R(1, 10**9), R(1, 10**12)]),
    (D.UNIT_INTERVAL, False, [R(1, 10**9), R(1, 10**12), 1 - R(1, 10**9), 1 - R(1, 10**12)]),
    (D.Domain("b", lo=1.0, hi=3.0), False, [1 + R(2, 10**9), 1 + R(2, 10**12), 3 - R(2, 10**9), 3 - R(2, 10**12)]),
    (D.Domain("n", hi=2.0), False, [2 - 10**9, 2 - 10**12, 2 - R(1, 10**9), 2 - R(1, 10**12)]),
    (D.Domain("n", lo=-2.0), False, [-2 + 10**9, -2 + 10**12, -2 + R(1, 10**9), -2 + R(1, 10**12)]),
    (D.POSITIVE_INTEGER, False, [1 + 10**6, 1 + 10**9]),
    (D.INTEGER, False, [10**6, 10**9, -10**6, -10**9]),
    (D.INTEGER, True, []),
])
def test_extremes(dom, capped, expected):
    assert T._extremes(dom, capped) == [sp.sympify(v) for v in expected]


@pytest.mark.parametrize("f, expected", [
    (sp.sqrt(x) - 2, [4]),
    (sp.sqrt(x + 1) - x, [(1 + sp.sqrt(5)) / 2]),
    (x**2 + 1, []),                    # no real root
    (sp.sin(x), []),                   # not algebraic: not solved
    (sum(sp.sqrt(x + k) for k in range(30)), []),   # too large to solve
])
def test_algebraic_roots(f, expected):
    assert [sp.nsimplify(r) for r in T._algebraic_roots(f, x)] == expected


# --------------------------------------------------------------------------- #
# tight points of a job
# --------------------------------------------------------------------------- #

def test_a_touching_root_is_visited_with_its_neighbours():
    pts = list(T.tight_points(job(x**2 + 1, Rel.GT, 2 * x)))
    # per base point (2 of them): 4 extremes, the exact root 1 of the numerator (a Touching
    # point: the sides are exactly equal there), then the double root 1 (also the critical
    # point, visited once) with 4 neighbours
    assert len(pts) == 2 * (4 + 1 + 5)
    assert isinstance(pts[4], C.Touching) and pts[4] == {x: 1}
    near = [p[x] for p in pts[5:10]]
    assert near == [1, R(999999, 10**6), R(1000001, 10**6), R(999, 1000), R(1001, 1000)]
    assert [p[x] for p in pts[:4]] == [10**9, 10**12, -10**9, -10**12]


def test_every_point_fixes_the_other_symbols_at_a_base_point():
    pts = list(T.tight_points(job(x * y + 1, Rel.GE, x + y)))
    assert pts and all(set(p) == {x, y} for p in pts)
    xs = {p[y] for p in pts if p[x] == 10**9}
    assert len(xs) == 2          # one per base point


@pytest.mark.parametrize("lhs, rel, rhs", [
    (x, Rel.EQ, 1),
    (sp.Integer(1), Rel.LT, 2),                                  # no symbols
    (sp.IndexedBase("a")[x], Rel.LE, 1),                          # indexed entries are not searched
])
def test_no_tight_points(lhs, rel, rhs):
    assert list(T.tight_points(job(lhs, rel, rhs))) == []


def test_a_passed_deadline_yields_nothing():
    assert list(T.tight_points(job(x**2 + 1, Rel.GT, 2 * x), deadline=time.monotonic() - 1)) == []


def test_only_the_first_symbols_are_searched():
    syms = sp.symbols("a b c d e", real=True)
    pts = list(T.tight_points(job(sum(s**2 for s in syms) + 1, Rel.GT, 0)))
    moved = {s for s in syms for p in pts if p[s] in (10**9, 10**12)}
    assert moved == set(syms[:T.MAX_SYMBOLS])


def test_an_integer_symbol_gets_integer_neighbours_of_a_root():
    n = D.INTEGER.symbol("n")
    pts = list(T.tight_points(job(n**2, Rel.GE, R(25, 4), {n: D.INTEGER}.items())))
    vals = [p[n] for p in pts]
    assert all(v.is_Integer for v in vals)
    assert {2, 3} <= set(vals) and {-3, -2} <= set(vals)


def test_a_non_polynomial_difference_is_searched_at_its_minima():
    # x - log x >= 1 touches at x = 1, which only the minimum search finds
    s = D.POSITIVE.symbol("s")
    pts = list(T.tight_points(job(s - sp.log(s), Rel.GT, 1, {s: D.POSITIVE}.items())))
    assert any(abs(p[s] - 1) < R(1, 10**4) for p in pts)


# --------------------------------------------------------------------------- #
# singular points
# --------------------------------------------------------------------------- #

def test_denominators_and_log_arguments():
    assert set(T._denominators(1 / (x - 1) + sp.log(x + 2) + x**2 + x**-3)) == {x - 1, x + 2, x}


@pytest.mark.parametrize("lhs, rel, rhs, expected", [
    ((x**2 - 1) / (x - 1), Rel.EQ, x + 1, [{x: 1}]),
    (sp.log(x**2 - 4), Rel.EQ, 1, [{x: -2}, {x: 2}]),
    (1 / (x**2 + 1), Rel.LE, 1, []),                 # no real root
    (1 / (x**3 - 1), Rel.EQ, 1, []),                 # degree 3 is not solved
    (1 / (sp.sin(x)), Rel.EQ, 1, []),                # not a polynomial
    (x, Rel.IMPLIES, x, []),
    (x + 1, Rel.EQ, x + 1, []),                      # no denominator
    (1 / (y - 3) + 1 / (x - 2), Rel.EQ, 0, [{x: 2}, {y: 3}]),
])
def test_singular_points(lhs, rel, rhs, expected):
    got = list(T.singular_points(job(lhs, rel, rhs)))
    assert [{s: p[s] for s in e} for p, e in zip(got, expected)] == expected
    assert len(got) == len(expected)


def test_a_singular_point_outside_the_domain_is_dropped():
    s = D.POSITIVE.symbol("s")
    assert list(T.singular_points(job(1 / (s + 1), Rel.EQ, 1, {s: D.POSITIVE}.items()))) == []
    got = list(T.singular_points(job(1 / (s - 1), Rel.EQ, 1, {s: D.POSITIVE}.items())))
    assert [p[s] for p in got] == [1]


# --------------------------------------------------------------------------- #
# edges found by mutation testing
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("f, expected", [
    (sp.oo * x, None), (-sp.oo * x, None),                       # an infinite value is no value
    (R(1, 2) + sp.I * sp.Float(1e-12) * x, 0.5),                  # exactly at the imaginary tolerance
    (1000 + sp.I * R(1, 10**10) * x, 1000.0),                     # the tolerance scales with |v|
    (1 + sp.I * R(15, 10**13) * x, None),                         # ... and is 1e-12 below |v| = 1
])
def test_value_edges(f, expected):
    assert T._value(f, x, sp.Integer(1)) == expected


def test_roots_of_the_denominator_count_when_the_numerator_is_constant():
    assert T._polynomial_roots(5 / (x - 3), x) == [3]
    got = T._polynomial_roots((x**2 - 2) / (x**3 - 2), x)
    assert got[:2] == [sp.sqrt(2), -sp.sqrt(2)] and len(got) == 3
    assert abs(float(got[2]) - 2 ** (1 / 3)) < 1e-15


def test_numeric_roots_keep_twenty_significant_digits():
    (root,) = T._polynomial_roots(x**3 - 2, x)
    assert (root * 10**19).is_Integer and not (root * 10**18).is_Integer


def test_a_minimum_next_to_the_last_grid_point_is_found():
    assert T._minima((x - 152000) ** 2, x, D.REAL, [400], False) == [152000]


def test_a_flat_function_is_a_minimum_everywhere_and_ties_move_left():
    got = T._minima(sp.Integer(1) + 0 * x, x, D.REAL, [400], False)
    grid = T._grid(D.REAL)
    # with v1 == v2 the search keeps the left part, converging to the left grid neighbour;
    # beside some, the simplest rational nearby (-730/9 beside -81.11)
    snaps = [v for i, v in enumerate(got) if i + 1 < len(got) and T._simple_near(float(got[i + 1])) == [v]]
    plain = [v for v in got if v not in snaps]
    assert len(plain) == len(grid) - 2
    assert plain[:3] == grid[:3]
    assert R(-730, 9) in snaps and all(v.q <= 12 for v in snaps)


def test_one_evaluation_left_still_refines_once():
    budget = [25]
    assert T._minima((x - R(7, 3)) ** 2 + 1, x, D.REAL, budget, False) == [R(4007, 1000)]
    assert budget == [-1]


_Z = sp.Symbol("z", real=True)


def test_algebraic_roots_solve_for_the_given_symbol():
    a = sp.Symbol("a", real=True)
    assert T._algebraic_roots(sp.sqrt(_Z) - a, _Z) == [a**2]


def test_base_points_come_from_the_tight_seed():
    from derive.verify.sampling import points
    j = job(x * y + 1, Rel.GE, x + y)
    bases = list(points(j, __import__("random").Random(j.seed ^ 0x5EED), T.BASES, symbols=[x, y], moderate_first=1))
    pts = list(T.tight_points(j))
    assert {p[y] for p in pts if p[x] == 10**9} == {b[y] for b in bases}


def test_a_symbol_that_cancels_does_not_stop_the_search():
    # x cancels from the difference (y - 1)^2 > 0; y = 1 must still be searched
    pts = list(T.tight_points(job(x + y**2 + 1, Rel.GT, x + 2 * y)))
    assert any(p[y] == 1 for p in pts)


def test_at_most_eight_roots_per_slice():
    f = sp.Mul(*[(x - k) for k in range(1, 10)])
    pts = list(T.tight_points(job(f, Rel.GE, 0)))
    visited = {p[x] for p in pts}
    roots = sorted(T._polynomial_roots(f, x), key=float)
    assert len(roots) == 9
    assert sum(1 for r in roots if r in visited) == 8


def test_singular_points_fix_the_other_symbols_at_the_singular_seed():
    import random
    from derive.verify.sampling import points
    j = job(1 / (x - 2) + y, Rel.EQ, 0)
    base = next(points(j, random.Random(j.seed ^ 0xD0), 1, symbols=[x, y]))
    assert list(T.singular_points(j)) == [{x: 2, y: base[y]}]


@pytest.mark.parametrize("den", [x - y, y - x])
def test_a_denominator_in_two_symbols_is_solved_for_each(den):
    got = list(T.singular_points(job(1 / den, Rel.EQ, 0)))
    assert len(got) == 2 and all(p[x] == p[y] for p in got)


@pytest.mark.parametrize("den", [sp.sin(x) + y, x**3 + y])
def test_a_symbol_that_cannot_be_solved_for_does_not_stop_the_others(den):
    (p,) = list(T.singular_points(job(1 / den, Rel.EQ, 0)))
    assert den.xreplace(p) == 0


def test_at_most_six_denominators():
    f = sum(1 / (x - k) for k in range(1, 8))
    got = {p[x] for p in T.singular_points(job(f, Rel.EQ, 0))}
    assert len(got) == 6 and got <= set(range(1, 8))


# --------------------------------------------------------------------------- #
# points random sampling misses: simple values and breakpoints (every relation)
# --------------------------------------------------------------------------- #

def test_simple_points_come_first_every_symbol_equal():
    pts = list(T.special_points(job(sp.sign(x) ** 2, Rel.EQ, 1)))
    assert pts[:6] == [{x: v} for v in (0, 1, -1, R(1, 2), R(-1, 2), 2)]
    # then sign's breakpoint x = 0 with its neighbours 1e-6 and 1e-3 away
    assert pts[6:] == [{x: v} for v in (0, R(-1, 10**6), R(1, 10**6), R(-1, 1000), R(1, 1000))]


def test_simple_points_respect_the_domain():
    p = sp.Symbol("p", positive=True)
    pts = list(T.special_points(job(p + 1, Rel.GT, p, domains=((p, D.POSITIVE),))))
    assert pts == [{p: 1}, {p: R(1, 2)}, {p: 2}]


def test_two_symbols_meet_the_symmetric_points_then_one_at_a_time():
    pts = list(T.special_points(job(x / y + y / x, Rel.GE, 2)))
    assert pts[:6] == [{x: v, y: v} for v in (0, 1, -1, R(1, 2), R(-1, 2), 2)]
    singles = pts[6:]
    assert [p[x] for p in singles[:3]] == [0, 1, -1] and len({p[y] for p in singles[:3]}) == 1
    assert [p[y] for p in singles[3:6]] == [0, 1, -1]


@pytest.mark.parametrize("lhs, breakpoint", [
    (sp.sign(x - 7) ** 2, 7),                    # sign: where its argument is 0
    (sp.Abs(2 * x - 9), R(9, 2)),
    (sp.Heaviside(x - 5), 5),
    (sp.Max(x, 13), 13),                         # max and min: where two arguments meet
    (sp.Min(x ** 2, 40), 2 * sp.sqrt(10)),
    (sp.floor(x / 10), 10),                      # floor: where the argument is an integer
    (sp.floor(sp.cos(x) ** 2), sp.pi),           # cos^2 x = 1 at 0 and pi
    (sp.Piecewise((x, x < 11), (1, True)), 11),
])
def test_breakpoints_are_visited_with_their_neighbours(lhs, breakpoint):
    pts = [p[x] for p in T.special_points(job(lhs, Rel.EQ, 1))]
    assert breakpoint in pts
    i = pts.index(breakpoint)
    assert pts[i + 1:i + 3] == [breakpoint - R(1, 10**6) * max(1, abs(breakpoint)),
                                breakpoint + R(1, 10**6) * max(1, abs(breakpoint))] or breakpoint.is_irrational


@pytest.mark.parametrize("lhs, rel, rhs", [
    (x, Rel.IMPLIES, y),                          # implications sample inside the premise
    (sp.Matrix([x]), Rel.EQ, sp.Matrix([1])),
    (sp.IndexedBase("a")[x], Rel.EQ, 1),
    (sp.Integer(1), Rel.EQ, 1),                   # no symbols
])
def test_no_special_points(lhs, rel, rhs):
    assert list(T.special_points(job(lhs, rel, rhs))) == []


FALSE_AT_SPECIAL = [
    (sp.sign(x) ** 2, Rel.EQ, 1, {"x": "0"}),
    (sp.floor(sp.cos(x) ** 2), Rel.EQ, 0, {"x": "0"}),
    (sp.sign(x - 7) ** 2, Rel.EQ, 1, {"x": "7"}),
    (sp.Abs(x - 3) + sp.Abs(x + 3), Rel.GT, 6, None),      # equal on all of [-3, 3]
    (sp.Max(x, 2) + sp.Min(x, 2), Rel.GT, x + 2, None),
    (4 * x * (1 - x), Rel.LT, 1, {"x": "1/2"}),
]
TRUE_BESIDE = [
    (sp.sign(x) ** 2, Rel.LE, 1),
    (sp.floor(sp.cos(x) ** 2), Rel.LE, 1),
    (sp.Abs(x - 3) + sp.Abs(x + 3), Rel.GE, 6),
    (sp.Max(x, 2) + sp.Min(x, 2), Rel.EQ, x + 2),
    (sp.floor(x) + sp.floor(-x), Rel.LE, 0),
]


@pytest.mark.parametrize("lhs, rel, rhs, point", FALSE_AT_SPECIAL)
def test_false_steps_fail_at_the_special_point(verifier, lhs, rel, rhs, point):
    from derive.step import Justification, Step
    v = verifier.verify_step(Step(lhs, rel, rhs, Justification("test")), {})
    assert v.status == "failed"
    if point is not None:
        assert v.counterexample == point
    # an independent check of the counterexample: exact SymPy arithmetic at that point
    at = {x: sp.Rational(v.counterexample["x"])}
    d = sp.nsimplify(lhs.xreplace(at) - (rhs.xreplace(at) if isinstance(rhs, sp.Basic) else rhs))
    assert {Rel.EQ: d != 0, Rel.GT: d <= 0, Rel.LT: d >= 0}[rel]


@pytest.mark.parametrize("lhs, rel, rhs", TRUE_BESIDE)
def test_their_true_neighbours_stay_certified(verifier, lhs, rel, rhs):
    from derive.step import Justification, Step
    assert verifier.verify_step(Step(lhs, rel, rhs, Justification("test")), {}).ok


def test_special_points_refute_by_values_only():
    from derive.verify.numeric import _numeric_layer
    from derive.verify.sampling import ValuesOnly
    assert all(isinstance(p, ValuesOnly) for p in T.special_points(job(sp.sign(x - 7) ** 2, Rel.EQ, 1)))
    j = job(sp.sin(x) / x, Rel.LE, 2)
    # sin(x)/x is undefined at x = 0: a plain extra point refutes the step there ...
    v = _numeric_layer(j, 24, 40, extra=lambda: [{x: sp.Integer(0)}], resolve=True)
    assert (v.status, v.message, v.counterexample) == ("failed", "the left side is undefined here "
                                                       "(an indeterminate form)", {"x": "0"})
    # ... a simple point does not (a convention such as 0^{-2} u[-2] = 0 may hold there)
    assert _numeric_layer(j, 24, 40, extra=lambda: [ValuesOnly({x: sp.Integer(0)})], resolve=True) is None


def test_a_side_with_a_sum_gets_no_simple_points():
    k = sp.Symbol("k", integer=True)
    assert list(T.special_points(job(sp.Sum(x**k / sp.factorial(k), (k, 0, sp.oo)), Rel.EQ, sp.exp(x)))) == []
