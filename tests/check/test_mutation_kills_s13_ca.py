"""Paths of the checker that no test reached (mutation testing, #14, session 13, helper ca):
each test pins the correct result on the input that tells the original from a surviving mutant."""
from __future__ import annotations

import json

import pytest

from derive.check import check_text, equivalent
from derive.check.judge import check_source


def _rows(src: str, name: str = "x.md") -> list[tuple]:
    return [(s.line, s.lhs, s.relation, s.rhs, s.verdict, s.method, s.message, s.role)
            for s in check_source(src, name, timeout=5).steps]


@pytest.mark.parametrize("source, message", [
    # sin y <= 1 and cosh y >= 1 for every real y: the sampled points where the premise holds
    # all pass, and solving the premise gives x in terms of y (no counterexample, no crash)
    (r"$$x = \sin(y) \implies x \le 1$$", "24 points where the premise holds at 40 digits"),
    (r"$$x = \cosh(y) \implies x \ge 1$$", "24 points where the premise holds at 40 digits"),
])
def test_a_premise_solved_in_terms_of_another_name_is_no_counterexample(source, message):
    """Kills derive.check.diagnose.x__implication_counterexample__mutmut_38 (the conclusion with the
    solution put in replaced by None: the search crashed, the step 'could not be checked')."""
    steps = check_text(source).steps
    assert [(s.line, s.verdict, s.method, s.message, s.counterexample) for s in steps] == [
        (1, "valid", "numeric", message, None)]


@pytest.mark.parametrize("a, b", [
    (r"\{f(1), 2\}", r"\{g(1), 2\}"),             # f(1) vs g(1): nothing is known about f, g
    (r"\{\frac{x}{x}, 2\}", r"\{1, 2\}"),          # x/x vs 1: undefined at x = 0 as written
])
def test_a_set_with_an_element_compared_to_nothing_is_unknown_by_structure(a, b):
    """Kills derive.check.equivalence.x__same_set__mutmut_33 (the undecided verdict lost its method)."""
    for first, second in ((a, b), (b, a)):
        v = equivalent(first, second, timeout=5)
        assert (v.verdict, v.method, v.message, v.counterexample) == (
            "unknown", "structure", "some elements could not be compared", None)


@pytest.mark.parametrize("src, rows", [
    ("Let $a \\approx 2.5$. Then $2a = 5$.\n",
     [(1, "a", "≈", "2.5", "given", "data", "data: gives a", "data"),
      (1, "2a", "=", "5", "valid", "proved", "identical", "claim")]),
    ("Let $g \\approx 9.81$. Then $2 g \\approx 19.62$.\n",       # 2 * 9.81 = 19.62 exactly
     [(1, "g", "≈", "9.81", "given", "data", "data: gives g", "data"),
      (1, "2 g", "≈", "19.62", "valid", "proved",
       "equal up to rounding of the printed decimals (exact bound on the rounding error)", "claim")]),
])
def test_a_name_approximately_equal_to_a_value_is_data(src, rows):
    """Kills derive.check.premises.xǁPremisingǁ_premise__mutmut_27 (\\approx no longer gave the name
    its value: a mere condition, and the step after it unknown)."""
    assert _rows(src) == rows


def _line_of(src: str, text: str) -> int:
    (line,) = [i + 1 for i, row in enumerate(src.splitlines()) if text in row]
    return line


