"""Behaviour that mutation testing found unpinned (issue #14, session 8): messages, tolerances,
the sampler's ranges and the exact search for touching points (derive/verify).

Each test names the mutant it kills; every expected value is computed here independently
(by hand, Python's own arithmetic, mpmath) rather than read from derive.
"""
from __future__ import annotations

import math
import random

import mpmath as mp
import pytest
import sympy as sp

from derive import domains as D
from derive import notation as nt
from derive.check import check_text
from derive.step import Rel
from derive.verify import critical as C
from derive.verify import implications as I
from derive.verify import large as L
from derive.verify import layers as Lr
from derive.verify.distributions import probability_layer
from derive.verify.job import _elementary, _Job
from derive.verify.numeric import _numeric_layer
from derive.verify.probability import EXPECT, RandomSymbol
from derive.verify.sampling import strata

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
n = sp.Symbol("n", integer=True, positive=True)
R = sp.Rational


def job(lhs, rel, rhs, domains=(), **kw) -> _Job:
    return _Job(sp.sympify(lhs), rel, sp.sympify(rhs), tuple(domains), kw.pop("tol", None), 1, 6, 24, 40, **kw)


# --------------------------------------------------------------------------- #
# messages (implications, large values)
# --------------------------------------------------------------------------- #

# x = 3 is solved exactly, so its direction has points; x + e^x = 3 + e^3 (the same single x,
# e^x increasing) is a ConditionSet to solveset and random points never meet it, so the other
# direction of <=> has none: the message names the side that had too few points.
# Kills implications.x__implication_layer__mutmut_104 (the text "right side").
@pytest.mark.parametrize("lhs, rhs, message", [
    (sp.Eq(x, 3), sp.Eq(x + sp.exp(x), 3 + sp.exp(3)), "only 0 sample points satisfy the right side"),
    (sp.Eq(x + sp.exp(x), 3 + sp.exp(3)), sp.Eq(x, 3), "only 0 sample points satisfy the premise"),
])
def test_an_iff_names_the_side_too_few_points_satisfy(lhs, rhs, message):
    v = I._implication_layer(job(lhs, Rel.IFF, rhs), 30, 40, True)
    assert (v.status, v.method, v.message) == ("unknown", "numeric", message)


# floor(n / 10^4) + 1/3 = 1/3 fails first at n = 10^4 (Python: 10**4 // 10**4 == 1), the sides
# 4/3 and 1/3; 2^n <= 10^12 / 3 first at n = 1000 (an exponent, sampled small), 2^1000 against
# 3.3e11.  Shown to 8 significant digits ("%.8g" of Python floats, independent of mpmath).
# Kills large.x_large_points__mutmut_170 (9 digits).
@pytest.mark.parametrize("lhs, rel, rhs, at", [
    (sp.floor(n / 10**4) + R(1, 3), Rel.EQ, R(1, 3), 10**4),
    (2**n, Rel.LE, R(10**12, 3), 1000),
])
def test_a_large_value_counterexample_shows_eight_digits(lhs, rel, rhs, at):
    v = L.large_points(job(lhs, rel, rhs, ((n, D.POSITIVE_INTEGER),)))
    want = [float(lhs.subs(n, at)), float(rhs)]
    assert (v.status, v.method, v.counterexample) == ("failed", "numeric", {"n": str(at)})
    assert v.message == f"sides differ: {want[0]:.8g} vs {want[1]:.8g}"


# --------------------------------------------------------------------------- #
# tolerances
# --------------------------------------------------------------------------- #

# A tolerance of exactly 0 asks for no extra digits, whatever the sides' scale (10^300 would
# need 467 digits, beyond the 400 derive samples at).  Kills layers.x__at_printed_digits__mutmut_6.
def test_a_zero_tolerance_keeps_the_precision():
    j = job(x * 10**300, Rel.APPROX, x * 10**300, tol=0.0, exact_tol=sp.Integer(0))
    assert Lr._at_printed_digits(j) is j
    half = job(x * 10**200, Rel.APPROX, x * 10**200, tol=0.5, exact_tol=R(1, 2))
    # the half unit 1/2 beside 10^200 (201 digits): ceil((log10(2) + 10 + 201) * 3 / 2) digits
    assert Lr._at_printed_digits(half).precision == math.ceil((math.log10(2) + 10 + len(str(10**200))) * 3 / 2)


X = RandomSymbol("X")


