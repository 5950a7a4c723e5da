"""Working precision from the step itself (derive/verify/precision.py) and tiny-effect errors.

A tiny-effect error (``\\sqrt2 + 10^{-41} = \\sqrt2``) agrees with its true neighbour in
every one of the 40 digits the numeric layer used to compare; these tests pin that such
steps now fail with the point and the difference, which is checked against mpmath at 1200
digits (an independent evaluation), and that the true neighbours stay certified.
"""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from derive.check import check_text
from derive.domains import POSITIVE
from derive.step import Justification, Rel, Step
from derive.verify import precision as P

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", positive=True)
z = sp.Symbol("z", positive=True)
n = sp.Symbol("n", integer=True, positive=True)
R = sp.Rational
TINY = R(1, 10**41)


def mp(e: sp.Expr) -> mpmath.mpf:
    """An independent value: the expression compiled to mpmath at 1200 digits."""
    with mpmath.workdps(1200):
        return +sp.lambdify((), e, modules="mpmath")()


# --------------------------------------------------------------------------- #
# the difference of two exact sides at a point
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("lhs, rhs, kind", [
    (sp.sqrt(2) + TINY, sp.sqrt(2), "nonzero"),                  # cancels exactly to 10^{-41}
    (sp.exp(100) + 1, sp.exp(100), "nonzero"),
    (sp.exp(sp.pi * sp.sqrt(163)), sp.Integer(262537412640768744), "nonzero"),
    (sp.sin(R(3, 2)) ** 2 + sp.cos(R(3, 2)) ** 2, 1 + R(1, 10**30), "nonzero"),
    (sp.tanh(1000), sp.Integer(1), "nonzero"),                   # 1 - tanh 1000 = 2e^{-2000}...
    (sp.log(6), sp.log(2) + sp.log(3) + R(1, 10**60), "nonzero"),
    (sp.sin(R(3, 2)) ** 2 + sp.cos(R(3, 2)) ** 2, sp.Integer(1), "tie"),   # a true identity
    (sp.log(6), sp.log(2) + sp.log(3), "tie"),
    (sp.sqrt(2) * sp.sqrt(3), sp.sqrt(6), "zero"),               # SymPy cancels it exactly
    (R(1, 3), R(1, 3), "zero"),
    (sp.tanh(10**4), sp.Integer(1), "unresolved"),               # 8700 digits: beyond CAP
    (sp.Float(0.5, 40) + TINY, R(1, 2), "none"),                 # quadrature's Float: no error bound
    (sp.Sum(1 / sp.Symbol("k") ** 2, (sp.Symbol("k"), 1, sp.oo)), sp.pi ** 2 / 6, "none"),
])
def test_difference_kind(lhs, rhs, kind):
    assert P.difference(lhs, rhs, 40)[0] == kind


@pytest.mark.parametrize("lhs, rhs", [
    (sp.sqrt(2) + TINY, sp.sqrt(2)),
    (sp.exp(sp.pi * sp.sqrt(163)), sp.Integer(262537412640768744)),
    (sp.sin(R(3, 2)) ** 2 + sp.cos(R(3, 2)) ** 2, 1 + R(1, 10**30)),
    (sp.tanh(1000), sp.Integer(1)),
    (sp.log(6), sp.log(2) + sp.log(3) + R(1, 10**60)),
])
def test_a_nonzero_difference_matches_mpmath_to_twelve_digits(lhs, rhs):
    kind, value = P.difference(lhs, rhs, 40)
    with mpmath.workdps(1200):
        ref = mp(lhs) - mp(rhs)
        assert kind == "nonzero" and ref != 0
        assert abs(mpmath.mpf(sp.Float(value, 15)) / ref - 1) < mpmath.mpf(10) ** -12


@pytest.mark.parametrize("sides, scale", [
    ((R(1, 10**41), sp.sqrt(2)), 42),            # 10^41 has 42 digits
    ((sp.Integer(262537412640768744),), 18),
    ((sp.tanh(1000), sp.Integer(1)), 869),       # 2000 log10(e) = 868.6
    ((sp.erf(30),), 391),                        # 900 log10(e) = 390.9
    ((sp.pi ** 100,), 50),                       # 100 log10(pi) = 49.7
    ((R(3, 2), sp.sin(R(3, 2))), 1),
    ((sp.Integer(7) ** 2,), 2),                  # a rational power is a rational (49)
])
def test_scale_digits(sides, scale):
    assert P.scale_digits(sides) == scale


def test_needed_digits_adds_the_base_and_the_margin():
    assert P.needed_digits((R(1, 10**41),), 40) == 40 + 42 + P.MARGIN


# --------------------------------------------------------------------------- #
# through the verifier: false steps fail at a point, true neighbours stay certified
# --------------------------------------------------------------------------- #

