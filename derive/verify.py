"""The step verifier: numeric filter, symbolic proof, high-precision fallback.

Layer 1 evaluates both sides at a few random points of the declared domains and
can only *reject*.  Layer 2 tries targeted symbolic strategies (expand, together,
power and log rules under the symbols' assumptions, ``doit`` for sums and
integrals, entry-wise matrices, signs of differences for inequalities, solving
for implications).  Layer 3, reached only when layer 2 is undecided or timed
out, evaluates at many points with many digits and yields ``numeric``, which is
reported as probable, never as proved.

Symbolic work runs in a forked worker process so that a runaway simplification
is bounded by a wall-clock limit without SIGALRM (which only works on the main
thread) and can be killed; a timeout falls through to layer 3.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import random
import threading
from dataclasses import dataclass
from multiprocessing.pool import Pool
from typing import Any, Callable, Iterable, Mapping

import sympy as sp
from sympy.core.function import AppliedUndef

from . import notation as nt
from .config import DEFAULT, Config
from .domains import Domain, domain_of
from .errors import CrossCheckError, InvalidStepError
from .step import Derivation, Rel, Step, Verdict, VerifiedDerivation, same_side

#: Bump when verification semantics change, so cached verdicts are not reused.
VERSION = "2"

Domains = Mapping[sp.Symbol, Domain]


# --------------------------------------------------------------------------- #
# Preparation: what the verifier actually compares
# --------------------------------------------------------------------------- #

def _elementary(obj: Any) -> Any:
    """Rewrite notation with a known definition (the sigmoid) into elementary form."""
    if isinstance(obj, sp.MatrixBase):
        return sp.ImmutableMatrix(obj.applyfunc(_elementary))
    if not isinstance(obj, sp.Basic):
        return sp.sympify(obj)
    for cls in nt.DEFINED:
        if obj.has(cls):
            obj = obj.replace(lambda e, c=cls: isinstance(e, c), lambda e: e.rewrite(sp.exp))
    return obj


def prepare(obj: Any, facts: Iterable[tuple[sp.Basic, sp.Basic]] = ()) -> Any:
    """Apply the step's facts, then rewrite notation into elementary functions."""
    if isinstance(obj, sp.MatrixBase):
        obj = sp.ImmutableMatrix(obj)
    else:
        obj = sp.sympify(obj)
    facts = tuple(facts)
    if facts:
        mapping = dict(facts)
        obj = obj.xreplace(mapping)
        if any(k in obj.atoms(type(k)) for k in mapping if isinstance(k, sp.Basic)):
            obj = obj.subs(mapping)
    if isinstance(obj, sp.MatrixExpr) and not isinstance(obj, sp.MatrixBase) and not obj.atoms(sp.MatrixSymbol):
        # ``W a + b`` with explicit matrices (after facts): compare it entry by entry.
        obj = sp.ImmutableMatrix(obj.doit())
    # Defined notation (sigmoid, Gaussian density) stays folded here: algebra on
    # the folded form is much cheaper; the strategies unfold it when needed.
    return obj


def _free_symbols(*objs: Any) -> set[sp.Symbol]:
    out: set[sp.Symbol] = set()
    for o in objs:
        if isinstance(o, sp.Basic):
            out |= {s for s in o.free_symbols if isinstance(s, sp.Symbol)}
    return out


# --------------------------------------------------------------------------- #
# Numeric evaluation (layers 1 and 3)
# --------------------------------------------------------------------------- #

def _is_opaque(e: sp.Basic) -> bool:
    return isinstance(e, (AppliedUndef, nt._Opaque, sp.Indexed))


def _numeric(expr: Any, point: Mapping[sp.Symbol, sp.Expr], atoms: dict, rng: random.Random,
             prec: int) -> Any:
    """Evaluate at ``point``; opaque atoms get random values shared by both sides."""
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(lambda e: _numeric(e, point, atoms, rng, prec))
    e = _elementary(expr)
    if e.has(sp.Integral):
        e = _integrals_at(e, point, prec)
    e = e.xreplace(dict(point))
    if e.has(sp.Sum, sp.Product):
        e = e.replace(lambda x: isinstance(x, (sp.Sum, sp.Product)), lambda x: x.doit())
    if e.has(sp.Limit, sp.Derivative):
        e = e.doit()

    def value(atom: sp.Basic) -> sp.Expr:
        key = sp.srepr(atom)
        if key not in atoms:
            x = sp.Rational(rng.randint(200, 3000), 1000)
            nonneg = getattr(atom, "is_nonnegative", None)
            atoms[key] = x if nonneg else x * rng.choice((-1, 1))
        return atoms[key]

    opaque = [a for a in sp.preorder_traversal(e) if _is_opaque(a)]
    if opaque:
        e = e.xreplace({a: value(a) for a in opaque})
    # Remaining free symbols were not declared (e.g. a variable of integration is
    # bound and does not count); give them values too.
    loose = [s for s in e.free_symbols if isinstance(s, sp.Symbol)]
    if loose:
        e = e.xreplace({s: value(s) for s in loose})
    if e.has(sp.Integral):
        # after the atoms got values: an opaque atom in an integrand cannot be compiled
        e = e.replace(lambda x: isinstance(x, sp.Integral), lambda x: _quadrature(x, prec))
    if isinstance(e, sp.logic.boolalg.BooleanAtom):
        return e
    if isinstance(e, sp.core.relational.Relational):
        return e.func(e.lhs.evalf(prec), e.rhs.evalf(prec), evaluate=False)
    if isinstance(e, (sp.And, sp.Or)):
        return e.func(*[_numeric(a, {}, atoms, rng, prec) for a in e.args], evaluate=False)
    return e.evalf(prec)


