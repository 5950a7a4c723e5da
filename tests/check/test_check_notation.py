"""Printed notation the checker must read as people mean it."""
from __future__ import annotations

import pytest

from derive.check import check_text


@pytest.mark.parametrize(
    "src, verdicts",
    [
        # A marked name without subscript is one symbol, not a power.
        (r"\[ L^{+} = \frac{9027531}{500000} \]", ["given"]),
        (r"\[ L^{+} = 3 \] \[ L^{+} + 1 = 4 \]", ["given", "valid"]),
        (r"\[ L^{+} = 3 \] \[ L^{+} + 1 = 5 \]", ["given", "invalid"]),
        # f\left(x\right) is an application; a written space makes a product.
        (r"\[ - \ell\left(\theta\right) = \sum_{i=1}^{N} y_{i} \]", ["given"]),
        (r"\[ d_{out} \left(x + 1\right) = d_{out} x + d_{out} \]", ["valid"]),
        (r"\[ d_{out} \left(x + 1\right) = d_{out} x + 1 \]", ["invalid"]),
        (r"\[ 2 \left| x \right| = \left|x\right| \cdot 2 \]", ["valid"]),
    ],
)
def test_notation(src, verdicts):
    assert [s.verdict for s in check_text(src).steps] == verdicts
