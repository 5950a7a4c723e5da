"""A3: tanh and the logistic sigmoid are the same nonlinearity up to an affine map.

Part (a) proves tanh(x) + 1 = 2 sigma(2x) from the exponential definitions and
reads off both conversions.  Part (b) applies (a) unit by unit to a one-hidden-
layer network written with indexed weights, so the weight and bias mapping in
both directions is itself a chain of verified steps: the identity of (a) enters
each step as an *instance* of the equation proved there (a fact the verifier
matches against (a)), not as a new claim.  Why the map extends to deep networks
is explained in the sheet's prose.
"""
from __future__ import annotations

import sympy as sp

from .. import notation as nt
from ..domains import POSITIVE_INTEGER
from ..pipeline import Inputs, pipeline
from ..step import Derivation

TITLE = "tanh and sigmoid units are equivalent"


def tanh_via_sigmoid(z: sp.Expr) -> sp.Expr:
    """tanh(z) written with the sigmoid (the identity of part (a))."""
    return 2 * nt.Sigmoid(2 * z) - 1


def sigmoid_via_tanh(z: sp.Expr) -> sp.Expr:
    """sigma(z) written with tanh (part (a) at z/2)."""
    return (sp.tanh(z / 2) + 1) / 2


@pipeline("tanh_sigmoid", TITLE, (), results=("tanh_via_sigmoid", "sigmoid_via_tanh"))
def build(p: Inputs) -> Derivation:
    d = p.builder()
    x = sp.Symbol("x", real=True)
    ex, emx = sp.exp(x), sp.exp(-x)

    a = d.part("a", "The identity, and each function through the other")
    a.eq(sp.tanh(x) + 1, (ex - emx) / (ex + emx) + 1, "definition",
         "tanh as a ratio of exponentials")
    a.then(2 * ex / (ex + emx), "common denominator", "the negative exponentials cancel in the numerator")
    a.then(2 / (1 + sp.exp(-2 * x)), "cancel", "divide numerator and denominator by the exponential of $x$")
    a.then(2 * nt.Sigmoid(2 * x), "definition", "the logistic sigmoid, evaluated at $2*x$")
    a.eq(sp.tanh(x), tanh_via_sigmoid(x), "rearrange", "subtract 1 from both sides of the identity")
    a.eq(nt.Sigmoid(x), sigmoid_via_tanh(x), "rearrange",
         "apply the identity at $x/2$ and solve for $sigmoid(x)$")
    a.result("tanh_via_sigmoid", sp.tanh(x), tanh_via_sigmoid(x))
    a.result("sigmoid_via_tanh", nt.Sigmoid(x), sigmoid_via_tanh(x))

    _network_mapping(d)
    return d.build()


def _network_mapping(d) -> None:
    """Part (b): a tanh layer and a sigmoid layer, related by an affine reparametrisation."""
    H = d.declare(sp.Symbol("H", integer=True, positive=True), POSITIVE_INTEGER)   # hidden units
    D = d.declare(sp.Symbol("D", integer=True, positive=True), POSITIVE_INTEGER)   # input size
    j, k = sp.symbols("j k", integer=True, positive=True)
    w, b, v, xx = (sp.IndexedBase(n, real=True) for n in ("w", "b", "v", "x"))
    wt, bt, vt = (sp.IndexedBase(n, real=True) for n in ("wtilde", "btilde", "vtilde"))
    c, ct = sp.Symbol("c", real=True), sp.Symbol("ctilde", real=True)

    def units(weight: sp.IndexedBase, bias: sp.IndexedBase, scale: sp.Expr = 1) -> sp.Expr:
        """Pre-activation of hidden unit j, optionally with weights and bias scaled."""
        return sp.Sum(scale * weight[j, k] * xx[k], (k, 1, D)) + scale * bias[j]

    def net(out: sp.IndexedBase, act, pre: sp.Expr, bias: sp.Expr, scale: sp.Expr = 1) -> sp.Expr:
        return sp.Sum(scale * out[j] * act(pre), (j, 1, H)) + bias

    z = units(w, b)
    zt = units(wt, bt)
    tanh_net = net(v, sp.tanh, z, c)
    sig_net = net(vt, nt.Sigmoid, zt, ct)
    forward = {vt[j]: 2 * v[j], wt[j, k]: 2 * w[j, k], bt[j]: 2 * b[j], ct: c - sp.Sum(v[j], (j, 1, H))}
    backward = {v[j]: vt[j] / 2, w[j, k]: wt[j, k] / 2, b[j]: bt[j] / 2, c: ct + sp.Sum(vt[j], (j, 1, H)) / 2}

    b_ = d.part("b", "Weight and bias mapping, tanh to sigmoid and back")
    # tanh network -> sigmoid network
    b_.eq(tanh_net, net(v, lambda u: tanh_via_sigmoid(u), z, c), "apply (a)",
          "every tanh unit is twice a sigmoid of twice its input, minus one", facts={sp.tanh(z): tanh_via_sigmoid(z)})
    b_.then(net(v, nt.Sigmoid, units(w, b, 2), c - sp.Sum(v[j], (j, 1, H)), scale=2), "linearity",
            "the $-1$ of every unit moves into the output bias; the 2 into the argument and output weight")
    b_.then(sig_net, "definition", "sigmoid network with doubled weights and biases, shifted output bias",
            facts=forward)
    # sigmoid network -> tanh network
    b_.eq(sig_net, net(vt, lambda u: sigmoid_via_tanh(u), zt, ct), "apply (a)",
          "every sigmoid unit is half of one plus tanh of half its input", facts={nt.Sigmoid(zt): sigmoid_via_tanh(zt)})
    b_.then(net(vt, sp.tanh, units(wt, bt, sp.Rational(1, 2)), ct + sp.Sum(vt[j], (j, 1, H)) / 2,
                scale=sp.Rational(1, 2)),
            "linearity", "the $1/2$ added by every unit moves into the output bias; the factor $1/2$ into the weights")
    b_.then(tanh_net, "definition", "tanh network with halved weights and biases, shifted output bias",
            facts=backward)
    # The two maps are inverse to each other: insert the forward map into the backward one.
    b_.eq(sp.Matrix([vt[j] / 2, wt[j, k] / 2, bt[j] / 2, ct + sp.Sum(vt[j], (j, 1, H)) / 2]),
          sp.Matrix([v[j], w[j, k], b[j], c]), "definition",
          "the backward map undoes the forward map: insert the forward map into it", facts=forward)
