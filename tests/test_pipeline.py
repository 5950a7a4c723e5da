"""Every registered pipeline: fixed result keys, verified defaults, JSON that SymPy reads."""
from __future__ import annotations

import json

import pytest
import sympy as sp

from derive import pipeline as pl
from derive.cli import derivation_json
from derive.domains import POSITIVE
from derive.errors import ParameterError
from derive.pipeline import AuthoringError, Inputs, Param, PipelineSpec

NAMES = sorted(pl.load_all())


def _leaves(value):
    if isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    else:
        yield value


@pytest.mark.parametrize("name", NAMES)
def test_default_instance_verifies_and_exports_its_declared_results(derive_run, name):
    spec = pl.get(name)
    vd = derive_run(name)
    assert set(spec.results) <= set(vd.results), f"{name} is missing result keys"
    statuses = [v.status for part in vd.verdicts for v in part]
    assert statuses and set(statuses) <= {"proved", "numeric"}
    data = json.loads(json.dumps(derivation_json(vd)))
    for key in spec.results:
        for leaf in _leaves(data["results"][key]["sympy"]):
            if isinstance(leaf, str) and not _is_label(leaf):
                parsed = sp.sympify(leaf)
                assert not parsed.atoms(sp.core.function.AppliedUndef), f"{name}.{key}: {leaf}"


def _is_label(text: str) -> bool:
    """Shape strings such as 28x28x10 are labels, not expressions."""
    return "x" in text and all(part.isdigit() for part in text.split("x"))


def test_parameters_are_checked_against_their_domain():
    spec = pl.get("gaussian_kl")
    assert pl.parse_value(spec, "sigma1", "sqrt(2)") == sp.sqrt(2)
    with pytest.raises(ParameterError, match=r"^gaussian_kl: sigma1=-1 is outside the domain: sigma1 > 0$"):
        pl.parse_value(spec, "sigma1", "-1")


def test_new_names_in_a_value_inherit_the_parameter_domain():
    value = pl.parse_value(pl.get("gaussian_kl"), "sigma1", "2*s")
    (s,) = value.free_symbols
    assert s.is_positive


def test_decimals_are_exact():
    assert pl.parse_value(pl.get("gaussian_kl"), "mu1", "0.1") == sp.Rational(1, 10)


def test_a_boxed_result_must_be_established_by_a_step():
    spec = PipelineSpec("demo", "Demo", (Param("s", POSITIVE),), (), lambda p: None)
    d = Inputs(spec, {}).builder()
    a = d.part("a")
    a.eq(sp.Symbol("s", positive=True) ** 2, sp.Symbol("s", positive=True) ** 2, "trivial")
    with pytest.raises(AuthoringError, match="is not established by a step of part a"):
        a.result("r", sp.Symbol("r"), 42)
