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


EXACT = [
    # decide ``_step__mutmut_28`` (the step's own condition substituted on the left side only)
    ("$$2P + 1 = 1 + P \\quad (P=0)$$", "valid", "proved", "identical"),
    ("$$3 = 1 + P \\quad (P = 2)$$", "valid", "proved", "identical"),
    # sets ``decide__mutmut_83`` (the method of a differing entry)
    ("$$(1, 2) = (1, 3)$$", "invalid", "structure", "entry 2 differs: 2 vs 3"),
    ("$$\\{1, 2\\} = \\{1, 3\\}$$", "invalid", "structure", "2 is in one set only"),
    # refute ``_lost_domain__mutmut_63`` (the message when a root was simplified away)
    ("$$\\left.\\frac{d}{dx}\\sqrt{x}\\right|_{x=4} = \\frac{1}{4}$$", "unknown", "domain",
     "a log or a root was simplified away while reading, so where it is defined is not checked; "
     "assume its argument > 0 to check this step"),
    ("$$e^{\\ln x} = x$$", "unknown", "domain",
     "at x = 0 the left side takes the logarithm of a number that is not positive; assume x > 0 to check this step"),
]


@pytest.mark.parametrize("src, verdict, method, message", EXACT, ids=[r[0] for r in EXACT])
def test_exact_verdicts(src: str, verdict: str, method: str, message: str) -> None:
    (s,) = check_text(src + "\n", timeout=5).steps
    assert (s.verdict, s.method, s.message) == (verdict, method, message)
