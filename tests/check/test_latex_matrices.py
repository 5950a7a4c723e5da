"""The matrix reader (``derive.check.latex.matrices``): an operator written with parentheses
takes only them as its argument, so ``\\operatorname{tr}(A)^2`` is tr(A) squared, never tr(A^2)
(attack 1, finding 3).  Counterexamples are recomputed with numpy."""
from __future__ import annotations

import ast

import numpy as np
import pytest
import sympy as sp

from derive.check import check_text
from derive.check.parse import Context, Parser
from derive.check.latex.matrices import MatrixShape
from derive.notation import Rank

DECLARE = "% derive: assume A, B \\in \\mathbb{R}^{n \\times n}\n"


def _parser() -> Parser:
    shape = MatrixShape("\\mathbb{R}^{n \\times n}", rows="n", cols="n")
    return Parser(Context(domains={"A": shape, "B": shape}))


def test_a_power_after_the_parentheses_is_the_values() -> None:
    p = _parser()
    A = p.parse("A")
    B = p.parse("B")
    assert p.parse(r"\operatorname{tr}(A)^2") == sp.Trace(A) ** 2
    assert p.parse(r"\operatorname{tr}(A^2)") == sp.Trace(A ** 2)
    assert p.parse(r"\operatorname{tr}(AB)^2") == sp.Trace(A * B) ** 2
    assert p.parse(r"\det(A)^{-1}") == sp.Determinant(A) ** -1
    assert p.parse(r"\operatorname{rank}(A)^2") == Rank(A) ** 2
    assert p.parse(r"\det A^2") == sp.Determinant(A ** 2)        # without parentheses: one factor


def _np(expr: str, A: np.ndarray, B: np.ndarray) -> float:
    env = {"tr": np.trace, "det": np.linalg.det, "rank": np.linalg.matrix_rank, "inv": np.linalg.inv,
           "A": A, "B": B}
    return float(eval(expr, {"__builtins__": {}}, env))


# (step, verdict, both sides in numpy for a refuted step)
STEPS = [
    (r"\operatorname{tr}(A)^2 = \operatorname{tr}(A^2)", "invalid", ("tr(A)**2", "tr(A @ A)")),
    (r"\operatorname{tr}(A)^{-1} = \operatorname{tr}(A^{-1})", "invalid", ("1 / tr(A)", "tr(inv(A))")),
    (r"\operatorname{tr}(AB)^2 = \operatorname{tr}(ABAB)", "invalid", ("tr(A @ B)**2", "tr(A @ B @ A @ B)")),
    (r"\operatorname{rank}(A)^2 = \operatorname{rank}(A^2)", "invalid", ("rank(A)**2", "rank(A @ A)")),
    (r"\operatorname{Tr}(A)^2 = \operatorname{Tr}(A^2)", "invalid", ("tr(A)**2", "tr(A @ A)")),
    (r"\mathrm{tr}(A)^2 = \mathrm{tr}(A^2)", "invalid", ("tr(A)**2", "tr(A @ A)")),
    # the true neighbours, and the false alarms of the old reading
    (r"\operatorname{tr}(A)^2 \ge 0", "valid", None),
    (r"\operatorname{tr}(A)^2 = \operatorname{tr}(A) \cdot \operatorname{tr}(A)", "valid", None),
    (r"\operatorname{tr}(AB)^2 = \operatorname{tr}(BA)^2", "valid", None),
    (r"\operatorname{tr}(A^2) = \operatorname{tr}(A A)", "valid", None),
    (r"\det(A)^2 = \det(A^2)", "valid", None),
    (r"\det A^2 = \det(A)^2", "valid", None),
]


@pytest.mark.parametrize("step, verdict, sides", STEPS, ids=[s[0] for s in STEPS])
def test_trace_power_steps(step: str, verdict: str, sides: tuple[str, str] | None) -> None:
    (s,) = check_text(DECLARE + f"\\[ {step} \\]\n", timeout=10).steps
    assert s.verdict == verdict, s
    if sides is not None:
        cex = s.counterexample
        A = np.array(ast.literal_eval(cex["A"]), dtype=float)
        B = np.array(ast.literal_eval(cex["B"]), dtype=float) if "B" in cex else np.eye(len(A))
        left, right = (_np(e, A, B) for e in sides)
        assert abs(left - right) > 1e-6, (left, right, cex)


