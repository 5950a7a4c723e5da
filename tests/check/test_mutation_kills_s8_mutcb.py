"""Pins in the checker's readers and judges that session 8's mutation survivors showed no test
held (#14): latex readers (substacks, events, braced arguments, partials), a step's own
membership condition, the rounding bound of decimals inside a side, matrices read in order.

Each row names the mutants it kills; each was confirmed by applying the mutant by hand and
seeing the test fail.  Expected values are worked out here (sympy on the written numbers,
brute force), not taken from the checker.
"""
from __future__ import annotations

import itertools

import pytest
import sympy as sp

from derive.check import check_text


def _last(src: str):
    return check_text(src + "\n", timeout=5).steps[-1]


def _sum_ij(a: int, b: int) -> int:
    """The double sum of i j over 1 <= j <= a, 1 <= i <= b, by brute force."""
    return sum(i * j for j, i in itertools.product(range(1, a + 1), range(1, b + 1)))


EXACT = [
    # atoms ``_substacks__mutmut_50`` (the lower end of each range taken from group(None))
    (r"$$\sum_{\substack{1 \le j \le 3\\ 1 \le i \le 2}} i j = %d$$" % _sum_ij(3, 2),
     "valid", "proved", "evaluate sums and integrals"),
    (r"$$\sum_{\substack{2 \le j \le 3\\ 1 \le i \le 2}} i j = %d$$" % (_sum_ij(3, 2) - _sum_ij(1, 2)),
     "valid", "proved", "evaluate sums and integrals"),
    (r"$$\sum_{\substack{1 \le j \le 3\\ 1 \le i \le 2}} i j = %d$$" % (_sum_ij(3, 2) - 1),
     "invalid", "numeric", "sides differ: 18.000000 vs 17.000000"),
    # \bar A in a side: the writer braces it (\bar{A}), so these reach ``_Reader.group``; the premise
    # test below reaches ``primary`` (events ``_Reader.unary__mutmut_12``)
    (r"$$P(\bar A) = 1 - P(A)$$", "valid", "proved", "identical"),
    (r"$$P(\bar A \cap B) = P(B) - P(A \cap B)$$", "valid", "proved", "identical"),
    (r"$$P(\overline A) = 1 - P(A)$$", "valid", "proved", "identical"),
    # rewrite ``_brace_arguments__mutmut_16`` (the brace after \operatorname{cost} never matched)
    (r"$$\operatorname{cost}{(x)} y = y \operatorname{cost}(x)$$", "valid", "proved", "identical"),
    (r"$$\mathrm{cost}{(x)} + 1 = 1 + \mathrm{cost}(x)$$", "valid", "proved", "identical"),
    # parse ``_partial__mutmut_45``: a partial derivative at a kink has no value (it was "proved" 0)
    (r"$$\left.\frac{\partial}{\partial x} |x|\right|_{x=0} = 0$$", "unknown", "one-sided",
     "not differentiable at x = 0: one-sided derivatives -1 and 1"),
    (r"$$\left.\frac{\partial}{\partial x} |x - 1|\right|_{x=1} = 0$$", "unknown", "one-sided",
     "not differentiable at x = 1: one-sided derivatives -1 and 1"),
    (r"$$\left.\frac{\partial}{\partial x} |x|\right|_{x=2} = 1$$", "valid", "proved", "identical"),
    # atoms ``_operand_end``: the operand of a partial derivative runs on inside |x - 1| (it was cut at
    # the minus sign, so these were unparsed); after the bar closes a minus ends it again
    (r"$$\frac{\partial}{\partial x} |x - 1| = \operatorname{sign}(x - 1)$$", "valid", "proved", "identical"),
    (r"$$\frac{\partial}{\partial x} |x + y| = \operatorname{sign}(x + y)$$", "valid", "proved", "identical"),
    (r"$$\frac{\partial}{\partial x} |x| - |y| = \operatorname{sign}(x) - |y|$$", "valid", "proved", "identical"),
    # tolerance ``_propagated__mutmut_25``: the rounding bound of 2.24 (half a unit, times sqrt 5) is
    # irrational; at 15 digits it is rounded down by 4.8e-16 of itself, so a left side inside the exact
    # bound by 2e-21 of it was refuted.  Just outside the bound: invalid either way.
    (r"$$\frac{(2245 \cdot 10^{20} - 1)\sqrt{5}}{10^{23}} = 2.24\sqrt{5}$$", "valid", "proved",
     "equal up to rounding of the printed decimals (exact bound on the rounding error)"),
    (r"$$\frac{(2245 \cdot 10^{20} + 1)\sqrt{5}}{10^{23}} = 2.24\sqrt{5}$$", "invalid", "rounding",
     "the sides differ by more than half a unit of the last printed digit (0.011)"),
]


