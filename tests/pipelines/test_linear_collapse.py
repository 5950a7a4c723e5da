"""linear_collapse against numpy: random stacks of affine layers and random matrix ranks."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive import cli


def evaluate(expr, arrays: dict[str, np.ndarray]) -> np.ndarray:
    """Evaluate a matrix expression of MatrixSymbols with numpy arrays."""
    subs = {s: sp.ImmutableMatrix(arrays[s.name]) for s in expr.atoms(sp.MatrixSymbol)}
    return np.array(sp.ImmutableMatrix(expr.xreplace(subs).doit()).tolist(), dtype=float)


@pytest.mark.parametrize("layers", [1, 2, 3, 4])
def test_collapsed_layer_equals_the_stack(derive_run, layers):
    r = derive_run("linear_collapse", layers=layers).results
    rng = np.random.default_rng(layers)
    arrays: dict[str, np.ndarray] = {}
    # shapes as the pipeline declares them; values random
    for s in r["W_eff"].atoms(sp.MatrixSymbol) | r["b_eff"].atoms(sp.MatrixSymbol):
        arrays[s.name] = rng.integers(-3, 4, size=s.shape).astype(float)
    ws = [arrays[f"W_{l}"] for l in range(1, layers + 1)]
    bs = [arrays[f"b_{l}"] for l in range(1, layers + 1)]
    x = rng.normal(size=(ws[0].shape[1], 1))
    h = x
    for W, b in zip(ws, bs):      # the stack, layer by layer
        h = W @ h + b
    assert np.allclose(evaluate(r["W_eff"], arrays) @ x + evaluate(r["b_eff"], arrays), h)


def test_two_layer_form_by_hand(derive_run):
    r = derive_run("linear_collapse").results
    W1, W2 = sp.MatrixSymbol("W_1", 3, 2), sp.MatrixSymbol("W_2", 4, 3)
    b1, b2 = sp.MatrixSymbol("b_1", 3, 1), sp.MatrixSymbol("b_2", 4, 1)
    assert r["W_eff"] == sp.MatMul(W2, W1)
    assert r["b_eff"] == sp.MatAdd(sp.MatMul(W2, b1), b2)


@pytest.mark.parametrize("m, n", [(2, 10), (3, 5), (4, 4), (6, 2)])
def test_rank_bound_holds_for_random_products(derive_run, m, n):
    bound = derive_run("linear_collapse", m=m, n=n).results["rank_bound"]
    rng = np.random.default_rng(m * 100 + n)
    for _ in range(20):
        W1, W2 = rng.normal(size=(m, n)), rng.normal(size=(n, m))
        assert np.linalg.matrix_rank(W2 @ W1) <= bound
    # generic matrices attain the bound; a rank-one W1 stays below it
    assert np.linalg.matrix_rank(rng.normal(size=(n, m)) @ rng.normal(size=(m, n))) == min(m, n)
    u, v = rng.normal(size=(m, 1)), rng.normal(size=(1, n))
    assert np.linalg.matrix_rank(rng.normal(size=(n, m)) @ (u @ v)) == 1
    assert bound == min(m, n)


@pytest.mark.parametrize("params, message", [
    (["layers=L"], "linear_collapse: layers must be a number (part (b) proves every depth by induction)"),
    (["layers=7"], "linear_collapse: layers=7 is more than 6; part (b) covers deeper stacks"),
    (["m=0"], "linear_collapse: m=0 is outside the domain: m is an integer >= 1"),
])
def test_bad_input_is_one_line(run_error, params, message):
    assert run_error("linear_collapse", params) == message


def test_cli_json(capsys):
    import json

    assert cli.main(["run", "linear_collapse", "--set", "layers=3", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)["results"]
    assert out["W_eff"]["sympy"] == "W_3*W_2*W_1"
    assert out["rank_bound"]["sympy"] == "2"
