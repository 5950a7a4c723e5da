"""The scope of a supposition (``premises.Premising``, ``extract._supposition_end``,
``extract._quantifiers``): "Suppose $y = 0$" holds to the end of its paragraph (or of the
block its paragraph introduces with a colon), a new supposition about the same name ends
it, and a quantifier over the name ("for any $y$") ends everything said about it.

Each case is a small document and the exact (line, verdict, role) of every step.
"""
from __future__ import annotations

import pytest
import sympy as sp

from derive.check import check_text
from derive.check.document import read_document
from derive.check.extract import extract
from derive.check.judge import check_source


def _steps(src: str, kind: str = "md") -> list[tuple]:
    return [(s.line, s.verdict, s.role) for s in check_source(src, f"x.{kind}", timeout=5).steps]


SUPPOSED = [(1, "given", "hypothesis"), (1, "valid", "claim")]

CASES = [
    ("a quantifier over the supposed name ends the supposition",
     "Suppose $y = 0$. Then $x + y = x$.\n\nFor any $y$, $(x + y)^2 = x^2$.\n", "md",
     SUPPOSED + [(3, "invalid", "claim")]),
    ("in the same paragraph too",
     "Suppose $y = 0$. Then $x + y = x$. For all real $y$ we get $(x + y)^2 = x^2$.\n", "md",
     SUPPOSED + [(1, "invalid", "claim")]),
    ("let ... be arbitrary",
     "Suppose $y = 0$. Then $x + y = x$.\n\nNow let $y$ be arbitrary. Then $(x + y)^2 = x^2 + y^2$.\n", "md",
     SUPPOSED + [(3, "invalid", "claim")]),
    ("a quantifier after the claim, in its sentence",
     "Suppose $y = 0$. Then $x + y = x$.\n\nWe have $(x + y)^2 = x^2$ for every $y$.\n", "md",
     SUPPOSED + [(3, "invalid", "claim")]),
    ("LaTeX: the supposition ends with its paragraph",
     "Suppose $y = 0$. Then $x + y = x$.\n\nIn general, $(x + y)^2 = x^2$.\n", "tex",
     SUPPOSED + [(3, "invalid", "claim")]),      # y is any real again (x, y: variables, #8)
    ("it holds inside its paragraph",
     "Suppose $y = 0$. Then $x + y = x$\nand $x y = 0$.\n", "tex",
     SUPPOSED + [(2, "valid", "claim")]),
    ("a paragraph ending in a colon goes on into the display after it",
     "If $y = 0$:\n\n$$x + y = x$$\n\nIn general $(x + y)^2 = x^2$.\n", "md",
     [(1, "given", "hypothesis"), (3, "valid", "claim"), (5, "invalid", "claim")]),
    ("a standing assumption holds to the end of its part",
     "Assume $y = 0$.\n\nThen $x + y = x$.\n", "md",
     [(1, "given", "hypothesis"), (3, "valid", "claim")]),
    ("... and also ends at a quantifier over its name",
     "Assume $y = 0$.\n\nThen $x + y = x$.\n\nFor any $y$, $(x + y)^2 = x^2$.\n", "md",
     [(1, "given", "hypothesis"), (3, "valid", "claim"), (5, "invalid", "claim")]),
    ("a supposition does not reach the next part",
     "**(a)** Suppose $y = 0$: $x + y = x$\n**(b)** $x + y = x$\n", "md",
     [(1, "given", "hypothesis"), (1, "valid", "claim"), (2, "invalid", "claim")]),
    ("a value proved under a supposition holds only as long as it does",
     "Suppose $y = 0$. Then $w = 3 + y = 3$.\n\n$w + y = 3$\n", "md",
     [(1, "given", "hypothesis"), (1, "given", "definition"), (1, "valid", "claim"), (3, "unknown", "claim")]),
    ("a new supposition about the same name supersedes the old one (same paragraph)",
     "For $x \\le 0$: $|x| = -x$. For $x \\ge 0$: $|x| = x$.\n", "md",
     [(1, "given", "hypothesis"), (1, "valid", "claim"), (1, "given", "hypothesis"), (1, "valid", "claim")]),
    ("... and a wrong claim in the new case is still caught",
     "For $x \\le 0$: $|x| = -x$. For $x \\ge 0$: $|x| = -x$.\n", "md",
     [(1, "given", "hypothesis"), (1, "valid", "claim"), (1, "given", "hypothesis"), (1, "invalid", "claim")]),
    ("every link of a condition is the condition",
     "$x[n] = 1$ for $0 \\le n \\le 6$\n", "md",
     [(1, "given", "definition"), (1, "given", "hypothesis"), (1, "given", "hypothesis")]),
    # n is the upper limit of a sum, so a positive integer: a case narrows where it is drawn
    ("a case narrows a declared integer",
     "$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$\n\nFor $n \\ge 3$: $\\max(n, 3) = n$\n", "md",
     [(1, "valid", "claim"), (3, "given", "hypothesis"), (3, "valid", "claim")]),
    ("... only while the case holds",
     "$\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$\n\nFor $n \\ge 3$: $\\max(n, 3) = n$\n\n$\\max(n, 3) = n$\n", "md",
     [(1, "valid", "claim"), (3, "given", "hypothesis"), (3, "valid", "claim"), (5, "invalid", "claim")]),
    ("an OCR case list: (iii) is a label, not a word",
     "(ii) $0 \\le n \\le 6$ : $y[n] = 1$\n\n(iii) $n \\ge 7$ : $y[n] = 0$\n", "md",
     [(1, "given", "hypothesis"), (1, "given", "hypothesis"), (1, "given", "definition"),
      (3, "given", "hypothesis"), (3, "given", "definition")]),
]