@pytest.mark.parametrize("src, verdict, method, message", EXACT, ids=[r[0] for r in EXACT])
def test_exact_verdicts(src: str, verdict: str, method: str, message: str) -> None:
    s = _last(src)
    assert (s.verdict, s.method, s.message) == (verdict, method, message)


def test_a_partial_derivative_inside_bars_is_refuted_where_it_differs() -> None:
    """d/dx |x - 1| is sign(x - 1), not sign(x): they differ exactly on (0, 1)."""
    s = _last(r"$$\frac{\partial}{\partial x} |x - 1| = \operatorname{sign}(x)$$")
    assert (s.verdict, s.method) == ("invalid", "numeric"), s
    assert 0 < sp.Rational(s.counterexample["x"]) < 1


def test_the_rounding_rows_straddle_the_exact_bound() -> None:
    """The two rounding rows above: |L - R| against sqrt(5)/200 (half a unit of 2.24, times sqrt 5)."""
    bound = sp.sqrt(5) / 200
    for sign, inside in ((-1, True), (1, False)):
        lhs = (2245 * 10**20 + sign) * sp.sqrt(5) / 10**23
        gap = abs(lhs - sp.Rational(224, 100) * sp.sqrt(5))
        assert bool(gap <= bound) is inside
        assert abs(sp.N((gap - bound) / bound, 30)) < sp.Float("1e-20", 30)


MEMBERSHIP = [
    # stepconds ``_step_membership__mutmut_16``: the name of a step's own "for c in (0, 1)" counts
    # as assumed, so a value of it refutes the step (without it: "depends on c")
    (r"$$a + c = a \quad \text{for } c \in (0, 1)$$", lambda a, c: a + c - a),
    (r"$$a c = a \quad \text{for } c \in (0, 1)$$", lambda a, c: a * c - a),
]


@pytest.mark.parametrize("src, difference", MEMBERSHIP, ids=[r[0] for r in MEMBERSHIP])
def test_a_steps_own_membership_condition_is_assumed(src: str, difference) -> None:
    s = _last(src)
    assert (s.verdict, s.method) == ("invalid", "numeric"), s
    a, c = (sp.Rational(s.counterexample[k]) for k in ("a", "c"))
    assert 0 < c < 1 and difference(a, c) != 0


_AB = ("Let $A = \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}$ and "
       "$B = \\begin{bmatrix} 0 & 1 \\\\ 1 & 0 \\end{bmatrix}$.\n\n$$%s$$")
_A, _B = sp.Matrix([[1, 2], [3, 4]]), sp.Matrix([[0, 1], [1, 0]])


_COS = ("Let $A = \\begin{bmatrix} \\cos(\\pi/7) & 0 \\\\ 0 & 1 \\end{bmatrix}$ and $B = \\begin{bmatrix} "
        "\\cos(2\\pi/7)\\cos(4\\pi/7) & 0 \\\\ 0 & 1 \\end{bmatrix}$.\n\n$$%s$$")
_LOST = "a product of matrices written with symbols; state the matrices on the step itself to check it"


def _bmatrix(m: sp.Matrix) -> str:
    return "\\begin{bmatrix} " + " \\\\ ".join(" & ".join(str(v) for v in m.row(i)) for i in range(m.rows)) \
        + " \\end{bmatrix}"


