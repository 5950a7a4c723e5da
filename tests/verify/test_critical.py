"""Strict inequalities whose sides touch at an irrational point (derive/verify/critical.py, #8 A6).

``1 + \\cos x > 0`` fails at x = pi only; no float point is ever exactly there, so
the step was "valid (numeric)".  The exact zeros of ``d`` and ``d'`` are visited now.
Each refutation is checked independently: the counterexample's value is evaluated
with mpmath at 60 digits, from a hand-written mpmath form of the difference.
"""
from __future__ import annotations

import mpmath as mp
import pytest
import sympy as sp

from derive import domains as D
from derive.step import Justification, Rel, Step
from derive.verify import critical as C

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
t = D.POSITIVE.symbol("t")
R = sp.Rational
UNIT = D.Domain("x", -1, 1)

#: (lhs, rel, rhs, domains, the difference in mpmath of the counterexample's values, where it is 0)
TOUCHING = [
    (1 + sp.cos(x), Rel.GT, 0, {}, lambda v: 1 + mp.cos(v["x"]), "pi"),
    (sp.sin(x) + sp.cos(x), Rel.LT, sp.sqrt(2), {}, lambda v: mp.sqrt(2) - mp.sin(v["x"]) - mp.cos(v["x"]), "pi/4"),
    (sp.log(t), Rel.LT, t / sp.E, {t: D.POSITIVE}, lambda v: v["t"] / mp.e - mp.log(v["t"]), "E"),
    (t * sp.log(t), Rel.GT, -1 / sp.E, {t: D.POSITIVE}, lambda v: v["t"] * mp.log(v["t"]) + 1 / mp.e, "exp(-1)"),
    (sp.cos(x) ** 2 + sp.sin(x), Rel.LT, R(5, 4), {}, lambda v: R(5, 4) - mp.cos(v["x"]) ** 2 - mp.sin(v["x"]), None),
    (sp.sin(x) ** 2, Rel.LT, 1, {}, lambda v: 1 - mp.sin(v["x"]) ** 2, None),
    # the tie is no automatic simplification: cos(2 acos(-1/4)) = -7/8 is proved by simplify
    (sp.cos(x) + sp.cos(2 * x), Rel.GT, -R(9, 8), {}, lambda v: mp.cos(v["x"]) + mp.cos(2 * v["x"]) + mp.mpf(9) / 8, None),
    (x + sp.sqrt(1 - x**2), Rel.LT, sp.sqrt(2), {x: UNIT}, lambda v: mp.sqrt(2) - v["x"] - mp.sqrt(1 - v["x"] ** 2),
     "sqrt(2)/2"),
    # several variables: the others at a sampled point, one at the exact critical point
    (sp.exp(y) * (1 + sp.cos(x)), Rel.GT, 0, {}, lambda v: mp.exp(v["y"]) * (1 + mp.cos(v["x"])), None),
    (y**2 + 1 + sp.cos(x), Rel.GT, y**2, {}, lambda v: 1 + mp.cos(v["x"]), None),
    # polynomials whose double roots are irrational: a 20-digit root (nroots) left a positive gap
    (sp.expand((x**2 - 2) ** 2), Rel.GT, 0, {}, lambda v: (v["x"] ** 2 - 2) ** 2, None),
    (sp.expand((x**2 - x - 1) ** 2), Rel.GT, 0, {}, lambda v: (v["x"] ** 2 - v["x"] - 1) ** 2, None),
    (sp.expand((x**3 - 3 * x + 1) ** 2), Rel.GT, 0, {}, lambda v: (v["x"] ** 3 - 3 * v["x"] + 1) ** 2, None),
    (x**4 + 4, Rel.GT, 4 * x**2, {}, lambda v: v["x"] ** 4 + 4 - 4 * v["x"] ** 2, None),
    # two symbols at their touching point together (no slice through a sampled point meets it)
    (y**2 + (x**2 - 2) ** 2, Rel.GT, 0, {}, lambda v: v["y"] ** 2 + (v["x"] ** 2 - 2) ** 2, None),
    ((y - 1) ** 2 + (sp.cos(x) + 1) ** 2, Rel.GT, 0, {}, lambda v: (v["y"] - 1) ** 2 + (mp.cos(v["x"]) + 1) ** 2,
     None),
]


def _values(cex: dict[str, str]) -> dict[str, mp.mpf]:
    # test code: the counterexample is derive's own output, read back to check it independently
    return {k: mp.mpf(sp.N(sp.sympify(v), 70)) for k, v in cex.items()}


@pytest.mark.parametrize("lhs, rel, rhs, doms, diff, where", TOUCHING)
def test_a_strict_inequality_fails_where_its_sides_touch_exactly(verifier, lhs, rel, rhs, doms, diff, where):
    v = verifier.verify_step(Step(lhs, rel, rhs, Justification("test")), doms)
    assert v.status == "failed"
    assert v.message.startswith("the two sides are equal here (") and v.message.endswith(
        "), so the strict inequality fails")
    if where is not None:
        assert sp.sympify(v.counterexample[next(iter(v.counterexample))]) == sp.sympify(where) or \
            where in v.counterexample.values()
    with mp.workdps(60):
        assert abs(diff(_values(v.counterexample))) < mp.mpf(10) ** -50