_LAMBDIFIED: dict[sp.Basic, Any] = {}


def _integrals_at(e: sp.Basic, point: Mapping[sp.Symbol, sp.Expr], prec: int) -> sp.Basic:
    """Evaluate one-variable integrals at ``point`` by quadrature.

    The integrand is compiled once per integral (with the parameters as extra
    arguments) and reused for every sample point: compiling dominates otherwise.
    """
    import mpmath

    def quad(integral: sp.Integral) -> sp.Basic:
        limits = integral.limits
        if len(limits) != 1 or len(limits[0]) != 3:
            return integral
        var, lo, hi = limits[0]
        body = integral.function
        params = sorted(body.free_symbols - {var}, key=lambda s: s.name)
        if body.has(sp.Integral, sp.Sum, sp.Product) or any(q not in point for q in params) \
                or any(_is_opaque(a) for a in sp.preorder_traversal(body)):
            return integral
        f = _LAMBDIFIED.get(integral)
        if f is None:
            f = _LAMBDIFIED[integral] = sp.lambdify((var, *params), body, modules="mpmath")
        with mpmath.workdps(prec):
            vals = [mpmath.mpf(sp.N(point[q], prec)) for q in params]
            ends = []
            for end, inf in ((lo, -mpmath.inf), (hi, mpmath.inf)):
                end = sp.sympify(end).xreplace(dict(point))
                ends.append(inf if end.is_infinite else mpmath.mpf(sp.N(end, prec)))
            value = mpmath.quad(lambda t: f(t, *vals), ends)
        return sp.Float(value, prec)

    return e.replace(lambda x: isinstance(x, sp.Integral), quad)


def _quadrature(integral: sp.Integral, prec: int) -> sp.Expr:
    """Numerically integrate a one-variable definite integral with mpmath.

    ``evalf`` on an infinite-range integral can take seconds; a lambdified
    integrand with tanh-sinh quadrature takes milliseconds.
    """
    if len(integral.limits) != 1 or len(integral.limits[0]) != 3:
        return integral
    var, lo, hi = integral.limits[0]
    body = integral.function
    if body.free_symbols - {var}:
        return integral
    import mpmath

    f = sp.lambdify(var, body, modules="mpmath")
    with mpmath.workdps(prec):
        value = mpmath.quad(f, [mpmath.mpf(sp.N(lo, prec)) if lo.is_finite else -mpmath.inf,
                                mpmath.mpf(sp.N(hi, prec)) if hi.is_finite else mpmath.inf])
    return sp.Float(value, prec)


def _finite(x: Any) -> bool:
    if isinstance(x, sp.MatrixBase):
        return all(_finite(v) for v in x)
    return bool(x.is_number) and x.is_finite is not False and not x.has(sp.nan, sp.zoo, sp.oo, -sp.oo)


def _close(a: sp.Expr, b: sp.Expr, rel_tol: float) -> bool:
    scale = max(1.0, float(abs(a)), float(abs(b)))
    return float(abs(a - b)) <= rel_tol * scale


def _holds_at(rel: Rel, l: Any, r: Any, rel_tol: float, approx_tol: float | None) -> bool:
    if isinstance(l, sp.MatrixBase) or isinstance(r, sp.MatrixBase):
        if not (isinstance(l, sp.MatrixBase) and isinstance(r, sp.MatrixBase)) or l.shape != r.shape:
            return False
        return all(_holds_at(rel, a, b, rel_tol, approx_tol) for a, b in zip(l, r))
    if rel is Rel.APPROX:
        tol = approx_tol if approx_tol is not None else rel_tol
        return float(abs(l - r)) <= tol + rel_tol
    if abs(sp.im(l)) > rel_tol or abs(sp.im(r)) > rel_tol:
        return rel is Rel.EQ and _close(l, r, rel_tol)
    if rel is Rel.EQ:
        return _close(l, r, rel_tol)
    slack = rel_tol * max(1.0, float(abs(l)), float(abs(r)))
    if rel in (Rel.LE, Rel.LT):
        return float(l) <= float(r) + slack
    if rel in (Rel.GE, Rel.GT):
        return float(l) + slack >= float(r)
    raise ValueError(rel)


def _relational_holds(relation: sp.Basic, rel_tol: float) -> bool | None:
    """Truth of an evaluated relational (for implications)."""
    if relation in (sp.true, sp.false):
        return bool(relation)
    if isinstance(relation, sp.Eq):
        return _close(relation.lhs, relation.rhs, rel_tol)
    if isinstance(relation, (sp.And, sp.Or)):
        parts = [_relational_holds(a, rel_tol) for a in relation.args]
        if None in parts:
            return None
        return all(parts) if isinstance(relation, sp.And) else any(parts)
    if isinstance(relation, sp.core.relational.Relational):
        return bool(relation.lhs - relation.rhs <= 0) if isinstance(relation, (sp.Le, sp.Lt)) \
            else bool(relation.lhs - relation.rhs >= 0)
    return None


@dataclass(frozen=True)
class _Job:
    lhs: Any
    rel: Rel
    rhs: Any
    domains: tuple[tuple[sp.Symbol, Domain], ...]
    tol: float | None
    seed: int
    filter_points: int
    numeric_points: int
    precision: int


