"""Probabilities of events in ``derive check`` (reader ``latex/events.py``, normal form
``verify/events.py``, finite spaces in ``verify/distributions.py``).

Every false step is refuted with a concrete finite probability space; the space
is read back from the counterexample and the step re-evaluated here by brute
force over its outcomes (Python sets and fractions, no derive), so the
counterexample is shown to really fail.  Each false step has its true neighbour.
"""
from __future__ import annotations

import re
from fractions import Fraction

import pytest
import sympy as sp

from derive.check import check_text
from derive.check.parse import Context, Parser


def _space(cex: dict[str, str]) -> tuple[dict[int, Fraction], dict[str, set[int]]]:
    """Outcomes and events of a counterexample ('w1, w2 (equally likely)', 'A = {w2}');
    independent events ('an event of probability 1/2 independently') get a product space."""
    events = {k: v for k, v in cex.items() if k != "outcomes"}
    if all(v.startswith("an event of probability") for v in events.values()):
        names = sorted(events)
        p = {n: Fraction(re.search(r"probability ([\d/]+)", events[n]).group(1)) for n in names}
        probs: dict[int, Fraction] = {}
        sets: dict[str, set[int]] = {n: set() for n in names}
        for k in range(2 ** len(names)):
            w = Fraction(1)
            for i, n in enumerate(names):
                if k >> i & 1:
                    sets[n].add(k)
                    w *= p[n]
                else:
                    w *= 1 - p[n]
            probs[k] = w
        return probs, sets
    text = cex["outcomes"]
    ids = [int(x) for x in re.findall(r"w(\d+)", text)]
    if "equally likely" in text:
        probs = {i: Fraction(1, len(ids)) for i in ids}
    else:
        probs = {int(i): Fraction(p) for i, p in re.findall(r"w(\d+) \(probability ([\d/]+)\)", text)}
    sets = {n: {int(x) for x in re.findall(r"w(\d+)", v)} for n, v in events.items()}
    return probs, sets


def _P(probs: dict[int, Fraction], s: set[int]) -> Fraction:
    return sum((probs[i] for i in s), Fraction(0))


def _check(src: str):
    return check_text(src).steps


