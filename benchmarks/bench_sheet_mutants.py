"""Mutation test of every sheet (issue #8, "Tests and benchmark").

Every ``proofs/*.toml`` is loaded and derived as ``derive sheet`` does
(``sheet.load_spec`` + ``sheet.derive_problems``); for each step the verifier
accepts (``proved`` or ``numeric``) two mutants are made on the SymPy objects,
as a textbook slip would: one number changed (an Integer/Rational ``n -> n+1``,
a Float scaled by 1.1) and one sign flipped (one term of an Add negated, or the
whole side), on the right side (the left if the right has nothing to change).
One of each is sampled per step with a fixed seed.

A mutant whose step is still true is dropped, decided independently of
derive's verifier: both sides (facts substituted) are evaluated with mpmath at
random points of the domains (integers for integer symbols, positives for
positive ones); if the mutated relation holds at every point within a
tolerance it is dropped ("equivalent": for ``=`` the changed side has the same
value; for an inequality the slip may keep it true).  A mutant that cannot be
evaluated independently is kept.  The rest are verified with the same verifier
and domains as the sheet build; the figures are per sheet.

``python3 benchmarks/bench_sheet_mutants.py`` prints them.
"""
from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator

import mpmath
import sympy as sp

ROOT = Path(__file__).resolve().parents[1]
SEED = 8
POINTS = 12


def sheets() -> list[Path]:
    return sorted((ROOT / "proofs").glob("*.toml"))


# -- mutants ---------------------------------------------------------------------------------

def _paths(e: Any, pred: Any, path: tuple = ()) -> Iterator[tuple]:
    """Paths (tuples of argument indices) to every sub-expression of ``e`` with ``pred``."""
    if pred(e):
        yield path
    args = getattr(e, "args", ())
    if isinstance(e, (sp.Symbol, sp.Number)) or not isinstance(e, sp.Basic):
        return
    for i, a in enumerate(args):
        if isinstance(a, sp.Basic):
            yield from _paths(a, pred, path + (i,))


def _replace_at(e: Any, path: tuple, fn: Any) -> Any:
    if not path:
        return fn(e)
    args = list(e.args)
    args[path[0]] = _replace_at(args[path[0]], path[1:], fn)
    return e.func(*args)


def _is_number(e: Any) -> bool:
    return isinstance(e, (sp.Integer, sp.Rational, sp.Float)) and not isinstance(e, sp.core.numbers.NaN)


def _bump(n: sp.Number) -> sp.Number:
    return n * sp.Float("1.1", 30) if isinstance(n, sp.Float) else n + 1


def _entries(side: Any) -> list[tuple[Any, Any]]:
    """(getter path, expression) of a side: a matrix's entries, or the side itself."""
    if isinstance(side, sp.MatrixBase):
        return [(i, x) for i, x in enumerate(side)]
    return [(None, side)]


def _rebuild(side: Any, where: Any, new: Any) -> Any:
    if where is None:
        return new
    flat = list(side)
    flat[where] = new
    return sp.ImmutableMatrix(side.shape[0], side.shape[1], flat)


def number_mutants(side: Any) -> list[Any]:
    out = []
    for where, x in _entries(side):
        if not isinstance(x, sp.Basic):
            continue
        for p in _paths(x, _is_number):
            try:
                out.append(_rebuild(side, where, _replace_at(x, p, _bump)))
            except Exception:  # noqa: BLE001 - a rebuild SymPy refuses is no mutant
                pass
    return out


def sign_mutants(side: Any) -> list[Any]:
    out = []
    for where, x in _entries(side):
        if not isinstance(x, sp.Expr):
            continue
        for p in _paths(x, lambda e: isinstance(e, sp.Add)):
            node = x
            for i in p:
                node = node.args[i]
            for k in range(len(node.args)):
                def flip(add: Any, k: int = k) -> Any:
                    a = list(add.args)
                    a[k] = -a[k]
                    return sp.Add(*a)
                out.append(_rebuild(side, where, _replace_at(x, p, flip)))
        out.append(_rebuild(side, where, -x))
    return out