@pytest.mark.parametrize("what, src, kind, steps", CASES, ids=[c[0] for c in CASES])
def test_supposition_scope(what: str, src: str, kind: str, steps: list) -> None:
    assert _steps(src, kind) == steps


@pytest.mark.parametrize("src, names", [
    ("For any $y$, ...", ["y"]),
    ("for all real $x, y \\in \\mathbb{R}$ we have", ["x", "y"]),
    ("Let $t$ be arbitrary.", ["t"]),
    ("Let $t = 2$.", []),
    ("for every $n \\ge 1$", ["n"]),
    ("for each value of $k$", ["k"]),
    ("$\\forall \\epsilon > 0$", []),          # not a plain name: nothing to drop
    ("$\\forall x_1 : x_1^2 \\ge 0$", ["x_1"]),
    ("for example $x = 2$", []),
])
def test_quantifiers_found(src: str, names: list) -> None:
    doc = read_document(src, "md")
    assert [n for _, n in extract(doc.text, doc).quantified] == names


def test_supposition_ends_at_paragraph() -> None:
    src = "Suppose $y = 0$. Then $x + y = x$.\n\nMore.\n"
    doc = read_document(src, "md")
    ex = extract(doc.text, doc)
    assert [s.until for s in ex.steps] == [src.index("\n\n"), None]     # the claim supposes nothing


# Data lines, conditions and \ne claims, every field of the verdict pinned (mutation testing
# found the verdict, method and message of these branches unchecked).
def _rows(src: str) -> list[tuple]:
    return [(s.line, s.lhs, s.relation, s.rhs, s.verdict, s.method, s.message, s.role)
            for s in check_text(src).steps]


