"""Layout inside a row: lists of relations, trailing conditions, dots, connectives."""
from __future__ import annotations

import pytest

from derive.check.extract import extract


def _rows(src: str) -> list[tuple[str, str, str, tuple[str, ...], str | None]]:
    ex = extract(src)
    return [(" ".join(s.lhs.text.split()), s.rel, " ".join(s.rhs.text.split()),
             tuple(c.text for c in s.conditions), s.cue) for s in ex.steps]


@pytest.mark.parametrize("src, steps", [
    # a list of equations on one line, with \dots at the end
    (r"\[ y[0] = 1, \quad y[1] = \frac{3}{2}, \quad \dots \]",
     [("y[0]", "eq", "1", (), None), ("y[1]", "eq", r"\frac{3}{2}", (), None)]),
    (r"\[ a = 1, b = 2 \]", [("a", "eq", "1", (), None), ("b", "eq", "2", (), None)]),
    # commas inside brackets do not split
    (r"\[ \max(1, 2) = 2 \]", [(r"\max(1, 2)", "eq", "2", (), None)]),
    (r"\[ f(x, y) = x_1, \dots, x_n \]", [("f(x, y)", "eq", r"x_1, \dots, x_n", (), None)]),
    # a trailing condition in parentheses
    (r"\[ \lfloor \frac{W-K}{S} \rfloor + 1 = 3 \quad (P=0) \]",
     [(r"\lfloor \frac{W-K}{S} \rfloor + 1", "eq", "3", ("P=0",), None)]),
    # \text cues inside math
    (r"\[ \text{setup: } x = 2 \quad y = 10 \]", [("x", "eq", "2", (), "data"), ("y", "eq", "10", (), "data")]),
    (r"\[ x = 1 \quad \text{and} \quad y = 2 \]", [("x", "eq", "1", (), None), ("y", "eq", "2", (), None)]),
    (r"\[ x = 1 \quad \text{(since } y > 0) \]", [("x", "eq", "1", (), None)]),
    (r"\[ \because a = b \therefore c = d \]", [("a", "eq", "b", (), "recall"), ("c", "eq", "d", (), None)]),
    # prose cues before inline math
    ("If $C_n = 1$: then $C_n + 1 = 2$.", [("C_n", "eq", "1", (), "hypothesis"), ("C_n + 1", "eq", "2", (), None)]),
    ("We want $R \\le 1$ with $Q = 1$.", [("R", "le", "1", (), "goal"), ("Q", "eq", "1", (), "data")]),
])
def test_clauses(src: str, steps: list) -> None:
    assert _rows(src) == steps
