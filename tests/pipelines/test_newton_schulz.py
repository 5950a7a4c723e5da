"""newton_schulz_cost against a multiplication counter run on real matrices."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

C = sp.Symbol("c", positive=True)


def counted_matmul(a: np.ndarray, b: np.ndarray, counter: list[int]) -> np.ndarray:
    """Schoolbook product that counts scalar multiplications (independent cost model)."""
    m, n = a.shape
    n2, q = b.shape
    assert n == n2
    out = np.zeros((m, q))
    for i in range(m):
        for j in range(q):
            for k in range(n):
                out[i, j] += a[i, k] * b[k, j]
                counter[0] += 1
    return out


def iteration_counts(d_out: int, d_in: int) -> tuple[int, int, np.ndarray, np.ndarray]:
    w = np.random.default_rng(d_out * 31 + d_in).normal(size=(d_out, d_in))
    naive, gram = [0], [0]
    p_naive = 0.5 * counted_matmul(3 * np.eye(d_out) - counted_matmul(w, w.T, naive), w, naive)
    p_gram = 0.5 * counted_matmul(w, 3 * np.eye(d_in) - counted_matmul(w.T, w, gram), gram)
    return naive[0], gram[0], p_naive, p_gram


@pytest.mark.parametrize("d_out, d_in", [(6, 2), (2, 5), (4, 4), (7, 3)])
def test_costs_match_counted_multiplications(derive_run, d_out, d_in):
    vd = derive_run("newton_schulz_cost", d_in=d_in, d_out=d_out)
    naive, gram, p_naive, p_gram = iteration_counts(d_out, d_in)
    np.testing.assert_allclose(p_naive, p_gram, rtol=1e-12, atol=1e-12)
    assert vd.results["naive"] == naive * C
    assert vd.results["gram"] == gram * C


def test_catalogue_scale_numbers(derive_run):
    # Hand-checked: 2 c d_out^2 d_in and 2 c d_out d_in^2 at d_out = 4096, d_in = 128.
    vd = derive_run("newton_schulz_cost", d_in=128, d_out=4096)
    assert vd.results["naive"] == 2 * 4096**2 * 128 * C
    assert vd.results["gram"] == 2 * 4096 * 128**2 * C


def test_symbolic_default(derive_run):
    vd = derive_run("newton_schulz_cost")
    do, di = sp.symbols("d_out d_in", integer=True, positive=True)
    assert sp.expand(vd.results["naive"] - 2 * C * do**2 * di) == 0
    assert sp.expand(vd.results["gram"] - 2 * C * do * di**2) == 0
    verdicts = [v.status for part in vd.verdicts for v in part]
    assert verdicts and set(verdicts) == {"proved"}


def test_symbolic_value_for_one_dimension(derive_run):
    vd = derive_run("newton_schulz_cost", d_in="n", d_out="4*n")
    n = sp.Symbol("n", integer=True, positive=True)
    assert sp.expand(vd.results["naive"] - 32 * C * n**3) == 0
    assert sp.expand(vd.results["gram"] - 8 * C * n**3) == 0
