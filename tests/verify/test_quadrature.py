"""Quadrature (derive/verify/quadrature.py): one-variable integrals by mpmath, checked against
closed forms.
"""
from __future__ import annotations

import random

import pytest
import sympy as sp

from derive.verify import numeric as N
from derive.verify import quadrature as Q

x = sp.Symbol("x", real=True)
a = sp.Symbol("a", real=True)
b = sp.Symbol("b", real=True)
R = sp.Rational
f = sp.Function("f")


def test_quadrature_keeps_what_it_cannot_integrate():
    i2 = sp.Integral(x * a, (x, 0, 1), (a, 0, 1))
    assert Q._quadrature(i2, 15) == i2
    i3 = sp.Integral(x * a, (x, 0, 1))
    assert Q._quadrature(i3, 15) == i3
    assert Q._quadrature(sp.Integral(x, x), 15) == sp.Integral(x, x)
    assert abs(Q._quadrature(sp.Integral(sp.exp(-x**2), (x, 0, sp.oo)), 30) - sp.sqrt(sp.pi) / 2) < 1e-25
    assert abs(Q._quadrature(sp.Integral(sp.exp(x), (x, -sp.oo, 0)), 30) - 1) < 1e-25


def test_integrals_at_leave_what_they_cannot_compile():
    for e in (sp.Integral(x * f(x), (x, 0, 1)), sp.Integral(x * a, (x, 0, 1)), sp.Integral(x, x),
              sp.Integral(sp.Integral(x * a, (a, 0, 1)), (x, 0, 1))):
        assert Q._integrals_at(e, {}, 15) == e


@pytest.fixture
def cold_cache(monkeypatch):
    """Compiled integrands are cached per process; start each test without them."""
    monkeypatch.setattr(Q, "_LAMBDIFIED", {})


@pytest.mark.parametrize("integral, point, exact", [
    (sp.Integral(a * x + b, (x, 0, 1)), {a: R(1, 3), b: R(1, 7)}, R(1, 6) + R(1, 7)),   # two parameters
    (sp.Integral(x, (x, 0, a)), {a: R(1, 3)}, R(1, 18)),              # an end that is no float
    (sp.Integral(a * x, (x, 0, 1)), {a: R(1, 3)}, R(1, 6)),           # a parameter that is no float
])
def test_quadrature_at_a_point_keeps_every_digit(cold_cache, integral, point, exact):
    v = N._numeric(integral, point, {}, random.Random(0), 40)
    assert abs(v - exact) < 1e-38
    assert list(Q._LAMBDIFIED) == [integral]          # compiled once, kept for the next point
    again = N._numeric(integral, point, {}, random.Random(0), 40)
    assert abs(again - exact) < 1e-38


@pytest.mark.parametrize("integral, exact", [
    (sp.Integral(x, (x, 0, R(1, 3))), R(1, 18)),
    (sp.Integral(x, (x, R(1, 3), 1)), R(4, 9)),
])
def test_quadrature_ends_keep_every_digit(integral, exact):
    assert abs(Q._quadrature(integral, 40) - exact) < 1e-38
