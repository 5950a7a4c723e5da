"""The normal form of probabilities of events (``verify.events``), against brute force.

On random finite probability spaces (exact fractions, events as random subsets)
the inclusion-exclusion form of ``P(E)`` is evaluated from the probabilities of
intersections and compared with the probability of ``E`` counted outcome by
outcome; a declared independent family is checked on product spaces.
"""
from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
import sympy as sp

from derive.verify.events import MAX_EVENTS, PROB, expand, is_prob, normal_form

A, B, C, D = sp.symbols("A B C D")
NO_FAMILY = lambda v: 0          # noqa: E731


def _space(rng: random.Random, events: list[sp.Symbol], k: int) -> tuple[list[Fraction], dict]:
    w = [rng.randint(0, 5) for _ in range(k)]
    if sum(w) == 0:
        w[0] = 1
    probs = [Fraction(x, sum(w)) for x in w]
    sets = {e: [rng.random() < 0.5 for _ in range(k)] for e in events}
    return probs, sets


def _brute(event: sp.Basic, probs: list[Fraction], sets: dict) -> Fraction:
    total = Fraction(0)
    for i, p in enumerate(probs):
        if bool(event.xreplace({e: sp.true if sets[e][i] else sp.false for e in sets})):
            total += p
    return total


def _value(expr: sp.Expr, probs: list[Fraction], sets: dict) -> Fraction:
    """The normal form at a space: each ``Prob(intersection)`` counted by brute force."""
    vals = {a: sp.Rational(_brute(a.args[0], probs, sets).numerator, _brute(a.args[0], probs, sets).denominator)
            for a in expr.atoms(sp.core.function.AppliedUndef) if is_prob(a)}
    out = sp.sympify(expr).xreplace(vals)
    assert out.is_Rational, out
    return Fraction(int(out.p), int(out.q))


EVENTS = [
    sp.Or(A, B), sp.And(A, B), sp.Not(A), sp.And(A, sp.Not(B)), sp.Or(A, B, C), sp.Xor(A, B),
    sp.And(sp.Or(A, B), sp.Not(C)), sp.Or(sp.And(A, B), sp.And(C, D)), sp.Not(sp.Or(A, B)), sp.Implies(A, B),
    sp.Equivalent(A, sp.Or(B, C)),
]


@pytest.mark.parametrize("event", EVENTS, ids=str)
@pytest.mark.parametrize("seed", range(6))
def test_normal_form_is_the_probability(event: sp.Basic, seed: int) -> None:
    form = expand(event, NO_FAMILY)
    rng = random.Random(seed)
    names = sorted(event.free_symbols, key=str)
    for k in (1, 2, 4, 7):
        probs, sets = _space(rng, names, k)
        assert _value(form, probs, sets) == _brute(event, probs, sets)


@pytest.mark.parametrize("event, form", [
    (sp.Or(A, B), PROB(A) + PROB(B) - PROB(sp.And(A, B))),
    (sp.Not(A), 1 - PROB(A)),
    (sp.And(A, sp.Not(B)), PROB(A) - PROB(sp.And(A, B))),
    (A, PROB(A)),
    (sp.And(A, B), PROB(sp.And(A, B))),
    (sp.true, 1),
    (sp.false, 0),
    (sp.Or(A, sp.Not(A)), 1),
])
def test_normal_form_pinned(event: sp.Basic, form: sp.Expr) -> None:
    assert sp.expand(expand(event, NO_FAMILY) - form) == 0


def test_independent_family_factorises() -> None:
    fam = {A: 1, B: 1, C: 1, D: 0}
    got = expand(sp.Or(A, B), fam.get)
    assert sp.expand(got - (PROB(A) + PROB(B) - PROB(A) * PROB(B))) == 0
    # D is outside the family: P(A & D) stays an atom
    assert expand(sp.And(A, D), fam.get) == PROB(sp.And(A, D))
    # three mutually independent events
    assert sp.expand(expand(sp.And(A, B, C), fam.get) - PROB(A) * PROB(B) * PROB(C)) == 0


@pytest.mark.parametrize("seed", range(8))
def test_independent_form_on_product_spaces(seed: int) -> None:
    """Events with their own coin each: the factorised form is the probability."""
    rng = random.Random(seed)
    p = {e: Fraction(rng.randint(0, 4), 4) for e in (A, B, C)}
    outcomes = list(itertools.product((False, True), repeat=3))
    probs = []
    for bits in outcomes:
        w = Fraction(1)
        for e, b in zip((A, B, C), bits):
            w *= p[e] if b else 1 - p[e]
        probs.append(w)
    sets = {e: [bits[i] for bits in outcomes] for i, e in enumerate((A, B, C))}
    fam = {A: 7, B: 7, C: 7}.get
    for event in (sp.Or(A, B), sp.And(A, sp.Not(B), C), sp.Xor(A, B, C), sp.Not(sp.And(A, B))):
        form = expand(event, fam)
        vals = {PROB(e): sp.Rational(p[e].numerator, p[e].denominator) for e in (A, B, C)}
        got = sp.sympify(form).xreplace(vals)
        assert Fraction(int(got.p), int(got.q)) == _brute(event, probs, sets)


def test_too_many_events_stay_as_written() -> None:
    names = sp.symbols(f"E0:{MAX_EVENTS + 1}")
    assert expand(sp.Or(*names), NO_FAMILY) is None
    atom = PROB(sp.Or(*names))
    assert normal_form(atom, lambda s: s, NO_FAMILY) == atom


def test_normal_form_maps_event_symbols_and_is_idempotent() -> None:
    X, Y = sp.Symbol("X1"), sp.Symbol("Y1")
    mapping = {A: X, B: Y}
    once = normal_form(PROB(sp.Or(A, B)) + 1, mapping.get, NO_FAMILY)
    assert sp.expand(once - (PROB(X) + PROB(Y) - PROB(sp.And(X, Y)) + 1)) == 0
    again = normal_form(once, lambda s: s, NO_FAMILY)
    assert sp.expand(again - once) == 0
    assert normal_form(sp.Integer(3), mapping.get, NO_FAMILY) == 3
