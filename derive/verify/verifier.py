"""The verifier: checks steps through the layers, caches verdicts, checks cited facts.

Layer 1 evaluates both sides at a few points of the declared domains and can
only *reject*.  Layer 2 tries targeted symbolic strategies.  Layer 3, reached
only when layer 2 is undecided or timed out, evaluates at many points with many
digits and yields ``numeric``, reported as probable, never as proved.  Symbolic
work runs in a killable worker process (``pool``).
"""
from __future__ import annotations

import contextlib
import hashlib
import threading
from typing import Any, Callable, Iterable, Iterator

import sympy as sp

from ..config import DEFAULT, Config
from ..errors import CrossCheckError, InvalidStepError
from ..step import Derivation, Rel, Step, Verdict, VerifiedDerivation, same_side
from .cache import VerdictCache, step_key
from .facts import PREMISE_RULES, _instance_of
from .job import Domains, _Job, prepare
from .layers import _run_filter_and_proof, _run_numeric
from .pool import WorkerPool
from . import sums


#: ``sp.srepr`` of the last sides seen, by identity (a step's job is made again for its diagnosis)
_REPRS: dict[int, tuple[Any, str]] = {}


def _srepr(e: Any) -> str:
    """``sp.srepr(e)``, computed once per object (SymPy objects are immutable)."""
    hit = _REPRS.get(id(e))
    if hit is not None and hit[0] is e:
        return hit[1]
    if len(_REPRS) >= 64:
        _REPRS.clear()
    text = sp.srepr(e)
    _REPRS[id(e)] = (e, text)
    return text


