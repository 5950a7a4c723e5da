"""Numeric evaluation (layers 1 and 3): values at points, and the numeric verdict."""
from __future__ import annotations

import random
from typing import Any, Callable, Iterable, Mapping

import sympy as sp

from ..step import Rel, Verdict
from .critical import Touching, proved_zero
from .job import _elementary, _Job
from .matrices import _zero_as_matrix
from .onesided import resolve as resolve_one_sided
from .quadrature import QuadValue, _integrals_at, _is_opaque, _quadrature, corners, margins, recording
from .precision import _gap, _near_tie, _resolved_tie, _short
from .sampling import ValuesOnly, _counterexample
from .sampling import points as sample_points
from .sums import at_point


def _substituted(expr: Any, point: Mapping[sp.Symbol, sp.Expr], atoms: dict, rng: random.Random,
                 prec: int) -> Any:
    """``expr`` at ``point``, still exact where it can be (integrals become quadrature values).

    Opaque atoms and undeclared symbols get random values, shared by both sides
    through ``atoms``.  Derivatives are taken before the point is substituted.
    """
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(lambda e: _substituted(e, point, atoms, rng, prec))
    if isinstance(expr, (sp.core.relational.Relational, sp.And, sp.Or, sp.Not)) and expr.has(sp.Integral):
        # side by side, unevaluated: Ge(quadrature value, 250/89) must not be decided on the last
        # digit of an estimate (an implication with a tight integral conclusion was refuted so)
        return expr.func(*[_substituted(a, point, atoms, rng, prec) for a in expr.args], evaluate=False)
    e = _elementary(expr)
    if e.has(sp.Derivative):
        e = e.replace(lambda x: isinstance(x, sp.Derivative), lambda x: x.doit())
    if e.has(sp.Integral):
        e = _integrals_at(e, point, prec)
    e = e.xreplace(dict(point))
    if e.has(sp.Sum, sp.Product):       # a series diverging here is nan (sums.at_point)
        e = e.replace(lambda x: isinstance(x, (sp.Sum, sp.Product)), at_point)
    if e.has(sp.Limit, sp.Derivative):
        e, problem = resolve_one_sided(e)   # a limit of cases at a breakpoint: from its side, never SymPy's
        if problem is not None and problem[0] == "no limit":
            return sp.nan                   # lim_{x -> a} of a jump, at a = 0: no value there
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
    return e


def _numeric(expr: Any, point: Mapping[sp.Symbol, sp.Expr], atoms: dict, rng: random.Random,
             prec: int) -> Any:
    """Evaluate at ``point`` to ``prec`` digits; opaque atoms get random values shared by both sides."""
    e = _substituted(expr, point, atoms, rng, prec)
    return _evalf(e, prec)


def _evalf(e: Any, prec: int) -> Any:
    if isinstance(e, sp.MatrixBase):
        return e.applyfunc(lambda x: _evalf(x, prec))
    if isinstance(e, sp.logic.boolalg.BooleanAtom):
        return e
    if isinstance(e, sp.core.relational.Relational):
        return e.func(e.lhs.evalf(prec), e.rhs.evalf(prec), evaluate=False)
    if isinstance(e, (sp.And, sp.Or, sp.Not)):
        return e.func(*[_evalf(a, prec) for a in e.args], evaluate=False)
    return e.evalf(prec)


def _finite(x: Any) -> bool:
    if isinstance(x, sp.MatrixBase):
        return all(_finite(v) for v in x)
    return bool(x.is_number) and x.is_finite is not False and not x.has(sp.nan, sp.zoo, sp.oo, -sp.oo)


def _close(a: sp.Expr, b: sp.Expr, rel_tol: float) -> bool:
    scale = max(1.0, float(abs(a)), float(abs(b)))
    return float(abs(a - b)) <= rel_tol * scale


# --------------------------------------------------------------------------- #
# Undefined values
# --------------------------------------------------------------------------- #

