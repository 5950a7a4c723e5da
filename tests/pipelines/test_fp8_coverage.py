"""fp8_coverage against round-to-nearest on the grid enumerated from the 256 bit patterns."""
from __future__ import annotations

import math

import ml_dtypes
import numpy as np
import pytest
import sympy as sp
from scipy import stats

from derive import pipeline as pl
from derive.errors import ParameterError

DTYPES = {"e4m3": ml_dtypes.float8_e4m3fn, "e5m2": ml_dtypes.float8_e5m2}


def grid(fmt: str) -> np.ndarray:
    bits = np.arange(256, dtype=np.uint8).view(DTYPES[fmt]).astype(np.float64)
    return np.unique(bits[np.isfinite(bits)])


def nearest_on_grid(w: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Round to the nearest grid value (ties have probability zero for Gaussian draws)."""
    idx = np.clip(np.searchsorted(g, w), 1, g.size - 1)
    lo, hi = g[idx - 1], g[idx]
    return np.where(np.abs(w - lo) <= np.abs(hi - w), lo, hi)


@pytest.mark.parametrize("d_in, fmt, samples", [
    (1024, "e4m3", 100_000),     # the default used on the sheet
    (4096, "e5m2", 50_000),
    (64, "e4m3", 20_000),
    (100_000, "e4m3", 30_000),
    (16, "e5m2", 10_000),
])
def test_matches_grid_rounding_and_theory(derive_run, d_in, fmt, samples):
    r = derive_run("fp8_coverage", d_in=d_in, format=fmt, samples=samples).results
    g = grid(fmt)
    z = np.random.default_rng(0).standard_normal(samples)
    for tag, w in (("unit", z), ("xavier", z / math.sqrt(d_in))):
        q = nearest_on_grid(w, g)
        assert r[f"codes_{tag}"] == np.unique(q).size
        assert r[f"underflow_{tag}"] == sp.Rational(int(np.count_nonzero(q == 0)), samples)
        # Theory: P(|w| <= t/2) with t the smallest positive grid value.
        sigma = 1.0 if tag == "unit" else 1 / math.sqrt(d_in)
        p = 2 * stats.norm.cdf(g[g > 0].min() / 2 / sigma) - 1
        assert float(r[f"underflow_{tag}"]) == pytest.approx(p, abs=5 * math.sqrt(p * (1 - p) / samples) + 1e-4)


def test_xavier_scale_uses_fewer_codes_and_underflows_more(derive_run):
    # The claim of A1 (a): unit-scale weights use the fp8 range better.
    r = derive_run("fp8_coverage", d_in=4096, samples=50_000).results
    assert r["codes_unit"] > r["codes_xavier"]
    assert r["underflow_xavier"] > r["underflow_unit"]


@pytest.mark.parametrize("params, message", [
    ({"d_in": "n"}, "fp8_coverage: d_in must be a number here (it scales the samples)"),
    ({"samples": 3_000_000}, "fp8_coverage: samples must be at most 2000000"),
    ({"format": "e3m4"}, "fp8_coverage: format=e3m4: expected one of e4m3, e5m2"),
])
def test_bad_parameters(params, message):
    with pytest.raises(ParameterError) as err:
        pl.run("fp8_coverage", params)
    assert str(err.value) == message
