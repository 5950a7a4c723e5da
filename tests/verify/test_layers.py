"""The layers in order (derive/verify/layers.py): exact verdicts and methods per layer."""
from __future__ import annotations

import pytest
import sympy as sp

from derive import domains as D
from derive.step import Rel
from derive.verify import layers as Lr
from derive.verify.job import _Job

x = sp.Symbol("x", real=True)
s = D.POSITIVE.symbol("s")
A = sp.MatrixSymbol("A", 2, 2)
B = sp.MatrixSymbol("B", 2, 2)
M = sp.ImmutableMatrix
R = sp.Rational


def job(lhs, rel, rhs, domains=(), seed=1, tol=None) -> _Job:
    return _Job(lhs, rel, rhs, tuple(domains), tol, seed, 6, 30, 40)


def brief(v):
    return None if v is None else (v.status, v.method, v.message)


@pytest.mark.parametrize("lhs, rel, rhs, tol, expected", [
    (x + x, Rel.EQ, 2 * x, None, ("proved", "identical", "")),
    ((x + 1) ** 2, Rel.EQ, x**2 + 2 * x + 1, None, ("proved", "expand", "")),
    (x, Rel.EQ, x + 1, None, None),
    (x**2, Rel.GE, 0, None, ("proved", "sign under assumptions", "")),
    (0, Rel.LE, x**2, None, ("proved", "sign under assumptions", "")),
    (x**2 + 1, Rel.GT, 0, None, ("proved", "sign under assumptions", "")),
    (0, Rel.LT, x**2 + 1, None, ("proved", "sign under assumptions", "")),
    (x**2, Rel.LE, 0, None, None),
    (s, Rel.LT, s, None, ("failed", "identical", "the two sides are equal, so the strict inequality fails")),
    (x, Rel.GT, x, None, ("failed", "identical", "the two sides are equal, so the strict inequality fails")),
    (s, Rel.LE, s, None, ("proved", "sign under assumptions", "")),
    (s, Rel.LT, s + 1, None, ("proved", "sign under assumptions", "")),
    (M([x + x, 1]), Rel.EQ, M([2 * x, 1]), None, ("proved", "entry by entry", "")),
    (M([x, 1]), Rel.EQ, M([x + 1, 1]), None, None),
    (M([x, 1]), Rel.EQ, M([[x, 1]]), None, ("failed", "shape", "the two sides have different shapes")),
    (M([R(1, 3)]), Rel.APPROX, M([R(3333, 10000)]), 5e-5,
     ("proved", "exact bound on the rounding error, entry by entry", "")),
    (M([R(1, 3)]), Rel.APPROX, M([R(3334, 10000)]), 5e-5, None),
    (M([x]), Rel.LE, M([x + 1]), None, None),
    (R(1, 3), Rel.APPROX, R(3333, 10000), 5e-5, ("proved", "exact bound on the rounding error", "")),
    (R(1, 3), Rel.APPROX, R(3334, 10000), 5e-5, None),
    (x > 2, Rel.IMPLIES, x > 1, None, ("proved", "solution sets", "")),
    (x > 2, Rel.IFF, x - 2 > 0, None, ("proved", "both directions (rearrangement; rearrangement)", "")),
    (x > 1, Rel.IMPLIES, x > 2, None, ("failed", "solution sets", "the premise holds but the conclusion does not")),
    # the reverse direction of <=> is refuted too
    (x**2 <= 1, Rel.IFF, x <= 1, None, ("failed", "solution sets", "the premise holds but the conclusion does not")),
    (x <= 1, Rel.IFF, x**2 <= 1, None, ("failed", "solution sets", "the premise holds but the conclusion does not")),
    (x > 2, Rel.IFF, x > 1, None, ("failed", "solution sets", "the premise holds but the conclusion does not")),
    ((A * B).T, Rel.EQ, B.T * A.T, None, ("proved", "matrix algebra", "")),
    (A * B, Rel.EQ, B * A, None, None),
])
def test_symbolic_layer(lhs, rel, rhs, tol, expected):
    assert brief(Lr._symbolic_layer(job(lhs, rel, rhs, tol=tol))) == expected


def test_the_reverse_direction_counterexample_satisfies_the_right_side():
    v = Lr._symbolic_layer(job(x**2 <= 1, Rel.IFF, x <= 1))
    val = sp.Rational(v.counterexample["x"])
    assert val <= 1 and not val**2 <= 1


@pytest.mark.parametrize("e, expected", [
    (sp.zoo, True), (sp.nan, True), (1 / sp.S(0) + 1, True), (x * sp.zoo, True),
    (2**sp.zoo, True),
    (sp.Piecewise((sp.zoo, x > 0), (1, True)), False),     # a branch may never be reached
    (sp.Sum(sp.zoo * x, (x, 0, 1)), False),
    (x + 1, False), (sp.Integer(1), False),
])
def test_always_undefined(e, expected):
    assert Lr._always_undefined(e) is expected


