"""Matrix sides (derive/verify/matrices.py): exact evaluation against numpy, proofs, random trials."""
from __future__ import annotations


import numpy as np
import pytest
import sympy as sp

from derive.step import Rel, Verdict
from derive.verify import matrices as Mx
from derive.verify.job import _Job

x = sp.Symbol("x", real=True)
A = sp.MatrixSymbol("A", 2, 2)
B = sp.MatrixSymbol("B", 2, 2)
C = sp.MatrixSymbol("C", 2, 3)
n = sp.Symbol("n", integer=True, positive=True)
W = sp.MatrixSymbol("W", n, n)
v = sp.MatrixSymbol("v", n, 1)
NA = sp.Symbol("N", commutative=False)
NB = sp.Symbol("P", commutative=False)
M = sp.ImmutableMatrix
R = sp.Rational

AV = np.array([[1, 2], [3, 4]])
BV = np.array([[0, 1], [1, 0]])
CV = np.array([[1, 0, 2], [0, 1, 1]])
ENV = {A: M(AV.tolist()), B: M(BV.tolist()), C: M(CV.tolist())}


def job(lhs, rel, rhs, domains=(), seed=1) -> _Job:
    return _Job(lhs, rel, rhs, tuple(domains), None, seed, 6, 30, 40)


@pytest.mark.parametrize("a, b, expected", [
    (M([1]), M([1]), False), (M([1]), 1, True), (1, M([1]), True), (1, 1, False),
    (M([1, 2]), M([[1, 2]]), True), (M([[1, 2]]), M([[3, 4]]), False),
])
def test_shape_mismatch(a, b, expected):
    assert Mx._shape_mismatch(a, b) is expected


@pytest.mark.parametrize("l, rel, r, expected", [
    (M([x + x, 1]), Rel.EQ, M([2 * x, 1]), "entry by entry"),
    (M([x, 1]), Rel.EQ, M([x, 2]), None),
    (M([x, 1]), Rel.EQ, M([[x, 1]]), Verdict("failed", "shape", "the two sides have different shapes")),
    (M([x]), Rel.LE, M([x + 1]), None),
    (M([R(1, 3)]), Rel.APPROX, M([R(3333, 10000)]), "exact bound on the rounding error, entry by entry"),
    (M([R(1, 3), 1]), Rel.APPROX, M([R(3333, 10000), R(11, 10)]), None),
    (M([R(1, 3)]), Rel.APPROX, M([[R(1, 3), 1]]), None),
])
def test_prove_matrix(l, rel, r, expected):
    assert Mx._prove_matrix(l, rel, r, 5e-5, {}) == expected


def test_matrix_atoms_and_matrix_steps():
    assert Mx._matrix_atoms(A * B) == {A, B}
    assert Mx._matrix_atoms(NA * NB + x) == {NA, NB}
    assert Mx._matrix_atoms(M([1])) == set() and Mx._matrix_atoms("a") == set()
    assert Mx.is_matrix_step(job(A, Rel.EQ, B)) and Mx.is_matrix_step(job(x, Rel.EQ, NA * NB))
    assert Mx.is_matrix_step(job(sp.Trace(A), Rel.LE, 1))          # inequalities with matrices too
    assert not Mx.is_matrix_step(job(x, Rel.EQ, 1)) and not Mx.is_matrix_step(job(x > 1, Rel.IMPLIES, x > 0))


def test_dims_are_the_symbols_in_shapes():
    assert Mx._dims({W, v, A}) == [n]
    m = sp.Symbol("m", integer=True, positive=True)
    assert Mx._dims({sp.MatrixSymbol("Q", m, n)}) == [m, n]


def test_show():
    assert Mx._show(M([1, 2])) == "[[1], [2]]" and Mx._show(3) == "3"


_m = sp.Symbol("m", integer=True, positive=True)
R = sp.MatrixSymbol("R", _m, n)


@pytest.mark.parametrize("l, r, expected", [
    ((A * B).T, B.T * A.T, "matrix algebra"),
    (sp.Inverse(A * B), sp.Inverse(B) * sp.Inverse(A), "matrix algebra"),
    (A * (B + A), A * B + A**2, "non-commutative algebra"),
    (sp.Trace(A * B), sp.Trace(B * A), "non-commutative algebra"),
    (sp.Trace(A * B + A), sp.Trace(B * A) + sp.Trace(A), "non-commutative algebra"),
    (NA * (NB + NA), NA * NB + NA**2, "non-commutative algebra"),
    (A * B, B * A, None),
    (sp.Trace(A * B * A.T), sp.Trace(A * A.T * B), None),   # not a rotation of the word
    (sp.Determinant(A * B), sp.Determinant(A) * sp.Determinant(B), "matrix algebra"),
    # attack 3, A5: with a tall R (m x n) there is no R^{-1}, so (R^T R)^{-1} does not split
    (R * sp.Inverse(R.T * R) * R.T, sp.Identity(_m), None),
    (R * sp.Inverse(R.T * R) * R.T * R * sp.Inverse(R.T * R) * R.T, R * sp.Inverse(R.T * R) * R.T,
     "matrix algebra"),                                                 # the projection is idempotent
    (sp.Inverse(R.T * R) * (R.T * R), sp.Identity(n), "matrix algebra"),
])
def test_prove_matrix_expression(l, r, expected):
    assert Mx.prove_matrix_expression(l, r) == expected


# a 30-digit float of a value near 10^12 beside the exact value: equal within the float margin
# (relative to the size of the sides), and one more is within the undecided band (no verdict)
_BIG = sp.sqrt(10**24 + 7)


@pytest.mark.parametrize("a, rel, b, expected", [
    (sp.Float(sp.N(_BIG, 30), 30), Rel.EQ, _BIG, True),
    (_BIG, Rel.EQ, sp.Float(sp.N(_BIG, 30), 30), True),
    (sp.Float(sp.N(_BIG, 30), 30), Rel.LE, _BIG, True),
    (sp.Float(sp.N(_BIG, 30), 30) + 1, Rel.EQ, _BIG, None),
    (sp.Integer(3), Rel.LT, sp.Integer(4), True),
])
def test_compare_scalars_margins_scale_with_both_sides(a, rel, b, expected):
    assert Mx._compare_scalars(a, rel, b) is expected


@pytest.mark.parametrize("special, factor", [("equal", 1), ("double", 2)])
def test_structured_environments_reuse_the_first_matrix_of_a_size(special, factor):
    import random
    A, B = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("B", 2, 2)
    env = Mx._env([A, B], {}, 2, special, {}, random.Random(3))
    assert env[B] == factor * env[A]
    assert env[A] != sp.zeros(2)