# (assume, false step, twin of the false step: (P, sets, Omega) -> bool, true neighbour)
CASES = [
    ("", "P(A \\cup B) = P(A) + P(B)",
     lambda P, S, O: P(S["A"] | S["B"]) == P(S["A"]) + P(S["B"]),
     "P(A \\cup B) = P(A) + P(B) - P(A \\cap B)"),
    ("", "P(A \\cap B) = P(A) P(B)",
     lambda P, S, O: P(S["A"] & S["B"]) == P(S["A"]) * P(S["B"]),
     "P(A \\cap B) \\le P(A)"),
    ("", "P(A^c) = P(A) - 1", lambda P, S, O: P(O - S["A"]) == P(S["A"]) - 1, "P(A^c) = 1 - P(A)"),
    ("", "P(A \\mid B) = P(B \\mid A)",
     lambda P, S, O: P(S["A"] & S["B"]) / P(S["B"]) == P(S["A"] & S["B"]) / P(S["A"]),
     "P(A \\mid B) P(B) = P(B \\mid A) P(A)"),
    ("", "\\Pr[A \\cup B] \\ge \\Pr[A] + \\Pr[B]",
     lambda P, S, O: P(S["A"] | S["B"]) >= P(S["A"]) + P(S["B"]),
     "\\Pr[A \\cup B] \\le \\Pr[A] + \\Pr[B]"),
    ("", "\\mathbb{P}(A \\setminus B) = \\mathbb{P}(A) - \\mathbb{P}(B)",
     lambda P, S, O: P(S["A"] - S["B"]) == P(S["A"]) - P(S["B"]),
     "\\mathbb{P}(A \\setminus B) = \\mathbb{P}(A) - \\mathbb{P}(A \\cap B)"),
    ("", "P(\\overline{A \\cup B}) = 1 - P(A) - P(B)",
     lambda P, S, O: P(O - (S["A"] | S["B"])) == 1 - P(S["A"]) - P(S["B"]),
     "P(\\overline{A \\cup B}) = P(A^c \\cap B^c)"),
    ("", "P(A \\cup B \\cup C) = P(A) + P(B) + P(C) - P(A \\cap B \\cap C)",
     lambda P, S, O: P(S["A"] | S["B"] | S["C"]) == P(S["A"]) + P(S["B"]) + P(S["C"]) - P(S["A"] & S["B"] & S["C"]),
     "P(A \\cup B \\cup C) = P(A) + P(B) + P(C) - P(A \\cap B) - P(A \\cap C) - P(B \\cap C) + P(A \\cap B \\cap C)"),
    ("A, B independent", "P(A \\cup B) = P(A) + P(B)",
     lambda P, S, O: P(S["A"] | S["B"]) == P(S["A"]) + P(S["B"]),
     "P(A \\cup B) = 1 - (1 - P(A))(1 - P(B))"),
    ("A, B independent", "P(A \\cap B^c) = P(A) P(B)",
     lambda P, S, O: P(S["A"] - S["B"]) == P(S["A"]) * P(S["B"]),
     "P(A \\cap B^c) = P(A)(1 - P(B))"),
    ("", "P(A) + P(B) \\le 1", lambda P, S, O: P(S["A"]) + P(S["B"]) <= 1, "P(A \\cap B) + P(A \\cap B^c) \\le 1"),
    # implications: the space must satisfy the premise
    ("", "A \\subseteq B \\Rightarrow P(B) \\le P(A)",
     lambda P, S, O: not S["A"] <= S["B"] or P(S["B"]) <= P(S["A"]),
     "A \\subseteq B \\Rightarrow P(A) \\le P(B)"),
    ("", "A \\subseteq B \\Rightarrow P(A \\cup B) = P(A)",
     lambda P, S, O: not S["A"] <= S["B"] or P(S["A"] | S["B"]) == P(S["A"]),
     "A \\subseteq B \\Rightarrow P(A \\cup B) = P(B)"),
    ("", "P(A \\cap B) = 0 \\Rightarrow P(A) = 0",
     lambda P, S, O: P(S["A"] & S["B"]) != 0 or P(S["A"]) == 0,
     "P(A) = 0 \\Rightarrow P(A \\cap B) \\le P(B)"),
]


def _doc(assume: str, step: str) -> str:
    return (f"% derive: assume {assume}\n" if assume else "") + f"\\[ {step} \\]"


@pytest.mark.parametrize("assume, false, twin, true", CASES, ids=[c[1] for c in CASES])
def test_false_step_refuted_by_a_finite_space(assume: str, false: str, twin, true: str) -> None:
    (step,) = _check(_doc(assume, false))
    assert (step.verdict, step.method) == ("invalid", "distribution"), step
    probs, sets = _space(step.counterexample)
    assert sum(probs.values()) == 1
    omega = set(probs)
    assert twin(lambda s: _P(probs, s), sets, omega) is False
    for name in sets:           # the events of the step are all in the counterexample
        assert name in false


@pytest.mark.parametrize("assume, false, twin, true", CASES, ids=[c[3] for c in CASES])
def test_true_neighbour_is_valid(assume: str, false: str, twin, true: str) -> None:
    (step,) = _check(_doc(assume, true))
    assert step.verdict == "valid", step


