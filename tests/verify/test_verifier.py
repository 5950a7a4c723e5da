"""The verifier (derive/verify/verifier.py): jobs, the cache, the layer order, cited facts."""
from __future__ import annotations

import hashlib

import pytest
import sympy as sp

from derive import domains as D
from derive import notation as nt
from derive.config import DEFAULT
from derive.errors import CrossCheckError, InvalidStepError
from derive.pipeline import DerivationBuilder, Inputs, PipelineSpec
from derive.step import CheckRow, Justification, Rel, Step, Verdict
from derive.verify import VerdictCache, Verifier
from derive.verify import verifier as V

x = sp.Symbol("x", real=True)
s = D.POSITIVE.symbol("s")
u = D.POSITIVE.symbol("u")


def step(lhs, rel, rhs, **kw) -> Step:
    return Step(lhs, rel, rhs, Justification(kw.pop("rule", "test")), **kw)


def builder() -> DerivationBuilder:
    return Inputs(PipelineSpec("demo", "Demo", (), (), lambda p: None), {}).builder()


@pytest.fixture
def fresh():
    with Verifier(cache=VerdictCache()) as v:
        yield v


# --------------------------------------------------------------------------- #
# the job
# --------------------------------------------------------------------------- #

def test_a_job_carries_the_config_and_a_seed_from_both_sides():
    cfg = DEFAULT.merge(timeout=3.0, filter_points=5, numeric_points=11, precision=33, seed=7)
    v = Verifier(cfg)
    j = v.job(step(u + 1, Rel.APPROX, s, tol=sp.Rational(1, 20)), {u: D.POSITIVE, s: D.POSITIVE})
    key = int(hashlib.sha256((sp.srepr(u + 1) + sp.srepr(s)).encode()).hexdigest()[:8], 16)
    assert j.seed == 7 ^ key
    assert (j.filter_points, j.numeric_points, j.precision, j.timeout) == (5, 11, 33, 3.0)
    assert j.tol == 0.05 and isinstance(j.tol, float)
    assert [sym.name for sym, _ in j.domains] == ["s", "u"]          # sorted by name
    assert (j.lhs, j.rel, j.rhs) == (u + 1, Rel.APPROX, s)
    assert v.job(step(s, Rel.EQ, s), {}).tol is None


def test_facts_are_applied_to_both_sides_of_the_job():
    j = Verifier().job(step(nt.Variance(s) + 1, Rel.EQ, nt.Variance(s), facts=((nt.Variance(s), s**2),)), {})
    assert (j.lhs, j.rhs) == (s**2 + 1, s**2)


# --------------------------------------------------------------------------- #
# verify_step: the cache and this run's memory
# --------------------------------------------------------------------------- #

def test_a_known_verdict_is_cached_and_counted(fresh):
    st = step((s + 1) ** 2, Rel.EQ, s**2 + 2 * s + 1)
    assert fresh.verify_step(st, {}) == Verdict("proved", "expand")
    assert fresh.stats == {"cached": 0, "verified": 1}
    assert fresh.verify_step(st, {}) == Verdict("proved", "expand")
    assert fresh.stats == {"cached": 1, "verified": 1}


def test_an_unknown_verdict_is_not_cached():
    cache = VerdictCache()
    with Verifier(cache=cache) as v:
        v._call = lambda fn, job, timeout: (False, None)           # every layer times out
        got = v.verify_step(step(s, Rel.EQ, s + 0 * u), {})
        assert (got.status, got.method, got.message) == ("unknown", "timeout", "not decided within 5 s")
        assert cache._data == {}


def test_a_layer_that_raises_falls_through_to_the_next():
    with Verifier(cache=VerdictCache()) as v:
        calls = []

        def call(fn, job, timeout):
            calls.append((fn.__name__, timeout))
            if fn.__name__ == "_run_filter_and_proof":
                raise RuntimeError("boom")
            return True, Verdict("numeric", "stub")
        v._call = call
        assert v.verify_step(step(s, Rel.EQ, u), {}) == Verdict("numeric", "stub")
        assert calls == [("_run_filter_and_proof", DEFAULT.timeout), ("_run_numeric", DEFAULT.numeric_time())]


