"""derive.check.quick.proof_first: equivalent()'s cheap proof before the numeric filter (#8).

For a polynomial equation the quick verifier tries the verifier's first zero strategies before its
numeric filter.  Each row runs both ``proof_first`` and the layers' ``_run_filter_and_proof`` on
the same job and requires the same verdict; ``skips`` says whether the filter is skipped (a
filter that raises proves it is never reached).
"""
from __future__ import annotations

import pytest
import sympy as sp

import derive.verify.layers as layers
from derive.check.quick import _cheap_zero, proof_first
from derive.domains import POSITIVE
from derive.step import Justification, Rel, Step
from derive.verify import Verifier

x, y = sp.symbols("x y", real=True)
a = sp.Symbol("a", positive=True)
HALF = sp.S.Half

ROWS = [  # (lhs, rel, rhs, skips the filter, strategy named)
    ((x + y) ** 2, Rel.EQ, x ** 2 + 2 * x * y + y ** 2, True, "expand"),
    ((2 * x + 1) * (x - 3), Rel.EQ, 2 * x ** 2 - 5 * x - 3, True, "expand"),
    (x ** 2 - y ** 2, Rel.EQ, (x - y) * (x + y), True, "expand"),
    (sp.Pow(8, HALF, evaluate=False), Rel.EQ, 2 * sp.sqrt(2), True, "identical"),
    (sp.sqrt(2) * (x + 1), Rel.EQ, sp.sqrt(2) * x + sp.sqrt(2), True, "expand"),
    # decided by the layers as before: a quotient or a root may be undefined where the other
    # side is not (the filter reports it), so an exact rewrite proves nothing before the filter
    ((x ** 2 - 1) / (x - 1), Rel.EQ, x + 1, False, None),
    (1 / (x + 1) + 1 / (x - 1), Rel.EQ, 2 * x / (x ** 2 - 1), False, None),
    (sp.log(a ** 2), Rel.EQ, 2 * sp.log(a), False, None),
    (sp.sin(x) ** 2 + sp.cos(x) ** 2, Rel.EQ, sp.Integer(1), False, None),      # exponential form
    ((x + y) ** 2, Rel.EQ, x ** 2 + y ** 2, False, None),                       # the filter refutes it
    ((x * sp.sqrt(x) + sp.sqrt(x)) / sp.sqrt(x), Rel.EQ, x + 1, False, None),   # not a rational difference
    (sp.Max(2, 5, evaluate=False), Rel.EQ, sp.Integer(5), False, None),         # a later strategy
    (x, Rel.EQ, x, False, None),                                                # identical sides
    (sp.Integer(1) / 0, Rel.EQ, sp.Integer(2) / 0, False, None),               # undefined sides
    (sp.Integral(x, (x, 0, 1)), Rel.EQ, HALF, False, None),
    (sp.Sum(sp.Symbol("k", integer=True), (sp.Symbol("k", integer=True), 1, 3)), Rel.EQ, sp.Integer(6), False, None),
    ((x + 1) ** 2, Rel.GE, sp.Integer(0), False, None),                         # not an equation
]


def _job(lhs: object, rel: Rel, rhs: object) -> object:
    v = Verifier()
    try:
        return v.job(Step(lhs, rel, rhs, Justification("test")), {a: POSITIVE})
    finally:
        v.close()


def _no_filter(job: object) -> None:
    raise AssertionError("the numeric filter ran")


@pytest.mark.parametrize("lhs, rel, rhs, skips, name", ROWS)
def test_proof_first_decides_as_the_layers(monkeypatch: pytest.MonkeyPatch, lhs: object, rel: Rel, rhs: object,
                                           skips: bool, name: str | None) -> None:
    job = _job(lhs, rel, rhs)
    expected = layers._run_filter_and_proof(job)
    if skips:
        assert _cheap_zero(job) == name
        monkeypatch.setattr(layers, "_filter", _no_filter)
        assert expected.status == "proved" and expected.method == name
    assert proof_first(job) == expected


def test_a_wrong_equation_still_goes_through_the_filter(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    real = layers._filter
    monkeypatch.setattr(layers, "_filter", lambda job: calls.append(job) or real(job))
    got = proof_first(_job((x + y) ** 2, Rel.EQ, x ** 2 + y ** 2))
    assert got.status == "failed" and got.method == "numeric" and len(calls) == 1


@pytest.mark.parametrize("lhs, rhs, differs", [
    ((x + y) ** 2, x ** 2 + 2 * x * y + y ** 2, False),       # an identity is never screened out
    ((x + 10 ** 30) ** 2, x ** 2 + 2 * 10 ** 30 * x + 10 ** 60, False),
    (sp.sqrt(2) * (x + 1), sp.sqrt(2) * x + sp.sqrt(2), False),
    ((x + y) ** 2, x ** 2 + y ** 2, True),
    (x * (x - 1), x ** 2, True),
    (sp.Integer(3), sp.Integer(4), False),                     # no names: the strategies decide it
])
def test_the_screen_skips_only_equations_that_differ(lhs: object, rhs: object, differs: bool) -> None:
    from derive.check.quick import _differs

    job = _job(lhs, Rel.EQ, rhs)
    assert _differs(job) is differs
    # a screened-out equation is no identity (its expanded difference is not 0)
    if differs:
        assert sp.expand(lhs - rhs) != 0