def mutants(step: Any, rng: random.Random) -> list[tuple[str, Any]]:
    """One sampled number mutant and one sign mutant of ``step`` (right side first)."""
    out = []
    for kind, make in (("number", number_mutants), ("sign", sign_mutants)):
        for side in ("rhs", "lhs"):
            cands = [m for m in make(getattr(step, side)) if m != getattr(step, side)]
            if cands:
                out.append((kind, replace(step, **{side: rng.choice(cands)})))
                break
    return out


# -- independent truth (mpmath, not derive's verifier) ---------------------------------------

def _sample(dom: Any, rng: random.Random) -> Any:
    lo = dom.lo if dom.lo is not None else (-6 if dom.hi is None else dom.hi - 6)
    hi = dom.hi if dom.hi is not None else lo + 12
    if dom.integer:
        lo_i = int(lo) + (0 if dom.closed_lo or lo != int(lo) else 1)
        v = rng.randint(lo_i, max(lo_i, min(int(hi), lo_i + 8)))
        return sp.Integer(v)
    v = rng.uniform(lo, hi)
    if dom.lo is not None and v <= dom.lo:
        v = dom.lo + 1e-3
    return sp.Float(v, 30)


def _values(side: Any, point: dict) -> list[Any]:
    vals = []
    for _, x in _entries(side):
        v = sp.sympify(x).xreplace(point).doit()
        if isinstance(v, sp.logic.boolalg.BooleanAtom):
            vals.append(bool(v))
            continue
        c = complex(sp.N(v, 30))
        vals.append(mpmath.mpc(c.real, c.imag))
    return vals


def still_true(step: Any, domains: Any, rng: random.Random) -> bool | None:
    """Does the step hold at every sampled point (True), fail at one (False), or can it not be
    evaluated independently (None)?  Facts are substituted first, as the verifier may."""
    from derive.step import Rel

    lhs, rhs = step.lhs, step.rhs
    for k, v in step.facts:
        try:
            lhs, rhs = lhs.subs(k, v), rhs.subs(k, v)
        except Exception:  # noqa: BLE001
            return None
    free = set()
    for s in (lhs, rhs):
        free |= getattr(s, "free_symbols", set())
    if any(f not in domains for f in free):
        return None
    tol = float(step.tol) if step.tol is not None else 0.0
    seen = 0
    for _ in range(POINTS):
        point = {f: _sample(domains[f], rng) for f in free}
        try:
            a, b = _values(lhs, point), _values(rhs, point)
        except Exception:  # noqa: BLE001 - undefined at this point (a pole): another point
            continue
        if len(a) != len(b):
            return False
        seen += 1
        for x, y in zip(a, b):
            if isinstance(x, bool) or isinstance(y, bool):
                if step.rel in (Rel.EQ, Rel.IFF) and x != y:
                    return False
                if step.rel is Rel.IMPLIES and x and not y:
                    return False
                continue
            eps = tol + 1e-9 * (1 + abs(x) + abs(y))
            if step.rel in (Rel.EQ, Rel.APPROX, Rel.IFF, Rel.IMPLIES):
                if abs(x - y) > eps:
                    return False
                continue
            if abs(x.imag) > 1e-12 or abs(y.imag) > 1e-12:
                return None
            xr, yr = x.real, y.real
            ok = {Rel.LE: xr <= yr + eps, Rel.LT: xr < yr + eps, Rel.GE: xr + eps >= yr,
                  Rel.GT: xr + eps > yr}[step.rel]
            if not ok:
                return False
    return True if seen else None


def _settled(side: Any, facts: Any) -> Any:
    for k, v in facts:
        side = side.subs(k, v)
    return sp.sympify(side).doit()