@pytest.mark.parametrize("e, expected", [
    (sp.log(-1), True), (sp.I, True), (sp.sqrt(-2), True),
    (sp.I * x, False),                             # has a symbol
    (sp.Integer(2), False),
    (1 + sp.I * R(1, 10**14), False),              # below 1e-12 relative: rounding
    (1 + sp.I * R(1, 10**10), True),
    (1000 + sp.I * R(1, 10**10), False),           # relative to the magnitude
    ("text", False),
])
def test_not_real_constant(e, expected):
    assert Lr._not_real_constant(e) is expected


@pytest.mark.parametrize("lhs, rel, rhs, expected", [
    (sp.zoo, Rel.EQ, 1, "the left side is undefined (a division by zero)"),
    (1, Rel.EQ, sp.nan, "the right side is undefined (an indeterminate form)"),
    (sp.zoo, Rel.EQ, sp.nan, "both sides are undefined (a division by zero; an indeterminate form)"),
    (sp.log(-1), Rel.EQ, 1, "the left side is undefined (not a real number)"),
    (1, Rel.LE, sp.sqrt(-2), "the right side is undefined (not a real number)"),
    (M([1, sp.zoo]), Rel.EQ, M([1, 1]), "the left side is undefined (a division by zero)"),
    (sp.log(-1) * x * sp.I, Rel.EQ, x, None),       # a complex context: I*pi is a value
    (sp.log(-1), Rel.EQ, sp.I * x, None),
    (1, Rel.EQ, 1, None),
    (sp.zoo, Rel.IMPLIES, x > 1, None),
    (sp.zoo, Rel.IFF, x > 1, None),
])
def test_undefined_side(lhs, rel, rhs, expected):
    v = Lr._undefined_side(job(lhs, rel, rhs))
    if expected is None:
        assert v is None
    else:
        assert (v.status, v.method, v.message, v.counterexample) == ("failed", "undefined", expected, {})


@pytest.mark.parametrize("lhs, rel, rhs, expected", [
    (x + x, Rel.EQ, 2 * x, ("proved", "identical")),
    (x, Rel.LE, x, ("proved", "identical")),
    (x, Rel.GE, x, ("proved", "identical")),
    (x > 1, Rel.IFF, x > 1, ("proved", "identical")),
    (x > 1, Rel.IMPLIES, x > 1, ("proved", "identical")),
    (R(1, 3), Rel.APPROX, R(1, 3), ("proved", "identical")),
    (s, Rel.LT, s, ("failed", "numeric")),           # never "identical" for a strict relation
    (x, Rel.GT, x, ("failed", "numeric")),
    (sp.zoo, Rel.EQ, 1, ("failed", "undefined")),
    (M([x]), Rel.EQ, x, ("failed", "shape")),
    (x, Rel.EQ, x + 1, ("failed", "numeric")),
    ((x**2 - 1) / (x - 1), Rel.EQ, x + 1, ("failed", "numeric")),    # the singular point x = 1
    (A * B, Rel.EQ, B * A, ("failed", "random matrices")),
    ((A * B).T, Rel.EQ, B.T * A.T, ("proved", "identical")),
    (A * B + A, Rel.EQ, A * (B + sp.Identity(2)), ("proved", "non-commutative algebra")),
    # integrals skip the numeric filter: the symbolic layer decides
    (sp.Integral(x, (x, 0, 1)), Rel.EQ, R(1, 2), ("proved", "evaluate sums and integrals")),
    (sp.Integral(x, (x, 0, 1)), Rel.EQ, R(1, 3), None),
    (x > 1, Rel.IMPLIES, x > 2, ("failed", "numeric")),
])
def test_run_filter_and_proof(lhs, rel, rhs, expected):
    v = Lr._run_filter_and_proof(job(lhs, rel, rhs))
    assert (None if v is None else (v.status, v.method)) == expected


def test_the_filter_tests_singular_points():
    v = Lr._filter(job((x**2 - 1) / (x - 1), Rel.EQ, x + 1))
    assert brief(v) == ("failed", "numeric", "the left side is undefined here (an indeterminate form)")
    assert v.counterexample == {"x": "1"}
    assert brief(Lr._filter(job(x > 1, Rel.IMPLIES, x > 2)))[:2] == ("failed", "numeric")
    assert Lr._filter(job(x + x, Rel.EQ, 2 * x)) is None


@pytest.mark.parametrize("lhs, rhs, expected", [
    (sp.Integral(x, (x, 0, 1)), 1, True), (1, sp.Integral(x, (x, 0, 1)), True),
    (x, 1, False), (M([1]), M([1]), False),
])
def test_has(lhs, rhs, expected):
    assert Lr._has(job(lhs, Rel.EQ, rhs), sp.Integral) is expected


