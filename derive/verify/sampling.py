"""Sample points over the declared domains of a step's symbols.

A domain is covered by *strata*: an unconstrained real gets moderate values,
values near 0 and near ±1, and large magnitudes up to about 1e6, of both signs;
a positive symbol the same magnitudes; an integer small, moderate and large
integers; a bounded symbol values near both ends and in between; a closed end
is sampled exactly.  Point ``i`` of a step takes, for each symbol, the stratum
``(i + offset) mod len`` with a random offset per symbol, so every stratum of
every symbol is visited and the combinations vary.  The first two points are
moderate for every symbol: they catch most wrong steps, at the lowest cost.

Values are exact rationals (4 significant digits) or integers, so the numeric
layer evaluates exactly where it can.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping

import sympy as sp

from ..domains import Domain, domain_of
from .job import _elementary, _free_symbols, _Job

Draw = Callable[[random.Random], sp.Expr]


@dataclass(frozen=True)
class Stratum:
    """One region of a domain and how to draw a value from it."""

    name: str
    draw: Draw


def _rat(x: float) -> sp.Rational:
    """``x`` as a rational with about 4 significant digits (never exactly 0)."""
    if x == 0:
        return sp.Rational(1, 7)
    k = 3 - int(math.floor(math.log10(abs(x))))
    q = sp.Rational(round(x * 10**k)) / sp.Integer(10) ** k if k >= 0 \
        else sp.Integer(round(x / 10 ** (-k))) * sp.Integer(10) ** (-k)
    return q if q != 0 else sp.Rational(1, 7)


def _signed(draw: Callable[[random.Random], float], both: bool) -> Draw:
    return lambda rng: _rat(draw(rng) * (rng.choice((-1, 1)) if both else 1))


def _log_uniform(lo_exp: float, hi_exp: float) -> Callable[[random.Random], float]:
    return lambda rng: 10 ** rng.uniform(lo_exp, hi_exp)


def _real_strata(dom: Domain) -> tuple[Stratum, ...]:
    lo, hi = dom.lo, dom.hi
    if lo is None and hi is None:
        return (
            Stratum("moderate", _signed(lambda r: r.uniform(0.2, 3.0), True)),
            Stratum("near 0", _signed(_log_uniform(-3, -1), True)),
            Stratum("near ±1", _signed(lambda r: 1 + r.choice((-1, 1)) * 10 ** r.uniform(-3, -1), True)),
            Stratum("large", _signed(_log_uniform(0.5, 6), True)),
            Stratum("medium", _signed(lambda r: r.uniform(3.0, 12.0), True)),
        )
    if hi is None or lo is None:
        # Half-bounded: the end, just beyond it, and up to 1e6 away from it.
        end = lo if hi is None else hi
        away = 1.0 if hi is None else -1.0
        out = [
            Stratum("moderate", lambda r: _rat(end + away * r.uniform(0.2, 3.0)) if end != 0
                    else _rat(away * r.uniform(0.2, 3.0))),
            Stratum("near the end", lambda r: _offset(end, away * 10 ** r.uniform(-3, -1))),
            Stratum("near 1", lambda r: _offset(end, away * (1 + r.choice((-1, 1)) * 10 ** r.uniform(-3, -1)))),
            Stratum("large", lambda r: _offset(end, away * 10 ** r.uniform(0.5, 6))),
            Stratum("medium", lambda r: _offset(end, away * r.uniform(3.0, 12.0))),
        ]
        if (dom.closed_lo and hi is None) or (dom.closed_hi and lo is None):
            out.append(Stratum("the closed end", lambda r: sp.nsimplify(end)))
        return tuple(out)
    width = hi - lo
    out = [
        Stratum("middle", lambda r: _rat(lo + width * r.uniform(0.02, 0.98))),
        Stratum("near the lower end", lambda r: _offset(lo, width * 10 ** r.uniform(-4, -1.3))),
        Stratum("near the upper end", lambda r: _offset(hi, -width * 10 ** r.uniform(-4, -1.3))),
    ]
    if dom.closed_lo:
        out.append(Stratum("the closed end", lambda r: sp.nsimplify(lo)))
    if dom.closed_hi:
        out.append(Stratum("the closed upper end", lambda r: sp.nsimplify(hi)))
    return tuple(out)


def _offset(end: float, delta: float) -> sp.Rational:
    """``end + delta`` exactly, with ``delta`` rounded to 4 significant digits."""
    return sp.nsimplify(end) + _rat(delta)


def _least_integer(dom: Domain) -> int:
    """The least integer of a domain bounded below (integers >= 5/2 start at 3, > 2 at 3)."""
    return int(math.ceil(dom.lo)) if dom.closed_lo else int(math.floor(dom.lo)) + 1


def _integer_strata(dom: Domain, small: bool) -> tuple[Stratum, ...]:
    if dom.lo is None:
        def around(a: int, b: int) -> Draw:
            return lambda r: sp.Integer(r.randint(a, b) * r.choice((-1, 1)))
        if small:
            return Stratum("small", lambda r: sp.Integer(r.randint(-6, 6))), Stratum("zero", lambda r: sp.Integer(0))
        return (Stratum("small", lambda r: sp.Integer(r.randint(-6, 6))), Stratum("moderate", around(7, 40)),
                Stratum("large", around(100, 1000)))
    first = _least_integer(dom)

    def span(a: int, b: int) -> Draw:
        return lambda r: sp.Integer(first + r.randint(a, b))
    if small:
        return Stratum("small", span(0, 6)), Stratum("the least", span(0, 0))
    return (Stratum("small", span(0, 6)), Stratum("the least", span(0, 0)), Stratum("moderate", span(7, 40)),
            Stratum("large", span(100, 1000)))


def strata(dom: Domain, small: bool = False, capped: bool = False) -> tuple[Stratum, ...]:
    """The strata of ``dom``; ``small`` keeps integers small (bounds of sums), ``capped``
    drops the large magnitudes (exponents: ``x^n`` at ``x = n = 10^6`` has 6 million digits)."""
    out = _integer_strata(dom, small) if dom.integer else _real_strata(dom)
    return tuple(st for st in out if st.name != "large") if capped else out


def _moderate(dom: Domain, rng: random.Random, small: bool) -> sp.Expr:
    """A typical value: what the first, cheap points use."""
    if dom.integer:
        return strata(dom, small)[0].draw(rng)
    return dom.sample(rng)


def _labels(*objs: Any) -> set[sp.Basic]:
    # The label of an IndexedBase names an array, not a value: substituting a
    # number for it would strip the entries' assumptions (yhat[i, c] > 0).
    return {b.label for o in objs if isinstance(o, sp.Basic) for b in o.atoms(sp.IndexedBase)}


def _limit_symbols(*objs: Any) -> set[sp.Symbol]:
    """Symbols in the bounds of sums and products: kept small, so sums stay cheap."""
    out: set[sp.Symbol] = set()
    for o in objs:
        if isinstance(o, sp.Basic):
            for s in o.atoms(sp.Sum, sp.Product):
                for lim in s.limits:
                    for end in lim[1:]:
                        out |= _free_symbols(end)
    return out


def exponent_symbols(*objs: Any) -> set[sp.Symbol]:
    """Symbols in exponents: kept to moderate magnitudes, so exact powers stay small."""
    out: set[sp.Symbol] = set()
    for o in objs:
        if isinstance(o, sp.Basic):
            for p in o.atoms(sp.Pow):
                if p.exp.free_symbols:
                    out |= _free_symbols(p.exp)
    return out


def step_symbols(job: _Job) -> list[sp.Symbol]:
    """The symbols a point of ``job`` assigns (sorted by name)."""
    # Defined notation unfolds first: a density's display name (p in p(x)) is no value.
    sides = (_elementary(job.lhs), _elementary(job.rhs))
    return sorted(_free_symbols(*sides) - _labels(job.lhs, job.rhs), key=lambda s: s.name)


#: How many of an integer's first values a one-symbol step always meets (2^n >= n^2 fails
#: only at n = 3; a random draw from the small stratum missed it).
FIRST_INTEGERS = 13


def _first_integers(dom: Domain, small: bool) -> tuple[sp.Integer, ...]:
    if not dom.integer:
        return ()
    many = 7 if small else FIRST_INTEGERS      # a bound of a sum stays within the small stratum
    if dom.lo is None:
        return tuple(sp.Integer(v) for k in range(FIRST_INTEGERS // 2 + 1) for v in ((k, -k) if k else (0,)))[:many]
    first = _least_integer(dom)
    return tuple(sp.Integer(first + k) for k in range(many)
                 if dom.hi is None or first + k < dom.hi or (dom.closed_hi and first + k == dom.hi))


def points(job: _Job, rng: random.Random, count: int, symbols: list[sp.Symbol] | None = None,
           moderate_first: int = 2) -> Iterator[dict[sp.Symbol, sp.Expr]]:
    """``count`` points spread over every stratum of every symbol's domain."""
    declared = dict(job.domains)
    syms = step_symbols(job) if symbols is None else symbols
    small = _limit_symbols(job.lhs, job.rhs)
    capped = exponent_symbols(_elementary(job.lhs), _elementary(job.rhs))
    layers = {s: strata(domain_of(s, declared), s in small, s in capped) for s in syms}
    offsets = {s: rng.randrange(len(layers[s])) for s in syms}
    walk = _first_integers(domain_of(syms[0], declared), syms[0] in small) if len(syms) == 1 else ()
    for i in range(count):
        if 0 <= i - moderate_first < len(walk):     # one integer: its first values, every one
            yield {syms[0]: walk[i - moderate_first]}
            continue
        if i < moderate_first:
            yield {s: _moderate(domain_of(s, declared), rng, s in small) for s in syms}
            continue
        yield {s: layers[s][(i + offsets[s]) % len(layers[s])].draw(rng) for s in syms}


def _sample(job: _Job, rng: random.Random) -> dict[sp.Symbol, sp.Expr]:
    """One moderate point (the old single-point sampler, kept for callers)."""
    return next(points(job, rng, 1))


class ValuesOnly(dict):
    """A point that may refute a step only by differing values, never by an undefined side
    (simple points such as a = 0 meet conventions like a^{n-k} u[n-k] = 0 for k > n)."""


def _counterexample(point: Mapping[sp.Symbol, sp.Expr]) -> dict[str, str]:
    return {s.name: str(v) for s, v in point.items()}
