"""ML matrix notation in ``derive check``: stacked block vectors, functions of a
vector taken entry by entry, and sums of Hadamard products.  Expected values
come from numpy, independently of SymPy."""
from __future__ import annotations

import numpy as np
import pytest

from derive.check import check_text


def _vec(values: np.ndarray) -> str:
    return "\\begin{bmatrix}" + "\\\\".join(repr(float(v)) for v in values) + "\\end{bmatrix}"


H, X, C = np.array([0.5, -2.0]), np.array([3.0]), np.array([-0.5, 0.25])
F, I, G = np.array([0.25, 0.75]), np.array([1.5, -1.0]), np.array([2.0, 4.0])
GIVENS = [f"h = {_vec(H)}", f"x = {_vec(X)}", f"f = {_vec(F)}", f"c = {_vec(C)}", f"i = {_vec(I)}",
          f"g = {_vec(G)}"]


@pytest.mark.parametrize("lhs, value, ok", [
    # [h; x] with h in R^2 and x in R^1 is one vector in R^3
    ("\\begin{bmatrix}h\\\\x\\end{bmatrix}", np.concatenate([H, X]), True),
    ("\\begin{bmatrix}h\\\\x\\end{bmatrix}", np.concatenate([H, X + 1]), False),
    ("\\begin{bmatrix}x\\\\1\\end{bmatrix}", np.array([X[0], 1.0]), True),
    # Hadamard products inside a sum (and a difference)
    ("f \\circ c + i \\circ g", F * C + I * G, True),
    ("f \\circ c - i \\circ g", F * C - I * G, True),
    ("f \\circ c + i \\circ g", F * C - I * G, False),
    ("- f \\circ c + 2 i \\circ g", -F * C + 2 * I * G, True),
])
def test_stacked_and_hadamard(lhs: str, value: np.ndarray, ok: bool) -> None:
    src = "".join(f"% derive: given {g}\n" for g in GIVENS) + f"\\[ {lhs} = {_vec(value)} \\]"
    steps = check_text(src).steps
    assert [s.verdict for s in steps] == ["valid" if ok else "invalid"]


@pytest.mark.parametrize("fn, np_fn", [("\\tanh", np.tanh), ("\\exp", np.exp), ("\\sin", np.sin)])
@pytest.mark.parametrize("shift, ok", [(0.0, True), (0.01, False)])
def test_function_of_a_vector_is_entry_by_entry(fn: str, np_fn, shift: float, ok: bool) -> None:
    z = np.array([0.5, -1.0, 2.0])
    rhs = _vec(np.round(np_fn(z) + shift, 4))     # 4 printed decimals: checked at that precision
    steps = check_text(f"\\[ {fn}\\left({_vec(z)}\\right) \\approx {rhs} \\]").steps
    assert [s.verdict for s in steps] == ["valid" if ok else "invalid"]
