"""A2: the gradient of a convolution filter, its mean and variance, and pooling.

Part (a) derives dL/dw_hl by the chain rule, (b) its mean and variance for
independent zero-mean inputs and upstream gradients (the statistical facts are
stated once as premises and cited), with a Monte-Carlo cross-check of the
closed form, and (c) backpropagates through one 2x2 pooling window, where the
verifier differentiates the pooling itself.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from .. import notation as nt
from ..domains import POSITIVE, POSITIVE_INTEGER
from ..errors import ParameterError
from ..pipeline import Inputs, Param, pipeline
from ..step import CheckRow, Derivation

PARAMS = (
    Param("n", POSITIVE_INTEGER, help="side of the square input"),
    Param("k", POSITIVE_INTEGER, help="side of the square filter (k <= n)"),
    Param("sigma_x", POSITIVE, help="standard deviation of the input entries"),
    Param("sigma_g", POSITIVE, help="standard deviation of the upstream gradient entries"),
)

#: Where the Monte-Carlo check runs when a parameter is symbolic (or the input is huge).
ILLUSTRATION = {"n": 8, "k": 3, "sigma_x": 1.5, "sigma_g": 0.5}
MC_SAMPLES = 20_000
MC_ENTRIES = 4_000_000      # at most this many random numbers per check
SEED = 0


def monte_carlo_dw(n: int, k: int, sigma_x: float, sigma_g: float,
                   samples: int = MC_SAMPLES, seed: int = SEED) -> np.ndarray:
    """Samples of dL/dw_11 = sum_ij x_{i,j} dy_{i,j} from full Gaussian x (n x n), dy (m x m)."""
    m = n - k + 1
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, sigma_x, size=(samples, n, n))
    dy = rng.normal(0.0, sigma_g, size=(samples, m, m))
    return np.einsum("sij,sij->s", x[:, :m, :m], dy)


def variance_check(n: int, k: int, sigma_x: float, sigma_g: float) -> tuple[float, float, float, int]:
    """Sample mean, sample variance and the standard error of the variance."""
    m = n - k + 1
    samples = max(500, min(MC_SAMPLES, MC_ENTRIES // (n * n + m * m)))
    dw = monte_carlo_dw(n, k, sigma_x, sigma_g, samples)
    var = float(dw.var(ddof=1))
    m4 = float(np.mean((dw - dw.mean()) ** 4))
    se_var = math.sqrt(max(m4 - var**2, 0.0) / samples)
    return float(dw.mean()), var, se_var, samples


def _check_point(p: Inputs) -> dict[str, float]:
    values = {k: sp.sympify(p.value(k)) for k in ("n", "k", "sigma_x", "sigma_g")}
    if any(v.free_symbols for v in values.values()) or int(values["n"]) ** 2 > MC_ENTRIES // 500:
        return dict(ILLUSTRATION)
    return {"n": int(values["n"]), "k": int(values["k"]),
            "sigma_x": float(values["sigma_x"]), "sigma_g": float(values["sigma_g"])}


@pipeline("conv_weight_grad_variance", "Gradient variance of conv weights", PARAMS,
          results=("mean", "variance", "std"))
def build(p: Inputs) -> Derivation:
    nv, kv = sp.sympify(p.value("n")), sp.sympify(p.value("k"))
    if nv.is_Integer and kv.is_Integer and kv > nv:
        raise ParameterError(f"conv_weight_grad_variance: k={kv} must be at most n={nv}")
    d = p.builder()
    n, k, sx, sg = (p.sym(key) for key in ("n", "k", "sigma_x", "sigma_g"))
    m = d.declare(POSITIVE_INTEGER.symbol("m"), POSITIVE_INTEGER)
    i, j, h, l, a_, b_ = sp.symbols("i j h l p q", integer=True, positive=True)
    x, w, y = sp.IndexedBase("x"), sp.IndexedBase("w"), sp.IndexedBase("y")
    eta = POSITIVE.symbol("eta")
    G = nt.Grad

    # (a) ------------------------------------------------------------------ #
    a = d.part("a", "The filter gradient and one SGD step")
    a.eq(m, n - k + 1, "definition", "no padding, stride 1", facts={m: n - k + 1})
    conv = sp.Sum(x[i + a_ - 1, j + b_ - 1] * w[a_, b_], (b_, 1, k), (a_, 1, k))
    a.eq(y[i, j], conv, "definition", "the convolution (a cross-correlation), for $i$ and $j$ from 1 to $m$",
         facts={y[i, j]: conv})
    chain = sp.Sum(G(y[i, j]) * sp.Derivative(y[i, j], w[h, l]), (j, 1, m), (i, 1, m))
    window = x[i + h - 1, j + l - 1]
    a.eq(sp.Derivative(y[i, j], w[h, l]), window, "premise",
         "$Indexed('w', h, l)$ appears in $Indexed('y', i, j)$ once, in the term $p = h$, $q = l$, with "
         "coefficient $Indexed('x', i + h - 1, j + l - 1)$",
         facts={sp.Derivative(y[i, j], w[h, l]): window})
    a.eq(G(w[h, l]), chain, "premise", "chain rule: $Indexed('w', h, l)$ reaches $L$ through every output $Indexed('y', i, j)$",
         facts={G(w[h, l]): chain})
    grad = sp.Sum(window * G(y[i, j]), (j, 1, m), (i, 1, m))
    a.then(grad, "differentiate", "insert the partial derivative above",
           facts={sp.Derivative(y[i, j], w[h, l]): window})
    w_new = sp.IndexedBase("w'")[h, l]
    a.eq(w_new, w[h, l] - eta * grad, "definition", "one SGD step with learning rate $eta$",
         facts={w_new: w[h, l] - eta * grad})

    # (b) ------------------------------------------------------------------ #
    X, Y = window, G(y[i, j])
    E, Var = nt.Expectation, nt.Variance
    bb = d.part("b", "Mean, variance and standard deviation of $Grad(Indexed('w', h, l))$")
    premises = [
        (E(X), 0, "inputs have zero mean"), (E(Y), 0, "upstream gradients have zero mean"),
        (E(X**2), sx**2, "zero mean: the second moment is the variance"),
        (E(Y**2), sg**2, "zero mean: the second moment is the variance"),
        (E(X * Y), E(X) * E(Y), "the inputs and the upstream gradients are independent"),
        (E(X**2 * Y**2), E(X**2) * E(Y**2), "the inputs and the upstream gradients are independent"),
    ]
    for lhs, rhs, why in premises:
        bb.eq(lhs, rhs, "given", why, facts={lhs: rhs})
    dw = G(w[h, l])
    mean_terms = sp.Sum(E(X * Y), (j, 1, m), (i, 1, m))
    bb.eq(E(dw), mean_terms, "premise", "(a) and linearity of expectation", facts={E(dw): mean_terms})
    bb.then(sp.Sum(E(X) * E(Y), (j, 1, m), (i, 1, m)), "independence", "the mean of a product of independent factors is the product of their means",
            facts={E(X * Y): E(X) * E(Y)})
    bb.then(0, "zero mean", "every term vanishes", facts={E(X): 0, E(Y): 0})
    bb.result("mean", E(dw), 0)

    bb.eq(Var(X * Y), E(X**2 * Y**2) - E(X * Y) ** 2, "definition", "$Var(Z) = E(Z^2) - E(Z)^2$",
          facts={Var(X * Y): E(X**2 * Y**2) - E(X * Y) ** 2})
    bb.then(sx**2 * sg**2, "independence", "factor the expectations, then insert the moments above",
            facts={E(X**2 * Y**2): E(X**2) * E(Y**2), E(X * Y): E(X) * E(Y),
                   E(X**2): sx**2, E(Y**2): sg**2, E(X): 0, E(Y): 0})
    var_terms = sp.Sum(Var(X * Y), (j, 1, m), (i, 1, m))
    bb.eq(Var(dw), var_terms, "premise",
          "the $m^2$ terms are uncorrelated (distinct upstream gradients are independent with zero mean), "
          "so variances add",
          facts={Var(dw): var_terms})
    bb.then(sp.Sum(sx**2 * sg**2, (j, 1, m), (i, 1, m)), "insert", "each term has variance $sigma_x^2*sigma_g^2$",
            facts={Var(X * Y): sx**2 * sg**2})
    bb.then(m**2 * sx**2 * sg**2, "evaluate the sums", "$m^2$ equal terms")
    variance = (n - k + 1) ** 2 * sx**2 * sg**2
    bb.then(variance, "definition of $m$", "$m = n - k + 1$", facts={m: n - k + 1})
    bb.result("variance", Var(dw), variance)

    std = (n - k + 1) * sx * sg
    bb.eq(nt.StdDev(dw), sp.sqrt(Var(dw)), "definition", "the standard deviation is the root of the variance",
          facts={nt.StdDev(dw): sp.sqrt(Var(dw))})
    bb.then(m * sx * sg, "insert", "the variance above; $m$, $sigma_x$ and $sigma_g$ are positive",
            facts={Var(dw): m**2 * sx**2 * sg**2})
    bb.then(std, "definition of $m$", "$m = n - k + 1$", facts={m: n - k + 1})
    bb.result("std", nt.StdDev(dw), std)
    bb.eq(sp.Limit(std / n, n, sp.oo), sx * sg, "limit", "the standard deviation grows linearly in $n$")
    bb.eq(sp.Limit(variance / n**2, n, sp.oo), sx**2 * sg**2, "limit", "the variance grows quadratically in $n$")

    pt = _check_point(p)
    mean_est, var_est, se_var, samples = variance_check(pt["n"], pt["k"], pt["sigma_x"], pt["sigma_g"])
    point = {n: pt["n"], k: pt["k"], sx: sp.nsimplify(pt["sigma_x"]), sg: sp.nsimplify(pt["sigma_g"])}
    exact_var = float(variance.xreplace(point))
    # Tolerances are 5 standard errors of the estimates (seed SEED).
    # '=' outside the math: derive check reads a relation in text math as a claim
    where = f"$n$ = {pt['n']}, $k$ = {pt['k']}, $sigma_x$ = {pt['sigma_x']:g}, $sigma_g$ = {pt['sigma_g']:g}"
    bb.check(CheckRow(Var(dw), exact_var, var_est, 5 * se_var,
                      f"Monte-Carlo, {samples} samples, {where}"))
    bb.check(CheckRow(E(dw), 0.0, mean_est, 5 * math.sqrt(var_est / samples), "the same samples"))

    # (c) ------------------------------------------------------------------ #
    # delta is the upstream gradient dL/dz of the window's output z; L = delta z to first order.
    delta = sp.Symbol("delta", real=True)
    cells = [x[1, 1], x[1, 2], x[2, 1], x[2, 2]]
    cc = d.part("c", "Backprop through one 2 × 2 pooling window (stride 2: windows do not overlap)")
    mean_pool = delta * sum(cells) / 4
    cc.eq(sp.Matrix(2, 2, [G(c) for c in cells]), sp.Matrix(2, 2, [delta / 4] * 4), "definition",
          "average pooling: $z$ is the mean of the window, $delta = Grad(z)$; differentiate $L = delta*z$",
          facts={G(c): sp.Derivative(mean_pool, c) for c in cells})
    max_pool = delta * sp.Max(*cells)
    routed = [delta * sp.Heaviside(c - sp.Max(*[o for o in cells if o != c])) for c in cells]
    cc.eq(sp.Matrix(4, 1, [G(c) for c in cells]), sp.Matrix(4, 1, routed), "definition",
          "max pooling: $z$ is the largest entry; differentiate $L = delta*z$ ($theta$: unit step)",
          facts={G(c): sp.Derivative(max_pool, c) for c in cells})
    return d.build()
