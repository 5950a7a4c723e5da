"""Paths of the reader and the checker that no corpus reaches (mutation testing, #14, session 12):
each test pins the exact result of one helper on the input that tells its branches apart."""
from __future__ import annotations

import bisect
from types import SimpleNamespace

import pytest
import sympy as sp

from derive.check import check_text, equivalent
from derive.check.bounds import parse_assumption
from derive.check.clean import _clean_math
from derive.check.conventions import span
from derive.check.latex.atoms import _group_integrals
from derive.check.latex.build import ReLUPrime, _check_size
from derive.check.latex.evalbar import _script
from derive.check.latex.matrixops import _close_bracket
from derive.check.latex.rewrite import double_factorials
from derive.check.latex.scan import ParseError
from derive.check.layout import _about, _wrapped
from derive.check.premises import _narrowed
from derive.check.refute import _lost_domain
from derive.domains import INTEGER, NONNEGATIVE_INTEGER, POSITIVE, POSITIVE_INTEGER
from derive.step import Justification, Rel, Step


@pytest.mark.parametrize("text, domain", [
    # spaces inside the set are dropped before it is looked up
    (r"n \in \mathbb{Z}_{\ge 0}", NONNEGATIVE_INTEGER),
    (r"n \in \mathbb{Z}_{> 0}", POSITIVE_INTEGER),
    (r"x \in \mathbb{R}_{> 0}", POSITIVE),
    (r"n \in \mathbb{N}_{ 0 }", NONNEGATIVE_INTEGER),
])
def test_a_set_written_with_spaces_is_the_same_set(text, domain):
    assert parse_assumption(text) == {text.split()[0]: domain}


@pytest.mark.parametrize("source, cleaned", [
    ("$x~=~2$", "$x = 2$"),             # a tie is a space
    ("$1~000$", "$1~000$"),             # between digits it is a thousands separator
    ("$\\\\~x$", "$\\\\ x$"),           # after a line break (a backslash that starts no name)
])
def test_ties_in_math_are_spaces(source, cleaned):
    chars = list(source)
    _clean_math(chars, source, 0, len(source))
    assert "".join(chars) == cleaned


@pytest.mark.parametrize("a, b, expected", [
    (r"x = 1 \lor 2", "x = 1", ("unparsed", "'2' is not a relation", None)),
    (r"x + \foo 1", "x", ("unparsed", r"unknown macro \foo", 4)),
    (r"x +* 1", "x", ("unparsed", "I expected something else here", 7)),
])
def test_equivalent_reports_what_it_cannot_read_and_where(a, b, expected):
    v = equivalent(a, b)
    assert (v.verdict, v.message, v.column) == expected


def test_integrals_with_capital_integrands_are_grouped_one_by_one():
    assert _group_integrals(r"\int_0^1 X\,dx + 2\int_0^1 X\,dx") == r"(\int_0^1 X\,dx) + 2(\int_0^1 X\,dx)"


def test_a_tower_of_numeric_powers_is_named_as_such():
    with pytest.raises(ParseError, match=r"^exponent too large \(a tower of numeric powers\)$"):
        _check_size(sp.Pow(2, sp.Pow(2, 100, evaluate=False), evaluate=False))
    (s,) = check_text(r"\[ 2^{2^{100}} = 4 \]").steps
    assert (s.verdict, s.message) == ("unparsed", "exponent too large (a tower of numeric powers)")


@pytest.mark.parametrize("x, value", [
    (0, 0), (sp.Rational(1, 2), 1), (-3, 0), (sp.sqrt(2) - 1, 1),
])
def test_relu_prime_of_a_number_is_its_step(x, value):
    assert ReLUPrime(x) == value


def test_relu_prime_of_a_name_stays_unevaluated():
    assert isinstance(ReLUPrime(sp.Symbol("x")), ReLUPrime)


