"""The expectation algebra (derive/verify/probability.py) against brute force on finite laws."""
from __future__ import annotations

import itertools
import pickle
import random
from fractions import Fraction

import pytest
import sympy as sp

from derive.verify.probability import COV, EXPECT, LAWS, VAR, Model, RandomSymbol, canonical, reducible

X, Y, Z, a, b = sp.symbols("X Y Z a b", real=True)
E = sp.Function("mathbbE", real=True)
V = sp.Function("Var", real=True, nonnegative=True)
C = sp.Function("Cov", real=True)
FREE = Model()
INDEP = Model(families={"X": 7, "Y": 7})
RX, RY = RandomSymbol("X"), RandomSymbol("Y")
IX, IY = RandomSymbol("X", 7), RandomSymbol("Y", 7)


@pytest.mark.parametrize("expr, model, expected", [
    (V(X + Y), FREE, VAR(RX) + VAR(RY) + 2 * COV(RX, RY)),
    (V(X + Y), INDEP, VAR(IX) + VAR(IY)),
    (V(a * X + b), FREE, a ** 2 * VAR(RX)),
    (E(a * X + b), FREE, a * EXPECT(RX) + b),
    (E(X * Y), FREE, COV(RX, RY) + EXPECT(RX) * EXPECT(RY)),
    (E(X * Y), INDEP, EXPECT(IX) * EXPECT(IY)),
    (C(X, Y), INDEP, 0),
    (C(Y, X), FREE, COV(RX, RY)),
    (C(X, X), FREE, VAR(RX)),
    (E(X ** 2) - E(X) ** 2, FREE, VAR(RX)),
    (E(sp.log(X) * Y), INDEP, EXPECT(sp.log(IX)) * EXPECT(IY)),
    (E(sp.log(X) * Y), FREE, COV(RY, sp.log(RX)) + EXPECT(sp.log(RX)) * EXPECT(RY)),
])
def test_normal_form(expr: sp.Expr, model: Model, expected: sp.Expr) -> None:
    assert sp.expand(canonical(expr, model) - expected) == 0


@pytest.mark.parametrize("expr", [
    E(sp.Symbol("x")),                              # a lower-case name: may be random, nothing says
    V(sp.Function("g")()),                          # an opaque atom may be random
    E(sp.Sum(sp.Symbol("X_i"), (sp.Symbol("i"), 1, sp.Symbol("n")))),
    E(X, Y),                                        # E[X | Y] is read with two arguments
])
def test_left_as_written(expr: sp.Expr) -> None:
    assert canonical(expr, FREE) == expr


@pytest.mark.parametrize("law, params, mean, var", [
    ("normal", (sp.Symbol("mu"), sp.Symbol("s2")), sp.Symbol("mu"), sp.Symbol("s2")),
    ("bernoulli", (sp.Rational(1, 3),), sp.Rational(1, 3), sp.Rational(2, 9)),
    ("binomial", (10, sp.Rational(1, 4)), sp.Rational(5, 2), sp.Rational(15, 8)),
    ("poisson", (3,), 3, 3),
    ("exponential", (2,), sp.Rational(1, 2), sp.Rational(1, 4)),
    ("uniform", (0, 6), 3, 3),
    ("geometric", (sp.Rational(1, 4),), 4, 12),
])
def test_law_moments(law: str, params: tuple, mean: sp.Expr, var: sp.Expr) -> None:
    found = next(x for x in LAWS if x.name == law)
    model = Model(laws={"X": (found, params)})
    assert sp.simplify(canonical(E(X), model) - mean) == 0
    assert sp.simplify(canonical(V(X), model) - var) == 0


def _brute(expr: sp.Expr, law: dict[str, list[Fraction]], probs: list[Fraction]) -> Fraction:
    """E/Var/Cov of polynomials by summing over the outcomes of a finite space."""
    def ev(e: sp.Expr) -> list[Fraction]:
        return [Fraction(str(e.xreplace({sp.Symbol(k, real=True): sp.Rational(str(v[i])) for k, v in law.items()})))
                for i in range(len(probs))]

    def mean(vals: list[Fraction]) -> Fraction:
        return sum(p * v for p, v in zip(probs, vals))

    def walk(e: sp.Expr) -> sp.Expr:
        if isinstance(e, sp.core.function.AppliedUndef):
            if e.func.__name__ == "mathbbE":
                return sp.Rational(str(mean(ev(e.args[0]))))
            if e.func.__name__ == "Var":
                g = ev(e.args[0])
                return sp.Rational(str(mean([x * x for x in g]) - mean(g) ** 2))
            g, h = ev(e.args[0]), ev(e.args[1])
            return sp.Rational(str(mean([x * y for x, y in zip(g, h)]) - mean(g) * mean(h)))
        return e.func(*[walk(x) for x in e.args]) if e.args else e
    return Fraction(str(walk(expr)))


def _plain(e: sp.Expr) -> sp.Expr:
    return e.xreplace({s: sp.Symbol(s.name, real=True) for s in e.free_symbols if isinstance(s, RandomSymbol)})


@pytest.mark.parametrize("seed", range(8))
def test_normal_form_agrees_with_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    k = rng.randint(2, 5)
    w = [rng.randint(1, 9) for _ in range(k)]
    probs = [Fraction(x, sum(w)) for x in w]
    law = {n: [Fraction(rng.randint(-5, 5), rng.randint(1, 3)) for _ in range(k)] for n in "XYZ"}
    c = sp.Rational(rng.randint(-4, 4))
    for expr in (V(X + c * Y - Z), E((X + Y) ** 3), C(X * Y, Z + X), V(X * Y), E(X * Y * Z) + c * V(Z)):
        assert _brute(expr, law, probs) == _brute(_plain(canonical(expr, FREE)), law, probs)


def test_independent_family_agrees_with_a_product_space() -> None:
    lx, ly = [Fraction(1), Fraction(3)], [Fraction(-1), Fraction(2), Fraction(5)]
    px, py = [Fraction(1, 4), Fraction(3, 4)], [Fraction(1, 2), Fraction(1, 3), Fraction(1, 6)]
    law = {"X": [x for x, _ in itertools.product(lx, ly)], "Y": [y for _, y in itertools.product(lx, ly)]}
    probs = [p * q for p, q in itertools.product(px, py)]
    for expr in (V(X * Y), E(X ** 2 * Y), V(X - 2 * Y)):
        assert _brute(expr, law, probs) == _brute(_plain(canonical(expr, INDEP)), law, probs)


@pytest.mark.parametrize("raw, expected", [(C(X, X), True), (V(X + Y), True), (E(2 * X), True),
                                           (V(X), False), (E(X), False), (C(Y, X), False)])
def test_reducible(raw: sp.Expr, expected: bool) -> None:
    assert reducible(raw, FREE) is expected


def test_random_symbol_keeps_its_family_through_pickle_and_repr() -> None:
    s = RandomSymbol("X", 5, "normal", positive=True)
    back = pickle.loads(pickle.dumps(s))
    assert (back, back.family, back.law, back.is_positive) == (s, 5, "normal", True)
    assert s != RandomSymbol("X", 4, "normal", positive=True)
    assert sp.srepr(s) == "RandomSymbol('X', 5, 'normal')"
