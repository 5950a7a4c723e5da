"""``% derive: assume x \\ne 0``: a real other than 0, used by the checker."""
from __future__ import annotations

import pytest
import sympy as sp

from derive.check import check_text
from derive.check.directives import DirectiveError, parse_assumptions


@pytest.mark.parametrize("text, keys", [
    (r"x \ne 0", ["x"]),
    (r"x \neq 0", ["x"]),
    (r"x != 0", ["x"]),
    (r"a, b \ne 0", ["a", "b"]),
    (r"\lambda \neq 0", ["lambda"]),
])
def test_nonzero_assumption(text: str, keys: list[str]) -> None:
    got = parse_assumptions([text])
    assert sorted(got) == sorted(keys)
    for d in got.values():
        assert (d.nonzero, d.lo, d.hi, d.integer) == (True, None, None, False)
        assert d.contains(sp.Integer(0)) is False and d.contains(sp.Rational(-1, 3)) is True
        assert d.symbol("t").is_nonzero and d.symbol("t").is_real


def test_nonzero_merges_with_a_bound_and_refuses_integers() -> None:
    d = parse_assumptions([r"x > 0", r"x \ne 0"])["x"]
    assert (d.lo, d.nonzero, d.contains(sp.Integer(0))) == (0.0, True, False)
    with pytest.raises(DirectiveError) as exc:
        parse_assumptions([r"n \in \mathbb{Z}", r"n \ne 0"])
    assert str(exc.value) == "'n \\ne 0' is read for real symbols only, not for an integer"


def _verdict(step: str, assume: str) -> tuple[str, dict | None]:
    rep = check_text(f"% derive: assume {assume}\n\\[ {step} \\]\n")
    (s,) = [s for s in rep.steps if s.line == 2]
    return s.verdict, s.counterexample


@pytest.mark.parametrize("step, verdict", [
    (r"\frac{|x|}{x} = 1", "invalid"),          # false for every x < 0
    (r"\frac{x}{x} = 1", "valid"),
    (r"\frac{1}{x} > 0", "invalid"),
    (r"\left|x + \frac{1}{x}\right| \ge 2", "valid"),
    (r"x + \frac{1}{x} \ge 2", "invalid"),
])
def test_steps_under_a_nonzero_assumption(step: str, verdict: str) -> None:
    got, cex = _verdict(step, r"x \ne 0")
    assert got == verdict
    if verdict == "invalid":
        assert cex and float(sp.Rational(cex["x"])) < 0     # every counterexample here is negative


@pytest.mark.parametrize("step, verdict, counterexample", [
    # n \in \mathbb{Z} is every integer: it once meant n >= -4, and both false steps were valid
    (r"|n + 4| = n + 4", "invalid", {"n": "-6"}),
    (r"\max(n, -5) = n", "invalid", {"n": "-6"}),
    (r"|n| \ge n", "valid", None),
    (r"n^2 \ge n", "valid", None),
])
def test_integer_set_has_no_lower_bound(step: str, verdict: str, counterexample: dict | None) -> None:
    assert parse_assumptions([r"n \in \mathbb{Z}"])["n"].lo is None
    got, cex = _verdict(step, r"n \in \mathbb{Z}")
    assert got == verdict
    if counterexample is not None:
        assert cex is not None and int(sp.Rational(cex["n"])) < -5


@pytest.mark.parametrize("step, verdict", [
    # a limit written with no side is two-sided: at a jump it does not exist, so no value is
    # right (latex2sympy alone reads it from the right and would say 1 and 0)
    (r"\lim_{x \to 0} \frac{|x|}{x} = 1", "invalid"),
    (r"\lim_{x \to 0} \lfloor x \rfloor = 0", "invalid"),
    (r"\lim_{x \to 0^+} \frac{|x|}{x} = 1", "valid"),
    (r"\lim_{x \to 0} \frac{\sin x}{x} = 1", "valid"),
    (r"\lim_{x \to 1} \frac{x^2 - 1}{x - 1} = 2", "valid"),
])
def test_limit_without_a_side_is_two_sided(step: str, verdict: str) -> None:
    assert _verdict(step, r"y > 0")[0] == verdict


@pytest.mark.parametrize("step, verdict, n", [
    # one integer: its first values are all tried (2^n >= n^2 fails only at n = 3)
    (r"2^n \ge n^2", "invalid", "3"),
    (r"n^{1/n} \le 1.4422", "invalid", "3"),
    (r"2^n \ge n", "valid", None),
])
def test_one_integer_meets_its_first_values(step: str, verdict: str, n: str | None) -> None:
    got, cex = _verdict(step, r"n \in \mathbb{N}")
    assert got == verdict and (cex or {}).get("n") == n


