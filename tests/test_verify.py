"""The verifier: each layer accepts what holds and rejects what does not."""
from __future__ import annotations

import pytest
import sympy as sp

from derive import domains as D
from derive import notation as nt
from derive.config import DEFAULT
from derive.errors import CrossCheckError, InvalidStepError
from derive.pipeline import DerivationBuilder, Inputs, PipelineSpec
from derive.step import CheckRow, Justification, Rel, Step
from derive.verify import VerdictCache, Verifier

x = sp.Symbol("x", real=True)
s = D.POSITIVE.symbol("s")
b = D.UNIT_INTERVAL.symbol("b")
t = D.POSITIVE_INTEGER.symbol("t")
i = sp.Symbol("i", integer=True, positive=True)
j = sp.Symbol("j", integer=True, positive=True)
DOMAINS = {s: D.POSITIVE, b: D.UNIT_INTERVAL, t: D.POSITIVE_INTEGER}


def step(lhs, rel, rhs, **kw) -> Step:
    return Step(lhs, rel, rhs, Justification("test"), **kw)


@pytest.mark.parametrize(
    "lhs, rel, rhs, method",
    [
        (sp.tanh(x) + 1, Rel.EQ, 2 * nt.Sigmoid(2 * x), "exponential form"),
        ((s + 1) ** 2, Rel.EQ, s**2 + 2 * s + 1, "expand"),
        (sp.log(s**2), Rel.EQ, 2 * sp.log(s), "expand"),
        (sp.sqrt(s**2), Rel.EQ, s, "identical"),
        ((1 - b) * sp.Sum(b ** (t - i), (i, 1, t)), Rel.EQ, 1 - b**t, "evaluate sums and integrals"),
        (sp.Integral(sp.exp(-x**2), (x, -sp.oo, sp.oo)), Rel.EQ, sp.sqrt(sp.pi), "evaluate sums and integrals"),
        (sp.Sum(b ** (t - i) * sp.IndexedBase("g")[i], (i, 1, t)), Rel.EQ,
         sp.Sum(b ** (t - i) * sp.IndexedBase("g")[i], (i, 1, t - 1)) + sp.IndexedBase("g")[t],
         "split off boundary terms"),
        (sp.Sum(b ** (t - i), (i, 3, t + 2)), Rel.EQ, sp.Sum(b ** (t - i - 2), (i, 1, t)),
         "shift the summation index"),
        (sp.Sum(sp.Sum(sp.IndexedBase("g")[i, j], (j, 1, i)), (i, 1, t)), Rel.EQ,
         sp.Sum(sp.Sum(sp.IndexedBase("g")[i + 1, j + 1], (j, 0, i)), (i, 0, t - 1)),
         "shift the summation index"),
        (1 - (1 - b) ** t >= s, Rel.IFF, (1 - b) ** t <= 1 - s, "both directions (rearrangement; rearrangement)"),
        (s, Rel.LT, s + 1, "sign under assumptions"),
        (s**2 + 1, Rel.GE, 2 * s, "factorised sign"),
        (b, Rel.LT, 1, "reparametrised sign under assumptions"),
        (sp.Matrix([[1, s], [s**2, 2]]), Rel.EQ, sp.Matrix([[1, s], [s * s, 2]]), "identical"),
        (sp.Eq(2 * s, 4), Rel.IMPLIES, sp.Eq(s, 2), "solve for s"),
        (sp.Rational(77254, 100000), Rel.APPROX, sp.Float("0.7725"), "exact bound on the rounding error"),
    ],
)
def test_true_steps_are_proved(verifier, lhs, rel, rhs, method):
    tol = sp.Rational(5, 10**5) if rel is Rel.APPROX else None  # half a unit in the 4th decimal
    v = verifier.verify_step(step(lhs, rel, rhs, tol=tol), DOMAINS)
    assert (v.status, v.method) == ("proved", method)


