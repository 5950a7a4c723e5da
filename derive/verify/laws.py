"""Named distributions (``LAWS``): how each is written, its parameters and its moments.

A variable declared with a law (``X \\sim \\mathcal{N}(\\mu, \\sigma^2)``) has its moments
from the law's moment generating function (``law_moment``); ``law_of`` reads the
law's head as written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import sympy as sp


_t = sp.Symbol("t")


@dataclass(frozen=True)
class Bound:
    """The implicit domain of one parameter of a law: above ``lo`` (at it too when ``closed``),
    an integer, at most 1 (a probability)."""

    lo: float | None = None
    closed: bool = False
    integer: bool = False
    at_most_one: bool = False

    def holds(self, value: float) -> bool:
        if self.integer and value != int(value):
            return False
        if self.lo is not None and (value < self.lo or (value == self.lo and not self.closed)):
            return False
        return not (self.at_most_one and value > 1)

    def describe(self) -> str:
        kind = "an integer" if self.integer else "a number"
        lo = "" if self.lo is None else f" {'>=' if self.closed else '>'} {self.lo:g}"
        return kind + lo + (" and <= 1" if self.at_most_one else "")


#: no constraint on a parameter (a mean, an end point of an interval)
ANY = Bound()
POSITIVE = Bound(lo=0)
PROBABILITY = Bound(lo=0, closed=True, at_most_one=True)


@dataclass(frozen=True)
class Law:
    """A named distribution: how it is written, its parameters and its MGF; ``bounds``: each
    parameter's implicit domain (a rate is positive...); ``ordered``: the first parameter is
    below the second (the end points of ``Uniform(a, b)``)."""

    name: str
    pattern: str                  # regular expression for the head as written
    arity: int
    mgf: Callable[..., sp.Expr]   # (t, *parameters) -> M(t)
    bounds: tuple[Bound, ...] = ()
    ordered: bool = False


LAWS: tuple[Law, ...] = (
    Law("normal", r"\\mathcal\s*\{?\s*N\s*\}?|\\text\s*\{\s*Normal\s*\}|N", 2,
        lambda t, mu, s2: sp.exp(mu * t + s2 * t ** 2 / 2), (ANY, POSITIVE)),
    Law("bernoulli", r"\\(?:mathrm|text|operatorname)\s*\{\s*(?:Bern(?:oulli)?|Ber)\s*\}|Bern(?:oulli)?", 1,
        lambda t, p: 1 - p + p * sp.exp(t), (PROBABILITY,)),
    Law("binomial", r"\\(?:mathrm|text|operatorname)\s*\{\s*(?:Bin(?:omial)?|B)\s*\}|Bin(?:omial)?", 2,
        lambda t, n, p: (1 - p + p * sp.exp(t)) ** n, (Bound(lo=1, closed=True, integer=True), PROBABILITY)),
    Law("poisson", r"\\(?:mathrm|text|operatorname)\s*\{\s*Pois(?:son)?\s*\}|Pois(?:son)?", 1,
        lambda t, lam: sp.exp(lam * (sp.exp(t) - 1)), (POSITIVE,)),
    Law("exponential", r"\\(?:mathrm|text|operatorname)\s*\{\s*Exp(?:onential)?\s*\}|Exp", 1,
        lambda t, lam: lam / (lam - t), (POSITIVE,)),
    Law("uniform", r"\\mathcal\s*\{?\s*U\s*\}?|\\(?:mathrm|text|operatorname)\s*\{\s*U(?:nif(?:orm)?)?\s*\}|U", 2,
        lambda t, a, b: (sp.exp(t * b) - sp.exp(t * a)) / (t * (b - a)), (ANY, ANY), True),
    Law("geometric", r"\\(?:mathrm|text|operatorname)\s*\{\s*Geom(?:etric)?\s*\}|Geom", 1,
        lambda t, p: p * sp.exp(t) / (1 - (1 - p) * sp.exp(t)), (Bound(lo=0, at_most_one=True),)),
)


def law_of(text: str) -> tuple[Law, str] | None:
    """``\\mathcal{N}(0, 1)`` -> (the normal law, ``(0, 1)``): the law and its written parameters."""
    for law in LAWS:
        m = re.match(r"\s*(?:" + law.pattern + r")\s*(?=\(|\[|\\left)", text)
        if m:
            return law, text[m.end():].strip()
    return None


def law_moment(law: Law, params: tuple[sp.Expr, ...], k: int) -> sp.Expr | None:
    """``E[X^k]`` for ``X`` with ``law``; ``None`` beyond the small orders kept."""
    if k > 6 or len(params) != law.arity:
        return None
    series = sp.series(law.mgf(_t, *params), _t, 0, k + 1).removeO()
    return sp.simplify(series.coeff(_t, k) * sp.factorial(k))


__all__ = ["Bound", "Law", "LAWS", "law_of", "law_moment"]
