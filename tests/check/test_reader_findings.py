"""Reader findings of issue #8 (session 6): notation the checker misread or left unread,
each pinned with its exact verdict and message, and values compared with an independent
computation (brute-force products, Python sets)."""
from __future__ import annotations

import math
from fractions import Fraction

import pytest

from derive.check import check_text
from derive.check.parse import Parser, ParseError


def _step(src: str, line: int | None = None) -> object:
    rep = check_text(src)
    steps = [s for s in rep.steps if line is None or s.line == line]
    assert steps, rep.steps
    return steps[-1]


def _one(step: str) -> object:
    return _step(f"\\[ {step} \\]\n")


# --------------------------------------------------------------------------- #
# B4: n!! is the double factorial, never (n!)!
# --------------------------------------------------------------------------- #

def _double(n: int) -> int:
    return math.prod(range(n, 0, -2))


@pytest.mark.parametrize("n", [0, 1, 2, 5, 6, 9, 12])
def test_double_factorial_value(n: int) -> None:
    assert Parser().parse(f"{n}!!") == _double(n)
    assert Parser().parse(f"({n})!!") == _double(n)


@pytest.mark.parametrize("side, value", [
    ("7!! + 1", _double(7) + 1),
    ("2 \\cdot 5!!", 2 * _double(5)),
    ("(2+3)!!", _double(5)),
])
def test_double_factorial_in_a_side(side: str, value: int) -> None:
    assert Parser().parse(side) == value


def test_factorial_of_a_factorial_stays_one() -> None:
    # written with its brackets, (5!)! is the factorial of 120
    assert Parser().parse("(5!)!").doit() == math.factorial(math.factorial(5))


@pytest.mark.parametrize("side, message", [
    ("x^{2}!!", "'!!' (double factorial) is read after a number, a name or brackets only"),
    ("\\frac{1}{2}!!", "'!!' (double factorial) is read after a number, a name or brackets only"),
    ("2.5!!", "'!!' (double factorial) of a number that is not an integer"),
    ("1000000!!", "factorial argument too large"),
])
def test_double_factorial_refused(side: str, message: str) -> None:
    with pytest.raises(ParseError) as err:
        Parser().parse(side)
    assert str(err.value) == message


@pytest.mark.parametrize("step, verdict, message", [
    ("5!! = 15", "valid", "identical"),
    ("5!! = 120", "invalid", "sides differ: 15.000000 vs 120.00000"),
    ("6!! = 48", "valid", "identical"),
    ("(5!)! = 120", "invalid", "sides differ: 6.6895029e+198 vs 120.00000"),
])
def test_double_factorial_steps(step: str, verdict: str, message: str) -> None:
    s = _one(step)
    assert (s.verdict, s.message) == (verdict, message)


# --------------------------------------------------------------------------- #
# C2: a failure inside the checker is named in the writer's terms, never as a Python exception
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("step, verdict, message", [
    # SymPy's Max of a set raised a TypeError: "could not be checked: TypeError: ..."
    ("\\max(x, \\{1\\}) = 1", "unknown", "could not be checked: the checker does not read \\max here"),
    # latex2sympy's AttributeError: "'Integer' object has no attribute 'det'"
    ("\\det(2) = 2", "unparsed", "the checker does not read \\det here"),
])
def test_internal_failures_give_a_plain_reason(step: str, verdict: str, message: str) -> None:
    s = _one(step)
    assert (s.verdict, s.message) == (verdict, message)
    assert "Error" not in s.message and "object" not in s.message


# \log_0 5 was ln 5 / ln 0 = ln 5 / zoo = 0, so '\log_0 5 = 0' was proved
@pytest.mark.parametrize("step, verdict", [
    ("\\log_0 5 = 0", "invalid"),
    ("\\log_0 5 = 1", "invalid"),
    ("\\log_2 8 = 3", "valid"),
])
def test_logarithm_to_base_zero_has_no_value(step: str, verdict: str) -> None:
    s = _one(step)
    assert s.verdict == verdict
    if verdict == "invalid":
        assert s.message.startswith("the left side is undefined")