@pytest.mark.parametrize(
    "lhs, rel, rhs",
    [
        # a wrong equality
        (sp.tanh(x) + 1, Rel.EQ, 3 * nt.Sigmoid(2 * x)),
        ((1 - b) * sp.Sum(b ** (t - i), (i, 1, t)), Rel.EQ, 1 - b ** (t + 1)),
        # a wrong inequality direction
        (b**t, Rel.GE, 1),
        (s**2 + 1, Rel.LE, 2 * s - 1),
        # holds only without the declared assumptions (x is any real here)
        (sp.sqrt(x**2), Rel.EQ, x),
        # a wrong matrix entry
        (sp.Matrix([[1, 2], [3, s]]), Rel.EQ, sp.Matrix([[1, 2], [4, s]])),
        # rounding to the wrong digit
        (sp.Rational(77254, 100000), Rel.APPROX, sp.Float("0.7726")),
        # a false implication whose premise random points would rarely satisfy
        (2 * x >= 40, Rel.IMPLIES, x >= 30),
        (2 * x >= 4, Rel.IFF, x >= 3),
        # a re-indexing that drops a term
        (sp.Sum(b ** (t - i), (i, 3, t + 2)), Rel.EQ, sp.Sum(b ** (t - i - 2), (i, 2, t))),
    ],
)
def test_false_steps_fail_with_a_counterexample(verifier, lhs, rel, rhs):
    tol = sp.Rational(5, 10**5) if rel is Rel.APPROX else None  # half a unit in the 4th decimal
    v = verifier.verify_step(step(lhs, rel, rhs, tol=tol), DOMAINS)
    assert v.status == "failed"
    free = {str(f) for f in sp.sympify(lhs).free_symbols | sp.sympify(rhs).free_symbols} - {"i"}
    assert set(v.counterexample or {}) == free


def test_a_step_that_needs_the_assumption_is_proved_with_it(verifier):
    """sqrt(y^2) = y fails for real y (above) but holds for positive y."""
    y = sp.Symbol("y", positive=True)
    assert verifier.verify_step(step(sp.sqrt(y**2), Rel.EQ, y), {}).status == "proved"


def test_matrix_shape_mismatch_is_rejected(verifier):
    v = verifier.verify_step(step(sp.Matrix([1, 2]), Rel.EQ, sp.Matrix([[1, 2]])), {})
    assert (v.status, v.message) == ("failed", "the two sides have different shapes")


def test_undecided_steps_fall_through_to_the_numeric_layer(verifier):
    """SymPy cannot decide b^t <= 1 symbolically; the last layer calls it numeric."""
    v = verifier.verify_step(step(b**t, Rel.LE, 1), DOMAINS)
    assert v.status == "numeric"
    assert v.method == f"{DEFAULT.numeric_points} random points at {DEFAULT.precision} digits"


def test_a_symbolic_timeout_falls_through_without_sigalrm():
    """A tiny time limit kills the worker; the verdict comes from the numeric layer."""
    hard = sp.Integral(sp.exp(-x**2) * sp.cos(3 * x) ** 2, (x, -sp.oo, sp.oo))
    closed = sp.sqrt(sp.pi) * (1 + sp.exp(-9)) / 2
    with Verifier(DEFAULT.merge(timeout=0.05, numeric_timeout=120)) as v:
        verdict = v.verify_step(step(hard, Rel.EQ, closed), {})
    assert (verdict.status, verdict.method) == ("numeric", "24 random points at 40 digits")


def test_verdicts_are_cached_under_the_step_hash():
    cache = VerdictCache()
    with Verifier(cache=cache) as v:
        first = v.verify_step(step((s + 1) ** 2, Rel.EQ, s**2 + 2 * s + 1), DOMAINS)
        again = v.verify_step(step((s + 1) ** 2, Rel.EQ, s**2 + 2 * s + 1), DOMAINS)
        assert first == again
        assert v.stats == {"cached": 1, "verified": 1}
    with Verifier(cache=cache) as fresh:
        fresh.verify_step(step((s + 1) ** 2, Rel.EQ, s**2 + 2 * s + 1), DOMAINS)
        assert fresh.stats == {"cached": 1, "verified": 0}


