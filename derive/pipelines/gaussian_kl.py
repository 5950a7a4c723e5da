"""A6: KL divergence between two univariate Gaussians, from the integral.

The reference pipeline: read this module with the README section "Adding a
pipeline".  It declares its parameters with domains, derives symbolically with a
builder, boxes its result, and adds an independent cross-check (quadrature of
the defining integral with mpmath, which shares no code with SymPy's
symbolic integration).
"""
from __future__ import annotations

import mpmath
import sympy as sp

from .. import notation as nt
from ..domains import POSITIVE, REAL
from ..pipeline import Inputs, Param, pipeline
from ..step import CheckRow, Derivation

PARAMS = (
    Param("mu1", REAL, default="mu", help="mean of P"),
    Param("sigma1", POSITIVE, default="sigma", help="standard deviation of P"),
    Param("mu2", REAL, default=0, help="mean of Q"),
    Param("sigma2", POSITIVE, default=1, help="standard deviation of Q"),
)

#: Where the quadrature check is run when the parameters are symbolic.
ILLUSTRATION = {"mu1": sp.Rational(1, 2), "sigma1": sp.Rational(3, 2), "mu2": -1, "sigma2": 2}


def gaussian_pdf(x: sp.Symbol, mu: sp.Expr, sigma: sp.Expr) -> sp.Expr:
    return sp.exp(-(x - mu) ** 2 / (2 * sigma**2)) / (sp.sqrt(2 * sp.pi) * sigma)


def kl_closed_form(mu1: sp.Expr, sigma1: sp.Expr, mu2: sp.Expr, sigma2: sp.Expr) -> sp.Expr:
    return sp.log(sigma2 / sigma1) + (sigma1**2 + (mu1 - mu2) ** 2) / (2 * sigma2**2) - sp.Rational(1, 2)


def quadrature_kl(mu1: float, sigma1: float, mu2: float, sigma2: float) -> float:
    """KL by numerically integrating p log(p/q) over the real line."""
    def integrand(t: mpmath.mpf) -> mpmath.mpf:
        lp = -((t - mu1) ** 2) / (2 * sigma1**2) - mpmath.log(mpmath.sqrt(2 * mpmath.pi) * sigma1)
        lq = -((t - mu2) ** 2) / (2 * sigma2**2) - mpmath.log(mpmath.sqrt(2 * mpmath.pi) * sigma2)
        return mpmath.exp(lp) * (lp - lq)

    with mpmath.workdps(30):
        return float(mpmath.quad(integrand, [-mpmath.inf, mu1, mpmath.inf]))


