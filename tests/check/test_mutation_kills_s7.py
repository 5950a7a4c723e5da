"""Pins in derive.check that session 7's mutation run showed no test held (#14).

Each test names the mutants it kills (benchmarks/mutation_session7_run.json); each was confirmed
by applying the mutant by hand and seeing the test fail.
"""
from __future__ import annotations

import pytest

from derive.check import check_text, equivalent


def test_a_bad_global_directive_is_reported_once_not_once_per_section() -> None:
    """judge ``_error__mutmut_2``: a global ``given`` is read again in every section."""
    src = ("% derive: given y = \\frac{1}{\n\\section{A}\n$$x^2 = x \\cdot x$$\n"
           "\\section{B}\n$$z + z = 2z$$\n")
    got = [(s.line, s.verdict, s.message) for s in check_text(src, timeout=5).steps]
    assert got == [(1, "unparsed", "given: I expected something else here"),
                   (3, "valid", "identical"), (5, "valid", "identical")]


TWO_NAMES = [
    # relations in two names: the solution sets are compared through one \iff step
    # (equivalence ``_same_solutions__mutmut_82`` shifted every field of the verdict)
    ("x + y = 1", "y = 1 - x", "valid", "proved", None),
    ("2a < 2b", "a < b", "valid", "proved", None),
    ("x + y \\le 1", "x \\le 1", "invalid", "numeric", lambda x, y: (x + y <= 1) != (x <= 1)),
    ("x^2+y^2 \\le 1", "x \\le 1", "invalid", "numeric", lambda x, y: (x * x + y * y <= 1) != (x <= 1)),
]


@pytest.mark.parametrize("a, b, verdict, method, differs", TWO_NAMES, ids=[f"{a} | {b}" for a, b, *_ in TWO_NAMES])
def test_relations_in_two_names_compare_their_solution_sets(a, b, verdict, method, differs) -> None:
    v = equivalent(a, b)
    assert (v.verdict, v.method) == (verdict, method), v
    if differs is not None:
        point = {k: float(val) for k, val in v.counterexample.items()}
        assert differs(point["x"], point["y"]), v.counterexample      # one holds there, the other not
