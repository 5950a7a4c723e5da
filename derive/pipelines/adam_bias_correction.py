"""A5: Adam's bias correction, by unrolling the moment recurrences.

Part (a) proves by induction that the unrolled sum solves the recurrence
m_t = beta1 m_{t-1} + (1 - beta1) g_t with m_0 = 0.  Part (b) takes expectations:
linearity of expectation over the finite sum is cited as a premise (the
verifier treats E[.] as opaque), stationarity E[g_i] = mu is given, and the
geometric sum is evaluated symbolically under 0 < beta1 < 1.  Part (c) repeats
this for v_t with g_t^2, and part (d) divides out the bias.  A Monte-Carlo
simulation of many Adam trajectories (numpy, fixed seed) checks E[m_t] and
E[v_t] against the closed forms, with a tolerance of a few standard errors.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .. import notation as nt
from ..domains import POSITIVE_INTEGER, REAL, UNIT_INTERVAL, POSITIVE
from ..pipeline import Inputs, Param, PartBuilder, pipeline
from ..step import CheckRow, Derivation

PARAMS = (
    Param("beta1", UNIT_INTERVAL, help="decay rate of the first moment"),
    Param("beta2", UNIT_INTERVAL, help="decay rate of the second moment"),
    Param("t", POSITIVE_INTEGER, help="step number"),
)

#: Where the Monte-Carlo check runs for parameters left symbolic.
ILLUSTRATION = {"beta1": sp.Rational(9, 10), "beta2": sp.Rational(99, 100), "t": 10}
#: Gradient distribution of the simulation: i.i.d. normal with this mean and deviation.
MC_MEAN, MC_STD = 0.5, 1.0
MC_TRAJECTORIES, MC_SEED, MC_SIGMAS = 40_000, 0, 4.0
#: Longer horizons are simulated at the illustration's t (the cost is linear in t).
MC_MAX_STEPS = 500


@dataclass(frozen=True)
class MonteCarlo:
    """Sample means and standard errors of m_t and v_t over simulated trajectories."""

    m_mean: float
    m_stderr: float
    v_mean: float
    v_stderr: float
    trajectories: int


def simulate(beta1: float, beta2: float, t: int, mean: float = MC_MEAN, std: float = MC_STD,
             trajectories: int = MC_TRAJECTORIES, seed: int = MC_SEED) -> MonteCarlo:
    """Run the Adam moment recurrences on i.i.d. N(mean, std^2) gradients."""
    rng = np.random.default_rng(seed)
    m = np.zeros(trajectories)
    v = np.zeros(trajectories)
    for _ in range(t):
        g = rng.normal(mean, std, trajectories)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
    root = math.sqrt(trajectories)
    return MonteCarlo(float(m.mean()), float(m.std(ddof=1)) / root,
                      float(v.mean()), float(v.std(ddof=1)) / root, trajectories)


def unrolled(beta: sp.Expr, g: sp.Expr, n: sp.Expr, i: sp.Symbol) -> sp.Expr:
    """(1 - beta) * sum_{i=1}^{n} beta^(n - i) g_i, where ``g`` is a function of i."""
    return (1 - beta) * sp.Sum(beta ** (n - i) * g, (i, 1, n))


def _moment(part: PartBuilder, name: str, beta: sp.Symbol, t: sp.Symbol, i: sp.Symbol,
            g_i: sp.Expr, mean: sp.Expr, what: str) -> sp.Expr:
    """Unroll one moment recurrence and take its expectation; returns E[moment_t]."""
    m = sp.IndexedBase(name, real=True)
    g_t = g_i.xreplace({i: t})
    part.eq(m[t], beta * m[t - 1] + (1 - beta) * g_t, "definition",
            f"the recurrence of {what}, started at zero", facts={m[t]: beta * m[t - 1] + (1 - beta) * g_t})
    part.eq(unrolled(beta, g_i, 0, i), 0, "empty sum", f"the unrolled form holds at $t = 0$, where ${name}_0 = 0$")
    hypothesis = unrolled(beta, g_i, t - 1, i)
    part.eq(m[t - 1], hypothesis, "premise", "induction hypothesis: the unrolled form holds at $t - 1$",
            facts={m[t - 1]: hypothesis})
    recurrence = beta * m[t - 1] + (1 - beta) * g_t
    closed = unrolled(beta, g_i, t, i)
    part.eq(m[t], beta * hypothesis + (1 - beta) * g_t, "induction step",
            "insert the hypothesis into the recurrence", facts={m[t]: recurrence, m[t - 1]: hypothesis})
    part.then((1 - beta) * sp.Sum(beta ** (t - i) * g_i, (i, 1, t - 1)) + (1 - beta) * g_t, "linearity",
              f"the factor ${beta}$ moves into the sum")
    part.then(closed, "last term", "the new gradient is the term $i = t$ of the sum; by induction this holds for all $t$")
    e = nt.Expectation
    part.eq(e(m[t]), e(closed), "substitute", "take expectations of the unrolled form", facts={m[t]: closed})
    part.then((1 - beta) * sp.Sum(beta ** (t - i) * e(g_i), (i, 1, t)), "premise",
              "linearity of expectation over a finite sum", facts={e(closed): (1 - beta) * sp.Sum(beta ** (t - i) * e(g_i), (i, 1, t))})
    part.then((1 - beta) * sp.Sum(beta ** (t - i) * mean, (i, 1, t)), "given",
              "stationary gradients: every term has the same mean", facts={e(g_i): mean})
    k = sp.Symbol("k", integer=True, nonnegative=True)
    part.then(mean * (1 - beta) * sp.Sum(beta**k, (k, 0, t - 1)), "reindex",
              "$k = t - i$ runs from 0 to $t - 1$; the mean leaves the sum")
    part.then(mean * (1 - beta ** t), "geometric sum", f"a finite geometric sum, with ${beta}$ different from 1")
    return e(m[t])


@pipeline("adam_bias_correction", "Adam bias correction", PARAMS, results=("m_bias_factor", "v_bias_factor"))
def build(p: Inputs) -> Derivation:
    d = p.builder()
    b1, b2, t = p.sym("beta1"), p.sym("beta2"), p.sym("t")
    i = sp.Symbol("i", integer=True, positive=True)
    g = sp.IndexedBase("g", real=True)
    mu = d.declare(sp.Symbol("mu", real=True), REAL)
    s = d.declare(sp.Symbol("s", positive=True), POSITIVE)

    a = d.part("a", "First moment: unroll and take expectations")
    em = _moment(a, "m", b1, t, i, g[i], mu, "the first moment")
    a.eq(em / mu, 1 - b1**t, "divide by $mu$", "the bias factor $E(m_t)/E(g)$ for a nonzero mean",
         facts={em: mu * (1 - b1**t)})
    a.result("m_bias_factor", em / mu, 1 - b1**t)

    b = d.part("b", "Second moment")
    ev = _moment(b, "v", b2, t, i, g[i] ** 2, s, "the second moment")
    b.eq(ev / s, 1 - b2**t, "divide by $s$", "the bias factor $E(v_t)/E(g^2)$", facts={ev: s * (1 - b2**t)})
    b.result("v_bias_factor", ev / s, 1 - b2**t)

    c = d.part("c", "Bias-corrected moments")
    m, v = sp.IndexedBase("m", real=True), sp.IndexedBase("v", real=True)
    mhat, vhat = sp.IndexedBase("mhat", real=True), sp.IndexedBase("vhat", real=True)
    e = nt.Expectation
    c.eq(e(mhat[t]), e(m[t] / (1 - b1**t)), "definition", "divide $m_t$ by its bias factor",
         facts={mhat[t]: m[t] / (1 - b1**t)})
    c.then(e(m[t]) / (1 - b1**t), "premise", "a constant factor leaves the expectation",
           facts={e(m[t] / (1 - b1**t)): e(m[t]) / (1 - b1**t)})
    c.then(mu, "from (a)", "insert $E(m_t)$", facts={em: mu * (1 - b1**t)})
    c.eq(e(vhat[t]), e(v[t] / (1 - b2**t)), "definition", "divide $v_t$ by its bias factor",
         facts={vhat[t]: v[t] / (1 - b2**t)})
    c.then(e(v[t]) / (1 - b2**t), "premise", "a constant factor leaves the expectation",
           facts={e(v[t] / (1 - b2**t)): e(v[t]) / (1 - b2**t)})
    c.then(s, "from (b)", "insert $E(v_t)$", facts={ev: s * (1 - b2**t)})

    _monte_carlo(p, a, b, b1, b2, t, mu, s, em, ev)
    return d.build()


def _monte_carlo(p: Inputs, a: PartBuilder, b: PartBuilder, b1: sp.Symbol, b2: sp.Symbol, t: sp.Symbol,
                 mu: sp.Symbol, s: sp.Symbol, em: sp.Expr, ev: sp.Expr) -> None:
    """Check E[m_t] and E[v_t] against simulated Adam trajectories."""
    values = {k: sp.sympify(p.value(k)) for k in ("beta1", "beta2", "t")}
    for k, v in values.items():
        if v.free_symbols or (k == "t" and v > MC_MAX_STEPS):
            values[k] = sp.sympify(ILLUSTRATION[k])
    beta1, beta2, steps = float(values["beta1"]), float(values["beta2"]), int(values["t"])
    mc = simulate(beta1, beta2, steps)
    second = sp.Rational(str(MC_MEAN)) ** 2 + sp.Rational(str(MC_STD)) ** 2
    point = {b1: values["beta1"], b2: values["beta2"], t: values["t"], mu: sp.Rational(str(MC_MEAN)), s: second}
    shown = ", ".join(f"${k}$ = ${values[k]}$" for k in ("beta1", "beta2", "t"))  # '=' outside the math: derive check reads a relation in text math as a claim
    method = (f"Monte-Carlo at {shown}: {mc.trajectories} runs, normal gradients "
              f"(mean {MC_MEAN:g}, sd {MC_STD:g}), seed {MC_SEED}")
    a.check(CheckRow(em.xreplace(point), float((mu * (1 - b1**t)).xreplace(point)), mc.m_mean,
                     MC_SIGMAS * mc.m_stderr, method))
    b.check(CheckRow(ev.xreplace(point), float((s * (1 - b2**t)).xreplace(point)), mc.v_mean,
                     MC_SIGMAS * mc.v_stderr, method))