@pytest.mark.parametrize("step, assume, verdict", [
    # identical sides that are a real number nowhere on the domain are no identity of reals
    (r"x^{2/4} = x^{1/2}", r"x < 0", "invalid"),
    (r"\log(x) = \log(x)", r"x < 0", "invalid"),
    (r"\sqrt{-x^2 - 1} = \sqrt{-x^2 - 1}", r"x > 0", "invalid"),
    (r"\sqrt{x} = \sqrt{x}", r"x > 0", "valid"),
    (r"\log(x^2) = \log(x^2)", r"x < 0", "valid"),
    # a written scalar 0 beside a matrix is the zero matrix (Cayley-Hamilton)
    (r"A^2 - \operatorname{tr}(A) A + \det(A) I = 0", r"A \in \mathbb{R}^{2 \times 2}", "valid"),
    (r"A^2 - \operatorname{tr}(A) A - \det(A) I = 0", r"A \in \mathbb{R}^{2 \times 2}", "invalid"),
])
def test_nowhere_real_sides_and_zero_matrices(step: str, assume: str, verdict: str) -> None:
    assert _verdict(step, assume)[0] == verdict


@pytest.mark.parametrize("text, laws, others", [
    # attack 1, finding 8: the law was read as "Exp(\lambda), \lambda > 0" (no law) and the bound lost
    (r"X \sim \mathrm{Exp}(\lambda), \lambda > 0", {"X": r"\mathrm{Exp}(\lambda)"}, {"lambda": "positive"}),
    (r"\lambda > 0, X \sim \mathrm{Exp}(\lambda)", {"X": r"\mathrm{Exp}(\lambda)"}, {"lambda": "positive"}),
    (r"N \sim \mathrm{Poisson}(\lambda), \lambda > 0", {"N": r"\mathrm{Poisson}(\lambda)"}, {"lambda": "positive"}),
    (r"X \sim \mathrm{Bin}(n, p), n \in \mathbb{N}, 0 < p < 1", {"X": r"\mathrm{Bin}(n, p)"},
     {"n": "positive integer", "p": "(0, 1)"}),
    # the variance's implicit domain: sigma > 0 (attack 2, N4; tests/check/test_randoms.py)
    (r"X \sim \mathcal{N}(\mu, \sigma^2)", {"X": r"\mathcal{N}(\mu, \sigma^2)"}, {"sigma": "positive"}),
    (r"X, Y \sim \mathcal{N}(0, 1)", {"X": r"\mathcal{N}(0, 1)", "Y": r"\mathcal{N}(0, 1)"}, {}),
])
def test_a_law_beside_other_assumptions(text: str, laws: dict, others: dict) -> None:
    from derive.check.directives import RandomDomain

    got = parse_assumptions([text])
    assert {k: d.law for k, d in got.items() if isinstance(d, RandomDomain)} == laws
    assert {k: d.name for k, d in got.items() if not isinstance(d, RandomDomain)} == others


@pytest.mark.parametrize("assume, steps", [
    (r"X \sim \mathrm{Exp}(\lambda), \lambda > 0",
     [(r"\mathbb{E}[X] = \lambda", "invalid"), (r"\mathbb{E}[X] = \frac{1}{\lambda}", "valid"),
      (r"\mathrm{Var}(X) = \frac{1}{\lambda^2}", "valid")]),
    (r"\lambda > 0, N \sim \mathrm{Poisson}(\lambda)",
     [(r"\mathbb{E}[N] + 1 = 2\lambda + 1", "invalid"), (r"\mathbb{E}[N] + 1 = \lambda + 1", "valid")]),
    (r"X \sim \mathrm{Bin}(n, p), n \in \mathbb{N}, 0 < p < 1",
     [(r"\mathbb{E}[X] = p", "invalid"), (r"\mathbb{E}[X] = np", "valid")]),
])
def test_moments_of_a_law_declared_beside_a_bound(assume: str, steps: list) -> None:
    src = f"% derive: assume {assume}\n" + "".join(f"\\[ {s} \\]\n\n" for s, _ in steps)
    got = check_text(src, timeout=10).steps
    assert [(s.verdict, s.role) for s in got] == [(v, "claim") for _, v in steps], got


@pytest.mark.parametrize("texts", [
    [r"X \sim \mathrm{Exp}(1)", r"X \ge 0"],
    [r"X \ge 0", r"X \sim \mathrm{Exp}(1)"],
])
def test_a_law_and_a_bound_merge_in_either_order(texts: list) -> None:
    from derive.check.directives import parse_assumptions
    (name, dom), = parse_assumptions(texts).items()
    assert (name, dom.name, dom.lo, dom.closed_lo, dom.law) == ("X", "nonnegative", 0.0, True, r"\mathrm{Exp}(1)")


