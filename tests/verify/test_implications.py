"""The numeric layer for => and <=> (derive/verify/implications.py), function by function."""
from __future__ import annotations

import random

import pytest
import sympy as sp

from derive import domains as D
from derive.step import Rel
from derive.verify import implications as I
from derive.verify.job import _Job

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
c = sp.Symbol("c", real=True)
d = sp.Symbol("d", real=True)
R = sp.Rational


def job(lhs, rel, rhs, domains=(), seed=1) -> _Job:
    return _Job(lhs, rel, rhs, tuple(domains), None, seed, 6, 30, 40)


def ne(cls, *args):
    return cls(*args, evaluate=False)


@pytest.mark.parametrize("dom, expected", [
    (D.REAL, sp.Interval(-sp.oo, sp.oo)),
    (D.POSITIVE, sp.Interval.open(0, sp.oo)),
    (D.NONNEGATIVE, sp.Interval(0, sp.oo)),
    (D.UNIT_INTERVAL, sp.Interval.open(0, 1)),
    (D.Domain("h", hi=2.0), sp.Interval.open(-sp.oo, 2)),
    (D.Domain("b", lo=1.0, hi=2.0, closed_lo=True), sp.Interval.Ropen(1, 2)),
])
def test_real_interval(dom, expected):
    assert I._real_interval(dom) == expected


@pytest.mark.parametrize("rel, dom, expected", [
    (x > 1, D.REAL, sp.Interval.open(1, sp.oo)),
    (x > 1, D.UNIT_INTERVAL, sp.S.EmptySet),
    (sp.true, D.POSITIVE, sp.Interval.open(0, sp.oo)),
    (sp.false, D.REAL, sp.S.EmptySet),
    (sp.And(x > 1, x < 3), D.REAL, sp.Interval.open(1, 3)),
    (sp.Or(x < 1, x > 3), D.REAL, sp.Union(sp.Interval.open(-sp.oo, 1), sp.Interval.open(3, sp.oo))),
    (sp.Eq(x**2, 4), D.POSITIVE, sp.FiniteSet(2)),
    (x * y > 1, D.REAL, None),                # another symbol
    (sp.And(x > 1, x * y > 1), D.REAL, None),
])
def test_solution_set(rel, dom, expected):
    assert I._solution_set(rel, x, dom) == expected


def test_beside():
    assert I._beside(sp.Integer(5), 1) == 5 + R(5, 10**6)
    assert I._beside(R(1, 2), -1) == R(1, 2) - R(1, 10**6)
    assert I._beside(sp.Integer(-3000), 1) == -3000 + R(3, 1000)


@pytest.mark.parametrize("region, dom, head", [
    (sp.Interval(1, 3), D.REAL, [1, 3, 2]),
    (sp.Interval.open(1, 3), D.REAL, [1 + R(1, 10**6), 3 - R(3, 10**6), 2]),
    (sp.Interval(1, sp.oo), D.REAL, [1]),
    (sp.Interval(-sp.oo, 1), D.REAL, [1]),
    (sp.S.Reals, D.REAL, []),
    (sp.FiniteSet(1, 2, sp.I), D.REAL, [1, 2]),
    (sp.S.EmptySet, D.REAL, []),
    (sp.S.Naturals, D.REAL, []),
])
def test_pick_takes_the_ends_and_the_middle(region, dom, head):
    got = I._pick(region, dom, random.Random(0))
    assert got[:len(head)] == head


def test_pick_inside_a_bounded_interval():
    for seed in range(20):
        got = I._pick(sp.Interval(1, 3), D.REAL, random.Random(seed))
        assert len(got) == 4 and 1 + R(2, 20) * R(99, 100) <= got[3] <= 3 - R(2, 20) * R(99, 100)


def test_pick_towards_an_open_end():
    for seed in range(20):
        up = I._pick(sp.Interval(1, sp.oo), D.REAL, random.Random(seed))
        assert len(up) == 3 and 1 + R(99, 10**4) <= up[1] <= 1 + 1001 and 1000 * R(99, 100) <= up[2] - 1 <= 10**6 * 1.01
        down = I._pick(sp.Interval(-sp.oo, 1), D.REAL, random.Random(seed))
        assert len(down) == 3 and 1 - 1001 <= down[1] <= 1 - R(99, 10**4) and 1000 * R(99, 100) <= 1 - down[2] <= 10**6 * 1.01
        both = I._pick(sp.S.Reals, D.REAL, random.Random(seed))
        assert len(both) == 2 and abs(both[0]) <= 3 and 100 * R(99, 100) <= abs(both[1]) <= 10**6 * 1.01


