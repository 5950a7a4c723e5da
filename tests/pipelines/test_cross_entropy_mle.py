"""cross_entropy_mle against numpy: likelihood of random one-hot data vs summed cross-entropy."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive.cli import derivation_json

Y = sp.IndexedBase("y", nonnegative=True)
YHAT = sp.IndexedBase("yhat", positive=True)


def one_hot_data(N: int, C: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random labels and softmax predictions."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, C, size=N)
    y = np.eye(C)[labels]
    logits = rng.normal(size=(N, C))
    yhat = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    return y, yhat


def numpy_nll(y: np.ndarray, yhat: np.ndarray) -> float:
    """-log of the likelihood prod_i P(label_i), computed from the class probabilities."""
    labels = y.argmax(axis=1)
    return -float(np.log(np.prod(yhat[np.arange(len(labels)), labels])))


def evaluate(expr: sp.Expr, y: np.ndarray, yhat: np.ndarray, limits: dict | None = None) -> float:
    N, C = y.shape
    e = expr.xreplace(limits or {}).doit()
    values = {Y[i + 1, c + 1]: sp.Float(y[i, c]) for i in range(N) for c in range(C)}
    values |= {YHAT[i + 1, c + 1]: sp.Float(yhat[i, c]) for i in range(N) for c in range(C)}
    return float(e.xreplace(values))


@pytest.mark.parametrize("N, C, seed", [(1, 2, 0), (2, 3, 1), (4, 2, 2), (5, 5, 3)])
def test_numeric_instances_match_numpy(derive_run, N, C, seed):
    vd = derive_run("cross_entropy_mle", N=N, C=C)
    nll = vd.results["neg_log_likelihood"]
    assert {s.name for s in nll.free_symbols if isinstance(s, sp.Symbol)} <= {"y", "yhat"}
    y, yhat = one_hot_data(N, C, seed)
    assert evaluate(nll, y, yhat) == pytest.approx(numpy_nll(y, yhat), rel=1e-12)
    # ... and equals the summed cross-entropy -sum_c y log yhat of each example.
    ce = -(y * np.log(yhat)).sum()
    assert evaluate(nll, y, yhat) == pytest.approx(ce, rel=1e-12)


def test_symbolic_default_at_several_sizes(derive_run):
    vd = derive_run("cross_entropy_mle")
    nll = vd.results["neg_log_likelihood"]
    N, C = sp.Symbol("N", integer=True, positive=True), sp.Symbol("C", integer=True, positive=True)
    assert {N, C} <= nll.free_symbols
    for n, c, seed in [(3, 4, 10), (6, 2, 11), (2, 7, 12)]:
        y, yhat = one_hot_data(n, c, seed)
        assert evaluate(nll, y, yhat, {N: n, C: c}) == pytest.approx(numpy_nll(y, yhat), rel=1e-12)


@pytest.mark.parametrize("params, N, C", [({"N": 2, "C": 3}, 2, 3), ({}, 3, 4)])
def test_json_result_parses_back_with_sympify(derive_run, params, N, C):
    out = derivation_json(derive_run("cross_entropy_mle", **params))
    assert set(out["results"]) == {"neg_log_likelihood"}
    expr = sp.sympify(out["results"]["neg_log_likelihood"]["sympy"])
    names = {s.name: s for s in expr.free_symbols if isinstance(s, sp.Symbol)}
    expr = expr.xreplace({names[k]: v for k, v in (("N", N), ("C", C)) if k in names}).doit()
    y, yhat = one_hot_data(N, C, 5)
    values = {sp.Indexed("y", i + 1, c + 1): y[i, c] for i in range(N) for c in range(C)}
    values |= {sp.Indexed("yhat", i + 1, c + 1): yhat[i, c] for i in range(N) for c in range(C)}
    assert float(expr.xreplace(values)) == pytest.approx(numpy_nll(y, yhat), rel=1e-12)


def test_maximum_likelihood_is_minimum_cross_entropy_on_a_model_family(derive_run):
    """Over a grid of temperature-scaled softmax models, the numpy likelihood is largest where the
    pipeline's negative log-likelihood (the summed cross-entropy) is smallest, and the two agree."""
    N, C = 6, 3
    nll = derive_run("cross_entropy_mle", N=N, C=C).results["neg_log_likelihood"]
    rng = np.random.default_rng(4)
    y, _ = one_hot_data(N, C, 6)
    logits = rng.normal(size=(N, C)) + 2 * y
    likelihoods, derived = [], []
    for temp in np.linspace(0.2, 5, 25):
        p = np.exp(logits / temp) / np.exp(logits / temp).sum(axis=1, keepdims=True)
        likelihoods.append(np.prod(p[y.astype(bool)]))
        derived.append(evaluate(nll, y, p))
        assert derived[-1] == pytest.approx(-np.log(likelihoods[-1]), rel=1e-10)
    assert int(np.argmax(likelihoods)) == int(np.argmin(derived))


def test_every_step_has_a_passing_verdict(derive_run):
    vd = derive_run("cross_entropy_mle", N=3, C=2)
    verdicts = [v for part in vd.verdicts for v in part]
    assert verdicts and all(v.status in ("proved", "numeric") for v in verdicts)
    # The order equivalences of part (c) are proved, not sampled.
    part_c = dict(zip((p.label for p in vd.derivation.parts), vd.verdicts))["c"]
    assert [v.status for v in part_c] == ["proved", "proved"]
