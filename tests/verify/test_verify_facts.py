"""Cited facts (derive/verify/facts.py): is a fact an instance of an established equation?"""
from __future__ import annotations

import pytest
import sympy as sp

from derive import domains as D
from derive import notation as nt
from derive.verify.facts import PREMISE_RULES, _instance_of, _unify

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
z = sp.Symbol("z", real=True)
s = D.POSITIVE.symbol("s")
p = D.POSITIVE.symbol("p")
I = sp.Integer
V = nt.Variance


def test_premise_rules():
    assert PREMISE_RULES == frozenset({"definition", "given", "substitute", "premise"})


@pytest.mark.parametrize("pattern, target, syms, binding, ok, bound", [
    (x, I(3), {x}, {}, True, {x: 3}),
    (x, I(3), {x}, {x: I(3)}, True, {x: 3}),            # consistent with the binding
    (x, I(2), {x}, {x: I(3)}, False, {x: 3}),           # inconsistent
    (I(3), I(3), {x}, {}, True, {}),                    # no pattern symbol: must be equal
    (I(3), I(4), {x}, {}, False, {}),
    (x + 1, I(4), {x}, {}, True, {x: 3}),               # solved
    (x**2, I(4), {x}, {}, False, {}),                   # two solutions: ambiguous
    (s**2, I(4), {s}, {}, True, {s: 2}),                # the positive solution of a positive symbol
    (sp.sin(x) + x, sp.sin(2) + 2, {x}, {}, True, {x: 2}),     # structural
    (sp.Function("f")(x) + x, sp.Function("f")(2) + 3, {x}, {}, False, {}),
    (x + y, 2 + z, {x, y}, {}, True, {x: 2, y: z}),
    (x * y, I(6), {x, y}, {}, False, {}),               # two unbound symbols: not solved
    (x + 1, y, {x}, {}, True, {x: y - 1}),
    (2 * x, sp.log(y), {x}, {}, True, {x: sp.log(y) / 2}),
    (x + 1, y, {x}, {}, True, {x: y - 1}),
    (x + y, z, {x}, {}, False, {}),                     # the solution would bring in y
    (sp.exp(x), I(-1), {x}, {}, False, {}),             # no real solution (only I*pi)
])
def test_unify(pattern, target, syms, binding, ok, bound):
    b = dict(binding)
    assert _unify(pattern, target, syms, b) is ok
    assert b == bound


def test_a_failed_structural_match_leaves_the_binding_alone():
    b: dict = {}
    # sin(x) + y against sin(2) + 3 matches structurally with x = 2, y = 3
    assert _unify(sp.sin(x) + y, sp.sin(2) + 3, {x, y}, b) is True and b == {x: 2, y: 3}
    b = {}
    f, g = sp.Function("f"), sp.Function("g")
    assert _unify(f(x) + g(x), f(2) + g(3), {x}, b) is False
    assert b == {}


@pytest.mark.parametrize("k, v, lhs, rhs, expected", [
    (V(3), 9, V(s), s**2, True),
    (V(3), 10, V(s), s**2, False),
    (V(3), 3, V(s), s**2, False),
    (V(2 * p), 4 * p**2, V(s), s**2, True),
    # a binding must fit the symbol's declaration: s > 0 says nothing about -3 or 2y, y real
    (V(-3), 9, V(s), s**2, False),
    (V(2 * y), 4 * y**2, V(s), s**2, False),
    (V(p - 1), (p - 1)**2, V(s), s**2, False),
    (V(3), 9, V(3), 9, True),                      # the same equation
    (V(3), 9, nt.Expectation(s), s**2, False),     # another function
    (sp.exp(2), 3, sp.exp(x), 3, True),
    (sp.Integral(x, (x, 0, 1)), sp.Rational(1, 2), sp.Integral(x, (x, 0, y)), y**2 / 2, True),
    (sp.Integral(x, (x, 0, 1)), sp.Rational(1, 3), sp.Integral(x, (x, 0, y)), y**2 / 2, False),
    # cheap algebra is allowed: expanded, cancelled, log-expanded forms of the same value
    (V(p + 1), p**2 + 2 * p + 1, V(s), s**2, True),
    (sp.log(s * y), sp.log(s) + sp.log(y), sp.log(s * y), sp.log(s) + sp.log(y), True),
    (V(p), (p**3 + p**2) / (p + 1), V(s), s**2, True),
    ("not sympy", 3, sp.exp(x), 3, False),
    (sp.exp(x), 3, "not sympy", 3, False),
])
def test_instance_of(k, v, lhs, rhs, expected):
    assert _instance_of(k, v, lhs, rhs) is expected


def test_a_symbol_equation_specialises_to_any_value():
    # an established x = 2 ... is only an instance when the values agree
    assert _instance_of(y, 2, x, 2) is True
    assert _instance_of(y, 3, x, 2) is False


# --------------------------------------------------------------------------- #
# edges found by mutation testing
# --------------------------------------------------------------------------- #

def test_different_heads_with_the_same_arity_do_not_match_structurally():
    f, g = sp.Function("f"), sp.Function("g")
    b: dict = {}
    assert _unify(f(x), g(2), {x}, b) is False and b == {}


@pytest.mark.parametrize("k, v, lhs, rhs", [
    (V(3), 10, V(3), 9),                 # same left side, another value
    (V(4), 9, V(3), 9),                  # same value, another left side
    (sp.Integer(6), 6, 2 * s, 2 * s),    # another head: no instance even if solvable
    (V(4), 16, V(x**2), x**4),           # x = ±2: the binding is ambiguous
    (V(3), 8, V(s), s**2),               # off by one
    (V(3), 9, V(s), sp.ImmutableMatrix([s])),   # a value that cannot be compared
])
def test_not_an_instance(k, v, lhs, rhs):
    assert _instance_of(k, v, lhs, rhs) is False
