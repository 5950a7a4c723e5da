"""The layers in order: shape and identity checks, numeric filter, symbolic proof."""
from __future__ import annotations

import dataclasses
import itertools
import math
import random
import time
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from ..step import Rel, Verdict, same_side
from .distributions import is_random_step, probability_layer
from . import emptysums, onesided, sums
from .implications import _implication_layer
from .integrable import pole_inside
from .large import large_points
from .job import _elementary, _Job
from .matrices import _prove_matrix, _shape_mismatch, is_matrix_step, matrix_layer, prove_matrix_expression
from .numeric import _numeric_layer, _real_context
from .precision import resolvable, scale_digits, within_half
from .sampling import _counterexample
from ..domains import domain_of
from .sampling import points as sample_points
from .relations import _prove_implication, _refute_implication
from .symbolic import _approx_exact, _is_zero, _prove_sign, _prove_zero, _resolve_piecewise, improper_values
from .critical import Doubts
from .tight import singular_points, special_points, tight_points


def _symbolic_layer(job: _Job) -> Verdict | None:
    declared = dict(job.domains)
    l, r, rel = job.lhs, job.rhs, job.rel
    if rel is not Rel.EQ:
        l, r = _elementary(l), _elementary(r)
    method: str | None = None
    if is_matrix_step(job) and rel is Rel.EQ:     # matrix algebra: scalar strategies would treat A B as commuting
        method = prove_matrix_expression(l, r)
        return Verdict("proved", method) if method else None
    if method is not None:
        pass
    elif isinstance(l, sp.MatrixBase) or isinstance(r, sp.MatrixBase):
        got = _prove_matrix(l, rel, r, job.tol, declared)
        if isinstance(got, Verdict):
            return got
        method = got
    elif rel is Rel.APPROX:
        method = _approx_exact(l, r, job.tol)
    elif rel is Rel.EQ:
        method = _prove_zero(l - r, declared)
    elif rel in (Rel.LE, Rel.LT, Rel.GE, Rel.GT):
        gap = r - l if rel in (Rel.LE, Rel.LT) else l - r
        strict = rel in (Rel.LT, Rel.GT)
        method = _prove_sign(gap, strict, declared)
        if method is None and strict and _is_zero(sp.expand(_resolve_piecewise(gap.doit(), declared))):
            return Verdict("failed", "identical", "the two sides are equal, so the strict inequality fails")
    elif rel is Rel.IMPLIES:
        method = _prove_implication(l, r, declared)
    elif rel is Rel.IFF:
        a, b = _prove_implication(l, r, declared), _prove_implication(r, l, declared)
        method = f"both directions ({a}; {b})" if a and b else None
    if method is None and rel in (Rel.IMPLIES, Rel.IFF):
        for premise, conclusion in ((l, r), (r, l)) if rel is Rel.IFF else ((l, r),):
            cex = _refute_implication(premise, conclusion, declared)
            if cex is not None:
                return Verdict("failed", "solution sets", "the premise holds but the conclusion does not", cex)
    if method and rel not in (Rel.IMPLIES, Rel.IFF) and improper_values((job.lhs, job.rhs), declared) is None:
        # linearity and cancellation treat integrals and series as numbers: only where they converge
        return None
    return Verdict("proved", method) if method else None


def _finite_claim(job: _Job) -> Verdict | None:
    r"""``\sum_{n \ge 1} 1/n^2 < \infty``, ``\int_0^1 x^{-1/2} dx < \infty``: the written infinity is
    no point to sample; the claim is that the other side has a finite value (converges)."""
    if job.rel is Rel.LT and job.rhs is sp.oo:
        side = job.lhs
    elif job.rel is Rel.GT and job.lhs is sp.oo:
        side = job.rhs
    else:
        return None
    if not isinstance(side, sp.Expr):
        return None
    values = improper_values((side,), dict(job.domains))
    if values is None:
        return Verdict("unknown", "convergence", "derive cannot tell whether it converges")
    value = side.xreplace(values)
    if value.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
        return Verdict("failed", "divergent", f"it does not converge (its value is {sp.sstr(value)})", {})
    if value.is_finite:
        return Verdict("proved", "a finite value" + (f" ({sp.sstr(value)})" if not value.free_symbols else ""))
    return Verdict("unknown", "convergence", f"derive cannot tell whether {sp.sstr(value)} is finite")


_EXTENDED = {Rel.EQ: sp.Eq, Rel.LE: sp.Le, Rel.LT: sp.Lt, Rel.GE: sp.Ge, Rel.GT: sp.Gt}


