"""Where an integrand kinks or jumps: the breaks quadrature splits its range at.

Zeros of the arguments of ``|.|``, sign, Heaviside, logs and root bases, differences inside
max/min, Piecewise conditions, and integer crossings of floor/ceiling/frac arguments, found on a
grid and refined by bisection (moved out of ``verify/quadrature.py``).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import sympy as sp

#: Grid of the search for breaks, breaks kept at most, expressions searched at most.
GRID = 96
MAX_BREAKS = 32
MAX_KINKS = 8


@dataclass(frozen=True)
class _Compiled:
    """An integrand and the expressions whose zeros (integer values, when stepped) are its kinks,
    each with its derivative, compiled with the parameters as extra arguments."""
    f: Callable[..., Any]
    kinks: tuple[tuple[Callable[..., Any], Callable[..., Any], bool], ...]


def _kink_exprs(body: sp.Expr, var: sp.Symbol) -> list[tuple[sp.Expr, bool]]:
    """``(g, stepped)``: the integrand kinks where ``g`` is 0 (``stepped``: where it is an integer)."""
    out: list[tuple[sp.Expr, bool]] = []
    for a in sp.preorder_traversal(body):
        if isinstance(a, (sp.Abs, sp.sign, sp.Heaviside, sp.log)):
            out.append((a.args[0], False))
        elif isinstance(a, (sp.floor, sp.ceiling, sp.frac)):
            out.append((a.args[0], True))
        elif isinstance(a, (sp.Max, sp.Min)):
            out.extend((p - q, False) for p, q in itertools.combinations(a.args, 2))
        elif isinstance(a, sp.Pow) and not (a.exp.is_Integer and a.exp > 0):
            out.append((a.base, False))
        elif isinstance(a, sp.Piecewise):
            for _, cond in a.args:
                if isinstance(cond, sp.Basic):
                    out.extend((r.lhs - r.rhs, False) for r in cond.atoms(sp.core.relational.Relational))
    kept: list[tuple[sp.Expr, bool]] = []
    for g, stepped in out:
        if isinstance(g, sp.Expr) and var in g.free_symbols and (g, stepped) not in kept:
            kept.append((g, stepped))
    return kept[:MAX_KINKS]


def _real(y: Any) -> Any:
    import mpmath

    try:
        y = mpmath.mpmathify(y)
    except (TypeError, ValueError):
        return None
    if isinstance(y, mpmath.mpc):
        if abs(y.imag) > 1e-12 * max(1, abs(y.real)):
            return None
        y = y.real
    return y if mpmath.isfinite(y) else None


def _root(fn: Callable[[Any], Any], a: Any, b: Any, prec: int) -> Any:
    """A zero of ``fn`` in or beside the cell ``[a, b]`` (its sign differs there at low precision),
    to ``prec`` digits."""
    import mpmath

    with mpmath.workdps(prec + 10):
        width = b - a
        try:
            t = mpmath.findroot(fn, (a, b), solver="anderson")
            if isinstance(t, mpmath.mpf) and a - width <= t <= b + width:
                return t
        except Exception:  # noqa: BLE001 - no convergence: bisect instead
            pass
        fa, fb = _real(fn(a)), _real(fn(b))
        if fa is None or fb is None:
            return (a + b) / 2
        if fa == 0 or fb == 0 or (fa > 0) == (fb > 0):
            return a if abs(fa) <= abs(fb) else b      # the sign change was rounding at an end
        for _ in range(int(3.33 * (prec + 10)) + 4):
            m = (a + b) / 2
            fm = _real(fn(m))
            if fm is None or fm == 0:
                return m
            if (fm > 0) == (fa > 0):
                a, fa = m, fm
            else:
                b = m
        return (a + b) / 2


def _at(fn: Callable[..., Any], vals: Sequence[Any]) -> Callable[[Any], Any]:
    """``fn`` at ``t`` and the parameters, real or ``None`` (one argument: ``findroot`` counts them)."""
    def at(t: Any) -> Any:
        try:
            return _real(fn(t, *vals))
        except (ValueError, ZeroDivisionError, TypeError, ArithmeticError):
            return None
    return at


def _breaks(compiled: _Compiled, vals: Sequence[Any], a: Any, b: Any, prec: int) -> list[Any]:
    """Points of the finite range (a, b) where a kink expression vanishes: where it changes sign,
    and where it touches or nears 0 (``1 - \\cos^2 x`` at pi, ``(x - 1)^2 + t^2`` at 1, a peak of
    width t: a zero of its derivative where it is below a hundredth of its largest value).
    Each is found to the digits of the probes at the ends (``_decay``), so that a probe 10^-2prec
    beside a jump is on its side."""
    import mpmath

    if not compiled.kinks or not (mpmath.isfinite(a) and mpmath.isfinite(b)):
        return []
    grid = [a + (b - a) * k / GRID for k in range(GRID + 1)]
    found: list[Any] = []
    for g, dg, stepped in compiled.kinks:
        at, slope = _at(g, vals), _at(dg, vals)
        with mpmath.workdps(20):
            ys, ds = [at(t) for t in grid], [slope(t) for t in grid]
        if stepped:
            cells = _levels(g, vals, grid, ys)
            if cells is None or len(found) + len(cells) > MAX_BREAKS:
                return []
            found.extend(_root(fn, grid[i], grid[i + 1], 3 * prec) for fn, i in cells)
            continue
        top = max((abs(y) for y in ys if y is not None), default=0)
        cells = []
        for i in range(GRID):
            y0, y1, d0, d1 = ys[i], ys[i + 1], ds[i], ds[i + 1]
            if y0 is None or y1 is None:
                continue
            if y0 == 0 and 0 < i:
                cells.append((None, i))
            elif y0 * y1 < 0:
                cells.append((at, i))
            elif d0 == 0 and 0 < i and abs(y0) <= top / 100:
                cells.append((None, i))         # a turn exactly at a grid point
            elif d0 is not None and d1 is not None and d0 * d1 < 0 and min(abs(y0), abs(y1)) <= top / 20:
                cells.append((slope, i))
        if len(found) + len(cells) > MAX_BREAKS:
            return []           # it oscillates faster than the grid: the error bound decides
        for fn, i in cells:
            t = grid[i] if fn is None else _root(fn, grid[i], grid[i + 1], 3 * prec)
            if fn is slope:
                with mpmath.workdps(prec):
                    y = at(t)
                if y is None or abs(y) > top / 100:
                    continue    # an extremum away from 0: no kink, and no narrow peak, there
            found.append(t)
    return sorted({t for t in found if a < t < b})


def _levels(g: Callable[..., Any], vals: Sequence[Any], grid: Sequence[Any],
            ys: Sequence[Any]) -> list[tuple[Callable[[Any], Any], int]] | None:
    """The cells where ``g`` crosses an integer, each with ``g - k`` for the integer k it crosses
    (``None``: more than ``MAX_BREAKS``)."""
    import mpmath

    out: list[tuple[Callable[[Any], Any], int]] = []
    for i in range(len(grid) - 1):
        y0, y1 = ys[i], ys[i + 1]
        if y0 is None or y1 is None:
            continue
        lo, hi = sorted((y0, y1))
        for k in range(int(mpmath.floor(lo)) + 1, int(mpmath.floor(hi)) + 1):     # lo < k <= hi
            out.append((_at(lambda t, *v, k=k: g(t, *v) - k, vals), i))
            if len(out) > MAX_BREAKS:
                return None
    return out
