"""Fuzzing (hypothesis): --set values, statement math, spec shapes and checked LaTeX.

Whatever the input, the outcome is a value or one ``DeriveError`` (the CLI's
one error line) within a bound, never another exception.  Sizes are modest so
this runs in CI; ``deadline=None`` because the machine is shared.
"""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from derive import expr as X
from derive import pipeline as pl
from derive.errors import DeriveError
from derive.render import ProseMathError, escape_prose

pl.load_all()           # imports are not part of any bound
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TOKENS = ["x", "y", "2", "0.5", "10", "**", "^", "*", "/", "+", "-", "(", ")", "[", "]", ",", ".", "'", '"',
          "sqrt(", "exp(", "log(", "factorial(", "Sum(", "Matrix(", "Symbol(", "Indexed(", "E(", "KL(", "Normal(",
          "__", "lambda", ":", "=", "T", "1e999", "9" * 50, "\\input{/etc/passwd}", "oo", "nan", "I", " "]

expressionish = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=25).map("".join),
    st.text(max_size=60),
)


@FUZZ
@given(expressionish)
def test_expr_reader_only_raises_expr_error(text):
    start = time.monotonic()
    for profile in (X.VALUE, X.PROSE):
        try:
            X.parse(text, profile)
        except X.ExprError:
            pass
    assert time.monotonic() - start < 5


@FUZZ
@given(expressionish, st.sampled_from([("gaussian_kl", "sigma1"), ("gaussian_kl", "mu1"),
                                       ("adam_bias_correction", "t"), ("conv_layer", "P")]))
def test_set_values_give_a_value_or_one_parameter_error(text, target):
    name, key = target
    start = time.monotonic()
    try:
        pl.parse_value(pl.get(name), key, text)
    except DeriveError:
        pass
    assert time.monotonic() - start < 5


@FUZZ
@given(expressionish)
def test_statement_math_gives_tex_or_a_prose_math_error(text):
    try:
        out = escape_prose(f"Let ${text}$ hold.") if "$" not in text else None
    except (ProseMathError, KeyError):
        return
    if out is not None:
        assert "\\input" not in out


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
KEYS = ["title", "course", "problem", "id", "pipeline", "statement", "params", "prose", "text", "part", "heading",
        "value", "vary", "range", "mu1", "L"]


@FUZZ
@given(st.dictionaries(st.sampled_from(KEYS), json_values, max_size=4),
       st.dictionaries(st.sampled_from(KEYS), json_values, max_size=5))
def test_spec_shapes_give_a_spec_or_one_error(top, problem):
    from derive.sheet import parse_spec

    data = {"title": "T", **top}
    if "problem" not in top:
        data["problem"] = [{"id": "P", "title": "t", "pipeline": "receptive_field", **problem}]
    try:
        parse_spec(data, "s", "s.toml")
    except DeriveError:
        pass


LATEX = ["$", "$$", "\\[", "\\]", "x", "=", "+", "1", "2", "\\frac{", "}", "{", "^", "_", "\\sqrt{", "\\left(",
         "\\right)", "\\mathbb{E}[", "]", "\\|", "\\begin{align}", "\\end{align}", "&", "\\\\", "\\le", "\\input{x}",
         "^^5c", "%", "\n", "\\def\\q{\\q}", "10^{10^{10}}", "\\sum_{i=1}^{n}", "\\partial"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LATEX), max_size=30).map("".join))
def test_checked_latex_gives_a_report(src):
    from derive.check import check_text

    start = time.monotonic()
    try:
        report = check_text(src, timeout=1.0)
    except DeriveError:
        return
    assert all(s.verdict in ("valid", "invalid", "unknown", "unparsed", "given") for s in report.steps)
    assert time.monotonic() - start < 60