def _undefined(v: Any, real: bool, rel_tol: float) -> str | None:
    """Why an evaluated side has no value here (``None``: it has one).

    Raises ``TypeError`` if something stayed symbolic (no evidence either way).
    """
    if isinstance(v, sp.MatrixBase):
        for x in v:
            why = _undefined(x, real, rel_tol)
            if why:
                return why
        return None
    if not isinstance(v, sp.Basic):
        v = sp.sympify(v)
    if v.has(sp.nan):
        return "an indeterminate form"
    if v.has(sp.zoo):
        return "a division by zero"
    if v.has(sp.oo, -sp.oo):
        return "infinite"
    if not v.is_number:
        raise TypeError("not a number")
    if real:
        im = abs(sp.im(v))
        if im > rel_tol * max(1.0, float(abs(v))):
            return "not a real number"
    return None


def _real_context(job: _Job) -> bool:
    """Every symbol is real: values must be real, unless a side with symbols has the
    imaginary unit (a constant ``i pi`` may be SymPy's value of ``log(-1)``)."""
    def complex_side(o: Any) -> bool:
        entries = list(o) if isinstance(o, sp.MatrixBase) else [o]
        return any(isinstance(e, sp.Basic) and e.free_symbols and e.has(sp.I) for e in entries)
    return not any(complex_side(o) for o in (job.lhs, job.rhs))


SIDES = ("left", "right")


# --------------------------------------------------------------------------- #
# Does a relation hold at an evaluated point?
# --------------------------------------------------------------------------- #

def _holds_at(rel: Rel, l: Any, r: Any, rel_tol: float, approx_tol: float | None) -> bool | None:
    """True, False, or ``None`` when the values cannot tell (a tie of a strict inequality)."""
    if isinstance(l, sp.MatrixBase) or isinstance(r, sp.MatrixBase):
        l, r = _zero_as_matrix(l, r)        # A - A = 0: a scalar 0 beside a matrix is the zero matrix
        if not (isinstance(l, sp.MatrixBase) and isinstance(r, sp.MatrixBase)) or l.shape != r.shape:
            return False
        got = [_holds_at(rel, a, b, rel_tol, approx_tol) for a, b in zip(l, r)]
        return False if False in got else (None if None in got else True)
    if rel is Rel.APPROX:
        tol = approx_tol if approx_tol is not None else rel_tol
        return float(abs(l - r)) <= tol + rel_tol * max(1.0, float(abs(l)), float(abs(r)))
    if abs(sp.im(l)) > rel_tol or abs(sp.im(r)) > rel_tol:
        if rel is Rel.EQ:
            return _close(l, r, rel_tol)
        return False
    if rel is Rel.EQ:
        return _close(l, r, rel_tol)
    slack = rel_tol * max(1.0, float(abs(l)), float(abs(r)))
    gap = float(r - l) if rel in (Rel.LE, Rel.LT) else float(l - r)   # the relation says gap >= 0
    if rel in (Rel.LE, Rel.GE):
        return gap >= -slack
    # Strict: a clear positive gap holds, a clear negative one fails; a tie is undecided
    # here (the caller looks at the exact difference).
    if gap > slack:
        return True
    if gap < -slack:
        return False
    return None


def _relational_holds(relation: sp.Basic, rel_tol: float) -> bool | None:
    """Truth of an evaluated relational (for implications); ``None`` if undecidable here.

    A tie of a strict inequality is ``None`` (the values cannot tell).
    """
    if relation in (sp.true, sp.false):
        return bool(relation)
    if isinstance(relation, (sp.And, sp.Or)):
        parts = [_relational_holds(a, rel_tol) for a in relation.args]
        if isinstance(relation, sp.And):
            return False if False in parts else (None if None in parts else True)
        return True if True in parts else (None if None in parts else False)
    if isinstance(relation, sp.Not):
        inner = _relational_holds(relation.args[0], rel_tol)
        return None if inner is None else not inner
    if isinstance(relation, sp.core.relational.Relational):
        l, r = relation.lhs, relation.rhs
        if not (l.is_number and r.is_number) or _undefined(l, True, rel_tol) or _undefined(r, True, rel_tol):
            return None
        rel = {sp.Eq: Rel.EQ, sp.Le: Rel.LE, sp.Lt: Rel.LT, sp.Ge: Rel.GE, sp.Gt: Rel.GT}.get(type(relation))
        if rel is None:
            if isinstance(relation, sp.Ne):
                return not _close(l, r, rel_tol)
            return None
        return _holds_at(rel, l, r, rel_tol, None)
    return None


