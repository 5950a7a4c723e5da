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


# --------------------------------------------------------------------------- #
# Term order: the written order where there is one, else the textbook order
# --------------------------------------------------------------------------- #

_n, _k, _W, _P, _D, _K, _S, _t, _i, _y, _w, _eta = sp.symbols("n k W P D K S t i y w eta")
_mu, _mu1, _mu2, _sigma, _sigma1, _b1, _b2 = sp.symbols("mu mu1 mu2 sigma sigma1 beta1 beta2")
_X, _a, _b, _c, _L = sp.symbols("X a b c L")
_g = sp.IndexedBase("g")
_E = nt.Expectation

#: sums built with ``sp.Add`` (nobody "wrote" an order): the conventional one.
CONVENTIONAL = [
    (sp.Add(_n, -_k, 1), r"n - k + 1"),
    (sp.Add(_w, -_eta * nt.Grad(_w)), r"w - \eta \frac{\partial L}{\partial w}"),
    (sp.Add(_E(_X**2), -_E(_X) ** 2), r"\mathbb{E}\left[X^{2}\right] - \left(\mathbb{E}\left[X\right]\right)^{2}"),
    (sp.Add(x, -_mu2) ** 2, r"\left(x - \mu_{2}\right)^{2}"),
    (_b1 ** sp.Add(_t, -_i, -1), r"\beta_{1}^{t - i - 1}"),
    (sp.Add(1, -_b1**_t), r"1 - \beta_{1}^{t}"),
    (sp.Add(1, -x), r"1 - x"),
    (sp.Add(1, -x**2), r"1 - x^{2}"),
    (sp.Add(x**2, -2 * x, 1), r"x^{2} - 2 x + 1"),
    (sp.Add(-x**3, 3 * x**2, -3 * x, 1), r"- x^{3} + 3 x^{2} - 3 x + 1"),
    (sp.Add(1, 2 * x, -x**2), r"- x^{2} + 2 x + 1"),
    (sp.Add(-x, -1), r"- x - 1"),
    (sp.Add(_a**2, 2 * _a * _b, _b**2), r"a^{2} + 2 a b + b^{2}"),
    (sp.Add(sp.Rational(1, 2), -sp.log(x), sp.log(2)),
     r"\log{\left(2 \right)} - \log{\left(x \right)} + \frac{1}{2}"),
    (sp.Add(d_out, -d_in), r"d_{\mathrm{out}} - d_{\mathrm{in}}"),
    (sp.Add((_mu1 - _mu2) ** 2, _sigma1**2), r"\sigma_{1}^{2} + \left(\mu_{1} - \mu_{2}\right)^{2}"),
    (sp.Add(x, -_mu) / _sigma, r"\frac{x - \mu}{\sigma}"),
    (sp.Sum(sp.Add(_g[_i], -_mu), (_i, 1, _n)), r"\sum_{i=1}^{n} \left(g_{i} - \mu\right)"),
    (sp.Add(1, -_b2) * sp.Add(1, -_b1), r"\left(1 - \beta_{1}\right) \left(1 - \beta_{2}\right)"),
    (sp.Add(-x, sp.pi), r"\pi - x"),
    (sp.Add(-3, -_y, 2 * x), r"2 x - y - 3"),
    (sp.expand((x - _mu) ** 2), r"\mu^{2} - 2 \mu x + x^{2}"),
]


#: Sums as a pipeline writes them: each is built inside ``recording()`` when its test runs,
#: since the table of written orders is bounded and shared by the whole session.
WRITTEN = [
    (lambda: _W + 2 * _P - _D * (_K - 1) - 1, r"W + 2 P - D \left(K - 1\right) - 1"),
    (lambda: _y - _k + 2 * _P, r"y - k + 2 P"),
    (lambda: _t - _i - 1, r"t - i - 1"),
    (lambda: _a + _c + _b, r"a + c + b"),
    (lambda: 2 - x + x**2, r"2 - x + x^{2}"),
    (lambda: (_W + 2 * _P - _K) / _S + 1, r"\frac{W + 2 P - K}{S} + 1"),
    (lambda: 1 + _L * (_K - 1), r"1 + L \left(K - 1\right)"),
    (lambda: _y - (_a + _b), r"y - a - b"),
    (lambda: _g[1] + _g[3] + _g[2], r"g_{1} + g_{3} + g_{2}"),
    (lambda: x + 2 * x + _y, r"3 x + y"),
    (lambda: sp.Integer(1) - 2 * x, r"1 - 2 x"),
    (lambda: _E(_X**2) - _E(_X) ** 2, r"\mathbb{E}\left[X^{2}\right] - \left(\mathbb{E}\left[X\right]\right)^{2}"),
]


@pytest.mark.parametrize("expr, expected", CONVENTIONAL)
def test_term_order(expr, expected):
    assert tex(expr) == expected


@pytest.mark.parametrize("build, expected", WRITTEN)
def test_written_term_order(build, expected):
    from derive.termorder import recording

    with recording():
        expr = build()
    assert tex(expr) == expected


def test_written_order_survives_substitution():
    from derive.termorder import recording, xreplace

    with recording():
        size = _W + 2 * _P - _D * (_K - 1) - 1
    assert tex(xreplace(size, {_D: 1})) == r"W + 2 P - K"
    assert xreplace(size, {_D: 1}) == size.xreplace({_D: 1})


def test_written_order_does_not_change_the_expression():
    from sympy.core.expr import Expr

    from derive.termorder import recording, written

    before = Expr.__add__
    with recording():
        e = _c + _b + _a
        assert Expr.__add__ is not before
    assert Expr.__add__ is before          # the recorder is removed on exit
    assert e == sp.Add(_a, _b, _c) and hash(e) == hash(sp.Add(_a, _b, _c))
    assert written(_c, _b, _a) == e and tex(written(_c, _b, _a)) == "c + b + a"


def test_sympy_internal_arithmetic_is_not_recorded():
    from derive.termorder import recording

    with recording():
        # expand builds its sums inside SymPy: conventional order, not its internal one
        e = sp.expand((1 - x) ** 3)
    assert tex(e) == r"- x^{3} + 3 x^{2} - 3 x + 1"


@pytest.mark.parametrize("source, expected", [
    ("n - k + 1", r"$n - k + 1$"),
    ("W + 2 P - 1", r"$W + 2 P - 1$"),
    ("x - mu2", r"$x - \mu_{2}$"),
    ("1 - beta1^t", r"$1 - \beta_{1}^{t}$"),
])
def test_statement_math_keeps_the_written_order(source, expected):
    from derive.render import escape_prose

    assert escape_prose(f"${source}$") == expected
