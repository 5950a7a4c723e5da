"""derive.check.diagnose: the condition under which a wrong step would hold lies in the
declared domain; a matrix beside an expression in undeclared names gets no verdict."""
from __future__ import annotations

import pytest

from derive.check import check_text


@pytest.mark.parametrize("src, condition", [
    # x^2 - 1 = (x - 1)(x + 1): the root -1 is outside x > 0, and 1 is outside x > 2
    ("% derive: assume x > 0\n$$x^2 = 1$$", "x = 1"),
    ("% derive: assume x > 2\n$$x^2 = 1$$", None),
    ("% derive: assume x \\in \\mathbb{R}\n$$x^3 + x = 0$$", "x = 0"),
])
def test_the_condition_of_a_wrong_step_is_inside_the_domain(src: str, condition) -> None:
    (s,) = check_text(src).steps
    assert (s.verdict, s.condition) == ("invalid", condition)


@pytest.mark.parametrize("src, verdict, message", [
    (r"$$\begin{bmatrix} 1 & 2 \end{bmatrix} = x$$", "unknown",
     r"a matrix compared with an expression in names that may be matrices; declare them "
     r"(assume z \in \mathbb{R}^n) or state their values"),
    (r"$$\begin{bmatrix} 1 & 2 \end{bmatrix} = 3$$", "invalid", "the two sides have different shapes"),
])
def test_a_matrix_beside_a_scalar(src: str, verdict: str, message: str) -> None:
    (s,) = check_text(src).steps
    assert (s.verdict, s.message) == (verdict, message)