def test_pick_in_a_union_and_for_integers():
    got = I._pick(sp.Union(sp.Interval(0, 1), sp.Interval(5, 6)), D.REAL, random.Random(0))
    assert got[:3] == [0, 1, R(1, 2)] and got[4:7] == [5, 6, R(11, 2)] and len(got) == 8
    ints = I._pick(sp.Interval(R(1, 2), R(7, 2)), D.INTEGER, random.Random(0))
    assert ints[:5] == [0, 1, 3, 4, 2] and all(v.is_Integer for v in ints)
    assert I._pick(sp.Interval(R(1, 2), R(7, 2)), D.POSITIVE_INTEGER, random.Random(0))[:4] == [1, 3, 4, 2]


@pytest.mark.parametrize("rel, expected", [
    (sp.true, True), (sp.false, False),
    (ne(sp.Eq, sp.Integer(1), 1), True),
    (ne(sp.Eq, sp.Integer(1), 2), False),
    (ne(sp.Eq, sp.sqrt(2) ** 2, 2), True),
    (ne(sp.Ne, sp.Integer(2), 2), False),
    (ne(sp.Ne, sp.Integer(2), 3), True),
    (ne(sp.Le, sp.Integer(2), 2), True),
    (ne(sp.Ge, sp.Integer(2), 2), True),
    (ne(sp.Lt, sp.Integer(2), 2), False),
    (ne(sp.Gt, sp.Integer(2), 2), False),
    (ne(sp.Lt, sp.sqrt(2), R(3, 2)), True),
    (ne(sp.Gt, sp.sqrt(2), R(3, 2)), False),
    (ne(sp.Le, sp.pi, R(22, 7)), True),
    (ne(sp.Ge, sp.pi, R(22, 7)), False),
    (ne(sp.Gt, sp.Float(2), 1), None),                  # a float: not exact
    (ne(sp.Gt, sp.zoo, 1), None),
    (ne(sp.Gt, sp.I, 1), None),
    (ne(sp.Gt, x, 1), None),
    (sp.And(ne(sp.Lt, sp.Integer(1), 2), ne(sp.Lt, sp.Integer(3), 2)), False),
    (sp.And(ne(sp.Lt, sp.Integer(1), 2), ne(sp.Gt, sp.Float(2), 1)), None),
    (sp.And(ne(sp.Lt, sp.Integer(1), 2), ne(sp.Lt, sp.Integer(1), 3)), True),
    (sp.Or(ne(sp.Lt, sp.Integer(3), 2), ne(sp.Lt, sp.Integer(1), 3)), True),
    (sp.Or(ne(sp.Lt, sp.Integer(3), 2), ne(sp.Gt, sp.Float(2), 1)), None),
    (sp.Or(ne(sp.Lt, sp.Integer(3), 2), ne(sp.Lt, sp.Integer(4), 3)), False),
])
def test_decide_exact(rel, expected):
    assert I._decide_exact(rel) is expected


def test_truth_is_exact_first_then_numeric():
    rng = random.Random(0)
    assert I._exact_truth(sp.Lt(x, sp.pi), {x: R(22, 7)}, {}, rng, 15) is False
    assert I._truth(sp.Lt(x, sp.sqrt(2)), {x: R(7, 5)}, {}, rng, 15, 1e-10) is True
    # a float is not decided exactly; its value decides
    assert I._truth(sp.Lt(x, sp.Float(3.2)), {x: R(22, 7)}, {}, rng, 15, 1e-10) is True
    assert I._truth(sp.Gt(x, sp.Float(3.2)), {x: R(22, 7)}, {}, rng, 15, 1e-10) is False


