"""Near-miss tests written against survivors of the seed-18 mutation run (derive/verify/, helper va).

Each test pins an exact verdict, message, counterexample or returned value that a one-token
change to the verifier altered while the suite still passed; its docstring names the mutant.
"""
from __future__ import annotations

import math
import multiprocessing
import os
import random
import time
from fractions import Fraction as F

import mpmath
import pytest
import sympy as sp

from derive import domains as D
from derive.check import check_text
from derive.step import Justification, Rel, Step
from derive.verify import Verifier, onesided
from derive.verify import critical as C
from derive.verify import quadrature as Q
from derive.verify import tight as T
from derive.verify.job import _Job
from derive.verify.pool import INPROCESS_ENV, WorkerPool
from derive.verify.probability import Model
from derive.verify.sampling import points

x = sp.Symbol("x", real=True)
y = sp.Symbol("y", real=True)
R = sp.Rational


def _last(src: str):
    return check_text(src + "\n", timeout=10).steps[-1]


# --------------------------------------------------------------------------- #
# critical._critical: an exact solve keeps to the deadline it was given
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("f, roots", [
    (x**3 - 3 * x, [-1, 1]),            # f' = 3(x^2 - 1)
    (x**4 - 2 * x**2, [-1, 0, 1]),      # f' = 4x(x^2 - 1)
])
def test_critical_points_keep_to_the_deadline(f, roots) -> None:
    """Kills critical.x__critical__mutmut_15 (the deadline was not passed on to the exact roots
    of the derivative: a slice whose time was up still had its critical points solved)."""
    assert C._critical(f, x, D.REAL, None) == [sp.Integer(r) for r in roots]   # no deadline: solved
    assert C._critical(f, x, D.REAL, time.monotonic() - 60) == []              # time is up: nothing


# --------------------------------------------------------------------------- #
# pool.WorkerPool.run_batch: the batch pool has the workers asked for
# --------------------------------------------------------------------------- #
def _pid(_: object) -> int:
    return os.getpid()


def test_a_batch_runs_in_as_many_processes_as_workers_asked_for(monkeypatch) -> None:
    """Kills pool.xǁWorkerPoolǁrun_batch__mutmut_23 (``Pool(None)``: one batch process per CPU,
    whatever number of workers the verifier was given)."""
    monkeypatch.delenv(INPROCESS_ENV, raising=False)
    workers = (os.cpu_count() or 1) + 1         # never the pool's default (one per CPU)
    before = {p.pid for p in multiprocessing.active_children()}
    pool = WorkerPool(workers)
    try:
        got = pool.run_batch(_pid, list(range(6)), timeout=60)
        started = {p.pid for p in multiprocessing.active_children()} - before
        assert len(started) == workers
        assert all(ok for ok, _ in got) and {pid for _, pid in got} <= started
    finally:
        pool.close()


# --------------------------------------------------------------------------- #
# distributions._laws: the readable laws, in the order they are tried
# --------------------------------------------------------------------------- #
def test_the_third_readable_law_sets_y_to_one_or_zero() -> None:
    """Kills distributions.x__laws__mutmut_82 (trial 2 gave Y the values 2 or 0 instead of 1 or 0).
    By hand: X uniform on {1, 2}, Y = 1, 0 on its outcomes: E[Y] = 1/2, E[X] = 3/2 (trials 0 and 1,
    Y = X and Y = 3 - X, have E[Y] = E[X])."""
    s = _last(r"\[ \mathbb{E}[Y] = \mathbb{E}[X] \]")
    assert (s.verdict, s.method, s.message) == ("invalid", "distribution", "sides differ: 0.50000000 vs 1.5000000")
    assert s.counterexample == {"X": "1 or 2 (equally likely)", "Y": "1 or 0 (equally likely) on the outcomes of X"}


