"""Paths of the checker that no test reached (mutation testing, #14, seed 18, helper ca17): each
test pins the correct result on an input where the original and a surviving mutant differ."""
from __future__ import annotations

import json
from fractions import Fraction

import pytest

from derive.check import check_text, equivalent
from derive.check.annotate import safe_math
from derive.check.document import read_document
from derive.check.judge import check_source


def _rows(src: str, name: str = "x.md") -> list[tuple]:
    return [(s.line, s.lhs, s.relation, s.rhs, s.verdict, s.method, s.message, s.role)
            for s in check_source(src, name, timeout=5).steps]


def _line_of(src: str, text: str) -> int:
    (line,) = [i + 1 for i, row in enumerate(src.splitlines()) if text in row]
    return line


# premise, conclusion (plain Python on exact rationals), the implication as written
SPLIT_PREMISES = [
    (lambda x, y: x * y == y, lambda x, y: x == 1 or y == 0, r"x y = y \implies x = 1 \lor y = 0"),
    (lambda x, y: x * y == y, lambda x, y: (x - 1) * y == 0, r"x y = y \implies (x - 1) y = 0"),
    (lambda x, y: (x - 1) * (y - 2) == 0, lambda x, y: x == 1 or y == 2,
     r"(x-1)(y-2) = 0 \implies x = 1 \lor y = 2"),
]


@pytest.mark.parametrize("premise, conclusion, src", SPLIT_PREMISES, ids=[r[2] for r in SPLIT_PREMISES])
def test_a_premise_whose_solutions_are_constants_is_searched_for_a_counterexample(premise, conclusion, src):
    """Kills derive.check.diagnose.x__implication_counterexample__mutmut_46 (``hasattr("doit")``:
    the search raised a TypeError at the first solution of the premise that fixes every name of the
    conclusion, x = 1 or y = 0 here, and the step 'could not be checked')."""
    grid = [Fraction(n, 2) for n in range(-6, 7)]
    held = [(x, y) for x in grid for y in grid if premise(x, y)]
    assert held and all(conclusion(x, y) for x, y in held)       # true wherever the premise is
    steps = check_text(f"$${src}$$").steps
    assert [(s.line, s.verdict, s.method, s.message, s.counterexample) for s in steps] == [
        (1, "valid", "numeric", "24 points where the premise holds at 40 digits", None)]


@pytest.mark.parametrize("a, b, verdict", [
    (r"[0, X]", r"[0, X)", ("invalid", "structure", "the intervals differ at an end (open vs closed)")),
    (r"[0, X)", r"[0, X]", ("invalid", "structure", "the intervals differ at an end (open vs closed)")),
    (r"(X, 2)", "3", ("invalid", "structure", "one answer is a tuple, set or interval and the other is not")),
    ("3", r"(2, X)", ("invalid", "structure", "one answer is a tuple, set or interval and the other is not")),
])
def test_a_tuple_or_interval_with_a_capital_x_is_split_at_its_commas_only(a, b, verdict):
    """Kills derive.check.equivalence.x__structure__mutmut_34 (the items split at every character
    of "XX,XX": X too, so an entry X left an empty item and the answer was no tuple or interval)."""
    v = equivalent(a, b, timeout=5)
    assert (v.verdict, v.method, v.message, v.counterexample) == (*verdict, None)


@pytest.mark.parametrize("src", [
    r"$$x = 2 \implies x + 1 = 3 \land f(x) = g(x)$$",
    r"$$x = 2 \implies f(x) = g(x) \land x + 1 = 3$$",
])
def test_a_conclusion_at_given_values_with_one_undecided_part_is_undecided(src):
    """Kills derive.check.premises.xǁPremisingǁ_conclusion__mutmut_52 (the first verdict that was not
    "VALID" was taken: always the first part, so x + 1 = 3, proved, certified the whole conclusion
    though nothing is known of f and g)."""
    steps = check_text(src).steps
    assert [(s.line, s.verdict, s.method, s.message, s.counterexample) for s in steps] == [
        (1, "unknown", "unconstrained", "depends on f, g, about which nothing in scope is known", None)]


@pytest.mark.parametrize("src", ["X", "X^{2}", "{X}", r"\frac{X}{2} + Y_{X}", "X_1 = 2X"])
def test_a_capital_x_is_plain_math(src):
    """Kills derive.check.annotate.x_safe_math__mutmut_29 (an X counted as a closing brace: the
    depth went below 0 and the math was shown escaped)."""
    assert safe_math(src) == src


@pytest.mark.parametrize("src, kind", [
    ("Let $a = 1$.\n", "md"),
    ("Let $a = 1$.\n", "tex"),
    (json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), "ipynb"),
])
def test_a_document_keeps_the_kind_it_was_read_as(src, kind):
    """Kills derive.check.document.x__markdown__mutmut_111 (a Markdown document said its kind was "MD")."""
    assert read_document(src, kind).kind == kind


