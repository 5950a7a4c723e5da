"""Sides that use names facts give explicit matrices (``record.Recording._ordered_side``).

``W^{(1)} x + b^{(1)}`` with W, x, b given entry by entry is read with the names as those
matrices, so the product keeps its order; layer superscripts (``W^{(1)}``, ``a^{(1)T}``), ``\\odot``
and ``ReLU'`` of a written vector are read by the matrix reader.  Expected verdicts are worked
out by hand (W x = (1*2 + 0*1, 3*2 + 4*1) = (2, 10); x^T W = (5, 4))."""
from __future__ import annotations

import pytest

from derive.check.judge import check_source

SETUP = ("$x = \\begin{pmatrix} 2 \\\\ 1 \\end{pmatrix} \\quad W^{(1)} = \\begin{pmatrix} 1 & 0 \\\\ 3 & 4 "
         "\\end{pmatrix} \\quad b^{(1)} = \\begin{pmatrix} 0 \\\\ -2 \\end{pmatrix} \\quad "
         "\\delta = \\begin{pmatrix} 1 \\\\ -1 \\end{pmatrix}$\n\n")
PMAT = "\\begin{pmatrix} %s \\end{pmatrix}"


def _claims(body: str) -> list[tuple[int, str]]:
    report = check_source(SETUP + body, "t.md", timeout=10)
    return [(s.line, s.verdict) for s in report.steps if s.role == "claim"]


@pytest.mark.parametrize("body, want", [
    ("$z^{(1)} = W^{(1)} x + b^{(1)} = %s$\n" % (PMAT % "2 \\\\ 8"), [(3, "valid")]),
    ("$z^{(1)} = W^{(1)} x + b^{(1)} = %s$\n" % (PMAT % "2 \\\\ 9"), [(3, "invalid")]),
    # the writer's order, not the commuted one: x^T W = (5, 4), W x = (2, 10)
    ("$W^{(1)} x = %s$\n" % (PMAT % "5 \\\\ 4"), [(3, "invalid")]),
    ("$W^{(1)} x = %s$\n" % (PMAT % "2 \\\\ 10"), [(3, "valid")]),
    ("$g = \\delta x^T = %s$\n" % (PMAT % "2 & 1 \\\\ -2 & -1"), [(3, "valid")]),
    ("$h = W^{(1)T} \\delta = %s$\n" % (PMAT % "-2 \\\\ -4"), [(3, "valid")]),
    ("$h = W^{(1)T} \\delta = %s$\n" % (PMAT % "-2 \\\\ 4"), [(3, "invalid")]),
    ("$u = (W^{(1)} x) \\odot \\delta = %s$\n" % (PMAT % "2 \\\\ -10"), [(3, "valid")]),
    ("$\\text{ReLU}'(b^{(1)}) = %s$\n" % (PMAT % "0 \\\\ 0"), [(3, "valid")]),
    ("$\\text{ReLU}'(b^{(1)}) = %s$\n" % (PMAT % "1 \\\\ 0"), [(3, "invalid")]),
    # a later line using a name defined from the matrices: its value flows on
    ("$z = W^{(1)} x$\n\n$z - b^{(1)} = %s$\n" % (PMAT % "2 \\\\ 12"), [(5, "valid")]),
])
def test_products_of_given_matrices_keep_their_order(body: str, want: list) -> None:
    assert _claims(body) == want


def test_a_bare_name_is_not_replaced_by_its_value() -> None:
    """x written alone may be defined anew: it is never read as the matrix it was."""
    report = check_source(SETUP + "Now take\n\n$x = \\begin{pmatrix} 3 \\\\ 1 \\end{pmatrix}$\n", "t.md")
    assert [(s.line, s.verdict) for s in report.steps if s.line == 5] == [(5, "given")]


def test_a_value_from_a_wrong_line_is_left_to_the_carried_check() -> None:
    """h is written wrong on line 3; line 5 is right given that value, so it is never flagged."""
    body = ("$h = W^{(1)T} \\delta = %s$\n\n$h x^T = %s$\n" % (PMAT % "-2 \\\\ 4", PMAT % "-4 & -2 \\\\ 8 & 4"))
    got = [(s.line, s.verdict) for s in check_source(SETUP + body, "t.md", timeout=10).steps if s.role == "claim"]
    assert got[0] == (3, "invalid") and all(v != "invalid" for line, v in got if line == 5)
