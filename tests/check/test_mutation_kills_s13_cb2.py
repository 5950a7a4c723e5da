"""Paths of the checker that no corpus reached (mutation testing, #14, session 13, helper cb2):
each test pins the correct result on the input that tells the original from a surviving mutant."""
from __future__ import annotations

import math

import pytest

from derive.check import check_text
from derive.check.judge import check_source


def _steps(source: str, md: bool = False) -> list[tuple]:
    steps = check_source(source, "x.md", timeout=5).steps if md else check_text(source).steps
    return [(s.line, s.verdict, s.method, s.message) for s in steps]


# --------------------------------------------------------------------------- clean._text_arg
# "\quad \text{and ..." whose group is never closed in its math: an annotation to the end of its
# row (blanked up to the "\\"), so the next row, \sum_{i=1}^{n}, is still seen: n is a count (a
# positive integer) for the whole document, as for any upper limit of a sum
_OPEN_TEXT = "$$a = 1 \\quad \\text{and \\\\ \\sum_{i=1}^{n} i = 1$$\n\n$$%s$$\n"


@pytest.mark.parametrize("step, verdict", [
    (r"(-1)^{2n} = 1", ("valid", "proved", "identical")),                 # n an integer
    (r"\sqrt{n^2} = n", ("valid", "proved", "identical")),                # n > 0
    (r"n \ge 1", ("valid", "proved", "sign under assumptions")),          # n a positive integer
])
def test_an_unclosed_annotation_leaves_the_next_row_seen(step, verdict):
    """Kills derive.check.clean.x__text_arg__mutmut_20 (the argument of an unclosed \\text{and ...
    taken to the end of the file: a connective, so the \\text blanked the rest, \\sum with it)."""
    assert _steps(_OPEN_TEXT % step) == [(1, "unparsed", "", "this { is never closed"), (3, *verdict)]


# --------------------------------------------------------------------------- sets._sets
@pytest.mark.parametrize("step", [
    # each element equals one of the other set exactly (and another up to rounding): no rounding used
    r"\{\frac{1}{3}, 0.333\} = \{0.333, \frac{1}{3}\}",
    r"\{\frac{1}{3}, 0.33\} = \{\frac{1}{3}, 0.33\}",
    r"\{\sqrt{2}, 1.414\} = \{1.414, \sqrt{2}\}",
])
def test_sets_equal_exactly_are_not_equal_up_to_rounding(step):
    """Kills derive.check.sets.x__sets__mutmut_44 (an exact match beside a rounded one counted as rounding)."""
    assert _steps("$$" + step + "$$\n") == [(1, "valid", "proved", "the same elements")]


def test_a_set_equal_only_up_to_rounding_says_so():
    """The neighbour of the above (derive.check.sets.x__sets__mutmut_44): 0.333 matches 1/3 only rounded."""
    assert abs(0.333 - 1 / 3) < 0.0005
    assert _steps(r"$$\{\frac{1}{3}\} = \{0.333, \frac{1}{3}\}$$" + "\n") == [
        (1, "valid", "proved", "the same elements, up to rounding of the printed decimals")]


# --------------------------------------------------------------------------- suppose._derived
# an entry of a vector in scope, claimed under a supposition: the value holds while it does
_VECTOR = "Let $v = \\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix}$.\n\nSuppose $y = %s$. Then $%s$.\n\nFinally $%s$.\n"


@pytest.mark.parametrize("y, claim, after", [
    ("0", "v^{(2)} = 2 + y", "v^{(2)} = 2"),
    ("1", "v^{(1)} = 2 - y", "v^{(1)} = 1"),
])
def test_an_entry_proved_under_a_supposition(y, claim, after):
    """Kills derive.check.suppose.xǁSupposingǁ_derived__mutmut_5 (recording the supposed value crashed:
    the claim 'could not be checked', and its value 2 + y outlived the supposition)."""
    assert _steps(_VECTOR % (y, claim, after), md=True) == [
        (1, "given", "data", "data: gives v"),
        (3, "given", "hypothesis", "hypothesis: gives y"),
        (3, "valid", "proved", "identical"),
        (5, "valid", "proved", "identical"),
    ]


