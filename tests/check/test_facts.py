"""The fact store (indexed, no cycles, cost in the facts a step uses) and distribution moments."""
from __future__ import annotations

import pytest
import sympy as sp

from derive.check.facts import FactStore, moments

x, y, z, w = sp.symbols("x y z w")


def test_relevant_follows_values_to_a_fixed_point() -> None:
    s = FactStore()
    s.add(x, 2 * y)
    s.add(y, z + 1)
    s.add(w, 5)
    assert dict(s.relevant(x + 1)) == {x: 2 * y, y: z + 1}


@pytest.mark.parametrize("facts, key, value, left", [
    ([(x, 2 * y)], y, x / 2, {y: x / 2}),           # a cycle: the later fact wins
    ([(x, 1)], x, 2, {x: 2}),                        # a new value supersedes
    ([(x, 1)], x, x - 1, {}),                        # an update w <- w - g is no fact
])
def test_add_keeps_no_cycle(facts, key, value, left) -> None:
    s = FactStore()
    for k, v in facts:
        s.add(k, v)
    s.add(key, value)
    assert {f.key: f.value for f in s.facts()} == left


@pytest.mark.parametrize("role, left", [
    ("data", {y: 1, x: 2 * y}),     # read from the working: y = 1 does not loop with x = 2y
    ("given", {x: 2 * y}),          # a directive supersedes every fact about a name in its value
])
def test_only_real_loops_drop_facts_from_the_working(role: str, left: dict) -> None:
    s = FactStore()
    s.add(y, 1, role=role)
    s.add(x, 2 * y, role=role)
    assert {f.key: f.value for f in s.facts()} == left


@pytest.mark.parametrize("n", [10, 1000])
def test_lookup_cost_does_not_grow_with_the_number_of_facts(n: int) -> None:
    s = FactStore()
    names = sp.symbols(f"a0:{n}")
    for k, a in enumerate(names):
        s.add(a, k)
    s.examined = 0
    s.relevant(names[0] + names[1])
    assert s.examined == 2


@pytest.mark.parametrize("var, law, expected", [
    ("X", r"\mathcal{N}(\mu, \sigma^2)", [(r"\mathbb{E}[X]", r"\mu"), (r"\mathrm{Var}(X)", r"\sigma^2")]),
    ("W_{ij}", r"\mathcal{N}(0,1)", [(r"\mathbb{E}[W_{ij}]", "0"), (r"\mathrm{Var}(W_{ij})", "1")]),
    ("U", r"\mathcal{U}(0, 2)", [(r"\mathbb{E}[U]", r"\frac{0 + 2}{2}"), (r"\mathrm{Var}(U)", r"\frac{(2 - 0)^2}{12}")]),
])
def test_moments(var: str, law: str, expected: list[tuple[str, str]]) -> None:
    got = moments(var, law)
    assert got is not None
    for pair in expected:
        assert pair in got


@pytest.mark.parametrize("law", [r"\mathcal{N}(0)", r"\text{Poisson}(3)", "x + 1"])
def test_unknown_laws(law: str) -> None:
    assert moments("X", law) is None