# --------------------------------------------------------------------------- #
# B1: "\text{ for } x \in (0, 1)" is where the step is claimed (it was dropped: a false alarm)
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("step, verdict, message", [
    ("x^2 \\le x \\text{ for } x \\in (0,1)", "valid", "reparametrised factorised sign"),
    ("x^3 \\le x \\text{ for } x \\in (0,1]", "valid", "reparametrised factorised sign"),
    ("x^2 \\ge 0 \\text{ for } x \\in [0,1)", "valid", "sign under assumptions"),
    ("\\frac{1}{x} \\ge 1 \\text{ for } x \\in (0,1]", "valid", "reparametrised factorised sign"),
    ("x^2 < 1 \\text{ for all } x \\in (-1,1)", "valid", "reparametrised factorised sign"),
    ("(-1)^{2n} = 1 \\text{ for } n \\in \\mathbb{Z}", "valid", "24 random points at 40 digits"),
    ("\\sin(\\pi n) = 0 \\text{ for } n \\in \\mathbb{Z}", "valid", "24 random points at 40 digits"),
    ("n^2 \\ge n \\text{ for } n \\in \\mathbb{Z}", "valid", "24 random points at 40 digits"),
])
def test_a_membership_after_for_is_the_steps_domain(step: str, verdict: str, message: str) -> None:
    s = _one(step)
    assert (s.verdict, s.message) == (verdict, message)


@pytest.mark.parametrize("step, low, high, closed, holds", [
    ("x^2 \\le x \\text{ for } x \\in (0, 2)", 0, 2, False, lambda x: x * x <= x),
    ("x^2 \\ge x \\text{ for } x \\in [0,1)", 0, 1, True, lambda x: x * x >= x),
    ("\\sin(\\pi x) = 0 \\text{ for } x \\in \\mathbb{R}", -math.inf, math.inf, False,
     lambda x: abs(math.sin(math.pi * x)) < 1e-12),
])
def test_a_counterexample_lies_in_the_written_set(step: str, low: float, high: float, closed: bool,
                                                  holds: object) -> None:
    s = _one(step)
    assert s.verdict == "invalid"
    x = float(s.counterexample["x"])
    assert (low <= x if closed else low < x) and x < high
    assert not holds(x)          # the claim really fails there (plain floats)


# --------------------------------------------------------------------------- #
# B2: "Let $n \in \mathbb{Z}$." in prose declares n (it was ignored: n^2 >= n was invalid at 0.304)
# --------------------------------------------------------------------------- #

def _md(src: str) -> list[tuple[int, str, str]]:
    return [(s.line, s.verdict, s.message) for s in check_text(src, name="notes.md").steps]


@pytest.mark.parametrize("prose, then, want", [
    ("Let $n \\in \\mathbb{Z}$.", "$n^2 \\ge n$ and $\\sin(\\pi n) = 0$.",
     [(3, "valid", "24 random points at 40 digits"), (3, "valid", "identical")]),
    ("Let $k \\in \\mathbb{N}$.", "$(-1)^{2k} = 1$.", [(3, "valid", "identical")]),
    ("Let $x, y \\in (0, 1)$.", "$x y < 1$.", [(3, "valid", "reparametrised factorised sign")]),
    ("Assume $t \\in \\mathbb{R}^+$.", "$\\sqrt{t^2} = t$.", [(3, "valid", "identical")]),
    ("Let $x > 0$.", "$|x| = x$.", [(1, "given", "a condition on x"), (3, "valid", "24 random points at 40 digits")]),
    # a claim cue: "so $t \in (0, 1)$" is a conclusion, never an assumption
    ("So $t \\in (0, 1)$.", "$t^2 \\le t$.", [(3, "invalid", "sides differ: 5.5272010 vs -2.3510000")]),
    # sets the directive does not read are no declaration, and no error either
    ("Let $S \\in \\mathbb{Z}^n$.", "$m^2 \\ge m$.", [(3, "invalid", "sides differ: 0.97081609 vs 0.98530000")]),
])
def test_a_membership_in_prose_declares_the_name(prose: str, then: str, want: list) -> None:
    assert _md(f"{prose}\n\nThen {then}\n") == want


# --------------------------------------------------------------------------- #
# B3: sets, tuples and intervals written out are compared as such (they were unparsed)
# --------------------------------------------------------------------------- #

