"""derive.check.refute: entry-by-entry claims on vectors and steps whose reading lost a
domain, every field of the verdict pinned (mutation testing found the method and the
message of these branches unchecked)."""
from __future__ import annotations

import pytest

from derive.check import check_text


@pytest.mark.parametrize("entries, rel, verdict, message", [
    ("1 \\\\ 2", ">", "valid", "entry by entry"),
    ("1 \\\\ 0", "\\ge", "valid", "entry by entry"),
    ("1 \\\\ -2", ">", "invalid", "entry 2 does not hold"),       # by hand: -2 > 0 is false
    ("-1 \\\\ -2", ">", "invalid", "entries 1, 2 do not hold"),
])
def test_a_vector_claim_is_judged_entry_by_entry(entries: str, rel: str, verdict: str, message: str) -> None:
    src = f"Let $z = \\begin{{pmatrix}} {entries} \\end{{pmatrix}}$. Then $z {rel} 0$.\n"
    data, claim = check_text(src).steps
    assert (data.verdict, data.role) == ("given", "data")
    assert (claim.verdict, claim.method, claim.message, claim.counterexample) == (verdict, "entries", message, None)


@pytest.mark.parametrize("src, message, condition", [
    # the point where the written side leaves the reals comes first (check/divisions.py, issue 8 N5)
    ("$\\sqrt{x}^2 = x$\n", "at x = -1 the left side takes the square root of a negative number; "
     "assume x \\ge 0 to check this step", "x \\ge 0"),
    ("$e^{\\ln x} = x$\n", "at x = 0 the left side takes the logarithm of a number that is not positive; "
     "assume x > 0 to check this step", "x > 0"),
    ("$e^{\\ln x - \\ln x} = 1$\n", "at x = 0 the left side takes the logarithm of a number that is not "
     "positive; assume x > 0 to check this step", "x > 0"),
])
def test_a_lost_domain_names_what_to_assume(src: str, message: str, condition: str) -> None:
    (s,) = check_text(src).steps
    assert (s.verdict, s.method, s.message, s.condition) == ("unknown", "domain", message, condition)


_AB = ("Let $A = \\begin{bmatrix} %s & 2 \\\\ 3 & 4 \\end{bmatrix}$ and "
       "$B = \\begin{bmatrix} 0 & 1 \\\\ 1 & 0 \\end{bmatrix}$.\n\n$$%s = \\begin{bmatrix} 2 & 1 \\\\ 4 & 3 \\end{bmatrix}$$\n")


@pytest.mark.parametrize("src, verdict", [
    # A B swaps the columns of A: [[2, 1], [4, 3]] (B A would swap its rows)
    # (read in order when the side is read, record.Recording._ordered_side: no "(as matrices)" re-reading)
    (_AB % ("1", "A B"), ("valid", "proved", "identical")),
    (_AB % ("1", "B A"), ("invalid", "numeric", "entries (1,1), (1,2), (2,1), (2,2) differ")),
    # a symbol in a matrix fact: A B = [[2, x], [4, 3]], equal only at x = 1: no verdict either way
    (_AB % ("x", "A B"), ("unknown", "unconstrained", "depends on x, which nothing in scope gives a value")),
    # cos(pi/7) cos(2pi/7) cos(4pi/7) = -1/8, which SymPy does not prove: numeric
    ("Let $A = \\begin{bmatrix} \\cos(\\pi/7) & 0 \\\\ 0 & 1 \\end{bmatrix}$ and "
     "$B = \\begin{bmatrix} \\cos(2\\pi/7)\\cos(4\\pi/7) & 0 \\\\ 0 & 1 \\end{bmatrix}$.\n\n"
     "$$A B = \\begin{bmatrix} -1/8 & 0 \\\\ 0 & 1 \\end{bmatrix}$$\n",
     ("valid", "numeric", "24 random points at 40 digits")),
])
def test_a_product_of_matrix_facts_is_read_in_its_order(src: str, verdict: tuple) -> None:
    from derive.check import check_text
    s = check_text(src).steps[-1]
    assert (s.verdict, s.method, s.message) == verdict


@pytest.mark.parametrize("step", ["g(A) + 1 = g(A) + 2", "\\sigma(A) = \\sigma(A)"])
def test_an_undefined_function_of_a_matrix_fact_gets_no_verdict(step: str) -> None:
    from derive.check import check_text
    src = "Let $A = \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}$.\n\n$$" + step + "$$\n"
    s = check_text(src).steps[-1]
    assert (s.verdict, s.method, s.message) == ("unknown", "matrix",
                                                "an undefined function of a matrix (derive does not know its value)")


# Issue 8, attack 1 finding 12 (f12_quad.tex, f13_xa.tex): each true line was `invalid` through a
# quadrature error ("1.9999845 vs 2"); none may be now (valid, or unknown when the machine is too
# loaded to finish), and the wrong value stays invalid.  The values are closed forms by hand.
@pytest.mark.parametrize("assume, line, invalid", [
    ("", "\\int_0^\\pi |\\cos x| \\, dx = 2", False),
    ("", "\\int_0^{2\\pi} \\sqrt{1-\\cos^2 x} \\, dx = 4", False),
    ("", "\\int_0^\\pi \\sqrt{1+\\cos 2x} \\, dx = 2\\sqrt2", False),
    ("", "\\int_{-1}^1 \\max(x,0) \\, dx = \\frac12", False),
    ("", "\\int_0^\\pi \\sqrt{1-\\sin^2 x} \\, dx = 2", False),
    ("% derive: assume a > -1\n", "\\int_0^1 x^a \\, dx = \\frac{1}{a+1}", False),
    ("", "\\int_0^\\pi |\\cos x| \\, dx = 2.1", True),
    ("% derive: assume a > -1\n", "\\int_0^1 x^a \\, dx = \\frac{1}{a+2}", True),
])
def test_a_quadrature_error_is_no_counterexample(assume: str, line: str, invalid: bool) -> None:
    (step,) = check_text(assume + f"\\[ {line} \\]\n", timeout=10).steps
    assert (step.verdict == "invalid") is invalid, step
    if invalid:
        assert step.message.startswith("sides differ: ")