def _sample(job: _Job, rng: random.Random) -> dict[sp.Symbol, sp.Expr]:
    declared = dict(job.domains)
    # The label of an IndexedBase names an array, not a value: substituting a
    # number for it would strip the entries' assumptions (yhat[i, c] > 0).
    labels = {b.label for o in (job.lhs, job.rhs) if isinstance(o, sp.Basic) for b in o.atoms(sp.IndexedBase)}
    # Defined notation unfolds first: a density's display name (p in p(x)) is no value.
    syms = sorted(_free_symbols(_elementary(job.lhs), _elementary(job.rhs)) - labels, key=lambda s: s.name)
    return {s: domain_of(s, declared).sample(rng) for s in syms}


def _counterexample(point: Mapping[sp.Symbol, sp.Expr]) -> dict[str, str]:
    return {s.name: str(v) for s, v in point.items()}


def _numeric_layer(job: _Job, points: int, prec: int) -> Verdict | None:
    """Return a failing verdict with a counterexample, or None if all points pass.

    For implications, only points where the premise holds are informative.
    """
    rng = random.Random(job.seed)
    rel_tol = 10.0 ** (-(prec * 2 // 3))
    tested = 0
    for _ in range(points * 3):
        if tested >= points:
            break
        point = _sample(job, rng)
        atoms: dict = {}
        try:
            if job.rel in (Rel.IMPLIES, Rel.IFF):
                l = _numeric(job.lhs, point, atoms, rng, prec)
                r = _numeric(job.rhs, point, atoms, rng, prec)
                lt, rt = _relational_holds(l, rel_tol), _relational_holds(r, rel_tol)
                if lt is None or rt is None:
                    continue
                tested += 1
                if (lt and not rt) or (job.rel is Rel.IFF and rt and not lt):
                    return Verdict("failed", "numeric", "the premise holds but the conclusion does not",
                                   _counterexample(point))
                continue
            l = _numeric(job.lhs, point, atoms, rng, prec)
            r = _numeric(job.rhs, point, atoms, rng, prec)
        except (ZeroDivisionError, ValueError, TypeError, OverflowError, AttributeError):
            continue
        if not (_finite(l) and _finite(r)):
            continue
        try:
            holds = _holds_at(job.rel, l, r, rel_tol, job.tol)
        except (TypeError, ValueError):      # something stayed symbolic: no evidence
            continue
        tested += 1
        if not holds:
            return Verdict("failed", "numeric", f"sides differ: {_short(l)} vs {_short(r)}",
                           _counterexample(point))
    if tested == 0 and job.rel not in (Rel.IMPLIES, Rel.IFF):
        return Verdict("unknown", "numeric", "no sample point gave finite values")
    return None


def _short(x: Any) -> str:
    if isinstance(x, sp.MatrixBase):
        return str(x.evalf(6).tolist())
    return str(sp.N(x, 8))


# --------------------------------------------------------------------------- #
# Symbolic layer (layer 2)
# --------------------------------------------------------------------------- #

def _interval(dom: Domain) -> sp.Set:
    if dom.integer:
        lo = sp.Integer(int(dom.lo)) if dom.lo is not None else sp.S.NegativeInfinity
        return sp.Range(lo, sp.oo) if dom.lo is not None else sp.S.Integers
    lo = sp.nsimplify(dom.lo) if dom.lo is not None else sp.S.NegativeInfinity
    hi = sp.nsimplify(dom.hi) if dom.hi is not None else sp.S.Infinity
    return sp.Interval(lo, hi, left_open=not dom.closed_lo, right_open=True)


def _decide(cond: sp.Basic, declared: Mapping[sp.Symbol, Domain]) -> sp.Basic:
    """Decide a Piecewise condition under the declared domains where possible."""
    if cond in (sp.true, sp.false):
        return cond
    syms = list(cond.free_symbols)
    if len(syms) != 1:
        return cond
    s = syms[0]
    try:
        dom = _interval(domain_of(s, declared))
        truth = cond.as_set().intersect(dom)
    except (NotImplementedError, TypeError, ValueError, AttributeError):
        return cond
    if truth is sp.S.EmptySet:
        return sp.false
    if truth == dom:
        return sp.true
    return cond


def _resolve_piecewise(e: sp.Basic, declared: Mapping[sp.Symbol, Domain]) -> sp.Basic:
    if not e.has(sp.Piecewise):
        return e

    def fold(*pairs: Any) -> sp.Basic:
        kept = []
        for expr, cond in pairs:
            c = _decide(cond, declared)
            if c == sp.true:
                kept.append((expr, sp.true))
                break
            if c != sp.false:
                kept.append((expr, c))
        return sp.Piecewise(*kept) if kept else sp.nan

    return e.replace(sp.Piecewise, fold)


def _linear_parts(e: sp.Basic) -> sp.Basic:
    """Distribute sums and integrals over addition and pull out constant factors.

    Both sides of a "linearity" step land in the same canonical form, so their
    difference cancels without evaluating anything.
    """
    def split(obj: sp.Basic) -> sp.Basic:
        body, limits = obj.function, obj.limits
        bound = {lim[0] for lim in limits}
        out = sp.S.Zero
        for term in sp.Add.make_args(sp.expand(body)):
            const, rest = term.as_independent(*bound, as_Add=False)
            out += const * obj.func(rest, *limits)
        return out

    return e.replace(lambda x: isinstance(x, (sp.Integral, sp.Sum)), split)


_INDEX = sp.Dummy("k", integer=True)


def _peel_sums(e: sp.Basic) -> sp.Basic:
    """Align sums that differ only in their bounds by splitting off boundary terms.

    ``Sum(f, (i, 1, t))`` and ``Sum(f, (i, 1, t - 1))`` become the same sum plus
    ``f(t)``: the step "split off the last term" then cancels algebraically.
    """
    sums = [s for s in e.atoms(sp.Sum) if len(s.limits) == 1 and len(s.limits[0]) == 3]
    groups: dict[tuple, list[sp.Sum]] = {}
    for s in sums:
        var, lo, hi = s.limits[0]
        body = s.function.xreplace({var: _INDEX})
        groups.setdefault((body,), []).append(s)
    mapping = {}
    for (body,), members in groups.items():
        if len(members) < 2:
            continue
        # Only bounds that differ by integer constants can be aligned.
        lo0, hi0 = members[0].limits[0][1], members[0].limits[0][2]
        members = [m for m in members
                   if (m.limits[0][1] - lo0).is_Integer and (m.limits[0][2] - hi0).is_Integer]
        lo_base = max((m.limits[0][1] for m in members), key=lambda v: int(v - lo0))
        hi_base = min((m.limits[0][2] for m in members), key=lambda v: int(v - hi0))
        for m in members:
            lo, hi = m.limits[0][1], m.limits[0][2]
            dlo, dhi = int(lo_base - lo), int(hi - hi_base)
            if dlo + dhi > 50:
                continue
            extra = sum((body.xreplace({_INDEX: lo + j}) for j in range(dlo)), sp.S.Zero)
            extra += sum((body.xreplace({_INDEX: hi - j}) for j in range(dhi)), sp.S.Zero)
            mapping[m] = sp.Sum(body, (_INDEX, lo_base, hi_base)) + extra
    return e.xreplace(mapping) if mapping else e


_DEPTH_INDEX = [sp.Dummy(f"k{d}", integer=True) for d in range(8)]


def _shift_sums(e: sp.Basic, depth: int = 0) -> sp.Basic:
    """Every one-index sum rewritten to start at 0 with a canonical index, so a
    re-indexed sum (k -> k + N) is structurally the sum it came from.

    Nested sums get a different index per depth, so an inner index can never
    capture an outer one.
    """
    if isinstance(e, sp.Sum) and all(len(lim) == 3 for lim in e.limits) \
            and depth + len(e.limits) <= len(_DEPTH_INDEX):
        # SymPy flattens nested sums into one Sum whose limits run inner to
        # outer; an inner limit may depend on an outer index.
        f, limits, shifted = e.function, [tuple(lim) for lim in e.limits], []
        for offset, idx in enumerate(reversed(range(len(limits)))):
            var, lo, hi = limits[idx]
            sub = {var: _DEPTH_INDEX[depth + offset] + lo}
            f = f.xreplace(sub)
            for m in range(idx):
                v2, lo2, hi2 = limits[m]
                limits[m] = (v2, sp.sympify(lo2).xreplace(sub), sp.sympify(hi2).xreplace(sub))
            shifted.append((_DEPTH_INDEX[depth + offset], 0, hi - lo))
        return sp.Sum(_shift_sums(f, depth + len(limits)), *reversed(shifted))
    if not e.args or isinstance(e, (sp.Sum, sp.Integral, sp.Product)):
        return e
    return e.func(*[_shift_sums(a, depth) for a in e.args])


def _zero_strategies(declared: Mapping[sp.Symbol, Domain]) -> list[tuple[str, Callable[[Any], Any]]]:
    doit = lambda e: _resolve_piecewise(e.doit(), declared)  # noqa: E731
    return [
        ("identical", lambda e: e),
        ("expand", sp.expand),
        ("rational simplification", lambda e: sp.cancel(sp.together(e))),
        ("power rules", lambda e: sp.expand(sp.powsimp(sp.powdenest(sp.expand_power_base(e))))),
        ("log rules", lambda e: sp.expand(sp.expand_log(e))),
        ("log combination", lambda e: sp.expand(sp.logcombine(e))),
        ("linearity", lambda e: sp.expand(_linear_parts(e))),
        ("split off boundary terms", lambda e: sp.expand(_linear_parts(_peel_sums(_linear_parts(e))))),
        ("shift the summation index", lambda e: sp.expand(_linear_parts(_shift_sums(e)))),
        ("evaluate sums and integrals", lambda e: sp.cancel(sp.together(sp.expand(doit(e))))),
        ("exponential form", lambda e: sp.cancel(sp.together(sp.expand(e.rewrite(sp.exp))))),
        ("simplify", lambda e: sp.simplify(doit(e))),
    ]


def _is_zero(e: Any) -> bool:
    return e == 0 or getattr(e, "is_zero", None) is True


#: Strategies worth trying before defined notation is unfolded (cheap ones).
_FOLDED = ("identical", "expand", "rational simplification", "linearity", "split off boundary terms",
           "shift the summation index")


def _prove_zero(d: sp.Expr, declared: Mapping[sp.Symbol, Domain]) -> str | None:
    unfolded = _elementary(d)
    if unfolded != d:
        for name, strategy in _zero_strategies(declared):
            if name not in _FOLDED:
                continue
            try:
                if _is_zero(strategy(d)):
                    return name
            except (NotImplementedError, TypeError, ValueError, AttributeError, RecursionError):
                continue
        d = unfolded
    for name, strategy in _zero_strategies(declared):
        try:
            if _is_zero(strategy(d)):
                return name
        except (NotImplementedError, TypeError, ValueError, AttributeError, RecursionError):
            continue
    return None


def _reparametrised(e: sp.Basic, declared: Mapping[sp.Symbol, Domain]) -> sp.Basic:
    mapping = {}
    for s in e.free_symbols:
        if not isinstance(s, sp.Symbol):
            continue
        dom = domain_of(s, declared)
        if dom.integer and dom.lo is not None and dom.lo >= 1:
            start = int(dom.lo) if dom.closed_lo else int(dom.lo) + 1
            mapping[s] = start + sp.Dummy(f"{s.name}_m", integer=True, nonnegative=True)
            continue
        sub = dom.reparametrise(s, sp.Dummy(f"{s.name}_u", positive=True))
        if sub is not None:
            mapping[s] = sub
    return e.xreplace(mapping) if mapping else e


def _prove_sign(d: sp.Expr, strict: bool, declared: Mapping[sp.Symbol, Domain]) -> str | None:
    """Prove ``d >= 0`` (or ``> 0``) under the domains."""
    want = "is_positive" if strict else "is_nonnegative"
    candidates: list[tuple[str, Callable[[Any], Any]]] = [
        ("sign under assumptions", lambda e: e),
        ("factorised sign", sp.factor),
        ("rational form sign", lambda e: sp.factor(sp.cancel(sp.together(e)))),
        ("simplified sign", sp.simplify),
    ]
    for base_name, base in (("", d), ("reparametrised ", _reparametrised(d, declared))):
        for name, f in candidates:
            try:
                r = f(_resolve_piecewise(base.doit(), declared))
            except (NotImplementedError, TypeError, ValueError, AttributeError, RecursionError):
                continue
            if getattr(r, want) is True or (not strict and _is_zero(r)):
                return base_name + name
    return None


def _prove_relation(rel: sp.Basic, declared: Mapping[sp.Symbol, Domain]) -> str | None:
    """Prove a relational (the conclusion of an implication)."""
    if rel == sp.true:
        return "evaluates to true"
    if isinstance(rel, sp.Eq):
        return _prove_zero(rel.lhs - rel.rhs, declared)
    if isinstance(rel, (sp.Le, sp.Lt)):
        return _prove_sign(rel.rhs - rel.lhs, isinstance(rel, sp.Lt), declared)
    if isinstance(rel, (sp.Ge, sp.Gt)):
        return _prove_sign(rel.lhs - rel.rhs, isinstance(rel, sp.Gt), declared)
    if isinstance(rel, sp.And):
        methods = [_prove_relation(a, declared) for a in rel.args]
        return None if None in methods else "each conjunct"
    return None


def _as_nonnegative(rel: sp.Basic) -> tuple[sp.Expr, bool] | None:
    """``a >= b`` as ``(a - b, strict)``: the quantity the relation says is >= 0."""
    if isinstance(rel, (sp.Ge, sp.Gt)):
        return rel.lhs - rel.rhs, isinstance(rel, sp.Gt)
    if isinstance(rel, (sp.Le, sp.Lt)):
        return rel.rhs - rel.lhs, isinstance(rel, sp.Lt)
    return None


def _same_inequality(a: sp.Basic, b: sp.Basic, declared: Mapping[sp.Symbol, Domain]) -> bool:
    """Two inequalities that are one rearranged into the other (terms moved across,
    or both sides scaled by a positive constant)."""
    fa, fb = _as_nonnegative(a), _as_nonnegative(b)
    if fa is None or fb is None or fa[1] != fb[1]:
        return False
    if _prove_zero(fa[0] - fb[0], declared):
        return True
    try:
        ratio = sp.cancel(sp.together(fa[0] / fb[0]))
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    return bool(ratio.is_number and ratio.is_positive)


def _point_in(region: sp.Set) -> sp.Expr | None:
    """Some element of a (one-dimensional) set, or None if none is easy to name."""
    if isinstance(region, sp.Union):
        region = region.args[0]
    if isinstance(region, sp.FiniteSet):
        return next(iter(region), None)
    if isinstance(region, sp.Interval):
        lo, hi = region.start, region.end
        if lo.is_finite and hi.is_finite:
            return (lo + hi) / 2
        if lo.is_finite:
            return lo + 1
        if hi.is_finite:
            return hi - 1
        return sp.S.Zero
    return None


def _refute_implication(premise: sp.Basic, conclusion: sp.Basic,
                        declared: Mapping[sp.Symbol, Domain]) -> dict[str, str] | None:
    """A value of the one variable that satisfies ``premise`` but not ``conclusion``.

    Random sampling rarely lands in a premise's solution set, so a false
    implication between one-variable relations is refuted from the sets.
    """
    syms = premise.free_symbols | conclusion.free_symbols
    if len(syms) != 1:
        return None
    s = next(iter(syms))
    try:
        dom = _interval(domain_of(s, declared))
        outside = premise.as_set().intersect(dom) - conclusion.as_set()
        if outside is sp.S.EmptySet:
            return None
        point = _point_in(outside)
    except (NotImplementedError, TypeError, ValueError, AttributeError):
        return None
    return None if point is None else {s.name: str(point)}


def _prove_implication(premise: sp.Basic, conclusion: sp.Basic,
                       declared: Mapping[sp.Symbol, Domain]) -> str | None:
    """Every solution of ``premise`` (in the domains) satisfies ``conclusion``."""
    if premise == sp.false:
        return "premise is false"
    if _same_inequality(premise, conclusion, declared):
        return "rearrangement"
    if isinstance(premise, sp.Eq):
        for s in sorted(premise.free_symbols, key=lambda x: x.name):
            try:
                sols = sp.solve(premise, s, dict=False)
            except (NotImplementedError, TypeError, ValueError):
                continue
            if not sols:
                continue
            dom = domain_of(s, declared)
            sols = [v for v in sols if dom.contains(v) is not False]
            if all(_prove_relation(conclusion.subs(s, v), declared) for v in sols):
                return f"solve for {s}"
        return None
    syms = premise.free_symbols | conclusion.free_symbols
    if len(syms) == 1:
        s = next(iter(syms))
        dom = _interval(domain_of(s, declared))
        try:
            if premise.as_set().intersect(dom).is_subset(conclusion.as_set()):
                return "solution sets"
        except (NotImplementedError, TypeError, ValueError, AttributeError):
            return None
    return None


def _approx_exact(l: sp.Expr, r: sp.Expr, tol: float | None) -> str | None:
    if (isinstance(l, sp.Basic) and l.free_symbols) or (isinstance(r, sp.Basic) and r.free_symbols):
        return None
    t = sp.nsimplify(tol) if tol is not None else sp.Rational(1, 10**12)
    ok = sp.Abs(l - r) <= t
    return "exact bound on the rounding error" if ok == sp.true else None


def _symbolic_layer(job: _Job) -> Verdict | None:
    declared = dict(job.domains)
    l, r, rel = job.lhs, job.rhs, job.rel
    if rel is not Rel.EQ:
        l, r = _elementary(l), _elementary(r)
    method: str | None = None
    if rel is Rel.APPROX:
        if isinstance(l, sp.MatrixBase):
            ok = l.shape == r.shape and all(_approx_exact(a, b, job.tol) for a, b in zip(l, r))
            method = "exact bound on the rounding error, entry by entry" if ok else None
        else:
            method = _approx_exact(l, r, job.tol)
    elif isinstance(l, sp.MatrixBase) or isinstance(r, sp.MatrixBase):
        if not (isinstance(l, sp.MatrixBase) and isinstance(r, sp.MatrixBase)) or l.shape != r.shape:
            return Verdict("failed", "shape", "the two sides have different shapes")
        if rel is not Rel.EQ:
            return None
        methods = [_prove_zero(a - b, declared) for a, b in zip(l, r)]
        method = None if None in methods else "entry by entry"
    elif rel is Rel.EQ:
        method = _prove_zero(l - r, declared)
    elif rel in (Rel.LE, Rel.LT):
        method = _prove_sign(r - l, rel is Rel.LT, declared)
    elif rel in (Rel.GE, Rel.GT):
        method = _prove_sign(l - r, rel is Rel.GT, declared)
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
    return Verdict("proved", method) if method else None


def _shape_mismatch(a: Any, b: Any) -> bool:
    am, bm = isinstance(a, sp.MatrixBase), isinstance(b, sp.MatrixBase)
    return (am or bm) and not (am and bm and a.shape == b.shape)


def _run_filter_and_proof(job: _Job) -> Verdict | None:
    if job.rel not in (Rel.IMPLIES, Rel.IFF) and _shape_mismatch(job.lhs, job.rhs):
        return Verdict("failed", "shape", "the two sides have different shapes")
    if job.rel in (Rel.EQ, Rel.LE, Rel.GE, Rel.IFF, Rel.IMPLIES, Rel.APPROX) and same_side(job.lhs, job.rhs):
        return Verdict("proved", "identical")
    # Quadrature is too slow for a *fast* filter; integral steps go straight to
    # the symbolic layer (the filter may only reject, so skipping it is sound).
    if not _has(job, sp.Integral):
        rejected = _numeric_layer(job, job.filter_points, 15)
        if rejected is not None and rejected.status == "failed":
            return rejected
    return _symbolic_layer(job)


def _has(job: _Job, cls: type) -> bool:
    return any(isinstance(side, sp.Basic) and side.has(cls) for side in (job.lhs, job.rhs))


def _guarded(fn: Callable[[_Job], Any], job: _Job) -> Any:
    """Run a layer; an exception inside SymPy means "undecided", not a crash."""
    try:
        return fn(job)
    except Exception:  # noqa: BLE001 - SymPy raises many kinds
        return None


def _run_numeric(job: _Job) -> Verdict:
    rejected = _numeric_layer(job, job.numeric_points, job.precision)
    if rejected is not None:
        return rejected
    return Verdict("numeric", f"{job.numeric_points} random points at {job.precision} digits")


# --------------------------------------------------------------------------- #
# Cache
# --------------------------------------------------------------------------- #

class VerdictCache:
    """In-memory verdict cache; subclasses persist it (see ``cache``)."""

    def __init__(self) -> None:
        self._data: dict[str, Verdict] = {}

    def get(self, key: str) -> Verdict | None:
        return self._data.get(key)

    def put(self, key: str, verdict: Verdict) -> None:
        self._data[key] = verdict


def step_key(job: _Job) -> str:
    """Hash of what is verified: both sides, relation, tolerance and domains."""
    def rep(o: Any) -> str:
        return sp.srepr(o) if isinstance(o, sp.Basic) else repr(o)

    used = _free_symbols(job.lhs, job.rhs)
    doms = sorted((sp.srepr(s), repr(d)) for s, d in job.domains if s in used)
    payload = "\x1f".join([VERSION, rep(job.lhs), job.rel.value, rep(job.rhs), repr(job.tol), repr(doms)])
    return hashlib.sha256(payload.encode()).hexdigest()


# --------------------------------------------------------------------------- #
# The verifier
# --------------------------------------------------------------------------- #

def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class Verifier:
    """Checks steps; reuse one instance for a whole build (it keeps a worker)."""

    def __init__(self, config: Config = DEFAULT, cache: VerdictCache | None = None) -> None:
        self.config = config
        self.cache = cache if cache is not None else VerdictCache()
        self._pool: Pool | None = None
        self._batch_pool: Pool | None = None
        self._fresh: dict[str, Verdict] = {}
        self._lock = threading.Lock()
        self.stats = {"cached": 0, "verified": 0}

    # -- worker management ------------------------------------------------- #
    def _call(self, fn: Callable[[_Job], Any], job: _Job, timeout: float) -> tuple[bool, Any]:
        """Run ``fn(job)`` in the worker; ``(False, None)`` on timeout."""
        if timeout <= 0:
            return True, fn(job)
        if self._pool is None:
            self._pool = _context().Pool(1)
        pending = self._pool.apply_async(fn, (job,))
        try:
            return True, pending.get(timeout)
        except multiprocessing.TimeoutError:
            # The worker may be deep inside SymPy; killing it is the only bound.
            self._pool.terminate()
            self._pool = None
            return False, None

    def _run_batch(self, fn: Callable[[_Job], Any], jobs: list[_Job], timeout: float) -> list[tuple[bool, Any]]:
        """Run ``fn`` on every job across ``config.workers`` processes.

        Results are collected in order, each waited for at most ``timeout``
        seconds; on a timeout the pool is killed and the rest resubmitted, so a
        runaway job is bounded without SIGALRM.
        """
        if not jobs:
            return []
        if timeout <= 0:
            return [(True, _guarded(fn, job)) for job in jobs]
        if self._batch_pool is None:
            self._batch_pool = _context().Pool(self.config.worker_count())
        pending = [self._batch_pool.apply_async(_guarded, (fn, job)) for job in jobs]
        out: list[tuple[bool, Any]] = []
        for i, result in enumerate(pending):
            try:
                out.append((True, result.get(timeout)))
            except multiprocessing.TimeoutError:
                self._batch_pool.terminate()
                self._batch_pool = None
                out.append((False, None))
                return out + self._run_batch(fn, jobs[i + 1:], timeout)
        return out

    def prefetch(self, items: Iterable[tuple[Step, Domains]]) -> None:
        """Verify many steps in parallel ahead of ``verify_step`` calls.

        Verdicts land in the cache (and, for undecided ones, in this run's
        memory), so the ordered pass that reports the first failure is cheap.
        """
        with self._lock:
            todo: dict[str, _Job] = {}
            for step, domains in items:
                job = self.job(step, domains)
                key = step_key(job)
                if key not in todo and key not in self._fresh and self.cache.get(key) is None:
                    todo[key] = job
            keys, jobs = list(todo), list(todo.values())
            first = self._run_batch(_run_filter_and_proof, jobs, self.config.timeout)
            verdicts: dict[str, Verdict | None] = {k: r for k, (_, r) in zip(keys, first)}
            rest = [k for k in keys if verdicts[k] is None]
            second = self._run_batch(_run_numeric, [todo[k] for k in rest], max(2 * self.config.timeout, 0))
            for k, (finished, r) in zip(rest, second):
                verdicts[k] = r if finished and r is not None else Verdict(
                    "unknown", "timeout", f"not decided within {self.config.timeout:g} s")
            for k, v in verdicts.items():
                self._fresh[k] = v
                if v.status != "unknown":
                    self.cache.put(k, v)

    def close(self) -> None:
        for pool in (self._pool, self._batch_pool):
            if pool is not None:
                pool.terminate()
        self._pool = self._batch_pool = None

    def __enter__(self) -> "Verifier":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public API -------------------------------------------------------- #
    def job(self, step: Step, domains: Domains) -> _Job:
        lhs, rhs = prepare(step.lhs, step.facts), prepare(step.rhs, step.facts)
        tol = None if step.tol is None else float(step.tol)
        doms = tuple(sorted(domains.items(), key=lambda kv: kv[0].name))
        key_seed = int(hashlib.sha256((sp.srepr(lhs) + sp.srepr(rhs)).encode()).hexdigest()[:8], 16)
        return _Job(lhs, step.rel, rhs, doms, tol, self.config.seed ^ key_seed,
                    self.config.filter_points, self.config.numeric_points, self.config.precision)

    def verify_step(self, step: Step, domains: Domains) -> Verdict:
        with self._lock:
            job = self.job(step, domains)
            key = step_key(job)
            if key in self._fresh:
                self.stats["verified"] += 1
                return self._fresh.pop(key)
            cached = self.cache.get(key)
            if cached is not None:
                self.stats["cached"] += 1
                return cached
            verdict = self._verify_job(job)
            self.stats["verified"] += 1
            if verdict.status != "unknown":
                self.cache.put(key, verdict)
            return verdict

    def _verify_job(self, job: _Job) -> Verdict:
        try:
            finished, verdict = self._call(_run_filter_and_proof, job, self.config.timeout)
        except Exception as exc:  # noqa: BLE001 - SymPy raises many kinds; fall through
            finished, verdict = True, None
            _ = exc
        if verdict is not None:
            return verdict
        try:
            finished, verdict = self._call(_run_numeric, job, max(2 * self.config.timeout, 0))
        except Exception:  # noqa: BLE001 - an undecidable evaluation is "unknown", not a crash
            return Verdict("unknown", "numeric", "could not evaluate the sides")
        if not finished:
            return Verdict("unknown", "timeout", f"not decided within {self.config.timeout:g} s")
        return verdict

    def verify(self, derivation: Derivation) -> VerifiedDerivation:
        """Verify every step; raise ``InvalidStepError`` on the first failure.

        A step's facts must be premises (rules in ``PREMISE_RULES``) or instances
        of equations established by earlier steps, so facts cannot smuggle in an
        unverified claim.  Failed cross-checks raise ``CrossCheckError``.
        """
        from .printer import tex

        self.prefetch((s, derivation.domains) for s in derivation.steps())
        all_verdicts = []
        established: list[tuple[Any, Any]] = []
        prev: Step | None = None
        chain_start: Any = None
        number = 0
        for part in derivation.parts:
            verdicts = []
            for step in part.steps:
                number += 1
                where = f"part ({part.label})" if part.label else "derivation"
                if step.why.rule not in PREMISE_RULES:
                    for k, val in step.facts:
                        if not any(_instance_of(k, val, L, R) for L, R in established):
                            raise InvalidStepError(
                                f"pipeline {derivation.pipeline}: step {number} in {where} "
                                f"[{step.why.rule}] uses the fact {tex(k)} = {tex(val)}, "
                                "which no earlier step establishes")
                v = self.verify_step(step, derivation.domains)
                if not v.ok:
                    cex = ""
                    if v.counterexample:
                        cex = "; counterexample " + ", ".join(f"{k}={x}" for k, x in v.counterexample.items())
                    raise InvalidStepError(
                        f"pipeline {derivation.pipeline}: step {number} in {where} "
                        f"[{step.why.rule}] is {v.status}: {tex(step.lhs)} {step.rel.latex} {tex(step.rhs)}"
                        f" ({v.message}{cex})"
                    )
                verdicts.append(v)
                if step.rel is Rel.EQ:
                    established.append((step.lhs, step.rhs))
                    # A chain a = b = c also establishes a = c.
                    if prev is not None and prev.rel is Rel.EQ and same_side(step.lhs, prev.rhs):
                        chain_start = chain_start if chain_start is not None else prev.lhs
                        established.append((chain_start, step.rhs))
                    else:
                        chain_start = None
                prev = step
            for row in part.checks:
                if not row.ok:
                    raise CrossCheckError(
                        f"pipeline {derivation.pipeline}: cross-check of {tex(row.quantity)} failed: "
                        f"closed form {row.exact:.10g}, {row.method} gives {row.estimate:.10g} "
                        f"(tolerance {row.tolerance:.3g})")
            all_verdicts.append(tuple(verdicts))
        return VerifiedDerivation(derivation, tuple(all_verdicts))


#: Rules whose facts are premises of the problem rather than earlier results.
PREMISE_RULES = frozenset({"definition", "given", "substitute", "premise"})


def _unify(pattern: sp.Basic, target: sp.Basic, syms: set[sp.Symbol], binding: dict) -> bool:
    """Bind ``syms`` so that ``pattern`` becomes ``target`` (structural, with solving)."""
    if pattern in syms:
        if pattern in binding:
            return binding[pattern] == target
        binding[pattern] = target
        return True
    free = pattern.free_symbols & syms
    if not free:
        return pattern == target
    if pattern.func == target.func and len(pattern.args) == len(target.args) and not pattern.is_Atom:
        trial = dict(binding)
        if all(_unify(p, t, syms, trial) for p, t in zip(pattern.args, target.args)):
            binding.update(trial)
            return True
    unbound = [x for x in free if x not in binding]
    if len(unbound) == 1 and isinstance(target, sp.Expr):
        x = unbound[0]
        try:
            sols = [v for v in sp.solve(sp.Eq(pattern.xreplace(binding), target), x)
                    if v.free_symbols <= target.free_symbols]
        except (NotImplementedError, TypeError, ValueError, sp.PolynomialError):
            # PolynomialError: solve refuses non-commutative symbols (W x, U V^T).
            return False
        sols = [v for v in sols if not (x.is_positive and v.is_positive is False)]
        if len(sols) == 1:
            binding[x] = sols[0]
            return True
    return False


def _instance_of(k: Any, v: Any, lhs: Any, rhs: Any) -> bool:
    """Is ``k = v`` the equation ``lhs = rhs`` with its symbols specialised?"""
    if not isinstance(lhs, sp.Basic) or not isinstance(k, sp.Basic):
        return False
    if k == lhs and v == rhs:
        return True
    if lhs.func != k.func and not isinstance(lhs, sp.Symbol):
        return False
    binding: dict = {}
    if not _unify(lhs, k, set(lhs.free_symbols), binding):
        return False
    try:
        # Cheap algebra only: the fact must be the established equation, not a
        # new claim that would need its own proof (and no integral is evaluated).
        diff = sp.sympify(rhs).xreplace(binding) - v
        return diff == 0 or sp.expand(diff) == 0 or sp.cancel(sp.together(sp.expand_log(diff))) == 0
    except (TypeError, ValueError, AttributeError):
        return False
