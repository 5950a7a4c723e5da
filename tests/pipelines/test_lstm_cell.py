"""lstm_cell against a numpy LSTM step (written here, independently of derive)."""
from __future__ import annotations

import json

import numpy as np
import pytest
import sympy as sp

from derive import cli

KEYS = ("W_f", "W_i", "W_c", "W_o", "b_f", "b_i", "b_c", "b_o", "h_prev", "x", "c_prev")


def numpy_lstm(p):
    a = {k: np.asarray(v, float) for k, v in p.items()}
    v = np.concatenate([a["h_prev"], a["x"]])
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    f = sig(a["W_f"] @ v + a["b_f"])
    i = sig(a["W_i"] @ v + a["b_i"])
    g = np.tanh(a["W_c"] @ v + a["b_c"])
    o = sig(a["W_o"] @ v + a["b_o"])
    c = f * a["c_prev"] + i * g
    return dict(f=f, i=i, g=g, o=o, c=c, h=o * np.tanh(c))


CATALOGUE = dict(W_f=[[1, 2, 4, 5], [-1, 2, 0, 1]], W_i=[[-1, 2, 0, 1], [1, -2, 3, -1]],
                 W_c=[[1, -2, 3, -1], [2, 4, 1, -3]], W_o=[[2, 4, 1, -3], [1, 2, 4, 5]],
                 b_f=[1, -2], b_i=[-1, 1], b_c=[0, 0], b_o=[0.5, -0.1],
                 h_prev=[0.4, -0.2], x=[1, 0], c_prev=[-0.5, 0.3])

OTHERS = [
    # hidden size 1, input size 3 (non-square gate matrices)
    dict(W_f=[[0.5, 1, -1, 2]], W_i=[[1, 0, 0, -1]], W_c=[[-2, 1, 1, 1]], W_o=[[0, 0.25, 3, -1]],
         b_f=[0], b_i=[0.5], b_c=[-1], b_o=[1], h_prev=[0.1], x=[1, -1, 0.5], c_prev=[2]),
    # hidden size 3, input size 1
    dict(W_f=[[1, 0, 0, 1], [0, 1, 0, -1], [0, 0, 1, 2]], W_i=[[1, 1, 1, 1], [-1, 0, 1, 0], [0, 2, 0, 0]],
         W_c=[[0.5, -0.5, 0, 1], [1, 1, -1, 0], [2, 0, 0, -2]], W_o=[[0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 1, 0]],
         b_f=[0, 0, 0], b_i=[1, -1, 0], b_c=[0, 0.1, -0.1], b_o=[0, 0, 1], h_prev=[0.3, -0.6, 0.9], x=[2],
         c_prev=[1, -1, 0]),
    # the catalogue weights with a different state and input
    {**CATALOGUE, "h_prev": [-1, 1], "x": [0.5, 2], "c_prev": [0, 1.5]},
]


def as_floats(values) -> np.ndarray:
    return np.array([float(sp.N(sp.sympify(v).rewrite(sp.exp), 30)) for v in values])


@pytest.mark.parametrize("params", [CATALOGUE, *OTHERS], ids=["catalogue", "h1-x3", "h3-x1", "new-state"])
def test_matches_numpy(derive_run, params):
    vd = derive_run("lstm_cell", **{k: json.dumps(v) for k, v in params.items()})
    ref = numpy_lstm(params)
    for key in ("f", "i", "g", "o", "c", "h"):
        assert np.allclose(as_floats(vd.results[key]), ref[key], rtol=1e-13, atol=1e-14), key


def test_shown_decimals_are_numpy_rounded(derive_run):
    vd = derive_run("lstm_cell")
    ref = numpy_lstm(CATALOGUE)
    shown = [s.rhs for part in vd.derivation.parts for s in part.steps if s.rel.value == "≈"]
    assert len(shown) == 6   # four gates, c and h
    for got, key in zip(shown, ("f", "i", "g", "o", "c", "h")):
        assert [float(v) for v in got] == pytest.approx(list(np.round(ref[key], 4)), abs=1e-12)
    # the catalogue's answer to 4 decimals, hand-checked against numpy above
    assert [float(v) for v in shown[-2]] == [-0.3549, 0.7726]
    assert [float(v) for v in shown[-1]] == [-0.2786, 0.6356]


def test_results_are_exact(derive_run):
    r = derive_run("lstm_cell").results
    assert all(not isinstance(v, sp.Float) for v in r["h"])
    assert sp.sympify(r["g"][1]) == sp.tanh(1)


def test_symbolic_input(derive_run):
    r = derive_run("lstm_cell", x='["u", 0]').results
    u = sp.Symbol("u", real=True)
    ref = numpy_lstm({**CATALOGUE, "x": [0.7, 0]})
    assert np.allclose(as_floats([sp.sympify(e).subs(u, sp.Rational(7, 10)) for e in r["h"]]), ref["h"])


@pytest.mark.parametrize("params, message", [
    (["W_f=[[1,2,3]]"], "lstm_cell: W_f must be 2x4 (hidden size 2, input size 2), got 1x3"),
    (["b_o=[1,2,3]"], "lstm_cell: b_o must have 2 entries (the hidden size), got 3"),
    (["x=[]"], "lstm_cell: x: expected a non-empty list of numbers"),
])
def test_bad_input_is_one_line(run_error, params, message):
    assert run_error("lstm_cell", params) == message


def test_cli_json(capsys):
    assert cli.main(["run", "lstm_cell", "--set", "c_prev=[1,-1]", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)["results"]
    ref = numpy_lstm({**CATALOGUE, "c_prev": [1, -1]})
    assert [float(sp.N(sp.sympify(v))) for v in out["h"]["sympy"]] == pytest.approx(list(ref["h"]))