@pytest.mark.parametrize("step, method", [
    ("P(A \\cup B) = P(A) + P(B) - P(A \\cap B)", "proved"),
    ("P(A \\mid B) = \\frac{P(A \\cap B)}{P(B)}", "proved"),
    ("P(A^c) = 1 - P(A)", "proved"),
    ("\\Pr(A^{\\complement}) = 1 - \\Pr(A)", "proved"),
    ("\\mathbb{P}(A \\mid B) = \\frac{\\mathbb{P}(B \\mid A) \\mathbb{P}(A)}{\\mathbb{P}(B)}", "proved"),
    ("P(A \\mid B) = \\frac{P(B \\mid A) P(A)}{P(B \\mid A) P(A) + P(B \\mid A^c) P(A^c)}", "proved"),
    ("P(\\Omega) = 1", "proved"),
    ("P(\\emptyset) = 0", "proved"),
    ("P(A, B) = P(A \\cap B)", "proved"),
    ("P(A') + P(\\bar{A}) = 2 - 2P(A)", "proved"),
    ("P(A \\cup B) \\le P(A) + P(B)", "proved"),
    ("P(A \\cap B) \\le P(A)", "numeric"),
    ("P(A \\mid B) \\le 1", "numeric"),
    ("A \\subseteq B \\Rightarrow P(A) \\le P(B)", "numeric"),
    ("A \\subseteq B \\Rightarrow P(B \\setminus A) = P(B) - P(A)", "numeric"),
    ("P(B) > 0 \\Rightarrow P(A \\mid B) \\le 1", "numeric"),
])
def test_identities_and_bounds(step: str, method: str) -> None:
    (got,) = _check(f"\\[ {step} \\]")
    assert (got.verdict, got.method if method == "numeric" else "proved") == ("valid", method), got
    if method == "proved":
        assert got.method not in ("numeric",), got


@pytest.mark.parametrize("assume, step", [
    ("A, B independent", "P(A \\cap B) = P(A) P(B)"),
    ("A, B independent", "P(A \\mid B) = P(A)"),
    ("A, B, C independent", "P(A \\cap B \\cap C) = P(A) P(B) P(C)"),
    ("A \\perp B", "P(A^c \\cap B^c) = (1 - P(A))(1 - P(B))"),
])
def test_declared_independence_proves(assume: str, step: str) -> None:
    (got,) = _check(_doc(assume, step))
    assert (got.verdict, got.method) == ("valid", "proved"), got


def test_undeclared_dependence_is_not_certified() -> None:
    """C is in no family: spaces with C independent of A cannot certify a step about both."""
    (got,) = _check(_doc("A, B independent", "P(A \\cap C) \\le P(A)"))
    assert got.verdict == "unknown", got


def test_conditional_needs_positive_probability() -> None:
    """P(A | B) P(B) = P(A \\cap B) is checked only where P(B) > 0 (no 'undefined' alarm)."""
    (got,) = _check("\\[ P(A \\mid B) P(B) = P(A \\cap B) \\]")
    assert got.verdict == "valid", got


def test_values_flow_as_facts() -> None:
    src = ("% derive: assume A, B independent\n\\begin{align*}\nP(A) &= 0.3 \\\\\nP(B) &= 0.5 \\\\\n"
           "P(A \\cap B) &= 0.15 \\\\\nP(A \\cup B) &= 0.65 \\\\\nP(A \\cup B) &= 0.8\n\\end{align*}")
    got = [(s.line, s.verdict) for s in _check(src)]
    assert got[2:] == [(5, "valid"), (6, "valid"), (7, "invalid")]


PARSER_CASES = [
    ("P(A \\cup B)", "Prob(A | B)"),
    ("P(A \\cap B \\cup C)", "Prob(C | (A & B))"),
    ("P(A \\setminus B)", "Prob(A & ~B)"),
    ("P(A^c)", "Prob(~A)"),
    ("P(A^{C})", "Prob(~A)"),
    ("P(A')", "Prob(~A)"),
    ("P(\\complement A)", "Prob(~A)"),
    ("\\Pr[A \\mid B]", "Prob(A & B)/Prob(B)"),
    ("\\mathbb{P}(A | B)", "Prob(A & B)/Prob(B)"),
    ("\\mathbb P\\left(A \\mid B\\right)", "Prob(A & B)/Prob(B)"),
    ("\\Pr\\{A_1 \\cap A_2\\}", "Prob(A_1 & A_2)"),
    ("2P(A)", "2*Prob(A)"),
    ("\\frac{P(A) P(B)}{P(C)}", "Prob(A)*Prob(B)/Prob(C)"),
    # no events: P stays whatever it was
    ("P(x)", "P(x)"),
    ("P(x, y)", "P(x, y)"),
]


@pytest.mark.parametrize("text, expected", PARSER_CASES)
def test_reader(text: str, expected: str) -> None:
    assert str(Parser(Context()).parse(text)) == expected


