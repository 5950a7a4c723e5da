"""The one top-level scanner (``check.relscan``): relation symbols, rows and ``&``, separators.

Each row pins what the scan finds in a string, written out by hand."""
from __future__ import annotations

import pytest

from derive.check.clean import _between_relations
from derive.check.layout import _separators
from derive.check.relations import _split_top
from derive.check.relscan import _relations, top_level


@pytest.mark.parametrize("text, ne, want", [
    ("a = b", False, [(2, 3, "eq")]),
    ("a <= b >= c", False, [(2, 4, "le"), (7, 9, "ge")]),
    ("x \\leq y \\leqslant z", False, [(2, 6, "le"), (9, 18, "le")]),
    ("x \\ltimes y", False, []),                     # \lt is no prefix of a longer command
    ("x_{i=1} = 2", False, [(8, 9, "eq")]),          # inside braces: not top level
    ("\\begin{pmatrix} a = b \\end{pmatrix} = c", False, [(36, 37, "eq")]),
    ("a \\ne b != c", False, [(9, 10, "eq")]),       # without ne: only the '=' of '!='
    ("a \\ne b != c", True, [(2, 5, "ne"), (8, 10, "ne")]),
    ("W \\gets W - g", True, [(2, 7, "gets")]),
    ("W \\gets W - g", False, []),
    ("p \\Rightarrow q \\iff r", False, [(2, 13, "implies"), (16, 20, "iff")]),
])
def test_relations_at_the_top_level(text: str, ne: bool, want: list) -> None:
    assert _relations(text, 0, len(text), ne=ne) == want


def test_flat_relations_look_inside_braces_and_environments() -> None:
    text = "\\sum_{i=1} x \\begin{cases} a < b \\end{cases}"
    assert [k for _, _, k in _relations(text, 0, len(text), flat=True)] == ["eq", "lt"]


def test_extra_commands_are_relations_too() -> None:
    text = "a \\equiv b"
    assert _relations(text, 0, len(text)) == []
    assert _relations(text, 0, len(text), extra=((r"\equiv", "equiv"),)) == [(2, 8, "equiv")]


@pytest.mark.parametrize("text, rows, amps", [
    ("a &= b \\\\ c &= d", [(0, 7), (9, 16)], [2, 12]),
    ("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} &= M", [(0, 49)], [45]),
    ("a \\& b", [(0, 6)], []),                      # an escaped ampersand
    ("{a \\\\ b} & c", [(0, 12)], [9]),
])
def test_rows_and_alignment_points(text: str, rows: list, amps: list) -> None:
    assert _split_top(text, 0, len(text)) == (rows, amps)


@pytest.mark.parametrize("text, want", [
    ("a = 1, b = 2; c", [(5, 6), (12, 13)]),
    ("f(a, b) = 1", []),
    ("\\{a, b\\} = S, T", [(12, 13)]),              # \{ \} nest for separators
    ("x := 1", []),
    ("n = 2: x = 1", [(5, 6)]),
    ("\\begin{cases} 1, & x \\end{cases}, y", [(32, 33)]),
])
def test_separators_at_the_top_level(text: str, want: list) -> None:
    assert _separators(text, 0, len(text), []) == want


def test_top_level_yields_commands_whole_and_skips_brackets() -> None:
    text = "\\alpha{x}+\\,y"
    assert [text[i:j] for i, j in top_level(text, 0, len(text))] == ["\\alpha", "+", "\\,", "y"]


@pytest.mark.parametrize("row, word, want", [
    ("x^2 \\ge x \\text{ unless } x \\ge 1", "\\text{ unless }", True),
    ("a = 10 \\text{ settings} = 300", "\\text{ settings}", False),   # the row continues
    ("x^2 \\text{ unless } x \\ge 1", "\\text{ unless }", False),     # no relation before
    ("\\sum_{i=1} x_i \\text{ unless } n > 0", "\\text{ unless }", True),  # '=' inside braces counts
    ("a \\equiv b \\text{ or } c = d", "\\text{ or }", True),
])
def test_a_word_between_relations(row: str, word: str, want: bool) -> None:
    i = row.index(word)
    assert _between_relations(row, 0, len(row), i, i + len(word)) is want
