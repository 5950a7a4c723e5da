"""Values plugged in from outside the document (``plugged.Plugging._plugged``): a step such as
``\\delta a = -4 \\cdot 38`` with nothing giving ``a`` uses a = 38 (role data, never a claim that
holds); later steps may use it, but a step refuted only through it is ``unknown``.

Each case is a small Markdown document and the exact (line, verdict, role) of every step.
"""
from __future__ import annotations

import pytest

from derive.check.judge import check_source
from derive.check.plugged import _terms, _written


def _steps(src: str) -> list[tuple]:
    return [(s.line, s.verdict, s.role) for s in check_source(src, "x.md", timeout=5).steps]


CASES = [
    ("a value plugged into a product",
     "$\\delta = -4$\n\n$\\delta a = -4 \\cdot 38 = -152$\n",
     [(1, "given", "definition"), (3, "given", "data"), (3, "valid", "claim")]),
    ("a later step that uses it consistently is valid",
     "$\\delta = -4$\n\n$\\delta a = -4 \\cdot 38$\n\n$a + 2 = 40$\n",
     [(1, "given", "definition"), (3, "given", "data"), (5, "valid", "claim")]),
    ("a later step refuted only through it is not an error",
     "$\\delta = -4$\n\n$\\delta a = -4 \\cdot 38$\n\n$a + 2 = 41$\n",
     [(1, "given", "definition"), (3, "given", "data"), (5, "unknown", "claim")]),
    ("a slip after the plugged value is still caught",
     "$\\delta = -4$\n\n$\\delta a = -4 \\cdot 38 = -150$\n",
     [(1, "given", "definition"), (3, "given", "data"), (3, "invalid", "claim")]),
    ("an equation to solve is no plugged value", "$u + 1 = 3$\n", [(1, "unknown", "claim")]),
    ("two names, term by term",
     "Let $a = 8$ and $b = -12$.\n\n$x a + y b = 6 \\cdot 8 + 3 \\cdot (-12) = 12$\n",
     [(1, "given", "data"), (1, "given", "data"), (3, "given", "data"), (3, "valid", "claim")]),
    ("terms that do not pair up are not read",
     "Let $a = 8$ and $b = -12$.\n\n$x a + y b = 12$\n",
     [(1, "given", "data"), (1, "given", "data"), (3, "unknown", "claim")]),
    ("a bare name first written in a chain is defined there",
     "A single layer sees $R = K = 3$ pixels.\n\n$R + K = 6$\n",
     [(1, "given", "definition"), (1, "given", "definition"), (3, "valid", "claim")]),
    ("... and one seen before is data",
     "A $K \\times K$ filter, $K + 0 = K$. A single layer sees $R = K = 3$ pixels.\n\n$R + K = 6$\n",
     [(1, "valid", "claim"), (1, "given", "definition"), (1, "given", "data"), (3, "valid", "claim")]),
    ("a formula wrong for every value is refuted whatever was plugged in",
     "$\\delta = -4$\n\n$\\delta K = -4 \\cdot 3$\n\n$K + (L - 1)(K - 1) = L (K - 1)$\n",
     [(1, "given", "definition"), (3, "given", "data"), (5, "invalid", "claim")]),
    ("a name first written mid-chain is defined there",
     "$\\frac{\\partial L}{\\partial b} = \\delta = 2 \\cdot 3 = 6$\n",
     [(1, "given", "definition"), (1, "given", "definition"), (1, "valid", "claim")]),
]


@pytest.mark.parametrize("what, src, steps", CASES, ids=[c[0] for c in CASES])
def test_plugged_values(what: str, src: str, steps: list) -> None:
    assert _steps(src) == steps


def test_plugged_message() -> None:
    from derive.check.report import describe

    steps = check_source("$\\delta = -4$\n\n$\\delta a = -4 \\cdot 38$\n\n$a + 2 = 41$\n", "x.md", timeout=5).steps
    assert [describe(s) for s in steps if s.line in (3, 5)] == [
        "uses a = 38, a value nothing in scope gives",
        "fails with the value line 3 plugged in, which nothing in the document gives",
    ]


@pytest.mark.parametrize("text, terms", [
    ("a b + c d", ["a b", "+ c d"]),
    ("6 \\cdot 8 + 3 \\cdot (-12)", ["6 \\cdot 8", "+ 3 \\cdot (-12)"]),
    ("-x + y^{-2} - (a - b)", ["-x", "+ y^{-2}", "- (a - b)"]),
    ("W_{i-1} x", ["W_{i-1} x"]),
])
def test_terms(text: str, terms: list) -> None:
    assert _terms(text) == terms


@pytest.mark.parametrize("value, text, written", [
    (38, "-4 \\cdot 38", True), (-2, "(-2)(-4)", True), (3, "13 \\cdot 2", False),
    (2, "3", False), ("4/5", "0.8 / 4", True), ("1/3", "0.333", False), (5, "5.5", False),
])
def test_written(value, text: str, written: bool) -> None:
    import sympy as sp

    assert _written(sp.Rational(value), text) is written