def _exact_gap(job: _Job, point: Mapping[sp.Symbol, sp.Expr], atoms: dict, rng: random.Random,
               prec: int) -> bool | None:
    """For a strict inequality whose sides tie numerically: are they exactly equal?

    ``True``: the sides are equal at ``point`` (the strict relation fails there);
    ``False``: the exact difference has the right sign; ``None``: cannot tell.
    """
    try:
        l = _substituted(job.lhs, point, atoms, rng, prec)
        r = _substituted(job.rhs, point, atoms, rng, prec)
        d = r - l if job.rel is Rel.LT else l - r
    except (TypeError, ValueError, ZeroDivisionError, AttributeError):
        return None
    if d.has(sp.Float):
        return None
    if d == 0 or d.is_zero is True:
        return True
    if d.is_positive is True:
        return False
    return True if proved_zero(d) else None


# --------------------------------------------------------------------------- #
# The numeric layer for =, <=, <, >=, >, ≈ (explicit matrices entry by entry)
# --------------------------------------------------------------------------- #

def _evaluate(job: _Job, point: Mapping[sp.Symbol, sp.Expr], atoms: dict, rng: random.Random,
              prec: int, exact: list | None = None) -> tuple[Any, Any] | None:
    """Both sides at ``point`` to ``prec`` digits; ``exact`` receives the sides before rounding."""
    try:
        sides = (_substituted(job.lhs, point, atoms, rng, prec), _substituted(job.rhs, point, atoms, rng, prec))
        if exact is not None:
            exact.extend(sides)
        return _evalf(sides[0], prec), _evalf(sides[1], prec)
    except (ZeroDivisionError, ValueError, TypeError, OverflowError, AttributeError, RecursionError):
        return None


_EXACT = {Rel.EQ: lambda d: d == 0, Rel.LE: lambda d: d <= 0, Rel.LT: lambda d: d < 0,
          Rel.GE: lambda d: d >= 0, Rel.GT: lambda d: d > 0}


def _exactly(rel: Rel, exact: list) -> bool | None:
    """The relation between two exact rational values (``2^{100} + 1`` and ``2^{100}`` differ,
    though not in 40 digits relative to their size); ``None`` when a side is not rational."""
    if len(exact) != 2 or rel not in _EXACT or not all(isinstance(v, sp.Rational) for v in exact):
        return None
    return bool(_EXACT[rel](exact[0] - exact[1]))


def _judge_point(job: _Job, point: Mapping[sp.Symbol, sp.Expr], rng: random.Random, prec: int,
                 rel_tol: float, real: bool, resolve: bool = False) -> tuple[str, str]:
    """``("pass" | "fail" | "skip" | "unresolved", message)`` for one point.

    With ``resolve``, sides that agree within the tolerance are told apart by their exact
    difference at the step's own scale (``precision``): a tiny-effect error fails, and a tie
    that cannot be resolved is ``unresolved`` (no evidence).
    """
    atoms: dict = {}
    exact: list = []
    with recording() as first:
        got = _evaluate(job, point, atoms, rng, prec, exact)
    if got is None:
        return "skip", ""
    try:
        why = [_undefined(v, real, rel_tol) for v in got]
    except (TypeError, ValueError):           # something stayed symbolic: no evidence
        return "skip", ""
    if why[0] and why[1]:
        return "skip", ""
    if (why[0] or why[1]) and margins((), first, rel_tol) is None:
        return "skip", ""                     # a quadrature gave no finite value: no evidence
    if why[0] or why[1]:
        side = SIDES[0] if why[0] else SIDES[1]
        return "fail", f"the {side} side is undefined here ({why[0] or why[1]})"
    l, r = got
    try:
        holds = _holds_at(job.rel, l, r, rel_tol, job.tol)
    except (TypeError, ValueError):
        return "skip", ""
    if holds is None:                         # a strict inequality with tied sides
        # at an exact root of the difference's numerator the tie is exact (tight.touching_roots)
        equal = True if isinstance(point, Touching) else _exact_gap(job, point, atoms, rng, prec)
        if equal is None and resolve:
            return _resolved_tie(job.rel, exact, l, r, prec, rel_tol, strict=True)
        if equal is True:
            return "fail", f"the two sides are equal here ({_short(l)}), so the strict inequality fails"
        return ("pass", "") if equal is False else ("skip", "")
    if holds and _exactly(job.rel, exact) is False:
        # 2^{100} + 1 vs 2^{100}: equal in every printed digit, different exactly
        return "fail", f"sides differ: {_short(l)} vs {_short(r)} (difference {sp.N(exact[0] - exact[1], 3)})"
    if holds and resolve and job.rel in _EXACT and _near_tie(l, r, rel_tol):
        return _resolved_tie(job.rel, exact, l, r, prec, rel_tol, strict=False)
    if holds:
        return "pass", ""
    # Confirm a rejection with more digits, so rounding noise is never a counterexample;
    # quadrature values are taken deeper, with their error bounds (quadrature.margins).
    with recording(deeper=True) as second:
        again = _evaluate(job, point, atoms, rng, prec + 20)
    if again is None:
        return "skip", ""
    try:
        if any(_undefined(v, real, rel_tol) for v in again) or _holds_at(job.rel, *again, rel_tol, job.tol) is not False:
            return "skip", ""
    except (TypeError, ValueError):
        return "skip", ""
    if second and not _beyond_quadrature(job, point, atoms, rng, prec + 20, rel_tol, real, first, second):
        return "skip", ""
    return "fail", f"sides differ: {_short(l)} vs {_short(r)}{_gap(l, r)}"