class Verifier:
    """Checks steps; reuse one instance for a whole build (it keeps a worker)."""

    def __init__(self, config: Config = DEFAULT, cache: VerdictCache | None = None) -> None:
        self.config = config
        self.cache = cache if cache is not None else VerdictCache()
        self._workers = WorkerPool(config.worker_count())
        self._fresh: dict[str, Verdict] = {}
        self._repeating = False            # inside ``repeated``: cache hits are this run's own verdicts
        self._jobs: dict[int, tuple[Step, tuple, _Job, str]] = {}
        self._lock = threading.Lock()
        self.stats = {"cached": 0, "verified": 0}

    # -- worker management ------------------------------------------------- #
    def _call(self, fn: Callable[[_Job], Any], job: _Job, timeout: float) -> tuple[bool, Any]:
        """Run ``fn(job)`` in the worker; ``(False, None)`` on timeout."""
        return self._workers.call(fn, job, timeout)

    def _run_batch(self, fn: Callable[[_Job], Any], jobs: list[_Job], timeout: float) -> list[tuple[bool, Any]]:
        return self._workers.run_batch(fn, jobs, timeout)

    def prefetch(self, items: Iterable[tuple[Step, Domains]]) -> None:
        """Verify many steps in parallel ahead of ``verify_step`` calls.

        Verdicts land in the cache (and, for undecided ones, in this run's
        memory), so the ordered pass that reports the first failure is cheap.
        """
        with self._lock:
            todo: dict[str, _Job] = {}
            for step, domains in items:
                job, key = self._job_key(step, domains)
                if key not in todo and key not in self._fresh and self.cache.get(key) is None:
                    todo[key] = job
            keys, jobs = list(todo), list(todo.values())
            first = self._run_batch(_run_filter_and_proof, jobs, self.config.timeout)
            verdicts: dict[str, Verdict | None] = {k: r for k, (_, r) in zip(keys, first)}
            rest = [k for k in keys if verdicts[k] is None]
            second = self._run_batch(_run_numeric, [todo[k] for k in rest], self.config.numeric_time())
            for k, (finished, r) in zip(rest, second):
                verdicts[k] = r if finished and r is not None else Verdict(
                    "unknown", "timeout", f"not decided within {self.config.timeout:g} s")
            for k, v in verdicts.items():
                self._fresh[k] = v
                if v.status != "unknown":
                    self.cache.put(k, v)

    def close(self) -> None:
        self._workers.close()

    @contextlib.contextmanager
    def repeated(self) -> Iterator[None]:
        """Verify steps this run has just verified: their verdicts come back from the cache,
        but they are no verdicts *from the cache* in the build's summary."""
        self._repeating = True
        try:
            yield
        finally:
            self._repeating = False

    def __enter__(self) -> "Verifier":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public API -------------------------------------------------------- #
    def job(self, step: Step, domains: Domains) -> _Job:
        lhs, rhs = prepare(step.lhs, step.facts), prepare(step.rhs, step.facts)
        tol = None if step.tol is None else float(step.tol)
        doms = tuple(sorted(domains.items(), key=lambda kv: kv[0].name))
        key_seed = int(hashlib.sha256((_srepr(lhs) + _srepr(rhs)).encode()).hexdigest()[:8], 16)
        matrix_constraints = tuple((k, v) for k, v in step.facts
                                   if isinstance(k, sp.MatrixExpr) and not isinstance(k, (sp.MatrixSymbol, sp.MatrixBase)))
        return _Job(lhs, step.rel, rhs, doms, tol, self.config.seed ^ key_seed,
                    self.config.filter_points, self.config.numeric_points, self.config.precision,
                    self.config.timeout, sums.constraints(step.facts, lhs, rhs), matrix_constraints,
                    exact_tol=step.tol if isinstance(step.tol, sp.Rational) else None)

    def _job_key(self, step: Step, domains: Domains) -> tuple[_Job, str]:
        """``job`` and its ``step_key``, computed once per step object (a step is frozen, and
        prefetch, ``verify`` and ``verify_step`` all ask for the same steps)."""
        doms = tuple(sorted(domains.items(), key=lambda kv: kv[0].name))
        hit = self._jobs.get(id(step))
        if hit is not None and hit[0] is step and hit[1] == doms:
            return hit[2], hit[3]
        job = self.job(step, domains)
        key = step_key(job)
        self._jobs[id(step)] = (step, doms, job, key)
        return job, key

    def verify_step(self, step: Step, domains: Domains) -> Verdict:
        with self._lock:
            job, key = self._job_key(step, domains)
            if key in self._fresh:
                self.stats["verified"] += 1
                return self._fresh.pop(key)
            cached = self.cache.get(key)
            if cached is not None:
                self.stats["cached"] += not self._repeating
                return cached
            verdict = self._verify_job(job)
            self.stats["verified"] += 1
            if verdict.status != "unknown":
                self.cache.put(key, verdict)
            return verdict

    def _verify_job(self, job: _Job) -> Verdict:
        try:
            finished, verdict = self._call(_run_filter_and_proof, job, self.config.timeout)
        except Exception as exc:  # noqa: BLE001 - SymPy raises many kinds; fall through
            finished, verdict = True, None
            _ = exc
        if verdict is not None:
            return verdict
        try:
            finished, verdict = self._call(_run_numeric, job, self.config.numeric_time())
        except Exception:  # noqa: BLE001 - an undecidable evaluation is "unknown", not a crash
            return Verdict("unknown", "numeric", "could not evaluate the sides")
        if not finished:
            return Verdict("unknown", "timeout", f"not decided within {self.config.timeout:g} s")
        return verdict

    def verify(self, derivation: Derivation) -> VerifiedDerivation:
        """Verify every step; raise ``InvalidStepError`` on the first failure.

        A step's facts must be premises (rules in ``PREMISE_RULES``) or instances
        of equations established by earlier steps, so facts cannot smuggle in an
        unverified claim.  Failed cross-checks raise ``CrossCheckError``.
        """
        from ..printer import tex

        self.prefetch((s, derivation.domains) for s in derivation.steps())
        all_verdicts = []
        established: list[tuple[Any, Any]] = []
        prev: Step | None = None
        chain_start: Any = None
        number = 0
        for part in derivation.parts:
            verdicts = []
            for step in part.steps:
                number += 1
                where = f"part ({part.label})" if part.label else "derivation"
                if step.why.rule not in PREMISE_RULES:
                    for k, val in step.facts:
                        if not any(_instance_of(k, val, L, R) for L, R in established):
                            raise InvalidStepError(
                                f"pipeline {derivation.pipeline}: step {number} in {where} "
                                f"[{step.why.rule}] uses the fact {tex(k)} = {tex(val)}, "
                                "which no earlier step establishes")
                v = self.verify_step(step, derivation.domains)
                if not v.ok:
                    cex = ""
                    if v.counterexample:
                        cex = "; counterexample " + ", ".join(f"{k}={x}" for k, x in v.counterexample.items())
                    raise InvalidStepError(
                        f"pipeline {derivation.pipeline}: step {number} in {where} "
                        f"[{step.why.rule}] is {v.status}: {tex(step.lhs)} {step.rel.latex} {tex(step.rhs)}"
                        f" ({v.message}{cex})"
                    )
                verdicts.append(v)
                if step.rel is Rel.EQ:
                    established.append((step.lhs, step.rhs))
                    # A chain a = b = c also establishes a = c.
                    if prev is not None and prev.rel is Rel.EQ and same_side(step.lhs, prev.rhs):
                        chain_start = chain_start if chain_start is not None else prev.lhs
                        established.append((chain_start, step.rhs))
                    else:
                        chain_start = None
                prev = step
            for row in part.checks:
                if not row.ok:
                    raise CrossCheckError(
                        f"pipeline {derivation.pipeline}: cross-check of {tex(row.quantity)} failed: "
                        f"closed form {row.exact:.10g}, {row.method} gives {row.estimate:.10g} "
                        f"(tolerance {row.tolerance:.3g})")
            all_verdicts.append(tuple(verdicts))
        return VerifiedDerivation(derivation, tuple(all_verdicts))