# --------------------------------------------------------------------------- refute._ordered
# A (B + B) is re-read with A and B as matrices (refute.Refuting._ordered); f is defined only
# after the step, so f (0) is an application of a function of the document with no value yet
# (not the product f * 0 = 0): the step, A (2B) = [[4, 2], [8, 6 + f(0)]], has no verdict
# (it is false: f(0) = 1 and the (2,2) entry of 2AB is 6)
_AB = ("Let $A = \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}$ and "
       "$B = \\begin{bmatrix} 0 & 1 \\\\ 1 & 0 \\end{bmatrix}$.\n\n$$%s$$\n\n$$f(x) = x^2 + 1$$\n")


def _two_a_b() -> list[list[int]]:
    a, b = [[1, 2], [3, 4]], [[0, 1], [1, 0]]
    return [[2 * sum(a[i][k] * b[k][j] for k in range(2)) for j in range(2)] for i in range(2)]


@pytest.mark.parametrize("step", [
    r"A (B + B) = \begin{bmatrix} 4 & 2 \\ 8 & 6 + f (0) \end{bmatrix}",
    r"A (B + B) = \begin{bmatrix} 4 & 2 + f (0) \\ 8 & 6 \end{bmatrix}",
])
def test_a_function_of_the_document_in_a_matrix_re_read_in_order(step):
    """Kills derive.check.refute.xǁRefutingǁ_ordered__mutmut_45 (the names of the document's functions
    lost in the re-reading: f (0) read as f * 0, and the false step certified valid)."""
    assert _two_a_b() == [[4, 2], [8, 6]]
    assert _steps(_AB % step, md=True) == [
        (1, "given", "data", "data: gives A"),
        (1, "given", "data", "data: gives B"),
        (3, "unknown", "unconstrained", "depends on f, about which nothing in scope is known"),
        (5, "given", "definition", "defines f(x)"),
    ]


# --------------------------------------------------------------------------- refute._entries_hold
@pytest.mark.parametrize("step, entries", [
    # e^x - x >= 1 > 0 and cos x + 2 >= 1 > 0 for every real x: entries the verifier checks numerically
    (r"\begin{bmatrix} e^x - x \\ 2 \end{bmatrix} > 0", (lambda x: math.exp(x) - x, lambda x: 2.0)),
    (r"\begin{bmatrix} \cos(x) + 2 & 1 \end{bmatrix} > \begin{bmatrix} 0 & 0 \end{bmatrix}",
     (lambda x: math.cos(x) + 2, lambda x: 1.0)),
])
def test_a_vector_inequality_with_a_numeric_entry(step, entries):
    """Kills derive.check.refute.xǁRefutingǁ_entries_hold__mutmut_36 (an entry checked numerically
    made the step unknown: 'entry 1: ')."""
    assert all(f(x / 8) > 0 for f in entries for x in range(-80, 81))
    assert _steps("$$" + step + "$$\n") == [(1, "valid", "entries", "entry by entry")]


# --------------------------------------------------------------------------- latex.evalbar._script
@pytest.mark.parametrize("step", [
    r"x^2 \Big|_{0}^ = 1",        # a script sign that ends the side
    r"1 = x^2 \Big|_{0}^",
    r"x^2 \Big|_ = 1",
])
def test_an_evaluation_bar_whose_script_ends_the_side(step):
    """Kills derive.check.latex.evalbar.x__script__mutmut_5 (an IndexError past the end: 'could not be checked')."""
    assert _steps("$$" + step + "$$\n") == [(1, "unparsed", "", "evaluation bar without its limits")]


# --------------------------------------------------------------------------- latex.events._cut
# P is a function of the document: P(1) is its value, and the \Pr after it is still read as a probability
@pytest.mark.parametrize("step, verdict", [
    (r"P(1) + \Pr(\emptyset) = 1", ("valid", "proved", "identical")),          # 1 + 0
    (r"P(3) - \Pr(\Omega) = 8", ("valid", "proved", "identical")),             # 9 - 1
    (r"\Pr(\Omega) + P(2) = 5", ("valid", "proved", "identical")),             # 1 + 4
    (r"P(3) - \Pr(\Omega) = 7", ("invalid", "numeric", "sides differ: 8.0000000 vs 7.0000000")),
])
def test_a_probability_after_a_defined_p(step, verdict):
    """Kills derive.check.latex.events.x__cut__mutmut_13 (a defined P stopped the search for
    probabilities: \\Pr(\\emptyset) left unread, 'nothing is known about Pr(emptyset)')."""
    assert _steps("$$P(x) = x^2$$\n\n$$" + step + "$$\n", md=True) == [
        (1, "given", "definition", "defines P(x)"), (3, *verdict)]
