"""Structured matrix trials (``matexpr.STRUCTURES``) and the claims they refute.

Each structure's defining property is checked with numpy; each false claim that
random integer matrices miss is refuted through ``derive check`` with an exact
counterexample, which is then re-evaluated here with numpy / fractions (never
with derive), and its true neighbour stays valid.
"""
from __future__ import annotations

import ast
import random
from fractions import Fraction

import numpy as np
import pytest

from derive.check import check_text
from derive.verify.matexpr import STRUCTURES, structured


def _np(m) -> np.ndarray:
    return np.array(m.tolist(), dtype=float)


def _rotation_ok(m: np.ndarray) -> bool:
    return np.allclose((m @ m)[:2, :2], -np.eye(2)) and np.allclose(m[2:, 2:], np.eye(len(m) - 2))


PROPERTIES = {
    "rotation": _rotation_ok,
    "nilpotent": lambda m: np.allclose(np.linalg.matrix_power(m, len(m)), 0) and not np.allclose(m, 0),
    "rank one": lambda m: np.linalg.matrix_rank(m) == 1,
    "permutation": lambda m: sorted(m.sum(0)) == sorted(m.sum(1)) == [1] * len(m)
    and set(m.flatten()) <= {0.0, 1.0} and not np.allclose(m, np.eye(len(m))),
    "symmetric": lambda m: np.allclose(m, m.T),
    "orthogonal": lambda m: np.allclose(m.T @ m, np.eye(len(m))),
    "all ones": lambda m: np.all(m == 1),
    "signs": lambda m: set(np.abs(m).flatten()) == {1.0} and len(set(m.flatten())) == 2,
    "large": lambda m: np.linalg.det(m) > 1e6 ** len(m) / 2,
    "large entries": lambda m: np.all((np.abs(m) >= 1e3) & (np.abs(m) <= 1e6)),
    # one eigenvalue 2, repeated, and a single Jordan block: rank(J - 2I) = n - 1
    "jordan": lambda m: np.allclose(np.linalg.eigvals(m), 2)
    and np.linalg.matrix_rank(m - 2 * np.eye(len(m))) == len(m) - 1,
    "scalar": lambda m: np.allclose(m, -2 * np.eye(len(m))),
}


def test_every_structure_has_a_property_test() -> None:
    assert {s.name for s in STRUCTURES} == set(PROPERTIES)


@pytest.mark.parametrize("name", sorted(PROPERTIES))
@pytest.mark.parametrize("k", [2, 3, 4])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_structure_has_its_property(name: str, k: int, seed: int) -> None:
    m = structured(name, k, k, random.Random(seed))
    assert m is not None and m.shape == (k, k)
    assert all(e.is_Rational for e in m)            # exact entries: a counterexample is exact
    assert PROPERTIES[name](_np(m)), m


@pytest.mark.parametrize("name, vector", [
    ("rotation", None), ("nilpotent", None), ("rank one", None), ("permutation", None), ("symmetric", None),
    ("orthogonal", None), ("jordan", None), ("scalar", None), ("all ones", True), ("signs", True),
    ("large", True), ("large entries", True), ("no such structure", None),
])
def test_structures_for_vectors(name: str, vector: bool | None) -> None:
    """Square-only structures give way (None: a random matrix) on a vector."""
    m = structured(name, 3, 1, random.Random(0))
    assert (m is not None) is bool(vector)
    if m is not None:
        assert m.shape == (3, 1)


def _matrix(text: str) -> np.ndarray:
    return np.array(ast.literal_eval(text), dtype=object)


def _frac(m: np.ndarray) -> list[list[Fraction]]:
    return [[Fraction(int(x)) for x in row] for row in m]


def _det(m: list[list[Fraction]]) -> Fraction:
    """Exact determinant by Laplace expansion (the matrices here are 2x2 and 3x3)."""
    if len(m) == 1:
        return m[0][0]
    return sum((-1) ** j * m[0][j] * _det([row[:j] + row[j + 1:] for row in m[1:]]) for j in range(len(m)))


def _mul(a, b):
    return [[sum(a[i][k] * b[k][j] for k in range(len(b))) for j in range(len(b[0]))] for i in range(len(a))]


def _rank(m: np.ndarray) -> int:
    return int(np.linalg.matrix_rank(m.astype(float)))


# (assume, claim, independent check of the claim at the counterexample (True = claim holds))
SQ2 = "A \\in \\mathbb{R}^{2 \\times 2}"
SQ3 = "A \\in \\mathbb{R}^{3 \\times 3}"
VEC3 = "x \\in \\mathbb{R}^3"
FALSE_CLAIMS = [
    # A^2 = -I at a rotation by 90 degrees: det(A^2 + I) = 0
    (SQ2, "\\det(A^2 + I) > 0",
     lambda c: _det([[x + (i == j) for j, x in enumerate(r)] for i, r in enumerate(_mul(c["A"], c["A"]))]) > 0),
    (SQ3, "\\det(A^2 + I) > 0",
     lambda c: _det([[x + (i == j) for j, x in enumerate(r)] for i, r in enumerate(_mul(c["A"], c["A"]))]) > 0),
    # large entries
    (SQ2, "\\det A \\le 10^6", lambda c: _det(c["A"]) <= 10 ** 6),
    (SQ3, "\\det(A) \\le 10^{6}", lambda c: _det(c["A"]) <= 10 ** 6),
    # the all-equal (or all-equal magnitude) vector: ||x||_1 = sqrt(3) ||x||_2 > 1.732 ||x||_2
    (VEC3, "\\|x\\|_1 \\le 1.732 \\|x\\|_2",
     lambda c: sum(abs(r[0]) for r in c["x"]) ** 2 <= Fraction(1732, 1000) ** 2 * sum(r[0] ** 2 for r in c["x"])),
    # nilpotent: rank drops under squaring
    (SQ3, "\\operatorname{rank}(A^2) = \\operatorname{rank}(A)",
     lambda c: _rank(np.array(_mul(c["A"], c["A"]), dtype=object)) == _rank(np.array(c["A"], dtype=object))),
    # a rotation has tr(A^2) < 0
    (SQ3, "\\operatorname{tr}(A^2) \\ge 0", lambda c: sum(_mul(c["A"], c["A"])[i][i] for i in range(3)) >= 0),
    # rank-one matrices
    (SQ3, "\\operatorname{rank}(A) \\ge 2", lambda c: _rank(np.array(c["A"], dtype=object)) >= 2),
]


