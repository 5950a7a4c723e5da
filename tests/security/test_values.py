"""Every entry point where user text becomes SymPy: no payload runs code.

``--set`` values and spec values of every expression parameter of every
pipeline, JSON entries (matrices, vectors, objects) of every JSON parameter,
and ``$...$`` in statement and prose text.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy as sp

from derive import pipeline as pl
from derive.errors import DeriveError, ParameterError
from derive.render import ProseMathError, escape_prose

from .payloads import code_payloads

N_PAYLOADS = len(code_payloads(Path("/m")))
REGISTRY = pl.load_all()
EXPR_PARAMS = [(s.name, p.name) for s in REGISTRY.values() for p in s.params if p.kind == "expr"]
JSON_PARAMS = [(s.name, p.name) for s in REGISTRY.values() for p in s.params if p.kind == "json"]


@pytest.mark.parametrize("name, key", EXPR_PARAMS)
def test_set_values_never_run_code(tmp_path, name, key):
    marker = tmp_path / "pwned"
    for text in code_payloads(marker):
        with pytest.raises(ParameterError):
            pl.parse_value(REGISTRY[name], key, text)
    assert not marker.exists()


@pytest.mark.parametrize("shape", ["bare", "list", "matrix", "object"])
@pytest.mark.parametrize("name, key", JSON_PARAMS)
def test_json_entries_never_run_code(tmp_path, name, key, shape):
    marker = tmp_path / "pwned"
    for text in code_payloads(marker)[:8]:
        value = {"bare": text, "list": [text, 1], "matrix": [[text, 1], [1, 1]], "object": {"w1": text}}[shape]
        try:
            pl.run(name, {key: json.dumps(value) if shape != "bare" else value})
        except DeriveError:
            pass
    assert not marker.exists()


@pytest.mark.parametrize("i", range(N_PAYLOADS))
def test_statement_math_never_runs_code(tmp_path, i):
    marker = tmp_path / "pwned"
    with pytest.raises(ProseMathError):
        escape_prose(f"Let ${code_payloads(marker)[i]}$ be given.")
    assert not marker.exists()


@pytest.mark.parametrize("i", [0, 1, 5])
def test_cli_set_gives_one_line(tmp_path, run_error, i):
    marker = tmp_path / "pwned"
    line = run_error("gaussian_kl", [f"mu1={code_payloads(marker)[i]}"])
    assert line.startswith("gaussian_kl: mu1=")
    assert not marker.exists()


@pytest.mark.parametrize("raw, message", [
    ("nan", "gaussian_kl: sigma1=nan: value is not finite"),
    ("oo", "gaussian_kl: sigma1=oo: value is not finite"),
    ("-x", "gaussian_kl: sigma1=-x is outside the domain: sigma1 > 0"),
    ("-1", "gaussian_kl: sigma1=-1 is outside the domain: sigma1 > 0"),
    ("I", "gaussian_kl: sigma1=I is outside the domain: sigma1 > 0"),
    (float("nan"), "gaussian_kl: sigma1=NaN: value is not finite"),
    (float("inf"), "gaussian_kl: sigma1=Infinity: value is not finite"),
    ("exp(10**5)", "gaussian_kl: sigma1=exp(10**5): too large: exp(100000)"),
])
def test_values_outside_the_domain_are_refused(raw, message):
    with pytest.raises(ParameterError) as info:
        pl.parse_value(REGISTRY["gaussian_kl"], "sigma1", raw)
    assert str(info.value) == message


def test_a_name_in_a_value_inherits_the_domain():
    v = pl.parse_value(REGISTRY["gaussian_kl"], "sigma1", "2*s")
    assert v.free_symbols == {sp.Symbol("s", positive=True)}


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "[NaN]", "[[1, -Infinity]]", "1" * 5000])
def test_json_constants_and_huge_integers_are_refused(raw):
    with pytest.raises(ParameterError):
        pl.run("conv2d", {"input": raw})


@pytest.mark.parametrize("raw, expected", [
    ("[0.9999999999999999999]", sp.Rational(9999999999999999999, 10**19)),
    ("[0.1]", sp.Rational(1, 10)),
    ("[2.50]", sp.Rational(5, 2)),
    ("[1e-3]", sp.Rational(1, 1000)),
])
def test_json_decimals_keep_their_written_digits(raw, expected):
    from derive.pipelines._jsonvalues import to_expr

    value = pl.parse_value(REGISTRY["hyperparam_search"], "q", raw)[0]
    assert to_expr(value, "q") == expected


def test_json_decimal_with_a_huge_exponent_is_refused():
    from derive.pipelines._jsonvalues import to_expr

    value = pl.parse_value(REGISTRY["hyperparam_search"], "q", "[1e-5000]")[0]
    with pytest.raises(ParameterError, match="^q: too large: the number 1e-5000$"):
        to_expr(value, "q")


def carried(name: str, **raw: str) -> dict[str, str]:
    """The assumptions a pipeline's values carry: name -> description."""
    values, domains = pl.parse_values(REGISTRY[name], raw)
    return {s.name: d.describe(s.name) for s, d in domains.items()}


