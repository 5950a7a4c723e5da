"""gaussian_kl against independent values: mpmath quadrature and a hand formula."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from scipy import integrate

from derive.pipelines.gaussian_kl import quadrature_kl


def scipy_kl(mu1: float, s1: float, mu2: float, s2: float) -> float:
    """KL by scipy quadrature of p log(p/q), independent of derive's code."""
    def integrand(x: float) -> float:
        lp = -((x - mu1) ** 2) / (2 * s1**2) - math.log(math.sqrt(2 * math.pi) * s1)
        lq = -((x - mu2) ** 2) / (2 * s2**2) - math.log(math.sqrt(2 * math.pi) * s2)
        return math.exp(lp) * (lp - lq)

    value, _ = integrate.quad(integrand, -np.inf, np.inf, epsabs=1e-12)
    return value


@pytest.mark.parametrize(
    "mu1, sigma1, mu2, sigma2",
    [(1, 2, 0, 1), (0, 1, 0, 1), ("-3/2", "1/3", 2, 5), (4, "sqrt(2)", -1, "1/2")],
)
def test_numeric_instances_match_quadrature(derive_run, mu1, sigma1, mu2, sigma2):
    vd = derive_run("gaussian_kl", mu1=mu1, sigma1=sigma1, mu2=mu2, sigma2=sigma2)
    kl = vd.results["kl"]
    assert not kl.free_symbols
    args = [float(sp.sympify(v)) for v in (mu1, sigma1, mu2, sigma2)]
    assert float(kl) == pytest.approx(scipy_kl(*args), rel=1e-8, abs=1e-10)


def test_symbolic_default_is_the_catalogue_special_case(derive_run):
    vd = derive_run("gaussian_kl")
    mu, sigma = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
    expected = (mu**2 + sigma**2 - sp.log(sigma**2) - 1) / 2
    for key in ("kl", "kl_standard"):
        diff = vd.results[key] - expected
        assert sp.simplify(sp.expand_log(diff, force=True)) == 0


def test_general_formula_matches_hand_derivation_at_random_points(derive_run):
    vd = derive_run("gaussian_kl", mu1="a", sigma1="s", mu2="b", sigma2="t")
    kl = vd.results["kl"]
    rng = np.random.default_rng(0)
    for _ in range(5):
        a, b = rng.normal(size=2)
        s, t = rng.uniform(0.3, 3, size=2)
        value = float(kl.subs({sp.Symbol("a", real=True): a, sp.Symbol("b", real=True): b,
                               sp.Symbol("s", positive=True): s, sp.Symbol("t", positive=True): t}))
        hand = math.log(t / s) + (s**2 + (a - b) ** 2) / (2 * t**2) - 0.5
        assert value == pytest.approx(hand, rel=1e-12)


def test_mpmath_cross_check_agrees_with_scipy():
    assert quadrature_kl(0.5, 1.5, -1.0, 2.0) == pytest.approx(scipy_kl(0.5, 1.5, -1.0, 2.0), rel=1e-9)


def test_every_step_has_a_passing_verdict(derive_run):
    vd = derive_run("gaussian_kl", mu1=1, sigma1=2)
    verdicts = [v for part in vd.verdicts for v in part]
    assert verdicts and all(v.status in ("proved", "numeric") for v in verdicts)
    assert vd.derivation.parts[0].checks and all(c.ok for c in vd.derivation.parts[0].checks)
