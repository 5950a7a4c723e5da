"""mlp_backprop against an independent numpy backprop and central finite differences."""
from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp

from derive import cli

ACT = {
    "relu": (lambda u: np.maximum(u, 0.0), lambda u: (u > 0).astype(float)),
    "sigmoid": (lambda u: 1 / (1 + np.exp(-u)), lambda u: np.exp(-u) / (1 + np.exp(-u)) ** 2),
    "tanh": (np.tanh, lambda u: 1 / np.cosh(u) ** 2),
    "identity": (lambda u: u, lambda u: np.ones_like(u)),
}


def numpy_backprop(x, y, ws, bs, act):
    """A textbook manual backprop in numpy, written independently of derive."""
    f, df = ACT[act]
    a, zs, acts = np.asarray(x, float), [], [np.asarray(x, float)]
    for w, b in zip(ws, bs):
        z = np.asarray(w, float) @ a + np.asarray(b, float)
        a = f(z)
        zs.append(z)
        acts.append(a)
    y = np.atleast_1d(np.asarray(y, float))
    loss = float(np.sum((y - a) ** 2))
    delta = -2 * (y - a) * df(zs[-1])
    gws, gbs = [None] * len(ws), [None] * len(ws)
    for l in reversed(range(len(ws))):
        gws[l] = np.outer(delta, acts[l])
        gbs[l] = delta
        up = np.asarray(ws[l], float).T @ delta
        if l:
            delta = up * df(zs[l - 1])
    return a, loss, gws, gbs, up


def loss_np(x, ws, bs, y, act):
    return numpy_backprop(x, y, ws, bs, act)[1]


def finite_difference(x, y, ws, bs, act, h=1e-6):
    """Central differences of the loss in every weight, bias and input entry."""
    ws = [np.asarray(w, float) for w in ws]
    bs = [np.asarray(b, float) for b in bs]
    x = np.asarray(x, float)

    def grad_of(arr, rebuild):
        g = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            up, down = arr.copy(), arr.copy()
            up[idx] += h
            down[idx] -= h
            g[idx] = (loss_np(*rebuild(up), y, act) - loss_np(*rebuild(down), y, act)) / (2 * h)
        return g

    gws = [grad_of(w, lambda v, l=l: (x, [*ws[:l], v, *ws[l + 1:]], bs)) for l, w in enumerate(ws)]
    gbs = [grad_of(b, lambda v, l=l: (x, ws, [*bs[:l], v, *bs[l + 1:]])) for l, b in enumerate(bs)]
    gx = grad_of(x, lambda v: (v, ws, bs))
    return gws, gbs, gx


def num(e) -> float:
    return float(sp.N(sp.sympify(e).rewrite(sp.exp)))


def as_array(m) -> np.ndarray:
    if isinstance(m, sp.MatrixBase):
        return np.array([[num(v) for v in row] for row in m.tolist()])
    return np.array([num(v) for v in m])


CATALOGUE = dict(x=[2, 1], y=10, weights=[[[1, 0], [3, 4], [1, 2]], [[2, 6, 1], [0, 3, 1]], [[-2, 3]]],
                 biases=[[0, -2, 5], [-23, -11], [18]], activation="relu")

INSTANCES = [
    CATALOGUE,
    # ReLU with inactive units: z_1[1] < 0 and z_2[0] < 0, so whole rows of the gradients vanish.
    dict(x=[1, -2, 3], y=[1, 0], weights=[[[1, 1, 1], [1, 2, 0]], [[2, -1], [1, 1]]],
         biases=[[0, -1], [-5, 0]], activation="relu"),
    # Non-square layers, tanh (smooth: finite differences apply), decimals in the input.
    dict(x=[0.5], y=0.25, weights=[[[1], [-2]], [[1, -1.5]]], biases=[[0, 0.5], [0.25]], activation="tanh"),
    dict(x=[1, 2], y=[0, 1], weights=[[[1, -1], [0, 2]]], biases=[[0.5, -1]], activation="sigmoid"),
    dict(x=[3, -1, 2], y=[1], weights=[[[1, 0, -1], [2, 1, 1]], [[1, -2]]], biases=[[1, 0], [2]], activation="identity"),
]