def _divergent(job: _Job) -> Verdict | None:
    """Integrals and series that do not converge (int_1^oo dx/x = oo, int_{-1}^1 dx/x = nan) are
    no numbers: linearity does not split them (int_1^oo (1/x - 1/(x+1)) dx = ln 2 is not
    oo - oo) and quadrature of them is no evidence.  The sides are compared with those values,
    in the extended reals; an indeterminate side has no value."""
    if job.rel not in _EXTENDED or not (_has(job, sp.Integral) or _has(job, sp.Sum)):
        return None
    for part in (p for side in (job.lhs, job.rhs) if isinstance(side, sp.Basic) for p in side.atoms(sp.Integral)):
        status, point, pole = pole_inside(part, dict(job.domains))
        if status == "pole" and point:      # int_{-a}^{a} x/(x^2-1) dx at a = 2: a pole at x = 1 inside
            (x, lo, hi), = part.limits
            at = ", ".join(f"{s} = {sp.sstr(v)}" for s, v in point.items())
            return Verdict("failed", "divergent", f"at {at} the integral does not converge: its integrand "
                           f"{sp.sstr(part.function)} has a pole at {x} = {sp.sstr(pole)}, in "
                           f"[{sp.sstr(lo.xreplace(point))}, {sp.sstr(hi.xreplace(point))}]",
                           _counterexample(point))
    values = improper_values((job.lhs, job.rhs), dict(job.domains))
    if not values or all(v.is_finite for v in values.values()):
        return None
    sides = [side.xreplace(values) if isinstance(side, sp.Basic) else side for side in (job.lhs, job.rhs)]
    why = [name for name, side in zip(("left", "right"), sides) if isinstance(side, sp.Basic) and side.has(sp.nan)]
    if why:
        which = "both sides are" if len(why) == 2 else f"the {why[0]} side is"
        return Verdict("failed", "undefined", f"{which} undefined (an integral or series that does not converge)", {})
    try:
        holds = _EXTENDED[job.rel](*sides)
    except (TypeError, ValueError):
        holds = None
    if holds is sp.true:
        return Verdict("proved", "evaluate sums and integrals")
    if holds is sp.false:
        return Verdict("failed", "divergent", "an integral or series here does not converge: "
                       f"{sp.sstr(sides[0])} vs {sp.sstr(sides[1])}", {})
    return Verdict("unknown", "divergent", "an integral or series here does not converge")


def _always_undefined(e: Any) -> bool:
    """``zoo`` or ``nan`` that no branch, sum or function can drop (``1/0``, ``x/0``, ``0^{-1} + 1``).

    Inside a ``Piecewise`` branch or a sum term it may never be reached
    (``a^{n-k} u[n-k]`` at ``a = 0``), so only arithmetic around it counts.
    """
    if e is sp.zoo or e is sp.nan:
        return True
    return isinstance(e, (sp.Add, sp.Mul, sp.Pow)) and any(_always_undefined(a) for a in e.args)


def _not_real_constant(e: Any) -> bool:
    """A constant such as ``log(-1) = i*pi``: no value over the reals."""
    if not isinstance(e, sp.Expr) or e.free_symbols or not e.has(sp.I):
        return False
    try:
        v = e.evalf(15)
        return bool(v.is_number and abs(sp.im(v)) > 1e-12 * max(1.0, float(abs(v))))
    except (TypeError, ValueError, AttributeError):
        return False


def _undefined_side(job: _Job) -> Verdict | None:
    """A side that is undefined everywhere (``1/0``) never equals anything."""
    if job.rel in (Rel.IMPLIES, Rel.IFF):
        return None
    why = []
    real = _real_context(job)
    for side in (job.lhs, job.rhs):
        entries = list(side) if isinstance(side, sp.MatrixBase) else [side]
        bad = [e for e in entries if _always_undefined(e)]
        if bad:
            why.append("a division by zero" if any(e.has(sp.zoo) for e in bad) else "an indeterminate form")
        elif real and any(_not_real_constant(e) for e in entries):
            why.append("not a real number")
        else:
            why.append(None)
    if not any(why):
        return None
    if all(why):
        return Verdict("failed", "undefined", f"both sides are undefined ({why[0]}; {why[1]})", {})
    side = "left" if why[0] else "right"
    return Verdict("failed", "undefined", f"the {side} side is undefined ({why[0] or why[1]})", {})


