"""Steps about expectations, decided on concrete finite laws (layers 1 and 3).

``probability.canonical`` leaves a step in moments of random variables
(``RandomSymbol`` s inside ``E``, ``Var``, ``Cov`` atoms).  Here the random
variables get concrete finite laws and the atoms exact values:

* the variables of no declared family share one sample space (any dependence:
  ``Y = X``, ``Y = 1 - X``, random joint laws);
* every variable of a declared independent family gets a sample space of its
  own, so the declared independence holds in every law tried;
* values respect the declared domains (``X > 0``); a law under which an atom has
  no value (``E[1/X]`` with ``X = 0`` possible) is skipped.

A law where the relation fails is a counterexample, shown as the law.  A
``numeric`` verdict needs ``MIN_LAWS`` laws where it holds, and only when the
laws tried cover every law the declarations allow: all variables free, or all
of one independent family; a variable with a declared continuous law is never
replaced by a finite one (only the algebra decides those).
"""
from __future__ import annotations

import itertools
import random
import time
from dataclasses import dataclass
from typing import Any, Iterator

import sympy as sp
from sympy.core.function import AppliedUndef

from ..domains import REAL, Domain
from ..step import Rel, Verdict
from .job import _Job
from .numeric import _EXACT, _exactly, _holds_at, _short, _undefined
from .events import HEAD as EVENT_HEAD
from .probability import RandomSymbol, is_moment
from .sampling import points

#: laws that must pass before a ``numeric`` verdict
MIN_LAWS = 16
#: the first laws are readable: two equally likely values, ``Y = X``, mirrors, multiples,
#: point masses (trial 6) and a lopsided two-point law (trial 7, ``_SKEWED``)
_READABLE = 8
_SKEWED = (sp.Rational(1, 10), sp.Rational(9, 10))
_POOL = (1, 2, 0, -1, 3, -2, sp.Rational(1, 2), 5, -3, sp.Rational(1, 3), 4, -sp.Rational(1, 2), 7)


@dataclass(frozen=True)
class _Law:
    """A joint finite law: outcome probabilities and each variable's value per outcome."""

    probs: tuple[sp.Rational, ...]
    values: dict                 # RandomSymbol -> tuple of values, one per outcome
    text: dict                   # name -> description


def is_random_step(job: _Job) -> bool:
    return any(isinstance(side, sp.Basic) and any(isinstance(s, RandomSymbol) for s in side.free_symbols)
               for side in (job.lhs, job.rhs))


#: an event is an indicator: 0 or 1 per outcome (pool[2] = 0 gives the empty event in trial 2)
_EVENT_POOL = [sp.Integer(0), sp.Integer(1), sp.Integer(0), sp.Integer(1)]


def _pool(dom: Domain) -> list[sp.Expr]:
    vals = [sp.sympify(v) for v in _POOL if dom.contains(sp.sympify(v)) is True]
    if len(vals) >= 3:
        return vals
    if dom.integer and dom.lo is not None:
        start = int(sp.ceiling(dom.lo)) + (0 if dom.closed_lo else 1)
        return [sp.Integer(start + i) for i in range(6)]
    if dom.lo is not None and dom.hi is not None:
        lo, hi = sp.Rational(str(dom.lo)), sp.Rational(str(dom.hi))
        return [lo + (hi - lo) * sp.Rational(k, 8) for k in (2, 4, 6, 1, 7, 3)]
    return vals or [sp.Integer(1), sp.Integer(2), sp.Integer(3)]


def _describe(vec: tuple, probs: tuple) -> str:
    merged: dict = {}
    for v, p in zip(vec, probs):
        merged[v] = merged.get(v, 0) + p
    vec, probs = tuple(merged), tuple(merged.values())
    if len(set(vec)) == 1:
        return f"{vec[0]} (a constant)"
    if len(set(probs)) == 1:
        shown = [str(v) for v in vec]
        return " or ".join(shown) + " (equally likely)"
    return " or ".join(f"{v} (probability {p})" for v, p in zip(vec, probs))