def test_the_lopsided_law_of_an_independent_variable_is_tried_eighth() -> None:
    """Kills distributions.x__laws__mutmut_209 (an independent variable got the lopsided law
    (1/10, 9/10) at trial 8, a random law, instead of trial 7).  The equation holds exactly when
    E[X] is 3/2 or 2, as for the uniform and point-mass laws tried before; under 1 w.p. 1/10,
    2 w.p. 9/10: E[X] = 19/10, E[X]^2 + 3 = 661/100 and 7/2 E[X] = 133/20 (checked below)."""
    s = _last("% derive: assume X, Y independent\n"
              r"\[ \mathbb{E}[X]^2 + 3 = \frac{7}{2} \mathbb{E}[X] \]")
    mean = F(1, 10) * 1 + F(9, 10) * 2
    assert (mean ** 2 + 3, F(7, 2) * mean) == (F(661, 100), F(133, 20))
    assert (s.verdict, s.method, s.message) == ("invalid", "distribution", "sides differ: 6.6100000 vs 6.6500000")
    assert s.counterexample == {"X": "1 (probability 1/10) or 2 (probability 9/10) independently"}


# --------------------------------------------------------------------------- #
# onesided._truth and local_branch
# --------------------------------------------------------------------------- #
AND_UNKNOWN = sp.Piecewise((1, sp.And(x < 1, x * y > 0)), (0, True))


@pytest.mark.parametrize("side", [1, -1])
def test_a_conjunction_with_an_unknown_part_is_unknown(side) -> None:
    """Kills onesided.x__truth__mutmut_106 (``And`` with a part of unknown truth and no false one
    was true: the case x < 1 and x y > 0 was taken beside 0 whatever the sign of y)."""
    assert onesided.local_branch(AND_UNKNOWN, x, sp.Integer(0), side) is None
    assert onesided.local_branch(sp.Piecewise((1, sp.And(x < 1, x > 0)), (0, True)), x, sp.Integer(0), side) \
        == (1 if side == 1 else 0)


@pytest.mark.parametrize("direction", ["+", "-"])
def test_a_one_sided_limit_through_an_unknown_case_is_not_proved(direction) -> None:
    """Kills onesided.x__truth__mutmut_106 at the verdict: the mutant proved the limit 1, false
    for y < 0 (the case never applies there and the function is 0)."""
    with Verifier() as v:
        got = v.verify_step(Step(sp.Limit(AND_UNKNOWN, x, 0, direction), Rel.EQ, sp.Integer(1),
                                 Justification("t")), {})
    assert (got.status, got.method, got.message) == (
        "unknown", "one-sided", "derive cannot tell which case applies beside x = 0")


@pytest.mark.parametrize("e", [
    sp.floor(sp.ff(1, 1 / x)),          # the argument at 0 is FallingFactorial(1, zoo): no value
    sp.ceiling(sp.ff(2, 1 / x)),
    sp.frac(sp.rf(2, 1 / x)),
])
@pytest.mark.parametrize("side", [1, -1])
def test_an_integer_part_of_an_argument_infinite_at_the_point(e, side) -> None:
    """Kills onesided.x_local_branch__mutmut_97 (``has(None, nan)`` for ``has(zoo, nan)``: an
    argument whose value at the point holds ``zoo`` and is not known to be non-real got a
    constant integer part, ``floor(FallingFactorial(1, zoo))``)."""
    u0 = e.args[0].subs(x, 0)
    assert u0.has(sp.zoo) and u0.is_real is not False and u0.is_integer is False     # the case meant
    assert onesided.local_branch(e, x, sp.Integer(0), side) is None


# --------------------------------------------------------------------------- #
# probability.Model.random: declared in a family or with a law is enough
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("model", [Model(families={"x": 1}), Model(laws={"x": None})],
                         ids=["family only", "law only"])
def test_a_declared_name_off_the_convention_is_random(model) -> None:
    """Kills probability.xǁModelǁrandom__mutmut_2 (``and`` for ``or``: a lower-case name was random
    only when declared both in a family and with a law)."""
    assert model.random("x") is True
    assert Model().random("x") is False and Model().random("X") is True


