"""Relations between relations (derive/verify/relations.py), with exact outcomes."""
from __future__ import annotations

import pytest
import sympy as sp

from derive import domains as D
from derive.verify import relations as Rl

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
s = D.POSITIVE.symbol("s")
R = sp.Rational
ABOVE_3 = D.Domain("x > 3", lo=3.0)


def ne(cls, *args):
    return cls(*args, evaluate=False)


@pytest.mark.parametrize("rel, expected", [
    (sp.true, "evaluates to true"),
    (ne(sp.Eq, x + x, 2 * x), "identical"),
    (ne(sp.Eq, (x + 1) ** 2, x**2 + 2 * x + 1), "expand"),
    (ne(sp.Eq, x, x + 1), None),
    (ne(sp.Le, x, x + 1), "sign under assumptions"),
    (ne(sp.Le, x, x), "sign under assumptions"),
    (ne(sp.Lt, x, x), None),                       # strict: a zero gap is not positive
    (ne(sp.Lt, x, x + 1), "sign under assumptions"),
    (ne(sp.Ge, s, s), "sign under assumptions"),
    (ne(sp.Gt, s, s), None),
    (ne(sp.Gt, s, 0), "sign under assumptions"),
    (ne(sp.Gt, 0, s), None),
    (ne(sp.Lt, s, 0), None),
    (ne(sp.Lt, 0, s), "sign under assumptions"),
    (ne(sp.Ge, x, 0), None),
    (sp.And(ne(sp.Gt, s + 1, 0), ne(sp.Ge, s, 0)), "each conjunct"),
    (sp.And(ne(sp.Gt, x, 0), ne(sp.Ge, s, 0)), None),
    (ne(sp.Ne, x, 1), None),
])
def test_prove_relation(rel, expected):
    assert Rl._prove_relation(rel, {}) == expected


def test_an_equation_is_proved_under_the_domains():
    rel = ne(sp.Eq, sp.Piecewise((x, x > 0), (-x, True)), x)
    assert Rl._prove_relation(rel, {x: D.POSITIVE}) == "evaluate sums and integrals"
    assert Rl._prove_relation(rel, {}) is None


@pytest.mark.parametrize("rel, expected", [
    (x >= 2, (x - 2, False)), (x > 2, (x - 2, True)),
    (x <= 2, (2 - x, False)), (x < 2, (2 - x, True)),
    (sp.Eq(x, 2), None), (sp.Ne(x, 2), None),
])
def test_as_nonnegative(rel, expected):
    assert Rl._as_nonnegative(rel) == expected


@pytest.mark.parametrize("a, b, expected", [
    (x > 2, x - 2 > 0, True),            # terms moved across
    (x > 2, x >= 2, True),               # strict implies non-strict
    (x >= 2, x > 2, False),              # never the other way
    (2 * x > 4, x > 2, True),            # divided by a positive number
    (-2 * x > -4, x < 2, True),          # by a negative one (direction normalised)
    (2 * x > 4, x < 2, False),
    (s * x > s, x > 1, True),            # by a quantity positive under the assumptions
    (y * x > y, x > 1, False),           # y may be negative
    (x > 2, sp.Eq(x, 2), False),
    (sp.Eq(x, 2), x >= 2, False),
    (x > 2, x > 3, False),
    (x**2 > 0, x > 0, False),
])
def test_same_inequality(a, b, expected):
    assert Rl._same_inequality(a, b, {}) is expected


@pytest.mark.parametrize("v, dom, expected", [
    (-1, D.POSITIVE, True), (0, D.POSITIVE, True), (1, D.POSITIVE, False),
    (0, D.NONNEGATIVE, False), (-1, D.NONNEGATIVE, True),
    (1, D.UNIT_INTERVAL, True), (R(1, 2), D.UNIT_INTERVAL, False), (0, D.UNIT_INTERVAL, True),
    (sp.I, D.REAL, True), (2, D.REAL, False),
    (-s, D.POSITIVE, True),              # decided from assumptions
    (s, D.POSITIVE, False),
    (s + 1, D.UNIT_INTERVAL, True),      # s + 1 > 1
    (-s, D.UNIT_INTERVAL, True),
    (s, D.UNIT_INTERVAL, False),         # may be inside
    (x, D.POSITIVE, False),              # cannot tell
    (-s, D.Domain("x > 1", lo=1.0), True),   # -s - 1 < 0: below the bound
    (sp.I * s, D.REAL, True),            # not real, with a symbol
])
def test_outside(v, dom, expected):
    assert Rl._outside(sp.sympify(v), dom) is expected


