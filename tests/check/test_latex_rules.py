"""derive.check.latex.rules: ``unknown_macros`` names each unread macro once, in order, and
never a macro that is read (rules, latex2sympy, Greek letters, upper-case Greek)."""
from __future__ import annotations

import pytest

from derive.check.latex.rules import unknown_macros


@pytest.mark.parametrize("text, unknown", [
    (r"\frac{\Xi}{\alpha} + \foo + \foo \cdot \Upsilon \varsigma + \blah", ["foo", "blah"]),
    (r"\Delta \Gamma \Lambda \Omega \Phi \Pi \Psi \Sigma \Theta \Xi \Upsilon", []),
    (r"\varepsilon \vartheta \varphi \varpi \varrho \varsigma", []),
    (r"\sqrt{\zork} + \zork", ["zork"]),
])
def test_unknown_macros(text: str, unknown: list) -> None:
    assert unknown_macros(text) == unknown