def test_assumptions_are_part_of_the_cache_key():
    cache = VerdictCache()
    y_pos, y_real = sp.Symbol("y", positive=True), sp.Symbol("y", real=True)
    with Verifier(cache=cache) as v:
        assert v.verify_step(step(sp.sqrt(y_pos**2), Rel.EQ, y_pos), {}).status == "proved"
        assert v.verify_step(step(sp.sqrt(y_real**2), Rel.EQ, y_real), {}).status == "failed"


def test_declared_domains_are_part_of_the_cache_key():
    """The same symbol under two domains: the second verdict must not come from the cache."""
    z = sp.Symbol("z")
    with Verifier(cache=VerdictCache()) as v:
        assert v.verify_step(step(sp.sqrt(z**2), Rel.EQ, z), {z: D.POSITIVE}).status == "numeric"
        assert v.verify_step(step(sp.sqrt(z**2), Rel.EQ, z), {z: D.REAL}).status == "failed"
        assert v.stats == {"cached": 0, "verified": 2}


def _builder() -> DerivationBuilder:
    spec = PipelineSpec("demo", "Demo", (), (), lambda p: None)
    return Inputs(spec, {}).builder()


def test_a_failed_step_is_a_build_error_naming_pipeline_step_and_sides(verifier):
    d = _builder()
    a = d.part("a", "demo")
    a.eq((s + 1) ** 2, s**2 + 2 * s + 1, "expand")
    a.then(s**2 + 2 * s + 2, "expand")
    with pytest.raises(InvalidStepError) as err:
        verifier.verify(d.build())
    msg = str(err.value)
    assert msg.startswith("pipeline demo: step 2 in part (a) [expand] is failed: "
                          "s^{2} + 2 s + 1 = s^{2} + 2 s + 2 (sides differ:")
    assert "counterexample s=" in msg


def test_facts_must_be_premises_or_established(verifier):
    d = _builder()
    a = d.part("a", "demo")
    a.eq(nt.RMS(x), 5, "algebra", facts={nt.RMS(x): 5})
    with pytest.raises(InvalidStepError, match=r"uses the fact .* which no earlier step establishes"):
        verifier.verify(d.build())


def test_facts_may_cite_an_earlier_step_specialised(verifier):
    d = _builder()
    a = d.part("a", "demo")
    a.eq(nt.Variance(s), s**2, "given", facts={nt.Variance(s): s**2})
    a.eq(nt.Variance(3) + 1, 10, "cite", facts={nt.Variance(3): 9})
    vd = verifier.verify(d.build())
    assert [v.status for v in vd.verdicts[0]] == ["proved", "proved"]


def test_a_failed_cross_check_is_a_build_error(verifier):
    d = _builder()
    a = d.part("a", "demo")
    a.eq(s, s, "trivial")
    a.check(CheckRow(s, 1.0, 1.5, 0.1, "Monte-Carlo"))
    with pytest.raises(CrossCheckError, match=r"cross-check of s failed: closed form 1, Monte-Carlo gives 1.5"):
        verifier.verify(d.build())


def test_batches_run_in_parallel_and_a_timeout_does_not_lose_the_rest():
    hard = step(sp.Integral(sp.exp(-x**2) * sp.cos(3 * x) ** 2, (x, -sp.oo, sp.oo)), Rel.EQ,
                sp.sqrt(sp.pi) * (1 + sp.exp(-9)) / 2)
    easy = [step((s + k) ** 2, Rel.EQ, s**2 + 2 * k * s + k**2) for k in range(1, 5)]
    wrong = step((s + 1) ** 2, Rel.EQ, s**2 + 1)
    with Verifier(DEFAULT.merge(timeout=0.5, workers=2, numeric_timeout=120)) as v:
        v.prefetch([(st, DOMAINS) for st in [hard, *easy, wrong]])
        verdicts = [v.verify_step(st, DOMAINS) for st in [hard, *easy, wrong]]
        assert v.stats == {"cached": 0, "verified": 6}
    assert verdicts[0].status == "numeric"
    assert [vd.status for vd in verdicts[1:5]] == ["proved"] * 4
    assert verdicts[5].status == "failed"