@pytest.mark.parametrize("lhs, rel, rhs, doms, diff, where", TOUCHING)
def test_the_non_strict_version_stays_certified(verifier, lhs, rel, rhs, doms, diff, where):
    weak = {Rel.GT: Rel.GE, Rel.LT: Rel.LE}[rel]
    assert verifier.verify_step(Step(lhs, weak, rhs, Justification("test")), doms).status in ("numeric", "proved")


def test_a_minimum_that_is_zero_where_no_solver_finds_it_is_unknown(verifier):
    # sin x = x/2 + 1/10 has no closed-form solution (solveset: a ConditionSet); the
    # square touches 0 there, which mpmath finds independently
    g = sp.sin(x) - x / 2 - R(1, 10)
    v = verifier.verify_step(Step(g**2, Rel.GT, 0, Justification("test")), {})
    assert (v.status, v.method) == ("unknown", "numeric")
    assert v.message.startswith("the difference of the sides comes within 10^-40 of 0 near x = ")
    assert v.message.endswith(": derive cannot tell whether the strict inequality fails there")
    near = mp.mpf(v.message.split("near x = ")[1].split(":")[0])
    assert abs(mp.findroot(lambda u: mp.sin(u) - u / 2 - mp.mpf(1) / 10, near) - near) < 1e-6
    # a clear positive gap is no doubt
    assert verifier.verify_step(Step(g**2 + R(1, 1000), Rel.GT, 0, Justification("test")), {}).ok


@pytest.mark.parametrize("lhs, rel, rhs", [
    (sp.atan(x), Rel.LT, sp.pi / 2),            # the supremum is only approached
    (sp.exp(x), Rel.GT, x),
    (2 + sp.cos(x), Rel.GT, R(1, 2)),
    (sp.cos(x), Rel.LT, 1 + R(1, 10**30)),
    # a minimum of 10^-50 far out (golden section at x = 3 pi, 10^5): the exact member it is
    # is evaluated, no doubt
    (sp.cos(x), Rel.GT, -1 - R(1, 10**50)),
])
def test_true_strict_inequalities_stay_certified(verifier, lhs, rel, rhs):
    assert verifier.verify_step(Step(lhs, rel, rhs, Justification("test")), {}).status in ("numeric", "proved")


# --------------------------------------------------------------------------- #
# the pieces
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("f, dom, expected", [
    # d' = -sin x: 0 and pi (each nearest to 0 first), then d = 0: pi again
    (1 + sp.cos(x), D.REAL, [0, sp.pi, -sp.pi]),
    (t / sp.E - sp.log(t), D.POSITIVE, [sp.E]),            # d = 0 itself is a ConditionSet: no points
    (sp.exp(x) - 1 - x, D.REAL, [0]),
    (sp.sin(x) - x / 2, D.REAL, [sp.pi / 3, -sp.pi / 3, 5 * sp.pi / 3]),
])
def test_exact_points(f, dom, expected):
    s = next(iter(f.free_symbols))
    got = C.exact_points(f, s, dom)
    assert set(expected) <= set(got)
    for p in got:         # each is a zero of d or d' (mpmath, independently of SymPy's solver)
        with mp.workdps(50):
            at = float(p)
            vals = [abs(sp.lambdify(s, g, "mpmath")(mp.mpf(sp.N(p, 60)))) for g in (f, sp.diff(f, s))]
            assert min(vals) < 1e-40, (p, at)


def test_touching_roots_are_exact_roots_of_the_numerator():
    got = C.touching_roots(sp.expand((x**3 - 3 * x + 1) ** 2) / (x**2 + 1), x, D.REAL)
    assert len(got) == 3 and all(isinstance(r, sp.CRootOf) for r in got)
    with mp.workdps(50):
        assert all(abs(mp.polyval([1, 0, -3, 1], mp.mpf(sp.N(r, 60)))) < 1e-45 for r in got)
    assert C.touching_roots(x**2 + 1, x, D.REAL) == []                 # no real root
    assert C.touching_roots(x**2 - 2, x, D.POSITIVE) == [sp.sqrt(2)]   # in the domain only
    assert C.touching_roots(sp.sqrt(2) * x - 1, x, D.REAL) == []       # no rational coefficients


def test_exact_points_stay_in_the_domain():
    got = C.exact_points(sp.cos(x), x, D.Domain("x", 10, None))
    assert got and all(p > 10 for p in got)
    assert C.exact_points(sp.cos(x), x, D.INTEGER) == []


@pytest.mark.parametrize("d, expected", [
    (sp.cos(2 * sp.acos(-R(1, 4))) + R(7, 8), True),
    (sp.cos(2 * sp.acos(-R(1, 4))) + R(7, 8) + R(1, 10**50), False),
    (sp.sqrt(2) - sp.Float("1.41421356237309504880168872420969807857", 40), False),   # a float is no proof
])
def test_proved_zero(d, expected):
    assert C.proved_zero(d) is expected
