"""derive.check.chains: a ``\\text{...}`` row label is a name only when it is not a connective."""
from __future__ import annotations

import pytest

from derive.check import check_text


@pytest.mark.parametrize("label, first", [
    # a label: the row defines it
    (r"\text{Loss}", (r"\mathrm{Loss}", "given", "definition")),
    (r"\text{Total cost}", (r"\mathrm{Totalcost}", "given", "definition")),
    # a connective or an article first ("The", "so", "and"): no label, the row's left side is empty
    (r"\text{The loss}", ("", "unparsed", "")),
    (r"\text{So}", ("", "unparsed", "")),
    (r"\text{And then}", ("", "unparsed", "")),
])
def test_a_row_label_is_a_name_unless_it_starts_with_a_connective(label: str, first: tuple) -> None:
    src = "\\begin{align*} " + label + r" &= 3 \\ &= 1 + 2 \end{align*}"
    steps = check_text(src).steps
    assert (steps[0].lhs, steps[0].verdict, steps[0].method) == first
    assert (steps[-1].lhs, steps[-1].rhs, steps[-1].verdict) == ("3", "1 + 2", "valid")
