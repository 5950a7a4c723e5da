"""``derive.verify.sums``: steps about indexed families with a symbolic number of entries.

A true step gets ``numeric`` (instances are evidence, never a proof) unless the
symbolic layer proves it; a false one fails with a counterexample that names the
size and the index, satisfies the givens, and is checked here with numpy.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from derive.domains import POSITIVE_INTEGER, REAL
from derive.step import Justification, Rel, Step
from derive.verify import Verifier, sums

z = sp.IndexedBase(sp.Symbol("z", real=True))
y = sp.IndexedBase(sp.Symbol("y", real=True))
x = sp.IndexedBase(sp.Symbol("x", real=True))
i, j, k = (sp.Symbol(n, real=True) for n in "ijk")
C = sp.Symbol("C", integer=True, positive=True)
S = sp.Sum(sp.exp(z[j]), (j, 1, C))
L = -sp.Sum(y[i] * sp.log(sp.exp(z[i]) / S), (i, 1, C))
DL = sp.Derivative(L, z[k])
GIVEN = ((sp.Sum(y[i], (i, 1, C)), sp.Integer(1)),)
DOMAINS = {C: POSITIVE_INTEGER, k: REAL}


def softmax(a: sp.Basic) -> sp.Expr:
    return sp.exp(z[a]) / S


#: (name, lhs, rhs, givens, verdict)
CASES = [
    ("gradient", DL, softmax(k) - y[k], GIVEN, "numeric"),
    ("gradient without the given", DL, softmax(k) - y[k], (), "failed"),
    ("wrong sign", DL, y[k] - softmax(k), GIVEN, "failed"),
    ("missing y_k", DL, softmax(k), GIVEN, "failed"),
    ("sigma (1 - sigma)", DL, softmax(k) * (1 - softmax(k)), GIVEN, "failed"),
    ("log-sum-exp form", L, sp.log(S) - sp.Sum(y[i] * z[i], (i, 1, C)), GIVEN, "numeric"),
    ("log-sum-exp, wrong sign", L, sp.log(S) + sp.Sum(y[i] * z[i], (i, 1, C)), GIVEN, "failed"),
    ("linearity is proved", sp.Sum(x[i] + 1, (i, 1, C)), sp.Sum(x[i], (i, 1, C)) + C, (), "proved"),
    ("square of a sum", sp.Sum(x[i] ** 2, (i, 1, C)), sp.Sum(x[i], (i, 1, C)) ** 2, (), "failed"),
    # zero for every size up to 6: only the larger size shows it is false
    ("false only beyond 6", sp.Sum(x[i] * sp.Mul(*[(i - m) for m in range(1, 7)]), (i, 1, C)), sp.Integer(0),
     (), "failed"),
]


@pytest.fixture(scope="module")
def v() -> Verifier:
    with Verifier() as verifier:
        yield verifier


@pytest.mark.parametrize("name,lhs,rhs,givens,verdict", CASES, ids=[c[0] for c in CASES])
def test_verdicts(v: Verifier, name: str, lhs: sp.Expr, rhs: sp.Expr, givens: tuple, verdict: str) -> None:
    got = v.verify_step(Step(lhs, Rel.EQ, rhs, Justification("given"), givens), DOMAINS)
    assert got.status == verdict, got
    if verdict == "numeric":
        assert got.method == ("C = 1, 2, 3, 4, 5, 6, 9 with every index; at least 2 random points each at 40 "
                              "digits, entries satisfying the givens")
    if verdict == "failed":
        assert "C" in got.counterexample, got


def _values(cex: dict[str, str], name: str, c: int) -> np.ndarray:
    return np.array([float(sp.Rational(cex[f"{name}_{m}"])) for m in range(1, c + 1)])


@pytest.mark.parametrize("rhs", [y[k] - softmax(k), softmax(k), softmax(k) * (1 - softmax(k))])
def test_counterexample_fits_the_given_and_is_real(v: Verifier, rhs: sp.Expr) -> None:
    """Recomputed with numpy: the entries sum to 1, and the two sides really differ there."""
    got = v.verify_step(Step(DL, Rel.EQ, rhs, Justification("given"), GIVEN), DOMAINS)
    cex = got.counterexample
    c, kk = int(cex["C"]), int(cex["k"])
    zs, ys = _values(cex, "z", c), _values(cex, "y", c)
    assert sum(sp.Rational(cex[f"y_{m}"]) for m in range(1, c + 1)) == 1
    p = np.exp(zs - zs.max()) / np.exp(zs - zs.max()).sum()
    true_gradient = p[kk - 1] - ys[kk - 1]             # d/dz_k of -sum y log softmax, sum y = 1
    claimed = float(rhs.xreplace({k: kk, C: c}).doit().xreplace(
        {**{z[m]: zs[m - 1] for m in range(1, c + 1)}, **{y[m]: ys[m - 1] for m in range(1, c + 1)}}))
    assert abs(true_gradient - claimed) > 1e-6


def test_instances_cover_every_size_and_index() -> None:
    job = Verifier().job(Step(DL, Rel.EQ, softmax(k) - y[k], Justification("given"), GIVEN), DOMAINS)
    seen = [(int(size[C]), [int(ix[k]) for ix in idx]) for size, idx in sums.instances(job, sums.SIZES)]
    assert seen == [(c, list(range(1, c + 1))) for c in (1, 2, 3, 4, 5, 6, 9)]
    assert sums.applies(job) and job.constraints == GIVEN


def test_a_written_entry_excludes_smaller_sizes() -> None:
    """``y_3`` in a step: sizes below 3 have no such entry and are not instances."""
    step = Step(sp.Sum(y[i], (i, 1, C)) + y[3], Rel.EQ, 2 * y[3] + sp.Sum(y[i], (i, 1, C)), Justification("algebra"))
    job = Verifier().job(step, DOMAINS)
    assert [int(size[C]) for size, _ in sums.instances(job, sums.SIZES)] == [3, 4, 5, 6, 9]


def test_a_declared_size_domain_is_respected() -> None:
    from derive.domains import integer_at_least

    job = Verifier().job(Step(L, Rel.EQ, L + 0 * C, Justification("algebra")), {C: integer_at_least(4)})
    assert [int(size[C]) for size, _ in sums.instances(job, sums.SIZES)] == [4, 5, 6, 9]


def test_a_declared_index_range_is_respected() -> None:
    """``k >= 2`` declared: no instance has k = 1 (a counterexample there would not fit)."""
    from derive.domains import integer_at_least

    job = Verifier().job(Step(DL, Rel.EQ, softmax(k) - y[k], Justification("given"), GIVEN),
                         {C: POSITIVE_INTEGER, k: integer_at_least(2)})
    seen = [(int(size[C]), [int(ix[k]) for ix in idx]) for size, idx in sums.instances(job, sums.SIZES)]
    assert seen == [(c, list(range(2, c + 1))) for c in (2, 3, 4, 5, 6, 9)]


def test_sums_of_plain_terms_keep_the_old_path() -> None:
    """``\\sum_{i=1}^n i`` has no family: the layer does not apply (no change for the checker)."""
    n = sp.Symbol("n", integer=True, positive=True)
    job = Verifier().job(Step(sp.Sum(i, (i, 1, n)), Rel.EQ, n * (n + 1) / 2, Justification("algebra")), {})
    assert not sums.applies(job)


def test_constraints_are_part_of_the_cache_key() -> None:
    from derive.verify import step_key

    v = Verifier()
    with_given = v.job(Step(DL, Rel.EQ, softmax(k) - y[k], Justification("given"), GIVEN), DOMAINS)
    without = v.job(Step(DL, Rel.EQ, softmax(k) - y[k], Justification("given")), DOMAINS)
    assert step_key(with_given) != step_key(without)


@pytest.mark.parametrize("equations,solved", [
    (["y_1 + y_2 + y_3 - 1"], {"y_3": "1 - y_1 - y_2"}),
    (["y_1 + y_2 - 1", "2*x_1 + y_2"], {"y_2": "-2*x_1", "y_1": "2*x_1 + 1"}),     # both solved, in order
    (["0"], {}),
])
def test_givens_are_solved_for_their_last_entry(equations: list[str], solved: dict[str, str]) -> None:
    syms = {n: sp.Symbol(n, real=True) for n in ("y_1", "y_2", "y_3", "x_1")}
    got = sums._solve([sp.sympify(e, locals=syms) for e in equations])
    assert {s.name: v for s, v in got.items()} == {n: sp.sympify(v, locals=syms) for n, v in solved.items()}


def test_positive_entries_summing_to_a_constant_are_normalised() -> None:
    """``y_1 + y_2 + y_3 = 2`` with positive entries: y_i = 2 u_i / (u_1 + u_2 + u_3), u_i > 0."""
    ys = [sp.Symbol(f"y_{m}", positive=True) for m in (1, 2, 3)]
    got = sums._solve([sum(ys) - 2])
    us = [sp.Symbol(f"y_{m}_free", positive=True) for m in (1, 2, 3)]
    assert got == {y_: 2 * u / sum(us) for y_, u in zip(ys, us)}


yp = sp.IndexedBase(sp.Symbol("y", positive=True))
GIVEN_POSITIVE = ((sp.Sum(yp[i], (i, 1, C)), sp.Integer(1)),)


@pytest.mark.parametrize("rel,verdict", [(Rel.LE, "numeric"), (Rel.GE, "failed")])
def test_a_distribution_keeps_its_signs_and_its_sum(v: Verifier, rel: Rel, verdict: str) -> None:
    """sum y log y <= 0 for a distribution; the false >= 0 fails at positive entries summing to 1."""
    step = Step(sp.Sum(yp[i] * sp.log(yp[i]), (i, 1, C)), rel, sp.Integer(0), Justification("given"),
                GIVEN_POSITIVE)
    got = v.verify_step(step, DOMAINS)
    assert got.status == verdict, got
    if verdict == "failed":
        c = int(got.counterexample["C"])
        entries = [sp.Rational(got.counterexample[f"y_{m}"]) for m in range(1, c + 1)]
        assert c >= 2 and sum(entries) == 1 and all(e > 0 for e in entries)
        assert sum(float(e) * np.log(float(e)) for e in entries) < 0       # numpy: the claim >= 0 is false
        assert not any(k.endswith("_free") for k in got.counterexample)


@pytest.mark.parametrize("equation,reason", [
    ("1", "an infeasible given"),
    ("y_1**2 - 1", "a given that cannot be solved for an entry"),
])
def test_givens_that_cannot_be_sampled_skip_the_instance(equation: str, reason: str) -> None:
    syms = {"y_1": sp.Symbol("y_1", real=True)}
    with pytest.raises(sums._Skip, match=reason):
        sums._solve([sp.sympify(equation, locals=syms)])


def test_instances_stop_at_max_instances() -> None:
    """Two free indices: sizes 1..6 give 1 + 4 + 9 + 16 + 25 = 55 index pairs, then 25 of the 36
    at size 6 fill the cap of 80 exactly, and size 9 is not reached."""
    m = sp.Symbol("m", real=True)
    lhs = sp.Derivative(sp.Sum(y[i] ** 2, (i, 1, C)), y[k]) * y[m]
    job = Verifier().job(Step(lhs, Rel.EQ, 2 * y[k] * y[m], Justification("t")), {C: POSITIVE_INTEGER, k: REAL, m: REAL})
    got = [(int(size[C]), len(idx)) for size, idx in sums.instances(job, sums.SIZES)]
    assert sums.MAX_INSTANCES == 80
    assert got == [(1, 1), (2, 4), (3, 9), (4, 16), (5, 25), (6, 25)]


@pytest.mark.parametrize("e", [sp.Sum(i, (i, C, 3)), sp.Sum(i, (i, 1, C)), sp.Product(i, (i, C, C + 2))])
def test_a_sum_with_a_symbolic_bound_is_not_written_out(e) -> None:
    with pytest.raises(sums._Skip, match="a sum whose bounds are not numbers"):
        sums._written_out(e)


_n = sp.Symbol("n", integer=True)


@pytest.mark.parametrize("term, value", [
    # a series that does not converge at the point has no value (was: left unsummed, the point skipped)
    (sp.Integer(-2) ** _n, sp.nan),
    (sp.Integer(-1) ** _n, sp.nan),
    (sp.sin(_n), sp.nan),
    (sp.Integer(2) ** _n, sp.oo),
    (sp.Rational(-1, 2) ** _n, sp.Rational(2, 3)),
    ((-1) ** _n / (_n + 1), sp.log(2)),
])
def test_a_series_at_a_point(term: sp.Expr, value: sp.Expr) -> None:
    got = sums.at_point(sp.Sum(term, (_n, 0, sp.oo)))
    assert got == value or (value is sp.nan and got is sp.nan)


def test_the_series_references() -> None:
    import mpmath
    # partial sums of (-2)^n and (-1)^n do not settle; the convergent ones match their closed forms
    assert {int(mpmath.nsum(lambda t: (-1) ** t, [0, m])) for m in (10, 11)} == {0, 1}
    assert abs(mpmath.nsum(lambda t: mpmath.mpf(-0.5) ** t, [0, mpmath.inf]) - mpmath.mpf(2) / 3) < 1e-20
    assert abs(mpmath.nsum(lambda t: (-1) ** t / (t + 1), [0, mpmath.inf]) - mpmath.log(2)) < 1e-12


# -- givens about written-out entries (no symbolic size) ---------------------------------------- #
# A substitution cannot apply ``\sum_{i=1}^{3} y_i = 1`` or ``y_1 + y_2 = 1`` to sides that do not
# contain that very expression: the entries are solved from the givens instead, and the step goes
# through the ordinary numeric layer (tight points, printed digits) on what they leave free.
G3 = ((sp.Sum(y[i], (i, 1, 3)), sp.Integer(1)),)
G2 = ((y[1] + y[2], sp.Integer(1)),)
half = sp.Rational(1, 2)

#: (name, lhs, rel, rhs, givens, verdict, the counterexample if failed)
WRITTEN = [
    ("doubled sum", sp.Sum(2 * y[i], (i, 1, 3)), Rel.EQ, sp.Integer(2), G3, "numeric", None),
    ("entries written out", y[1] + y[2] + y[3], Rel.EQ, sp.Integer(1), G3, "numeric", None),
    ("doubled sum, wrong value", sp.Sum(2 * y[i], (i, 1, 3)), Rel.EQ, sp.Integer(3), G3, "failed",
     {"y_1": "0", "y_2": "0", "y_3": "1"}),
    ("exp of the sum", sp.exp(y[1]) * sp.exp(y[2]), Rel.EQ, sp.E, G2, "numeric", None),
    ("exp of the sum, squared", sp.exp(y[1]) * sp.exp(y[2]), Rel.EQ, sp.E ** 2, G2, "failed", "fits"),
    ("AM-GM, non-strict", y[1] * y[2], Rel.LE, sp.Rational(1, 4), G2, "numeric", None),
    # equality at y_1 = y_2 = 1/2: the tight-point search of the numeric layer finds it
    ("AM-GM, strict", y[1] * y[2], Rel.LT, sp.Rational(1, 4), G2, "failed", {"y_1": "1/2", "y_2": "1/2"}),
    ("convexity, strict", sp.exp(y[1]) + sp.exp(y[2]), Rel.GT, 2 * sp.exp(half), G2, "failed",
     {"y_1": "1/2", "y_2": "1/2"}),
]


@pytest.mark.parametrize("name,lhs,rel,rhs,givens,verdict,cex", WRITTEN, ids=[w[0] for w in WRITTEN])
def test_givens_about_written_out_entries(v: Verifier, name, lhs, rel, rhs, givens, verdict, cex) -> None:
    got = v.verify_step(Step(lhs, rel, rhs, Justification("given"), givens), {})
    assert got.status == verdict, got
    if verdict == "numeric":
        assert got.method == "24 random points at 40 digits", got
        return
    if cex != "fits":
        assert got.counterexample == cex, got
    # the counterexample satisfies every given, and the claimed relation is false there (numpy)
    values = {y[int(n.split("_")[1])]: sp.Rational(t) for n, t in got.counterexample.items()}
    for key, value in givens:
        assert key.doit().xreplace(values) == value, (key, got.counterexample)
    a, b = (float(side.doit().xreplace(values)) for side in (lhs, rhs))
    assert not {Rel.EQ: np.isclose(a, b), Rel.LT: a < b, Rel.GT: a > b}[rel], (a, b)


def test_a_free_index_keeps_written_out_givens_out() -> None:
    """``y_k`` beside a given about y_1, y_2: k is any index, so no single instance stands for the
    step, and the given is no constraint (it would have been checked at k = 1 only)."""
    step = Step(y[k], Rel.EQ, y[1], Justification("given"), G2)
    job = Verifier().job(step, {k: REAL})
    assert job.constraints == () and sums.written_instance(job) is None
    written = Verifier().job(Step(y[1], Rel.EQ, 1 - y[2], Justification("given"), G2), {})
    assert written.constraints == G2 and sums.written_instance(written) is not None
