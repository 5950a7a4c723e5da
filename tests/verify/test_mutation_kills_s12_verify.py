"""Paths of the verifier that no corpus reaches (mutation testing, #14, session 12)."""
from __future__ import annotations

import ast

import pytest
import sympy as sp

from derive.check import check_text
from derive.domains import Domain
from derive.step import Justification, Rel, Step
from derive.verify import Verifier
from derive.verify.symbolic import _interval

x = sp.Symbol("x", real=True)


@pytest.mark.parametrize("lhs, rhs", [
    (sp.Integer(1), sp.Integer(2)),
    # no convention gives a two-sided limit that does not exist a value: failed, for every value
    (sp.Limit(sp.Abs(x) / x, x, 0, "+-"), sp.Integer(1)),
])
def test_a_failed_step_without_names_carries_the_empty_counterexample(lhs, rhs):
    v = Verifier().verify_step(Step(lhs, Rel.EQ, rhs, Justification("t")), {})
    assert v.status == "failed"
    assert v.counterexample == {}


@pytest.mark.parametrize("dom, members", [
    # an integer domain holds the integers of its real interval; a closed end is a member
    (Domain("d", lo=1, hi=6, integer=True, closed_lo=True, closed_hi=True), sp.Range(1, 7)),
    (Domain("d", lo=1, hi=6, integer=True, closed_lo=True), sp.Range(1, 6)),
    (Domain("d", lo=1, hi=6.5, integer=True, closed_lo=True, closed_hi=True), sp.Range(1, 7)),
    (Domain("d", lo=1, hi=6, integer=True), sp.Range(2, 6)),
])
def test_an_integer_domain_as_a_set(dom, members):
    assert _interval(dom) == members


def test_a_high_moment_given_twice_with_different_values():
    # E[X^10] of a standard normal is 945; the expectation algebra gives up on powers above 8 (its
    # cost), so the first line defines the moment and the second contradicts it
    rep = check_text("% derive: assume X \\sim \\mathcal{N}(0, 1)\n\\[ \\mathbb{E}[X^{10}] = 945 \\]\n"
                     "\\[ \\mathbb{E}[X^{10}] = 944 \\]\n")
    first, second = rep.steps
    assert (first.verdict, first.method) == ("given", "definition")
    assert (second.verdict, second.method, second.message) == ("invalid", "numeric", "sides differ: 945.00000 vs 944.00000")


def test_a_recording_replays_its_values_in_order_with_no_error():
    # _beyond_quadrature re-evaluates a rejected step at every corner of the integrals' spread
    # by replaying chosen values in place of quadrature
    import mpmath

    from derive.verify import quadrature as Q

    t = sp.Symbol("t", real=True)
    first, second = sp.Integral(t ** t, (t, 0, 1)), sp.Integral(sp.exp(t ** 3), (t, 0, 1))
    with Q.recording(replay=[mpmath.mpf(2), mpmath.mpf(3)]) as got:
        values = [Q._value(first, {}, 30), Q._value(second, {}, 30)]
    assert [float(v) for v in values] == [2.0, 3.0]
    assert [(g.value, g.error) for g in got] == [(2, 0), (3, 0)]
    with Q.recording() as got:      # no replay: integrated (the sophomore's dream, sum (-1)^(n+1) n^-n)
        value = Q._value(first, {}, 30)
    assert abs(value - sum(sp.Rational((-1) ** (n + 1), n ** n) for n in range(1, 40))) < sp.Float("1e-25")


def test_the_decay_of_an_integrand_that_vanishes_at_the_end():
    # an integrand that is 0 near the end has no mass there: nothing is missed however deep
    import mpmath

    from derive.verify import quadrature as Q

    probe = Q._decay(lambda u: 0 * u, mpmath.mpf(0), 1, 20)
    assert probe == (0, mpmath.inf)
    assert Q._missed(probe, 20, 30) == 0


