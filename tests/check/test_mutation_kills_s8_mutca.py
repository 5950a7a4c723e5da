"""Pins in derive.check that the seed-14 mutation sample showed no test held (#14, session 8).

Each test names the mutants it kills; each was confirmed by applying the mutant by hand to the
source, seeing the test fail, and restoring it.  Counterexamples are checked with plain Python
arithmetic, never with derive.
"""
from __future__ import annotations

import pytest
import sympy as sp

from derive.check import check_text
from derive.check.divisions import undefined_at
from derive.check.plugged import _solved


def _rows(src: str) -> list[tuple]:
    return [(s.line, s.verdict, s.method, s.message) for s in check_text(src, timeout=5).steps]


def test_prose_at_the_very_start_counts_for_the_sigmoid_convention() -> None:
    """conventions ``span__mutmut_19``: the part at the start of the document began one character
    late, so the bare ``\\sigma`` of the first word was not seen and ``\\sigma(0)`` read as the sigmoid."""
    assert _rows("\\sigma is a standard deviation here.\n$$\\sigma(0) = \\frac{1}{2}$$\n") == [
        (2, "given", "definition", "defines \\sigma(0)")]
    # without the bare sigma the convention applies: sigmoid(0) = 1/2
    assert _rows("Here it is.\n$$\\sigma(0) = \\frac{1}{2}$$\n") == [(2, "valid", "proved", "identical")]


X = sp.Symbol("x")


@pytest.mark.parametrize("e, point, undefined", [
    # divisions ``_value__mutmut_42`` (oo dropped from the values that are no real number)
    (sp.Add(X, sp.oo, evaluate=False), {X: sp.Integer(0)}, True),
    (sp.Mul(X, sp.oo, evaluate=False), {X: sp.Integer(2)}, True),
    (sp.Add(X, -sp.oo, evaluate=False), {X: sp.Integer(0)}, True),
    (sp.Pow(X, -1, evaluate=False), {X: sp.Integer(0)}, True),
    (sp.Pow(X, -1, evaluate=False), {X: sp.Integer(2)}, False),
    (sp.log(X, evaluate=False), {X: sp.Integer(-1)}, True),
    # the other branches of ``_value``: no real value (True), a value (False), cannot tell (None)
    (sp.Pow(X, sp.Rational(1, 2), evaluate=False), {X: sp.Integer(-1)}, True),
    (sp.Pow(X, sp.Rational(1, 2), evaluate=False), {X: sp.Integer(4)}, False),
    (sp.Pow(X, sp.Rational(1, 3), evaluate=False), {X: sp.Integer(-8)}, None),   # real or principal root
    (sp.Pow(X, sp.Rational(2, 3), evaluate=False), {X: sp.Integer(-8)}, None),
    (sp.asin(X, evaluate=False), {X: sp.Integer(2)}, True),
    (sp.acos(X, evaluate=False), {X: sp.Rational(1, 2)}, False),
    (sp.tan(X, evaluate=False), {X: sp.pi / 2}, True),
    (sp.Integral(X, (X, 0, 1)), {X: sp.Integer(1)}, None),                       # not judged here
    (sp.Symbol("y"), {X: sp.Integer(1)}, None),                                  # no value for y
])
def test_where_a_written_node_has_no_real_value(e, point, undefined) -> None:
    assert undefined_at(e, point) is undefined


def test_both_sides_infinite_where_one_divides_by_zero_says_nothing_about_the_point() -> None:
    """divisions ``_value__mutmut_42``: with x + oo read as a real value at x = 0, the left side's
    0/0 there was reported as a gap of the step."""
    assert _rows("$$\\frac{x}{x} + \\infty = x + \\infty$$\n") == [(1, "valid", "proved", "identical")]
    assert _rows("$$\\frac{x}{x} + \\infty = \\infty$$\n") == [
        (1, "unknown", "domain", "at x = 0 the left side divides by zero; assume x \\ne 0 to check this step")]


def test_an_entry_written_after_a_wrong_entry_is_what_the_writer_believes() -> None:
    """entries ``_entry_written__mutmut_17``: after the wrong b^(1), the line b^(2) ~ 0.67 is what the
    writer believes of entry 2 (not 2/3), so b ~ (0.5000, 0.6700) follows from line 5."""
    src = ("$$a = (1, 2)^T$$\n\n$$b = \\frac{a}{3}$$\n\n$$b^{(1)} = 0.5$$\n\n$$b^{(2)} \\approx 0.67$$\n\n"
           "$$b \\approx (0.5000, 0.6700)^T$$\n")
    assert abs(2 / 3 - 0.67) > 0.00005          # beyond the printed precision of the last line
    assert _rows(src) == [
        (1, "given", "definition", "defines a"), (3, "given", "definition", "defines b"),
        (5, "invalid", "numeric", "sides differ: 0.33333333 vs 0.50000000"),
        (7, "valid", "proved", "equal up to rounding of the printed decimals (exact bound on the rounding error)"),
        (9, "unknown", "carried", "follows from line 5, which is wrong")]