@pytest.mark.parametrize("premise, conclusion, at, expected", [
    (x > 2, x > 1, 3, "pass"),
    (x > 2, x > 1, 1, "skip"),          # the premise does not hold: no evidence
    (x > 2, x > 5, 3, "fail"),
    (x > 2, sp.sqrt(x - 10) > 0, 3, "skip"),   # the conclusion has no real value
    (sp.Eq(x, 3), x >= 3, 3, "pass"),
    (sp.Eq(x, 3), x > 3, 3, "fail"),
])
def test_judge(premise, conclusion, at, expected):
    assert I._judge(premise, conclusion, {x: sp.Integer(at)}, random.Random(0), 15, 1e-10) == expected


@pytest.mark.parametrize("lhs, rel, rhs, thorough, expected", [
    (x > 2, Rel.IMPLIES, x > 1, False, None),
    (x > 2, Rel.IMPLIES, x > 1, True, None),
    (x > 1, Rel.IMPLIES, x > 2, False, ("failed", "the premise holds but the conclusion does not")),
    (x**2 <= 1, Rel.IFF, x <= 1, False, ("failed", "the right side holds but the left side does not")),
    (x <= 1, Rel.IFF, x**2 <= 1, False, ("failed", "the premise holds but the conclusion does not")),
    (x**2 <= 1, Rel.IFF, sp.And(x <= 1, x >= -1), True, None),
    # random points never satisfy c^2 d = 1: only solving the premise finds the counterexample
    (sp.Eq(c**2 * d, 1), Rel.IMPLIES, d > 1, False, None),
    (sp.Eq(c**2 * d, 1), Rel.IMPLIES, d > 1, True, ("failed", "the premise holds but the conclusion does not")),
    (sp.Eq(c**2 * d, 1), Rel.IMPLIES, d > 0, True, None),
    (sp.Eq(x, 3), Rel.IMPLIES, x > 2, True, None),
    (sp.Eq(sp.sin(x), 2), Rel.IMPLIES, x > 2, True, ("unknown", "only 0 sample points satisfy the premise")),
    (sp.Eq(sp.sin(x), 2), Rel.IMPLIES, x > 2, False, None),
])
def test_implication_layer(lhs, rel, rhs, thorough, expected):
    j = job(lhs, rel, rhs)
    v = I._implication_layer(j, 30 if thorough else 6, 40 if thorough else 15, thorough)
    assert ((v.status, v.message) if v is not None else None) == expected
    if v is not None and v.status == "failed":
        assert set(v.counterexample) <= {s.name for s in (lhs.free_symbols | rhs.free_symbols)}
        assert v.method == "numeric"


def test_the_counterexample_satisfies_the_premise_and_not_the_conclusion():
    v = I._implication_layer(job(sp.Eq(c**2 * d, 1), Rel.IMPLIES, d > 1), 30, 40, True)
    point = {sp.Symbol(k, real=True): sp.Rational(val) if "/" in val or val.lstrip("-").isdigit() else sp.sympify(val)
             for k, val in v.counterexample.items()}
    assert abs(float((c**2 * d).xreplace(point)) - 1) < 1e-12
    assert float(d.xreplace(point)) <= 1


def test_premise_points_are_random_then_solved():
    j = job(sp.Eq(c**2 * d, 1), Rel.IMPLIES, d > 0)
    quick = list(I._premise_points(j, sp.Eq(c**2 * d, 1), random.Random(0), 5, False, 1e18))
    assert len(quick) == 5
    thorough = list(I._premise_points(j, sp.Eq(c**2 * d, 1), random.Random(0), 5, True, 1e18))
    solved = thorough[5:]
    assert solved and all(abs(float((c**2 * d).xreplace(p)) - 1) < 1e-12 for p in solved)
    # a passed deadline stops the solving
    assert len(list(I._premise_points(j, sp.Eq(c**2 * d, 1), random.Random(0), 5, True, 0.0))) == 5