# --------------------------------------------------------------------------- #
# Vector notation (issue 8, attack 1 finding 14): x \cdot y of two vectors is their dot
# product, and a 1x1 product times a vector is a scalar multiple of it.  Each label is
# checked with numpy (50 random trials for a true step, the counterexample for a false one).
# --------------------------------------------------------------------------- #

VECTORS = ("% derive: assume x, y \\in \\mathbb{R}^n\n% derive: assume A \\in \\mathbb{R}^{n \\times n}\n"
           "% derive: assume B \\in \\mathbb{R}^{2 \\times 3}, u \\in \\mathbb{R}^2\n")

# (step, verdict, both sides in numpy: x, y column vectors, A square)
VECTOR_STEPS = [
    (r"x \cdot y = x^T y", "valid", ("x.T @ y", "x.T @ y")),
    (r"(x^T y) x = x x^T y", "valid", ("(x.T @ y).item() * x", "x @ x.T @ y")),
    (r"x \cdot y = y \cdot x", "valid", ("x.T @ y", "y.T @ x")),
    (r"x \cdot x = \|x\|^2", "valid", ("x.T @ x", "np.linalg.norm(x) ** 2")),
    (r"x^T y x = y^T x x", "valid", ("(x.T @ y).item() * x", "(y.T @ x).item() * x")),
    (r"x \cdot (A y) = (A^T x) \cdot y", "valid", ("x.T @ (A @ y)", "(A.T @ x).T @ y")),
    # the false neighbours stay refuted, with a counterexample numpy confirms
    (r"x \cdot y = x^T x", "invalid", ("x.T @ y", "x.T @ x")),
    (r"(x^T y) x = y x^T x", "invalid", ("(x.T @ y).item() * x", "y @ x.T @ x")),
    (r"x \cdot (A y) = (A x) \cdot y", "invalid", ("x.T @ (A @ y)", "(A @ x).T @ y")),
]


def _vec_np(expr: str, env: dict) -> np.ndarray:
    return np.asarray(eval(expr, {"__builtins__": {}, "np": np}, env), dtype=float)


@pytest.mark.parametrize("step, verdict, sides", VECTOR_STEPS, ids=[s[0] for s in VECTOR_STEPS])
def test_vector_notation(step: str, verdict: str, sides: tuple[str, str]) -> None:
    (s,) = [t for t in check_text(VECTORS + f"\\[ {step} \\]\n", timeout=10).steps if t.line == 4]
    assert s.verdict == verdict, s
    rng = np.random.default_rng(8)
    if verdict == "valid":
        for n in (1, 2, 3, 7) * 12 + (5, 6):
            env = {"x": rng.normal(size=(n, 1)), "y": rng.normal(size=(n, 1)), "A": rng.normal(size=(n, n))}
            left, right = (_vec_np(e, env) for e in sides)
            assert np.allclose(left, right, rtol=1e-9, atol=1e-9)
    else:
        cex = s.counterexample
        env = {k: np.array(ast.literal_eval(cex[k]), dtype=float) for k in ("x", "y", "A") if k in cex}
        left, right = (_vec_np(e, env) for e in sides)
        assert not np.allclose(left, right)


@pytest.mark.parametrize("step, verdict, message", [
    # juxtaposed vectors, and a 2x3 matrix times a vector of R^2, are no products
    (r"x y = x^T y", "invalid", "not defined for n = 2: a product of a 2x1 and a 2x1 matrix"),
    (r"B u = u", "unparsed", "shapes do not match: ('Matrices are not aligned', 3, 2)"),
    (r"u^T B u = 1", "unparsed", "shapes do not match: ('Matrices are not aligned', 3, 2)"),
])
def test_real_shape_errors_stay_caught(step: str, verdict: str, message: str) -> None:
    (s,) = [t for t in check_text(VECTORS + f"\\[ {step} \\]\n", timeout=10).steps if t.line == 4]
    assert (s.verdict, s.message) == (verdict, message)