def test_an_approximate_definition_states_no_family() -> None:
    """families ``_family__mutmut_2``: g_k ~ 2 delta_k (an approximation) was kept as a family, so
    g_1 = 7 became a claim about 2 delta_1 = 8."""
    src = "$\\delta_1 = 4$, $\\delta_2 = 5$.\n\n$$g_k \\approx 2 \\delta_k$$\n\n$$g_1 = 7$$\n"
    assert _rows(src) == [(1, "given", "definition", "defines \\delta_1"),
                          (1, "given", "definition", "defines \\delta_2"),
                          (3, "given", "definition", "defines g_k"), (5, "given", "definition", "defines g_1")]
    # with = it is a family: g_1 is 2 delta_1 = 8
    assert _rows(src.replace("\\approx", "="))[-1] == (
        5, "invalid", "numeric", "sides differ: 8.0000000 vs 7.0000000 (the left side by line 3 with k = 1)")


def test_a_bare_name_at_the_end_of_a_chain_is_data() -> None:
    """plugged ``_plugged__mutmut_94`` (the value recorded for the wrong side): R = 3 = K gives K."""
    assert _rows("A layer sees $R = 3 = K$ pixels, so $K + 1 = 4$.\n") == [
        (1, "given", "definition", "defines R"), (1, "given", "data", "data: gives K"),
        (1, "valid", "proved", "identical")]


@pytest.mark.parametrize("e, u, got", [
    # plugged ``_solved__mutmut_9``: a value that depends on another name is no value
    ("a*x - 3", "x", None),
    ("3*x - a", "x", None),
    ("a*x - b", "x", None),
    ("4*x + 152", "x", {"x": -38}),
    ("x/5 - 1", "x", {"x": 5}),
    ("0.5*x - 1", "x", {"x": 2}),
    ("x**2 - 4", "x", None),
])
def test_solved_gives_a_number_or_nothing(e: str, u: str, got) -> None:
    syms = {n: sp.Symbol(n, positive=True) for n in ("a", "b", "x")}     # 3/a is then a real number
    out = _solved(sp.sympify(e, locals=syms), syms[u])
    assert (None if out is None else {str(k): v for k, v in out.items()}) == got


def test_a_new_supposition_on_a_name_ends_the_condition_before_it() -> None:
    """premises ``_premise__mutmut_33``: "suppose y = 0" did not end "suppose y < x", whose condition
    then discarded every counterexample with x < 0."""
    (s1, s2, s3) = check_text("Suppose $y < x$. Now suppose $y = 0$. Then $x^2 = 2x$.\n", timeout=5).steps
    assert [(s.verdict, s.method, s.message) for s in (s1, s2)] == [
        ("given", "condition", "a condition on y"), ("given", "hypothesis", "hypothesis: gives y")]
    assert (s3.verdict, s3.method, s3.condition) == ("invalid", "numeric", "x = 2 or x = 0")
    x = float(s3.counterexample["x"])
    assert x < 0 and x * x != 2 * x           # a point the old condition 0 < x excludes


def test_an_unknown_function_in_a_later_link() -> None:
    """premises ``_given_step__mutmut_224``: the message of a link that depends on an unknown function."""
    assert _rows("$$y = g(2) = 5$$\n") == [(1, "given", "definition", "defines y"),
                                           (1, "unknown", "opaque", "depends on g, about which nothing is known")]


LEAST = [
    # integers ``_least_integer__mutmut_14`` (floor(bound) - 1 for a strict bound): N > c gives floor(c) + 1
    ("$$N > 58 \\Rightarrow N = 59$$\n", "valid", "the least integer that satisfies the bound"),
    ("$$N > 58.4 \\Rightarrow N = 59$$\n", "valid", "the least integer that satisfies the bound"),
    ("$$N > 58 \\Rightarrow N = 57$$\n", "invalid", "the least integer that satisfies the bound is 59"),
    ("$$N > 58 \\Rightarrow N = 58$$\n", "invalid", "the least integer that satisfies the bound is 59"),
    ("$$N \\ge 58 \\Rightarrow N = 58$$\n", "valid", "the least integer that satisfies the bound"),
    ("$$N \\ge 58.4 \\Rightarrow N = 58$$\n", "invalid", "the least integer that satisfies the bound is 59"),
]


@pytest.mark.parametrize("src, verdict, message", LEAST, ids=[r[0] for r in LEAST])
def test_the_least_integer_with_a_bound(src: str, verdict: str, message: str) -> None:
    import math
    bound = float(src.split(">")[1].split("\\Rightarrow")[0]) if "\\ge" not in src else None
    if bound is not None:                       # the least integer above a strict bound, independently
        assert (verdict == "valid") == (int(src.split("N = ")[1].split("$")[0]) == math.floor(bound) + 1)
    assert _rows(src) == [(1, verdict, "proved", message)]


