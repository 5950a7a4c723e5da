"""Probabilities of events: one normal form for ``P(A \\cup B)``, ``P(A^c)``, ``P(A \\mid B)``.

The reader (``derive.check.latex.events``) turns ``P(A \\cup B)`` into
``Prob(A | B)``: ``PROB`` applied to a SymPy Boolean over event names, and a
conditional ``P(A \\mid B)`` into ``Prob(A & B) / Prob(B)`` (a quotient that has no
value where ``P(B) = 0``, as the definition says).

``normal_form`` rewrites every ``Prob`` by inclusion-exclusion into the
probabilities of *intersections* of events, ``q_S = P(\\cap_{i \\in S} A_i)``
(``q_{\\emptyset} = 1``): for the Boolean ``E`` over the events ``V``,

    P(E) = sum over S of c_S q_S,   c_S = sum over T in S of (-1)^{|S| - |T|} [E holds when exactly T hold].

That identity holds on every probability space, and ``q_S`` are free except for
the inequalities of a probability space, so two sides with the same normal form
are equal for every space (``P(A \\cup B) = P(A) + P(B) - P(A \\cap B)``,
``P(A^c) = 1 - P(A)``, Bayes' rule): the proof.  Events declared mutually
independent (one family, ``% derive: assume A, B independent``) have
``q_S = \\prod q_i`` for every ``S`` inside the family.  A Boolean over more than
``MAX_EVENTS`` events stays as written.

What the normal form leaves open is decided on random finite probability spaces
(``distributions``): events are indicator variables on a random sample space.
"""
from __future__ import annotations

import itertools
from typing import Any, Callable

import sympy as sp
from sympy.core.function import AppliedUndef

#: the probability of an event (a SymPy Boolean over event symbols)
PROB = sp.Function("Prob", real=True, nonnegative=True)
HEAD = "Prob"
MAX_EVENTS = 6


def is_prob(e: Any) -> bool:
    return isinstance(e, AppliedUndef) and e.func.__name__ == HEAD and len(e.args) == 1


def events_of(e: Any) -> set[sp.Symbol]:
    """The event symbols of every ``Prob`` in ``e``."""
    out: set[sp.Symbol] = set()
    if isinstance(e, sp.Basic):
        for a in e.atoms(AppliedUndef):
            if is_prob(a):
                out |= a.args[0].free_symbols
    return out


def intersection(events: tuple[sp.Symbol, ...]) -> sp.Expr:
    """``q_S``: the probability that every event of ``S`` holds (1 for no event)."""
    if not events:
        return sp.Integer(1)
    return PROB(events[0]) if len(events) == 1 else PROB(sp.And(*events))


def expand(event: Any, family: Callable[[sp.Symbol], int]) -> sp.Expr | None:
    """``P(event)`` as a combination of ``q_S`` (``None``: too many events).

    ``family(v)`` is the declared independent family of ``v`` (0: none): inside one
    family, ``q_S`` is the product of the ``P(A_i)``.
    """
    if event in (sp.true, sp.false):
        return sp.Integer(1 if event is sp.true else 0)
    names = sorted(event.free_symbols, key=lambda s: s.name)
    if len(names) > MAX_EVENTS:
        return None
    holds: dict[frozenset, bool] = {}
    for bits in itertools.product((False, True), repeat=len(names)):
        t = frozenset(v for v, b in zip(names, bits) if b)
        holds[t] = bool(event.xreplace({v: sp.true if v in t else sp.false for v in names}))
    out = sp.Integer(0)
    for size in range(len(names) + 1):
        for s in itertools.combinations(names, size):
            c = 0
            for k in range(size + 1):
                for t in itertools.combinations(s, k):
                    c += (-1) ** (size - k) * holds[frozenset(t)]
            if c:
                out += c * _q(s, family)
    return out


def _q(s: tuple[sp.Symbol, ...], family: Callable[[sp.Symbol], int]) -> sp.Expr:
    fams = {family(v) for v in s}
    if len(s) > 1 and len(fams) == 1 and 0 not in fams:
        return sp.Mul(*[PROB(v) for v in s])
    return intersection(s)


def normal_form(expr: Any, event: Callable[[sp.Symbol], sp.Symbol],
                family: Callable[[sp.Symbol], int]) -> Any:
    """``expr`` with every ``Prob`` in normal form; ``event(s)`` is the symbol standing for
    the written event name ``s`` (a ``RandomSymbol`` of the document's model)."""
    if not isinstance(expr, sp.Basic) or not any(is_prob(a) for a in expr.atoms(AppliedUndef)):
        return expr

    def rewrite(atom: AppliedUndef) -> sp.Expr:
        arg = atom.args[0]
        if not isinstance(arg, sp.logic.boolalg.Boolean) or any(
                not isinstance(s, sp.Symbol) for s in arg.atoms(sp.Symbol)):
            return atom
        mapped = arg.xreplace({s: event(s) for s in arg.free_symbols})
        got = expand(mapped, family)
        return atom if got is None else got

    return expr.replace(is_prob, rewrite)


__all__ = ["PROB", "HEAD", "MAX_EVENTS", "is_prob", "events_of", "expand", "normal_form", "intersection"]