@pytest.mark.parametrize("name, raw, expected", [
    ("gaussian_kl", {"sigma1": "x-1"}, {"x": "x > 1"}),
    ("gaussian_kl", {"sigma1": "x+1"}, {"x": "x > 0"}),              # inherited, nothing to narrow
    ("gaussian_kl", {"sigma1": "2*s"}, {"s": "s > 0"}),
    ("gaussian_kl", {"sigma1": "x-1", "sigma2": "3-x"}, {"x": "x > 1 and x < 3"}),
    ("gaussian_kl", {"sigma1": "x/2 - 5/4"}, {"x": "x > 2.5"}),
    ("gaussian_kl", {"mu1": "x-1"}, {"x": "x is real"}),              # a real parameter asks nothing
    ("adam_bias_correction", {"beta1": "b/2"}, {"b": "b > 0 and b < 1"}),
    ("signal_convolution", {"a": "c"}, {"c": "c > -1 and c < 1"}),
    ("conv_layer", {"P": "n-2"}, {"n": "n is an integer >= 2"}),
    ("adam_bias_correction", {"t": "n-3"}, {"n": "n is an integer >= 4"}),
])
def test_a_name_in_a_value_carries_the_condition_into_the_assumptions(name, raw, expected):
    assert carried(name, **raw) == expected


@pytest.mark.parametrize("name, raw, message", [
    ("gaussian_kl", {"sigma1": "x-y"},
     "gaussian_kl: sigma1=x-y: cannot tell that x - y > 0 for every allowed x, y; "
     "use a value with one name (such as x + 1) or a number"),
    ("gaussian_kl", {"sigma1": "(x-1)**2"},
     "gaussian_kl: sigma1=(x-1)**2: needs x in Union(Interval.open(0, 1), Interval.open(1, oo)), "
     "which derive cannot carry as an assumption; use a simpler value (such as x + 1) or a number"),
    ("gaussian_kl", {"sigma1": "x**2-2"},
     "gaussian_kl: sigma1=x**2-2: needs x in Interval.open(sqrt(2), oo), which derive cannot carry "
     "as an assumption; use a simpler value (such as x + 1) or a number"),
    ("gaussian_kl", {"sigma1": "1-x", "sigma2": "x-2"},
     "gaussian_kl: sigma1=1-x, sigma2=x-2 is outside the domain for every value of x"),
    ("gaussian_kl", {"sigma1": "-x"}, "gaussian_kl: sigma1=-x is outside the domain: sigma1 > 0"),
    ("adam_bias_correction", {"t": "n/2"},
     "adam_bias_correction: t=n/2: cannot tell that n/2 is an integer (t is an integer >= 1); "
     "use a value built from names and integers"),
])
def test_a_condition_that_cannot_be_carried_is_refused(name, raw, message):
    with pytest.raises(ParameterError) as info:
        pl.parse_values(REGISTRY[name], raw)
    assert str(info.value) == message


def test_the_carried_condition_is_an_assumption_of_the_derivation():
    from derive.domains import domain_of

    import derive

    vd = derive.run("gaussian_kl", sigma1="x-1")
    x = sp.Symbol("x", positive=True)
    assert domain_of(x, vd.derivation.domains).describe("x") == "x > 1"
    assert vd.derivation.steps()[-1].rhs.has(sp.log(1 / (x - 1)))      # log(1/(x-1)): real only for x > 1
    assert all(c.verdict.status in ("proved", "numeric") for _, cs in vd.checked_parts() for c in cs)
