"""Steps about indexed families with a symbolic number of entries (``\\sum_{i=1}^{C} y_i``).

The symbolic layer still tries to prove such a step for every ``C``; when it
cannot, this module gives *numeric evidence*: it instantiates the bound at
several sizes (``SIZES``), every free index (``k`` in ``z_k``) at each value of
its range, expands the sums (and the derivatives with respect to an entry),
and compares the sides at random entries that satisfy the step's givens about
the family (``\\sum_i y_i = 1`` is solved for the last entry ``y_C``).  All
instances passing is ``numeric``, never ``proved``; one failing instance is a
counterexample naming the size, the index and every entry.

A given about such a sum cannot be substituted before the sum is expanded, so
the verifier passes these facts along as the job's ``constraints``; so too a given
about written-out entries (``y_1 + y_2 + y_3 = 1``, ``\\sum_{i=1}^{3} y_i = 1``),
which no substitution applies to ``y_1 + y_2 + y_3`` or ``\\sum_{i=1}^{3} 2 y_i``:
the one instance is then the entries as written, solved from the givens.
"""
from __future__ import annotations

import dataclasses
import itertools
from typing import Any, Iterable, Iterator

import sympy as sp

from ..step import Verdict
from .job import _Job

#: The sizes a symbolic bound takes: every small case and one larger one.
SIZES = (1, 2, 3, 4, 5, 6, 9)
#: The first, cheap pass (it may only reject).
FILTER_SIZES = (2, 3)
MAX_INSTANCES = 80
#: Sizes that must pass (with values to compare) before the evidence counts.
MIN_SIZES = 3


def _basics(*objs: Any) -> list[sp.Basic]:
    return [o for o in objs if isinstance(o, sp.Basic) and not isinstance(o, sp.MatrixBase)]


def at_point(s: sp.Basic) -> sp.Basic:
    """A sum or product with numbers for its names, in closed form; a series that does not converge
    there is ``nan``, no value (``\\sum r^n`` at r = -2 stays unsummed and failed to evaluate, so the
    point was skipped and ``\\sum_{n \\ge 0} r^n = 1/(1 - r)`` under ``r < 1`` was certified)."""
    v = s.doit()
    if not (isinstance(s, sp.Sum) and isinstance(v, sp.Sum)) or v.free_symbols \
            or not any(sp.oo in (abs(lim[1]), abs(lim[2])) for lim in v.limits) or len(v.limits) != 1:
        return v
    try:
        convergent = v.is_convergent()
    except (NotImplementedError, TypeError, ValueError, AttributeError, RecursionError):
        return v
    return sp.nan if convergent is sp.false or convergent is False else v


def _symbolic_sums(e: sp.Basic) -> list[sp.Sum]:
    return [s for s in e.atoms(sp.Sum) if any(_syms(end) for lim in s.limits for end in lim[1:])]


def _syms(e: Any) -> set[sp.Symbol]:
    return {s for s in sp.sympify(e).free_symbols if isinstance(s, sp.Symbol)}


def _about_family(e: sp.Basic) -> bool:
    """A sum with a symbolic bound over the entries of an indexed family."""
    return any(s.function.has(sp.Indexed) for s in _symbolic_sums(e))


def _about_entries(e: sp.Basic) -> bool:
    """Written-out entries of a family (``y_1 + y_2``, ``\\sum_{i=1}^{3} y_i``): a given that a
    substitution cannot apply to the sides (``y_1 + y_2 + y_3`` does not contain the sum)."""
    if not e.has(sp.Indexed):
        return False
    try:
        atoms = _written_out(e).atoms(sp.Indexed)
    except (_Skip, *_TROUBLE):
        return False
    return bool(atoms) and all(i.is_Integer for a in atoms for i in a.indices)


def constraints(facts: Iterable[tuple[Any, Any]], *sides: Any) -> tuple[tuple[sp.Basic, sp.Basic], ...]:
    """The facts that are equations about a family's sum or its written-out entries (kept for
    after the expansion); with ``sides``, only those about a family the sides mention."""
    written = not sides or all(_about_entries(e) or not e.has(sp.Indexed) for e in _basics(*sides))
    out = tuple((k, v) for k, v in facts if isinstance(k, sp.Basic)
                and (_about_family(k) or written and _about_entries(k)))
    if not sides:
        return out
    bases = {b.label for e in _basics(*sides) for b in e.atoms(sp.IndexedBase)}
    return tuple((k, v) for k, v in out if {b.label for b in k.atoms(sp.IndexedBase)} & bases)