def test_a_markdown_cell_without_source_is_an_empty_paragraph():
    """Kills derive.check.document.x__notebook__mutmut_33 (a markdown cell with no "source" read as
    the text XXXX: a paragraph of words between "Let" and the math, so a = 1 was no longer data but
    a definition)."""
    src = json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["Let\n"]},
                                {"cell_type": "markdown", "metadata": {}},
                                {"cell_type": "markdown", "metadata": {},
                                 "source": ["$a = 1$. Then $a + 1 = 3$.\n"]}],
                      "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)
    assert read_document(src, "ipynb").text == "Let\n\n\n\n$a = 1$. Then $a + 1 = 3$.\n"
    line = _line_of(src, "$a = 1$")
    assert _rows(src, "x.ipynb") == [
        (line, "a", "=", "1", "given", "data", "data: gives a", "data"),
        (line, "a + 1", "=", "3", "invalid", "numeric", "sides differ: 2.0000000 vs 3.0000000", "claim")]


def _pm(*rows: str) -> str:
    return "\\begin{pmatrix} " + " \\\\ ".join(rows) + " \\end{pmatrix}"


def test_an_entry_of_an_entry_of_a_block_entry_is_read_through_three_vectors():
    """Kills derive.check.entries.xǁVectorEntriesǁ_entry_base__mutmut_42 (the vector of an entry
    prepared one level deeper). Each vector is written before the one its entries come from, so
    its fact keeps the entry symbol: V^{(1)} is X^{(3)}; X = (Y^{(1)}, 5) has a third entry only
    once Y^{(1)} (the block c = (1, 2)^T: Y's blocks c and w do not stack) is put in, which is
    two levels below V. The mutant did not reach that level, so X^{(3)} was no entry and
    V^{(1)} = 5 was read as a value plugged in."""
    src = (f"Let $V = {_pm('X^{(3)}', '1')}$.\n\n"
           f"Let $X = {_pm('Y^{(1)}', '5')}$.\n\n"
           f"Let $Y = {_pm('c', 'w')}$.\n\n"
           f"Let $c = {_pm('1', '2')}$ and $w = {_pm('1 & 2', '3 & 4')}$.\n\n"
           "Then $V^{(1)} = 5$ and $V^{(1)} = 6$ and $X^{(3)} = 5$.\n")
    # X = (c; 5) = (1, 2, 5)^T, so X^{(3)} = 5 and V = (X^{(3)}, 1)^T has V^{(1)} = 5
    assert [r[4:] for r in _rows(src)[5:]] == [
        ("valid", "proved", "identical", "claim"),
        ("invalid", "numeric", "sides differ: 5.0000000 vs 6.0000000", "claim"),
        ("valid", "proved", "identical", "claim")]


@pytest.mark.parametrize("then, verdict", [
    ("Then $a + 3 = 5$.", ("unknown", "unconstrained", "depends on a, which nothing in scope gives a value")),
    ("Then $a^2 = 4$.", ("unknown", "unconstrained", "depends on a, which nothing in scope gives a value")),
])
def test_a_value_a_directive_gives_inside_an_environment_ends_with_it(then, verdict):
    """Kills derive.check.decide.xǁDecidingǁ_known__mutmut_7 (the environment's directives no longer
    made a name known: a = 2, proved inside the align from the directive there, was recorded as a
    fact of the section and a + 3 = 5 after the environment certified)."""
    src = f"\\begin{{align*}}\n% derive: given a = 2\na + 1 &= 3 \\\\\na &= 2\n\\end{{align*}}\n{then}\n"
    rows = [r[:1] + r[4:] for r in _rows(src, "x.tex")]
    assert rows == [(3, "valid", "proved", "identical", "claim"), (4, "valid", "proved", "identical", "claim"),
                    (6, *verdict, "claim")]


@pytest.mark.parametrize("src, verdict", [
    (r"$$x = 2 \implies 3 = 3$$", ("valid", "proved", "identical")),
    (r"$$x = 2 \implies 2 + 2 = 5$$", ("invalid", "numeric", "sides differ: 4.0000000 vs 5.0000000")),
    (r"$$x = 2 \implies x^2 = 4 \land 1 = 2$$", ("invalid", "numeric", "sides differ: 1.0000000 vs 2.0000000")),
])
def test_a_conclusion_between_numbers_stays_a_relation(src, verdict):
    """Kills derive.check.sides.xǁReadingǁproposition__mutmut_142 (relations built evaluated: 3 = 3
    became True and 2 + 2 = 5 False, "not a relation derive can check", so a false conclusion at
    the premise's values was unknown instead of invalid)."""
    steps = check_text(src).steps
    assert [(s.line, s.verdict, s.method, s.message, s.counterexample) for s in steps] == [(1, *verdict, None)]