# An approximation with no printed tolerance is compared with the layers' slack at 40 digits,
# 10^-26 absolute plus 10^-26 of the sides' size (floor(2 * 40 / 3) = 26): for random variables
# as for plain symbols.  At E[X] = 3/2 (X = 1 or 2, equally likely) a gap of 1.5e-26 is inside
# 2.5e-26, one of 5e-26 is not.  Kills distributions.x_probability_layer__mutmut_81 (10^-26.67).
@pytest.mark.parametrize("gap, passes", [(R(15, 10**27), True), (R(5, 10**26), False)])
def test_the_slack_of_an_approximation_is_the_same_for_random_variables(gap, passes):
    assert bool(gap <= R(1, 10**26) * (1 + R(3, 2))) is passes
    v = probability_layer(job(EXPECT(X), Rel.APPROX, EXPECT(X) + gap), 24, 40, thorough=True)
    if passes:
        assert (v.status, v.method) == ("numeric", "24 finite laws of the random variables")
    else:
        assert (v.status, v.method, v.counterexample) == ("failed", "distribution", {"X": "1 or 2 (equally likely)"})
        assert v.message == f"sides differ: 1.5000000 vs 1.5000000 (difference {sp.N(-gap, 3)})"
    plain = _numeric_layer(job(x, Rel.APPROX, x + gap, ((x, D.Domain("x", lo=1.0, hi=2.0)),)), 24, 40)
    assert (plain is None) is passes


# --------------------------------------------------------------------------- #
# an i.i.d. family: one member's moments stand for all
# --------------------------------------------------------------------------- #

IID = "% derive: assume X_1, X_2 \\text{ i.i.d.}\n"


# Kills probability.xǁ_Algebraǁsame__mutmut_2 (the family's representative never used: the
# steps were still valid, but only by sampling laws).
@pytest.mark.parametrize("step", [r"\mathbb{E}[X_2] = \mathbb{E}[X_1]", r"\mathrm{Var}(X_2) = \mathrm{Var}(X_1)",
                                  r"\mathbb{E}[X_2^3] = \mathbb{E}[X_1^3]",
                                  r"\mathbb{E}[X_1 X_2] = \mathbb{E}[X_1]^2"])
def test_moments_of_an_iid_family_are_proved_equal(step):
    s = check_text(IID + f"\\[ {step} \\]\n", timeout=10).steps[-1]
    assert (s.verdict, s.method) == ("valid", "proved")


# --------------------------------------------------------------------------- #
# the sampler's strata reach both ends of their ranges
# --------------------------------------------------------------------------- #

SEEDS = range(400)


def _draws(dom: D.Domain, name: str, **kw) -> list[sp.Expr]:
    (st,) = [st for st in strata(dom, **kw) if st.name == name]
    return [st.draw(random.Random(seed)) for seed in SEEDS]


def _reaches(values: list[float], lo: float, hi: float, log: bool) -> bool:
    """Some value in the lowest and some in the highest tenth of [lo, hi] (of the exponent's range
    when log-uniform), none beyond either end (4 significant digits of rounding)."""
    f = math.log10 if log else (lambda v: v)
    a, b = f(lo), f(hi)
    got = [f(v) for v in values]
    eps = 1e-3 * max(abs(a), abs(b), 1)
    return min(got) < a + (b - a) / 10 and max(got) > b - (b - a) / 10 and a - eps <= min(got) \
        and max(got) <= b + eps


# The ranges of sampling.py's module text and README (moderate 0.2 to 3, near 0 10^-3 to 10^-1,
# near 1 within 10^-3 to 10^-1, large 10^0.5 to 10^6, medium 3 to 12).  Kills
# sampling.x__real_strata__mutmut_85 (large from 10^1.5) and the same change to every other end.
@pytest.mark.parametrize("name, offset, lo, hi, log", [
    ("moderate", 0, 0.2, 3.0, False),
    ("near 0", 0, 1e-3, 1e-1, True),
    ("near ±1", 1, 1e-3, 1e-1, True),
    ("large", 0, 10**0.5, 1e6, True),
    ("medium", 0, 3.0, 12.0, False),
])
@pytest.mark.parametrize("dom, end, away", [
    (D.REAL, 0, 0), (D.POSITIVE, 0, 1), (D.Domain("x > 2", lo=2.0), 2, 1), (D.Domain("x < 2", hi=2.0), 2, -1)])