def test_a_cell_source_written_as_one_string_is_read_as_text():
    """Kills derive.check.document.x__notebook__mutmut_36 (a string source taken as a list: every
    character a line of its own, so 'Let' was lost and a = 1 read as a definition)."""
    src = json.dumps({"cells": [{"cell_type": "markdown", "metadata": {},
                                 "source": "Let $a = 1$. Then $a + 1 = 3$.\n"}],
                      "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)
    line = _line_of(src, '"source"')
    assert _rows(src, "x.ipynb") == [
        (line, "a", "=", "1", "given", "data", "data: gives a", "data"),
        (line, "a + 1", "=", "3", "invalid", "numeric", "sides differ: 2.0000000 vs 3.0000000", "claim")]


def test_a_cell_text_escaped_differently_keeps_the_line_of_its_source():
    """Kills derive.check.document.x__notebook__mutmut_100: the JSON escapes $ as \\u0024, so the
    text is not found and the line is that of the "source" key, here at the start of its line
    (the mutant counted one newline too few and reported the line before)."""
    src = ('{"cells": [\n{"cell_type": "markdown",\n"metadata": {},\n'
           '"source": "Let \\u0024a = 1\\u0024. Then \\u0024a + 1 = 3\\u0024."\n}\n],\n'
           '"metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n')
    assert json.loads(src)["cells"][0]["source"] == "Let $a = 1$. Then $a + 1 = 3$."
    line = _line_of(src, '"source"')
    assert line == 4
    assert _rows(src, "x.ipynb") == [
        (line, "a", "=", "1", "given", "data", "data: gives a", "data"),
        (line, "a + 1", "=", "3", "invalid", "numeric", "sides differ: 2.0000000 vs 3.0000000", "claim")]


@pytest.mark.parametrize("source, verdict, method, message, counterexample", [
    (r"$$x^2 = 4 \iff x = 2 \lor x = -2$$", "valid", "proved",
     "both directions (solve for x; solution sets)", None),
    # (-2)^2 = 4 but -2 is neither 2 nor 3
    (r"$$x^2 = 4 \implies x = 2 \lor x = 3$$", "invalid", "solution sets",
     "the premise holds but the conclusion does not", {"x": "-2"}),
])
def test_lor_between_relations_is_a_disjunction(source, verdict, method, message, counterexample):
    """Kills derive.check.sides.xǁReadingǁproposition__mutmut_36 (\\lor not split: 'I don't understand this')."""
    steps = check_text(source).steps
    assert [(s.line, s.verdict, s.method, s.message, s.counterexample) for s in steps] == [
        (1, verdict, method, message, counterexample)]


def test_a_name_in_a_hypothesis_is_not_plugged_in():
    """Kills derive.check.plugged.xǁPluggingǁ_pluggable__mutmut_9 (``... or not any(u in hyps)``: a
    name the hypothesis a^2 < 5000 is about was read as a value plugged in from outside)."""
    src = "$\\delta = -4$\n\nSuppose $a^2 < 5000$. Then $\\delta a = -4 \\cdot 38$.\n"
    assert _rows(src) == [
        (1, "\\delta", "=", "-4", "given", "definition", "defines \\delta", "definition"),
        (3, "a^2", "<", "5000", "given", "condition", "a condition", "hypothesis"),
        (3, "\\delta a", "=", "-4 \\cdot 38", "unknown", "unconstrained",
         "depends on a, which nothing in scope gives a value", "claim")]


@pytest.mark.parametrize("last, verdict, method, message", [
    # a = -152 / -4 = 38 (plugged in on line 3): 38 + 2 = 40 holds, 38 + 3 = 41 is not 40
    ("a + 2 = 40", "valid", "proved", "identical"),
    ("a + 3 = 40", "unknown", "substitution",
     "fails with the value line 3 plugged in, which nothing in the document gives"),
])
def test_a_plugged_value_survives_a_step_refuted_through_it(last, verdict, method, message):
    """Kills derive.check.plugged.xǁPluggingǁ_fails_unplugged__mutmut_28 (the plugged value put back
    as None after judging line 5 without it: line 7 'could not be checked')."""
    assert -152 / -4 == 38
    src = f"$\\delta = -4$\n\n$\\delta a = -4 \\cdot 38$\n\n$a + 2 = 41$\n\n${last}$\n"
    lhs, rhs = (t.strip() for t in last.split("="))
    assert _rows(src) == [
        (1, "\\delta", "=", "-4", "given", "definition", "defines \\delta", "definition"),
        (3, "\\delta a", "=", "-4 \\cdot 38", "given", "substitution", "uses a = 38, a value nothing in scope gives",
         "data"),
        (5, "a + 2", "=", "41", "unknown", "substitution",
         "fails with the value line 3 plugged in, which nothing in the document gives", "claim"),
        (7, lhs, "=", rhs, verdict, method, message, "claim")]