@pytest.mark.parametrize("step", [
    # the expectation algebra cannot expand these; finite laws of an i.i.d. pair (one law for both) decide
    r"\mathbb{E}[\max(X_1, X_2)] \ge \mathbb{E}[X_1]",
    r"\mathbb{E}[|X_1 - X_2|] \le 2\mathbb{E}[|X_1|]",
])
def test_steps_about_an_iid_pair_are_checked_on_finite_laws(step):
    (s,) = check_text(f"% derive: assume X_1, X_2 \\text{{ i.i.d.}}\n\\[ {step} \\]\n").steps
    assert (s.verdict, s.method, s.message) == ("valid", "numeric", "24 finite laws of the random variables")


def test_a_false_step_about_an_iid_pair_is_refuted_on_a_finite_law():
    (s,) = check_text("% derive: assume X_1, X_2 \\text{ i.i.d.}\n"
                      "\\[ \\mathbb{E}[\\max(X_1, X_2)] = \\mathbb{E}[X_1] \\]\n").steps
    assert (s.verdict, s.method) == ("invalid", "distribution")
    law = "1 or 2 (equally likely) independently"
    assert s.counterexample == {"X_1": law, "X_2": law}
    # brute force over that law: E[max] = 7/4, E[X_1] = 3/2
    pairs = [(a, b) for a in (1, 2) for b in (1, 2)]
    e_max = sp.Rational(sum(max(a, b) for a, b in pairs), len(pairs))
    e_x = sp.Rational(sum(a for a, _ in pairs), len(pairs))
    assert s.message == f"sides differ: {float(e_max):.7f} vs {float(e_x):.7f}"


@pytest.fixture
def no_findroot(monkeypatch):
    """mpmath's secant search does not converge: the kink finder bisects instead."""
    import mpmath

    def fail(*args, **kwargs):
        raise ValueError("no convergence")
    monkeypatch.setattr(mpmath, "findroot", fail)


def test_a_kink_is_bisected_when_the_root_search_fails(no_findroot):
    import mpmath

    from derive.verify.kinks import _root

    third = mpmath.mpf(1) / 3
    got = _root(lambda t: t - third, mpmath.mpf(0), mpmath.mpf(1), 20)
    assert abs(got - third) < mpmath.mpf(10) ** -20


@pytest.mark.parametrize("fn, end", [
    # no sign change in the cell after all (it was rounding): the end where |fn| is smaller
    (lambda t: t + 1, 0),
    (lambda t: 3 - t, 1),
])
def test_a_cell_without_a_sign_change_gives_its_nearer_end(no_findroot, fn, end):
    import mpmath

    from derive.verify.kinks import _root

    assert _root(fn, mpmath.mpf(0), mpmath.mpf(1), 20) == end


def _gaussian_cases():
    from derive.domains import POSITIVE, REAL
    from derive.notation import GaussianPdf

    t, v, s = sp.Symbol("t", real=True), sp.Symbol("v", real=True), sp.Symbol("s", positive=True)
    p = GaussianPdf(t, 0, 1)
    whole = (t, -sp.oo, sp.oo)
    return [
        # an entropy and a cross-entropy: log of a density with a positive variance is a polynomial
        (sp.Integral(p * sp.log(p), whole), {}, True),
        (sp.Integral(p * sp.log(GaussianPdf(t, 1, s)), whole), {s: POSITIVE}, True),
        (sp.Integral(p * sp.log(2 * GaussianPdf(t, 1, s)), whole), {s: POSITIVE}, True),
        # a variance of unknown sign, or a negative factor: no density, nothing shown finite
        (sp.Integral(p * sp.log(GaussianPdf(t, 0, v)), whole), {v: REAL}, False),
        (sp.Integral(p * sp.log(-2 * GaussianPdf(t, 1, s)), whole), {s: POSITIVE}, False),
        # log of a density at e^{t^2} is -e^{2 t^2}/2 + c: against e^{-t^2/2} the integral is -oo
        (sp.Integral(p * sp.log(GaussianPdf(sp.exp(t ** 2), 0, 1)), whole), {}, False),
    ]


@pytest.mark.parametrize("case", range(6))
def test_integrals_of_logs_of_normal_densities(case):
    from derive.verify.integrable import dominated_finite

    integral, declared, finite = _gaussian_cases()[case]
    assert dominated_finite(integral, declared) is finite


