"""Pins in derive.check that the seed-15 mutation sample showed no test held (#14, session 11).

Each test names the mutants it kills; each kill was confirmed by running the test in mutmut's
tree with ``MUTANT_UNDER_TEST`` set to that mutant (it fails) and to ``none`` (it passes).
"""
from __future__ import annotations

import pytest

from derive.check import check_text


def _rows(src: str) -> list[tuple]:
    return [(s.line, s.verdict, s.method, s.message) for s in check_text(src, timeout=5).steps]


MATRIX_UNKNOWNS = [
    # decide ``_decided__mutmut_312``: the method "matrix" became "MATRIX".  W^T W = W W^T + 1 is
    # read with W a number, so it would be false (W^2 = W^2 + 1); W may be a matrix, so unknown.
    (r"$$W^T W = W W^T + 1$$",
     "a transpose of a name derive reads as a number (so W^T W = W W^T); declare the matrix "
     "(assume W \\in \\mathbb{R}^{m \\times n}) or give its entries"),
    # decide ``_decided__mutmut_268`` (the method dropped, the message taken as the method) and
    # ``_275`` (the message upper-cased): a bare I beside a matrix may be the identity.
    (r"$$\begin{pmatrix}1&0\\0&1\end{pmatrix} = 1 + 0 I$$",
     "one side is not read as a matrix (an undefined function of a matrix, or a list): its shape is not known"),
]


@pytest.mark.parametrize("src, message", MATRIX_UNKNOWNS)
def test_a_possible_matrix_is_unknown_with_its_reason(src: str, message: str) -> None:
    assert _rows(src) == [(1, "unknown", "matrix", message)]


ASSIGNMENTS = [
    # premises ``_assign__mutmut_31``: the verdict "unknown" became "XXunknownXX".  2b \gets ... is not
    # an update of a name, so derive neither records it nor judges it.
    (r"$$2b \gets b - \eta g$$", [(1, "unknown", "assignment", "the left side of an assignment is not a name")]),
    (r"$$w_1 + 1 \gets 2$$", [(1, "unknown", "assignment", "the left side of an assignment is not a name")]),
    (r"$$b \gets b - \eta g$$", [(1, "given", "definition", "assigns b")]),
]


@pytest.mark.parametrize("src, rows", ASSIGNMENTS)
def test_an_assignment_needs_a_name_on_the_left(src: str, rows: list) -> None:
    assert _rows(src) == rows


UNREAD_SIDES = [
    # premises ``_unequal__mutmut_32``: the side was dropped from the call that places the column,
    # so a \ne step with a side derive cannot read raised instead of pointing at that side.
    # Columns count from 1 in the line: "$$" is columns 1 and 2.
    (r"$$\foo x \ne 2$$", 3),
    (r"$$3 \ne \foo$$", 9),
]


@pytest.mark.parametrize("src, column", UNREAD_SIDES)
def test_an_unread_side_of_a_not_equal_step_is_unparsed_at_its_column(src: str, column: int) -> None:
    (s,) = check_text(src, timeout=5).steps
    assert (s.verdict, s.message, s.column) == ("unparsed", "unknown macro \\foo", column)


@pytest.mark.parametrize("law, message", [
    # laws ``Bound.describe__mutmut_16``: the open bound ">" was printed "XX>XX".  A rate of an
    # exponential law and a Poisson mean are positive; a Bernoulli probability lies in [0, 1].
    (r"X \sim \mathrm{Exp}(-1)", "in '\\mathrm{Exp}(-1)' parameter 1 (-1) must be a number > 0"),
    (r"N \sim \mathrm{Poisson}(0)", "in '\\mathrm{Poisson}(0)' parameter 1 (0) must be a number > 0"),
    (r"N \sim \mathrm{Bernoulli}(2)",
     "in '\\mathrm{Bernoulli}(2)' parameter 1 (2) must be a number >= 0 and <= 1"),
])
def test_an_assumed_law_with_a_parameter_outside_its_domain_is_refused(law: str, message: str) -> None:
    first = check_text(f"% derive: assume {law}\n$$E[X] = 1$$\n", timeout=5).steps[0]
    assert (first.line, first.verdict, first.message, first.column) == (1, "unparsed", "assumption: " + message, 1)


HALF_UNIT = [
    # A near miss on both sides of the half unit, for rounded matrix entries.  (Written for
    # tolerance ``_numeric_entries__mutmut_35``, a bound (1 - 1e-9) too tight, which it does NOT
    # kill: the exact bound on the rounding error decides this case first.)  0.35 for
    # 0.345 = 69/200: the gap is 0.005, exactly half a unit of the last printed digit.
    ("0.35", r"\frac{69}{200}", ("valid", "proved",
                                  "equal up to rounding of the printed decimals (exact bound on the rounding error, "
                                  "entry by entry)")),
    # 0.3449 is 0.0051 away from 0.35: more than half a unit, so the entries differ
    ("0.35", "0.3449", ("invalid", "numeric", "entries (1,1) differ")),
]


@pytest.mark.parametrize("printed, exact, verdict", HALF_UNIT)
def test_a_rounded_matrix_entry_at_exactly_half_a_unit_is_still_rounding(printed: str, exact: str,
                                                                         verdict: tuple) -> None:
    src = f"$$\\begin{{pmatrix}}{printed}\\\\1\\end{{pmatrix}} = \\begin{{pmatrix}}{exact}\\\\1\\end{{pmatrix}}$$"
    (s,) = check_text(src, timeout=5).steps
    assert (s.verdict, s.method, s.message) == verdict