@pytest.mark.parametrize("text, key, excluded", [
    (r"x \ne 1", "x", (1,)),
    (r"x \neq -\frac{1}{2}", "x", (sp.Rational(-1, 2),)),
    (r"t != 2.5", "t", (sp.Rational(5, 2),)),
    (r"x \ne 1, x \ne 2", "x", (1, 2)),
])
def test_an_excluded_point(text, key, excluded):
    dom = parse_assumptions([text])[key]
    assert dom.excluded == excluded and dom.lo is None and not dom.nonzero


def test_an_excluded_point_keeps_a_bound():
    dom = parse_assumptions([r"x \ne 3, x > 0"])["x"]
    assert (dom.excluded, dom.lo) == ((3,), 0.0)


def test_an_inequality_given_is_rejected_in_one_line_pointing_to_assume() -> None:
    from derive.check.directives import split_equation

    with pytest.raises(DirectiveError) as exc:
        split_equation("a < b")
    assert str(exc.value) == ("'a < b' is an inequality, and a given is an equation 'lhs = rhs': "
                              "write it as '% derive: assume a < b'")
    rep = check_text("% derive: given a < b\n\\[ a + 1 = b \\]\n")
    assert [(s.line, s.verdict) for s in rep.steps] == [(1, "unparsed"), (2, "unknown")]


@pytest.mark.parametrize("step, verdict", [
    # a relation between names is a hypothesis: a counterexample satisfies it, or the step is unknown
    (r"\frac{a + b}{2} < b", "unknown"),           # true for a < b; refuted only with a > b
    (r"\frac{a + b}{2} > b", "invalid"),
    (r"b - a > 0", "unknown"),
])
def test_an_assumed_relation_between_names(step: str, verdict: str) -> None:
    got, cex = _verdict(step, "a < b")
    assert got == verdict
    if cex:
        assert float(cex["a"]) < float(cex["b"])


@pytest.mark.parametrize("text, zero_inside", [
    (r"x \in (0, 1]", False),
    (r"x \in [0, 1]", True),
    (r"x \in [0, 1)", True),
    (r"x \in (0, \infty)", False),
    (r"x \in [0, \infty)", True),
    (r"x \in (-1, 1)", True),
])
def test_an_interval_keeps_whether_its_lower_end_is_closed(text: str, zero_inside: bool) -> None:
    (d,) = parse_assumptions([text]).values()
    assert d.contains(sp.Integer(0)) is zero_inside


_CLOSED_ENDS = [
    # (assumption, claim, verdict, the end where a false claim fails or None)
    (r"x \in [0, 1]", r"x < 1", "invalid", 1),
    (r"x \in (0, 1]", r"x < 1", "invalid", 1),
    (r"0 \le x \le 1", r"x < 1", "invalid", 1),
    (r"x \le 1", r"x < 1", "invalid", 1),
    (r"x \ge 1", r"x > 1", "invalid", 1),                 # was proved by the reparametrisation x = 1 + u, u > 0
    (r"x \in [1, 2)", r"x > 1", "invalid", 1),
    (r"x \in [-2, 3]", r"x^2 < 9", "invalid", 3),
    (r"n \in \mathbb{Z}, n \le 3", r"n < 3", "invalid", 3),
    # the true neighbours stay certified
    (r"x \in [0, 1]", r"x \le 1", "valid", None),
    (r"x \le 1", r"x \le 1", "valid", None),
    (r"x \ge 1", r"x \ge 1", "valid", None),
    (r"x \in (0, 1)", r"x < 1", "valid", None),
    (r"x \in [-2, 3]", r"x^2 \le 9", "valid", None),
]


@pytest.mark.parametrize("assumption, claim, verdict, end", _CLOSED_ENDS)
def test_a_closed_end_is_inside_the_domain(assumption: str, claim: str, verdict: str, end: int | None) -> None:
    (s,) = check_text(f"% derive: assume {assumption}\n\\[ {claim} \\]").steps
    assert s.verdict == verdict, s.message
    if end is not None:
        # the counterexample is the closed end, which the assumption allows and the claim excludes
        (value,) = s.counterexample.values()
        assert sp.Rational(value) == end


@pytest.mark.parametrize("interval, claim, verdict, message", [
    # 0 is outside (0, 1]: x/x = 1 holds everywhere there
    ("(0, 1]", r"\frac{x}{x} = 1", "valid", "identical"),
    ("[0, 1]", r"\frac{x}{x} = 1", "unknown",
     "at x = 0 the left side divides by zero; assume x \\ne 0 to check this step"),
    ("(0, \\infty)", r"\frac{x}{x} = 1", "valid", "identical"),
    ("[0, \\infty)", r"\frac{x}{x} = 1", "unknown",
     "at x = 0 the left side divides by zero; assume x \\ne 0 to check this step"),
])
def test_an_open_lower_end_leaves_the_end_point_out(interval: str, claim: str, verdict: str, message: str) -> None:
    (s,) = check_text(f"% derive: assume x \\in {interval}\n\\[ {claim} \\]").steps
    assert (s.verdict, s.message) == (verdict, message)