def _latex_set(items: list[int]) -> str:
    return "\\{" + ", ".join(str(i) for i in items) + "\\}"


@pytest.mark.parametrize("a, b", [
    ([1, 1], [1]), ([1, 2], [2, 1]), ([1, 2], [1, 3]), ([3, 2, 1], [1, 2, 3, 3]), ([0], [0, 1]), ([5], [5]),
    ([-1, 4], [4, -1, -1]),
])
def test_integer_sets_agree_with_python_sets(a: list[int], b: list[int]) -> None:
    s = _one(f"{_latex_set(a)} = {_latex_set(b)}")
    assert s.verdict == ("valid" if set(a) == set(b) else "invalid")
    assert s.message == ("the same elements" if set(a) == set(b) else
                         f"{sorted(set(a) ^ set(b), key=(a + b).index)[0]} is in one set only")


@pytest.mark.parametrize("step, verdict, message", [
    ("\\{\\frac{1}{2}, \\sqrt{4}\\} = \\{2, 0.5\\}", "valid", "the same elements"),
    ("\\{\\pi, e\\} = \\{e, \\pi\\}", "valid", "the same elements"),
    # 1.414 is sqrt 2 rounded, as the side \sqrt{2} = 1.414 is (tests/check/test_sets_rounding.py)
    ("\\{\\sqrt{2}\\} = \\{1.414\\}", "valid", "the same elements, up to rounding of the printed decimals"),
    ("\\{\\sqrt{2}\\} = \\{1.415\\}", "invalid", "\\sqrt{2} is in one set only"),
    ("\\{x, 1\\} = \\{1, x\\}", "valid", "the same elements"),
    ("\\{x\\} = \\{1\\}", "unknown", "some elements could not be compared"),   # true at x = 1
    ("\\{1, 2\\} = \\emptyset", "invalid", "1 is in one set only"),
    ("(1, 2) = (1, 2)", "valid", "entry by entry"),
    ("(1, 2) = (2, 1)", "invalid", "entry 1 differs: 1 vs 2"),
    ("(1, 2, 3) = (1, 2)", "invalid", "3 entries vs 2"),
    ("[0, 1) = [0, 1)", "valid", "entry by entry"),
    ("[0, \\infty) = [0, \\infty)", "valid", "entry by entry"),
    ("[0, 1) = [0, 1]", "invalid", "the same entries in different brackets ([ ... ) vs [ ... ])"),
    ("(x+1)(x-1) = x^2 - 1", "valid", "expand"),                   # a product, no tuple
])
def test_sets_tuples_and_intervals(step: str, verdict: str, message: str) -> None:
    s = _one(step)
    assert (s.verdict, s.message) == (verdict, message)


# --------------------------------------------------------------------------- #
# Rounding inside matrix entries with '=': each printed entry within half a unit of its own last
# digit (it was invalid for irrational entries: '(1.41, 0.33) = (\sqrt 2, \frac13)')
# --------------------------------------------------------------------------- #

_EXACT = {"\\sqrt2": math.sqrt(2), "\\frac13": 1 / 3, "\\pi": math.pi, "\\frac23": 2 / 3}


@pytest.mark.parametrize("printed, exact", [
    (["1.41", "0.33"], ["\\sqrt2", "\\frac13"]),
    (["1.4", "0.333"], ["\\sqrt2", "\\frac13"]),
    (["1.42", "0.33"], ["\\sqrt2", "\\frac13"]),
    (["1.41", "0.34"], ["\\sqrt2", "\\frac13"]),
    (["3.14", "0.667"], ["\\pi", "\\frac23"]),
    (["3.15", "0.667"], ["\\pi", "\\frac23"]),
])
def test_printed_matrix_entries_are_rounding(printed: list[str], exact: list[str]) -> None:
    def within(p: str, e: str) -> bool:
        places = len(p.split(".")[1])
        return abs(float(p) - _EXACT[e]) <= 0.5 * 10 ** -places
    holds = all(within(p, e) for p, e in zip(printed, exact))
    row = " & ".join(printed), " & ".join(exact)
    s = _one(f"\\begin{{pmatrix}} {row[0]} \\end{{pmatrix}} = \\begin{{pmatrix}} {row[1]} \\end{{pmatrix}}")
    assert s.verdict == ("valid" if holds else "invalid")
    if holds:
        assert s.message == "equal up to rounding of the printed decimals (exact bound on the rounding error, entry by entry)"


