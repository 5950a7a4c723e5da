"""tanh_sigmoid against numpy: the identity on a grid, and tanh vs sigmoid MLPs."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive.cli import derivation_json


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


@pytest.fixture(scope="module")
def vd(derive_run):
    return derive_run("tanh_sigmoid")


@pytest.fixture(scope="module")
def results_json(vd) -> dict:
    return derivation_json(vd)["results"]


def test_result_keys_are_exactly_the_documented_ones(vd):
    assert set(vd.results) == {"tanh_via_sigmoid", "sigmoid_via_tanh"}


@pytest.mark.parametrize("key, reference", [
    ("tanh_via_sigmoid", np.tanh),
    ("sigmoid_via_tanh", sigmoid),
])
def test_json_results_match_numpy_on_a_grid(results_json, key, reference):
    text = results_json[key]["sympy"]
    assert "Sigmoid" not in text          # only SymPy built-ins in JSON
    expr = sp.sympify(text)
    assert {s.name for s in expr.free_symbols} == {"x"}
    f = sp.lambdify([s for s in expr.free_symbols], expr, "numpy")
    grid = np.linspace(-6, 6, 241)
    np.testing.assert_allclose(f(grid), reference(grid), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("x", [-3.5, -0.25, 0.0, 1.0, 7.0])
def test_identity_at_numeric_points(vd, x):
    """tanh(x) + 1 = 2 sigma(2x), with the boxed values evaluated at numbers."""
    sym = sp.Symbol("x", real=True)
    value = float(vd.results["tanh_via_sigmoid"].subs(sym, x).rewrite(sp.exp))
    assert value == pytest.approx(np.tanh(x), abs=1e-14)
    assert float(vd.results["sigmoid_via_tanh"].subs(sym, x)) == pytest.approx(sigmoid(x), abs=1e-14)


def _mapping(vd, rule: str, index: int) -> dict:
    """The parameter map of part (b), read from the facts of its ``definition`` steps."""
    part = next(p for p in vd.derivation.parts if p.label == "b")
    steps = [s for s in part.steps if s.why.rule == rule]
    return dict(steps[index].facts)


def _evaluate(expr: sp.Expr, values: dict, j: int, k: int | None = None) -> float:
    js = {s.name: s for s in expr.free_symbols if isinstance(s, sp.Symbol)}
    sub = {js[n]: v for n, v in (("j", j), ("k", k)) if n in js and v is not None}
    e = expr.xreplace(sub).doit()
    return float(e.xreplace(values))


def _network(seed: int, H: int, D: int):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(H, D)), rng.normal(size=H), rng.normal(size=H), float(rng.normal())


@pytest.mark.parametrize("seed, H, D", [(0, 1, 1), (1, 3, 2), (2, 5, 4)])
def test_forward_mapping_gives_the_same_function(vd, seed, H, D):
    """A numpy tanh MLP and the sigmoid MLP with the pipeline's mapped weights agree."""
    W, b, v, c = _network(seed, H, D)
    facts = _mapping(vd, "definition", 0)   # tanh -> sigmoid
    base = {s.base.label.name if isinstance(s, sp.Indexed) else s.name: val for s, val in facts.items()}
    assert set(base) == {"vtilde", "wtilde", "btilde", "ctilde"}
    w_, b_, v_ = (sp.IndexedBase(n, real=True) for n in ("w", "b", "v"))
    values = {w_[j + 1, k + 1]: W[j, k] for j in range(H) for k in range(D)}
    values |= {b_[j + 1]: b[j] for j in range(H)} | {v_[j + 1]: v[j] for j in range(H)}
    values[sp.Symbol("c", real=True)] = c
    H_sym = sp.Symbol("H", integer=True, positive=True)
    Wt = np.array([[_evaluate(base["wtilde"], values, j + 1, k + 1) for k in range(D)] for j in range(H)])
    bt = np.array([_evaluate(base["btilde"], values, j + 1) for j in range(H)])
    vt = np.array([_evaluate(base["vtilde"], values, j + 1) for j in range(H)])
    ct = float(base["ctilde"].xreplace({H_sym: H}).doit().xreplace(values))
    X = np.random.default_rng(seed + 100).normal(size=(50, D))
    tanh_out = np.tanh(X @ W.T + b) @ v + c
    sig_out = sigmoid(X @ Wt.T + bt) @ vt + ct
    np.testing.assert_allclose(sig_out, tanh_out, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(Wt, 2 * W)    # and the map is the one the sheet states
    assert ct == pytest.approx(c - v.sum())


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_backward_mapping_gives_the_same_function(vd, seed):
    H, D = 4, 3
    Wt, bt, vt, ct = _network(seed, H, D)
    facts = _mapping(vd, "definition", 1)   # sigmoid -> tanh
    base = {s.base.label.name if isinstance(s, sp.Indexed) else s.name: val for s, val in facts.items()}
    w_, b_, v_ = (sp.IndexedBase(n, real=True) for n in ("wtilde", "btilde", "vtilde"))
    values = {w_[j + 1, k + 1]: Wt[j, k] for j in range(H) for k in range(D)}
    values |= {b_[j + 1]: bt[j] for j in range(H)} | {v_[j + 1]: vt[j] for j in range(H)}
    values[sp.Symbol("ctilde", real=True)] = ct
    W = np.array([[_evaluate(base["w"], values, j + 1, k + 1) for k in range(D)] for j in range(H)])
    b = np.array([_evaluate(base["b"], values, j + 1) for j in range(H)])
    v = np.array([_evaluate(base["v"], values, j + 1) for j in range(H)])
    c = float(base["c"].xreplace({sp.Symbol("H", integer=True, positive=True): H}).doit().xreplace(values))
    X = np.random.default_rng(seed).normal(size=(50, D))
    np.testing.assert_allclose(np.tanh(X @ W.T + b) @ v + c, sigmoid(X @ Wt.T + bt) @ vt + ct,
                               rtol=1e-12, atol=1e-12)


def _forward_maps(vd):
    """The pipeline's tanh -> sigmoid map as numpy functions: ``hidden(W, b)`` for a hidden
    layer (argument doubled) and ``output(V, c)`` for the layer read by the units' outputs."""
    base = {s.base.label.name if isinstance(s, sp.Indexed) else s.name: val
            for s, val in _mapping(vd, "definition", 0).items()}
    w_, b_, v_ = (sp.IndexedBase(n, real=True) for n in ("w", "b", "v"))
    c_, H_sym = sp.Symbol("c", real=True), sp.Symbol("H", integer=True, positive=True)

    def hidden(W, b):
        H, D = W.shape
        values = {w_[j + 1, k + 1]: W[j, k] for j in range(H) for k in range(D)} | {b_[j + 1]: b[j] for j in range(H)}
        return (np.array([[_evaluate(base["wtilde"], values, j + 1, k + 1) for k in range(D)] for j in range(H)]),
                np.array([_evaluate(base["btilde"], values, j + 1) for j in range(H)]))

    def output(V, c):
        rows, H = V.shape
        Vt, ct = np.empty_like(V), np.empty(rows)
        for r in range(rows):
            values = {v_[j + 1]: V[r, j] for j in range(H)} | {c_: c[r]}
            Vt[r] = [_evaluate(base["vtilde"], values, j + 1) for j in range(H)]
            ct[r] = float(base["ctilde"].xreplace({H_sym: H}).doit().xreplace(values))
        return Vt, ct

    return hidden, output


def test_deep_mapping_stated_in_the_sheet_follows_from_the_pipeline_map(vd):
    """Two hidden layers, by composing the pipeline's one-layer map: each layer's pre-activation is
    an "output" of the units below it, and then (being a tanh unit itself) a "hidden" layer.  The
    result is the map the prose of problem A3 (b) states: W1~ = 2 W1, b1~ = 2 b1; hidden-to-hidden
    weights x4, biases 2 (b - W 1); output weights x2 and bias b_out - W_out 1."""
    hidden, output = _forward_maps(vd)
    rng = np.random.default_rng(7)
    W1, b1 = rng.normal(size=(4, 3)), rng.normal(size=4)
    W2, b2 = rng.normal(size=(5, 4)), rng.normal(size=5)
    W3, b3 = rng.normal(size=(2, 5)), rng.normal(size=2)
    X = rng.normal(size=(30, 3))
    W1t, b1t = hidden(W1, b1)
    W2t, b2t = hidden(*output(W2, b2))
    W3t, b3t = output(W3, b3)
    tanh_out = np.tanh(np.tanh(X @ W1.T + b1) @ W2.T + b2) @ W3.T + b3
    sig_out = sigmoid(sigmoid(X @ W1t.T + b1t) @ W2t.T + b2t) @ W3t.T + b3t
    np.testing.assert_allclose(sig_out, tanh_out, rtol=1e-12, atol=1e-12)
    # ... and the composed map is the one the sheet's prose states.
    for got, stated in [(W1t, 2 * W1), (b1t, 2 * b1), (W2t, 4 * W2), (b2t, 2 * (b2 - W2.sum(axis=1))),
                        (W3t, 2 * W3), (b3t, b3 - W3.sum(axis=1))]:
        np.testing.assert_allclose(got, stated, rtol=1e-12, atol=1e-12)


def test_every_step_has_a_passing_verdict(vd):
    verdicts = [v for part in vd.verdicts for v in part]
    assert len(verdicts) >= 10
    assert all(v.status in ("proved", "numeric") for v in verdicts)
    # Part (b) uses part (a) as facts, which the verifier checked against (a).
    assert [p.label for p in vd.derivation.parts] == ["a", "b"]