def applies(job: _Job) -> bool:
    sides = _basics(job.lhs, job.rhs)
    return len(sides) == 2 and (bool(job.constraints) or any(_about_family(s) for s in sides))


def _sizes(exprs: list[sp.Basic]) -> list[sp.Symbol]:
    out: set[sp.Symbol] = set()
    for e in exprs:
        for s in _symbolic_sums(e):
            for lim in s.limits:
                out |= _syms(lim[1]) | _syms(lim[2])
    return sorted(out, key=lambda s: s.name)


def _free_indices(exprs: list[sp.Basic], sizes: list[sp.Symbol]) -> list[sp.Symbol]:
    """Symbols written as an entry's index outside any sum (``k`` in ``z_k``)."""
    out: set[sp.Symbol] = set()
    for e in exprs:
        free = _syms(e)
        for a in e.atoms(sp.Indexed):
            out |= {s for i in a.indices for s in _syms(i) if s in free}
    return sorted(out - set(sizes), key=lambda s: s.name)


def _largest_entry(exprs: list[sp.Basic]) -> int:
    """The largest concrete index written (``y_2``): smaller sizes do not have that entry."""
    top = 0
    for e in exprs:
        for a in e.atoms(sp.Indexed):
            top = max([top] + [int(i) for i in a.indices if i.is_Integer])
    return top


def _ok_size(sym: sp.Symbol, c: int, domains: dict) -> bool:
    dom = domains.get(sym)
    return dom is None or dom.contains(sp.Integer(c)) is not False


def instances(job: _Job, sizes: tuple[int, ...]) -> Iterator[tuple[dict, list[dict]]]:
    """Values of the sizes, each with the values of the free indices (at most ``MAX_INSTANCES``)."""
    exprs = _basics(job.lhs, job.rhs, *(x for kv in job.constraints for x in kv))
    size_syms = _sizes(exprs)
    index_syms = _free_indices(exprs, size_syms)
    domains = dict(job.domains)
    least = max(_largest_entry(exprs), 1 if index_syms else 0)
    choices = [[c for c in sizes if c >= least and _ok_size(s, c, domains)] for s in size_syms]
    count = 0
    for combo in itertools.product(*choices):
        top = max(combo) if combo else 1
        idx = [{s: sp.Integer(v) for s, v in zip(index_syms, values)}
               for values in itertools.product(range(1, top + 1), repeat=len(index_syms))
               if all(_ok_size(s, v, domains) for s, v in zip(index_syms, values))]     # a declared range
        if count >= MAX_INSTANCES:
            return
        idx = idx[:MAX_INSTANCES - count]
        if not idx:
            continue
        count += len(idx)
        yield {s: sp.Integer(c) for s, c in zip(size_syms, combo)}, idx


class _Skip(Exception):
    """This instance cannot be evaluated (an infeasible given, a reversed sum)."""


def _expand(e: Any, inst: dict) -> Any:
    """``e`` at the instance, every sum written out (cheaper than ``Sum.doit``)."""
    return _written_out(sp.sympify(e).xreplace(inst))


def _written_out(e: Any) -> Any:
    if not isinstance(e, sp.Basic) or not e.has(sp.Sum, sp.Product):
        return e
    if isinstance(e, (sp.Sum, sp.Product)):
        body = e.function
        for lim in reversed(e.limits):
            if len(lim) != 3 or not (lim[1].is_Integer and lim[2].is_Integer):
                raise _Skip("a sum whose bounds are not numbers")
            var, lo, hi = lim
            if hi - lo < -1:
                raise _Skip("a sum with reversed bounds")
            if hi - lo > 4 * max(SIZES):
                raise _Skip("a sum too long to write out")
            terms = [body.xreplace({var: sp.Integer(v)}) for v in range(int(lo), int(hi) + 1)]
            body = sp.Add(*terms) if isinstance(e, sp.Sum) else sp.Mul(*terms)
        return _written_out(body)
    return e.func(*[_written_out(a) for a in e.args])


