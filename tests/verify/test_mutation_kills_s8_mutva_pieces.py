"""The small pieces of the verifier's numeric search, pinned one by one (issue #14, session 8):
the text of a finite law, the exact comparison of moments, the members of a solution set, the
crossings of a closed form, the points picked inside a premise.  Mutation testing showed these
functions reached only through whole steps, where a one-token change went unnoticed.

Expected values are computed by hand or with Python's / mpmath's own arithmetic.
"""
from __future__ import annotations

import math
import random

import mpmath as mp
import pytest
import sympy as sp

from derive import domains as D
from derive.step import Rel
from derive.verify import critical as C
from derive.verify import distributions as Ds
from derive.verify import implications as I
from derive.verify import large as L
from derive.verify.probability import RandomSymbol

x = sp.Symbol("x", real=True)
n = sp.Symbol("n", integer=True, positive=True)
R = sp.Rational
h, q = R(1, 2), R(1, 4)


# --------------------------------------------------------------------------- #
# distributions: how a law is shown, and exact comparisons
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("vec, probs, text", [
    ((1, 1), (h, h), "1 (a constant)"),
    ((1, 2), (h, h), "1 or 2 (equally likely)"),
    ((0, 1), (R(1, 10), R(9, 10)), "0 (probability 1/10) or 1 (probability 9/10)"),
    ((1, 2, 1), (q, q, h), "1 (probability 3/4) or 2 (probability 1/4)"),     # equal values merged
    ((1, 2, 2), (h, q, q), "1 or 2 (equally likely)"),                          # merged to equal weights
    ((3, 3, 3), (q, q, h), "3 (a constant)"),
])
def test_describe_a_law(vec, probs, text):
    assert Ds._describe(vec, probs) == text


@pytest.mark.parametrize("probs, text", [
    ((h, h), "w1, w2 (equally likely)"),
    ((R(1, 3),) * 3, "w1, w2, w3 (equally likely)"),
    ((R(1, 10), R(9, 10)), "w1 (probability 1/10), w2 (probability 9/10)"),
])
def test_describe_a_space(probs, text):
    assert Ds._describe_space(probs) == text


@pytest.mark.parametrize("vec, text", [((0, 1, 1), "{w2, w3}"), ((1, 0), "{w1}"), ((0, 0), "{}"),
                                       ((1, 1, 1), "{w1, w2, w3}")])
def test_describe_an_event(vec, text):
    assert Ds._describe_event(vec) == text


S2 = sp.sqrt(2)


# At 40 digits a difference is decided exactly when it is at least 10^-80 of 1 + |a| + |b|
# (here 1 + 2 sqrt 2 = 3.83): 10^-79 is, 10^-80 is not.
@pytest.mark.parametrize("rel, exact, want", [
    (Rel.APPROX, [h, h], None),
    (Rel.EQ, [h, h], True),
    (Rel.LT, [1, 2], True),
    (Rel.GT, [1, 2], False),
    (Rel.GE, [2, 2], True),
    (Rel.EQ, [S2, S2 + R(1, 10**79)], False),
    (Rel.EQ, [S2, S2 + R(1, 10**80)], None),
    (Rel.LT, [S2, S2 + R(1, 10**79)], True),
    (Rel.GT, [S2, S2 + R(1, 10**79)], False),
    (Rel.LE, [S2, R(3, 2)], True),
    (Rel.GE, [S2, R(3, 2)], False),
    (Rel.LT, [sp.I * S2, 0], None),            # no order on a complex difference
    (Rel.EQ, [x, 1], None),                    # not a number
])
def test_exact_holds(rel, exact, want):
    assert Ds._exact_holds(rel, [sp.sympify(e) for e in exact], 40) is want


X, Y = RandomSymbol("X"), RandomSymbol("Y")
A, B, A2 = RandomSymbol("A", family=1), RandomSymbol("B", family=2), RandomSymbol("A_2", family=1)


@pytest.mark.parametrize("rvs, want", [
    ({Y, X}, ([X, Y], [], True)),
    ({A, A2}, ([], [A, A2], True)),             # one independent family: its laws cover it
    ({A, X}, ([X], [A], False)),
    ({A, B}, ([], [A, B], False)),
])
def test_structure(rvs, want):
    assert Ds._structure(rvs) == want