# _truth: exact where SymPy decides (1 + 10^-50 is not 1, though it is at 30 digits), else
# numeric at the working precision (sin^2 + cos^2 = 1 at x = 2, which SymPy leaves undecided).
@pytest.mark.parametrize("rel, point, truth", [
    (sp.Eq(x, 1), {x: 1 + R(1, 10**50)}, False),
    (x > 1, {x: 1 + R(1, 10**50)}, True),
    (x <= 1, {x: 1 + R(1, 10**50)}, False),
    (sp.Eq(sp.sin(x)**2 + sp.cos(x)**2, 1), {x: sp.Integer(2)}, True),
    (sp.sin(x)**2 + sp.cos(x)**2 > 2, {x: sp.Integer(2)}, False),
])
def test_truth_is_exact_where_sympy_decides_and_numeric_elsewhere(rel, point, truth):
    assert I._truth(rel, point, {}, random.Random(1), 30, 1e-20) is truth


# --------------------------------------------------------------------------- #
# the premise solved, the conclusion searched where it is tightest (#8: x = y^2 => x > 0)
# --------------------------------------------------------------------------- #

#: (premise, conclusion, the premise and the conclusion as plain Python on floats)
AT_THE_TIGHTEST = [
    (sp.Eq(x, y**2), x > 0, lambda v: v["x"] == v["y"] ** 2, lambda v: v["x"] > 0),
    (x >= y**2, x > 0, lambda v: v["x"] >= v["y"] ** 2, lambda v: v["x"] > 0),
    (sp.Eq(x + y, 2), x * y < 1, lambda v: v["x"] + v["y"] == 2, lambda v: v["x"] * v["y"] < 1),
    (sp.Eq(x, sp.cos(y)), x > -1, lambda v: abs(v["x"] - __import__("math").cos(v["y"])) < 1e-12, lambda v: v["x"] > -1),
]


@pytest.mark.parametrize("premise, conclusion, holds, follows", AT_THE_TIGHTEST)
def test_a_conclusion_that_fails_only_where_it_is_tightest(verifier, premise, conclusion, holds, follows):
    from derive.step import Justification, Step
    v = verifier.verify_step(Step(premise, Rel.IMPLIES, conclusion, Justification("test")), {})
    assert (v.status, v.message) == ("failed", "the premise holds but the conclusion does not")
    point = {k: float(sp.sympify(val)) for k, val in v.counterexample.items()}   # derive's output, read back
    assert holds(point) and not follows(point)


@pytest.mark.parametrize("premise, conclusion", [
    (sp.Eq(x, y**2), x >= 0),
    (x >= y**2, x >= 0),
    (sp.Eq(x + y, 2), x * y <= 1),
    (sp.Eq(x, sp.cos(y)), x >= -1),        # y = acos(x) for x < -1 is no real point
    (x > 1, x**2 > 1),
])
def test_their_non_strict_neighbours_stay_certified(verifier, premise, conclusion):
    from derive.step import Justification, Step
    v = verifier.verify_step(Step(premise, Rel.IMPLIES, conclusion, Justification("test")), {})
    assert v.status in ("numeric", "proved")


def test_boundary_points_are_real_solutions_of_the_premise():
    j = job(x >= y**2, Rel.IMPLIES, x >= 0)
    pts = list(I._boundary_points(j, x >= y**2, x >= 0, 1e18))
    assert pts and all(p[x] == p[y] ** 2 for p in pts)      # on the boundary, exactly
    assert all(p[y].is_real for p in pts)
    # a strict premise has no boundary point that satisfies it
    assert list(I._boundary_points(j, x > y**2, x >= 0, 1e18)) == []


@pytest.mark.parametrize("lhs, rhs, expected", [
    # x^2 + y^2 <= 0 holds at (0, 0) only, so the first direction is undecided; the second fails
    (x**2 + y**2 <= 0, sp.Eq(x, 0), ("failed", "the right side holds but the left side does not")),
    (x**2 + y**2 <= 0, sp.And(sp.Eq(x, 0), sp.Eq(y, 0)), ("unknown", "only 0 sample points satisfy the premise")),
])
def test_an_undecided_direction_of_iff_does_not_hide_the_other(lhs, rhs, expected):
    v = I._implication_layer(job(lhs, Rel.IFF, rhs), 30, 40, True)
    assert (v.status, v.message) == expected
    if v.status == "failed":
        at = {k: float(sp.sympify(val)) for k, val in v.counterexample.items()}
        assert at["x"] == 0 and at["x"] ** 2 + at["y"] ** 2 > 0      # right side holds, left does not
