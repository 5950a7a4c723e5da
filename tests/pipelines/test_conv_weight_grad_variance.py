"""conv_weight_grad_variance against brute-force loops and Monte-Carlo."""
from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

from derive.pipelines.conv_weight_grad_variance import monte_carlo_dw

INSTANCES = [(10, 3, 1, 2), (5, 5, "1/2", 3), (7, 1, "sqrt(2)", "3/4"), (12, 4, 2, "1/3")]


def brute_force_dw(x: np.ndarray, dy: np.ndarray, k: int) -> np.ndarray:
    """dL/dw by finite differences of L = sum(dy * conv(x, w)), with loops."""
    n, m = x.shape[0], dy.shape[0]

    def loss(w: np.ndarray) -> float:
        total = 0.0
        for i in range(m):
            for j in range(m):
                total += dy[i, j] * sum(x[i + h, j + l] * w[h, l] for h in range(k) for l in range(k))
        return total

    w0, eps, grad = np.zeros((k, k)), 1.0, np.zeros((k, k))
    for h in range(k):
        for l in range(k):
            e = np.zeros((k, k))
            e[h, l] = eps
            grad[h, l] = (loss(w0 + e) - loss(w0 - e)) / (2 * eps)   # exact: L is linear in w
    return grad


def mc_moments(n: int, k: int, sx: float, sg: float, samples: int = 40_000) -> tuple[float, float, float]:
    """Mean and variance of dw_hl for a middle (h, l), from an independent sampler."""
    rng = np.random.default_rng(7)
    m = n - k + 1
    h, l = k // 2, (k - 1) // 2
    x = sx * rng.standard_normal((samples, n, n))
    dy = sg * rng.standard_normal((samples, m, m))
    dw = np.einsum("sij,sij->s", x[:, h:h + m, l:l + m], dy)
    var = dw.var(ddof=1)
    se = math.sqrt(np.mean((dw - dw.mean()) ** 4) - var**2) / math.sqrt(samples)
    return float(dw.mean()), float(var), se


@pytest.mark.parametrize("n, k, sigma_x, sigma_g", INSTANCES)
def test_numeric_instances_match_monte_carlo(derive_run, n, k, sigma_x, sigma_g):
    vd = derive_run("conv_weight_grad_variance", n=n, k=k, sigma_x=sigma_x, sigma_g=sigma_g)
    sx, sg = float(sp.sympify(sigma_x)), float(sp.sympify(sigma_g))
    mean, var, se = mc_moments(n, k, sx, sg)
    assert float(vd.results["mean"]) == 0
    assert abs(float(vd.results["variance"]) - var) <= 5 * se
    assert abs(float(vd.results["mean"]) - mean) <= 5 * math.sqrt(var / 40_000)
    assert float(vd.results["std"]) ** 2 == pytest.approx(float(vd.results["variance"]), rel=1e-12)
    checks = [c for part in vd.derivation.parts for c in part.checks]
    assert len(checks) == 2 and all(c.ok for c in checks)


def test_gradient_formula_matches_brute_force(derive_run):
    """Part (a)'s derived sum for dL/dw_hl, evaluated on random data, against finite
    differences of the convolution."""
    from derive import notation as nt

    vd = derive_run("conv_weight_grad_variance", n=6, k=3, sigma_x=1, sigma_g=1)
    part_a = next(p for p in vd.derivation.parts if p.label == "a")
    grad = next(s for s in part_a.steps if s.why.rule == "differentiate").rhs
    rng = np.random.default_rng(3)
    n, k = 6, 3
    m = n - k + 1
    x, dy = rng.standard_normal((n, n)), rng.standard_normal((m, m))
    syms = {s.name: s for s in grad.free_symbols if isinstance(s, sp.Symbol)}
    X, Y = sp.IndexedBase("x"), sp.IndexedBase("y")
    values = {X[i + 1, j + 1]: x[i, j] for i in range(n) for j in range(n)}
    values |= {nt.Grad(Y[i + 1, j + 1]): dy[i, j] for i in range(m) for j in range(m)}
    formula = np.empty((k, k))
    for h in range(k):
        for l in range(k):
            e = grad.xreplace({syms[name]: v for name, v in (("m", m), ("h", h + 1), ("l", l + 1)) if name in syms})
            formula[h, l] = float(e.doit().xreplace(values))
    assert np.allclose(formula, brute_force_dw(x, dy, k), atol=1e-10)


def test_symbolic_default_and_growth(derive_run):
    vd = derive_run("conv_weight_grad_variance")
    n, k = (sp.Symbol(s, integer=True, positive=True) for s in ("n", "k"))
    sx, sg = sp.Symbol("sigma_x", positive=True), sp.Symbol("sigma_g", positive=True)
    assert vd.results["mean"] == 0
    assert sp.expand(vd.results["variance"] - (n - k + 1) ** 2 * sx**2 * sg**2) == 0
    assert sp.expand(vd.results["std"] - (n - k + 1) * sx * sg) == 0
    # at a point, against Monte-Carlo
    mean, var, se = mc_moments(9, 2, 0.5, 1.5)
    value = float(vd.results["variance"].subs({n: 9, k: 2, sx: 0.5, sg: 1.5}))
    assert abs(value - var) <= 5 * se
    # the standard deviation grows linearly: doubling a large n nearly doubles it
    std = sp.lambdify((n, k, sx, sg), vd.results["std"])
    assert std(2000, 3, 1, 1) / std(1000, 3, 1, 1) == pytest.approx(2, rel=1e-2)


def test_pipeline_sampler_is_the_stated_distribution():
    dw = monte_carlo_dw(4, 2, 2.0, 0.5, samples=50_000, seed=11)
    assert dw.var() == pytest.approx(9 * 4.0 * 0.25, rel=0.05)


def test_every_step_passes(derive_run):
    vd = derive_run("conv_weight_grad_variance", n=10, k=3, sigma_x=1, sigma_g=2)
    verdicts = [v for part in vd.verdicts for v in part]
    assert len(verdicts) > 25 and all(v.status in ("proved", "numeric") for v in verdicts)
    assert [p.label for p in vd.derivation.parts] == ["a", "b", "c", ""]


@pytest.mark.parametrize("args, message", [
    (["--set", "n=3", "--set", "k=5"], "derive: error: conv_weight_grad_variance: k=5 must be at most n=3"),
    (["--set", "sigma_x=-1"],
     "derive: error: conv_weight_grad_variance: sigma_x=-1 is outside the domain: sigma_x > 0"),
])
def test_bad_values_are_one_line_errors(args, message):
    out = subprocess.run([sys.executable, "-m", "derive", "run", "conv_weight_grad_variance", *args],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip() == message