# --------------------------------------------------------------------------- #
# critical: doubts, where periodic members are taken, which members
# --------------------------------------------------------------------------- #

def test_doubts_keep_the_first_four_and_report_the_first():
    d = C.Doubts()
    for i in range(6):
        d.add(x, str(i))
    assert d.found == [(x, "0"), (x, "1"), (x, "2"), (x, "3")]
    assert d.message() == (f"the difference of the sides comes within 10^-{C.DOUBT_DIGITS} of 0 near x = 0: "
                           "derive cannot tell whether the strict inequality fails there")
    assert C.DOUBT_DIGITS == 40


@pytest.mark.parametrize("dom, at", [
    (D.REAL, 0.0), (D.Domain("x", lo=2.0), 2.0), (D.Domain("x", lo=0.0), 0.0), (D.Domain("x", hi=-3.0), -3.0),
    (D.Domain("x", hi=0.0), 0.0), (D.Domain("x", lo=-1.0), 0.0), (D.Domain("x", hi=5.0), 0.0),
    (D.Domain("x", lo=-2.0, hi=-1.0), -1.0), (D.Domain("x", lo=0.5), 0.5), (D.Domain("x", hi=0.5), 0.0),
    (D.Domain("x", hi=-0.5), -0.5),
])
def test_near(dom, at):
    assert C._near(dom) == at


PERIODIC = sp.ImageSet(sp.Lambda(n, 2 * n * sp.pi + sp.pi / 2), sp.S.Integers)


# members 2k pi + pi/2 nearest the centre: k = round((c - pi/2) / 2 pi) and its nearer neighbour
@pytest.mark.parametrize("found, dom, center, want", [
    (PERIODIC, D.REAL, 0.0, [sp.pi / 2, -3 * sp.pi / 2]),
    (PERIODIC, D.REAL, 10.0, [5 * sp.pi / 2, 9 * sp.pi / 2]),
    (PERIODIC, D.Domain("x", lo=0.0), 0.0, [sp.pi / 2]),
    (sp.FiniteSet(1, 5), D.Domain("x", lo=0, hi=3), 0.0, [1]),
    (sp.FiniteSet(*range(1, 12)), D.REAL, 0.0, list(range(1, 9))),
    (sp.Union(sp.FiniteSet(1), sp.ConditionSet(x, sp.Eq(sp.sin(x), x / 3), sp.S.Reals)), D.REAL, 0.0, [1]),
    (sp.FiniteSet(sp.I, 2), D.REAL, 0.0, [2]),
    # 2k + 1 nearest 0: k = 0 and k = -1 are equally near (k = -1/2); the larger k comes first
    (sp.ImageSet(sp.Lambda(n, 2 * n + 1), sp.S.Integers), D.REAL, 0.0, [1, -1]),
    (sp.ImageSet(sp.Lambda(n, 2 * n + 1), sp.S.Integers), D.REAL, 2.0, [3, 1]),
])
def test_members(found, dom, center, want):
    got = C._members(found, dom, center)
    assert got == want
    for v in got:
        if found is PERIODIC:
            assert abs(mp.sin(mp.mpf(sp.N(v, 30))) - 1) < 1e-25


SEVEN = sp.Union(*[sp.ImageSet(sp.Lambda(n, 2 * n * sp.pi + R(k, 10)), sp.S.Integers) for k in range(7)])


# a union: the members of each of its first six parts, each nearest the centre; a complement or an
# intersection: the members of its periodic part that are in it
@pytest.mark.parametrize("found, center, want", [
    (SEVEN, 0.0, [v for k in range(6) for v in ([R(k, 10), R(k, 10) - 2 * sp.pi] if k else [0, 2 * sp.pi])]),
    (sp.Union(PERIODIC, sp.FiniteSet(7)), 10.0, [7, 5 * sp.pi / 2, 9 * sp.pi / 2]),
    (sp.Complement(PERIODIC, sp.FiniteSet(sp.pi / 2)), 0.0, [-3 * sp.pi / 2]),
    (sp.Intersection(PERIODIC, sp.Interval.open(0, 10), evaluate=False), 0.0, [sp.pi / 2]),
])
def test_members_of_unions_and_complements(found, center, want):
    assert len(SEVEN.args) == 7
    assert C._members(found, D.REAL, center) == want


