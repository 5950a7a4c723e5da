"""The printer: field notation, always through the printer's own recursion."""
from __future__ import annotations

import pytest
import sympy as sp

from derive import notation as nt
from derive.printer import tex

x, W = sp.symbols("x W")
d_in, d_out = sp.symbols("d_in d_out", positive=True, integer=True)


@pytest.mark.parametrize(
    "expr, expected",
    [
        (d_in, r"d_{\mathrm{in}}"),
        (1 / sp.sqrt(d_in), r"\frac{1}{\sqrt{d_{\mathrm{in}}}}"),
        (sp.Symbol("sigma_x") ** 2, r"\sigma_{x}^{2}"),
        (sp.Symbol("beta1") ** sp.Symbol("t"), r"\beta_{1}^{t}"),
        (sp.Symbol("m_hat"), r"\hat{m}"),
        (nt.Norm(W * x, 2), r"\left\| W x \right\|_{2}"),
        (nt.Norm(W * x, 2) ** 2, r"\left\| W x \right\|_{2}^{2}"),
        (nt.RMS(x), r"\operatorname{RMS}\left(x\right)"),
        (nt.RMS(x) ** 2, r"\left(\operatorname{RMS}\left(x\right)\right)^{2}"),
        (nt.Sigmoid(2 * x), r"\sigma\left(2 x\right)"),
        (nt.Expectation(nt.Norm(W * x, 2) ** 2), r"\mathbb{E}\left[\left\| W x \right\|_{2}^{2}\right]"),
        (nt.Variance(x), r"\operatorname{Var}\left[x\right]"),
        (nt.KL(nt.Normal(0, 1), nt.Normal(x, 2)),
         r"D_{\mathrm{KL}}\left(\mathcal{N}\left(0, 1\right) \,\middle\|\, \mathcal{N}\left(x, 2\right)\right)"),
        (nt.NamedGaussianPdf(x, 0, 1, sp.Symbol("p")), r"p\left(x\right)"),
        (sp.Matrix([[1, 2], [3, 4]]), r"\begin{bmatrix}1 & 2\\3 & 4\end{bmatrix}"),
        (sp.IndexedBase("g")[sp.Symbol("i")], r"g_{i}"),
    ],
)
def test_notation(expr, expected):
    assert tex(expr) == expected


def test_notation_rewrites_to_its_definition():
    assert nt.Sigmoid(x).rewrite(sp.exp) == 1 / (1 + sp.exp(-x))
    pdf = nt.NamedGaussianPdf(x, 1, 4, sp.Symbol("p")).rewrite(sp.exp)
    assert sp.simplify(pdf - sp.exp(-(x - 1) ** 2 / 8) / sp.sqrt(8 * sp.pi)) == 0


def test_long_sums_are_broken_between_terms():
    from derive.printer import tex_lines

    terms = sum(sp.Symbol(f"alpha_{i}") * sp.Integral(sp.exp(-x**2) * x**i, (x, 0, 1)) for i in range(6))
    lines = tex_lines(terms, budget=80)
    assert len(lines) > 1
    assert all(line.startswith(("+ ", "- ")) for line in lines[1:])
    # Nothing is lost: the lines are the printed sum, split at its terms.
    assert " ".join(lines).replace(" ", "") == tex(terms).replace(" ", "")


def test_short_expressions_stay_on_one_line():
    from derive.printer import tex_lines

    assert tex_lines(x + 1) == (tex(x + 1),)


@pytest.mark.parametrize(
    "q, expected",
    [(sp.Rational(-971, 1000), "-0.971"), (sp.Rational(9027531, 500000), "18.055062"),
     (sp.Rational(-1, 8), "-0.125"), (sp.Integer(5), "5"), (sp.Rational(1, 3), None),
     (sp.Rational(1, 2**13), None)],
)
def test_terminating_decimal_is_exact(q, expected):
    from derive.printer import terminating_decimal

    assert terminating_decimal(q) == expected
    if expected is not None:
        assert sp.Rational(expected) == q
