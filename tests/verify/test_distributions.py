"""derive.verify.distributions: the values a random variable's law is drawn from."""
from __future__ import annotations

import pytest
import sympy as sp

from derive.domains import Domain
from derive.verify.distributions import _pool


# An integer domain bounded below by a large number has too few of the usual values: its law
# is drawn from its six least integers (mutation testing: one below an open bound went
# unnoticed, a value outside the domain).  Reference: the least integers counted by hand.
@pytest.mark.parametrize("dom, want", [
    (Domain("N", lo=10, integer=True), [11, 12, 13, 14, 15, 16]),
    (Domain("N", lo=10, closed_lo=True, integer=True), [10, 11, 12, 13, 14, 15]),
    (Domain("N", lo=-20, hi=-10, integer=True), [-19, -18, -17, -16, -15, -14]),
])
def test_a_law_on_few_usual_values_uses_the_least_integers(dom: Domain, want: list) -> None:
    got = _pool(dom)
    assert got == [sp.Integer(v) for v in want]


@pytest.mark.parametrize("dom", [Domain("X"), Domain("X", lo=0), Domain("X", lo=0, hi=1),
                                 Domain("N", lo=100, hi=200, integer=True)])
def test_every_value_of_the_pool_is_in_the_domain(dom: Domain) -> None:
    got = _pool(dom)
    assert len(got) >= 3 and all(dom.contains(v) is True for v in got)
