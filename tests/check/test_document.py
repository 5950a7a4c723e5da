"""Documents: Markdown and notebooks become LaTeX-like text with the original lines and scope marks."""
from __future__ import annotations

import json

import pytest

from derive.check.document import DocumentError, kind_of, read_document
from derive.check.extract import extract


@pytest.mark.parametrize("name, kind", [
    ("a.tex", "tex"), ("notes.md", "md"), ("N.MD", "md"), ("hw.ipynb", "ipynb"), ("<stdin>", "tex"),
    ("x.markdown", "md"), ("weird", "tex"),
])
def test_kind_of(name: str, kind: str) -> None:
    assert kind_of(name) == kind


def _steps(src: str, kind: str) -> list[tuple[int, str, str, str]]:
    doc = read_document(src, kind)
    ex = extract(doc.text, doc)
    return [(ex.line_of(s.offset), " ".join(s.lhs.text.split()), s.rel, " ".join(s.rhs.text.split())) for s in ex.steps]


@pytest.mark.parametrize("src, steps", [
    # inline and display math, with the original line numbers
    ("Text $a = b$.\n\n$$\nc = d\n$$\n", [(1, "a", "eq", "b"), (4, "c", "eq", "d")]),
    # $$ holding aligned: rows and continuation
    ("$$\\begin{aligned}\nx &= 1 + 1 \\\\\n &= 2\n\\end{aligned}$$\n", [(2, "x", "eq", "1 + 1"), (3, "1 + 1", "eq", "2")]),
    # $$ holding align* is read the same way
    ("$$\\begin{align*} x &= 2 \\end{align*}$$", [(1, "x", "eq", "2")]),
    # fenced and inline code is not math
    ("```\n$a = b$\n```\nand `$c = d$` then $e = f$\n", [(4, "e", "eq", "f")]),
    ("~~~python\nx == 2 $y = 3$\n~~~\n", []),
    # a percent sign in prose is not a comment
    ("50% of $x = 2$\n", [(1, "x", "eq", "2")]),
    # \( \) is inline math
    ("so \\(a < b\\) and \\(c\\)", [(1, "a", "lt", "b")]),
])
def test_markdown_steps(src: str, steps: list) -> None:
    assert _steps(src, "md") == steps


def test_html_comment_directive() -> None:
    doc = read_document("<!-- derive: assume x > 0 -->\n$x = 1$\n", "md")
    ex = extract(doc.text, doc)
    assert [(d.kind, d.text, d.line) for d in ex.directives] == [("assume", "x > 0", 1)]


@pytest.mark.parametrize("src, hard, soft", [
    ("# P1\ntext\n## P2\n### Step 1\n", ["P1", "P2"], ["Step 1"]),
    ("**(a)** x\n**(b)** y\nPart (c) z\n3/b. w\n(ii) v\nii. u\n", [], ["(a)", "(b)", "Part (c)", "3/b.", "(ii)", "ii."]),
    ("### Problem 3\n", ["Problem 3"], []),
    ("I think so.\nx. y\n", [], []),
])
def test_markdown_scope_marks(src: str, hard: list[str], soft: list[str]) -> None:
    doc = read_document(src, "md")
    assert [m.label for m in doc.marks if m.hard] == hard
    assert [m.label for m in doc.marks if not m.hard] == soft


def _notebook(cells: list[tuple[str, list[str]]]) -> str:
    return json.dumps({"cells": [{"cell_type": t, "metadata": {}, "source": s} for t, s in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def test_notebook_lines_are_lines_of_the_json_file() -> None:
    src = _notebook([("markdown", ["# Title\n", "Let $a = 1$.\n", "\n", "$$b = 2$$"]),
                     ("code", ["x = 1 == 2\n"]), ("markdown", ["$c = 3$"])])
    lines = src.splitlines()
    got = _steps(src, "ipynb")
    assert [(lhs, rhs) for _, lhs, _, rhs in got] == [("a", "1"), ("b", "2"), ("c", "3")]
    for line, lhs, _, _ in got:
        assert f"${lhs} =" in lines[line - 1]


@pytest.mark.parametrize("src, message", [
    ("{not json", "not a notebook (invalid JSON"), ('{"cells": 3}', "not a notebook (no list of cells)"),
])
def test_bad_notebook(src: str, message: str) -> None:
    with pytest.raises(DocumentError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_document(src, "ipynb")


def test_a_repeated_cell_text_is_found_at_its_own_line() -> None:
    """The same line in two cells (and once in a code cell between them): each step's line is its
    own occurrence in the JSON file, counted here by searching the file text line by line."""
    src = _notebook([("markdown", ["Let $a = 1$.\n"]), ("code", ["# Let $a = 1$.\n"]),
                     ("markdown", ["Let $a = 1$.\n"]), ("markdown", ["Let $a = 1$."])])
    occurrences = [i + 1 for i, line in enumerate(src.splitlines()) if '"Let $a = 1$.' in line]
    assert len(occurrences) == 3
    assert [line for line, *_ in _steps(src, "ipynb")] == occurrences