def test_members_of_an_intersection_are_in_it():
    got = C._members(sp.Intersection(sp.Interval(0, 10), PERIODIC), D.REAL, 0.0)
    assert got and all(0 <= float(v) <= 10 and abs(math.sin(float(v)) - 1) < 1e-12 for v in got)


@pytest.mark.parametrize("xv, want", [(3.14159265359, sp.pi), (3.1416, None), (-3.14159265359, None)])
def test_exact_at_is_within_a_billionth(xv, want):
    assert C.exact_at([sp.FiniteSet(sp.pi)], D.REAL, xv) == want


# of a periodic set, the member beside the numeric point, however far from 0 it is
@pytest.mark.parametrize("k", [2, -3, 40])
def test_exact_at_finds_the_periodic_member_beside_the_point(k):
    xv = 2 * k * math.pi + math.pi / 2
    assert C.exact_at([PERIODIC], D.REAL, xv) == 2 * k * sp.pi + sp.pi / 2
    assert C.exact_at([PERIODIC], D.REAL, xv + 1e-3) is None


# --------------------------------------------------------------------------- #
# large: crossings of a closed form, harmonic numbers, values
# --------------------------------------------------------------------------- #

def test_crossings_are_the_integers_beside_the_root():
    r = (-1 + math.sqrt(1 + 8 * 10**12)) / 2          # n (n + 1) / 2 = 10^12
    assert L._crossings([n * (n + 1) / 2, sp.Integer(10) ** 12], {}, [n]) == list(range(int(r) - 1, int(r) + 3))
    assert L._crossings([n * (n + 1) / 2, sp.Integer(10) ** 12], {}, [n, x]) == []
    assert L._crossings([n**2, sp.Integer(100)], {}, [n]) == []        # the root 10 is below 10^3
    r = (-1 + math.sqrt(1 + 8 * 10**7)) / 2           # 4471.6: between 10^3 and 10^4
    assert L._crossings([n * (n + 1) / 2, sp.Integer(10) ** 7], {}, [n]) == list(range(int(r) - 1, int(r) + 3))
    assert L._crossings([n**2, sp.Integer(10) ** 62], {}, [n]) == []   # the root 10^31: beyond 10^30


@pytest.mark.parametrize("m, k", [(10, 1), (10, 2), (7, 3)])
def test_harmonic(m, k):
    want = sum(mp.mpf(1) / j**k for j in range(1, m + 1))
    got = L._harmonic(m, k) if k != 1 else L._harmonic(m)
    assert abs(got - want) < 1e-14


def test_values_at_a_point():
    fns = [lambda a: a / 3, lambda a: 1 / (a - 2)]
    got = L._values(fns, [n], {n: sp.Integer(5)}, 40)
    with mp.workdps(40):
        assert all(isinstance(g, mp.mpf) for g in got)
        assert abs(got[0] - mp.mpf(5) / 3) < mp.mpf(10) ** -38 and abs(got[1] - mp.mpf(1) / 3) < mp.mpf(10) ** -38
    assert L._values(fns, [n], {n: sp.Integer(2)}, 40) is None
    got = L._values(fns, [n], {n: R(7, 2)}, 40)          # 7/6 and 1/(3/2) = 2/3
    with mp.workdps(40):
        assert abs(got[0] - mp.mpf(7) / 6) < mp.mpf(10) ** -38 and abs(got[1] - mp.mpf(2) / 3) < mp.mpf(10) ** -38
    assert L._values([lambda a: a, lambda a: mp.inf], [n], {n: sp.Integer(1)}, 40) is None


# --------------------------------------------------------------------------- #
# implications: points picked inside a premise's solution set
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("v, away, want", [(3, 1, 3 + R(3, 10**6)), (0, -1, -R(1, 10**6)),
                                           (-5 * 10**6, 1, -5 * 10**6 + 5)])
def test_beside(v, away, want):
    assert I._beside(sp.Integer(v), away) == want


