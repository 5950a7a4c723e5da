"""The engine's numeric layer with opaque atoms inside integrals (a checked step must get a verdict)."""
from __future__ import annotations

import random

import pytest
import sympy as sp

from derive.check import equivalent
from derive.verify import _numeric

x, t = sp.symbols("x t", real=True)
f = sp.Function("f", real=True)


def test_numeric_layer_evaluates_integrals_with_atoms() -> None:
    # f(x) in the integrand gets one shared value c, so the integral is c/3 (hand-computed)
    atoms: dict = {}
    got = _numeric(sp.Integral(x**2 * f(x), (x, 0, 1)), {}, atoms, random.Random(1), 30)
    (c,) = atoms.values()
    assert abs(float(got) - float(c) / 3) < 1e-20


@pytest.mark.parametrize("a, b, verdict", [
    (r"\int_{0}^{1} x^2 f(x) \, dx", r"\int_{0}^{1} f(x) x^2 \, dx", "valid"),
    (r"\int_{0}^{1} x f(x) \, dx", r"2 \int_{0}^{1} x f(x) \, dx", "invalid"),
])
def test_checker_verdicts_with_atoms_in_integrals(a: str, b: str, verdict: str) -> None:
    assert equivalent(a, b, timeout=3).verdict == verdict
