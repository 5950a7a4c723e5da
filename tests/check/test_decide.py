"""Whole documents: roles, facts flowing forward, precision-first verdicts, carried errors.

Each case is a small Markdown document and the exact (line, verdict, role) of
every step, with a fragment of its message where the message is the point.
"""
from __future__ import annotations

import pytest

from derive.check.judge import Judge, Premises, check_source
from derive.check.document import read_document
from derive.check.extract import extract


def _steps(src: str, kind: str = "md") -> list[tuple]:
    return [(s.line, s.verdict, s.role) for s in check_source(src, f"x.{kind}", timeout=5).steps]


CASES = [
    ("setup data, then a claim using it",
     "$$\\text{setup: } x = 2 \\quad y = 10$$\nThen $x + y = 12$.\n",
     [(1, "given", "data"), (1, "given", "data"), (2, "valid", "claim")]),
    ("Let ... and ...: both data, used later",
     "Let $c = \\frac{1}{\\sqrt{d}}$ and $d = 4$.\n\n$c = \\frac{1}{2}$\n",
     [(1, "given", "data"), (1, "given", "data"), (3, "valid", "claim")]),
    ("a case", "If $C_n = 1$: the output is $C_n + 1 = 2$.\n",
     [(1, "given", "hypothesis"), (1, "valid", "claim")]),
    ("a goal and data", "We want $\\mathrm{RMS}(\\Delta y) \\le 1$ with $\\mathrm{RMS}(x) = 1$.\n",
     [(1, "given", "hypothesis"), (1, "given", "data")]),
    ("a condition on N, then the claim", "$N \\ge \\frac{\\ln 0.05}{\\ln 0.95} \\approx 58.4$\n",
     [(1, "given", "hypothesis"), (1, "valid", "claim")]),
    ("a condition on N, then a wrong claim", "$N \\ge \\frac{\\ln 0.05}{\\ln 0.95} \\approx 60.4$\n",
     [(1, "given", "hypothesis"), (1, "invalid", "claim")]),
    ("the first error, then a line that follows from it, then a correct line",
     "$y = 3 \\cdot 4 = 13$\n\n$2y = 26$\n\n$2y = 24$\n",
     [(1, "given", "definition"), (1, "invalid", "claim"), (3, "unknown", "claim"), (5, "valid", "claim")]),
    ("a name nothing gives a value", "$u + 1 = 3$\n", [(1, "unknown", "claim")]),
    ("moments of a distribution",
     "$X \\sim \\mathcal{N}(3, 4)$\n\n$\\mathbb{E}[X] + \\mathrm{Var}(X) = 7$\n\n$\\mathbb{E}[X] = 4$\n",
     [(1, "given", "data"), (3, "valid", "claim"), (5, "invalid", "claim")]),
    ("a piecewise definition", "$x[n] = 1 \\quad 0 \\le n \\le 6 \\quad , \\quad x[n] = 0$ otherwise\n",
     [(1, "given", "definition"), (1, "given", "definition")]),
    ("a part defines a name anew", "## P\n$k = 2$\n\n**(b)** $k = 5$ and $k + 1 = 6$\n",
     [(2, "given", "definition"), (4, "given", "definition"), (4, "valid", "claim")]),
    ("a new problem is a fresh scope", "## P1\n$k = 2$\n## P2\n$k + 1 = 4$\n",
     [(2, "given", "definition"), (4, "unknown", "claim")]),
    ("approx with a symbolic factor: the coefficient's printed precision",
     "$\\hat{m}_3 = \\frac{m_3}{0.729} \\approx 1.372 \\, m_3$\n\n$\\frac{m_3}{0.729} \\approx 1.382 m_3$\n",
     [(1, "given", "definition"), (1, "valid", "claim"), (3, "invalid", "claim")]),
    ("a data fact about an atom survives a definition that uses it",
     "$$\\text{setup: } d_{in}, d_{out} \\ge 1 \\quad \\mathrm{RMS}(x) = 1$$\n"
     "$\\|x\\|_2 = \\sqrt{d_{in}} \\mathrm{RMS}(x) = \\sqrt{d_{in}}$\n",
     [(1, "given", "hypothesis"), (1, "given", "data"), (2, "given", "definition"), (2, "valid", "claim")]),
    ("list on one line, dots dropped", "$y[0] = 1, \\quad y[1] = \\frac{3}{2}, \\quad \\dots$\n",
     [(1, "given", "definition"), (1, "given", "definition")]),
    # precision first: a step that fails only for negative values of names nothing gives a sign
    ("holds for every positive value: unknown", "$\\sqrt{\\sigma^2} = \\sigma$\n", [(1, "unknown", "claim")]),
    ("fails for positive values too: invalid", "$(a+b)^2 = a^2 + b^2$\n", [(1, "invalid", "claim")]),
    ("fails for every positive value: invalid", "$2x < x$\n", [(1, "invalid", "claim")]),
    ("a declared sign keeps the counterexample", "<!-- derive: assume x < 0 -->\n$\\sqrt{x^2} = x$\n",
     [(2, "invalid", "claim")]),
    # a shape mismatch is certain only between explicit matrices (or a matrix and a number)
    ("an undefined function of a vector has no known shape", "$z = (1, 2)^T$\n\n$y = g(z) = (0.7, 0.8)^T$\n",
     [(1, "given", "definition"), (3, "given", "definition"), (3, "unknown", "claim")]),
    # \sigma applied and never written otherwise is the sigmoid (check/conventions.py), entry by entry:
    # sigma(2) = 0.8808, which 0.8 is not within half a unit of its last digit
    ("the sigmoid of a vector by convention", "$z = (1, 2)^T$\n\n$y = \\sigma(z) = (0.7, 0.8)^T$\n",
     [(1, "given", "definition"), (3, "given", "definition"), (3, "invalid", "claim")]),
    ("sigma with a value is no sigmoid", "$\\sigma = 2$, $z = 3$\n\n$y = \\sigma(z) = 6$\n",
     [(1, "given", "definition"), (1, "given", "definition"), (3, "given", "definition"), (3, "unknown", "claim")]),
    ("explicit matrices of different shapes", "$(1, 2)^T = (1, 2, 3)^T$\n", [(1, "invalid", "claim")]),
    ("a number against a matrix", "$3 = (1, 2)^T$\n", [(1, "invalid", "claim")]),
    ("an undefined function on one side only", "$K = 3$\n\n$D(K - 1) + 1 = 5$\n",
     [(1, "given", "definition"), (3, "unknown", "claim")]),
    # \ne and != between numbers are claims, between names conditions
    ("!= between numbers that differ", "$0.95^{59} != 0.05$\n", [(1, "valid", "claim")]),
    ("\\ne between equal numbers", "$2 \\ne 2$\n", [(1, "invalid", "claim")]),
    ("\\neq on a name is a condition", "$x \\neq 0$\n", [(1, "given", "hypothesis")]),
    ("approx with a symbolic factor that a fact expands",
     "$m_3 = 1 - \\beta_1$\n\n$\\hat{m}_3 = \\frac{m_3}{0.729} \\approx 1.372 \\, m_3$\n",
     [(1, "given", "definition"), (3, "given", "definition"), (3, "valid", "claim")]),
    ("For (i,j) \\ne (i',j'): a condition", "For $(i,j) \\ne (i',j')$ the terms are uncorrelated.\n",
     [(1, "given", "hypothesis")]),
    # implications: a premise that gives values, computed values inside a proposition
    ("a premise of values, the conclusion claimed there",
     "$\\mu = 0 , \\sigma = 1 \\Rightarrow \\mu + \\sigma = 1$\n", [(1, "valid", "claim")]),
    ("a premise of values, a wrong conclusion",
     "$\\mu = 0 , \\sigma = 1 \\Rightarrow \\mu + \\sigma = 2$\n", [(1, "invalid", "claim")]),
    ("a premise that does not bind the conclusion", "$x^2 = 4 \\Rightarrow y = 2$\n", [(1, "unknown", "claim")]),
    ("a premise that has other solutions", "$x^2 = 4 \\Rightarrow x = 2$\n", [(1, "invalid", "claim")]),
    ("the printed value of a bound is no condition",
     "$x = 3 \\Rightarrow x \\ge \\frac{\\ln 0.05}{\\ln 0.95} - 56 = 2.4$\n", [(1, "valid", "claim")]),
    # "$a = 1$, $b = 2$ :" at the start of a line sets up a case
    ("values before a colon are a case", "$\\mu = 0$\n\n$\\mu = 2 , \\sigma = 1$ : $\\mu + \\sigma = 3$\n",
     [(1, "given", "definition"), (3, "given", "data"), (3, "given", "data"), (3, "valid", "claim")]),
    ("a list of values before a colon", "$x = 1$\n\nL3 : $x = 2$ , $y = 1$ : $x + y = 3$\n",
     [(1, "given", "definition"), (3, "given", "data"), (3, "given", "data"), (3, "valid", "claim")]),
    ("a claim after prose before a colon stays a claim", "$x = 1$\n\nwe then get $x = 2$ : wrong\n",
     [(1, "given", "definition"), (3, "invalid", "claim")]),
    ("fix: a new value is chosen", "$c = 2$\n\nfix : $c = 3$ , then $c + 1 = 4$\n",
     [(1, "given", "definition"), (3, "given", "data"), (3, "valid", "claim")]),
    # units written after the sides
    ("a change of units is not checked",
     "$$3{,}000 \\times 2 = 6{,}000 \\text{ minutes} = 100 \\text{ hours}$$\n",
     [(1, "valid", "claim"), (1, "unknown", "claim")]),
    ("the same unit on both sides is checked", "$$2 \\text{ m} + 3 \\text{ m} = 6 \\text{ m}$$\n",
     [(1, "invalid", "claim")]),
    # a line of its own that starts with a relation continues the chain of the math before it
    ("= on the next line continues the chain", "$x = 2$\n\n$x^2 = 4$\n\n$= 5$\n",
     [(1, "given", "definition"), (3, "valid", "claim"), (5, "invalid", "claim")]),
    ("\\Rightarrow on the next line: the line before is its premise, and a claim of its own",
     "$y = 2$\n\n$\\sqrt{2} y \\le 3$\n\n$\\Rightarrow y \\le 1$\n",
     [(1, "given", "definition"), (3, "valid", "claim"), (5, "invalid", "claim")]),
    ("prose between: no continuation", "$a = 2$ is nice.\n\n$= 3$\n",
     [(1, "given", "definition"), (3, "unparsed", "claim")]),
    ("the continuation skips a \\because aside",
     "$a = 2$\n\n$a + 1 = 3$ $\\quad \\because 1 = 1$\n\n$= 4 - 1$\n",
     [(1, "given", "definition"), (3, "valid", "claim"), (3, "valid", "recall"), (5, "valid", "claim")]),
    # \gets assigns: the rest of its chain uses the old value, later lines the new one
    ("an update rule", "$w = 2$\n\n$w \\gets w - 0.5 = 1.5$\n\n$w + 1 = 2.5$\n",
     [(1, "given", "definition"), (3, "given", "definition"), (3, "valid", "claim"), (5, "valid", "claim")]),
    ("a wrong update", "$b \\gets -11 - 0.001 \\cdot (-12) = -11.012$\n",
     [(1, "given", "definition"), (1, "invalid", "claim")]),
    # $$\begin{array}{l} ... \end{array}$$ as the whole display: rows of working
    ("array rows", "$$\n\\begin{array}{l}\na = 2 + 1 = 3 \\\\\nb = a + 1 = 5\n\\end{array}\n$$\n",
     [(3, "given", "definition"), (3, "valid", "claim"), (4, "given", "definition"), (4, "invalid", "claim")]),
    # a vector gives its entries; w_1' is a name of its own
    ("entries of a vector", "Let $w = (1, 2.3, 5.7)$.\n\n$s = w_1 + w_2 = 3.3$\n",
     [(1, "given", "data"), (3, "given", "definition"), (3, "valid", "claim")]),
    ("w_1' is not w_1", "Let $w = (1, 2.3, 5.7)$.\n\n$w_1' = w_1 - 0.057 = 0.943$\n",
     [(1, "given", "data"), (3, "given", "definition"), (3, "valid", "claim")]),
    ("c_t^{(1)} is not c_t", "$c_t = 2$\n\n$c_t^{(1)} = 3$\n\n$c_t^{(1)} + c_t = 5$\n",
     [(1, "given", "definition"), (3, "given", "definition"), (5, "valid", "claim")]),
    ("3(9) and (-12)(9) are products", "$$3(9) = 27$$\n$$(-12)(9) = -108$$\n$$3(9) = 12$$\n",
     [(1, "valid", "claim"), (2, "valid", "claim"), (3, "invalid", "claim")]),
    # "n = 2 :" before a claim is its case
    ("a case before a colon",
     "\\begin{align*}\nn = 2 &: \\; 0.5 \\cdot 1.25 = 0.625 \\\\\nn = 6 &: \\; 0.5 \\cdot 1.25^{n/2} = 0.9\n\\end{align*}\n",
     [(2, "valid", "claim"), (3, "invalid", "claim")]),
    ("a case with a bare value has nothing to check", "\\[ n = 1: 0.25, \\quad n = 2: 0.125 \\]\n", []),
    # an inequality on a vector holds entry by entry
    ("all entries positive", "$z = (2, 8, 9)^T$\n\n(all $z > 0$ so fine)\n",
     [(1, "given", "definition"), (3, "valid", "claim")]),
    ("an entry that is not", "$z = (2, -8, 9)^T$\n\n$z > 0$\n", [(1, "given", "definition"), (3, "invalid", "claim")]),
    # a \text{word} that is all a row has before its relation names the row
    ("a word as the left side", "\\begin{align*}\na &= 2 \\\\\n\\text{total} &= 2 a\n\\end{align*}\n",
     [(2, "given", "definition"), (3, "given", "definition")]),
    # W^T W with W read as a number: the order is lost, no refutation
    # cost(W^T W) is another quantity than cost(W W^T) (an atom of a transposed product keeps its argument)
    ("a transpose of a number-like name",
     "\\begin{align*}\n\\text{cost}(W W^T) &= c \\, d^2 e \\\\\n\\text{cost}(W^T W) &= c \\, e^2 d\n\\end{align*}\n",
     [(2, "given", "definition"), (3, "given", "definition")]),
    # a wrong value believed for an expression as written (\sigma defined as a function)
    ("carried through a defined function",
     "- $\\sigma(x) = \\frac{1}{1 + \\mathrm{e}^{-x}}$\n- $\\sigma(\\ln 3) = \\frac{1}{1 + \\mathrm{e}^{-\\ln 3}} = \\frac{1}{1 + 3}$\n"
     "- so $1 - \\sigma(\\ln 3) = \\frac34$.\n",
     [(1, "given", "definition"), (2, "valid", "claim"), (2, "invalid", "claim"), (3, "unknown", "claim")]),
    # a name given an explicit matrix is a matrix: products keep their order
    ("matrices multiplied in the wrong order",
     "Example: $W_1 = \\begin{pmatrix} 1 & 2 \\\\ 0 & 1 \\end{pmatrix}$, $W_2 = \\begin{pmatrix} 2 & 0 \\\\ 1 & 1 \\end{pmatrix}$.\n\n"
     "$$W_2 W_1 = \\begin{pmatrix} 1 & 2 \\\\ 0 & 1 \\end{pmatrix} \\begin{pmatrix} 2 & 0 \\\\ 1 & 1 \\end{pmatrix}$$\n\n"
     "$$W_2 W_1 = \\begin{pmatrix} 2 & 4 \\\\ 1 & 3 \\end{pmatrix}$$\n",
     [(1, "given", "data"), (1, "given", "data"), (3, "invalid", "claim"), (5, "valid", "claim")]),
    # a hypothesis that bounds a name bounds where counterexamples are drawn
    ("a bound from the set-up", "$$\\text{setup: } d_{in}, d_{out} \\ge 1$$\n\n$\\alpha \\sqrt{d_{in}} \\le 1$\n\n"
     "$\\Rightarrow \\alpha \\le \\frac{1}{d_{in}}$\n",
     [(1, "given", "hypothesis"), (3, "unknown", "claim"), (5, "invalid", "claim")]),
    ("a case that makes a step hold", "For $x \\ge 1$: $\\sqrt{x^2} = x$\n",
     [(1, "given", "hypothesis"), (1, "valid", "claim")]),
    # N \ge c \Rightarrow N = k: the least integer with the bound
    ("the least integer", "$N \\ge \\frac{\\ln 0.05}{\\ln 0.95} \\approx 58.4 \\Rightarrow N = 59$\n", [(1, "valid", "claim")]),
    ("not the least integer", "$N \\ge \\frac{\\ln 0.05}{\\ln 0.95} \\approx 58.4 \\Rightarrow N = 60$\n",
     [(1, "invalid", "claim")]),
    # "$N \ge c$, so $N = k$": the least integer after a bound in scope (another integer: not decided)
    ("the least integer after the bound", "$N \\ge \\frac{\\ln 0.05}{\\ln 0.95} \\approx 58.4$, so $N = 59$.\n",
     [(1, "given", "hypothesis"), (1, "valid", "claim"), (1, "valid", "claim")]),
    ("another integer after the bound", "$N \\ge \\frac{\\ln 0.05}{\\ln 0.95} \\approx 58.4$, so $N = 60$.\n",
     [(1, "given", "hypothesis"), (1, "valid", "claim"), (1, "unknown", "claim")]),
    ("a new bound for a new case",
     "- $q = 0.95$: $N \\ge \\frac{\\ln 0.05}{\\ln 0.95} \\approx 58.4$, so $N = 59$.\n"
     "- $q = 0.995$: $N \\ge \\frac{\\ln 0.005}{\\ln 0.95} \\approx 103.3$, so $N = 104$.\n",
     [(1, "given", "data"), (1, "given", "hypothesis"), (1, "valid", "claim"), (1, "valid", "claim"),
      (2, "given", "data"), (2, "given", "hypothesis"), (2, "valid", "claim"), (2, "valid", "claim")]),
    # a decimal that is the other side's irrational number, rounded (check/rounding.py; 1.4^2 = 2 stays invalid)
    ("a rounded log inside an expression", "$\\frac{4 - \\log 4}{2} = \\frac{4 - 1.3863}{2}$\n", [(1, "valid", "claim")]),
    ("a wrongly rounded log inside an expression", "$\\frac{4 - \\log 4}{2} = \\frac{4 - 1.3873}{2}$\n",
     [(1, "invalid", "claim")]),
    ("a rounded root", "$2 \\sqrt{2} = 2 \\cdot 1.414$\n", [(1, "valid", "claim")]),
    ("no irrational number for the decimal to stand for", "$1.4^2 = 2$\n", [(1, "invalid", "claim")]),
    # "With ...:" sets up a case: a name defined before is defined anew for it, and comes back after
    ("a name defined anew for a case",
     "- Plain: $g = 0.5 \\cdot 0.1 = 0.05$.\n- With the skip $y = z + x$: $g = 0.5 (1 + 0.1) = 0.55$.\n\n$g = 0.05$\n",
     [(1, "given", "definition"), (1, "valid", "claim"), (2, "given", "data"), (2, "given", "definition"),
      (2, "valid", "claim"), (4, "valid", "recall")]),
]


