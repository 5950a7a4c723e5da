"""B4 (a)-(f): CNN layer shapes, parameter counts and receptive fields.

One module for the four shape pipelines because they share the window-count
formula: a window of ``K`` taps with dilation ``D`` spans ``D(K - 1) + 1``
positions; on an input of width ``W`` padded by ``P`` on each side and moved by
stride ``S`` it fits at ``t = 0, 1, ...`` while ``tS + D(K-1) <= W + 2P - 1``, so
there are ``floor((W + 2P - D(K-1) - 1)/S) + 1`` outputs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy as sp

from ..domains import NONNEGATIVE_INTEGER, POSITIVE_INTEGER
from ..errors import ParameterError
from ..figures import Table
from ..pipeline import Inputs, Param, PartBuilder, pipeline
from ..step import Derivation
from ._shown import product, ratio, total


def window_count(n: sp.Expr, k: sp.Expr, pad: sp.Expr, stride: sp.Expr, dil: sp.Expr) -> sp.Expr:
    """Number of window positions (the output size) along one axis."""
    return sp.floor((n + 2 * pad - dil * (k - 1) - 1) / stride) + 1


def _count_steps(part: PartBuilder, label: sp.Symbol, n: sp.Expr, k: sp.Expr, pad: sp.Expr,
                 stride: sp.Expr, dil: sp.Expr, axis: str) -> sp.Expr:
    """``label = sum over valid window starts of 1 = floor(...) + 1``, verified.

    The count is over the starts ``0..T`` with ``T`` the last valid start, a nonnegative
    integer (the window fits; concrete inputs are checked by ``_require_positive``): a sum to
    ``floor(...)`` directly would be empty (0, not ``floor(...) + 1``) where it does not fit."""
    t = sp.Symbol("t", integer=True, nonnegative=True)
    last = sp.floor((n + 2 * pad - dil * (k - 1) - 1) / stride)
    top = sp.Symbol(f"T_{axis}", integer=True, nonnegative=True)
    part.eq(top, last, "definition", "the last valid start (the window fits, so it is at least 0)",
            facts={top: last})
    count = sp.Sum(1, (t, 0, top))
    part.eq(label, count, "definition",
            f"window $t$ covers the padded positions $t*S$ to $t*S + D*(K - 1)$; it fits while "
            f"$t*S + D*(K - 1) <= {axis} + 2*P - 1$",
            facts={label: count})
    part.then(top + 1, "count", "the number of integers $t$ from 0 to the last valid start")
    value = window_count(n, k, pad, stride, dil)
    part.then(value, "substitute", "the last valid start", facts={top: last})
    return value


def _require_positive(name: str, value: sp.Expr, what: str) -> None:
    if not value.free_symbols and value < 1:
        raise ParameterError(f"{name}: {what} is {value}: the window does not fit in the (padded) input")


CONV_PARAMS = (
    Param("W", POSITIVE_INTEGER, help="input width"),
    Param("H", POSITIVE_INTEGER, help="input height"),
    Param("C", POSITIVE_INTEGER, help="input channels"),
    Param("K", POSITIVE_INTEGER, help="filter size (K x K)"),
    Param("P", NONNEGATIVE_INTEGER, help="zero padding on each side"),
    Param("S", POSITIVE_INTEGER, help="stride"),
    Param("F", POSITIVE_INTEGER, help="number of filters"),
    Param("D", POSITIVE_INTEGER, default=1, help="dilation"),
)


@pipeline("conv_layer", "Convolutional layer: output shape and parameters", CONV_PARAMS,
          results=("out_w", "out_h", "out_c", "weights", "biases"))
def build_conv(p: Inputs) -> Derivation:
    d = p.builder()
    W, H, C, K, P, S, F, D = (p.sym(k) for k in ("W", "H", "C", "K", "P", "S", "F", "D"))
    a = d.part("a", "Output shape")
    out_w = _count_steps(a, sp.Symbol("W_out"), W, K, P, S, D, "W")
    out_h = _count_steps(a, sp.Symbol("H_out"), H, K, P, S, D, "H")
    a.eq(sp.Symbol("C_out"), F, "definition", "one output channel per filter", facts={sp.Symbol("C_out"): F})
    a.result("out_w", sp.Symbol("W_out"), out_w)
    a.result("out_h", sp.Symbol("H_out"), out_h)
    a.result("out_c", sp.Symbol("C_out"), F)
    b = d.part("b", "Parameters")
    n_w, n_b = sp.Symbol("N_weights"), sp.Symbol("N_biases")
    b.eq(n_w, product(F, K, K, C), "definition", "each of the $F$ filters has $K$ × $K$ × $C$ weights",
         facts={n_w: product(F, K, K, C)})
    b.then(F * K**2 * C, "collect")
    b.eq(n_b, F, "definition", "one bias per filter", facts={n_b: F})
    b.result("weights", n_w, F * K**2 * C)
    b.result("biases", n_b, F)
    values = p.substitutions()
    _require_positive("conv_layer", out_w.xreplace(values), "the output width")
    _require_positive("conv_layer", out_h.xreplace(values), "the output height")
    return d.build()


POOL_PARAMS = (
    Param("W", POSITIVE_INTEGER, help="input width"),
    Param("H", POSITIVE_INTEGER, help="input height"),
    Param("C", POSITIVE_INTEGER, help="input channels"),
    Param("K", POSITIVE_INTEGER, help="pooling window (K x K)"),
    Param("S", POSITIVE_INTEGER, help="stride"),
)


@pipeline("pool_layer", "Pooling layer: output shape", POOL_PARAMS, results=("out_w", "out_h", "out_c"))
def build_pool(p: Inputs) -> Derivation:
    d = p.builder()
    W, H, C, K, S = (p.sym(k) for k in ("W", "H", "C", "K", "S"))
    a = d.part("a", "Output shape (no padding, no parameters)")
    out_w = _count_steps(a, sp.Symbol("W_out"), W, K, 0, S, 1, "W")
    out_h = _count_steps(a, sp.Symbol("H_out"), H, K, 0, S, 1, "H")
    a.eq(sp.Symbol("C_out"), C, "definition", "pooling acts on each channel separately",
         facts={sp.Symbol("C_out"): C})
    a.result("out_w", sp.Symbol("W_out"), out_w)
    a.result("out_h", sp.Symbol("H_out"), out_h)
    a.result("out_c", sp.Symbol("C_out"), C)
    values = p.substitutions()
    _require_positive("pool_layer", out_w.xreplace(values), "the output width")
    _require_positive("pool_layer", out_h.xreplace(values), "the output height")
    return d.build()


RF_PARAMS = (
    Param("L", POSITIVE_INTEGER, help="number of conv layers"),
    Param("K", POSITIVE_INTEGER, help="filter size of every layer (stride 1)"),
)


@pipeline("receptive_field", "Receptive field of stacked stride-1 convolutions", RF_PARAMS, results=("rf",))
def build_rf(p: Inputs) -> Derivation:
    d = p.builder()
    L, K = p.sym("L"), p.sym("K")
    l = sp.Symbol("l", integer=True, positive=True)
    r = sp.Symbol("r_L")
    a = d.part("a", "Receptive field of the last output")
    unrolled = 1 + sp.Sum(K - 1, (l, 1, L))
    a.eq(r, unrolled, "definition",
         "one input pixel to start; each stride-1 $K$ × $K$ layer adds $K - 1$ pixels on the way down",
         facts={r: unrolled})
    a.then(1 + L * (K - 1), "evaluate sums", "$L$ equal terms")
    a.result("rf", r, 1 + L * (K - 1))
    return d.build()


# --------------------------------------------------------------------------- #
# cnn_table
# --------------------------------------------------------------------------- #

_LAYER_HELP = "expected CONVk-F, POOLk, FLATTEN, FC-k or RELU"


@dataclass(frozen=True)
class Layer:
    """A parsed layer token: its kind and size numbers."""

    token: str
    kind: str          # conv | pool | flatten | fc | relu
    k: int = 0
    f: int = 0


def parse_layers(text: object) -> list[Layer]:
    if not isinstance(text, str) or not text.strip():
        raise ParameterError(f"cnn_table: layers must be a comma-separated string ({_LAYER_HELP})")
    layers = []
    for raw in text.split(","):
        tok = raw.strip().upper()
        if m := re.fullmatch(r"CONV(\d+)-(\d+)", tok):
            layer = Layer(tok, "conv", int(m[1]), int(m[2]))
        elif m := re.fullmatch(r"POOL(\d+)", tok):
            layer = Layer(tok, "pool", int(m[1]))
        elif m := re.fullmatch(r"FC-(\d+)", tok):
            layer = Layer(tok, "fc", f=int(m[1]))
        elif tok in ("FLATTEN", "RELU"):
            layer = Layer(tok, tok.lower())
        else:
            raise ParameterError(f"cnn_table: layer '{raw.strip()}' is not understood ({_LAYER_HELP})")
        if (layer.kind in ("conv", "pool") and layer.k < 1) or (layer.kind in ("conv", "fc") and layer.f < 1):
            raise ParameterError(f"cnn_table: layer '{raw.strip()}' needs sizes >= 1")
        layers.append(layer)
    return layers


def parse_shape(text: object) -> tuple[sp.Expr, ...]:
    """``"28x28x1"`` -> (28, 28, 1); a name (``"Wx28x3"``) is a positive-integer symbol."""
    parts = re.split(r"\s*[xX]\s*", text.strip()) if isinstance(text, str) else []
    if len(parts) != 3 or not all(re.fullmatch(r"\d+|[A-Za-z]\w*", q) for q in parts):
        raise ParameterError(f"cnn_table: input must look like WxHxC, e.g. 28x28x1 (got {text!r})")
    dims = tuple(sp.Integer(q) if q.isdigit() else POSITIVE_INTEGER.symbol(q) for q in parts)
    if any(x.is_number and x < 1 for x in dims):
        raise ParameterError(f"cnn_table: input dimensions must be >= 1 (got {text!r})")
    return dims


def shape_text(shape: tuple[sp.Expr, ...]) -> str:
    return "x".join(str(x) for x in shape)


TABLE_PARAMS = (
    Param("input", kind="json", default="28x28x1", help="input shape WxHxC"),
    Param("layers", kind="json", default="CONV3-10,POOL2,CONV3-10,POOL2,FLATTEN,FC-3",
          help="CONVk-F (k x k, padding (k-1)/2 rounded down, stride 1, bias), POOLk (k x k max pool, "
               "stride k), FLATTEN, FC-k (with bias), RELU"),
)


@pipeline("cnn_table", "CNN parameter and shape table", TABLE_PARAMS,
          results=("params", "shapes", "total_params"))
def build_table(p: Inputs) -> Derivation:
    d = p.builder()
    shape = parse_shape(p.value("input"))
    layers = parse_layers(p.value("layers"))
    a = d.part("a", "Layer by layer")
    params: list[sp.Expr] = []
    shapes: list[str] = []
    rows: list[tuple[object, ...]] = [("input", shape_text(shape).replace("x", " × "), "0")]
    for i, layer in enumerate(layers, 1):
        n_par = sp.Symbol(f"N_{i}")
        if layer.kind in ("conv", "pool") and len(shape) != 3:
            raise ParameterError(f"cnn_table: layer {i} ({layer.token}) needs a WxHxC input, not a flat vector")
        if layer.kind == "conv":
            W, H, C = shape
            pad = (layer.k - 1) // 2
            count = product(total([product(layer.k, layer.k, C), 1]), layer.f)
            a.eq(n_par, count, "definition", f"{layer.token}: $(K^2*C + 1)*F$ weights and biases",
                 facts={n_par: count})
            a.then((layer.k**2 * C + 1) * layer.f, "arithmetic")
            sizes = []
            for x in (W, H):
                shown = total([x, product(2, pad), -layer.k, 1])
                a.eq(shown, x + 2 * pad - layer.k + 1, "window count",
                     f"{layer.token}: $W + 2*P - K + 1$ with $P = {pad}$, stride 1")
                sizes.append(x + 2 * pad - layer.k + 1)
            shape = (sizes[0], sizes[1], sp.Integer(layer.f))
            params.append((layer.k**2 * C + 1) * layer.f)
        elif layer.kind == "pool":
            sizes = []
            for x in (shape[0], shape[1]):
                shown = total([sp.floor(ratio(total([x, -layer.k]), layer.k), evaluate=False), 1])
                size = sp.floor((x - layer.k) / layer.k) + 1
                a.eq(shown, size, "window count", f"{layer.token}: $floor((W - K)/S) + 1$ with $K = {layer.k}$ and $S = {layer.k}$")
                sizes.append(size)
            shape = (sizes[0], sizes[1], shape[2])
            params.append(sp.Integer(0))
        elif layer.kind in ("flatten", "fc"):
            n_in = shape[0] * shape[1] * shape[2] if len(shape) == 3 else shape[0]
            if len(shape) == 3:
                a.eq(product(*shape), n_in, "flatten",
                     f"{layer.token}: the {shape_text(shape).replace('x', ' × ')} activation as one vector")
            if layer.kind == "fc":
                count = product(total([n_in, 1]), layer.f)
                a.eq(n_par, count, "definition", f"{layer.token}: (inputs + 1) × outputs weights and biases",
                     facts={n_par: count})
                a.then((n_in + 1) * layer.f, "arithmetic")
                shape = (sp.Integer(layer.f),)
                params.append((n_in + 1) * layer.f)
            else:
                shape = (n_in,)
                params.append(sp.Integer(0))
        else:
            params.append(sp.Integer(0))
        if any(x.is_number and x < 1 for x in shape):
            raise ParameterError(f"cnn_table: layer {i} ({layer.token}) leaves an empty activation "
                                 f"({shape_text(shape)})")
        shapes.append(shape_text(shape))
        rows.append((layer.token, shape_text(shape).replace("x", " × "), params[-1]))
    n_total = sp.Symbol("N_total")
    summed = total(params)
    a.eq(n_total, summed, "definition", "sum over the layers", facts={n_total: summed})
    total_params = sp.expand(sum(params, sp.Integer(0)))
    a.then(total_params, "arithmetic")
    a.result("total_params", n_total, total_params)
    a.tables.append(Table(("Layer", "Activation shape", "Parameters"), tuple(rows),
                          caption="CONVk-F: $k$ × $k$ filters, padding half of $k - 1$, rounded down, stride 1, with bias; "
                                  "POOLk: $k$ × $k$ max pool, stride $k$; FC-k with bias."))
    d.export("params", params)
    d.export("shapes", shapes)
    return d.build()