def test_a_numeric_layer_that_raises_is_unknown():
    with Verifier(cache=VerdictCache()) as v:
        def call(fn, job, timeout):
            if fn.__name__ == "_run_numeric":
                raise RuntimeError("boom")
            return True, None
        v._call = call
        got = v.verify_step(step(s, Rel.EQ, u), {})
        assert (got.status, got.method, got.message) == ("unknown", "numeric", "could not evaluate the sides")


def test_a_first_layer_verdict_skips_the_numeric_layer():
    with Verifier(cache=VerdictCache()) as v:
        seen = []

        def call(fn, job, timeout):
            seen.append(fn.__name__)
            return True, Verdict("proved", "stub")
        v._call = call
        assert v.verify_step(step(s, Rel.EQ, u), {}) == Verdict("proved", "stub")
        assert seen == ["_run_filter_and_proof"]


def test_prefetched_verdicts_are_used_once_then_come_from_the_cache():
    cache = VerdictCache()
    with Verifier(DEFAULT.merge(workers=1), cache=cache) as v:
        good = step((s + 1) ** 2, Rel.EQ, s**2 + 2 * s + 1)
        bad = step((s + 1) ** 2, Rel.EQ, s**2 + 1)
        v.prefetch([(good, {}), (bad, {}), (good, {})])
        assert len(cache._data) == 2
        assert v.verify_step(good, {}).status == "proved"
        assert v.stats == {"cached": 0, "verified": 1}
        assert v.verify_step(good, {}).status == "proved"
        assert v.stats == {"cached": 1, "verified": 1}
        assert v.verify_step(bad, {}).status == "failed"
        assert v.stats == {"cached": 1, "verified": 2}
        v.prefetch([(good, {})])                      # already known: nothing to run
        assert v.stats == {"cached": 1, "verified": 2}


def test_a_prefetch_that_times_out_is_unknown_and_not_cached():
    cache = VerdictCache()
    with Verifier(cache=cache) as v:
        v._run_batch = lambda fn, jobs, timeout: [(True, None) if fn.__name__ == "_run_filter_and_proof"
                                                  else (False, None) for _ in jobs]
        st = step(s, Rel.EQ, u)
        v.prefetch([(st, {})])
        assert cache._data == {}
        got = v.verify_step(st, {})
        assert (got.status, got.method, got.message) == ("unknown", "timeout", "not decided within 5 s")


# --------------------------------------------------------------------------- #
# verify: build errors and cited facts
# --------------------------------------------------------------------------- #

def test_a_failed_step_outside_a_part_names_the_derivation(fresh):
    d = builder()
    a = d.part("", "demo")
    a.eq(s, s, "trivial")
    a.then(s + 1, "wrong")
    with pytest.raises(InvalidStepError) as err:
        fresh.verify(d.build())
    msg = str(err.value)
    assert msg.startswith("pipeline demo: step 2 in derivation [wrong] is failed: s = s + 1 (")
    assert "; counterexample s=" in msg and msg.endswith(")")


def test_a_failure_without_counterexample_has_no_counterexample_text(fresh):
    d = builder()
    a = d.part("b", "demo")
    a.step(s, Rel.LT, s, "strict")
    with pytest.raises(InvalidStepError) as err:
        fresh.verify(d.build())
    msg = str(err.value)
    assert msg.startswith("pipeline demo: step 1 in part (b) [strict] is failed: s < s (")


def test_step_numbers_run_across_parts(fresh):
    d = builder()
    d.part("a", "demo").eq(s, s, "trivial")
    d.part("b", "demo").eq(s, s, "trivial").then(2 * s, "wrong")
    with pytest.raises(InvalidStepError, match=r"^pipeline demo: step 3 in part \(b\) \[wrong\] is failed"):
        fresh.verify(d.build())


def test_a_chain_establishes_its_ends(fresh):
    d = builder()
    a = d.part("a", "demo")
    a.eq(nt.Variance(s), nt.Expectation(s**2) - nt.Expectation(s) ** 2, "given",
         facts={nt.Variance(s): nt.Expectation(s**2) - nt.Expectation(s) ** 2})
    a.then(s**2 - s**2 + s**2, "given", facts={nt.Expectation(s**2): s**2 + s**2, nt.Expectation(s): s})
    # Var(s) = s^2 now follows from the chain Var(s) = ... = s^2, specialised at s = 3
    a.eq(nt.Variance(3) + 1, 10, "cite", facts={nt.Variance(3): 9})
    vd = fresh.verify(d.build())
    assert [v.ok for v in vd.verdicts[0]] == [True, True, True]


