"""Symbol domains: declared once per pipeline, used to prove and to sample.

A ``Domain`` carries both the SymPy assumptions that make symbolic proofs work
(``positive=True``...) and the bounds SymPy cannot express on a symbol (such as
``beta < 1``).  The verifier samples from the bounds and, to prove inequalities,
re-parametrises a bounded symbol by an unbounded positive one.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Mapping

import sympy as sp


@dataclass(frozen=True)
class Domain:
    """A set of values a symbol ranges over.

    ``lo``/``hi`` are open bounds unless ``closed_lo``/``closed_hi``; ``None`` means unbounded.
    ``integer`` domains are sampled from small values so that sums with symbolic
    limits stay cheap to expand numerically.
    """

    name: str
    lo: float | None = None
    hi: float | None = None
    integer: bool = False
    closed_lo: bool = False
    #: 0 excluded (``% derive: assume x \ne 0``); real domains are never sampled at 0 anyway
    nonzero: bool = False
    #: other excluded points (``% derive: assume x \ne 1``): exact rationals; the SymPy
    #: assumptions are unchanged (the symbol stays the same object)
    excluded: tuple[sp.Rational, ...] = ()
    #: the upper end belongs to the domain (``x \le 1``, ``[0, 1]``)
    closed_hi: bool = False

    def assumptions(self) -> dict[str, bool]:
        """SymPy assumptions implied by this domain."""
        # Minimal keys, so Symbol("s", positive=True) written in a test is the
        # same symbol as the one a POSITIVE parameter makes.
        out: dict[str, bool] = {}
        if self.integer:
            out["integer"] = True
        if self.lo is not None and (self.lo > 0 or (self.lo == 0 and not self.closed_lo)):
            out["positive"] = True
        elif self.lo is not None and self.lo >= 0:
            out["nonnegative"] = True
        elif not self.integer:
            out["real"] = True
        if self.nonzero and not out.get("positive"):
            out["nonzero"] = True
        return out

    def symbol(self, name: str) -> sp.Symbol:
        return sp.Symbol(name, **self.assumptions())

    def contains(self, value: sp.Expr) -> bool | None:
        """Whether a concrete value lies in the domain (``None`` if undecidable)."""
        value = sp.sympify(value)
        if value.free_symbols:
            return None
        if not value.is_real:
            return False if value.is_real is False else None
        if self.integer and value.is_integer is False:
            return False
        if self.nonzero and value == 0:
            return False
        if any(value == e for e in self.excluded):
            return False
        if self.lo is not None:
            ok = value >= self.lo if self.closed_lo else value > self.lo
            if ok == sp.false:
                return False
        if self.hi is not None:
            ok = value <= self.hi if self.closed_hi else value < self.hi
            if ok == sp.false:
                return False
        return True

    def describe(self, sym: str) -> str:
        """Human description used in sheets and error messages."""
        if self.integer and self.lo is not None:
            first = int(self.lo) if self.closed_lo else int(math.floor(self.lo)) + 1
            return f"{sym} is an integer >= {first}"
        parts = []
        if self.lo is not None:
            parts.append(f"{sym} {'>=' if self.closed_lo else '>'} {self.lo:g}")
        if self.hi is not None:
            parts.append(f"{sym} {'<=' if self.closed_hi else '<'} {self.hi:g}")
        if self.nonzero:
            parts.append(f"{sym} != 0")
        parts += [f"{sym} != {e}" for e in self.excluded]
        if not parts:
            return f"{sym} is an integer" if self.integer else f"{sym} is real"
        return " and ".join(parts)

    def sample(self, rng: random.Random) -> sp.Expr:
        """A random exact value inside the domain (rationals keep layers exact)."""
        if self.integer:
            lo = 1 if self.lo is None else (int(self.lo) if self.closed_lo else int(math.floor(self.lo)) + 1)
            n = sp.Integer(rng.randint(lo, lo + 6))
            while n in self.excluded:
                n += 1
            return n
        lo = -3.0 if self.lo is None else self.lo
        hi = (lo + 4.0) if self.hi is None else self.hi
        if self.lo is None and self.hi is not None:
            lo = self.hi - 4.0
        # Stay away from open endpoints, where many formulas are singular.
        margin = (hi - lo) * 0.02
        x = rng.uniform(lo + margin, hi - margin)
        value = sp.Rational(round(x * 1000), 1000) if round(x * 1000) != 0 else sp.Rational(1, 7)
        return value + sp.Rational(1, 7000) if value in self.excluded else value

    def reparametrise(self, sym: sp.Symbol, fresh: sp.Symbol) -> sp.Expr | None:
        """Express ``sym`` through a positive ``fresh`` symbol covering the domain.

        Used to prove inequalities: SymPy decides signs of expressions in positive
        symbols far better than in symbols with bounds it cannot represent.
        """
        if self.integer:
            return None
        lo = None if self.lo is None else sp.nsimplify(self.lo)
        hi = None if self.hi is None else sp.nsimplify(self.hi)
        # A closed end is reached at fresh = 0, so the fresh symbol is then only nonnegative
        # (a positive one would leave the end out and prove x > 1 from x >= 1).
        closed = sp.Dummy(fresh.name, nonnegative=True)
        if lo is not None and hi is not None:
            if self.closed_lo and self.closed_hi:
                return None             # no one rational map covers both closed ends
            if self.closed_hi:
                return hi - (hi - lo) * closed / (1 + closed)
            u = closed if self.closed_lo else fresh
            return lo + (hi - lo) * u / (1 + u)
        if lo is not None and lo != 0:
            return lo + (closed if self.closed_lo else fresh)
        if hi is not None:
            return hi - (closed if self.closed_hi else fresh)
        return None


REAL = Domain("real")
INTEGER = Domain("integer", integer=True)
POSITIVE = Domain("positive", lo=0.0)
NONNEGATIVE = Domain("nonnegative", lo=0.0, closed_lo=True)
POSITIVE_INTEGER = Domain("positive integer", lo=1, integer=True, closed_lo=True)
NONNEGATIVE_INTEGER = Domain("nonnegative integer", lo=0, integer=True, closed_lo=True)
UNIT_INTERVAL = Domain("(0, 1)", lo=0.0, hi=1.0)
PROBABILITY = UNIT_INTERVAL


def integer_at_least(k: int) -> Domain:
    return Domain(f"integer >= {k}", lo=k, integer=True, closed_lo=True)


def domain_of(sym: sp.Symbol, declared: Mapping[sp.Symbol, Domain]) -> Domain:
    """The declared domain of ``sym``, else one read off its SymPy assumptions."""
    if sym in declared:
        return declared[sym]
    if sym.is_integer:
        if sym.is_positive:
            return POSITIVE_INTEGER
        if sym.is_nonnegative:
            return NONNEGATIVE_INTEGER
        return INTEGER
    if sym.is_positive:
        return POSITIVE
    if sym.is_nonnegative:
        return NONNEGATIVE
    return REAL
