"""derive.verify.zeros: the declared region, and where two sides are equal (exact values)."""
from __future__ import annotations

import pytest
import sympy as sp

from derive import domains as D
from derive.verify.zeros import _equal_at, region_of

x = sp.Symbol("x", real=True)


# Domains are open at an upper bound (domains.Domain: "open bounds unless closed_lo");
# mutation testing found a closed upper end unnoticed.  Reference: the intervals by hand.
@pytest.mark.parametrize("dom, want", [
    (None, sp.S.Reals),
    (D.Domain("[0, 1)", lo=0.0, hi=1.0, closed_lo=True), sp.Interval.Ropen(0, 1)),
    (D.Domain("(0, 1)", lo=0.0, hi=1.0), sp.Interval.open(0, 1)),
    (D.Domain("< 2", hi=2.0), sp.Interval.open(-sp.oo, 2)),
    (D.Domain("> 1/2", lo=0.5), sp.Interval.open(sp.Rational(1, 2), sp.oo)),
    (D.Domain("n in [0, 3)", lo=0.0, hi=3.0, closed_lo=True, integer=True), sp.Range(0, 3)),
    (D.Domain("!= 0", nonzero=True), sp.Union(sp.Interval.open(-sp.oo, 0), sp.Interval.open(0, sp.oo))),
])
def test_region_of_a_declared_domain(dom, want: sp.Set) -> None:
    assert region_of(dom) == want


# Sides equal at a point only when both are finite numbers there: 1/x at 0 is zoo, never
# equal to anything (mutation testing: zoo dropped from the test went unnoticed).
@pytest.mark.parametrize("a, b, p, equal", [
    (x**2, 4, 2, True),
    (x**2, 4, 3, False),
    (1 / x, 1 / x, 0, False),              # zoo on both sides
    (1 / x, sp.zoo, 0, False),
    (sp.log(x), sp.log(x), 0, False),      # -oo
    (sp.sin(x) / x, 1, 0, False),          # nan
])
def test_equal_at_needs_finite_values(a, b, p, equal: bool) -> None:
    assert _equal_at(sp.sympify(a), sp.sympify(b), x, sp.Integer(p)) is equal