@pytest.mark.parametrize("text, got", [
    (r"^\,x", (r"\,", 3)),              # a one-character command is the script
    (r"^\alpha x", (r"\alpha", 7)),
    (r"^{ab}c", ("ab", 5)),
    ("^2x", ("2", 2)),
])
def test_the_script_after_a_bar(text, got):
    assert _script(text, 0) == got


def test_a_bracket_is_closed_from_where_it_opens():
    assert _close_bracket("(x [a] y", 3) == 5       # the ( before it is not counted
    assert _close_bracket("[a]", 0) == 2
    with pytest.raises(ParseError):
        _close_bracket("[a)", 0)


@pytest.mark.parametrize("text, out", [
    (r"{2n}!!", r"\mathrm{doublefactorial}(2n)"),
    (r"(2n)!!", r"\mathrm{doublefactorial}((2n))"),
    (r"a + {5}!!", r"a + \mathrm{doublefactorial}(5)"),
])
def test_double_factorial_of_a_group(text, out):
    assert double_factorials(text) == out


@pytest.mark.parametrize("piece, wrapped", [
    ("(a)", True), ("(a(b))", True), ("(a)(b)", False), ("(a) + (b)", False), ("a", False),
])
def test_wrapped_means_one_pair_of_parentheses_around_everything(piece, wrapped):
    assert _wrapped(piece) is wrapped


@pytest.mark.parametrize("condition, clause, about", [
    (r"0 \le n", "x[n] = 1", True),
    (r"0 \le n", "x[an] = 1", False),     # n inside the name an is not n
    (r"0 \le n", "x[An] = 1", False),
    (r"0 \le n", r"x[\n] = 1", False),
])
def test_a_condition_is_about_a_clause_when_its_name_is_in_it(condition, clause, about):
    assert _about(condition, clause) is about


@pytest.mark.parametrize("dom, rel, value, lo, hi", [
    # an integer's upper bound is written open: n <= 6 is n < 7
    (INTEGER, "le", 6, None, 7.0),
    (INTEGER, "lt", 6, None, 6.0),
    (POSITIVE_INTEGER, "le", sp.Rational(13, 2), 1, 7.0),
    (POSITIVE_INTEGER, "ge", sp.Rational(5, 2), 3.0, None),
])
def test_an_integer_bound_is_narrowed_to_whole_numbers(dom, rel, value, lo, hi):
    got = _narrowed(dom, rel, value)
    assert (got.lo, got.hi, got.integer) == (lo, hi, True)


def _raw(lhs: str, rhs: str):
    return SimpleNamespace(lhs=SimpleNamespace(text=lhs), rhs=SimpleNamespace(text=rhs))


@pytest.mark.parametrize("lhs, rhs", [
    (r"\ln x - \ln x", "0"),
    ("0", r"\ln x - \ln x"),            # the logs on the right side count as much as on the left
])
def test_a_log_simplified_away_on_either_side_is_no_certificate(lhs, rhs):
    zero = Step(sp.Integer(0), Rel.EQ, sp.Integer(0), Justification("check"))
    assert _lost_domain(_raw(lhs, rhs), zero, {}) == (
        "a log or a root was simplified away while reading, so where it is defined is not checked; "
        "assume its argument > 0 to check this step")


class _Parts:
    """An extraction's part and section marks (``extract.Extraction``'s protocol)."""

    def __init__(self, cleaned: str, parts: list[int], sections: list[int]) -> None:
        self.cleaned, self.parts, self.sections = cleaned, parts, sections

    def part_at(self, offset: int) -> int:
        return bisect.bisect_right(self.parts, offset)

    def section_at(self, offset: int) -> int:
        return bisect.bisect_right(self.sections, offset)


@pytest.mark.parametrize("offset, text", [
    (2, "(a) "), (6, "(b) "), (9, "(c) "),     # each part from its own label to the next
    (14, "more"),                             # a section ends a part
])
def test_the_span_of_a_part_is_that_part_only(offset, text):
    ex = _Parts("(a) (b) (c) more", parts=[0, 4, 8], sections=[12])
    assert span(ex, offset) == text


