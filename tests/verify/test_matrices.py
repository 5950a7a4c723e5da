"""Matrix sides (derive/verify/matrices.py): exact evaluation against numpy, proofs, random trials."""
from __future__ import annotations

import random

import numpy as np
import pytest
import sympy as sp

from derive import domains as D
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
    assert not Mx.is_matrix_step(job(A, Rel.LE, B)) and not Mx.is_matrix_step(job(x, Rel.EQ, 1))


@pytest.mark.parametrize("expr, reference", [
    (A * B, AV @ BV),
    (A + B, AV + BV),
    (A - 2 * B, AV - 2 * BV),
    (A**2, AV @ AV),
    (A**3 * B, AV @ AV @ AV @ BV),
    (A**0, np.eye(2)),
    (A**-1, np.linalg.inv(AV)),
    (sp.Inverse(A * B), np.linalg.inv(AV @ BV)),
    (A.T, AV.T),
    (sp.Adjoint(A), AV.T),
    (sp.Trace(A), np.trace(AV)),
    (sp.Determinant(A), np.linalg.det(AV)),
    (sp.HadamardProduct(A, B), AV * BV),
    (A[0, 1], AV[0, 1]),
    (sp.Identity(2) + A, np.eye(2) + AV),
    (sp.ZeroMatrix(2, 2) + A, AV),
    (A * C, AV @ CV),
    (C.T * A, CV.T @ AV),
    (sp.Trace(A) * sp.Determinant(B) + sp.pi, np.trace(AV) * np.linalg.det(BV) + np.pi),
    (sp.exp(sp.Trace(A)), np.exp(np.trace(AV))),
])
def test_evaluate_matches_numpy(expr, reference):
    got = Mx._evaluate(expr, ENV, {})
    ref = np.asarray(reference, dtype=float)
    if ref.shape:
        assert isinstance(got, sp.MatrixBase)
        assert np.allclose(np.array(got.tolist(), dtype=float), ref, rtol=0, atol=1e-12)
    else:
        assert abs(float(got) - float(ref)) < 1e-9


@pytest.mark.parametrize("expr, exc", [
    (A * sp.Inverse(sp.MatrixSymbol("S", 2, 2)), Mx._Singular),
    (sp.Trace(A) * x, Mx._Unsupported),                  # a scalar symbol without a value
    (sp.MatrixSymbol("Z", n, n), Mx._Unsupported),        # a size without a value
    (sp.Function("f")(A), Mx._Unsupported),
    (sp.Inverse(sp.MatrixSymbol("T", 2, 2)), Mx._Unsupported),   # its value is not square
    (sp.MatrixSymbol("T", 2, 2) ** 2, Mx._Unsupported),
])
def test_evaluate_refuses(expr, exc):
    env = dict(ENV)
    env[sp.MatrixSymbol("S", 2, 2)] = M([[1, 2], [2, 4]])   # singular
    env[sp.MatrixSymbol("T", 2, 2)] = M([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(exc):
        Mx._evaluate(expr, env, {})


def test_evaluate_uses_the_sizes():
    env = {W: M([[1, 2], [3, 4]]), v: M([1, 1])}
    assert Mx._evaluate(W * v + n * v, env, {n: 2}) == M([5, 9])
    assert Mx._evaluate(sp.Identity(n) * v, env, {n: 2}) == M([1, 1])


def test_a_scalar_added_to_a_matrix_is_unsupported():
    with pytest.raises(Mx._Unsupported):
        Mx._evaluate(NA + 1, {NA: M(AV.tolist())}, {})
    assert Mx._evaluate(NA + 0 * NB, {NA: M(AV.tolist()), NB: M(BV.tolist())}, {}) == M(AV.tolist())


def test_random_matrices_are_invertible_integers():
    for seed in range(10):
        m = Mx._random_matrix(3, 3, random.Random(seed), True)
        assert m.det() != 0 and all(-3 <= e <= 3 and e.is_Integer for e in m)
        r = Mx._random_matrix(2, 3, random.Random(seed), True)
        assert r.shape == (2, 3)


def test_dims_are_the_symbols_in_shapes():
    assert Mx._dims({W, v, A}) == [n]
    m = sp.Symbol("m", integer=True, positive=True)
    assert Mx._dims({sp.MatrixSymbol("Q", m, n)}) == [m, n]


@pytest.mark.parametrize("a, b, expected", [
    (M([1]), 1, True), (1, M([2]), False),
    (M([1, 2]), M([1, 2]), True), (M([1, 2]), M([1, 3]), False), (M([1, 2]), M([[1, 2]]), None),
    (M([1, 2]), 1, None),
    (R(1, 3), R(1, 3), True), (R(1, 3), R(1, 2), False),
    (sp.sqrt(2) ** 2, 2, True),
    (sp.sqrt(2), R(141421356237, 10**11), None),        # close, not close enough: undecided
    (sp.pi, sp.pi + sp.Float(1e-25), True),
    (sp.pi, 3, False),
    (x, 1, None),
])
def test_equal(a, b, expected):
    assert Mx._equal(a, b) is expected


def test_show():
    assert Mx._show(M([1, 2])) == "[[1], [2]]" and Mx._show(3) == "3"


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
])
def test_prove_matrix_expression(l, r, expected):
    assert Mx.prove_matrix_expression(l, r) == expected


def test_matrix_layer_refutes_with_the_matrices_it_used():
    v = Mx.matrix_layer(job(A * B, Rel.EQ, B * A), False)
    assert (v.status, v.method) == ("failed", "random matrices")
    env = {sp.MatrixSymbol(k, 2, 2): M(sp.sympify(val)) for k, val in v.counterexample.items()}
    left, right = (Mx._evaluate(e, env, {}) for e in (A * B, B * A))
    assert left != right
    assert v.message == f"for A = {env[A].tolist()}, B = {env[B].tolist()}: the left side is {left.tolist()}, " \
                        f"the right side is {right.tolist()}"


@pytest.mark.parametrize("lhs, rhs, thorough, expected", [
    (W * v, W * v, True, Verdict("numeric", "equal for 8 random integer matrices (sizes 2 to 4)")),
    (W * v, W * v, False, None),
    (sp.Trace(A * B), sp.Trace(B * A), True, Verdict("numeric", "equal for 8 random integer matrices (sizes 2 to 4)")),
])
def test_matrix_layer(lhs, rhs, thorough, expected):
    assert Mx.matrix_layer(job(lhs, Rel.EQ, rhs), thorough) == expected


def test_a_failure_in_a_size_names_the_size():
    got = Mx.matrix_layer(job(W * v, Rel.EQ, 2 * W * v), False)
    assert got.status == "failed" and got.counterexample["n"] == "2"
