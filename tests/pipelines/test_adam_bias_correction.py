"""adam_bias_correction against exact unrolling with fractions and a direct numpy simulation."""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from derive.cli import derivation_json

B1, B2 = sp.Symbol("beta1", positive=True), sp.Symbol("beta2", positive=True)
T = sp.Symbol("t", integer=True, positive=True)


def expected_moment(beta: Fraction, t: int, mean: Fraction) -> Fraction:
    """E[m_t] by running the recurrence on expectations: E[m_t] = beta E[m_{t-1}] + (1 - beta) mean."""
    e = Fraction(0)
    for _ in range(t):
        e = beta * e + (1 - beta) * mean
    return e


def simulate_mean(beta: float, t: int, mean: float, square: bool, n: int = 50_000, seed: int = 123):
    """Mean and standard error of m_t (or v_t with squared gradients) over n Adam runs."""
    rng = np.random.default_rng(seed)
    state = np.zeros(n)
    for _ in range(t):
        g = rng.normal(mean, 1.0, n)
        state = beta * state + (1 - beta) * (g * g if square else g)
    return state.mean(), state.std(ddof=1) / math.sqrt(n)


@pytest.mark.parametrize("beta1, beta2, t", [
    ("9/10", "999/1000", 10), ("0.5", "0.75", 3), ("1/3", "2/3", 1), ("0.99", "0.9", 40),
])
def test_numeric_instances_match_exact_unrolling(derive_run, beta1, beta2, t):
    vd = derive_run("adam_bias_correction", beta1=beta1, beta2=beta2, t=t)
    b1, b2 = Fraction(beta1), Fraction(beta2)
    for key, beta in (("m_bias_factor", b1), ("v_bias_factor", b2)):
        got = vd.results[key]
        assert not got.free_symbols
        assert got == q(expected_moment(beta, t, Fraction(1)))     # E[moment] / E[g] with mean 1


def q(f: Fraction) -> sp.Rational:
    return sp.Rational(f.numerator, f.denominator)


def test_symbolic_default_at_several_points(derive_run):
    vd = derive_run("adam_bias_correction")
    m, v = vd.results["m_bias_factor"], vd.results["v_bias_factor"]
    assert m.free_symbols == {B1, T} and v.free_symbols == {B2, T}
    mean = Fraction(3, 7)
    for b1, b2, t in [(Fraction(1, 10), Fraction(7, 8), 5), (Fraction(4, 5), Fraction(1, 2), 12),
                      (Fraction(99, 100), Fraction(1, 3), 2)]:
        assert m.subs({B1: q(b1), T: t}) * q(mean) == q(expected_moment(b1, t, mean))
        assert v.subs({B2: q(b2), T: t}) * q(mean) == q(expected_moment(b2, t, mean))


@pytest.mark.parametrize("beta, t, mean, square", [(0.9, 10, 0.5, False), (0.6, 4, -1.0, False),
                                                   (0.99, 20, 0.3, True)])
def test_direct_simulation_agrees_with_the_bias_factor(derive_run, beta, t, mean, square):
    vd = derive_run("adam_bias_correction", beta1=beta, beta2=beta, t=t)
    factor = float(vd.results["v_bias_factor" if square else "m_bias_factor"])
    est, se = simulate_mean(beta, t, mean, square)
    target = (mean**2 + 1.0 if square else mean) * factor
    assert abs(est - target) <= 5 * se


def test_bias_corrected_mean_is_unbiased_in_simulation(derive_run):
    """mhat_t = m_t / (1 - beta1^t), with the pipeline's bias factor, has mean mu, while m_t
    itself is biased toward 0."""
    factor = float(derive_run("adam_bias_correction", beta1="0.9", beta2="0.999", t=5).results["m_bias_factor"])
    est, se = simulate_mean(0.9, 5, 2.0, False)
    assert abs(est / factor - 2.0) <= 5 * se / factor
    assert abs(est - 2.0) > 10 * se


def test_monte_carlo_cross_checks_are_in_the_sheet(derive_run):
    vd = derive_run("adam_bias_correction", beta1="0.9", beta2="0.999", t=10)
    rows = [c for p in vd.derivation.parts for c in p.checks]
    assert len(rows) == 2 and all(r.ok for r in rows)
    assert rows[0].exact == pytest.approx(0.5 * (1 - 0.9**10))
    assert rows[1].exact == pytest.approx(1.25 * (1 - 0.999**10))
    assert 0 < rows[0].tolerance < 0.05


def test_json_results_and_domain_errors(derive_run, capsys):
    from derive.cli import main

    out = derivation_json(derive_run("adam_bias_correction"))
    assert {k: sp.sympify(v["sympy"]) for k, v in out["results"].items()} == {
        "m_bias_factor": 1 - sp.Symbol("beta1") ** sp.Symbol("t"),
        "v_bias_factor": 1 - sp.Symbol("beta2") ** sp.Symbol("t")}
    assert main(["run", "adam_bias_correction", "--set", "beta1=1"]) == 2
    assert capsys.readouterr().err == \
        "derive: error: adam_bias_correction: beta1=1 is outside the domain: beta1 > 0 and beta1 < 1\n"


def test_every_step_has_a_passing_verdict(derive_run):
    vd = derive_run("adam_bias_correction", beta1="0.9", beta2="0.999", t=10)
    verdicts = [v for part in vd.verdicts for v in part]
    # Every step, including splitting off the last term of each induction, is
    # proved symbolically (the verifier aligns sums with shifted bounds).
    assert verdicts and all(v.status == "proved" for v in verdicts)
    split = [v for part, checked in vd.checked_parts() for cs in checked
             if cs.step.why.rule == "last term" for v in [cs.verdict]]
    assert len(split) == 2 and {v.method for v in split} == {"split off boundary terms"}
