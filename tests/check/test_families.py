"""A definition for every index used at one index (check/families.py): the gradients of a
layer stated for k, then written for k = 1, 2 (chat_notebook_mup_mlp.ipynb:150, 166).
Expected values are computed with numpy."""
from __future__ import annotations

import numpy as np
import pytest

from derive.check.families import family_of
from derive.check.judge import check_source

X, D1, D2, A1 = np.array([2, 1]), np.array([16, 12, -4]), np.array([8, -12]), np.array([2, 8, 9])


def _mat(m: np.ndarray) -> str:
    m = np.atleast_2d(m)
    return r"\begin{bmatrix} " + r" \\ ".join(" & ".join(str(int(v)) for v in row) for row in m) + r" \end{bmatrix}"


DOC = ("# B5: backprop\n\n"
       "$x = (2, 1)^T$, $a_1 = (2, 8, 9)^T$, $\\delta_2 = (8, -12)^T$, $\\delta_1 = (16, 12, -4)^T$.\n\n"
       "Write $a_0 = x$. Then\n\n"
       r"$$\nabla_{W_k} L = \delta_k a_{k-1}^T, \qquad \nabla_{b_k} L = \delta_k$$" "\n\n"
       "Numbers:\n\n")


@pytest.mark.parametrize("line, verdict, message", [
    # delta_2 a_1^T, 2 x 3, as written
    (f"$\\nabla_{{W_2}} L = {_mat(np.outer(D2, A1))}$", "valid", "(the left side by line 7 with k = 2)"),
    # x delta_1^T is 2 x 3, delta_1 a_0^T = delta_1 x^T is 3 x 2 (the transposed outer product)
    (f"$\\nabla_{{W_1}} L = x \\delta_1^T = {_mat(np.outer(X, D1))}$", "invalid",
     "the two sides have different shapes (the left side by line 7 with k = 1)"),
    (f"$\\nabla_{{W_1}} L = {_mat(np.outer(D1, X))}$", "valid", "(the left side by line 7 with k = 1)"),
    ("$\\nabla_{b_1} L = (16, 12, -4)^T$", "valid", "(the left side by line 7 with k = 1)"),
    ("$\\nabla_{b_1} L = (16, 12, 4)^T$", "invalid", "(the left side by line 7 with k = 1)"),
])
def test_a_family_at_one_index(line: str, verdict: str, message: str) -> None:
    assert np.outer(X, D1).shape == (2, 3) and np.outer(D1, X).shape == (3, 2)
    steps = [s for s in check_source(DOC + line + "\n", "x.md", timeout=5).steps if s.line == 11]
    assert steps[0].verdict == verdict
    assert steps[0].message.endswith(message)


def test_without_values_the_instance_stays_a_definition() -> None:
    """delta_3 after delta_k = \\nabla_{z_k} L: the family's side has no value, so delta_3 = -4 defines delta_3."""
    src = "Write $\\delta_k = \\nabla_{z_k} L$.\n\n$\\delta_3 = -2 (10 - 8)$\n"
    assert [(s.line, s.verdict, s.role) for s in check_source(src, "x.md", timeout=5).steps] == [
        (1, "given", "definition"), (3, "given", "definition")]


@pytest.mark.parametrize("lhs, rhs, family", [
    (r"\nabla_{W_k} L", r"\delta_k a_{k-1}^T", "k"),
    (r"\delta_k", r"\nabla_{z_k} L", "k"),
    (r"x_{k+1}", r"c_k W_k x_k", None),         # a recurrence
    (r"y_k", r"3", None),                        # no index on the right
    (r"W_{\text{out}}", r"W - K + 1", None),
])
def test_family_of(lhs: str, rhs: str, family: str | None) -> None:
    got = family_of(lhs, rhs, 1)
    assert (got.letter if got else None) == family
    if got:
        assert got.at(rhs, 1) == {"k": rhs}[family].replace("_k", "_{1}").replace("_{k-1}", "_{0}")
