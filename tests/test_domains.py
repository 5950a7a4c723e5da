"""Excluded points of a domain (``% derive: assume x \\ne 1``): never contained, never sampled,
and the SymPy assumptions (so the symbol) unchanged."""
from __future__ import annotations

import random

import pytest
import sympy as sp

from derive.domains import REAL, Domain


@pytest.mark.parametrize("dom, value, inside", [
    (Domain("r", excluded=(sp.Integer(1),)), sp.Integer(1), False),
    (Domain("r", excluded=(sp.Integer(1),)), sp.Rational(1001, 1000), True),
    (Domain("r", lo=0.0, excluded=(sp.Rational(1, 2),)), sp.Rational(1, 2), False),
    (Domain("r", lo=0.0, excluded=(sp.Rational(1, 2),)), sp.Integer(-1), False),
    (Domain("n", lo=1, integer=True, closed_lo=True, excluded=(sp.Integer(3),)), sp.Integer(3), False),
    (Domain("n", lo=1, integer=True, closed_lo=True, excluded=(sp.Integer(3),)), sp.Integer(4), True),
])
def test_an_excluded_point_is_not_in_the_domain(dom, value, inside):
    assert dom.contains(value) is inside


def test_an_excluded_point_is_never_sampled():
    dom = Domain("r", lo=0.0, hi=2.0, excluded=(sp.Integer(1),))
    rng = random.Random(3)
    seen = [dom.sample(rng) for _ in range(20000)]
    assert sp.Integer(1) not in seen and all(dom.contains(v) for v in seen)
    ints = Domain("n", lo=1, integer=True, closed_lo=True, excluded=(sp.Integer(2),))
    assert sp.Integer(2) not in {ints.sample(rng) for _ in range(500)}


def test_the_assumptions_do_not_change():
    assert Domain("r", excluded=(sp.Integer(1),)).assumptions() == REAL.assumptions()
    assert Domain("r", excluded=(sp.Integer(1),)).describe("x") == "x != 1"
