"""Exact evaluation of matrix expressions (derive/verify/matexpr.py), checked against numpy."""
from __future__ import annotations

import random

import numpy as np
import pytest
import sympy as sp

from derive.verify import matexpr as Me

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

AV = np.array([[1, 2], [3, 4]])
BV = np.array([[0, 1], [1, 0]])
CV = np.array([[1, 0, 2], [0, 1, 1]])
ENV = {A: M(AV.tolist()), B: M(BV.tolist()), C: M(CV.tolist())}


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
    got = Me.evaluate(expr, ENV, {})
    ref = np.asarray(reference, dtype=float)
    if ref.shape:
        assert isinstance(got, sp.MatrixBase)
        assert np.allclose(np.array(got.tolist(), dtype=float), ref, rtol=0, atol=1e-12)
    else:
        assert abs(float(got) - float(ref)) < 1e-9


@pytest.mark.parametrize("expr, exc", [
    (A * sp.Inverse(sp.MatrixSymbol("S", 2, 2)), Me.Singular),
    (sp.Trace(A) * x, Me.Unsupported),                  # a scalar symbol without a value
    (sp.MatrixSymbol("Z", n, n), Me.Unsupported),        # a size without a value
    (sp.Function("f")(A), Me.Unsupported),
    (sp.Inverse(sp.MatrixSymbol("T", 2, 2)), Me.Mismatch),      # its value is not square
    (sp.MatrixSymbol("T", 2, 2) ** 2, Me.Mismatch),
])
def test_evaluate_refuses(expr, exc):
    env = dict(ENV)
    env[sp.MatrixSymbol("S", 2, 2)] = M([[1, 2], [2, 4]])   # singular
    env[sp.MatrixSymbol("T", 2, 2)] = M([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(exc):
        Me.evaluate(expr, env, {})


def test_evaluate_uses_the_sizes():
    env = {W: M([[1, 2], [3, 4]]), v: M([1, 1])}
    assert Me.evaluate(W * v + n * v, env, {n: 2}) == M([5, 9])
    assert Me.evaluate(sp.Identity(n) * v, env, {n: 2}) == M([1, 1])


def test_a_scalar_added_to_a_matrix_is_unsupported():
    with pytest.raises(Me.Mismatch, match="a scalar added to a matrix"):
        Me.evaluate(NA + 1, {NA: M(AV.tolist())}, {})
    assert Me.evaluate(NA + 0 * NB, {NA: M(AV.tolist()), NB: M(BV.tolist())}, {}) == M(AV.tolist())


def test_random_matrices_are_invertible_nonzero_integers():
    for seed in range(10):
        m = Me.random_matrix(3, 3, random.Random(seed), True)
        assert m.det() != 0 and all(e in Me._ENTRIES for e in m)
        r = Me.random_matrix(2, 3, random.Random(seed), True)
        assert r.shape == (2, 3)


# norms of a row vector are vector norms (by hand: |3| + |-4| = 7, max(3, 4) = 4, sqrt(9 + 16) = 5);
# as a 1 x 2 matrix its 1-norm (largest column sum) would be 4 and its inf-norm (largest row sum) 7
@pytest.mark.parametrize("m, kind, value", [
    ([[3, -4]], "1", 7), ([[3, -4]], "inf", 4), ([[3, -4]], "2", 5),
    ([[3], [-4]], "1", 7), ([[3], [-4]], "inf", 4),
    ([[1, -2], [3, 4]], "1", 6), ([[1, -2], [3, 4]], "inf", 7),
])
def test_norm_of_a_vector_and_of_a_matrix(m, kind, value):
    assert Me._norm(sp.ImmutableMatrix(m), kind) == value
    assert np.isclose(float(Me._norm(sp.ImmutableMatrix(m), kind)),
                      np.linalg.norm(np.array(m, dtype=float).ravel() if 1 in np.shape(m) else np.array(m, dtype=float),
                                     {"1": 1, "inf": np.inf, "2": 2}[kind]))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_symmetric_and_skew_draws(seed):
    A = sp.MatrixSymbol("A", 3, 3)
    rng = random.Random(seed)
    s, k = Me.draw(A, 3, 3, "sym", rng), Me.draw(A, 3, 3, "skew", rng)
    assert s == s.T and k == -k.T and s != sp.zeros(3) and k != sp.zeros(3)


def test_the_inverse_of_a_scalar_value_is_its_reciprocal():
    B = sp.MatrixSymbol("B", 1, 1)
    assert Me.evaluate(sp.Inverse(B), {B: sp.Integer(4)}, {}) == sp.Rational(1, 4)


def test_an_inverse_is_evaluated_as_a_power_minus_one():
    """``evaluate`` has no branch of its own for ``sp.Inverse`` (it was unreachable): SymPy makes
    ``Inverse(A)`` a ``MatPow`` with arguments (A, -1), which the power branch inverts exactly."""
    inv = sp.Inverse(A)
    assert isinstance(inv, sp.MatPow) and inv.args == (A, -1)
    got = Me.evaluate(inv * A, ENV, {})
    assert got == M(np.eye(2, dtype=int).tolist())
    assert np.allclose(np.array(Me.evaluate(inv, ENV, {}).tolist(), dtype=float), np.linalg.inv(AV), atol=1e-12)
