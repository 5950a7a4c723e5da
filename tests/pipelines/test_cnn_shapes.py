"""Shape pipelines against brute-force window enumeration and hand-checked tables."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive import pipeline as pl
from derive.errors import ParameterError


def brute_count(n: int, k: int, pad: int, stride: int, dil: int) -> int:
    """Count window starts whose every tap lands inside the padded input."""
    count = 0
    for start in range(0, n + 2 * pad):
        if start % stride:
            continue
        taps = [start + dil * j for j in range(k)]
        if all(0 <= t < n + 2 * pad for t in taps):
            count += 1
    return count


def torch_free_param_count(k: int, c: int, f: int) -> int:
    """Weights of a filter bank built as an array, plus one bias per filter."""
    return np.zeros((f, c, k, k)).size + np.zeros(f).size


@pytest.mark.parametrize("W, H, C, K, P, S, F, D", [
    (28, 28, 1, 3, 1, 1, 10, 1),      # CONV3-10 of B4 (d)
    (36, 36, 1, 3, 0, 1, 1, 1),       # B4 (f), first case
    (36, 36, 3, 3, 3, 2, 2, 1),       # B4 (f), second case
    (64, 64, 3, 4, 0, 2, 10, 1),      # B4 (e) L1
    (15, 15, 20, 3, 0, 2, 10, 2),     # B4 (e) L3: dilation 2
    (17, 9, 4, 5, 2, 3, 7, 2),        # non-square, stride, padding and dilation together
])
def test_conv_layer_matches_brute_force(derive_run, W, H, C, K, P, S, F, D):
    vd = derive_run("conv_layer", W=W, H=H, C=C, K=K, P=P, S=S, F=F, D=D)
    r = vd.results
    assert r["out_w"] == brute_count(W, K, P, S, D)
    assert r["out_h"] == brute_count(H, K, P, S, D)
    assert r["out_c"] == F
    assert r["weights"] + r["biases"] == torch_free_param_count(K, C, F)
    assert r["biases"] == F


def test_conv_layer_symbolic_default_is_the_floor_formula(derive_run):
    vd = derive_run("conv_layer")
    W, K, P, S, F, C = (sp.Symbol(n, integer=True, positive=True) for n in "WKPSFC")
    P = sp.Symbol("P", integer=True, nonnegative=True)
    assert vd.results["out_w"] == sp.floor((W + 2 * P - K) / S) + 1
    assert vd.results["weights"] == F * K**2 * C
    for w, k, p, s in [(10, 3, 1, 2), (7, 7, 0, 1), (20, 5, 3, 4)]:
        value = vd.results["out_w"].subs({W: w, K: k, P: p, S: s})
        assert value == brute_count(w, k, p, s, 1)


@pytest.mark.parametrize("W, H, C, K, S", [(28, 28, 10, 2, 2), (14, 14, 10, 2, 2), (7, 9, 3, 3, 2), (32, 17, 1, 3, 1)])
def test_pool_layer_matches_brute_force(derive_run, W, H, C, K, S):
    vd = derive_run("pool_layer", W=W, H=H, C=C, K=K, S=S)
    assert (vd.results["out_w"], vd.results["out_h"], vd.results["out_c"]) == (
        brute_count(W, K, 0, S, 1), brute_count(H, K, 0, S, 1), C)


def brute_receptive_field(layers: int, k: int) -> int:
    """Propagate the set of input pixels that reach the last output back through the layers."""
    reach = {0}
    for _ in range(layers):
        reach = {p + j for p in reach for j in range(k)}
    return len(reach)


@pytest.mark.parametrize("L, K", [(2, 3), (3, 3), (5, 5), (1, 7), (4, 2)])
def test_receptive_field_matches_propagation(derive_run, L, K):
    assert derive_run("receptive_field", L=L, K=K).results["rf"] == brute_receptive_field(L, K)


def test_receptive_field_symbolic(derive_run):
    L, K = sp.Symbol("L", integer=True, positive=True), sp.Symbol("K", integer=True, positive=True)
    assert sp.expand(derive_run("receptive_field").results["rf"] - (1 + L * (K - 1))) == 0


def test_cnn_table_catalogue_hand_checked(derive_run):
    vd = derive_run("cnn_table")
    params, shapes = brute_table(28, 28, 1, "CONV3-10,POOL2,CONV3-10,POOL2,FLATTEN,FC-3".split(","))
    # By hand too: (9+1)10 = 100; (90+1)10 = 910; FC (490+1)3 = 1473.
    assert params == [100, 0, 910, 0, 0, 1473]
    assert vd.results["params"] == params
    assert vd.results["shapes"] == shapes
    assert vd.results["total_params"] == sum(params)
    table = vd.derivation.parts[0].tables[0]
    assert [row[0] for row in table.rows] == ["input", "CONV3-10", "POOL2", "CONV3-10", "POOL2", "FLATTEN", "FC-3"]


def brute_table(w: int, h: int, c: int, layers: list[str]) -> tuple[list[int], list[str]]:
    params, shapes, flat = [], [], None
    for tok in layers:
        if tok.startswith("CONV"):
            k, f = map(int, tok[4:].split("-"))
            w, h = brute_count(w, k, (k - 1) // 2, 1, 1), brute_count(h, k, (k - 1) // 2, 1, 1)
            params.append(torch_free_param_count(k, c, f))
            c = f
            shapes.append(f"{w}x{h}x{c}")
        elif tok.startswith("POOL"):
            k = int(tok[4:])
            w, h = brute_count(w, k, 0, k, 1), brute_count(h, k, 0, k, 1)
            params.append(0)
            shapes.append(f"{w}x{h}x{c}")
        elif tok == "FLATTEN":
            flat = w * h * c
            params.append(0)
            shapes.append(str(flat))
        elif tok.startswith("FC-"):
            k = int(tok[3:])
            n_in = flat if flat is not None else w * h * c
            params.append((n_in + 1) * k)
            flat = k
            shapes.append(str(k))
    return params, shapes


@pytest.mark.parametrize("inp, layers", [
    ("32x32x3", "CONV5-6,POOL2,CONV5-16,POOL2,FLATTEN,FC-120,FC-84,FC-10"),
    ("30x20x2", "CONV3-4,POOL3,FLATTEN,FC-5"),
    ("9x9x1", "CONV3-2,CONV3-2,POOL2,FLATTEN,FC-1"),
])
def test_cnn_table_matches_brute_force(derive_run, inp, layers):
    vd = derive_run("cnn_table", input=inp, layers=layers)
    w, h, c = map(int, inp.split("x"))
    params, shapes = brute_table(w, h, c, layers.split(","))
    assert vd.results["params"] == params
    assert vd.results["shapes"] == shapes
    assert vd.results["total_params"] == sum(params)


def test_cnn_table_symbolic_input(derive_run):
    vd = derive_run("cnn_table", input="Wx28x1", layers="CONV3-4,POOL2")
    W = sp.Symbol("W", integer=True, positive=True)
    assert vd.results["shapes"][1] == f"{sp.floor(W / 2)}x14x4"


@pytest.mark.parametrize("params, message", [
    ({"layers": "CONV3-10,POOLX"}, "cnn_table: layer 'POOLX' is not understood "
                                   "(expected CONVk-F, POOLk, FLATTEN, FC-k or RELU)"),
    ({"input": "28x28"}, "cnn_table: input must look like WxHxC, e.g. 28x28x1 (got '28x28')"),
    ({"layers": "FLATTEN,CONV3-2"}, "cnn_table: layer 2 (CONV3-2) needs a WxHxC input, not a flat vector"),
    ({"input": "2x2x1", "layers": "POOL3"}, "cnn_table: layer 1 (POOL3) leaves an empty activation (0x0x1)"),
    ({"layers": "CONV0-3"}, "cnn_table: layer 'CONV0-3' needs sizes >= 1"),
])
def test_cnn_table_bad_input_is_one_clear_line(params, message):
    with pytest.raises(ParameterError) as err:
        pl.run("cnn_table", params)
    assert str(err.value) == message


def test_conv_layer_rejects_a_window_that_does_not_fit():
    with pytest.raises(ParameterError) as err:
        pl.run("conv_layer", {"W": 2, "H": 2, "C": 1, "K": 5, "P": 0, "S": 1, "F": 1})
    assert str(err.value) == ("conv_layer: the output width is -2: the window does not fit in the (padded) input")