def same_value(step: Any, mutant: Any) -> bool:
    """Symbolic fallback where sampling is impossible (indexed families, expectations): the
    mutated side, facts substituted and ``doit()``, simplifies to the original side."""
    side = "rhs" if mutant.rhs is not step.rhs else "lhs"
    try:
        a = _settled(getattr(step, side), step.facts)
        b = _settled(getattr(mutant, side), mutant.facts)
        d = sp.simplify(sp.ImmutableMatrix(a) - sp.ImmutableMatrix(b)) if isinstance(a, sp.MatrixBase) \
            else sp.simplify(a - b)
    except Exception:  # noqa: BLE001 - not decidable here: the mutant is kept
        return False
    return bool(d == 0 or (isinstance(d, sp.MatrixBase) and d.is_zero_matrix))


# -- the figures -----------------------------------------------------------------------------

@dataclass
class Figures:
    sheet: str
    steps: int = 0
    made: int = 0
    equivalent: int = 0
    rejected: int = 0
    unknown: int = 0
    numeric: int = 0
    proved: int = 0
    accepted: list = field(default_factory=list)     # (problem, step no., kind, mutant, verdict)

    @property
    def kept(self) -> int:
        return self.made - self.equivalent

    def line(self) -> str:
        return (f"{self.sheet}: {self.steps} verified steps, {self.made} mutants, {self.equivalent} dropped as "
                f"equivalent, {self.rejected} rejected ({self.unknown} of them unknown), "
                f"{self.numeric} valid (numeric), {self.proved} proved")


def run_sheet(path: Path, verifier: Any) -> Figures:
    from derive import sheet as sh

    spec = sh.load_spec(path)
    derived = sh.derive_problems(spec)
    fig = Figures(path.name)
    steps = [(p.id, n, s, d.domains) for p, d in derived for n, s in enumerate(d.steps(), 1)]
    verifier.prefetch((s, doms) for _, _, s, doms in steps)
    rng = random.Random(f"{SEED}:{path.name}")
    todo = []
    for pid, n, s, doms in steps:
        if not verifier.verify_step(s, doms).ok:
            continue
        fig.steps += 1
        for kind, m in mutants(s, rng):
            fig.made += 1
            truth = still_true(m, doms, random.Random(f"{SEED}:{pid}:{n}:{kind}"))
            if truth or (truth is None and same_value(s, m)):
                fig.equivalent += 1
                continue
            todo.append((pid, n, kind, m, doms))
    verifier.prefetch((m, doms) for *_, m, doms in todo)
    for pid, n, kind, m, doms in todo:
        v = verifier.verify_step(m, doms)
        if v.status == "proved":
            fig.proved += 1
        elif v.status == "numeric":
            fig.numeric += 1
        else:
            fig.rejected += 1
            fig.unknown += v.status == "unknown"
            continue
        orig = next(st for p2, n2, st, _ in steps if (p2, n2) == (pid, n))
        fig.accepted.append((pid, n, kind, f"{m.lhs} {m.rel.value} {m.rhs}  [was {orig.lhs} {orig.rel.value} {orig.rhs}]", v))
    return fig


def run_all(paths: list[Path] | None = None) -> list[Figures]:
    from derive.config import DEFAULT
    from derive.verify import Verifier

    with Verifier(DEFAULT) as verifier:
        return [run_sheet(p, verifier) for p in (paths or sheets())]


def main() -> None:
    figs = run_all()
    for f in figs:
        print(f.line(), flush=True)
        for a in f.accepted:
            print(f"  ACCEPTED {a[0]} step {a[1]} ({a[2]} mutant): {a[3]}  {a[4]!r}")
    kept = sum(f.kept for f in figs)
    rej = sum(f.rejected for f in figs)
    print(f"all sheets: {sum(f.made for f in figs)} mutants, {sum(f.equivalent for f in figs)} equivalent, "
          f"{rej}/{kept} rejected ({100 * rej / max(kept, 1):.1f}%), {sum(f.proved for f in figs)} proved")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