@pytest.mark.parametrize("src", [
    "% derive: assume x, y independent\n\\[ \\mathbb{E}[x y] = \\mathbb{E}[x] \\mathbb{E}[y] \\]",
    "% derive: assume x \\sim \\mathrm{Exp}(2)\n\\[ \\mathbb{E}[x] = \\frac{1}{2} \\]",
], ids=["independent", "a law"])
def test_declared_lower_case_random_variables(src) -> None:
    """Kills probability.xǁModelǁrandom__mutmut_2 at the verdict (the mutant read E[x] as an
    unknown function: a premise, or a definition of E[x])."""
    s = _last(src)
    assert (s.verdict, s.method, s.message) == ("valid", "proved", "identical")


# --------------------------------------------------------------------------- #
# quadrature.corners: every corner of the spread
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("spread, want", [
    ((mpmath.mpf(1), 0, mpmath.mpf(2)), [(1, 5, 5), (1, 5, 9), (3, 5, 5), (3, 5, 9)]),
    ((mpmath.mpf(1), mpmath.mpf(1), mpmath.mpf(1)),
     [(a, b, c) for a in (1, 3) for b in (4, 6) for c in (6, 8)]),
    ((0, 0, 0), [(2, 5, 7)]),
])
def test_corners_are_every_combination_of_signs(spread, want) -> None:
    """Kills quadrature.x_corners__mutmut_6 (``product((-1, 1))`` without ``repeat``: only the
    first uncertain value moved, two corners instead of 2^k, and the spread-free values twice)."""
    second = [Q.QuadValue(mpmath.mpf(2), 0), Q.QuadValue(mpmath.mpf(5), 0), Q.QuadValue(mpmath.mpf(7), 0)]
    got = list(Q.corners(second, spread))
    assert len(got) == len(want) and sorted(got) == sorted(want)


# --------------------------------------------------------------------------- #
# tight._snapped: a numeric root next to a simple rational
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("text, simple", [
    ("0.49999999999999999999", R(1, 2)),
    ("0.33333333333333333333", R(1, 3)),
    ("-0.25000000000000000001", R(-1, 4)),
    ("7.0000000000000000001", R(7)),
    ("0.12345678901234567891", None),        # no small denominator within 1e-12
])
def test_a_numeric_root_snaps_to_a_simple_rational(text, simple) -> None:
    """Kills tight.x__snapped__mutmut_14 (``simple + q`` for ``simple - q``: no root away from 0
    was ever snapped, so the numeric layer never evaluated at the exact 1/2)."""
    q = sp.Rational(text)
    got = T._snapped(sp.Float(text, 25))
    assert got == ([q] if simple is None else [simple, q])


# --------------------------------------------------------------------------- #
# tight.special_points: the integer levels around the sampled value of floor's argument
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize("fn", [sp.floor, sp.ceiling])
@pytest.mark.parametrize("seed", [1, 4, 15])
def test_the_levels_of_an_integer_part_are_three_in_a_row(fn, seed) -> None:
    """Kills tight.x_special_points__mutmut_91 (levels floor(a) - 1, floor(a) + 1 and not floor(a)
    itself, a being the argument at the sampled point): the breakpoint x = floor(a) was skipped."""
    job = _Job(fn(x), Rel.EQ, 1, (), None, seed, 6, 30, 40)
    base = next(points(job, random.Random(job.seed ^ 0x51), 1, symbols=[x]))
    m = math.floor(float(base[x]))
    assert m not in (0, 1)                   # else the fixed levels 0 and 1 hide the mutant
    visited = [p[x] for p in T.special_points(job)][len(T.SIMPLE):]
    levels = sorted(v for v in visited if v.is_Integer)
    assert levels == sorted({m - 1, m, m + 1, 0, 1})