def test_a_defined_p_is_a_function() -> None:
    ctx = Context()
    x = sp.Symbol("x", real=True)
    ctx.functions["P"] = sp.Lambda((x,), x ** 2 + 1)
    assert str(Parser(ctx).parse("P(A)")) != "Prob(A)"


@pytest.mark.parametrize("text, message", [
    ("\\Pr(x + 1)", "cannot read the event in '\\Pr(x + 1)'"),
    ("\\mathbb{P}(A \\cup)", "cannot read the event in '\\mathbb{P}(A \\cup)'"),
])
def test_unreadable_event_is_unparsed(text: str, message: str) -> None:
    (got,) = _check(f"\\[ {text} = 1 \\]")
    assert got.verdict == "unparsed" and got.message.startswith(message), got


@pytest.mark.parametrize("step", [
    "P(A \\cap C) = P(A) P(C)",         # C is in no family: it may be A itself
    "P(C \\mid A) = P(C)",
])
def test_an_undeclared_event_may_depend_on_a_family(step: str) -> None:
    (got,) = _check(_doc("A, B independent", step))
    assert (got.verdict, got.counterexample.get("C")) == ("invalid", "A"), got
    p = Fraction(re.search(r"probability ([\d/]+)", got.counterexample["A"]).group(1))
    assert 0 < p < 1        # with C = A the two sides are p and p^2 (or 1 and p)


@pytest.mark.parametrize("src", [
    "% derive: assume P, A \\in \\mathbb{R}^{2 \\times 2}\n\\[ P(A) = PA \\]",
    "% derive: assume A \\in \\mathbb{R}^{2 \\times 2}\n% derive: define P(x) = x + 1\n\\[ P(2) = 3 \\]",
])
def test_p_of_matrices_or_a_defined_p_is_no_event(src: str) -> None:
    (got,) = _check(src)
    assert got.verdict == "valid", got


# (implication, message, counterexample shown, left side at it, right side at it: (P, sets, Omega) -> bool)
IMPLICATIONS = [
    ("P(A \\cap B) = P(A \\cap B^c) \\implies P(A) = 0", "the premise holds but the conclusion does not",
     {"outcomes": "w1, w2 (equally likely)", "A": "{w1, w2}", "B": "{w2}"},
     lambda P, S, O: P(S["A"] & S["B"]) == P(S["A"] - S["B"]), lambda P, S, O: P(S["A"]) == 0),
    ("P(A \\cup B) = 1 \\iff P(A) = 1", "the premise holds but the conclusion does not",
     {"outcomes": "w1, w2 (equally likely)", "A": "{w2}", "B": "{w1}"},
     lambda P, S, O: P(S["A"] | S["B"]) == 1, lambda P, S, O: P(S["A"]) == 1),
    # only the reverse direction fails: the message names the sides of the equivalence
    ("P(A \\cap B) = 0 \\iff P(A \\cap B) = P(A)", "the right side holds but the left side does not",
     {"outcomes": "w1, w2 (equally likely)", "A": "{w2}", "B": "{w2}"},
     lambda P, S, O: P(S["A"] & S["B"]) == 0, lambda P, S, O: P(S["A"] & S["B"]) == P(S["A"])),
]


@pytest.mark.parametrize("src, message, cex, left, right", IMPLICATIONS, ids=[c[0] for c in IMPLICATIONS])
def test_an_implication_of_events_is_refuted_on_a_space_that_shows_it(src, message, cex, left, right) -> None:
    (s,) = _check(f"\\[ {src} \\]")
    assert (s.verdict, s.method, s.message, s.counterexample) == ("invalid", "distribution", message, cex)
    probs, sets = _space(s.counterexample)
    omega = set(probs)
    at = (left(lambda e: _P(probs, e), sets, omega), right(lambda e: _P(probs, e), sets, omega))
    assert at == ((True, False) if message.startswith("the premise") else (False, True))


def test_an_implication_of_events_and_a_number_is_not_decided() -> None:
    (s,) = _check("\\[ P(A) = x \\implies P(A \\cap B) \\le x \\]")
    assert (s.verdict, s.method, s.message) == ("unknown", "distribution",
                                                "an implication about events and other quantities")