@pytest.mark.parametrize("case", INSTANCES, ids=["catalogue", "relu-inactive", "tanh", "sigmoid", "identity"])
def test_matches_numpy_backprop_and_finite_differences(derive_run, case):
    vd = derive_run("mlp_backprop", **{k: json.dumps(v) if k != "activation" else v for k, v in case.items()})
    r = vd.results
    yhat, loss, gws, gbs, gx = numpy_backprop(case["x"], case["y"], case["weights"], case["biases"], case["activation"])
    assert np.allclose(np.atleast_1d(as_array(r["yhat"]) if isinstance(r["yhat"], list) else num(r["yhat"])), yhat)
    assert num(r["loss"]) == pytest.approx(loss, rel=1e-12)
    for got, want in zip(r["grad_W"], gws):
        assert np.allclose(as_array(got), want, rtol=1e-12, atol=1e-12)
    for got, want in zip(r["grad_b"], gbs):
        assert np.allclose(as_array(got), want, rtol=1e-12, atol=1e-12)
    assert np.allclose(as_array(r["grad_x"]), gx, rtol=1e-12, atol=1e-12)
    if case["activation"] != "relu":
        fw, fb, fx = finite_difference(case["x"], case["y"], case["weights"], case["biases"], case["activation"])
        for got, want in zip(r["grad_W"], fw):
            assert np.allclose(as_array(got), want, atol=1e-6)
        for got, want in zip(r["grad_b"], fb):
            assert np.allclose(as_array(got), want, atol=1e-6)
        assert np.allclose(as_array(r["grad_x"]), fx, atol=1e-6)


def test_catalogue_values_by_hand(derive_run):
    # Forward pass by hand: z1 = (2, 8, 9), z2 = (38, 22), yhat = 8, L = (10 - 8)^2.
    r = derive_run("mlp_backprop").results
    assert r["yhat"] == 8 and r["loss"] == 4
    assert r["grad_W"][2] == sp.Matrix([[-152, -88]])
    assert r["grad_x"] == [48, 40]


def test_inactive_relu_zeroes_its_gradients(derive_run):
    case = INSTANCES[1]
    r = derive_run("mlp_backprop", **{k: json.dumps(v) if k != "activation" else v for k, v in case.items()}).results
    # Unit 1 of layer 2 is inactive (z = -5 + 2*(-4)... < 0): its row of dL/dW_2 and dL/db_2 is zero.
    assert list(r["grad_W"][1].row(0)) == [0, 0] and r["grad_b"][1][0] == 0


def test_relu_at_zero_uses_derivative_zero(derive_run):
    # z = 1*1 - 1 = 0 exactly: ReLU'(0) = 0 by convention, so no gradient reaches w or b.
    r = derive_run("mlp_backprop", x="[1]", y="3", weights="[[[1]]]", biases="[[-1]]", activation="relu").results
    assert r["grad_W"][0] == sp.Matrix([[0]]) and r["grad_b"] == [[0]]


def test_symbolic_weight(derive_run):
    # One identity unit: L = (y - w x)^2, dL/dw = -2 x (y - w x) by hand.
    r = derive_run("mlp_backprop", x="[2]", y="1", weights='[[["w"]]]', biases="[[0]]", activation="identity").results
    w = sp.Symbol("w", real=True)
    assert sp.expand(r["grad_W"][0][0, 0] - (-4 * (1 - 2 * w))) == 0
    assert sp.expand(r["loss"] - (1 - 2 * w) ** 2) == 0


@pytest.mark.parametrize("params, message", [
    (dict(weights='[[["w"]]]', biases="[[0]]", x="[1]", y="1"),
     "mlp_backprop: activation relu needs numeric x, weights and biases (the sign of each pre-activation "
     "picks the branch); use sigmoid, tanh or identity"),
    (dict(weights="[[[1, 2]]]", biases="[[0]]", x="[1]", y="1"),
     "mlp_backprop: weights[0] has 2 columns but its input has 1 entries"),
    (dict(weights="[[[1]]]", biases="[[0, 1]]", x="[1]", y="1"),
     "mlp_backprop: biases[0] has 2 entries but weights[0] has 1 rows"),
    (dict(weights="[[[1]]]", biases="[[0]]", x="[1]", y="[1, 2]"),
     "mlp_backprop: y has 2 entries but the network outputs 1"),
])
def test_bad_input_is_one_line(capsys, params, message):
    argv = ["run", "mlp_backprop"] + [a for k, v in params.items() for a in ("--set", f"{k}={v}")]
    assert cli.main(argv) == 2
    assert capsys.readouterr().err.strip() == f"derive: error: {message}"


def test_cli_json(capsys):
    assert cli.main(["run", "mlp_backprop", "--set", "x=[1,-1]", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    yhat, loss, gws, gbs, gx = numpy_backprop([1, -1], 10, CATALOGUE["weights"], CATALOGUE["biases"], "relu")
    assert float(out["results"]["loss"]["sympy"]) == pytest.approx(loss)
    assert [float(v) for v in out["results"]["grad_x"]["sympy"]] == pytest.approx(list(gx))
    assert np.allclose(np.array(out["results"]["grad_W"]["sympy"][0], dtype=float), gws[0])