FALSE = [
    (sp.sqrt(2) + TINY, Rel.EQ, sp.sqrt(2), {}),
    (sp.exp(100) + 1, Rel.EQ, sp.exp(100), {}),
    (sp.exp(sp.pi * sp.sqrt(163)), Rel.EQ, sp.Integer(262537412640768744), {}),
    (sp.sin(x) ** 2 + sp.cos(x) ** 2, Rel.EQ, 1 + R(1, 10**30), {}),
    (sp.tanh(1000), Rel.EQ, sp.Integer(1), {}),
    (sp.log(y * z), Rel.EQ, sp.log(y) + sp.log(z) + R(1, 10**60), {}),
    (sp.exp(x) * sp.exp(-x) + R(1, 10**50), Rel.EQ, sp.Integer(1), {}),
    (x / y + y / x, Rel.GE, 2 + R(1, 10**35), {x: POSITIVE}),
    (4 * x * (1 - x), Rel.LE, 1 - R(1, 10**20), {}),
]
TRUE = [
    (sp.sqrt(2) + TINY, Rel.GT, sp.sqrt(2), {}),
    (sp.sin(x) ** 2 + sp.cos(x) ** 2, Rel.EQ, sp.Integer(1), {}),
    (sp.tanh(x), Rel.LE, sp.Integer(1), {}),
    (sp.log(y * z), Rel.EQ, sp.log(y) + sp.log(z), {}),
    (x / y + y / x, Rel.GE, sp.Integer(2), {x: POSITIVE}),
    (4 * x * (1 - x), Rel.LE, sp.Integer(1), {}),
    (sp.exp(sp.pi * sp.sqrt(163)), Rel.LT, sp.Integer(262537412640768744), {}),
    (sp.exp(sp.pi * sp.sqrt(163)), Rel.GT, sp.Integer(262537412640768743), {}),
]


def _fails_at(lhs, rel, rhs, point: dict) -> bool:
    """The relation fails at ``point``, decided at 1200 digits by mpmath (independent of derive)."""
    names = {s.name: s for s in (lhs - rhs).free_symbols}
    at = {names[k]: sp.Rational(v) for k, v in point.items()}
    with mpmath.workdps(1200):
        d = mp(lhs.xreplace(at)) - mp(rhs.xreplace(at))
        return {Rel.EQ: d != 0, Rel.LE: d > 0, Rel.GE: d < 0, Rel.LT: d >= 0, Rel.GT: d <= 0}[rel]


@pytest.mark.parametrize("lhs, rel, rhs, domains", FALSE)
def test_tiny_effect_errors_fail_at_a_true_counterexample(verifier, lhs, rel, rhs, domains):
    v = verifier.verify_step(Step(lhs, rel, rhs, Justification("test")), domains)
    assert v.status == "failed" and v.method == "numeric"
    assert "(difference " in v.message
    assert _fails_at(lhs, rel, rhs, v.counterexample or {})


@pytest.mark.parametrize("lhs, rel, rhs, domains", TRUE)
def test_their_true_neighbours_stay_certified(verifier, lhs, rel, rhs, domains):
    assert verifier.verify_step(Step(lhs, rel, rhs, Justification("test")), domains).ok


def test_a_tie_beyond_the_cap_is_unknown_not_certified(verifier):
    v = verifier.verify_step(Step(sp.tanh(10**4), Rel.EQ, sp.Integer(1), Justification("test")), {})
    assert (v.status, v.method) == ("unknown", "numeric")
    assert v.message.startswith("the sides agree to 40 digits; telling them apart needs ")


@pytest.mark.parametrize("step, verdict", [
    (r"\sqrt2 + 10^{-41} = \sqrt2", "invalid"),
    (r"e^{100} + 1 = e^{100}", "invalid"),
    (r"e^{\pi\sqrt{163}} = 262537412640768744", "invalid"),
    (r"\sqrt2 + 10^{-41} > \sqrt2", "valid"),
    (r"e^{100} + 1 > e^{100}", "valid"),
])
def test_from_the_checker(step, verdict):
    assert [s.verdict for s in check_text(f"\\[ {step} \\]\n", timeout=10).steps] == [verdict]


def test_the_checker_message_gives_the_difference():
    (s,) = check_text("\\[ e^{\\pi\\sqrt{163}} = 262537412640768744 \\]\n", timeout=10).steps
    assert s.message == "sides differ: 2.6253741e+17 vs 2.6253741e+17 (difference -7.50E-13)"


@pytest.mark.parametrize("lhs, rhs, half, expected", [
    # pi rounded at 35 decimals is ...950288 (the 36th digit is 4); one unit up is outside
    (sp.pi, sp.Rational("3.14159265358979323846264338327950288"), sp.Rational(1, 2 * 10**35), True),
    (sp.pi, sp.Rational("3.14159265358979323846264338327950289"), sp.Rational(1, 2 * 10**35), False),
    (sp.Rational(1, 4), sp.Rational(3, 10), sp.Rational(1, 20), True),      # exactly half a unit: inside
    (sp.Rational(1, 4), sp.Rational(3, 10), sp.Rational(1, 21), False),
    (sp.sqrt(2) + sp.Rational(1, 10**60), sp.sqrt(2), sp.Rational(1, 10**60), True),
    (sp.sqrt(2) + sp.Rational(1, 10**60), sp.sqrt(2), sp.Rational(1, 10**60) - sp.Rational(1, 10**90), False),
    (sp.Float(1.5), sp.Rational(3, 2), sp.Rational(1, 100), None),          # a Float carries no error bound
])
def test_within_half_is_exact(lhs, rhs, half, expected) -> None:
    assert P.within_half(lhs, rhs, half) is expected


def test_the_pi_rows_agree_with_mpmath() -> None:
    with mpmath.workdps(100):       # the 36th decimal of pi is 4: ...950288 is pi rounded, ...950289 is not
        assert mpmath.nstr(mpmath.pi, 40, strip_zeros=False).startswith("3.14159265358979323846264338327950288419")
