"""Layout inside a row: lists of relations, trailing conditions, dots, connectives."""
from __future__ import annotations

import pytest

from derive.check.extract import extract


def _rows(src: str) -> list[tuple[str, str, str, tuple[str, ...], str | None]]:
    ex = extract(src)
    return [(" ".join(s.lhs.text.split()), s.rel, " ".join(s.rhs.text.split()),
             tuple(c.text for c in s.conditions), s.cue) for s in ex.steps]


@pytest.mark.parametrize("src, steps", [
    # a list of equations on one line, with \dots at the end
    (r"\[ y[0] = 1, \quad y[1] = \frac{3}{2}, \quad \dots \]",
     [("y[0]", "eq", "1", (), None), ("y[1]", "eq", r"\frac{3}{2}", (), None)]),
    (r"\[ a = 1, b = 2 \]", [("a", "eq", "1", (), None), ("b", "eq", "2", (), None)]),
    # commas inside brackets do not split
    (r"\[ \max(1, 2) = 2 \]", [(r"\max(1, 2)", "eq", "2", (), None)]),
    (r"\[ f(x, y) = x_1, \dots, x_n \]", [("f(x, y)", "eq", r"x_1, \dots, x_n", (), None)]),
    # a trailing condition in parentheses
    (r"\[ \lfloor \frac{W-K}{S} \rfloor + 1 = 3 \quad (P=0) \]",
     [(r"\lfloor \frac{W-K}{S} \rfloor + 1", "eq", "3", ("P=0",), None)]),
    # \text cues inside math
    (r"\[ \text{setup: } x = 2 \quad y = 10 \]", [("x", "eq", "2", (), "data"), ("y", "eq", "10", (), "data")]),
    (r"\[ x = 1 \quad \text{and} \quad y = 2 \]", [("x", "eq", "1", (), None), ("y", "eq", "2", (), None)]),
    (r"\[ x = 1 \quad \text{(since } y > 0) \]", [("x", "eq", "1", (), None)]),
    (r"\[ \because a = b \therefore c = d \]", [("a", "eq", "b", (), "recall"), ("c", "eq", "d", (), None)]),
    # a \text word between two relations separates them (it never multiplies its neighbours);
    # after "for", "if", "when"... the relation is the clause's condition (attack 1, finding 1)
    (r"\[ x^2 \ge x \text{ for } x \ge 0 \]", [("x^2", "ge", "x", (r"x \ge 0",), None)]),
    (r"\[ x^3 \ge x^2 \text{ if } x \ge 0 \]", [("x^3", "ge", "x^2", (r"x \ge 0",), None)]),
    (r"\[ e^{x} \ge e \text{ whenever } x \ge 0 \]", [("e^{x}", "ge", "e", (r"x \ge 0",), None)]),
    (r"\[ |x| = x \text{ provided that } x \ge 0 \]", [("|x|", "eq", "x", (r"x \ge 0",), None)]),
    (r"\[ (a+b)^2 \ge 4ab \text{ when } (a-b)^2 \ge 0 \]",
     [("(a+b)^2", "ge", "4ab", (r"(a-b)^2 \ge 0",), None)]),
    (r"\[ x^2 \ge x \quad\text{for all } x \ge 1 \]", [("x^2", "ge", "x", (r"x \ge 1",), None)]),
    (r"\[ f(x) = x^2 \text{ for all real } x \]", [("f(x)", "eq", "x^2", (), None)]),
    (r"\[ \sqrt{x^2} = x \text{ if } x \ge 0, \text{ and } -x \text{ otherwise} \]",
     [(r"\sqrt{x^2}", "eq", "x", (r"x \ge 0",), None)]),
    (r"\[ x + \frac{1}{x} \ge 2 \text{ since } (x - 1)^2 \ge 0 \]",
     [(r"x + \frac{1}{x}", "ge", "2", (), None), ("(x - 1)^2", "ge", "0", (), "recall")]),
    (r"\[ x^2 = 4 \text{ i.e. } x = 2 \]", [("x^2", "eq", "4", (), None), ("x", "eq", "2", (), None)]),
    (r"\[ x^2 - 1 = 0 \text{ so } x = 1 \]", [("x^2 - 1", "eq", "0", (), None), ("x", "eq", "1", (), None)]),
    (r"\[ x = 1 \text{ and } y = 2 \]", [("x", "eq", "1", (), None), ("y", "eq", "2", (), None)]),
    (r"\[ y = 2x \text{ where } x = 3 \]", [("y", "eq", "2x", (), None), ("x", "eq", "3", (), "data")]),
    # a unit or a row label is no connective: the row is one relation
    (r"\[ 5 \text{ m} = 500 \text{ cm} \]", [("5", "eq", "500", (), None)]),
    # prose cues before inline math
    ("If $C_n = 1$: then $C_n + 1 = 2$.", [("C_n", "eq", "1", (), "hypothesis"), ("C_n + 1", "eq", "2", (), None)]),
    ("We want $R \\le 1$ with $Q = 1$.", [("R", "le", "1", (), "goal"), ("Q", "eq", "1", (), "data")]),
])
def test_clauses(src: str, steps: list) -> None:
    assert _rows(src) == steps


def _holds(expr: str, x: "mpmath.mpf") -> bool:
    """An independent reading of the small claims below, evaluated with mpmath at 50 digits."""
    import mpmath

    with mpmath.workdps(50):
        return bool(eval(expr, {"__builtins__": {}}, {"x": x, "exp": mpmath.exp, "e": mpmath.e}))


