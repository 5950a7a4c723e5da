"""pooling_backprop against finite differences of a numpy forward pass."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive import pipeline as pl
from derive.errors import ParameterError


def pool(x: np.ndarray, k: int, s: int, kind: str) -> np.ndarray:
    rows, cols = (x.shape[0] - k) // s + 1, (x.shape[1] - k) // s + 1
    out = np.empty((rows, cols))
    for r in range(rows):
        for c in range(cols):
            win = x[s * r:s * r + k, s * c:s * c + k]
            out[r, c] = win.max() if kind == "max" else win.mean()
    return out


def finite_difference_grad(x: np.ndarray, g: np.ndarray, k: int, s: int, kind: str) -> np.ndarray:
    """Central differences of L(x) = sum(g * pool(x)); exact for these piecewise-linear maps."""
    eps = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += eps
        down[idx] -= eps
        grad[idx] = (np.sum(g * pool(up, k, s, kind)) - np.sum(g * pool(down, k, s, kind))) / (2 * eps)
    return grad


CASES = [
    ([[1, 3, 2, 0], [4, 2, 1, 5], [0, 6, 3, 1], [2, 1, 7, 4]], [[1, -2], [3, 4]], 2, 2),    # default (A2 c)
    ([[1, 3, 2, 0], [4, 2, 1, 5], [0, 6, 3, 1], [2, 1, 7, 4]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], 2, 1),
    ([[0.5, -1, 2, 8, 3], [7, 1.5, -3, 4, 0], [2, 9, 6, -2, 1]], [[2, -1]], 3, 2),          # non-square, overlap
    ([[3, 1, 4, 1, 5, 9], [2, 6, 5, 3, 5, 8], [9, 7, 9, 3, 2, 3.5], [8, 4, 6, 2, 6, 4.5]], [[1, 1, 1], [2, 2, 2]], 2, 2),
]


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("x, g, k, s", CASES)
def test_matches_finite_differences(derive_run, x, g, k, s, kind):
    xa = np.array(x, float)
    xa = xa + np.random.default_rng(0).uniform(0, 1e-3, xa.shape) if kind == "max" else xa   # no ties
    x_in = [[float(v) for v in row] for row in xa] if kind == "max" else x
    vd = derive_run("pooling_backprop", input=x_in, upstream=g, kind=kind, size=k, stride=s)
    got = np.array(vd.results["grad_input"].tolist(), dtype=float)
    np.testing.assert_allclose(got, finite_difference_grad(xa, np.array(g, float), k, s, kind), atol=1e-6)


def test_tie_goes_to_the_first_maximum(derive_run):
    vd = derive_run("pooling_backprop", input=[[2, 2], [2, 1]], upstream=[[5]], kind="max")
    assert vd.results["grad_input"] == sp.Matrix([[5, 0], [0, 0]])


def test_avg_with_symbolic_upstream(derive_run):
    vd = derive_run("pooling_backprop", input=[["a", "b"], ["c", "d"]], upstream=[["g"]], kind="avg")
    g = sp.Symbol("g", real=True)
    assert vd.results["grad_input"] == sp.Matrix([[g / 4, g / 4], [g / 4, g / 4]])


@pytest.mark.parametrize("params, message", [
    ({"upstream": "[[1,2,3]]"}, "pooling_backprop: upstream must be 2x2 (the pooled output), got 1x3"),
    ({"size": 5}, "pooling_backprop: the 5x5 window does not fit in the 4x4 input"),
    ({"input": '[["a", 1], [2, 3]]', "upstream": "[[1]]"},
     "pooling_backprop: max pooling needs numeric input entries (to find each maximum)"),
    ({"kind": "min"}, "pooling_backprop: kind=min: expected one of max, avg"),
])
def test_bad_parameters(params, message):
    with pytest.raises(ParameterError) as err:
        pl.run("pooling_backprop", params)
    assert str(err.value) == message