def _beyond_quadrature(job: _Job, point: Mapping[sp.Symbol, sp.Expr], atoms: dict, rng: random.Random,
                       prec: int, rel_tol: float, real: bool, first: list[QuadValue],
                       second: list[QuadValue]) -> bool:
    """The rejection stands for every value each integral may have (``1.9999845 vs 2`` from a
    kink the quadrature missed does not): it fails, on the same side, at every corner of the
    values' spread (``quadrature.margins``)."""
    spread = margins(first, second, rel_tol)
    if spread is None:
        return False
    if not any(spread):
        return True
    signs = set()
    for values in corners(second, spread):
        with recording(replay=values):
            got = _evaluate(job, point, atoms, rng, prec)
        if got is None or any(isinstance(v, sp.MatrixBase) for v in got):
            return False
        try:
            if any(_undefined(v, real, rel_tol) for v in got) or _holds_at(job.rel, *got, rel_tol, job.tol) is not False:
                return False
            signs.add(bool(got[0] > got[1]))
        except (TypeError, ValueError):
            return False
    return len(signs) == 1


#: A numeric verdict needs at least this many points where both sides have values.
MIN_TESTED = 6


def _numeric_layer(job: _Job, points: int, prec: int,
                   extra: Callable[[], Iterable[Mapping[sp.Symbol, sp.Expr]]] | None = None,
                   resolve: bool = False) -> Verdict | None:
    """A failing verdict with a counterexample, ``unknown`` without enough evidence, or None.

    ``extra`` yields further points to test once the sampled ones pass (where an
    inequality is tightest); ``resolve`` decides ties on the exact difference (layer 3).
    """
    rng = random.Random(job.seed)
    rel_tol = 10.0 ** (-(prec * 2 // 3))
    real = _real_context(job)
    tested = 0
    unresolved = ""
    for point in sample_points(job, rng, points * 3):
        if tested >= points:
            break
        status, message = _judge_point(job, point, rng, prec, rel_tol, real, resolve)
        if status == "fail":
            return Verdict("failed", "numeric", message, _counterexample(point))
        tested += status == "pass"
        unresolved = unresolved or (message if status == "unresolved" else "")
    if extra is not None and (tested or unresolved):
        for point in extra():
            status, message = _judge_point(job, point, rng, prec, rel_tol, real, resolve)
            if status == "fail" and isinstance(point, ValuesOnly) and " side is undefined here (" in message:
                continue        # undefined at a simple point (0^{-2} u[-2] at a = 0): a convention
            if status == "fail":
                return Verdict("failed", "numeric", message, _counterexample(point))
            unresolved = unresolved or (message if status == "unresolved" else "")
    if unresolved and tested < min(MIN_TESTED, points):
        return Verdict("unknown", "numeric", unresolved)
    if tested == 0:
        return Verdict("unknown", "numeric", "no sample point gave values to compare")
    if tested < min(MIN_TESTED, points):
        return Verdict("unknown", "numeric", f"only {tested} sample points gave values to compare")
    return None