def test_each_real_stratum_reaches_both_ends_of_its_range(name, offset, lo, hi, log, dom, end, away):
    if away:
        name = {"near 0": "near the end", "near ±1": "near 1"}.get(name, name)
    vs = _draws(dom, name)
    if away:
        assert all(v * away > end * away for v in vs) and all(dom.contains(v) for v in vs)
        dist = [float(abs(v - end)) for v in vs]
        if name == "moderate" and end == 0:
            dist = [float(v) * away for v in vs]
    else:
        dist = [float(abs(v)) for v in vs]
        assert any(v < 0 for v in vs) and any(v > 0 for v in vs)
    if offset:
        dev = [d - offset for d in dist]
        assert any(e > 0 for e in dev) and any(e < 0 for e in dev)
        dist = [abs(e) for e in dev]
    assert _reaches(dist, lo, hi, log)


@pytest.mark.parametrize("name, lo, hi, log", [
    ("middle", 0.02, 0.98, False),
    ("near the lower end", 1e-4, 10**-1.3, True),
    ("near the upper end", 1e-4, 10**-1.3, True),
])
def test_each_bounded_stratum_reaches_both_ends_of_its_range(name, lo, hi, log):
    a, b = 1.0, 3.0
    vs = [float(v) for v in _draws(D.Domain("b", lo=a, hi=b), name)]
    rel = [(v - a) / (b - a) for v in vs] if name != "near the upper end" else [(b - v) / (b - a) for v in vs]
    assert _reaches(rel, lo, hi, log)


# every integer of a small range is drawn, both ends included
@pytest.mark.parametrize("dom, kw, name, values", [
    (D.INTEGER, {}, "small", set(range(-6, 7))),
    (D.INTEGER, {}, "moderate", set(range(7, 41)) | set(range(-40, -6))),
    (D.POSITIVE_INTEGER, {}, "small", set(range(1, 8))),
    (D.POSITIVE_INTEGER, {}, "moderate", set(range(8, 42))),
    (D.POSITIVE_INTEGER, {"small": True}, "small", set(range(1, 8))),
])
def test_an_integer_stratum_draws_every_value_of_its_range(dom, kw, name, values):
    vs = {int(v) for v in _draws(dom, name, **kw)}
    assert vs == values


@pytest.mark.parametrize("dom, lo, hi", [(D.INTEGER, 100, 1000), (D.POSITIVE_INTEGER, 101, 1001)])
def test_large_integers_reach_both_ends(dom, lo, hi):
    vs = [abs(int(v)) for v in _draws(dom, "large")]
    assert lo <= min(vs) < lo + 20 and hi - 20 < max(vs) <= hi


# --------------------------------------------------------------------------- #
# critical points: the pieces
# --------------------------------------------------------------------------- #

# A complex value is no value; a real one (or one whose imaginary part is below 10^-30 of its
# size) is its real part.  Kills critical.x__mp_value__mutmut_10 (10^{+30}).
@pytest.mark.parametrize("fn, at, want", [
    (mp.sqrt, -4, None),
    (mp.sqrt, 4, 2),
    (lambda u: mp.mpc(u, mp.mpf(10) ** -40), 3, 3),
    (lambda u: mp.mpc(u, mp.mpf(10) ** -25), 3, None),
    (lambda u: mp.mpc(u, mp.mpf(10) ** -25), 10**6, 10**6),     # 10^-25 is below 10^-30 of 10^6
    (lambda u: 1 / u, 0, None),
    (lambda u: mp.inf * u, 1, None),
    (lambda u: mp.log(u), -1, None),
])
def test_mp_value(fn, at, want):
    with mp.workdps(C.REFINE_DPS):
        got = C._mp_value(fn, mp.mpf(at))
    assert got == want if want is None else (isinstance(got, mp.mpf) and got == want)


