"""The matrix reader (``latex/matrices.py``): a square root of a scalar beside matrices
(``\\sqrt{3} \\|x\\|_2``) is read, and values of read sides agree with numpy at a concrete
matrix (powers after tr/det/rank in parentheses: ``test_latex_matrices.py``)."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive.check import check_text
from derive.check.latex.matrices import matrix_shape
from derive.check.parse import Context, Parser
from derive.verify.matexpr import evaluate

M = np.array([[1.0, 2.0], [3.0, -1.0]])
V = np.array([[1.0], [-2.0], [2.0]])


@pytest.mark.parametrize("text, value", [
    ("\\operatorname{tr}(A)^2", np.trace(M) ** 2),
    ("\\operatorname{tr}(A^2)", np.trace(M @ M)),
    ("\\operatorname{tr} A^2", np.trace(M @ M)),
    ("\\det(A)^2", np.linalg.det(M) ** 2),
    ("\\operatorname{rank}(A)^2", 4.0),
    ("\\operatorname{tr}(A) \\operatorname{tr}(A^T)", np.trace(M) ** 2),
    ("\\sqrt{3}\\, \\|x\\|_\\infty", np.sqrt(3) * 2.0),
    ("\\sqrt{3} \\|x\\|_2", np.sqrt(3) * 3.0),
    ("\\sqrt{\\operatorname{tr}(A^T A)}", np.linalg.norm(M, "fro")),
])
def test_read_value(text: str, value: float) -> None:
    ctx = Context(domains={"A": matrix_shape("\\mathbb{R}^{2 \\times 2}"), "x": matrix_shape("\\mathbb{R}^3")})
    expr = Parser(ctx).parse(text)
    env = {sp.MatrixSymbol("A", 2, 2): sp.ImmutableMatrix(M.astype(int)),
           sp.MatrixSymbol("x", 3, 1): sp.ImmutableMatrix(V.astype(int))}
    assert float(sp.N(evaluate(expr, env, {}))) == pytest.approx(value)


@pytest.mark.parametrize("claim, verdict", [
    ("\\operatorname{tr}(A^2) = \\operatorname{tr}(A)^2 - 2\\det A", "valid"),
    ("\\operatorname{tr}(A^2) = \\operatorname{tr}(A)^2 - \\det A", "invalid"),
    ("\\|x\\|_2 \\le \\sqrt{3}\\, \\|x\\|_\\infty", "valid"),
    ("\\|x\\|_1 \\le \\sqrt{3} \\|x\\|_2", "valid"),
    ("\\|x\\|_1 \\le \\sqrt{2} \\|x\\|_2", "invalid"),
])
def test_claims_with_roots_and_traces(claim: str, verdict: str) -> None:
    (step,) = check_text("% derive: assume A \\in \\mathbb{R}^{2 \\times 2}\n% derive: assume x \\in \\mathbb{R}^3\n"
                         f"\\[ {claim} \\]").steps
    assert step.verdict == verdict, step


def test_square_root_of_a_matrix_is_unparsed() -> None:
    (step,) = check_text("% derive: assume A \\in \\mathbb{R}^{2 \\times 2}\n\\[ \\sqrt{A} = A \\]").steps
    assert (step.verdict, step.message) == ("unparsed", "a square root of a matrix"), step
