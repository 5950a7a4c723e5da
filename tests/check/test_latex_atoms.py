"""derive.check.latex.atoms: a partial-derivative operator applies to the rest of its term."""
from __future__ import annotations

import pytest

from derive.check import check_text


@pytest.mark.parametrize("src", [
    r"$$\frac{\partial}{\partial x} x^2 y = 2xy$$",
    r"$$\frac{\partial^2}{\partial x^2} x^3 = 6x$$",
    r"$$\frac{\partial}{\partial y} (x y + y^2) = x + 2y$$",
])
def test_a_partial_operator_is_applied_to_the_term_after_it(src: str) -> None:
    (s,) = check_text(src).steps
    assert (s.verdict, s.method) == ("valid", "proved")


def test_a_partial_derivative_equal_to_another_expression_only_somewhere() -> None:
    # d/dx x^2 y = 2xy, which is 2x exactly where y = 1 or x = 0 (x, y range over the reals: invalid)
    (s,) = check_text(r"$$\frac{\partial}{\partial x} x^2 y = 2x$$").steps
    assert (s.verdict, s.method, s.condition) == ("invalid", "numeric", "y = 1 or x = 0")