def _describe_space(probs: tuple) -> str:
    if len(set(probs)) == 1:
        return ", ".join(f"w{j + 1}" for j in range(len(probs))) + " (equally likely)"
    return ", ".join(f"w{j + 1} (probability {p})" for j, p in enumerate(probs))


def _describe_event(vec: tuple) -> str:
    return "{" + ", ".join(f"w{j + 1}" for j, x in enumerate(vec) if x) + "}"


def _laws(free: list[RandomSymbol], indep: list[RandomSymbol], pools: dict, rng: random.Random,
          count: int) -> Iterator[_Law]:
    """Readable laws first (a coin, ``Y = X``, ``Y`` the mirror of ``X``, a constant), then random ones."""
    def factor(k: int, uniform: bool) -> tuple[sp.Rational, ...]:
        if uniform:
            return tuple(sp.Rational(1, k) for _ in range(k))
        w = [rng.randint(1, 9) for _ in range(k)]
        return tuple(sp.Rational(x, sum(w)) for x in w)

    for trial in range(count):
        readable = trial < _READABLE
        k0 = 2 if readable else rng.randint(3, 6)
        p0 = _SKEWED if trial == 7 else factor(k0, readable or rng.random() < 0.3)
        shared: dict = {}
        text: dict = {"outcomes": _describe_space(p0)} if any(v.law == "event" for v in free) else {}
        for i, v in enumerate(free):
            pool = pools[v]
            base = (pool[0], pool[1])
            if trial == 0:
                vec = base
            elif trial == 1:
                vec = base if i == 0 else base[::-1]
            elif trial == 2:
                vec = base if i == 0 else (pool[0], pool[2])
            elif trial == 3:
                vec = (pool[1], pool[1]) if i == 0 else base
            elif trial in (4, 5):       # Y = 2X, Y = -X (where the domain allows)
                c = 2 if trial == 4 else -1
                vec = base if i == 0 or not all(c * x in pool for x in base) else tuple(c * x for x in base)
            elif trial == 6:            # every variable a point mass
                vec = (pool[1], pool[1])
            elif trial == 7:            # a lopsided two-point law
                vec = (pool[0], pool[2]) if i == 0 else base
            elif pool is _EVENT_POOL and rng.random() < 0.3:    # an empty or a sure event
                vec = (pool[0] if rng.random() < 0.6 else pool[1],) * k0
            else:
                vec = tuple(rng.choice(pool) for _ in range(k0))
            same = next((w for w in free[:i] if shared[w] == vec and w.law == v.law), None)
            if v.law == "event":        # a subset of the outcomes w1, w2, ...
                text[v.name] = _describe_event(vec)
            else:
                text[v.name] = same.name if same is not None else (
                    _describe(vec, p0) if i == 0 else _describe(vec, p0) + f" on the outcomes of {free[0].name}")
            shared[v] = vec
        factors: list[tuple[tuple, dict]] = []
        if free:
            factors.append((p0, shared))
        marginals: dict = {}            # an i.i.d. family (a negative family): one law for all
        for v in indep:
            pool = pools[v]
            k = 2 if readable else rng.randint(2, 3)
            vec = (pool[1], pool[1]) if trial == 6 else (pool[0], pool[1]) if readable \
                else tuple(rng.choice(pool) for _ in range(k))
            probs = _SKEWED if trial == 7 else factor(len(vec), readable)
            vec, probs = marginals.setdefault(v.family, (vec, probs)) if v.family < 0 else (vec, probs)
            text[v.name] = (f"an event of probability {sum((p for p, x in zip(probs, vec) if x), sp.Integer(0))}"
                            if v.law == "event" else _describe(vec, probs)) + " independently"
            factors.append((probs, {v: vec}))
        joint_p, joint_v = [], {v: [] for v in free + indep}
        for combo in itertools.product(*[range(len(p)) for p, _ in factors]):
            pr = sp.Integer(1)
            for (probs, vals), j in zip(factors, combo):
                pr *= probs[j]
                for v, vec in vals.items():
                    joint_v[v].append(vec[j])
            joint_p.append(pr)
        if free and indep and trial % 3 == 2:
            _copy_member(free, indep, pools, joint_v, text, trial)
        yield _Law(tuple(joint_p), {v: tuple(x) for v, x in joint_v.items()}, text)


