"""Integrals across a pole of a rational integrand (#8, attack A13; verify/integrable.pole_inside).

SymPy's antiderivative of x/(x^2-1) is log|x^2-1|/2, so ``\\int_{-a}^{a} \\frac{x}{x^2-1} dx = 0`` was
proved for every a: for a >= 1 the poles at x = +-1 are in the range and the integral diverges (only its
Cauchy principal value is 0).  A pole in the range leaves no value, unless the integrand tends to the
same infinity beside every pole (``\\int_0^1 \\frac{1}{x} dx = \\infty``).  mpmath's quadrature, split at
the poles, is the reference below.
"""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from derive.check import check_text
from derive.domains import POSITIVE, REAL, Domain
from derive.verify.integrable import pole_inside

ODD = r"\int_{-a}^{a} \frac{x}{x^2-1}\,dx = 0"

#: (assumption, line, verdict, message)
ROWS = [
    ("a > 0", ODD, "invalid", "at a = 2 the integral does not converge: its integrand x/(x**2 - 1) has a pole at "
     "x = -1, in [-2, 2]"),
    ("0 < a < 1", ODD, "valid", "evaluate sums and integrals"),
    ("0 < a < 1", r"\int_{0}^{a} \frac{1}{1+x}\,dx = \ln(1+a)", "valid", "evaluate sums and integrals"),
    ("", r"\int_{-2}^{2} \frac{x}{x^2-1}\,dx = 0", "invalid",
     "the left side is undefined (an integral or series that does not converge)"),
    ("", r"\int_{-1/2}^{1/2} \frac{x}{x^2-1}\,dx = 0", "valid", "evaluate sums and integrals"),
    ("", r"\int_{-1}^{1} \frac{1}{x}\,dx = 0", "invalid",
     "the left side is undefined (an integral or series that does not converge)"),
    ("", r"\int_{-1}^{2} \frac{1}{x}\,dx = \infty", "invalid",
     "the left side is undefined (an integral or series that does not converge)"),
    ("", r"\int_{0}^{1} \frac{1}{x}\,dx = \infty", "valid", "evaluate sums and integrals"),
    ("", r"\int_{-1}^{0} \frac{1}{x}\,dx = -\infty", "valid", "evaluate sums and integrals"),
    ("", r"\int_{-1}^{1} \frac{1}{x^2}\,dx = \infty", "valid", "evaluate sums and integrals"),
    ("", r"\int_{0}^{2} \frac{1}{(x-1)^2}\,dx = -2", "invalid",
     "an integral or series here does not converge: oo vs -2"),
    ("", r"\int_{0}^{1} \frac{1}{x^2+1}\,dx = \frac{\pi}{4}", "valid", "evaluate sums and integrals"),
    # an infinite end: the pole at 2 is still in [1, oo); reversed ends flip the sign
    ("", r"\int_{1}^{\infty} \frac{1}{x(x-2)}\,dx = \frac{\ln 3}{2}", "invalid",
     "the left side is undefined (an integral or series that does not converge)"),
    ("", r"\int_{\infty}^{0} \frac{1}{x}\,dx = -\infty", "valid", "evaluate sums and integrals"),
    ("", r"\int_{-\infty}^{\infty} \frac{1}{x^2+1}\,dx = \pi", "valid", "evaluate sums and integrals"),
]


@pytest.mark.parametrize("assume, line, verdict, message", ROWS)
def test_a_pole_in_the_range(assume: str, line: str, verdict: str, message: str) -> None:
    head = f"% derive: assume {assume}\n\n" if assume else ""
    (s,) = check_text(f"{head}\\[ {line} \\]\n", timeout=10).steps
    assert (s.verdict, s.message) == (verdict, message), s


x, a = sp.symbols("x a", real=True)
b = POSITIVE.symbol("b")


@pytest.mark.parametrize("integral, domain, want", [
    (sp.Integral(x / (x**2 - 1), (x, -a, a)), REAL, ("pole", {a: 2}, -1)),
    (sp.Integral(x / (x**2 - 1), (x, -a, a)), Domain("(0, 1)", lo=0, hi=1), ("none", {}, None)),
    (sp.Integral(1 / (x**2 + 1), (x, -a, a)), REAL, ("none", {}, None)),
    (sp.Integral(1 / (x + 1), (x, 0, a)), REAL, ("pole", {a: -2}, -1)),
    (sp.Integral(1 / (x + 1), (x, 0, b)), POSITIVE, ("none", {}, None)),
    # poles that move with a parameter, and integrands that are no rational functions: not this test's
    (sp.Integral(1 / (x**2 + a**2), (x, 0, 1)), REAL, ("skip", {}, None)),
    (sp.Integral(sp.exp(x) / (x - 3), (x, 0, a)), REAL, ("skip", {}, None)),
])
def test_pole_inside(integral: sp.Integral, domain: Domain, want: tuple) -> None:
    assert pole_inside(integral, {a: domain, b: domain}) == want


def test_the_references() -> None:
    f = lambda t: t / (t**2 - 1)    # noqa: E731
    # inside (-1, 1) the odd integrand integrates to 0
    assert abs(mpmath.quad(f, [-0.5, 0.5])) < 1e-15
    # beside the pole at 1 the integral grows like -log(eps)/2: no value on [-2, 2]
    eps = [mpmath.mpf(10) ** -k for k in (4, 8, 16)]
    near = [mpmath.quad(f, [0, 1 - e]) for e in eps]
    assert near[0] < -4 and near[1] < near[0] - 4 and near[2] < near[1] - 9
    # 1/x: the left part goes to -oo, the right to +oo; 1/x^2 to +oo on both sides
    assert mpmath.quad(lambda t: 1 / t, [eps[2], 1]) > 36 and mpmath.quad(lambda t: 1 / t, [-1, -eps[2]]) < -36
    assert mpmath.quad(lambda t: 1 / t**2, [eps[1], 1]) > 1e7
    assert abs(mpmath.quad(lambda t: 1 / (t**2 + 1), [0, 1]) - mpmath.pi / 4) < 1e-15