@pytest.mark.parametrize("step", [
    r"\sum_{k=1}^{n} k \le 10^{6}",
    r"10^{6} \ge \sum_{k=1}^{n} k",       # the sum's bound on the right side is looked at large too
])
def test_a_bound_that_holds_for_small_n_only_is_refuted_at_large_n(step):
    (s,) = check_text(f"% derive: assume n \\in \\mathbb{{N}}\n\\[ {step} \\]\n").steps
    assert (s.verdict, s.method) == ("invalid", "numeric")
    n = int(s.counterexample["n"])
    assert n * (n + 1) // 2 > 10 ** 6          # the counterexample, checked by hand


def test_an_independent_variable_does_not_borrow_the_law_of_its_partner():
    # X, Y independent with X ~ N(0, 1): Y's law is not given, so E[Y^2] = 1 is refuted on a finite law
    # of Y; only an i.i.d. family shares one law among its members
    rep = check_text("% derive: assume X, Y \\text{ independent}, X \\sim \\mathcal{N}(0, 1)\n"
                     "\\[ \\mathbb{E}[Y^2] = 1 \\]\n\\[ \\mathbb{E}[X^2] = 1 \\]\n")
    y, x = rep.steps
    assert (y.verdict, y.method) == ("invalid", "distribution")
    assert y.counterexample == {"Y": "1 or 2 (equally likely) independently"}
    assert y.message == f"sides differ: {float(sp.Rational(1 ** 2 + 2 ** 2, 2)):.7f} vs 1.0000000"
    assert x.verdict == "valid"


@pytest.mark.parametrize("rel, status", [
    (Rel.LE, "pass"), (Rel.LT, "pass"),             # 1 < 1 + 10^-50: resolved exactly at the step's scale
    (Rel.GE, "fail"), (Rel.EQ, "fail"),
])
def test_a_tie_at_the_working_precision_is_resolved_exactly(rel, status):
    from derive.verify.precision import _resolved_tie

    one = sp.Integer(1)
    got = _resolved_tie(rel, [one, one + sp.Rational(1, 10 ** 50)], one, one, 40, 1e-26, strict=False)
    assert got[0] == status
    if status == "fail":
        assert got[1] == "sides differ: 1.0000000 vs 1.0000000 (difference -1.00E-50)"


@pytest.mark.parametrize("k, status", [
    # an integral (no error bound) beside 10^-k: at 40 digits the tolerance is 10^-26, so numbers of
    # 2 * 40 // 3 - 2 = 24 significant digits or more are finer than it and the tie is not resolved
    (22, "pass"), (23, "unresolved"), (26, "unresolved"),
])
def test_a_tie_without_an_error_bound_is_unresolved_when_the_numbers_are_finer(k, status):
    from derive.verify.precision import _resolved_tie, scale_digits

    t = sp.Symbol("t", real=True)
    integral = sp.Integral(t ** t, (t, 0, 1))
    exact = [integral + sp.Rational(1, 10 ** k), integral]
    assert scale_digits(exact) == k + 1
    assert _resolved_tie(Rel.EQ, exact, 1, 1, 40, 1e-26, strict=False)[0] == status


def test_relu_of_a_matrix_product_is_evaluated_entry_by_entry():
    # ReLU(z) - ReLU(-z) = z holds entry by entry; with + it fails where an entry of Wx is negative
    rep = check_text("% derive: assume W \\in \\mathbb{R}^{m \\times n}, x \\in \\mathbb{R}^n\n"
                     "\\[ \\mathrm{ReLU}(W x) - \\mathrm{ReLU}(-W x) = W x \\]\n"
                     "\\[ \\mathrm{ReLU}(W x) + \\mathrm{ReLU}(-W x) = W x \\]\n")
    true, false = rep.steps
    assert (true.verdict, true.method) == ("valid", "numeric")
    assert (false.verdict, false.method) == ("invalid", "random matrices")
    W, x = (sp.Matrix(ast.literal_eval(false.counterexample[k])) for k in ("W", "x"))
    z = W * x
    assert any(v < 0 for v in z)                  # where |z| != z, the counterexample checked by hand
    assert z.applyfunc(abs) != z
