"""The verdict cache interface and the key a verdict is stored under."""
from __future__ import annotations

import hashlib
from typing import Any

import sympy as sp

from ..step import Verdict
from . import sums
from .job import _free_symbols, _Job

#: Bump when verification semantics change, so cached verdicts are not reused.
VERSION = "7"


class VerdictCache:
    """In-memory verdict cache; subclasses persist it (see ``cache``)."""

    def __init__(self) -> None:
        self._data: dict[str, Verdict] = {}

    def get(self, key: str) -> Verdict | None:
        return self._data.get(key)

    def put(self, key: str, verdict: Verdict) -> None:
        self._data[key] = verdict


def step_key(job: _Job) -> str:
    """Hash of what is verified: both sides, relation, tolerance and domains."""
    def rep(o: Any) -> str:
        return sp.srepr(o) if isinstance(o, sp.Basic) else repr(o)

    used = _free_symbols(job.lhs, job.rhs)
    doms = sorted((sp.srepr(s), repr(d)) for s, d in job.domains if s in used)
    payload = "\x1f".join([VERSION, rep(job.lhs), job.rel.value, rep(job.rhs), repr(job.tol), repr(doms)]
                           + [rep(x) for kv in job.constraints for x in kv] + (["sums"] if sums.applies(job) else []))
    if job.matrix_constraints:
        payload += "\x1f" + repr([(rep(k), rep(v)) for k, v in job.matrix_constraints])
    return hashlib.sha256(payload.encode()).hexdigest()