# -- seed 16 (session 12's fresh sample) ---------------------------------------------------------

def test_equivalent_refuses_a_relation_against_an_expression_with_its_usage():
    from derive.errors import UsageError

    with pytest.raises(UsageError) as err:
        equivalent("x = 1", "x")
    assert str(err.value) == ("equivalent(): one argument is a relation and the other an expression "
                              "('x' vs 'x = 1' in some order); compare two expressions or two relations")


def test_a_written_file_name_is_a_path(tmp_path):
    from derive.check import _as_path

    f = tmp_path / "hw.md"
    f.write_text("$1 = 1$")
    assert _as_path(str(f)) == f
    assert _as_path(str(tmp_path / "missing.md")) is None
    assert _as_path("$x = 1$") is None          # LaTeX text, never a file name


@pytest.mark.parametrize("text, terms", [
    ("2X + 1 - Y", ["2X", "+ 1", "- Y"]),       # capital letters are names, never separators
    ("a b + c d - e", ["a b", "+c d", "-e"]),
    ("f(x + 1) - 2", ["f(x + 1)", "- 2"]),
])
def test_the_terms_of_a_sum_as_written(text, terms):
    from derive.check.plugged import _terms

    assert [t.replace(" ", "") for t in _terms(text)] == [t.replace(" ", "") for t in terms]


def test_the_operand_of_a_derivative_runs_past_a_norm():
    from derive.check.latex.atoms import _operand_end

    text = r"\|x - y\| + 1"
    assert _operand_end(text, 0) == text.index("+")
    text = r"|x - 1| - y"
    assert _operand_end(text, 0) == text.rindex("-")


def test_a_part_label_in_a_heading_is_one_mark():
    from derive.check.document import markdown_marks

    marks = markdown_marks("## (a) part\ntext\n(b) more")
    assert [(m.offset, m.hard, m.label) for m in marks] == [(0, True, "(a) part"), (17, False, "(b)")]


def test_a_random_variable_keeps_no_family_when_none_is_declared():
    from derive.check.randoms import RandomDomain, _merge_random

    got = _merge_random(RandomDomain("random"), POSITIVE)
    assert (got.family, got.law, got.lo) == (0, "", 0)
    fam = _merge_random(RandomDomain("random", family=-2), POSITIVE)
    assert fam.family == -2


def test_a_tuple_with_an_undecided_entry_is_unknown():
    assert _one_step(r"(x, 1) = (1, 1)") == ("unknown", "structure", "some entries could not be compared")


def _one_step(tex: str):
    (s,) = check_text(f"\\[ {tex} \\]").steps
    return s.verdict, s.method, s.message


def test_a_part_label_inside_display_math_is_no_part():
    from derive.check.document import markdown_marks

    # "2(a) = 2a" on the first line of $$ ... $$ is an equation, the 2(b) after it a part
    marks = markdown_marks("$$\n2(a) = 2a\n$$\n2(b) next")
    assert [(m.offset, m.hard, m.label) for m in marks] == [(16, False, "2(b)")]


def test_gcd_of_numbers_that_are_integers_is_evaluated_at_the_precision_asked():
    from derive.check.latex.build import IntegerGcd, IntegerLcm

    r2 = sp.sqrt(2)
    big = 10 ** 20 + 1                        # 21 digits: 15 would round it to 10^20
    a = sp.Mul(r2 + 1, r2 - 1, big, evaluate=False)      # (sqrt 2 + 1)(sqrt 2 - 1) = 1, unevaluated
    assert isinstance(IntegerGcd(a, big), IntegerGcd)   # not an Integer: no value until evaluated
    assert int(IntegerGcd(a, big).evalf(30)) == big
    assert int(IntegerLcm(a, 2).evalf(30)) == 2 * big
