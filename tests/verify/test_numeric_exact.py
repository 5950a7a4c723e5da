"""Exact values decide where 40 digits cannot (derive/verify/numeric.py, issue 8 attack).

``2^{100} + 1`` and ``2^{100}`` agree in 30 digits relative to their size, so a
relative tolerance once certified ``2^{100} + 1 = 2^{100}``; at a rational point
both sides are exact rationals and are compared exactly.
"""
from __future__ import annotations

import re

import pytest
import sympy as sp

from derive.check import check_text
from derive.step import Justification, Rel, Step

x = sp.Symbol("x", real=True)
BIG = sp.Integer(2) ** 100


@pytest.mark.parametrize("lhs, rel, rhs, status", [
    (BIG + 1, Rel.EQ, BIG, "failed"),
    (BIG + 1, Rel.LE, BIG, "failed"),
    (BIG, Rel.LT, BIG + 1, "proved"),
    (BIG * x + x, Rel.EQ, BIG * x, "failed"),
    (BIG * x + x, Rel.EQ, (BIG + 1) * x, "proved"),
    ((10 ** 30 + 1) / sp.Integer(10) ** 30, Rel.EQ, 1, "failed"),
])
def test_exact_rationals_are_compared_exactly(verifier, lhs, rel, rhs, status):
    v = verifier.verify_step(Step(lhs, rel, rhs, Justification("test")), {})
    assert v.status == status


@pytest.mark.parametrize("step, verdict", [
    (r"2^{100} + 1 = 2^{100}", "invalid"),
    (r"2^{100} x + x = 2^{100} x", "invalid"),
    (r"2^{100} + 2^{100} = 2^{101}", "valid"),
])
def test_from_the_checker(step, verdict):
    assert [s.verdict for s in check_text(f"\\[ {step} \\]\n", timeout=10).steps] == [verdict]


def test_the_message_gives_the_exact_difference(verifier):
    v = verifier.verify_step(Step(BIG * x + x, Rel.EQ, BIG * x, Justification("test")), {})
    # the difference is x itself at the sample point: 2^{100} x and 2^{100} x + x print alike
    assert v.method == "numeric" and re.search(r"\(difference -?\d\.\d+(e-\d+)?\)$", v.message)
