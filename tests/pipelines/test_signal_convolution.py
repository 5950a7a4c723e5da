"""signal_convolution against numpy.convolve."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive import pipeline as pl
from derive.errors import ParameterError
from derive.figures import StemPlot


def numpy_y(L: int, a: float, ns: range, delay: int = 0) -> list[float]:
    """y[n] for n in ns by numpy.convolve of the (delayed) box with h truncated past the window."""
    span = max(ns.stop, 1) + abs(delay) + L + 2
    x = np.zeros(span)
    if delay >= 0:
        x[delay:delay + L] = 1.0
    h = a ** np.arange(span)
    full = np.convolve(x, h)
    return [0.0 if m < 0 else float(full[m]) for m in ns] if delay >= 0 else []


@pytest.mark.parametrize("L, a, n_min, n_max, N", [
    (7, "1/2", -6, 12, 3),         # catalogue numbers (N chosen for the plot of part b)
    (3, "-1/3", -2, 8, 0),
    (1, "9/10", -1, 6, 2),
    (5, "0", -3, 9, 4),
    (4, "0.25", 0, 10, 1),
])
def test_values_match_numpy(derive_run, L, a, n_min, n_max, N):
    vd = derive_run("signal_convolution", L=L, a=a, n_min=n_min, n_max=n_max, N=N)
    ns = range(n_min, n_max + 1)
    av = float(sp.Rational(sp.nsimplify(a)))
    np.testing.assert_allclose([float(v) for v in vd.results["y"]], numpy_y(L, av, ns), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose([float(v) for v in vd.results["y2"]], numpy_y(L, av, ns, delay=N),
                               rtol=1e-12, atol=1e-15)
    n = sp.Symbol("n", integer=True)
    form = vd.results["closed_form"]
    assert [float(form.subs(n, m)) for m in ns] == pytest.approx(numpy_y(L, av, ns), rel=1e-12, abs=1e-15)
    plots = [f for part in vd.derivation.parts for f in part.figures if isinstance(f, StemPlot)]
    assert plots and plots[0].xs == tuple(ns)


def test_symbolic_parameters_give_the_general_closed_form(derive_run):
    vd = derive_run("signal_convolution", L="L", a="a")
    form, n = vd.results["closed_form"], sp.Symbol("n", integer=True)
    L, a = sp.Symbol("L", integer=True, positive=True), sp.Symbol("a", real=True)
    assert vd.derivation.parts[-1].label != "c"          # no numeric table without numbers
    rng = np.random.default_rng(1)
    for _ in range(4):
        Lv, av = int(rng.integers(1, 8)), float(rng.uniform(-0.9, 0.9))
        ns = range(-3, 15)
        got = [float(form.subs({L: Lv, a: av, n: m})) for m in ns]
        np.testing.assert_allclose(got, numpy_y(Lv, av, ns), rtol=1e-10, atol=1e-12)


def test_symbolic_delay_is_a_shift(derive_run):
    vd = derive_run("signal_convolution")
    n, N = sp.Symbol("n", integer=True), sp.Symbol("N", integer=True)
    form2 = vd.results["closed_form_2"]
    for shift in (0, 2, 5):
        got = [float(form2.subs({N: shift, n: m})) for m in range(-6, 13)]
        np.testing.assert_allclose(got, numpy_y(7, 0.5, range(-6, 13), delay=shift), rtol=1e-12, atol=1e-15)
    listed = vd.results["y2"]                         # expressions in N, one per n = -6..12
    assert len(listed) == 19
    for shift in (1, 4):
        got = [float(v.subs(N, shift)) for v in listed]
        np.testing.assert_allclose(got, numpy_y(7, 0.5, range(-6, 13), delay=shift), rtol=1e-12, atol=1e-15)


def test_every_step_passes(derive_run):
    vd = derive_run("signal_convolution", N=2)
    statuses = [v.status for part in vd.verdicts for v in part]
    assert statuses and set(statuses) <= {"proved", "numeric"}


@pytest.mark.parametrize("params, message", [
    ({"n_min": 5, "n_max": 2}, "signal_convolution: need n_min <= n_max and at most 200 points (got 5..2)"),
    ({"n_max": "m"}, "signal_convolution: n_max must be a number here (it bounds the listed range)"),
    ({"a": 2}, "signal_convolution: a=2 is outside the domain: a > -1 and a < 1"),
])
def test_bad_parameters(params, message):
    with pytest.raises(ParameterError) as err:
        pl.run("signal_convolution", params)
    assert str(err.value) == message