# --------------------------------------------------------------------------- #
# \pm in a conclusion: 'x^2 - 4x + 3 = 0 \Rightarrow x = 2 \pm 1' (was unparsed, 'not an expression')
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("b, c, centre, spread", [
    (-4, 3, 2, 1), (-4, 3, 2, 2), (0, -4, 0, 2), (0, -4, 0, 3), (-2, -3, 1, 2), (-6, 5, 3, 2),
])
def test_plus_minus_in_a_conclusion(b: int, c: int, centre: int, spread: int) -> None:
    disc = math.isqrt(b * b - 4 * c)
    roots = {Fraction(-b + disc, 2), Fraction(-b - disc, 2)}          # the premise's solutions (exact)
    holds = roots <= {Fraction(centre + spread), Fraction(centre - spread)}
    quad = f"x^2 {'+' if b >= 0 else '-'} {abs(b)}x {'+' if c >= 0 else '-'} {abs(c)} = 0"
    s = _one(f"{quad} \\Rightarrow x = {centre} \\pm {spread}")
    assert s.verdict == ("valid" if holds else "invalid")
    if not holds:
        assert s.message == "the premise holds but the conclusion does not"
        assert Fraction(s.counterexample["x"]) in roots


def test_plus_minus_alone_in_a_side_is_unparsed_with_a_reason() -> None:
    s = _one("x = \\pm 2")
    assert (s.verdict, s.message) == ("unparsed", "\\pm is read in a conclusion (x^2 = 4 \\Rightarrow x = \\pm 2), not in a side")


# --------------------------------------------------------------------------- #
# A repeating decimal is its exact fraction (0.\overline{3} was unparsed: "I expected one of these: '!'")
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("whole, fixed, period", [("0", "", "3"), ("0", "1", "6"), ("1", "", "142857"), ("0", "", "9"),
                                                  ("12", "34", "56"), ("0", "0", "81")])
def test_repeating_decimals(whole: str, fixed: str, period: str) -> None:
    # independently: x = whole.fixed(period)(period)...: 10^(f+p) x - 10^f x = whole fixed period - whole fixed
    f, p = len(fixed), len(period)
    want = Fraction(int(whole + fixed + period) - int(whole + fixed), 10 ** (f + p) - 10 ** f)
    for macro in ("\\overline", "\\bar"):
        assert Parser().parse(f"{whole}.{fixed}{macro}{{{period}}}") == want


@pytest.mark.parametrize("step, verdict", [
    ("\\frac13 = 0.\\overline{3}", "valid"),
    ("0.\\overline{9} = 1", "valid"),
    ("\\frac16 = 0.1\\overline{6}", "valid"),
    ("\\frac16 = 0.\\overline{16}", "invalid"),
])
def test_repeating_decimal_steps(step: str, verdict: str) -> None:
    assert _one(step).verdict == verdict


def test_a_membership_after_for_in_prose_is_the_claims_domain() -> None:
    src = ("# A\n\n$x^2 \\le x$ for $x \\in (0,1)$.\n\n# B\n\n$n^2 \\ge n$ for all $n \\in \\mathbb{Z}$.\n\n"
           "# C\n\n$y^2 \\le y$\n")
    assert [(line, verdict) for line, verdict, _ in _md(src)] == [(3, "valid"), (7, "valid"), (11, "invalid")]


# a bare \mathrm{KL} (latex2sympy's symbol 'math{KL}') was named 'math{KL}' in messages and conditions
def test_a_bare_word_is_named_as_written_in_messages() -> None:
    (s,) = check_text("$$\\mathrm{KL} + \\mathrm{RMS} = 2 + y$$\n", name="notes.md").steps
    assert (s.verdict, s.message, s.condition) == (
        "unknown", "depends on \\mathrm{KL}, \\mathrm{RMS}, which nothing in scope gives a value",
        "\\mathrm{KL} = - \\mathrm{RMS} + y + 2")