def _copy_member(free: list[RandomSymbol], indep: list[RandomSymbol], pools: dict, joint_v: dict,
                 text: dict, trial: int) -> None:
    """A variable of no family may depend on a declared independent one: it becomes a copy of
    one (``C = A``), where its own values allow, so ``P(A \\cap C) = P(A) P(C)`` can fail."""
    v = free[(trial // 3) % len(free)]
    for w in indep[(trial // 3) % len(indep):] + indep:
        if w.law == v.law and all(x in pools[v] for x in joint_v[w]):
            joint_v[v] = list(joint_v[w])
            text[v.name] = w.name
            if not any(text.get(f.name, "").startswith("{") for f in free):
                text.pop("outcomes", None)      # no event left on the shared outcomes
            return


class _NoValue(Exception):
    """An atom has no value under this law (a division by zero, a log of 0)."""


def _atom_value(atom: AppliedUndef, law: _Law, point: dict, cache: dict) -> sp.Expr:
    if atom in cache:
        return cache[atom]
    args = [_at_point(a, law, point, cache) for a in atom.args]

    def outcomes(e: sp.Expr) -> list[sp.Expr]:
        vals = []
        for i in range(len(law.probs)):
            x = e.xreplace({v: law.values[v][i] for v in law.values})
            if x.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or x.free_symbols or x.is_real is False:
                raise _NoValue
            vals.append(x)
        return vals

    def mean(vals: list[sp.Expr]) -> sp.Expr:
        return sp.Add(*[p * x for p, x in zip(law.probs, vals)])

    head = atom.func.__name__
    if head == EVENT_HEAD:           # the probability of an event: the weight of its outcomes
        out = sp.Integer(0)
        for i, p in enumerate(law.probs):
            got = args[0].xreplace({v: sp.true if law.values[v][i] else sp.false for v in law.values})
            if got not in (sp.true, sp.false):
                raise _NoValue
            out += p if got is sp.true else 0
    elif head == "mathbbE":
        out = mean(outcomes(args[0]))
    elif head == "Var":
        g = outcomes(args[0])
        out = mean([x * x for x in g]) - mean(g) ** 2
    else:
        g, h = outcomes(args[0]), outcomes(args[1])
        out = mean([x * y for x, y in zip(g, h)]) - mean(g) * mean(h)
    cache[atom] = out
    return out


def _at_point(e: sp.Expr, law: _Law, point: dict, cache: dict) -> sp.Expr:
    """``e`` with the constants at ``point`` and every moment atom at its value under ``law``."""
    if is_moment(e):
        return _atom_value(e, law, point, cache)
    if isinstance(e, sp.Symbol):
        return point.get(e, e)
    if not e.args:
        return e
    return e.func(*[_at_point(a, law, point, cache) for a in e.args])


def _exact_holds(rel: Rel, exact: list, prec: int) -> bool | None:
    """The relation between exact values: exactly for rationals, else from the difference at
    three times the working precision when it is clearly away from 0 (``None``: no exact say)."""
    if rel is Rel.APPROX:
        return None
    got = _exactly(rel, exact)
    if got is not None:
        return got
    d = sp.sympify(exact[0] - exact[1])
    if not d.is_number:
        return None
    v = d.evalf(3 * prec)
    scale = 1 + abs(sp.sympify(exact[0]).evalf(3 * prec)) + abs(sp.sympify(exact[1]).evalf(3 * prec))
    if not v.is_real or abs(v) < sp.Float(10) ** (-2 * prec) * scale:
        return None
    return bool(_EXACT[rel](v))


def _structure(rvs: set[RandomSymbol]) -> tuple[list[RandomSymbol], list[RandomSymbol], bool]:
    """Free variables, independent ones, and whether the laws tried cover every allowed law."""
    order = sorted(rvs, key=lambda v: v.name)
    free = [v for v in order if v.family == 0]
    indep = [v for v in order if v.family != 0]
    families = {v.family for v in indep}
    covers = not indep or (not free and len(families) == 1)
    return free, indep, covers


def probability_layer(job: _Job, count: int, prec: int, thorough: bool) -> Verdict | None:
    """A failed verdict with a concrete law, ``numeric`` (thorough, enough laws), ``unknown``
    (thorough), or ``None`` (the filter found nothing)."""
    undecided = Verdict("unknown", "distribution", "the expectations could not be evaluated") if thorough else None
    if job.rel in (Rel.IMPLIES, Rel.IFF) and _events_in(job):
        return _implication(job, max(count, job.numeric_points, MIN_LAWS))
    if job.rel in (Rel.IMPLIES, Rel.IFF) or isinstance(job.lhs, sp.MatrixBase) or isinstance(job.rhs, sp.MatrixBase):
        return undecided
    sides = (sp.sympify(job.lhs), sp.sympify(job.rhs))
    rvs = {s for side in sides for s in side.free_symbols if isinstance(s, RandomSymbol)}
    others = [a for side in sides for a in side.atoms(AppliedUndef) if not is_moment(a)]
    if any(v.law and v.law != "event" for v in rvs) or others or any(side.has(sp.Sum, sp.Integral, sp.Derivative) for side in sides):
        return undecided
    free, indep, covers = _structure(rvs)
    doms = {s.name: d for s, d in job.domains}
    pools = {v: _EVENT_POOL if v.law == "event" else _pool(doms.get(v.name, REAL)) for v in rvs}
    constants = sorted({s for side in sides for s in side.free_symbols if not isinstance(s, RandomSymbol)},
                       key=lambda s: s.name)
    rng = random.Random(job.seed)
    rel_tol = 10.0 ** (-(prec * 2 // 3))
    deadline = time.monotonic() + max(job.timeout, 0.5) * (0.8 if thorough else 0.3)
    tried = passed = 0
    consts = points(job, rng, count * 2, symbols=constants) if constants else itertools.repeat({})
    for law, point in zip(_laws(free, indep, pools, rng, count * 2), consts):
        if passed >= count or time.monotonic() > deadline:
            break
        tried += 1
        cache: dict = {}
        try:
            exact = [_at_point(side, law, point, cache) for side in sides]
            vals = [sp.N(x, prec) for x in exact]
            if any(_undefined(v, True, rel_tol) for v in vals):
                continue
            holds = _holds_at(job.rel, vals[0], vals[1], rel_tol, job.tol)
            decided = _exact_holds(job.rel, exact, prec)
            if decided is not None:     # E[X^2] >= E[X]^2 + 10^{-30} fails at a point mass, exactly
                holds = decided
            elif holds is None:         # a tie of a strict inequality: exactly equal?
                holds = None if sp.simplify(exact[0] - exact[1]) != 0 else False
        except (_NoValue, TypeError, ValueError, ZeroDivisionError, AttributeError):
            continue
        if holds is None:
            continue
        if holds:
            passed += 1
            continue
        cex = {s.name: str(point[s]) for s in constants if s in point}
        cex.update(law.text)
        shown = f"sides differ: {_short(vals[0])} vs {_short(vals[1])}"
        if _short(vals[0]) == _short(vals[1]):
            gap = sp.sympify(exact[0] - exact[1])
            shown = f"the two sides are equal ({_short(vals[0])})" if gap == 0 \
                else shown + f" (difference {sp.N(gap, 3)})"
        return Verdict("failed", "distribution", shown, cex)
    if not thorough:
        return None
    if passed < MIN_LAWS:
        return Verdict("unknown", "distribution", f"only {passed} laws gave values to compare")
    if not covers:
        return Verdict("unknown", "distribution", "holds for the laws tried, but they do not cover every "
                       "dependence the declarations allow")
    what = "probability spaces" if all(v.law == "event" for v in rvs) else "laws of the random variables"
    return Verdict("numeric", f"{passed} finite {what}")


def _events_in(job: _Job) -> bool:
    return any(isinstance(s, RandomSymbol) and s.law == "event"
               for side in (job.lhs, job.rhs) if isinstance(side, sp.Basic) for s in side.free_symbols)


_RELATIONAL = {sp.Eq: Rel.EQ, sp.Le: Rel.LE, sp.Lt: Rel.LT, sp.Ge: Rel.GE, sp.Gt: Rel.GT}


def _truth(b: Any, law: _Law, cache: dict) -> bool:
    """A proposition about probabilities of events, decided exactly under ``law``."""
    if b in (sp.true, sp.false):
        return bool(b)
    if isinstance(b, (sp.And, sp.Or)):
        parts = [_truth(a, law, cache) for a in b.args]
        return all(parts) if isinstance(b, sp.And) else any(parts)
    if isinstance(b, sp.Not):
        return not _truth(b.args[0], law, cache)
    rel = next((r for cls, r in _RELATIONAL.items() if isinstance(b, cls)), None)
    if rel is None and isinstance(b, sp.Ne):
        return not _truth(sp.Eq(*b.args, evaluate=False), law, cache)
    if rel is None:
        raise _NoValue
    sides = [_at_point(sp.sympify(x), law, {}, cache) for x in b.args]
    if any(not x.is_number or x.has(sp.zoo, sp.nan, sp.oo, -sp.oo) for x in sides):
        raise _NoValue          # P(A | B) with P(B) = 0: no evidence
    got = _exact_holds(rel, sides, 30)
    if got is None:
        raise _NoValue
    return got


def _implication(job: _Job, count: int) -> Verdict:
    """``A \\subseteq B \\Rightarrow P(A) \\le P(B)``: decided on finite probability spaces where
    the premise holds (the whole verdict here: generic points would be no probability space)."""
    rvs = {s for side in (job.lhs, job.rhs) for s in side.free_symbols if isinstance(s, RandomSymbol)}
    plain = [s for side in (job.lhs, job.rhs) for s in side.free_symbols if not isinstance(s, RandomSymbol)]
    others = [a for side in (job.lhs, job.rhs) for a in side.atoms(AppliedUndef) if not is_moment(a)]
    if plain or others or any(v.law != "event" for v in rvs):
        return Verdict("unknown", "distribution", "an implication about events and other quantities")
    free, indep, covers = _structure(rvs)
    rng = random.Random(job.seed)
    deadline = time.monotonic() + max(job.timeout, 0.5) * 0.8
    passed = 0
    for law in _laws(free, indep, {v: _EVENT_POOL for v in rvs}, rng, count * 8):
        if passed >= count or time.monotonic() > deadline:
            break
        cache: dict = {}
        try:
            p, q = _truth(job.lhs, law, cache), _truth(job.rhs, law, cache)
        except (_NoValue, TypeError, ValueError, ZeroDivisionError, AttributeError):
            continue
        if job.rel is Rel.IMPLIES and not p:
            continue
        if p == q:
            passed += 1
            continue
        why = "the premise holds but the conclusion does not" if job.rel is Rel.IMPLIES or p else \
            "the right side holds but the left side does not"
        return Verdict("failed", "distribution", why, dict(law.text))
    if passed < MIN_LAWS:
        return Verdict("unknown", "distribution", f"only {passed} probability spaces where the premise holds")
    if not covers:
        return Verdict("unknown", "distribution", "holds for the spaces tried, but they do not cover every "
                       "dependence the declarations allow")
    return Verdict("numeric", f"{passed} finite probability spaces where the premise holds")


__all__ = ["is_random_step", "probability_layer", "MIN_LAWS"]