def _nowhere_real(job: _Job) -> Verdict | None:
    """Identical sides that are a real number at no sampled point of the domain (sqrt(x)
    or x^{2/4} for x < 0, log x for x < 0) state nothing about reals: undefined values
    never equal.  Only for sides with a root or a log of plain symbols, and no givens."""
    side = job.lhs
    if (job.rel in (Rel.IFF, Rel.IMPLIES) or job.constraints or job.matrix_constraints
            or not isinstance(side, sp.Expr) or not side.free_symbols or not _real_context(job)
            or side.atoms(AppliedUndef, sp.Indexed, sp.MatrixSymbol, sp.Integral, sp.Sum, sp.Limit)
            or not any(isinstance(f, sp.Symbol) for f in side.free_symbols)):
        return None
    rooted = any(p.exp.is_Rational and not p.exp.is_Integer for p in side.atoms(sp.Pow))
    if not (rooted or side.has(sp.log, sp.asin, sp.acos, sp.acosh, sp.atanh)):
        return None
    point = None
    for point in sample_points(job, random.Random(job.seed), 6):
        try:
            value = side.xreplace(point).evalf(20)
        except (TypeError, ValueError, ZeroDivisionError, AttributeError):
            return None
        if value.is_real is not False and value.is_finite is not False:
            return None         # a real value somewhere (or no way to tell): an identity there
    return Verdict("failed", "undefined", "both sides are undefined here (not a real number)",
                   _counterexample(point)) if point else None


def _rounded_constants(job: _Job) -> Verdict | None:
    """A printed decimal beside a constant (``\\pi \\approx 3.14159265358979323846264338327950288``):
    decided exactly against half a unit of its last digit, at as many digits as are written,
    never by the numeric layer's relative tolerance (which lets a wrong 35th digit pass)."""
    half, l, r = job.exact_tol, job.lhs, job.rhs
    if job.rel is not Rel.APPROX or not isinstance(half, sp.Rational) or not all(
            isinstance(e, sp.Expr) and not isinstance(e, sp.MatrixBase) and e.is_number for e in (l, r)):
        return None
    if not (resolvable(l) and resolvable(r)):
        return None     # a Float or an unevaluated integral: no error bound, the other layers decide
    got = within_half(l, r, half)
    if got is True:
        return Verdict("proved", "exact bound on the rounding error")
    if got is False:
        return Verdict("failed", "rounding", "the sides differ by more than half a unit of the last printed "
                       f"digit ({sp.sstr(sp.N(half, 2))})", {})
    return Verdict("unknown", "rounding", "the sides are within the step's precision of half a unit of the "
                   "last printed digit: derive cannot tell on which side")


#: The most digits the numeric layer is asked for to compare a long printed decimal.
MAX_PRECISION = 400


def _at_printed_digits(job: _Job) -> _Job | None:
    """An ``\\approx`` whose tolerance (half a unit of a printed digit) is finer than the numeric
    layer's relative slack at its precision (``10^{-2p/3}`` of the sides' size) is sampled at more
    digits: enough for the half unit and the sides' own scale; ``None`` beyond ``MAX_PRECISION``."""
    half = job.exact_tol
    if job.rel is not Rel.APPROX or not isinstance(half, sp.Rational) or half <= 0:
        return job
    digits = -math.log10(float(half)) if float(half) > 0 else float(len(str(half.q)))
    needed = int(math.ceil((digits + 10 + scale_digits((job.lhs, job.rhs))) * 3 / 2))
    if needed <= job.precision:
        return job
    return dataclasses.replace(job, precision=needed) if needed <= MAX_PRECISION else None


def _one_sided(job: _Job) -> tuple[_Job, Verdict | None]:
    """Derivatives and limits at kinks and jumps decided from both sides (``onesided.py``): the
    job with their values, or the verdict when one has no value or is not known."""
    (lhs, left), (rhs, right) = onesided.resolve(job.lhs), onesided.resolve(job.rhs)
    problem = left or right
    if problem is None and job.rel is Rel.EQ:
        missing = _limit_missing(job)
        if missing is not None:
            return job, missing
    if problem is None:
        return (job if (lhs, rhs) == (job.lhs, job.rhs) else dataclasses.replace(job, lhs=lhs, rhs=rhs)), None
    status, why = problem
    if status == "no limit" and job.rel is Rel.EQ:      # no convention gives a limit a value
        return job, Verdict("failed", "limit", why, {})
    return job, Verdict("unknown", "one-sided", why)


def _limit_missing(job: _Job) -> Verdict | None:
    """``\\lim_{x \\to a}`` of a function with a jump, at a symbolic ``a``: where ``a`` may be a
    breakpoint at which the limit does not exist, the equation fails there (SymPy's limit of a
    Piecewise there is the value of the case the point falls in, so sampling never sees it)."""
    declared = dict(job.domains)
    for side in (job.lhs, job.rhs):
        if not isinstance(side, sp.Basic):
            continue
        for lim in side.atoms(sp.Limit):
            f, x, a, direction = lim.args
            if not (isinstance(a, sp.Symbol) and onesided.kinky(f, x)) or f.has(a):
                continue
            for c in onesided.breakpoints(f, x):
                if domain_of(a, declared).contains(c) is not True:
                    continue
                status, why = onesided.limit_at(f, x, c, str(direction))
                if status == "no limit":
                    return Verdict("failed", "limit", f"at {a} = {sp.sstr(c)}: {why}", _counterexample({a: c}))
    return None