@pytest.mark.parametrize("lhs, rel, rhs, expected", [
    (x**2, Rel.EQ, x * x, ("numeric", "30 random points at 40 digits", "")),
    (x > 2, Rel.IMPLIES, x > 1, ("numeric", "30 points where the premise holds at 40 digits", "")),
    (A * B, Rel.EQ, (B.T * A.T).T,
     ("numeric", "equal for 8 random integer matrices (sizes 2 to 4) and 28 structured ones", "")),
    # the touching root x = 1 is found by the tight points
    (x**2 + 1, Rel.GT, 2 * x,
     ("failed", "numeric", "the two sides are equal here (2.0000000), so the strict inequality fails")),
    (sp.Eq(sp.sin(x), 2), Rel.IMPLIES, x > 2, ("unknown", "numeric", "only 0 sample points satisfy the premise")),
    # random points never hit x = 1: the singular points do
    ((x**2 - 1) / (x - 1), Rel.EQ, x + 1,
     ("failed", "numeric", "the left side is undefined here (an indeterminate form)")),
])
def test_run_numeric(lhs, rel, rhs, expected):
    assert brief(Lr._run_numeric(job(lhs, rel, rhs))) == expected


def test_an_unevaluable_matrix_step_is_unknown():
    f = sp.Function("f")
    v = Lr._run_numeric(job(f(A), Rel.EQ, A))
    assert brief(v) == ("unknown", "matrix", "could not evaluate the matrix sides")


# Identical sides that are a real number at no point of the domain are undefined, for every
# function the filter names (mutation testing: atanh dropped from the list went unnoticed).
# Reference: cmath gives the value a non-zero imaginary part at the counterexample.
@pytest.mark.parametrize("fn, ref, dom", [
    (sp.atanh, "atanh", D.Domain("> 1", lo=1.0)),
    (sp.asin, "asin", D.Domain("> 1", lo=1.0)),
    (sp.acos, "acos", D.Domain("> 1", lo=1.0)),
    (sp.acosh, "acosh", D.Domain("< 1", hi=1.0)),
    (sp.log, "log", D.Domain("< 0", hi=0.0)),
    (sp.sqrt, "sqrt", D.Domain("< 0", hi=0.0)),
])
def test_identical_sides_real_nowhere_are_undefined(fn, ref: str, dom: D.Domain) -> None:
    import cmath
    from fractions import Fraction

    from derive.step import Justification, Step
    from derive.verify import Verifier
    with Verifier() as v:
        got = v.verify_step(Step(fn(x), Rel.EQ, fn(x), Justification("check")), {x: dom})
        inside = v.verify_step(Step(sp.atanh(x), Rel.EQ, sp.atanh(x), Justification("check")),
                               {x: D.Domain("(-1, 1)", lo=-1.0, hi=1.0)})
    assert (got.status, got.method, got.message) == ("failed", "undefined",
                                                     "both sides are undefined here (not a real number)")
    at = float(Fraction(got.counterexample["x"]))
    assert dom.contains(sp.Rational(got.counterexample["x"])) is True
    assert abs(getattr(cmath, ref)(at).imag) > 1e-9
    assert (inside.status, inside.method) == ("proved", "identical")


# -- a long printed decimal (attack 2, N2): compared at its own digits, not the layer's 40 -- #

_PI40 = sp.Rational("3.1415926535897932384626433832795028841972")     # pi rounded at 40 decimals (next digits 69)
_HALF40 = sp.Rational(1, 2 * 10**40)


@pytest.mark.parametrize("lhs, rhs, status", [
    (sp.pi, _PI40, "proved"),
    (sp.pi, _PI40 + sp.Rational(1, 10**40), "failed"),
    (sp.pi, _PI40 - sp.Rational(1, 10**40), "failed"),
    # a side with a name: sampled at enough digits for the half unit (was 40 digits: all three passed)
    (sp.pi + sp.sin(sp.Symbol("x"))**2 + sp.cos(sp.Symbol("x"))**2 - 1, _PI40, "numeric"),
    (sp.pi + sp.sin(sp.Symbol("x"))**2 + sp.cos(sp.Symbol("x"))**2 - 1, _PI40 + sp.Rational(1, 10**40), "failed"),
    (sp.pi + sp.sin(sp.Symbol("x"))**2 + sp.cos(sp.Symbol("x"))**2 - 1, _PI40 - sp.Rational(1, 10**40), "failed"),
])
def test_a_long_decimal_is_compared_at_its_digits(lhs, rhs, status):
    from derive.step import Justification, Step
    from derive.verify import Verifier
    with Verifier() as v:
        got = v.verify_step(Step(lhs, Rel.APPROX, rhs, Justification("t"), tol=_HALF40), {})
    assert got.status == status


def test_printed_digits_beyond_the_cap_are_not_sampled():
    job = _Job(sp.Symbol("x"), Rel.APPROX, sp.Symbol("x"), (), 1e-300, 1, 8, 24, 40, exact_tol=sp.Rational(1, 10**300))
    assert Lr._at_printed_digits(job) is None
    coarse = _Job(sp.Symbol("x"), Rel.APPROX, sp.Symbol("x"), (), 5e-5, 1, 8, 24, 40, exact_tol=sp.Rational(1, 20000))
    assert Lr._at_printed_digits(coarse) is coarse