def _log_reaches(got: list[float], lo: float, hi: float) -> bool:
    """Exponents inside [lo, hi], some in its lowest and some in its highest tenth."""
    return lo - 1e-3 <= min(got) < lo + (hi - lo) / 10 and hi - (hi - lo) / 10 < max(got) <= hi + 1e-3


def test_pick_an_interval_its_ends_and_inside():
    got = I._pick(sp.Interval(1, 2), D.REAL, random.Random(3))
    assert got[:3] == [1, 2, R(3, 2)] and len(got) == 4 and R(21, 20) <= got[3] <= R(39, 20)
    got = I._pick(sp.Interval.open(1, 2), D.REAL, random.Random(3))
    assert got[:3] == [1 + R(1, 10**6), 2 - R(2, 10**6), R(3, 2)] and 1 < got[3] < 2

    # a half line: its end, then 10^-2 to 10^3 and 10^3 to 10^6 beyond it (over many seeds, the
    # offsets reach both ends of their exponent ranges)
    up_near, up_far, down_near, down_far = [], [], [], []
    for seed in range(300):
        got = I._pick(sp.Interval(1, sp.oo), D.REAL, random.Random(seed))
        assert got[0] == 1 and len(got) == 3
        up_near.append(math.log10(float(got[1] - 1)))
        up_far.append(math.log10(float(got[2] - 1)))
        low = I._pick(sp.Interval(-sp.oo, 2, right_open=True), D.REAL, random.Random(seed))
        assert low[0] == 2 - R(2, 10**6) and len(low) == 3
        down_near.append(math.log10(float(2 - low[1])))
        down_far.append(math.log10(float(2 - low[2])))
    for got, lo, hi in ((up_near, -2, 3), (up_far, 3, 6), (down_near, -2, 3), (down_far, 3, 6)):
        assert _log_reaches(got, lo, hi)
    # the whole line: one value in [-3, 3] and one of 10^2 to 10^6 of either sign
    small, big = [], []
    for seed in range(300):
        got = I._pick(sp.Interval(-sp.oo, sp.oo), D.REAL, random.Random(seed))
        assert len(got) == 2
        small.append(float(got[0]))
        big.append(float(got[1]))
    assert -3.001 <= min(small) < -2.7 and 2.7 < max(small) <= 3.001
    assert any(v < 0 for v in big) and any(v > 0 for v in big)
    assert _log_reaches([math.log10(abs(v)) for v in big], 2, 6)


def test_pick_finite_sets_unions_and_integers():
    assert I._pick(sp.FiniteSet(1, sp.I, 3), D.REAL, random.Random(3)) == [1, 3]
    assert I._pick(sp.FiniteSet(*range(10)), D.REAL, random.Random(3)) == list(range(I.PER_SET))
    assert I._pick(sp.FiniteSet(-1, 2), D.POSITIVE, random.Random(3)) == [2]
    five = sp.Union(*[sp.Interval(2 * k, 2 * k + 1) for k in range(5)])      # only the first four are used
    got = I._pick(five, D.REAL, random.Random(3))
    assert len(got) == 16 and {int(v) // 2 for v in got} == {0, 1, 2, 3}
    got = I._pick(sp.Interval(R(1, 2), R(5, 2)), D.INTEGER, random.Random(3))
    assert got[:4] == [0, 1, 2, 3] and all(v.is_Integer for v in got)
    assert I._pick(sp.ConditionSet(x, sp.Eq(sp.sin(x), x / 3), sp.S.Reals), D.REAL, random.Random(3)) == []


@pytest.mark.parametrize("rel, dom, want", [
    (sp.And(x > 1, x < 3), D.REAL, sp.Interval.open(1, 3)),
    (sp.Or(x < -1, x > 1), D.POSITIVE, sp.Interval.open(1, sp.oo)),
    (sp.true, D.POSITIVE, sp.Interval.open(0, sp.oo)),
    (sp.false, D.REAL, sp.S.EmptySet),
    (x > n, D.REAL, None),                       # another symbol: not solved for x
    (sp.And(x > 1, x > n), D.REAL, None),
])
def test_solution_set(rel, dom, want):
    assert I._solution_set(rel, x, dom) == want
