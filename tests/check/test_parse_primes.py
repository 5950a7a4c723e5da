"""f'(x) of a defined f is its derivative, also when the side is read unevaluated (the domain
check of ``check.divisions``): d(s^3)/ds computed unevaluated carries a log(s) * 0 term, which made
p'(s) 'undefined at s = 0'."""
from __future__ import annotations

import pytest

from derive.check.judge import check_source

DEFINE = "Each value $s$ is mapped to $p(s) = \\frac{3s - s^3}{2}$.\n\n"


@pytest.mark.parametrize("line, want", [
    ("$p'(s) = \\frac{3 - 3s^2}{2}$", "valid"),
    ("$p'(1) = 0$", "valid"),
    ("$p'(s) = \\frac{3 - 3s^2}{4}$", "invalid"),
    ("$p''(s) = -3s$", "valid"),
])
def test_derivative_of_a_defined_function(line: str, want: str) -> None:
    steps = [s for s in check_source(DEFINE + line + "\n", "t.md").steps if s.role == "claim"]
    assert [s.verdict for s in steps] == [want]


@pytest.mark.parametrize("src, want", [
    ("$\\boxed{2 + 2 = 4}$\n", ["valid"]),
    ("$\\boxed{2 + 2 = 5}$\n", ["invalid"]),
    ("$x = \\boxed{3}$\n", ["given"]),
])
def test_a_boxed_relation_is_read(src: str, want: list) -> None:
    """``\\boxed{...}`` is layout (``clean``): the relation inside is a step."""
    assert [s.verdict for s in check_source(src, "t.md").steps] == want