# No backslash in an explicit id: pytest keeps the escaped ids on the mark and escapes them
# again when it collects a second time in one process (mutmut's clean and mutant runs), so
# `\ne` would become `\\ne` and mutmut's recorded test names would not be found.
@pytest.mark.parametrize("what, src, steps", CASES, ids=[c[0].replace("\\", "") for c in CASES])
def test_document(what: str, src: str, steps: list) -> None:
    assert _steps(src) == steps


@pytest.mark.parametrize("src, line, fragment", [
    ("$y = 3 \\cdot 4 = 13$\n\n$2y = 26$\n", 3, "follows from line 1, which is wrong"),
    ("$u + 1 = 3$\n", 1, "depends on u, which nothing in scope gives a value; holds if u = 2"),
    ("$x = 2$\n\n$x^2 = 5$\n", 3, "sides differ"),
    ("If $x + y > 5$: $\\max(x + y, 5) = x + y$\n", 1, "the counterexample does not satisfy the hypothesis on line 1"),
    ("$\\sqrt{\\sigma^2} = \\sigma$\n", 1, "holds when \\sigma > 0, and nothing in scope gives its sign"),
    ("$z = (1, 2)^T$\n\n$y = g(z) = (0.7, 0.8)^T$\n", 3, "an undefined function of a matrix"),
    ("$K = 3$\n\n$D(K - 1) + 1 = 5$\n", 3, "depends on D, about which nothing in scope is known"),
    ("$2 \\ne 2$\n", 1, "the two sides are equal"),
])
def test_messages(src: str, line: int, fragment: str) -> None:
    from derive.check.report import describe

    steps = [s for s in check_source(src, "x.md", timeout=5).steps if s.line == line]
    assert any(fragment in describe(s) for s in steps), [describe(s) for s in steps]


