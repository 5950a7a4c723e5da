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