# (x - y)^2 + (y^2 - 3)^2 is 0 where x = y = ±sqrt 3: two squares are enough for the system.
# Kills critical.x__square_bases__mutmut_19 (three squares needed).
@pytest.mark.parametrize("d, want", [
    ((x - y) ** 2 + (y**2 - 3) ** 2, [{x: -sp.sqrt(3), y: -sp.sqrt(3)}, {x: sp.sqrt(3), y: sp.sqrt(3)}]),
    (3 * sp.Abs(x - 1) + (y + x) ** 2, [{x: 1, y: -1}]),
    ((x - y) ** 2 + x**2 + 1, []),          # a constant term: no sum of squares
    ((x - y) ** 2, []),                      # one square: the slices find its zeros
    ((x - y) ** 2 - (y - 1) ** 2, []),       # a negative coefficient
])
def test_square_zeros(d, want):
    got = list(C.square_zeros(d, [x, y], {x: D.REAL, y: D.REAL}, None))
    assert sorted(map(dict, got), key=str) == sorted(want, key=str)
    assert all(isinstance(p, C.Touching) for p in got)
    for p in got:       # independently: the difference is exactly 0 there
        assert sp.simplify(d.xreplace(p)) == 0


def test_square_zeros_stay_in_the_domains():
    got = list(C.square_zeros((x - y) ** 2 + (y**2 - 3) ** 2, [x, y], {x: D.POSITIVE, y: D.POSITIVE}, None))
    assert got == [{x: sp.sqrt(3), y: sp.sqrt(3)}]


# 1 + cos x has its minimum 0 at pi (mpmath's pi): settled as the exact solution pi when
# solveset gives it, else a doubt at 3.1415927.  Kills critical.x_settle_minima__mutmut_26 and
# critical.x_zero_minimum__mutmut_25 (the sides' scale compiled without mpmath: no minimum found).
def test_a_numeric_minimum_is_settled_as_the_exact_solution_or_a_doubt():
    f = 1 + sp.cos(x)
    sets = C.solution_sets(f, x, D.REAL)
    doubts = C.Doubts()
    assert C.settle_minima(f, x, D.REAL, sets, [3.0], [], doubts) == [sp.pi] and doubts.found == []
    assert C.settle_minima(f, x, D.REAL, sets, [3.0], [sp.pi], doubts) == []
    assert C.settle_minima(f, x, D.REAL, [], [3.0], [], doubts) == [] and doubts.found == [(x, f"{math.pi:.8g}")]
    assert doubts.message() == ("the difference of the sides comes within 10^-40 of 0 near x = 3.1415927: "
                                "derive cannot tell whether the strict inequality fails there")


@pytest.mark.parametrize("f, start, want", [
    (1 + sp.cos(x), 3.0, math.pi),
    ((x - sp.sqrt(2)) ** 2, 1.0, math.sqrt(2)),
    (2 + sp.cos(x), 3.0, None),              # the minimum is 1, not 0
    (x**2 + R(1, 10**30), 0.5, None),        # 10^-30 is not 0 to 40 digits
])
def test_zero_minimum(f, start, want):
    scale = sp.Add(*map(sp.Abs, sp.Add.make_args(f)))
    got = C.zero_minimum(f, x, start, scale)
    assert got == want if want is None else abs(got - want) < 1e-12


# Integrals are left to the quadrature, never simplified to a proof of a tie here.
# Kills critical.x_proved_zero__mutmut_5.
@pytest.mark.parametrize("d, expected", [
    (sp.Integral(x, (x, 0, 1)) - R(1, 2), False),
    (sp.sqrt(8) - 2 * sp.sqrt(2), True),
    (sp.Sum(R(1, 2) ** n, (n, 1, sp.oo)) - 1, False),
    (x - x + 1, False),
])
def test_proved_zero_never_integrates(d, expected):
    assert C.proved_zero(d) is expected


# The exact points are computed when no solution sets are given.  Kills critical.x_exact_points__mutmut_1.
def test_exact_points_solve_when_no_sets_are_given():
    assert C.exact_points(sp.cos(x) - 1, x, D.REAL)[:2] == [0, 2 * sp.pi]
    assert C.exact_points(sp.cos(x) - 1, x, D.REAL, sets=[]) == []


# --------------------------------------------------------------------------- #
# job: notation with a definition is rewritten
# --------------------------------------------------------------------------- #

# Kills job.x__elementary__mutmut_3.
@pytest.mark.parametrize("obj, want", [
    (nt.Sigmoid(x), 1 / (1 + sp.exp(-x))),
    (2 * nt.Sigmoid(x) + 1, 2 / (1 + sp.exp(-x)) + 1),
    (3, sp.Integer(3)),
    (x**2, x**2),
])
def test_elementary_rewrites_defined_notation(obj, want):
    got = _elementary(obj)
    assert isinstance(got, sp.Basic) and sp.simplify(got - want) == 0 and not got.has(*nt.DEFINED)
