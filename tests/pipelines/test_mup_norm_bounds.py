"""mup_norm_bounds against independent numpy computations (Gaussian matrices,
power iteration, SVD, an explicit rank-one backward pass).

(f) is the spectral norm of the backward operator c_n W_n^T, measured by power
iteration on a rank-one W with Gaussian factors scaled to unit RMS (unit-scale
entries in mean square, a different matrix from the pipeline's +-1 check); the
worst-case RMS ratio is kept as the remark keys rms_gain / rms_scale."""
from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp

KEYS = ("c", "max_spectral_norm", "alpha_signsgd", "alpha_muon", "backprop_gain", "backprop_scale",
        "rms_gain", "rms_scale")
INSTANCES = [(512, 2048), (64, 64), (300, 7), (1, 5)]


def rms(v: np.ndarray) -> float:
    return float(np.sqrt(np.mean(v**2)))


def spectral_norm(a: np.ndarray, iterations: int = 30, seed: int = 1) -> float:
    """Largest singular value by power iteration (independent of the pipeline's checks)."""
    v = np.random.default_rng(seed).standard_normal(a.shape[1])
    for _ in range(iterations):
        v = a.T @ (a @ v)
        v /= np.linalg.norm(v)
    return float(np.linalg.norm(a @ v))


def independent(d_in: int, d_out: int) -> dict[str, float]:
    """Every answer of A1 measured numerically at (d_in, d_out)."""
    rng = np.random.default_rng(42)
    # (a) the c that gives E[RMS(y)^2] = 1: average RMS(W x)^2 over Gaussian matrices.
    x = rng.standard_normal(d_in)
    x *= math.sqrt(d_in) / np.linalg.norm(x)
    trials = max(4, 200_000 // (d_in * d_out))
    mean_sq = np.mean([rms(rng.standard_normal((d_out, d_in)) @ x) ** 2 for _ in range(trials)])
    c = 1 / math.sqrt(mean_sq)
    # (b) the worst x for a random update is its top right singular vector.
    # a random update with a clear spectral gap, so power iteration converges fast
    dw = np.outer(rng.standard_normal(d_out), rng.standard_normal(d_in)) + rng.standard_normal((d_out, d_in))
    top = rng.standard_normal(d_in)
    for _ in range(30):                                     # top right singular vector
        top = dw.T @ (dw @ top)
        top /= np.linalg.norm(top)
    worst_x = top * math.sqrt(d_in)                         # RMS 1
    worst_rms = rms(dw @ worst_x) / math.sqrt(d_in)         # c = 1/sqrt(d_in)
    max_norm = spectral_norm(dw) / worst_rms                # rescale dW so the worst RMS is 1
    # (c) sign of a batch-1 gradient.
    sign = np.sign(np.outer(rng.standard_normal(d_out), rng.standard_normal(d_in)))
    alpha_sign = max_norm / spectral_norm(sign)
    # (d) U V^T of a random gradient.
    # a rank-3 gradient A B: its compact SVD from QR of the factors and a small SVD
    r = min(3, d_in, d_out)
    qa, ra = np.linalg.qr(rng.standard_normal((d_out, r)))
    qb, rb = np.linalg.qr(rng.standard_normal((d_in, r)))
    uc, _, vct = np.linalg.svd(ra @ rb.T)
    alpha_muon = max_norm / spectral_norm((qa @ uc) @ (qb @ vct.T).T)
    # (f) the backward operator c W^T of a rank-one layer with Gaussian factors scaled to
    # unit RMS (so its entries have unit scale in mean square), c the forward scale of (a).
    u, v = rng.standard_normal(d_out), rng.standard_normal(d_in)
    u *= math.sqrt(d_out) / np.linalg.norm(u)
    v *= math.sqrt(d_in) / np.linalg.norm(v)
    op_norm = spectral_norm(np.outer(u, v).T / math.sqrt(d_in))
    # remark: rank-one +-1 layer, gradient along the top left singular vector.
    a, b = np.sign(rng.standard_normal(d_out)), np.sign(rng.standard_normal(d_in))
    w = np.outer(a, b)
    g_next = a / np.linalg.norm(a) * 0.7
    gain = rms(w.T @ g_next / math.sqrt(d_in)) / rms(g_next)
    scale = rms(g_next) / rms(w.T @ g_next)                 # backward constant for unit gain
    return {"c": c, "max_spectral_norm": max_norm, "alpha_signsgd": alpha_sign,
            "alpha_muon": alpha_muon, "backprop_gain": op_norm, "backprop_scale": 1 / op_norm,
            "rms_gain": gain, "rms_scale": scale}


def exact_tolerance(d_in: int, d_out: int) -> float:
    """Relative tolerance of the exact linear-algebra answers: float64 rounding grows
    with the number of terms in a product (d_in + d_out), plus a margin."""
    return 1e-12 + 64 * (d_in + d_out) * np.finfo(float).eps


@pytest.mark.parametrize("d_in, d_out", INSTANCES)
def test_numeric_instances_match_numpy(derive_run, d_in, d_out):
    vd = derive_run("mup_norm_bounds", d_in=d_in, d_out=d_out)
    expected = independent(d_in, d_out)
    assert set(KEYS) <= set(vd.results)
    for key in KEYS:
        value = vd.results[key]
        assert not value.free_symbols
        # (a) is a Monte-Carlo estimate of a mean square; the rest are exact linear algebra.
        rel = 0.05 if key == "c" else exact_tolerance(d_in, d_out)
        assert float(value) == pytest.approx(expected[key], rel=rel), key


def test_symbolic_default_matches_the_closed_forms(derive_run):
    vd = derive_run("mup_norm_bounds")
    d_in, d_out = sp.Symbol("d_in", integer=True, positive=True), sp.Symbol("d_out", integer=True, positive=True)
    hand = {"c": 1 / sp.sqrt(d_in), "max_spectral_norm": sp.sqrt(d_out), "alpha_signsgd": 1 / sp.sqrt(d_in),
            "alpha_muon": sp.sqrt(d_out), "backprop_gain": sp.sqrt(d_out), "backprop_scale": 1 / sp.sqrt(d_out),
            "rms_gain": d_out / sp.sqrt(d_in), "rms_scale": 1 / d_out}
    for key, value in hand.items():
        assert sp.simplify(vd.results[key] - value) == 0, key
    # and the symbolic formulas agree with numpy at a point they were not built from
    expected = independent(96, 40)
    for key in KEYS:
        value = float(vd.results[key].subs({d_in: 96, d_out: 40}))
        assert value == pytest.approx(expected[key], rel=0.05 if key == "c" else exact_tolerance(96, 40)), key


def test_every_step_passes_and_checks_hold(derive_run):
    vd = derive_run("mup_norm_bounds", d_in=128, d_out=32)
    verdicts = [v for part in vd.verdicts for v in part]
    assert len(verdicts) > 30 and all(v.status in ("proved", "numeric") for v in verdicts)
    checks = [c for part in vd.derivation.parts for c in part.checks]
    assert len(checks) == 5 and all(c.ok for c in checks)
    assert [p.label for p in vd.derivation.parts] == ["a", "b", "c", "d", "f", "f, remark", ""]


def test_cli_prints_every_numeric_result():
    out = subprocess.run([sys.executable, "-m", "derive", "run", "mup_norm_bounds", "--set", "d_in=512",
                          "--set", "d_out=2048", "--format", "json"], capture_output=True, text=True, check=True)
    results = json.loads(out.stdout)["results"]
    values = {k: float(sp.sympify(results[k]["sympy"])) for k in KEYS}
    assert values == pytest.approx({"c": 1 / math.sqrt(512), "max_spectral_norm": math.sqrt(2048),
                                    "alpha_signsgd": 1 / math.sqrt(512), "alpha_muon": math.sqrt(2048),
                                    "backprop_gain": math.sqrt(2048), "backprop_scale": 1 / math.sqrt(2048),
                                    "rms_gain": 2048 / math.sqrt(512), "rms_scale": 1 / 2048})


@pytest.mark.parametrize("value, message", [
    ("0", "derive: error: mup_norm_bounds: d_in=0 is outside the domain: d_in is an integer >= 1"),
    ("2.5", "derive: error: mup_norm_bounds: d_in=2.5 is outside the domain: d_in is an integer >= 1"),
])
def test_bad_dimension_is_one_line_error(value, message):
    out = subprocess.run([sys.executable, "-m", "derive", "run", "mup_norm_bounds", "--set", f"d_in={value}"],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip() == message
