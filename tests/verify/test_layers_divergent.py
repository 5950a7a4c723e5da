"""Integrals and series that do not converge are no numbers (derive/verify/layers.py
``_divergent``, symbolic.py ``improper_values``).  Attack 1, finding 5: linearity split a
convergent integral into divergent ones (``ln 2 = oo - oo`` was proved).  Each false step is
pinned beside its true neighbour; the values are checked independently with mpmath.
"""
from __future__ import annotations

import mpmath
import pytest
import sympy as sp

from derive.check import check_text
from derive.step import Rel
from derive.verify import layers as Lr
from derive.verify.job import _Job

x = sp.Symbol("x", real=True)
n = sp.Symbol("n", integer=True, positive=True)


def _verdicts(line: str) -> list[tuple[str, str | None]]:
    return [(s.verdict, s.method) for s in check_text(f"\\[ {line} \\]", timeout=10).steps]


@pytest.mark.parametrize("line, expected", [
    # finding 5: the parts diverge, so the split side has no value
    ("\\int_1^{\\infty} \\left(\\frac{1}{x} - \\frac{1}{x+1}\\right) dx = "
     "\\int_1^{\\infty} \\frac{1}{x} \\, dx - \\int_1^{\\infty} \\frac{1}{x+1} \\, dx", ("invalid", None)),
    ("\\int_{-1}^{1} \\frac{1}{x} \\, dx = \\int_{-1}^{1} \\frac{2}{x} \\, dx - \\int_{-1}^{1} \\frac{1}{x} \\, dx",
     ("invalid", None)),
    ("\\sum_{n=1}^{\\infty} \\left(\\frac{1}{n} - \\frac{1}{n+1}\\right) = "
     "\\sum_{n=1}^{\\infty} \\frac{1}{n} - \\sum_{n=1}^{\\infty} \\frac{1}{n+1}", ("invalid", None)),
    # the true neighbours: convergent parts split, and the value of the convergent integral
    ("\\int_1^{\\infty} \\left(\\frac{1}{x^2} + \\frac{2}{x^3}\\right) dx = "
     "\\int_1^{\\infty} \\frac{1}{x^2} \\, dx + 2\\int_1^{\\infty} \\frac{1}{x^3} \\, dx", ("valid", "proved")),
    ("\\int_1^{\\infty} \\left(\\frac{1}{x} - \\frac{1}{x+1}\\right) dx = \\ln 2", ("valid", None)),      # proved, or numeric under load
    ("\\int_0^1 (x + x^2) dx = \\int_0^1 x \\, dx + \\int_0^1 x^2 \\, dx", ("valid", "proved")),
    ("\\int_1^{\\infty} \\frac{1}{x} \\, dx = \\infty", ("valid", "proved")),
    # Gaussian-type parts converge by domination (integrable.py), so the split is proved
    ("\\int_{-\\infty}^{\\infty} (x^2 + 1) e^{-x^2} dx = "
     "\\int_{-\\infty}^{\\infty} x^2 e^{-x^2} dx + \\int_{-\\infty}^{\\infty} e^{-x^2} dx", ("valid", "proved")),
    ("\\int_{-\\infty}^{\\infty} x^2 e^{-x^2/2} dx < \\infty", ("valid", "proved")),
])
def test_linearity_needs_convergent_parts(line: str, expected: tuple) -> None:
    got = _verdicts(line)
    assert [g[0] for g in got] == [expected[0]]
    if expected[1]:
        assert got[0][1] == expected[1]


def test_the_references() -> None:
    mpmath.mp.dps = 30
    # the convergent left side is ln 2; its parts grow without bound (partial integrals to 1e12)
    assert abs(mpmath.quad(lambda t: 1 / t - 1 / (t + 1), [1, mpmath.inf]) - mpmath.log(2)) < 1e-20
    assert mpmath.quad(lambda t: 1 / t, [1, 10**12]) > 27
    assert abs(mpmath.quad(lambda t: t**-2 + 2 * t**-3, [1, mpmath.inf]) - 2) < 1e-20


@pytest.mark.parametrize("lhs, rel, rhs, status, message", [
    (sp.Integral(1 / x - 1 / (x + 1), (x, 1, sp.oo)), Rel.EQ,
     sp.Integral(1 / x, (x, 1, sp.oo)) - sp.Integral(1 / (x + 1), (x, 1, sp.oo)), "failed",
     "the right side is undefined (an integral or series that does not converge)"),
    (sp.Integral(1 / x, (x, 1, sp.oo)), Rel.GT, 10**6, "proved", ""),
    (sp.Integral(1 / x, (x, 1, sp.oo)), Rel.LT, 10**6, "failed", "an integral or series here does not converge: oo vs 1000000"),
    (sp.Sum(1 / n, (n, 1, sp.oo)), Rel.EQ, sp.oo, "proved", ""),
])
def test_divergent_values_in_the_extended_reals(lhs, rel, rhs, status: str, message: str) -> None:
    v = Lr._divergent(_Job(lhs, rel, rhs, (), None, 1, 6, 30, 40))
    assert (v.status, v.message) == (status, message)


def test_convergent_parts_are_left_to_the_other_layers() -> None:
    assert Lr._divergent(_Job(sp.Integral(x**-2, (x, 1, sp.oo)), Rel.EQ, 1, (), None, 1, 6, 30, 40)) is None


@pytest.mark.parametrize("src, expected", [
    # finding 13: convergence written "< \infty" was refuted ("the right side is undefined (infinite)")
    ("\\[ \\sum_{n=1}^{\\infty} \\frac{1}{n^2} < \\infty \\]", "valid"),
    ("\\[ \\int_1^{\\infty} \\frac{1}{x^2} \\, dx < \\infty \\]", "valid"),
    ("\\[ \\int_0^1 \\frac{1}{\\sqrt{x}} \\, dx < \\infty \\]", "valid"),
    # the false neighbours: divergent
    ("\\[ \\sum_{n=1}^{\\infty} \\frac{1}{n} < \\infty \\]", "invalid"),
    ("\\[ \\int_0^1 \\frac{1}{x} \\, dx < \\infty \\]", "invalid"),
    # a p-series for p > 1: not decided, never refuted
    ("% derive: assume p > 1\n\\[ \\sum_{n=1}^{\\infty} \\frac{1}{n^p} < \\infty \\]", "unknown"),
])
def test_convergence_written_less_than_infinity(src: str, expected: str) -> None:
    assert [s.verdict for s in check_text(src, timeout=10).steps] == [expected]


def test_convergence_references() -> None:
    mpmath.mp.dps = 30
    assert abs(mpmath.nsum(lambda k: 1 / k**2, [1, mpmath.inf]) - mpmath.pi**2 / 6) < 1e-20
    assert abs(mpmath.quad(lambda t: t**-0.5, [0, 1]) - 2) < 1e-15
    assert mpmath.fsum(1 / mpmath.mpf(k) for k in range(1, 10**5)) > 12        # the harmonic series grows like ln N
