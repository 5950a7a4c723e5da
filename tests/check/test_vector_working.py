"""Vector working as real LSTM / network solutions write it (issue 9): the concatenation
``[h; x]``, the sigmoid by convention, entries ``c_t^{(1)}`` of a vector in scope, a 1x1
product beside a number, and a wrong entry carried forward.

Every expected value is recomputed here with numpy, never with derive.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive.check.judge import check_source
from derive.check.latex.matrixops import _blocks, _stack
from derive.check.latex.scan import ParseError


def _sig(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


H, X, C_PREV = np.array([0.4, -0.2]), np.array([1.0, 0.0]), np.array([-0.5, 0.3])
WF = np.array([[1, 2, 4, 5], [-1, 2, 0, 1]], dtype=float)
WI = np.array([[-1, 2, 0, 1], [1, -2, 3, -1]], dtype=float)
BF, BI = np.array([1.0, -2.0]), np.array([-1.0, 1.0])
HX = np.concatenate([H, X])
ZF, ZI = WF @ HX + BF, WI @ HX + BI
F, I = _sig(ZF), _sig(ZI)
C = F * C_PREV + I * np.tanh(ZF)          # a made-up cell: candidate tanh(z_f), enough for the rules


def _fmt(v: float, places: int = 6) -> str:
    return f"{v:.{places}f}"


def _col(v: np.ndarray, places: int = 6) -> str:
    return r"\begin{bmatrix} " + r" \\ ".join(_fmt(x, places) for x in v) + r" \end{bmatrix}"


PRELUDE = (
    "Given $h = (0.4, -0.2)^T$, $x = (1, 0)^T$, $c_{p} = (-0.5, 0.3)^T$ and\n\n"
    r"$W_f = \begin{bmatrix} 1 & 2 & 4 & 5 \\ -1 & 2 & 0 & 1 \end{bmatrix}$, $b_f = (1, -2)^T$," "\n"
    r"$W_i = \begin{bmatrix} -1 & 2 & 0 & 1 \\ 1 & -2 & 3 & -1 \end{bmatrix}$, $b_i = (-1, 1)^T$." "\n\n"
)


def _on(src: str, needle: str) -> list[tuple[str, str]]:
    """(verdict, message) of the steps on the last line of ``src`` that contains ``needle``."""
    line = max(k for k, text in enumerate(src.splitlines(), start=1) if needle in text)
    return [(s.verdict, s.message) for s in check_source(src, "x.md", timeout=5).steps if s.line == line]


@pytest.mark.parametrize("body, verdicts", [
    # the concatenation of the gates' input, and a product with it
    (f"$$[h; x] = ({', '.join(_fmt(v, 1) for v in HX)})^T$$\n", ["valid"]),
    ("$$[h; x] = (0.4, -0.2, 1, 1)^T$$\n", ["invalid"]),
    (f"$$z_f = W_f [h; x] + b_f = {_col(ZF, 1)}$$\n", ["given", "valid"]),
    (f"$$z_f = W_f [h; x] + b_f = {_col(ZF + np.array([0, 0.1]), 1)}$$\n", ["given", "invalid"]),
    # the sigmoid of a vector, entry by entry, at the printed precision (6 places)
    (f"$$z_f = W_f [h; x] + b_f$$\n\n$$f = \\sigma(z_f) \\approx {_col(F)}$$\n", ["given", "valid"]),
    (f"$$z_f = W_f [h; x] + b_f$$\n\n$$f = \\sigma(z_f) \\approx {_col(F + np.array([0, 2e-6]))}$$\n",
     ["given", "invalid"]),
])
def test_gates(body: str, verdicts: list[str]) -> None:
    last = body.strip().splitlines()[-1][:12]
    assert [v for v, _ in _on(PRELUDE + body, last)] == verdicts


CELL = (f"$$z_f = W_f [h; x] + b_f$$\n\n$$z_i = W_i [h; x] + b_i$$\n\n"
        r"$$f = \sigma(z_f), \qquad i = \sigma(z_i), \qquad g = \tanh(z_f)$$" "\n\n"
        r"The cell state is $c = f \odot c_{p} + i \odot g$:" "\n\n")
WRONG = F * C_PREV - I * np.tanh(ZF)        # the sign of the second product flipped


def _entry_line(name: str, k: int, sign: str, value: float) -> str:
    return (f"- ${name}^{{({k})}} = {_fmt(F[k - 1])} \\cdot ({C_PREV[k - 1]}) {sign} {_fmt(I[k - 1])} \\cdot "
            f"{_fmt(np.tanh(ZF[k - 1]))} \\approx {value:.4f}$\n")


def test_an_entry_of_a_vector_in_scope_is_judged() -> None:
    """``c^{(1)}`` is the first entry of ``c``: right, it is valid; with the sign of the second
    product flipped (the slip of chat_gd_lstm_search.md:88) it is invalid."""
    assert abs(WRONG[0] - C[0]) > 0.1        # far beyond any rounding of the printed numbers
    assert [v for v, _ in _on(PRELUDE + CELL + _entry_line("c", 1, "+", C[0]), "c^{(1)}")] == ["valid", "valid"]
    assert [v for v, _ in _on(PRELUDE + CELL + _entry_line("c", 1, "-", WRONG[0]), "c^{(1)}")] == \
        ["invalid", "valid"]
    # not an entry: no vector c in scope, so c^{(1)} is a name of its own, defined here
    assert [v for v, _ in _on(PRELUDE + _entry_line("c", 1, "-", WRONG[0]), "c^{(1)}")] == ["given", "valid"]


def test_a_wrong_entry_is_carried_to_the_vector_and_what_is_made_of_it() -> None:
    """After the wrong ``c^{(1)}``, lines that use c (and u = f * tanh(c)) written with the wrong
    entry follow from that line: ``unknown``, "follows from line N", never a second error."""
    c1, c2 = round(WRONG[0], 4), round(C[1], 4)
    u1 = round(F[0] * round(np.tanh(c1), 4), 4)
    src = (PRELUDE + CELL + _entry_line("c", 1, "-", WRONG[0]) + _entry_line("c", 2, "+", C[1]) + "\n"
           + r"$$u = f \odot \tanh(c)$$" + "\n\n"
           + f"- $u^{{(1)}} = {_fmt(F[0])} \\times ({np.tanh(c1):.4f}) \\approx {u1:.4f}$\n\n"
           + f"So $c \\approx ({c1:.4f}, {c2:.4f})^T$.\n")
    wrong_line = max(k for k, t in enumerate(src.splitlines(), start=1) if "c^{(1)}" in t)
    assert _on(src, "c^{(1)}")[0][0] == "invalid"
    follows = f"follows from line {wrong_line}, which is wrong"
    assert _on(src, "u^{(1)}")[0] == ("unknown", follows)
    assert _on(src, "So $c")[-1] == ("unknown", follows)
    assert _on(src, "c^{(2)}")[0][0] == "valid"


@pytest.mark.parametrize("src, verdict", [
    ("$[1 \\ 2 \\ 3] \\cdot [1 \\ 1 \\ 1]^T = 6$\n", "valid"),
    ("$[1 \\ \\ 2 \\ \\ 3] [1 \\ 1 \\ 1]^T = 6$\n", "valid"),
    ("$[1 \\ 2 \\ 3] \\cdot [1 \\ 1 \\ 1]^T = 7$\n", "invalid"),
    ("$\\begin{pmatrix} -2 & 3 \\end{pmatrix} \\begin{pmatrix} 38 \\\\ 22 \\end{pmatrix} = -10$\n", "valid"),
])
def test_a_row_times_a_column_is_a_number(src: str, verdict: str) -> None:
    assert int(np.array([1, 2, 3]) @ np.ones(3)) == 6 and int(np.array([-2, 3]) @ np.array([38, 22])) == -10
    (s,) = check_source(src, "x.md", timeout=5).steps
    assert s.verdict == verdict


def test_stack_blocks() -> None:
    assert _blocks("h; x") == ["h", " x"]
    assert _blocks("a; [b; c]") == ["a", " [b; c]"]
    with pytest.raises(ParseError, match=r"only as a stack \[a; b\]"):
        _blocks("h, x")
    m = _stack([sp.ImmutableMatrix([1, 2]), sp.Integer(3)])
    assert m == sp.ImmutableMatrix([1, 2, 3])
    with pytest.raises(ParseError, match="different numbers of columns"):
        _stack([sp.ImmutableMatrix([[1, 2]]), sp.ImmutableMatrix([3])])
    with pytest.raises(ParseError, match="whose entries are not known"):
        _stack([sp.MatrixSymbol("A", 2, 1), sp.Integer(1)])