def test_a_quantifier_far_into_the_text_starts_at_its_own_sentence() -> None:
    """quantifiers ``_sentence_start__mutmut_33``: more than 400 characters in, the sentence of
    "For any $y$" started one character early, at the full stop after a math region, so the scope
    ran back over $y^2 = 4$ (y = 2 given before it) and refuted it with y arbitrary."""
    tail = "Let $y = 2$ here. Then $y^2 = 4$. For any $y$, $y + y = 2y$.\n"
    for pad in ("", "Some words here " * 30 + "\n\n"):
        assert [(s.verdict, s.method) for s in check_text(pad + tail, timeout=5).steps] == [
            ("given", "data"), ("valid", "proved"), ("valid", "proved")], len(pad)


def _sized_job(lo):
    from derive.domains import Domain
    from derive.step import Rel
    from derive.verify.job import _Job
    return _Job(X + 1, Rel.EQ, X + 1, ((X, Domain("d", lo=lo)),), None, 1, 5, 50, 40)


@pytest.mark.parametrize("lo, ok", [
    # quick ``small__mutmut_18``: a domain's end beyond the guard let the whole job through
    (2.5, True),
    (1e60, True),                 # at the limit: allowed
    (1.1e60, False),
    (-1e70, False),
    (2 ** 198, True),             # 199 bits (the guard allows 60 x 3.33 = 199.8)
    (2 ** 199, False),
    (-(10 ** 70), False),
])
def test_the_size_guard_looks_at_domain_ends(lo, ok) -> None:
    from derive.check.quick import small
    assert small(_sized_job(lo)) is ok


@pytest.mark.parametrize("old, implied, want", [
    # randoms ``_within__mutmut_33``: a written bound and a law's integer parameter make an integer
    (dict(lo=2), dict(lo=0, closed_lo=True, integer=True), (2, False, True)),
    (dict(lo=2, integer=True), dict(lo=0, closed_lo=True), (2, False, True)),
    (dict(lo=-1), dict(lo=0, closed_lo=True), (0, True, False)),          # p > -1 under a probability: p >= 0
    (dict(lo=0, closed_lo=True), dict(lo=0), (0, False, False)),          # the open end is the tighter
    (dict(lo=0), dict(lo=0, closed_lo=True), (0, False, False)),
    (dict(), dict(lo=1, closed_lo=True, integer=True), (1, True, True)),
])
def test_a_written_domain_within_a_laws_domain(old, implied, want) -> None:
    from derive.check.randoms import _within
    from derive.domains import Domain
    got = _within(Domain("written", hi=9, **old), Domain("implied", **implied))
    assert (got.lo, got.closed_lo, got.integer, got.hi) == (*want, 9)


def test_a_bound_and_a_binomial_law_make_n_an_integer() -> None:
    """randoms ``_within__mutmut_33`` through a document: n > 2 and X ~ Bin(n, 1/2), so cos(2 pi n) = 1."""
    src = "% derive: assume n > 2, X \\sim \\mathrm{Bin}(n, \\frac{1}{2})\n$$\\cos(2 \\pi n) = 1$$\n"
    assert _rows(src) == [(2, "valid", "proved", "identical")]


class _Regions:
    """An extraction with math regions at the given [start, end) spans (for ``region_at``)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans

    def region_at(self, offset: int) -> int | None:
        return next((k for k, (a, b) in enumerate(self.spans) if a <= offset < b), None)


SENTENCES = [
    # quantifiers ``_sentence_start`` (neighbours of ``_33``): the offset after the last full stop
    # or blank line outside math before the quantifier; the expected offsets found with str.rfind
    ("One. Two for any y", [], "One.".__len__()),
    ("One! Two? Three for any y", [], "One! Two?".__len__()),
    ("One\n\nTwo for any y", [], "One\n\n".__len__()),
    ("no stop at all for any y", [], 0),
    ("x" * 450 + " for any y", [], 451 - 400),                 # no stop in the last 400 characters
    ("A. $x = 1. 2$ b for any y", [(3, 13)], "A.".__len__()),   # the stop inside math is skipped
    ("A. $x = 1$. b for any y", [(3, 10)], "A. $x = 1$.".__len__()),
]


@pytest.mark.parametrize("text, spans, want", SENTENCES, ids=[r[0][-40:] for r in SENTENCES])
def test_the_sentence_of_a_quantifier(text: str, spans: list, want: int) -> None:
    from derive.check.quantifiers import _sentence_start
    at = text.index("for any")
    assert _sentence_start(text, at, _Regions(spans)) == want