def _entry_symbols(exprs: list[sp.Basic]) -> dict[sp.Indexed, sp.Symbol]:
    out = {}
    for e in exprs:
        for a in e.atoms(sp.Indexed):
            if not all(i.is_Integer for i in a.indices):
                raise _Skip("an entry with a symbolic index")
            label = a.base.label
            name = f"{label.name}_{'_'.join(str(i) for i in a.indices)}"
            out[a] = sp.Symbol(name, **(label.assumptions0 if isinstance(label, sp.Symbol) else {}))
    return out


def _derivatives(e: sp.Basic) -> sp.Basic:
    """Derivatives with respect to an entry, taken now that the entries are symbols."""
    if not e.has(sp.Derivative):
        return e
    return e.replace(lambda x: isinstance(x, sp.Derivative), lambda x: sp.diff(x.expr, *x.variable_count))


def _solve(equations: list[sp.Expr]) -> dict[sp.Symbol, sp.Expr]:
    """Each given solved for its last entry that occurs linearly (in order)."""
    solved: dict[sp.Symbol, sp.Expr] = {}
    for eq in equations:
        eq = sp.expand(eq.xreplace(solved))
        if eq == 0:
            continue
        cands = sorted(eq.free_symbols, key=lambda s: (s.name.rsplit("_", 1)[0], _num(s)))
        scaled = _normalised(eq, cands)
        if scaled is not None:
            solved = {k: v.xreplace(scaled) for k, v in solved.items()}
            solved.update(scaled)
            continue
        for s in reversed(cands):
            a = sp.diff(eq, s)
            if a.is_number and a != 0:
                if s.is_nonnegative or s.is_positive or s.is_negative or s.is_nonpositive:
                    raise _Skip("a given solved for an entry with a sign")
                value = sp.expand(s - eq / a)
                solved = {k: v.xreplace({s: value}) for k, v in solved.items()}
                solved[s] = value
                break
        else:
            raise _Skip("a given that cannot be solved for an entry" if eq.free_symbols else "an infeasible given")
    return solved


def _normalised(eq: sp.Expr, entries: list[sp.Symbol]) -> dict[sp.Symbol, sp.Expr] | None:
    """``y_1 + ... + y_C = b`` with positive entries and ``b > 0``: each entry is ``b u_i / sum u``
    for free positive ``u_i`` (named like the entries), so every point keeps both."""
    if not entries or not all(s.is_positive for s in entries):
        return None
    coeffs = [eq.coeff(s) for s in entries]
    b = -eq.subs({s: 0 for s in entries})
    if sp.expand(eq - sum(c * s for c, s in zip(coeffs, entries)) + b) != 0 \
            or not all(c.is_number and c.is_positive for c in coeffs) or not (b.is_number and b.is_positive):
        return None
    free = [sp.Symbol(s.name + "_free", positive=True) for s in entries]
    total = sum(c * u for c, u in zip(coeffs, free))
    return {s: b * u / total for s, u in zip(entries, free)}


