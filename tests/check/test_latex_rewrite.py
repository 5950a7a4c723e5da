"""Rewrites before the reader (``check.latex.rewrite``): ``\\dim v`` is the dimension of v,
never a product; a ``\\dim`` without a name after it is not read."""
from __future__ import annotations

import pytest
import sympy as sp

from derive.check.parse import Parser, ParseError


@pytest.mark.parametrize("text, want", [
    (r"\dim v", "dim(v)"),
    (r"\dim(v)", "dim(v)"),
    (r"\sqrt{\dim x_1}", "sqrt(dim(x_1))"),
    (r"\dim \alpha + 1", "dim(alpha) + 1"),
    (r"\frac{\|v\|_2}{\sqrt{\dim v}}", "norm_2(v)/sqrt(dim(v))"),
])
def test_dim_applies_to_the_name_after_it(text: str, want: str) -> None:
    got = Parser().parse(text)
    assert str(got) == want
    assert not got.has(sp.Symbol("mathdim"))


@pytest.mark.parametrize("text", [r"\dim \mathcal{V}", r"\dim"])
def test_dim_without_a_name_is_unparsed(text: str) -> None:
    with pytest.raises(ParseError, match="dim"):
        Parser().parse(text)
