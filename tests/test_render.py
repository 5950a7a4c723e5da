"""Rendering: the Jinja environment, escaping, and math in prose."""
from __future__ import annotations

import jinja2
import pytest
import sympy as sp

from derive.errors import TemplateError
from derive.render import ProseMathError, environment, escape_prose, prose_math, render, tex_value


def test_environment_uses_tex_safe_delimiters_and_strict_undefined(tmp_path):
    (tmp_path / "t.tex.j2").write_text("((= comment =))\\emph{((( x )))}((* if x *))!((* endif *))")
    assert render("t.tex.j2", [tmp_path], x="hi") == "\\emph{hi}!"
    # A template failure is one DeriveError line (issue 11); the Jinja error is its cause.
    with pytest.raises(TemplateError) as info:
        render("t.tex.j2", [tmp_path])
    assert str(info.value) == "template t.tex.j2: UndefinedError: 'x' is undefined"
    assert isinstance(info.value.__cause__, jinja2.UndefinedError)


@pytest.mark.parametrize("name, text, message", [
    ("missing.tex.j2", None, "template missing.tex.j2: not found"),
    ("bad.tex.j2", "ok\n((* if *))", "bad.tex.j2:2: TemplateSyntaxError:"),
])
def test_template_failures_are_one_line(tmp_path, name, text, message):
    if text is not None:
        (tmp_path / name).write_text(text)
    with pytest.raises(TemplateError) as info:
        render(name, [tmp_path])
    assert message in str(info.value) and "\n" not in str(info.value)


def test_user_templates_are_searched_first(tmp_path):
    (tmp_path / "fragment.tex.j2").write_text("mine")
    assert render("fragment.tex.j2", [tmp_path], parts=()) == "mine"
    assert environment([tmp_path]) is environment([tmp_path])


@pytest.mark.parametrize(
    "source, expected",
    [
        ("tanh(x) + 1 = 2*sigmoid(2*x)", r"$\tanh{\left(x \right)} + 1 = 2 \sigma\left(2 x\right)$"),
        ("KL(Normal(mu, sigma^2), Normal(0, 1))",
         r"$D_{\mathrm{KL}}\left(\mathcal{N}\left(\mu, \sigma^{2}\right) \,\middle\|\, \mathcal{N}\left(0, 1\right)\right)$"),
        ("RMS(y) <= 1", r"$\operatorname{RMS}\left(y\right) \leq 1$"),
        ("d_in", r"$d_{\mathrm{in}}$"),
        ("N*S", r"$N S$"),
        ("1/sqrt(d)", r"$\frac{1}{\sqrt{d}}$"),
    ],
)
def test_prose_math_is_printed_by_the_printer(source, expected):
    assert prose_math(source) == expected


@pytest.mark.parametrize("source", ["1 +", "import os", "__import__('os').system('true')", "E"])
def test_prose_math_rejects_what_is_not_an_expression(source):
    with pytest.raises(ProseMathError):
        prose_math(source)


def test_literal_dollar_and_escaping():
    assert escape_prose(r"costs \$5 & 10% of {x}") == r"costs \$5 \& 10\% of \{x\}"


@pytest.mark.parametrize(
    "value, expected",
    [
        (sp.Matrix([[1, 2], [3, 4]]), r"\begin{bmatrix}1 & 2\\3 & 4\end{bmatrix}"),
        ([1, sp.Rational(1, 2)], r"\left(1, \frac{1}{2}\right)"),
        ("28x28x10", r"\text{28x28x10}"),
        (0.25, "0.25"),
    ],
)
def test_tex_value(value, expected):
    assert tex_value(value) == expected
