"""The verdict cache key (derive/verify/cache.py) and what a job is (derive/verify/job.py)."""
from __future__ import annotations

import hashlib

import pytest
import sympy as sp

from derive import domains as D
from derive import notation as nt
from derive.step import Rel, Verdict
from derive.verify import cache as C
from derive.verify import job as J

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)


def job(lhs=x, rel=Rel.EQ, rhs=1, domains=(), tol=None, seed=1) -> J._Job:
    return J._Job(lhs, rel, rhs, tuple(domains), tol, seed, 6, 30, 40)


def test_the_cache_stores_and_returns_verdicts():
    c = C.VerdictCache()
    assert c.get("k") is None
    v = Verdict("proved", "expand")
    c.put("k", v)
    assert c.get("k") is v
    assert C.VerdictCache().get("k") is None        # not shared between caches


def test_the_key_is_the_sha256_of_what_is_verified():
    j = job(x + 1, Rel.LE, y, ((x, D.REAL), (y, D.POSITIVE)), tol=None)
    assert not C.sums.applies(j) and not j.constraints and not j.matrix_constraints
    doms = sorted([(sp.srepr(x), repr(D.REAL)), (sp.srepr(y), repr(D.POSITIVE))])
    payload = "\x1f".join([C.VERSION, sp.srepr(x + 1), Rel.LE.value, sp.srepr(y), "None", repr(doms)])
    assert C.step_key(j) == hashlib.sha256(payload.encode()).hexdigest()


@pytest.mark.parametrize("other", [
    job(x + 2),                                    # another side
    job(rhs=2),
    job(rel=Rel.LE),                               # another relation
    job(tol=0.5),                                  # another tolerance
    job(domains=((x, D.POSITIVE),)),               # another domain
    job(domains=((x, D.UNIT_INTERVAL),)),
])
def test_the_key_changes_with_what_is_verified(other):
    assert C.step_key(other) != C.step_key(job(domains=((x, D.REAL),)))


def test_the_key_changes_with_the_givens():
    base = job(domains=((x, D.REAL),))
    given = J._Job(x, Rel.EQ, 1, ((x, D.REAL),), None, 1, 6, 30, 40, constraints=((y, sp.Integer(2)),))
    other = J._Job(x, Rel.EQ, 1, ((x, D.REAL),), None, 1, 6, 30, 40, constraints=((y, sp.Integer(3)),))
    mats = J._Job(x, Rel.EQ, 1, ((x, D.REAL),), None, 1, 6, 30, 40,
                  matrix_constraints=((sp.MatrixSymbol("Q", 2, 2), sp.Identity(2)),))
    keys = {C.step_key(j) for j in (base, given, other, mats)}
    assert len(keys) == 4


def test_the_key_ignores_the_seed_and_domains_of_absent_symbols():
    base = job(domains=((x, D.REAL),))
    assert C.step_key(job(domains=((x, D.REAL),), seed=99)) == C.step_key(base)
    assert C.step_key(job(domains=((x, D.REAL), (y, D.POSITIVE)))) == C.step_key(base)


def test_a_non_sympy_side_is_keyed_by_its_repr():
    assert C.step_key(job(lhs="a")) != C.step_key(job(lhs="b"))


# --------------------------------------------------------------------------- #
# job.py
# --------------------------------------------------------------------------- #

def test_elementary_rewrites_defined_notation_only():
    assert J._elementary(nt.Sigmoid(x)) == 1 / (1 + sp.exp(-x))
    assert J._elementary(x + 1) == x + 1
    assert J._elementary(3) == sp.Integer(3)
    m = J._elementary(sp.Matrix([nt.Sigmoid(x), 1]))
    assert isinstance(m, sp.ImmutableMatrix) and m[0] == 1 / (1 + sp.exp(-x))


def test_prepare_applies_facts_then_keeps_notation_folded():
    e = nt.Variance(x)
    assert J.prepare(e + 1, [(e, x**2)]) == x**2 + 1
    assert J.prepare(nt.Sigmoid(x)) == nt.Sigmoid(x)
    assert J.prepare(2) == sp.Integer(2)
    # chained facts: what one fact brings in, the next replaces (by subs)
    assert J.prepare(nt.Variance(x) + 1, [(nt.Variance(x), nt.Variance(y)), (nt.Variance(y), 5)]) == 6
    assert J.prepare(x + 1, [(x, y), (y, 5)]) == 6
    assert isinstance(J.prepare(sp.Matrix([x])), sp.ImmutableMatrix)


def test_prepare_turns_explicit_matrix_expressions_into_matrices():
    W = sp.MatrixSymbol("W", 2, 2)
    a = sp.MatrixSymbol("a", 2, 1)
    got = J.prepare(W * a, [(W, sp.ImmutableMatrix([[1, 2], [3, 4]])), (a, sp.ImmutableMatrix([1, 1]))])
    assert got == sp.ImmutableMatrix([3, 7])
    assert J.prepare(W * a) == W * a           # symbols stay symbolic


def test_free_symbols_are_symbols_of_sympy_sides():
    i = sp.Symbol("i", integer=True)
    assert J._free_symbols(x + 1, "text", sp.IndexedBase("a")[i], 3) == {x, i, sp.Symbol("a")}
    assert J._free_symbols() == set()


def test_a_job_defaults_to_a_five_second_timeout():
    assert job().timeout == 5.0