def test_a_broken_chain_establishes_only_its_links(fresh):
    d = builder()
    a = d.part("a", "demo")
    a.eq(nt.Variance(s), s**2, "given", facts={nt.Variance(s): s**2})
    a.step(s**2, Rel.LE, s**2 + 1, "bound")
    a.then(s**2 + 1, "same")
    # Var(s) = s^2 + 1 is no chain: a <= link sits between
    a.eq(nt.Variance(3), 10, "cite", facts={nt.Variance(3): 10})
    with pytest.raises(InvalidStepError, match=r"^pipeline demo: step 4 in part \(a\) \[cite\] uses the fact .* = 10, "
                                               r"which no earlier step establishes$"):
        fresh.verify(d.build())


@pytest.mark.parametrize("rule", sorted(V.PREMISE_RULES))
def test_premise_rules_may_state_any_fact(fresh, rule):
    d = builder()
    d.part("a", "demo").eq(nt.RMS(x), 5, rule, facts={nt.RMS(x): 5})
    assert fresh.verify(d.build()).verdicts[0][0].ok


def test_a_fact_not_established_names_step_and_fact(fresh):
    d = builder()
    d.part("a", "demo").eq(nt.RMS(x), 5, "algebra", facts={nt.RMS(x): 5})
    with pytest.raises(InvalidStepError) as err:
        fresh.verify(d.build())
    assert str(err.value).startswith("pipeline demo: step 1 in part (a) [algebra] uses the fact ")
    assert str(err.value).endswith(" = 5, which no earlier step establishes")


def test_a_passing_cross_check_is_fine_and_a_failing_one_is_named(fresh):
    d = builder()
    d.part("a", "demo").eq(s, s, "trivial").check(CheckRow(s, 1.0, 1.05, 0.1, "quadrature"))
    assert fresh.verify(d.build()).verdicts == ((Verdict("proved", "identical"),),)
    d = builder()
    d.part("a", "demo").eq(s, s, "trivial").check(CheckRow(s, 1.0, 1.25, 0.1, "Monte-Carlo"))
    with pytest.raises(CrossCheckError) as err:
        fresh.verify(d.build())
    assert str(err.value) == ("pipeline demo: cross-check of s failed: closed form 1, Monte-Carlo gives 1.25 "
                              "(tolerance 0.1)")


def test_verdicts_are_grouped_by_part(fresh):
    d = builder()
    d.part("a", "demo").eq(s, s, "trivial").then((s + 1) ** 2 - 2 * s - 1 - s**2 + s, "expand")
    d.part("b", "demo").eq(s**2, s * s, "trivial")
    vd = fresh.verify(d.build())
    assert [[v.method for v in part] for part in vd.verdicts] == [["identical", "expand"], ["identical"]]


def test_job_seed_is_the_srepr_hash_of_the_sides_every_time():
    """The seed memo (verifier._srepr) gives the seed of the sides' srepr, for new and repeated sides."""
    import hashlib

    import sympy as sp

    from derive.step import Justification, Rel, Step
    from derive.verify import Verifier
    from derive.verify import verifier as vmod

    x = sp.Symbol("x")
    v = Verifier()
    try:
        for lhs, rhs in [((x + 1) ** 2, x**2 + 2 * x + 1), (sp.sqrt(8), 2 * sp.sqrt(2)), ((x + 1) ** 2, x**2 + 1)]:
            step = Step(lhs, Rel.EQ, rhs, Justification("t"))
            want = v.config.seed ^ int(hashlib.sha256((sp.srepr(lhs) + sp.srepr(rhs)).encode()).hexdigest()[:8], 16)
            assert v.job(step, {}).seed == want and v.job(step, {}).seed == want
        assert vmod._srepr(x + 2) == sp.srepr(x + 2) and vmod._srepr(x + 3) == sp.srepr(x + 3)
    finally:
        v.close()