ORDERED = [
    # refute ``_ordered__mutmut_69`` (the step re-read as matrices lost its right side): A (B + B) is
    # a name applied to a bracket, so it is read again with A and B as matrices, in that order
    (_AB % ("A (B + B) = " + _bmatrix(_A * (2 * _B))), ("valid", "proved", "identical (as matrices)")),
    (_AB % ("A (B + B) = 2 A B"), ("valid", "proved", "identical (as matrices)")),
    (_AB % ("A (B + B) = " + _bmatrix(2 * _B * _A)),
     ("invalid", "numeric", "entries (1,1), (1,2), (2,1), (2,2) differ")),
    # the reading as matrices fails (a matrix plus a scalar), gives a shape the other side does not
    # have, or a difference in a name nothing gives: no verdict, with what to do
    (_AB % "A (B + x) = A B + x A", ("unknown", "matrix", _LOST)),
    (_AB % ("A (B + B) = \\begin{bmatrix} 1 & 2 \\end{bmatrix}"), ("unknown", "matrix", _LOST)),
    (_AB % "A (x B) = x B A", ("unknown", "matrix", _LOST)),
    (_AB % "A (x B) = x A B", ("valid", "proved", "identical (as matrices)")),
    # A (2B)^T = 2 A B (B is symmetric), not 2 B A^T = 2 (A B)^T: A B is not symmetric
    (_AB % "A (B + B)^T = 2 B A^T", ("invalid", "numeric", "entries (1,2), (2,1) differ")),
    # cos(pi/7) cos(2pi/7) cos(4pi/7) = -1/8, which SymPy does not prove: numeric, as matrices
    (_COS % ("A (B + B) = " + _bmatrix(sp.Matrix([[sp.Rational(-1, 4), 0], [0, 2]]))),
     ("valid", "numeric", "24 random points at 40 digits (as matrices)")),
    (_COS % ("A (B + B) = " + _bmatrix(sp.Matrix([[sp.Rational(-1, 3), 0], [0, 2]]))),
     ("invalid", "numeric", "entries (1,1) differ")),
    # record ``_ordered_side__mutmut_69`` (a matrix expression of facts not made explicit):
    # W + I with W given entry by entry
    (_AB % ("A + I = " + _bmatrix(_A + sp.eye(2))), ("valid", "proved", "identical")),
    (_AB % ("A + I = " + _bmatrix(_A + 2 * sp.eye(2))), ("invalid", "numeric", "entries (1,1), (2,2) differ")),
]


@pytest.mark.parametrize("src, want", ORDERED, ids=[r[0].split("\n\n")[1] for r in ORDERED])
def test_matrix_facts_are_read_in_order(src: str, want: tuple) -> None:
    s = _last(src)
    assert (s.verdict, s.method, s.message) == want


def test_an_inclusion_of_a_complement_written_without_braces_is_a_premise() -> None:
    """events ``_Reader.unary__mutmut_12``: ``\\bar A`` without braces in a premise (read raw, not
    through the writer that braces it) is the complement of A; the false conclusion is refuted with
    a space checked here by brute force (equally likely outcomes)."""
    s = _last(r"$$\bar A \subseteq B \Rightarrow P(B) \le P(\bar A)$$")
    assert (s.verdict, s.method, s.message) == ("invalid", "distribution", "the premise holds but the conclusion does not")
    cex = s.counterexample
    assert cex["outcomes"].endswith("(equally likely)")
    omega = {w.strip() for w in cex["outcomes"].split("(")[0].split(",")}
    sets = {k: {w.strip() for w in v.strip("{}").split(",") if w.strip()} for k, v in cex.items() if k != "outcomes"}
    a_bar, b = omega - sets["A"], sets["B"]
    assert a_bar <= b and not len(b) <= len(a_bar)       # the premise holds, P(B) <= P(not A) fails


BECAUSE = [
    # extract ``_extract__mutmut_96``: \because alone (no \quad before it) separates two clauses; the
    # second is a recall.  Without the cut the row read as one chain x + 1 = 3 x = 2.
    (r"\[ x + 1 = 3 \because x = 2 \]", [("x + 1", "eq", "3", None), ("x", "eq", "2", "recall")]),
    (r"$x + 1 = 3 \because x = 2$", [("x + 1", "eq", "3", None), ("x", "eq", "2", "recall")]),
    (r"\[ 2x = 4 \quad \because x = 2 \]", [("2x", "eq", "4", None), ("x", "eq", "2", "recall")]),
]


@pytest.mark.parametrize("src, steps", BECAUSE, ids=[r[0] for r in BECAUSE])
def test_because_starts_a_recalled_clause(src: str, steps: list) -> None:
    from derive.check.extract import extract
    got = [(" ".join(s.lhs.text.split()), s.rel, " ".join(s.rhs.text.split()), s.cue) for s in extract(src).steps]
    assert got == steps