def _run_filter_and_proof(job: _Job) -> Verdict | None:
    job, kink = _one_sided(job)
    if kink is not None:
        return kink
    undefined = _undefined_side(job) or emptysums.refute(job) or _finite_claim(job) or _divergent(job)
    if undefined is not None:
        return undefined
    rounded = _rounded_constants(job)
    if rounded is not None:
        return rounded
    job = job if sums.applies(job) else emptysums.explicit(job)     # an empty sum is 0, not Karr's value
    if job.rel not in (Rel.IMPLIES, Rel.IFF) and _shape_mismatch(job.lhs, job.rhs):
        return Verdict("failed", "shape", "the two sides have different shapes")
    if job.rel in (Rel.EQ, Rel.LE, Rel.GE, Rel.IFF, Rel.IMPLIES, Rel.APPROX) and same_side(job.lhs, job.rhs):
        return _nowhere_real(job) or Verdict("proved", "identical")
    if is_matrix_step(job):
        # unknown: the matrices agreed so far; None: the sides could not be evaluated, and
        # only then may an inequality go on to the scalar layers (opaque norms of sheets)
        got = matrix_layer(job, thorough=False)
        if got is not None and got.status != "unknown":
            return got
        if got is not None or job.rel is Rel.EQ:
            return _symbolic_layer(job)
    if is_random_step(job):
        # random variables are no real numbers: concrete laws, never random points
        rejected = probability_layer(job, job.filter_points, 15, thorough=False)
        return rejected if rejected is not None else _symbolic_layer(job)
    if sums.applies(job):       # a family's sum with a symbolic bound: instances, not random bounds
        return sums.decide(job, thorough=False) or _symbolic_layer(job)
    # Quadrature is too slow for a *fast* filter; integral steps go straight to
    # the symbolic layer (the filter may only reject, so skipping it is sound).
    if not _has(job, sp.Integral):
        rejected = _filter(job)
        if rejected is not None and rejected.status == "failed":
            return rejected
    return _symbolic_layer(job)


def _filter(job: _Job) -> Verdict | None:
    if job.rel in (Rel.IMPLIES, Rel.IFF):
        return _implication_layer(job, job.filter_points, 15, thorough=False)
    return _numeric_layer(job, job.filter_points, 15, extra=lambda: singular_points(job))


def _has(job: _Job, cls: type) -> bool:
    return any(isinstance(side, sp.Basic) and side.has(cls) for side in (job.lhs, job.rhs))


def _run_numeric(job: _Job) -> Verdict:
    """Layer 3: many points at many digits; ``numeric`` only with enough evidence."""
    single = sums.written_instance(job) if sums.applies(job) else None
    if single is not None:      # givens about written-out entries: the entries they leave free
        return sums.with_entries(_run_numeric(single[0]), single[1])
    job, kink = _one_sided(job)
    if kink is not None:
        return kink
    job = job if sums.applies(job) else emptysums.explicit(job)     # an empty sum is 0, not Karr's value
    divergent = _finite_claim(job) or _divergent(job)
    if divergent is not None:
        return divergent if divergent.status != "proved" else Verdict("unknown", "divergent", "decided by the symbolic layer only")
    rounded = _rounded_constants(job)
    if rounded is not None:     # decided exactly, or not at all: the fixed-digit sampling is no evidence here
        return rounded
    job = _at_printed_digits(job)
    if job is None:
        return Verdict("unknown", "rounding", f"the printed digits are finer than the {MAX_PRECISION} digits "
                       "derive samples at")
    if is_matrix_step(job):
        got = matrix_layer(job, thorough=True)
        if got is not None or job.rel is Rel.EQ:
            return got if got is not None else Verdict("unknown", "matrix", "could not evaluate the matrix sides")
    if is_random_step(job):
        return probability_layer(job, job.numeric_points, job.precision, thorough=True)
    if sums.applies(job):
        return sums.decide(job, thorough=True)
    if job.rel in (Rel.IMPLIES, Rel.IFF):
        rejected = _implication_layer(job, job.numeric_points, job.precision, thorough=True)
        what = "points where the premise holds"
    else:
        deadline = time.monotonic() + max(job.timeout, 0.5)
        doubts = Doubts()
        rejected = _numeric_layer(job, job.numeric_points, job.precision, resolve=True,
                                  extra=lambda: itertools.chain(singular_points(job), special_points(job, deadline),
                                                                tight_points(job, deadline, doubts)))
        what = "random points"
        if rejected is None and doubts.found:     # a strict inequality whose sides may touch
            return Verdict("unknown", "numeric", doubts.message())
    if rejected is not None:
        return rejected
    if job.rel not in (Rel.IMPLIES, Rel.IFF):
        large = large_points(job)       # the symbols sampled small (sum bounds, exponents), large
        if large is not None:
            return large
    return Verdict("numeric", f"{job.numeric_points} {what} at {job.precision} digits")
