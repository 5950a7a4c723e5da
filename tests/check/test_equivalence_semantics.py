"""equivalent(): free names are arbitrary; membership in an interval or a set is a relation (#8).

Last session's attackers found ``equivalent("(a, 1)", "(1, a)")`` answering ``given`` (the
checker read ``a = 1`` as data giving ``a``) and ``equivalent(r"x \\in (0,1]", r"0 < x \\le 1")``
raising a UsageError.  Each verdict here is pinned in full, in both orders, and every
counterexample is checked against the two answers by plain Python arithmetic.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Callable

import pytest

from derive.check import equivalent
from derive.check.equivalence import _membership
from derive.errors import UsageError


@pytest.mark.parametrize("a, b, entry", [
    ("a", "1", None), ("(a, 1)", "(1, a)", 1), ("(1, a)", "(a, 1)", 1), ("(a, b)", "(b, a)", 1),
    ("(2, a)", "(2, 2a)", 2),
])
def test_a_free_name_is_arbitrary_so_unequal_answers_are_invalid(a: str, b: str, entry: int | None) -> None:
    for x, y in ((a, b), (b, a)):
        v = equivalent(x, y)
        assert (v.verdict, v.method) == ("invalid", "numeric"), (x, y, v)
        prefix = "sides differ: " if entry is None else f"entry {entry} differs: sides differ: "
        assert v.message.startswith(prefix), v
        # the two values in the message are the entries at the counterexample, computed here
        names = {k: float(val) for k, val in v.counterexample.items()}
        left, right = (float(t) for t in v.message[len(prefix):].split(" vs "))
        xs = _entries(x, names)
        ys = _entries(y, names)
        k = 0 if entry is None else entry - 1
        assert left == pytest.approx(xs[k], rel=1e-6) and right == pytest.approx(ys[k], rel=1e-6)
        assert xs[k] != pytest.approx(ys[k])


def _entries(text: str, names: dict[str, float]) -> list[float]:
    """The entries of a tuple of ``a``, ``b``, ``2a`` and numbers, evaluated by hand."""
    out = []
    for item in text.strip("()").split(","):
        item = item.strip()
        coeff, name = (item[:-1] or "1", item[-1]) if item[-1].isalpha() else (item, "")
        out.append(float(coeff) * (names[name] if name else 1.0))
    return out


@pytest.mark.parametrize("a, b, method, message", [
    ("(1, 2)", "(1, 2)", "proved", "entry by entry"),
    ("(a, 1)", "(a, 1)", "proved", "entry by entry"),
    ("(a + a, b)", "(2a, b)", "proved", "entry by entry"),
    (r"\{a, 1\}", r"\{1, a\}", "proved", "the same elements"),
])
def test_equal_answers_with_free_names_stay_valid(a: str, b: str, method: str, message: str) -> None:
    for x, y in ((a, b), (b, a)):
        v = equivalent(x, y)
        assert (v.verdict, v.method, v.message, v.counterexample) == ("valid", method, message, None)


@pytest.mark.parametrize("a, b", [("a", "1"), ("(a, 1)", "(1, a)"), (r"\frac{x d}{e}", "x")])
def test_equivalent_never_answers_given(a: str, b: str) -> None:
    assert {equivalent(a, b).verdict, equivalent(b, a).verdict} == {"invalid"}


@pytest.mark.parametrize("text, relation", [
    (r"x \in (0,1]", r"0 < x \le 1"),
    (r"x \in [0, 1)", r"0 \le x < 1"),
    (r"x \in \left[0, \infty\right)", r"0 \le x"),
    (r"x \in (-\infty, 2]", r"x \le 2"),
    (r"x \in ]0, 1[", r"0 < x < 1"),
    (r"x^2 \in [0, 4]", r"0 \le x^2 \le 4"),
    (r"x \in \{1, 2\}", r"x = 1 \lor x = 2"),
    (r"x \in (0,1) \cup \{5\}", r"0 < x < 1 \lor x = 5"),
    (r"x \notin [0,1)", r"x < 0 \lor x \ge 1"),
    (r"x \notin (0, \infty)", r"x \le 0"),
    # no relation derive reads: left as written
    (r"x \in \mathbb{R}", None), (r"x \in (-\infty, \infty)", None), (r"x \in (\infty, 1)", None),
    (r"\in (0, 1)", None), (r"x \in (0, 1, 2)", None), (r"x \notin \{1\}", None), (r"\int_0^1 x dx", None),
    (r"0 < x \in (0, 1)", None),
])
def test_membership_is_read_as_a_relation(text: str, relation: str | None) -> None:
    assert _membership(text) == relation


IN = Callable[[Fraction], bool]
#: the relations of the table below, written independently as Python predicates
PREDICATES: dict[str, IN] = {
    r"x \in (0,1]": lambda x: 0 < x <= 1, r"0 < x \le 1": lambda x: 0 < x <= 1,
    r"x \in (0,1)": lambda x: 0 < x < 1, r"x \in [0, \infty)": lambda x: x >= 0, r"x \ge 0": lambda x: x >= 0,
    r"x \in \{1, 2\}": lambda x: x in (1, 2), r"x^2 - 3x + 2 = 0": lambda x: x * x - 3 * x + 2 == 0,
    r"x^2 = 1": lambda x: x * x == 1, r"x \notin [0,1)": lambda x: not 0 <= x < 1,
    r"x < 0 \lor x > 1": lambda x: x < 0 or x > 1, r"x \in [-1, 1]": lambda x: -1 <= x <= 1,
    r"x^2 \le 1": lambda x: x * x <= 1,
}


@pytest.mark.parametrize("a, b, verdict, method, message, point", [
    (r"x \in (0,1]", r"0 < x \le 1", "valid", "proved", r"the same solution set \left(0, 1\right]", None),
    (r"x \in (0,1)", r"0 < x \le 1", "invalid", "solve", "the solution sets differ", "1"),
    (r"x \in [0, \infty)", r"x \ge 0", "valid", "proved", r"the same solution set \left[0, \infty\right)", None),
    (r"x \in \{1, 2\}", r"x^2 - 3x + 2 = 0", "valid", "proved", r"the same solution set \left\{1, 2\right\}", None),
    (r"x \in \{1, 2\}", r"x^2 = 1", "invalid", "solve", "the solution sets differ", None),
    (r"x \notin [0,1)", r"x < 0 \lor x > 1", "invalid", "solve", "the solution sets differ", "1"),
    (r"x \in [-1, 1]", r"x^2 \le 1", "valid", "proved", r"the same solution set \left[-1, 1\right]", None),
])
def test_membership_compares_solution_sets(a: str, b: str, verdict: str, method: str, message: str,
                                           point: str | None) -> None:
    for x, y in ((a, b), (b, a)):
        v = equivalent(x, y)
        assert (v.verdict, v.method, v.message) == (verdict, method, message), (x, y, v)
        p, q = PREDICATES[a], PREDICATES[b]
        grid = [Fraction(k, 4) for k in range(-12, 13)]
        if verdict == "valid":
            assert v.counterexample is None
            assert all(p(t) == q(t) for t in grid)      # the same set, by brute force on a grid
        else:
            assert set(v.counterexample) == {"x"}
            t = Fraction(v.counterexample["x"])
            assert p(t) != q(t), v                      # the point is in exactly one of the sets
            if point is not None:
                assert v.counterexample["x"] == point


@pytest.mark.parametrize("a, b", [(r"x \in (0, 1]", "x"), (r"x \in \{1, 2\}", "1")])
def test_membership_against_an_expression_is_a_usage_error(a: str, b: str) -> None:
    with pytest.raises(UsageError) as one:
        equivalent(a, b)
    with pytest.raises(UsageError) as other:
        equivalent(b, a)
    assert str(one.value) == str(other.value)
    assert str(one.value).startswith("equivalent(): one argument is a relation and the other an expression ('")
    assert " ".join(a.split()) in str(one.value)        # the message quotes the answer as written