@pipeline("gaussian_kl", "KL divergence between Gaussians", PARAMS, results=("kl",))
def build(p: Inputs) -> Derivation:
    d = p.builder()
    mu1, s1, mu2, s2 = (p.sym(k) for k in ("mu1", "sigma1", "mu2", "sigma2"))
    x = sp.Symbol("x", real=True)
    P, Q = nt.Normal(mu1, s1**2), nt.Normal(mu2, s2**2)
    kl = nt.KL(P, Q)
    # Named densities keep the integrals short enough to read; the first step
    # of (a) states what p and q are, and the verifier unfolds them.
    pdf_p = nt.NamedGaussianPdf(x, mu1, s1**2, sp.Symbol("p"))
    pdf_q = nt.NamedGaussianPdf(x, mu2, s2**2, sp.Symbol("q"))
    log_ratio = sp.log(s2 / s1) - (x - mu1) ** 2 / (2 * s1**2) + (x - mu2) ** 2 / (2 * s2**2)
    defining = sp.Integral(pdf_p * sp.log(pdf_p / pdf_q), (x, -sp.oo, sp.oo))

    second_moment = sp.Integral(pdf_p * (x - mu1) ** 2, (x, -sp.oo, sp.oo))
    cross_moment = sp.Integral(pdf_p * (x - mu2) ** 2, (x, -sp.oo, sp.oo))
    mass = sp.Integral(pdf_p, (x, -sp.oo, sp.oo))
    closed = kl_closed_form(mu1, s1, mu2, s2)

    a = d.part("a", "From the definition")
    a.eq(pdf_p, nt.GaussianPdf(x, mu1, s1**2), "definition", "$p$ is the density of $P$")
    a.eq(pdf_q, nt.GaussianPdf(x, mu2, s2**2), "definition", "$q$ is the density of $Q$")
    a.eq(sp.log(pdf_p / pdf_q), log_ratio, "log rules",
         "the normalising constants give a log of the ratio of deviations; the exponents subtract")
    first_moment = sp.Integral(pdf_p * (x - mu1), (x, -sp.oo, sp.oo))
    a.eq(mass, 1, "normalisation", "a density integrates to one")
    a.eq(first_moment, 0, "Gaussian moment", "$P$ is symmetric about its mean")
    a.eq(second_moment, s1**2, "Gaussian moment", "the second central moment of $P$ is its variance")
    # The moment about mu2 goes through the moments about mu1: each integral is a
    # standard one, which keeps the proof fast and shows the bias-variance split.
    a.eq(cross_moment,
         second_moment + 2 * (mu1 - mu2) * first_moment + (mu1 - mu2) ** 2 * mass,
         "linearity", "expand $(x - mu2)^2$ around $mu1$")
    a.then(s1**2 + (mu1 - mu2) ** 2, "moments", "insert the moments above",
           facts={mass: 1, first_moment: 0, second_moment: s1**2})
    a.eq(kl, defining, "definition", "the expectation under $P$ of the log density ratio",
         facts={kl: defining})
    a.then(sp.Integral(pdf_p * log_ratio, (x, -sp.oo, sp.oo)), "substitute", "insert the log ratio",
           facts={sp.log(pdf_p / pdf_q): log_ratio})
    a.then(sp.log(s2 / s1) * mass - second_moment / (2 * s1**2) + cross_moment / (2 * s2**2),
           "linearity", "split the integral into three Gaussian moments")
    a.then(sp.log(s2 / s1) - s1**2 / (2 * s1**2) + (s1**2 + (mu1 - mu2) ** 2) / (2 * s2**2),
           "moments", "insert the three moments above",
           facts={mass: 1, second_moment: s1**2, cross_moment: s1**2 + (mu1 - mu2) ** 2})
    a.result("kl", kl, closed)

    # Part (b) always shows the catalogue's special case with fresh symbols.
    mu, sigma = sp.Symbol("mu", real=True), POSITIVE.symbol("sigma")
    std = nt.KL(nt.Normal(mu, sigma**2), nt.Normal(0, 1))
    special = (mu**2 + sigma**2 - sp.log(sigma**2) - 1) / 2
    b = d.part("b", "Special case: $Q$ is $Normal(0, 1)$")
    b.eq(std, kl_closed_form(mu, sigma, 0, 1), "specialise", "set $mu2 = 0$ and $sigma2 = 1$ in (a)",
         facts={std: kl_closed_form(mu, sigma, 0, 1)})
    b.then(special, "log rules", "$-log(sigma) = -log(sigma^2)/2$")
    b.result("kl_standard", std, special)

    # Cross-check: quadrature of the defining integral against the closed form.
    values = {k: p.value(k) for k in ("mu1", "sigma1", "mu2", "sigma2")}
    if any(sp.sympify(v).free_symbols for v in values.values()):
        values = dict(ILLUSTRATION)
    point = {mu1: values["mu1"], s1: values["sigma1"], mu2: values["mu2"], s2: values["sigma2"]}
    exact = float(closed.xreplace(point))
    estimate = quadrature_kl(*(float(values[k]) for k in ("mu1", "sigma1", "mu2", "sigma2")))
    a.check(CheckRow(kl.xreplace(point), exact, estimate, 1e-9 * max(1.0, abs(exact)),
                     "mpmath quadrature of the defining integral"))
    return d.build()
