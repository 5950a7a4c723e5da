"""derive.check.clean: blanks between a command and its argument are skipped (``\\left .``,
``\\label {..}``), so a spaced argument is read as the unspaced one."""
from __future__ import annotations

import pytest

from derive.check import check_text


@pytest.mark.parametrize("spaced, plain", [
    (r"\[ 2 + 2 = 4 \label {eq:one} \]", r"\[ 2 + 2 = 4 \label{eq:one} \]"),
    (r"\[ \frac{d}{dx} \left . x^2 \right. = 2x \]", r"\[ \frac{d}{dx} \left. x^2 \right. = 2x \]"),
])
def test_a_blank_before_an_argument_changes_nothing(spaced: str, plain: str) -> None:
    got = [(s.rhs, s.verdict, s.method) for s in check_text(spaced).steps]
    assert got == [(s.rhs, s.verdict, s.method) for s in check_text(plain).steps]
    assert got[0][1:] == ("valid", "proved")