def _num(s: sp.Symbol) -> int:
    tail = s.name.rsplit("_", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _written(job: _Job, size: dict) -> tuple[Any, Any, list[Any]]:
    """Both sides and the givens with every sum written out (the indices still symbols)."""
    eqs = [_expand(k, size) - _expand(v, size) for k, v in job.constraints]
    return _expand(job.lhs, size), _expand(job.rhs, size), eqs


def _instance_job(job: _Job, written: tuple[Any, Any, list[Any]], inst: dict) -> tuple[_Job, dict]:
    lhs, rhs = (x.xreplace(inst) for x in written[:2])
    eqs = [e.xreplace(inst) for e in written[2]]
    entries = _entry_symbols(_basics(lhs, rhs, *eqs))
    lhs, rhs = (_derivatives(side.xreplace(entries)) for side in (lhs, rhs))
    solved = _solve([sp.sympify(e).xreplace(entries) for e in eqs])
    lhs, rhs = lhs.xreplace(solved), rhs.xreplace(solved)
    doms = tuple((s, d) for s, d in job.domains if s not in inst)
    seed = (job.seed + sum((n + 1) * 7919 * int(v) for n, (_, v) in enumerate(sorted(
        inst.items(), key=lambda kv: kv[0].name)))) & 0xFFFFFFFF
    return _Job(lhs, job.rel, rhs, doms, job.tol, seed, job.filter_points, job.numeric_points,
                job.precision, job.timeout), solved


_TROUBLE = (TypeError, ValueError, ZeroDivisionError, AttributeError, NotImplementedError, RecursionError)


def written_instance(job: _Job) -> tuple[_Job, dict] | None:
    """A step whose sums and entries are all written out (no symbolic size, no free index) as
    its one instance: the entries as symbols, the givens solved for them; else None."""
    exprs = _basics(job.lhs, job.rhs, *(x for kv in job.constraints for x in kv))
    sizes = _sizes(exprs)
    if sizes or _free_indices(exprs, sizes):
        return None
    try:
        sub, solved = _instance_job(job, _written(job, {}), {})
    except (_Skip, *_TROUBLE):
        return None
    return dataclasses.replace(job, lhs=sub.lhs, rhs=sub.rhs, domains=sub.domains, constraints=()), solved


def with_entries(got: Verdict, solved: dict) -> Verdict:
    """``got`` for the written-out instance, its counterexample completed with the solved entries."""
    return _failed(got, {}, solved) if got.status == "failed" else got


def _failed(got: Verdict, inst: dict, solved: dict) -> Verdict:
    """The counterexample: sizes and indices, the sampled entries, the entries the givens fix
    (an entry that no side mentions is free, and 0 is as good a value as any)."""
    cex = {s.name: str(v) for s, v in inst.items()}
    cex.update(got.counterexample or {})
    cex.update({t.name: "0" for v in solved.values() for t in v.free_symbols
                if t.name not in cex and not t.name.endswith("_free")})
    at = {t: sp.Rational(cex[t.name]) for v in solved.values() for t in v.free_symbols if t.name in cex}
    cex.update({s.name: str(v.xreplace(at)) for s, v in solved.items()})
    return Verdict("failed", "instances", got.message, {k: v for k, v in cex.items() if not k.endswith("_free")})


def decide(job: _Job, thorough: bool) -> Verdict | None:
    """``failed`` with a counterexample; when ``thorough``, else ``numeric`` or ``unknown``.

    The first pass (``thorough=False``) may only reject: it returns ``None`` unless an
    instance fails.
    """
    from .numeric import _numeric_layer

    sizes = SIZES if thorough else FILTER_SIZES
    points = max(3, job.numeric_points // 8) if thorough else 2
    prec = job.precision if thorough else 15
    passed: set[tuple[int, ...]] = set()
    size_syms = _sizes(_basics(job.lhs, job.rhs, *(x for kv in job.constraints for x in kv)))
    tried = 0
    for size, indices in instances(job, sizes):
        try:
            written = _written(job, size)
        except (_Skip, *_TROUBLE):
            continue
        for index in indices:
            tried += 1
            inst = {**size, **index}
            try:
                sub, solved = _instance_job(job, written, inst)
            except (_Skip, *_TROUBLE):
                continue
            # a larger size has more entries and more indices: fewer points each
            got = _numeric_layer(sub, points if max(size.values(), default=1) <= 6 else 2, prec)
            if got is not None and got.status == "failed":
                return _failed(got, inst, solved)
            if got is None:
                passed.add(tuple(int(size[s]) for s in size_syms))
    if not thorough:
        return None
    if not size_syms:       # the entries are written out: one instance, which must have given values
        if not passed:
            return Verdict("unknown", "instances", f"no values to compare ({tried} instances tried)")
        return Verdict("numeric", f"at least 2 random points at {prec} digits, entries satisfying the givens")
    if len(passed) < min(MIN_SIZES, len(SIZES)):
        return Verdict("unknown", "instances", f"only {len(passed)} sizes gave values to compare "
                       f"({tried} instances tried)")
    shown = ", ".join(str(c) for c in SIZES)
    names = ", ".join(s.name for s in size_syms)
    return Verdict("numeric", f"{names} = {shown} with every index; at least 2 random points each "
                              f"at {prec} digits, entries satisfying the givens")


__all__ = ["SIZES", "FILTER_SIZES", "applies", "constraints", "instances", "decide", "written_instance", "with_entries"]
