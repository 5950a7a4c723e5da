"""Pins in derive.verify.layers that session 7's mutation run showed no test held (#14).

``x__finite_claim__mutmut_39`` dropped ``-oo`` from the divergent values, so a claim that a sum or
integral diverging to minus infinity converges became "cannot tell"; confirmed by applying it.
"""
from __future__ import annotations

import pytest

from derive.check import check_text

ROWS = [
    ("$$\\int_1^{\\infty} -\\frac{1}{x} \\, dx < \\infty$$", "invalid", "divergent",
     "it does not converge (its value is -oo)"),
    ("$$\\sum_{n=1}^{\\infty} -n < \\infty$$", "invalid", "divergent", "it does not converge (its value is -oo)"),
    ("$$\\int_1^{\\infty} \\frac{1}{x} \\, dx < \\infty$$", "invalid", "divergent",
     "it does not converge (its value is oo)"),
    ("$$\\sum_{n=1}^{\\infty} \\frac{1}{n^2} < \\infty$$", "valid", "proved", "a finite value (pi**2/6)"),
]


@pytest.mark.parametrize("src, verdict, method, message", ROWS, ids=[r[0] for r in ROWS])
def test_a_claim_that_a_series_or_integral_converges(src: str, verdict: str, method: str, message: str) -> None:
    (s,) = check_text(src + "\n", timeout=5).steps
    assert (s.verdict, s.method, s.message) == (verdict, method, message)
