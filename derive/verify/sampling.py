"""Sample points over the declared domains of a step's symbols."""
from __future__ import annotations

import random
from typing import Mapping

import sympy as sp

from ..domains import domain_of
from .job import _elementary, _free_symbols, _Job


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
