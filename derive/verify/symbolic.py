"""Symbolic strategies (layer 2): proving a difference zero, or a sign."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

import sympy as sp

from ..domains import Domain, domain_of
from .integrable import divergent_value, dominated_finite, pole_inside
from .job import _elementary


def _interval(dom: Domain) -> sp.Set:
    """The declared domain as a SymPy set (each end open unless declared closed; an integer domain holds
    exactly the integers inside its real interval, so integers > 5/2 start at 3)."""
    lo = sp.nsimplify(dom.lo) if dom.lo is not None else sp.S.NegativeInfinity
    hi = sp.nsimplify(dom.hi) if dom.hi is not None else sp.S.Infinity
    if dom.integer:
        first = lo if lo.is_infinite else (sp.ceiling(lo) if dom.closed_lo else sp.floor(lo) + 1)
        # the largest member is below hi, or hi itself when the end is closed
        stop = hi if hi.is_infinite else (sp.floor(hi) + 1 if dom.closed_hi else sp.ceiling(hi))
        return sp.S.Integers if first.is_infinite and stop.is_infinite else sp.Range(first, stop)
    return sp.Interval(lo, hi, left_open=not dom.closed_lo, right_open=not dom.closed_hi)


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


def _improper(e: Any) -> list[sp.Basic]:
    """Definite integrals whose integrand is not a polynomial, and sums to infinity: the parts
    whose value may not exist (linearity and cancellation hold only where they converge)."""
    if not isinstance(e, sp.Basic):
        return []
    out = []
    for a in e.atoms(sp.Integral):
        if all(len(lim) == 3 for lim in a.limits) and not (
                all(lim[1].is_finite and lim[2].is_finite for lim in a.limits)
                and a.function.is_polynomial(*[lim[0] for lim in a.limits])):
            out.append(a)
    out += [a for a in e.atoms(sp.Sum) if any(len(lim) == 3 and not (lim[1].is_finite and lim[2].is_finite)
                                              for lim in a.limits)]
    return out


def improper_values(sides: Iterable[Any], declared: Mapping[sp.Symbol, Domain]) -> dict[sp.Basic, sp.Basic] | None:
    """The value of each improper part of ``sides`` (``oo``, ``nan`` where it diverges), or
    ``None`` when one of them cannot be evaluated (its convergence is not known)."""
    values: dict[sp.Basic, sp.Basic] = {}
    for part in (p for side in sides for p in _improper(side)):
        key = (part, tuple(sorted(((str(q), declared.get(q)) for q in part.free_symbols), key=str)))
        if key not in _VALUES and isinstance(part, sp.Integral):
            # a rational integrand's pole inside the range: no value (SymPy's antiderivative
            # cancels across it: int_{-a}^{a} x/(x^2-1) dx = 0), or none known for some parameters
            status, point, _ = pole_inside(part, declared)
            if status == "pole":
                _VALUES[key] = None if point else divergent_value(part, declared)
            elif status == "unknown":
                _VALUES[key] = None
        if key not in _VALUES and isinstance(part, sp.Integral) and dominated_finite(part, declared):
            _VALUES[key] = _FINITE         # converges by domination; its value is not needed
        if key not in _VALUES:
            try:
                v = _resolve_piecewise(part.doit(), declared)
            except (NotImplementedError, TypeError, ValueError, AttributeError, RecursionError):
                v = None
            if v is not None and (v.has(sp.Integral, sp.Sum, sp.Piecewise)
                                  or not (v.is_finite or v.has(sp.oo, -sp.oo, sp.zoo, sp.nan))):
                v = None
            if len(_VALUES) > 512:
                _VALUES.clear()
            _VALUES[key] = v
        if _VALUES[key] is None:
            return None
        values[part] = _VALUES[key]
    return values


_VALUES: dict[tuple, sp.Basic | None] = {}
_FINITE = sp.Dummy("finite", real=True, finite=True)


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


def _approx_exact(l: sp.Expr, r: sp.Expr, tol: float | None) -> str | None:
    if (isinstance(l, sp.Basic) and l.free_symbols) or (isinstance(r, sp.Basic) and r.free_symbols):
        return None
    t = sp.nsimplify(tol) if tol is not None else sp.Rational(1, 10**12)
    ok = sp.Abs(l - r) <= t
    return "exact bound on the rounding error" if ok == sp.true else None