@pytest.mark.parametrize("assume, claim, holds", FALSE_CLAIMS)
def test_false_claim_refuted_with_exact_counterexample(assume: str, claim: str, holds) -> None:
    (step,) = check_text(f"% derive: assume {assume}\n\\[ {claim} \\]").steps
    assert step.verdict == "invalid", step
    cex = {k: _frac(_matrix(v)) for k, v in step.counterexample.items()}
    assert holds(cex) is False                  # the counterexample really refutes the claim
    for name, value in step.counterexample.items():
        assert name + " = " + value in step.message     # shown to the user


TRUE_NEIGHBOURS = [
    (SQ2, "\\det(A^2 + I) \\ge 0"),             # |det(A + iI)|^2
    (SQ3, "\\det(A^T A) \\ge 0"),
    (VEC3, "\\|x\\|_1 \\le 1.7321 \\|x\\|_2"),
    (VEC3, "\\|x\\|_2 \\le \\|x\\|_1"),
    (VEC3, "\\|x\\|_\\infty \\le \\|x\\|_2"),
    (SQ3, "\\operatorname{rank}(A^2) \\le \\operatorname{rank}(A)"),
    (SQ3, "\\operatorname{tr}(A^T A) \\ge 0"),
    (SQ3, "\\operatorname{rank}(A) \\le 3"),
]


@pytest.mark.parametrize("assume, claim", TRUE_NEIGHBOURS)
def test_true_neighbour_is_valid_numeric(assume: str, claim: str) -> None:
    (step,) = check_text(f"% derive: assume {assume}\n\\[ {claim} \\]").steps
    assert (step.verdict, step.method) == ("valid", "numeric"), step
    assert "structured ones" in step.message


@pytest.mark.parametrize("lines, verdicts", [
    # A - A is the zero matrix, and a written 0 beside it is the zero matrix too
    (["A - A = 0"], [("valid", "proved")]),
    (["A + A - 2A = 0"], [("valid", "proved")]),
    (["A - A = 1"], [("invalid", None)]),
    (["A - A^T = 0"], [("invalid", None)]),
    # declared symmetric: A - A^T = 0 holds
    (["% derive: given A^T = A", "A - A^T = 0"], [("valid", "proved")]),
    # a given about another matrix does not block a counterexample about B
    (["% derive: given A^T = A", "\\operatorname{rank}(B) \\ge 2"], [("invalid", None)]),
    (["% derive: given A^T = A", "\\operatorname{tr}(A^2) \\ge 0"], [("valid", "numeric")]),
])
def test_zero_matrix_and_symmetric_declarations(lines: list[str], verdicts) -> None:
    src = "% derive: assume A, B \\in \\mathbb{R}^{2 \\times 2}\n" + "\n".join(
        ln if ln.startswith("%") else f"\\[ {ln} \\]" for ln in lines)
    got = [(s.verdict, s.method if want[1] else None) for s, want in zip(check_text(src).steps, verdicts)]
    assert got == verdicts


@pytest.mark.parametrize("src, verdict", [
    # declared X with a scalar beside it: the transposes are of a declared matrix, so refuted
    ("% derive: assume X \\in \\mathbb{R}^{n \\times n}\n% derive: assume \\lambda > 0\n"
     "\\[ (X^T X + \\lambda I)^{-1} X^T = X^T (X^T X + \\lambda I)^{-1} \\]", "invalid"),
    ("% derive: assume X \\in \\mathbb{R}^{n \\times n}\n% derive: assume \\lambda > 0\n"
     "\\[ (X^T X + \\lambda I)^{-1} X^T = X^T (X X^T + \\lambda I)^{-1} \\]", "valid"),
    # nothing declares W: W^T W is read as W^2, so no verdict either way
    ("\\[ W^T W + \\lambda = W W^T \\]", "unknown"),
])
def test_transpose_of_a_declared_matrix_beside_a_scalar(src: str, verdict: str) -> None:
    (step,) = check_text(src).steps
    assert step.verdict == verdict, step
    if verdict == "invalid":
        x = np.array(ast.literal_eval(step.counterexample["X"]), dtype=float)
        lam = float(Fraction(step.counterexample["\\lambda"]))
        g = np.linalg.inv(x.T @ x + lam * np.eye(len(x)))
        assert not np.allclose(g @ x.T, x.T @ g)            # numpy agrees: a counterexample
