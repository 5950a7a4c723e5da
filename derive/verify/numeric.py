"""Numeric evaluation (layers 1 and 3): values at points, and the numeric verdict."""
from __future__ import annotations

import random
from typing import Any, Mapping

import sympy as sp
from sympy.core.function import AppliedUndef

from .. import notation as nt
from ..step import Rel, Verdict
from .job import _elementary, _Job
from .sampling import _counterexample, _sample


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


def _run_numeric(job: _Job) -> Verdict:
    rejected = _numeric_layer(job, job.numeric_points, job.precision)
    if rejected is not None:
        return rejected
    return Verdict("numeric", f"{job.numeric_points} random points at {job.precision} digits")