@pytest.mark.parametrize("src, rows", [
    # a name on the left or on the right of = is data: the line gives it
    ("Let $a = 2$. Then $a + 1 = 3$.\n",
     [(1, "a", "=", "2", "given", "data", "data: gives a", "data"),
      (1, "a + 1", "=", "3", "valid", "proved", "identical", "claim")]),
    ("Let $2 = a$. Then $a + 1 = 3$.\n",
     [(1, "2", "=", "a", "given", "data", "data: gives a", "data"),
      (1, "a + 1", "=", "3", "valid", "proved", "identical", "claim")]),
    ("Let $2 + 3 = a$. Then $a + 1 = 7$.\n",
     [(1, "2 + 3", "=", "a", "given", "data", "data: gives a", "data"),
      (1, "a + 1", "=", "7", "invalid", "numeric", "sides differ: 6.0000000 vs 7.0000000", "claim")]),
    ("If $x > 0$: $\\sqrt{x^2} = x$\n",
     [(1, "x", ">", "0", "given", "condition", "a condition on x", "hypothesis"),
      (1, "\\sqrt{x^2}", "=", "x", "valid", "numeric", "24 random points at 40 digits", "claim")]),
    ("% derive: assume x \\in \\mathbb{R}\n$x^2 + 1 \\ne 0$\n",
     [(2, "x^2 + 1", "!=", "0", "valid", "proved", "the two sides are never equal on the domain", "claim")]),
    # numbers on both sides: 2 + 2 = 4 exactly, sqrt(2) is irrational, so never 1.414
    ("$2 + 2 \\ne 5$\n", [(1, "2 + 2", "!=", "5", "valid", "numeric", "the sides differ", "claim")]),
    ("$2 + 2 \\ne 4$\n", [(1, "2 + 2", "!=", "4", "invalid", "identical", "the two sides are equal", "claim")]),
    ("$\\sqrt{2} \\ne 1.414$\n",
     [(1, "\\sqrt{2}", "!=", "1.414", "valid", "numeric", "the sides differ", "claim")]),
])
def test_data_conditions_and_unequal_claims(src: str, rows: list) -> None:
    assert _rows(src) == rows


@pytest.mark.parametrize("assume, root", [("x \\in \\mathbb{R}", {-2, 2}), ("x > 0", {2})])
def test_an_unequal_claim_is_refuted_at_a_point_where_the_sides_are_equal(assume: str, root: set) -> None:
    (s,) = check_text(f"% derive: assume {assume}\n$x^2 \\ne 4$\n").steps
    assert (s.verdict, s.method, s.message) == ("invalid", "solve", "the two sides are equal here")
    assert set(s.counterexample) == {"x"}
    x = sp.Rational(s.counterexample["x"])
    assert x ** 2 == 4 and x in root          # independently: a root of x^2 - 4 in the domain


@pytest.mark.parametrize("src, messages", [
    ("$$x[n] = 1 \\quad 0 \\le n \\le 6, n \\ne 3$$\n\n$$x[n] = 0$$",
     ["defines x[n] for 0 \\le n \\le 6, n \\ne 3", "defines x[n] (another case)"]),
    ("$$f(t) = t^2 \\quad (t \\ge 0)$$\n\n$$f(t) = 0$$", ["defines f(t) for t \\ge 0", "defines f(t) (another case)"]),
])
def test_the_cases_of_a_definition_name_their_conditions(src: str, messages: list) -> None:
    from derive.check import check_text
    steps = check_text(src).steps
    assert [(s.verdict, s.method, s.message) for s in steps] == [("given", "definition", m) for m in messages]


# A math region that opens with "=" right after words names that quantity in words (issue 9,
# OCR working: ocr_conv_shapes.md:93, 147, ocr_mathpix_arrays.md:94, ocr_mup_backprop.md:127).
# 490 + 1820 + 1810 = 4120 and 100 + 910 + 1473 = 2483 by hand.
@pytest.mark.parametrize("src, steps", [
    ("total $=490+1820+1810=4120$\n",
     [(1, "given", "definition", "defines total (named in words)"), (1, "valid", "claim", None)]),
    ("total params $= 100 + 910 + 1473 = 2493$\n",
     [(1, "given", "definition", "defines total params (named in words)"), (1, "invalid", "claim", None)]),
    ("(all $z > 0$ so ReLU' $= 1$)\n",
     [(1, "given", "hypothesis", None), (1, "given", "definition", "defines ReLU' (named in words)")]),
    # a unit after a value, or a claim word: no name, the row stays unparsed
    ("$6000$ min $= 100$ h\n", [(1, "unparsed", "claim", "empty side")]),
    ("so $= 5$\n", [(1, "unparsed", "claim", "empty side")]),
])
def test_a_quantity_named_in_words(src: str, steps: list) -> None:
    from derive.check.judge import check_source

    got = [(s.line, s.verdict, s.role, s.message) for s in check_source(src, "x.md", timeout=5).steps]
    assert [(ln, v, r, m if want is not None else None) for (ln, v, r, m), (_, _, _, want) in zip(got, steps)] == steps
