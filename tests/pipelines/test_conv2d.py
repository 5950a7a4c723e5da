"""conv2d against scipy.signal (padding, stride and dilation applied by numpy slicing)."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import sympy as sp
from scipy import signal

from derive import pipeline as pl
from derive.errors import ParameterError


def scipy_reference(x: np.ndarray, h: np.ndarray, padding: int, stride: int, dilation: int, mode: str) -> np.ndarray:
    xp = np.pad(x, padding)
    hd = np.zeros(((h.shape[0] - 1) * dilation + 1, (h.shape[1] - 1) * dilation + 1))
    hd[::dilation, ::dilation] = h            # dilation = zeros between the taps
    full = signal.convolve2d(xp, hd, mode="valid") if mode == "convolution" else \
        signal.correlate2d(xp, hd, mode="valid")
    return full[::stride, ::stride]


def as_array(m: sp.Matrix) -> np.ndarray:
    return np.array(m.tolist(), dtype=float)


B3_X = [[5 * r + c + 1 for c in range(5)] for r in range(5)]
B3_H = [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]
CASES = [
    (B3_X, B3_H, 0, 1, 1, "convolution"),                                  # B3 (a)
    (B3_X, B3_H, 1, 1, 1, "convolution"),                                  # B3 (b)
    (B3_X, B3_H, 1, 2, 1, "convolution"),                                  # B3 (b), stride 2
    ([[6, 0, 1], [3, 4, 1], [1, 7, 0]], [[1, 0], [0, -1]], 0, 1, 1, "correlation"),   # B3 small CNN layer
    ([[1, 2, 0, 3, 1], [0, 1, 2, 1, 0], [3, 0, 1, 2, 2], [1, 1, 0, 0, 3]], [[1, -1], [2, 0]], 0, 1, 2,
     "correlation"),                                                       # B4 (g) style, non-square
    ([[2, -1, 0, 4, 1, 3, 0], [1, 5, -2, 0, 2, 1, 1], [0, 3, 1, -1, 4, 2, 0], [3, 0, 2, 2, -3, 1, 5],
      [1, 1, 0, 6, 2, 0, -1], [4, -2, 3, 1, 0, 2, 2]], [[1, 2, 0], [-1, 0, 3]], 2, 3, 2, "convolution"),
    ([[0.5, 1.5], [2.5, -1.0]], [[3]], 1, 2, 1, "correlation"),
]


@pytest.mark.parametrize("x, h, padding, stride, dilation, mode", CASES)
def test_matches_scipy(derive_run, x, h, padding, stride, dilation, mode):
    vd = derive_run("conv2d", input=x, kernel=h, padding=padding, stride=stride, dilation=dilation, mode=mode)
    expected = scipy_reference(np.array(x, float), np.array(h, float), padding, stride, dilation, mode)
    got = as_array(vd.results["output"])
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=1e-12)


def test_first_entry_is_shown_as_its_sum_of_products(derive_run):
    vd = derive_run("conv2d", input=B3_X, kernel=B3_H)
    shown = vd.derivation.parts[1].steps[0].rhs
    assert len(shown.args) == 9                      # one product per kernel tap
    products = sorted(tuple(sorted(int(f) for f in t.args)) for t in shown.args)
    # Convolution pairs x[1+a, 1+b] with h[3-a, 3-b] (1-based): hand-enumerated.
    hand = sorted(tuple(sorted((B3_X[a][b], B3_H[2 - a][2 - b]))) for a in range(3) for b in range(3))
    assert products == hand
    first = scipy_reference(np.array(B3_X, float), np.array(B3_H, float), 0, 1, 1, "convolution")[0, 0]
    assert vd.derivation.parts[1].steps[1].rhs == int(first)


def test_symbolic_entries(derive_run):
    vd = derive_run("conv2d", input=[["a", "b"], ["c", "d"]], kernel=[[1, 2]], mode="correlation")
    a, b, c, d = sp.symbols("a b c d", real=True)
    assert vd.results["output"] == sp.Matrix([[a + 2 * b], [c + 2 * d]])


def test_every_step_proved(derive_run):
    vd = derive_run("conv2d", padding=1, stride=2)
    assert {v.status for part in vd.verdicts for v in part} == {"proved"}


@pytest.mark.parametrize("params, message", [
    ({"input": "[[1,2],[3]]"}, "conv2d: input: rows have different lengths"),
    ({"kernel": "[]"}, "conv2d: kernel: expected a non-empty JSON matrix such as [[1,2],[3,4]]"),
    ({"input": "[[1,2],[3,4]]"}, "conv2d: the dilated 3x3 kernel does not fit in the padded 2x2 input"),
    ({"padding": "p"}, "conv2d: padding must be a number here (the matrices have concrete shapes)"),
    ({"kernel": '[["x+"]]'}, "conv2d: kernel: cannot parse entry 'x+'"),
])
def test_bad_parameters(params, message):
    with pytest.raises(ParameterError) as err:
        pl.run("conv2d", params)
    assert str(err.value) == message


def test_cli_json():
    out = subprocess.run([sys.executable, "-m", "derive", "run", "conv2d", "--set", "input=[[1,2,3],[4,5,6]]",
                          "--set", "kernel=[[1,1]]", "--set", "mode=correlation", "--format", "json"],
                         capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    assert data["results"]["output"]["sympy"] == [["3", "5"], ["9", "11"]]