# (row, verdict, method, the claim and its condition in Python: a counterexample must satisfy
# the condition and break the claim).  Attack 1, finding 1: the words once vanished and their
# neighbours were multiplied ("x^2 >= x x", proved).
CONDITIONED = [
    (r"\[ x^2 \ge x \text{ for } x \ge 0 \]", "invalid", "numeric", "x**2 >= x", "x >= 0"),
    (r"\[ x^3 \ge x^2 \text{ if } x \ge 0 \]", "invalid", "numeric", "x**3 >= x**2", "x >= 0"),
    (r"\[ e^{x} \ge e \text{ whenever } x \ge 0 \]", "invalid", "numeric", "exp(x) >= e", "x >= 0"),
    (r"\[ x^2 \ge x \quad\text{for } x \ge 0 \]", "invalid", "numeric", "x**2 >= x", "x >= 0"),
    ("We have $x^2 \\ge x$ for $x \\ge 0$.", "invalid", "numeric", "x**2 >= x", "x >= 0"),
    # the true neighbours: certified under their condition, never refuted outside it
    (r"\[ x^2 \ge x \text{ for } x \ge 1 \]", "valid", "proved", None, None),
    (r"\[ x^2 \ge x \quad\text{provided } x \ge 1 \]", "valid", "proved", None, None),
    (r"\[ x^3 \ge x^2 \text{ if } x \ge 1 \]", "valid", "proved", None, None),
    (r"\[ |x| = x \text{ if } x \ge 0 \]", "valid", "numeric", None, None),
    (r"\[ e^{x} \ge e \text{ whenever } x \ge 1 \]", "valid", "numeric", None, None),
    (r"\[ (a+b)^2 \ge 4ab \text{ when } (a-b)^2 \ge 0 \]", "valid", "proved", None, None),
    (r"\[ x^2 + 1 \ge 2x \text{ for all } x \]", "valid", "proved", None, None),
]


@pytest.mark.parametrize("src, verdict, method, claim, condition", CONDITIONED, ids=[c[0] for c in CONDITIONED])
def test_condition_words_scope_the_claim(src: str, verdict: str, method: str, claim: str | None,
                                         condition: str | None) -> None:
    import mpmath

    from derive.check.judge import check_source

    steps = [s for s in check_source(src, "x.md" if "$" in src else "x.tex", timeout=5).steps if s.role != "hypothesis"]
    assert [(s.verdict, s.method) for s in steps] == [(verdict, method)], steps
    if claim is not None:
        x = mpmath.mpf(steps[0].counterexample["x"])
        assert _holds(condition, x) and not _holds(claim, x)


def test_condition_of_a_step_ends_with_it() -> None:
    """``\\text{ for } x \\ge 1`` bounds x for its own step only: the next line is judged over every x."""
    from derive.check.judge import check_source

    src = "\\[ x^2 \\ge x \\text{ for } x \\ge 1 \\]\n\n\\[ x^2 \\ge x \\]\n"
    first, second = check_source(src, "x.tex", timeout=5).steps
    assert (first.verdict, second.verdict) == ("valid", "invalid")
    assert 0 < float(second.counterexample["x"]) < 1


# A word the checker does not read (or, unless, except when, implies, iff...) between two
# relations: the row is unparsed, never the product of the words' neighbours (attack 2, N1:
# "x^2 >= x x" was proved for these) and never two separate claims (N6: "x^2 >= x or x^2 < x"
# is true, but each half is false somewhere).
UNREAD_JOINS = [
    r"\[ x^2 \ge x \text{ except when } x \ge 1 \]",
    r"\[ x^2 \le x \text{ or } x \ge 1 \]",
    r"\[ |x| = x \text{ unless } x \ge 0 \]",
    r"\[ x^2 \ge x \text{ or } x^2 < x \]",
    r"\[ x > 1 \text{ implies } x^2 > x \]",
    r"\[ x^2 = 4 \text{ iff } x = 2 \]",
    r"\[ x^2 \ge x \text{ as long as } x \ge 1 \]",
    r"\begin{align*} x^2 &\ge x \text{ only if } x \ge 1 \end{align*}",
]


@pytest.mark.parametrize("src", UNREAD_JOINS)
def test_an_unread_word_between_relations_leaves_the_row_unparsed(src: str) -> None:
    from derive.check.judge import check_source

    steps = check_source(src, "x.tex", timeout=5).steps
    assert steps and {s.verdict for s in steps} == {"unparsed"}, steps


# Its neighbours: a word after a number that the row continues past (a unit), and words at the
# end of a row, are still dropped, so these stay read and certified.
UNIT_WORDS = [
    (r"\[ 10 \cdot 6 \cdot 5 \text{ settings} = 300 \text{ settings} \]", "valid"),
    (r"\[ (x+1)^2 = x^2 + 2x + 1 \text{ always} \]", "valid"),
    (r"\[ 2 \cdot 3 = 6 \text{ (by arithmetic)} \]", "valid"),
    (r"\[ 2 \cdot 3 = 7 \text{ (by arithmetic)} \]", "invalid"),
]


@pytest.mark.parametrize("src, verdict", UNIT_WORDS)
def test_words_that_annotate_a_relation_are_still_dropped(src: str, verdict: str) -> None:
    from derive.check.judge import check_source

    steps = check_source(src, "x.tex", timeout=5).steps
    assert [s.verdict for s in steps] == [verdict], steps
