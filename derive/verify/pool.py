"""Worker processes with wall-clock limits (no SIGALRM, so it works off the main thread)."""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from multiprocessing.pool import Pool
from typing import Any, Callable

#: Set by ``make mutation`` only: run layers in this process so that the mutation tool sees
#: which tests reach which functions (work done in a worker process is invisible to it).
INPROCESS_ENV = "DERIVE_INPROCESS_WORKERS"


class _Expired(BaseException):
    """Raised by the in-process timer; a BaseException so SymPy's ``except Exception`` passes it on."""


def _inprocess(fn: Callable[[Any], Any], job: Any, timeout: float) -> tuple[bool, Any]:
    """``fn(job)`` in this process, bounded by an interval timer when on the main thread."""
    if threading.current_thread() is not threading.main_thread():
        return True, fn(job)

    def expire(*_: Any) -> None:
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return True, fn(job)
    except _Expired:
        return False, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _guarded(fn: Callable[[Any], Any], job: Any) -> Any:
    """Run a layer; an exception inside SymPy means "undecided", not a crash."""
    try:
        return fn(job)
    except Exception:  # noqa: BLE001 - SymPy raises many kinds
        return None


class WorkerPool:
    """One worker for single calls and a pool of ``workers`` for batches, both killable."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: Pool | None = None
        self._batch_pool: Pool | None = None

    def call(self, fn: Callable[[Any], Any], job: Any, timeout: float) -> tuple[bool, Any]:
        """Run ``fn(job)`` in the worker; ``(False, None)`` on timeout."""
        if timeout <= 0:
            return True, fn(job)
        if os.environ.get(INPROCESS_ENV):
            return _inprocess(fn, job, timeout)
        if self._pool is None:
            self._pool = _context().Pool(1)
        pending = self._pool.apply_async(fn, (job,))
        try:
            return True, pending.get(timeout)
        except multiprocessing.TimeoutError:
            # The worker may be deep inside SymPy; killing it is the only bound.
            self._pool.terminate()
            self._pool = None
            return False, None

    def run_batch(self, fn: Callable[[Any], Any], jobs: list[Any], timeout: float) -> list[tuple[bool, Any]]:
        """Run ``fn`` on every job across the batch processes.

        Results are collected in order, each waited for at most ``timeout``
        seconds; on a timeout the pool is killed and the rest resubmitted, so a
        runaway job is bounded without SIGALRM.
        """
        if not jobs:
            return []
        if timeout <= 0:
            return [(True, _guarded(fn, job)) for job in jobs]
        if os.environ.get(INPROCESS_ENV):
            return [_inprocess(lambda j: _guarded(fn, j), job, timeout) for job in jobs]
        if self._batch_pool is None:
            self._batch_pool = _context().Pool(self.workers)
        pending = [self._batch_pool.apply_async(_guarded, (fn, job)) for job in jobs]
        out: list[tuple[bool, Any]] = []
        for i, result in enumerate(pending):
            try:
                out.append((True, result.get(timeout)))
            except multiprocessing.TimeoutError:
                self._batch_pool.terminate()
                self._batch_pool = None
                out.append((False, None))
                return out + self.run_batch(fn, jobs[i + 1:], timeout)
        return out

    def close(self) -> None:
        for pool in (self._pool, self._batch_pool):
            if pool is not None:
                pool.terminate()
        self._pool = self._batch_pool = None