@pytest.mark.parametrize("e, expected", [
    (x, True), (sp.Integer(3), True), (sp.sin(y) + x, True),
    (sp.sqrt(x) + 1, True), (x**R(2, 3) * y, True), (1 / (x + 1), True),
    (x**sp.pi, False), (x**y, False), (sp.sin(x), False), (sp.exp(x) + 1, False),
])
def test_algebraic_in(e, expected):
    assert Rl._algebraic_in(e, x) is expected


@pytest.mark.parametrize("f, dom, expected", [
    (2 * x - 1, D.REAL, True),
    (x**4 - 1, D.REAL, True),
    (x**5 - 1, D.REAL, False),                 # degree above 4
    (sp.Integer(3), D.REAL, False),            # degree 0
    (x * y, D.REAL, False),                    # leading coefficient y may vanish
    ((y**2 + 1) * x - 1, D.REAL, True),        # never vanishes
    (sp.sqrt(x) - 2, D.REAL, False),           # a root of a possibly negative x
    (sp.sqrt(x) - 2, D.POSITIVE, True),
    (sp.sqrt(x) - 2, D.NONNEGATIVE, True),
    (x**R(1, 3) - 2, D.Domain("x>-1", lo=-1.0), False),
    (sp.sin(x), D.REAL, False),
])
def test_nondegenerate(f, dom, expected):
    assert Rl._nondegenerate(f, x, dom) is expected


@pytest.mark.parametrize("premise, dom, expected", [
    (sp.Eq(x**2, 4), D.REAL, [-2, 2]),
    (sp.Eq(x**2, 4), D.POSITIVE, [2]),
    (sp.Eq(x**2, 4), ABOVE_3, []),
    (sp.Eq(x**6, 1), D.REAL, [-1, 1]),           # degree 6 in one symbol: solveset
    (sp.Eq(sp.exp(x), 2), D.REAL, [sp.log(2)]),
    (sp.Eq(sp.sin(x), 0), D.REAL, None),         # infinitely many
    (sp.Eq(x * y, 0), D.REAL, None),             # degenerate with a parameter
    (sp.Eq(x + y, 1), D.REAL, [1 - y]),          # non-degenerate with a parameter
])
def test_all_solutions(premise, dom, expected):
    got = Rl._all_solutions(premise, x, dom)
    assert (sorted(got, key=sp.default_sort_key) if got is not None else None) == \
        (sorted(expected, key=sp.default_sort_key) if expected is not None else None)


@pytest.mark.parametrize("region, expected", [
    (sp.Interval(1, 3), 2),
    (sp.Interval(1, sp.oo), 2),
    (sp.Interval(-sp.oo, 3), 2),
    (sp.S.Reals, 0),
    (sp.FiniteSet(5), 5),
    (sp.Union(sp.Interval(7, 8), sp.Interval(10, 11)), R(15, 2)),
    (sp.S.EmptySet, None),
    (sp.S.Naturals, None),
])
def test_point_in(region, expected):
    assert Rl._point_in(region) == expected


@pytest.mark.parametrize("premise, conclusion, declared, expected", [
    (x**2 <= 1, x <= R(1, 2), {}, {"x": "3/4"}),
    (x <= 1, x <= 2, {}, None),
    (x * y < 1, x < 2, {}, None),                 # two variables: not from the sets
    (s < 1, s > -1, {s: D.POSITIVE}, None),
    (x < 1, x > 0, {x: D.REAL}, {"x": "-1"}),
    (sp.Eq(x, 3), x > 3, {}, {"x": "3"}),
])
def test_refute_implication(premise, conclusion, declared, expected):
    assert Rl._refute_implication(premise, conclusion, declared) == expected


@pytest.mark.parametrize("premise, conclusion, declared, expected", [
    (sp.false, x > 1, {}, "premise is false"),
    (x > 2, x - 2 > 0, {}, "rearrangement"),
    (sp.Eq(x**2, 4), x**2 > 3, {}, "solve for x"),
    (sp.Eq(x, 3), x > 2, {}, "solve for x"),
    (sp.Eq(x, 3), x > 3, {}, None),
    (sp.Eq(x**2, 4), x > 0, {}, None),            # x = -2
    (sp.Eq(x**2, 4), x > 0, {x: D.POSITIVE}, "solve for x"),
    (sp.Eq(x**2, 4), x > 100, {x: ABOVE_3}, "no solution for x"),
    (x > 3, x > 2, {}, "solution sets"),
    (x > 1, x > 2, {}, None),
    (sp.Eq(x * y, 0), sp.Eq(x, 0), {}, None),
    (sp.Eq(x + y, 1), y < 2 - x, {}, "solve for x"),
])
def test_prove_implication(premise, conclusion, declared, expected):
    assert Rl._prove_implication(premise, conclusion, declared) == expected