def test_text_output_names_roles(tmp_path, capsys) -> None:
    from derive.cli import main

    f = tmp_path / "notes.md"
    f.write_text("Let $x = 2$.\n\n$c = 5$\n\nSo $x + 1 = 4$.\n")
    assert main(["check", str(f)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [f"{f}:1: data: x = 2 (data: gives x)", f"{f}:3: definition: c = 5 (defines c)",
                       f"{f}:5: invalid: x + 1 = 4 (sides differ: 3.0000000 vs 4.0000000)"]


@pytest.mark.parametrize("n", [20, 80])
def test_fact_lookups_grow_linearly(n: int) -> None:
    """Each step looks up only the facts it uses: the count per definition stays the same."""
    from derive.verify import Verifier
    from derive.check.judge import _config

    src = "".join(f"$a_{{{k}}} = {k} + b$\n\n" for k in range(n)) + "$b = 1$\n"
    doc = read_document(src, "md")
    verifier = Verifier(_config(5))
    try:
        judge = Judge(extract(doc.text, doc), Premises(), verifier)
        judge.run()
    finally:
        verifier.close()
    assert judge.store.examined <= 6 * n


# --------------------------------------------------------------------------- #
# mutation survivors (benchmarks/mutation.json): each case below kills one
# --------------------------------------------------------------------------- #

def test_a_wrong_linear_step_makes_the_writer_believe_its_solution() -> None:
    """Line 3 is wrong (2*2 + 1 = 5, not 6) and its chain has no readable head: the writer
    now believes x = 5/2, so x + 1 = 3.5 follows from line 3 (5/2 + 1 = 7/2)."""
    src = "Let $x = 2$.\n\n$$\\frac{}{} = 2x + 1 = 6$$\n\n$$x + 1 = 3.5$$\n"
    got = [(s.line, s.verdict, s.method, s.message) for s in check_source(src, "x.md", timeout=5).steps]
    assert got[2][:3] == (3, "invalid", "numeric")
    assert got[3] == (5, "unknown", "carried", "follows from line 3, which is wrong")


@pytest.mark.parametrize("src, verdict, method", [
    # a decimal beside a symbolic side: no rounding tolerance, 1.0 vs 1.01 is not "equal up to rounding"
    # (and x is a real variable: the step fails at every x, #8)
    ("$$1.0 = \\sin^2 x + \\cos^2 x + 0.01$$", "invalid", "numeric"),
    ("$$\\sin^2 x + \\cos^2 x + 0.01 = 1.0$$", "invalid", "numeric"),
    # exactly half a unit of the last printed digit away is still a rounding (|1/4 - 3/10| = 1/20)
    ("$$\\frac{1}{4} = 0.3$$", "valid", "proved"),
    ("$$\\frac{1}{4} = 0.2$$", "valid", "proved"),
    ("$$0.35 = 0.4$$", "valid", "proved"),
    # a little more than half a unit is not
    ("$$\\frac{1}{4} = 0.4$$", "invalid", "numeric"),
    ("$$0.349 = 0.4$$", "invalid", "numeric"),
])
def test_the_rounding_tolerance_of_an_equation(src: str, verdict: str, method: str) -> None:
    (s,) = check_source(src, "x.md", timeout=5).steps
    assert (s.verdict, s.method) == (verdict, method)


def test_a_written_expression_believed_after_a_wrong_line_is_carried() -> None:
    """sigma(ln 3) = 1 / (1 + 1/3) = 3/4, not 1/4 (line 2, checked with fractions); line 4
    doubles the wrong value, so it follows from line 2 and is neither valid nor invalid."""
    from fractions import Fraction
    assert 1 / (1 + Fraction(1, 3)) == Fraction(3, 4) != Fraction(1, 4)
    src = ("% derive: define \\sigma(t) = \\frac{1}{1 + e^{-t}}\n"
           "$$\\sigma(\\ln 3) = \\frac{1}{1 + 1/3} = \\frac{1}{4}$$\n\n$$2 \\sigma(\\ln 3) = \\frac{1}{2}$$\n")
    got = [(s.line, s.verdict, s.method, s.message) for s in check_source(src, "x.md", timeout=5).steps]
    assert got == [(2, "valid", "proved", "identical"),
                   (2, "invalid", "numeric", "sides differ: 0.75000000 vs 0.25000000"),
                   (4, "unknown", "carried", "follows from line 2, which is wrong")]
