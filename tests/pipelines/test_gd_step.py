"""gd_step against central finite differences and a plain-Python update loop."""
from __future__ import annotations

import json
import math

import pytest
import sympy as sp

from derive import cli

NS = {"exp": math.exp, "log": math.log, "sin": math.sin, "cos": math.cos, "tanh": math.tanh}


def loss_at(expr: str, point: dict[str, float]) -> float:
    """Evaluate the loss string with Python's own arithmetic (no SymPy)."""
    return eval(expr.replace("^", "**"), dict(NS), dict(point))  # noqa: S307 - test inputs only


def reference_step(expr: str, point: dict[str, float], eta: float, h: float = 1e-6):
    grad = {}
    for k in point:
        up, down = dict(point), dict(point)
        up[k] += h
        down[k] -= h
        grad[k] = (loss_at(expr, up) - loss_at(expr, down)) / (2 * h)
    new = {k: v - eta * grad[k] for k, v in point.items()}
    return grad, new, loss_at(expr, point), loss_at(expr, new)


CASES = [
    ("w3*(w1 + w2)", {"w1": 1, "w2": 2.3, "w3": 5.7}, 0.01),
    ("(w1 - 3)**2 + 2*w2**2", {"w1": 0.5, "w2": -1}, 0.1),
    ("log(1 + exp(-a*b))", {"a": 2, "b": -0.5}, 0.5),
    ("w**2", {"w": 1}, 1.5),                         # eta too large: the loss goes up
    ("x*y + y**3", {"x": -2, "y": 1.5, "z": 4}, 0.05),  # z does not enter the loss: zero gradient
]


@pytest.mark.parametrize("expr, point, eta", CASES)
def test_matches_finite_differences(derive_run, expr, point, eta):
    r = derive_run("gd_step", loss=expr, point=json.dumps(point), eta=str(eta)).results
    grad, new, before, after = reference_step(expr, {k: float(v) for k, v in point.items()}, eta)
    assert set(r["grad"]) == set(point)
    for k in point:
        assert float(r["grad"][k]) == pytest.approx(grad[k], abs=1e-6)
        assert float(r["new_point"][k]) == pytest.approx(new[k], abs=1e-6)
    assert float(sp.N(r["new_loss"])) == pytest.approx(after, rel=1e-6)
    assert float(sp.N(r["loss_before"])) == pytest.approx(before, rel=1e-9)
    assert r["decreased"] == ("yes" if after < before else "no")


def test_catalogue_values_by_hand(derive_run):
    r = derive_run("gd_step").results
    # dL/dw1 = dL/dw2 = w3 = 5.7, dL/dw3 = w1 + w2 = 3.3; one step with eta = 0.01.
    assert r["grad"] == {"w1": sp.Rational(57, 10), "w2": sp.Rational(57, 10), "w3": sp.Rational(33, 10)}
    assert r["new_point"] == {"w1": sp.Rational(943, 1000), "w2": sp.Rational(2243, 1000), "w3": sp.Rational(5667, 1000)}
    assert r["new_loss"] == sp.Rational(5667, 1000) * sp.Rational(3186, 1000)
    assert r["decreased"] == "yes"


def test_symbolic_learning_rate(derive_run):
    r = derive_run("gd_step", eta="eta").results
    eta = sp.Symbol("eta", positive=True)
    assert sp.expand(r["new_point"]["w3"] - (sp.Rational(57, 10) - eta * sp.Rational(33, 10))) == 0
    assert r["decreased"] == "undetermined (symbolic values)"


@pytest.mark.parametrize("params, message", [
    (["loss=w1*w9"], "gd_step: the loss uses w9, which the point does not give"),
    (["point=[1,2]"], 'gd_step: point must be a JSON object such as {"w1": 1, "w2": 2.3}'),
    (["eta=-1"], "gd_step: eta=-1 is outside the domain: eta > 0"),
])
def test_bad_input_is_one_line(run_error, params, message):
    assert run_error("gd_step", params) == message


def test_cli_json(capsys):
    assert cli.main(["run", "gd_step", "--set", 'point={"w1": 2, "w2": -1, "w3": 0.5}', "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)["results"]
    grad, new, _, after = reference_step("w3*(w1 + w2)", {"w1": 2, "w2": -1, "w3": 0.5}, 0.01)
    assert float(sp.Rational(out["new_loss"]["sympy"])) == pytest.approx(after)
    assert {k: float(sp.Rational(v)) for k, v in out["new_point"]["sympy"].items()} == pytest.approx(new)
