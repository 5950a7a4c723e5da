"""An operator of a transposed product keeps its order (student_tanh_adam_linear.tex:80, 89):
``\\text{cost}(W W^T)`` and ``\\text{cost}(W^T W)`` are different quantities, although the
plain reader makes both arguments W^2."""
from __future__ import annotations

import pytest

from derive.check.judge import check_source
from derive.check.parse import Context, Parser

SRC = ("\\begin{align*}\n"
       "\\text{cost}(W W^T) &= c \\, d_{out} d_{in} d_{out} = c \\, d_{out}^2 d_{in} \\\\\n"
       "\\text{cost}(W^T W) &= c \\, d_{in} d_{out} d_{in} = c \\, d_{out} d_{in}^2\n"
       "\\end{align*}\n")


def test_the_two_orders_are_two_definitions() -> None:
    got = [(s.line, s.verdict, s.role) for s in check_source(SRC, "x.tex", timeout=5).steps]
    assert got == [(2, "given", "definition"), (2, "valid", "claim"), (3, "given", "definition"), (3, "valid", "claim")]


@pytest.mark.parametrize("a, b, same", [
    (r"\text{cost}(W W^T)", r"\text{cost}(W^T W)", False),
    (r"\text{cost}(W W^T)", r"\text{cost}(W  W^{T})", True),      # the same product, spaced and braced
    (r"\text{cost}(W W^T)", r"\text{cost}(WW^T)", True),          # spaces do not matter
    (r"\mathrm{Var}(w^T x)", r"\mathrm{Var}(x^T w)", True),        # the expectation algebra reads it
])
def test_atoms(a: str, b: str, same: bool) -> None:
    p = Parser(Context())
    assert (p.parse(a) == p.parse(b)) is same
