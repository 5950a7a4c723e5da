"""In-process verification for ``equivalent()``: no worker round trip in the common case.

The verifier runs its layers in a killable worker process, so no step can run
longer than its bound.  For one pair of final answers that round trip (fork a
worker, pickle the job, wait, kill the worker) costs more than the algebra.
``QuickVerifier`` runs a layer in this process instead, when both hold:

- **a size guard** (``small``): at most ``MAX_NODES`` nodes in the job, no
  number above ``10^MAX_DIGITS``, numeric exponents at most ``MAX_POWER`` and
  matrices at most ``MAX_ENTRIES`` entries.  Together with the reader's guards
  and the verifier's capped sampling this keeps every C-level call (a GMP
  power, a big multiplication) short, so only Python-level work can be long;
- **an alarm on the main thread** (``in_process``): an interval timer raises
  ``Overrun`` (a ``BaseException``) after the layer's own time limit and again
  every ``REPEAT`` seconds, so an ``except`` that swallows one does not lift the
  bound; the memory cap of ``derive.bounds`` applies too.  The handler never
  raises inside this module's own frames or in an ``__exit__`` (a context manager
  restoring mpmath's precision is never cut short), and mpmath's precision and
  SymPy's global evaluation flags are restored afterwards.

An overrun counts as the worker's timeout (the same limit), so verdicts do not
change.  Anything else -- off the main thread, an alarm already pending, a job
beyond the guard, an exception or ``MemoryError`` inside the layer -- goes to
the worker as before, which decides exactly as it always did.
"""
from __future__ import annotations

import signal
import threading
from typing import Any, Callable

import sympy as sp

from ..bounds import Overrun, _memory_cap
from ..verify import Verifier

MAX_NODES = 1500
MAX_DIGITS = 60
MAX_POWER = 1000
MAX_ENTRIES = 64
#: seconds between repeated alarms once the limit has passed
REPEAT = 0.02


def _objects(job: Any) -> list[Any]:
    out = [job.lhs, job.rhs]
    for k, v in tuple(job.constraints) + tuple(job.matrix_constraints):
        out += [k, v]
    for sym, dom in job.domains:
        out += [sym, getattr(dom, "lo", None), getattr(dom, "hi", None)]
    return out


def small(job: Any) -> bool:
    """The job is within the size guard (see the module doc)."""
    nodes = 0
    for obj in _objects(job):
        if obj is None or isinstance(obj, (bool, str)):
            continue
        if isinstance(obj, (int, float)):
            obj = sp.Float(obj) if isinstance(obj, float) else sp.Integer(obj)
        if not isinstance(obj, sp.Basic):
            return False
        if isinstance(obj, sp.MatrixBase) and obj.rows * obj.cols > MAX_ENTRIES:
            return False
        items = obj if isinstance(obj, sp.MatrixBase) else (obj,)
        for item in items:
            for node in sp.preorder_traversal(item):
                nodes += 1
                if nodes > MAX_NODES:
                    return False
                if isinstance(node, sp.MatrixBase) and node.rows * node.cols > MAX_ENTRIES:
                    return False
                if isinstance(node, sp.Rational) and max(abs(node.p), node.q).bit_length() > MAX_DIGITS * 3.33:
                    return False
                if isinstance(node, sp.Float) and abs(node) > sp.Float(10) ** MAX_DIGITS:
                    return False
                if isinstance(node, sp.Pow) and node.exp.is_Rational \
                        and max(abs(node.exp.p), node.exp.q) > MAX_POWER:
                    return False
    return True


def _state() -> tuple[Any, ...]:
    import mpmath
    from sympy.core.parameters import global_parameters as gp

    return mpmath.mp.prec, gp.evaluate, gp.distribute, gp.exp_is_pow


def _restore(state: tuple[Any, ...]) -> None:
    import mpmath
    from sympy.core.parameters import global_parameters as gp

    prec, gp.evaluate, gp.distribute, gp.exp_is_pow = state
    mpmath.mp.prec = prec


def _ring(signum: int, frame: Any) -> None:
    if frame is not None and (frame.f_code in _OWN or frame.f_code.co_name == "__exit__"):
        return          # this module's bookkeeping, or a cleanup: the next alarm comes in REPEAT s
    raise Overrun()


def in_process(fn: Callable[[Any], Any], job: Any, timeout: float) -> tuple[bool, Any] | None:
    """``(True, fn(job))``, or ``(False, None)`` when it ran past ``timeout`` s; None when it
    cannot run here under the alarm (or raised: the worker decides those)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer") \
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        return None
    saved = _state()
    previous = signal.signal(signal.SIGALRM, _ring)
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout, REPEAT)
        try:
            with _memory_cap():
                return True, fn(job)
        except Overrun:
            return False, None
        except Exception:  # noqa: BLE001 - MemoryError under the cap, a deeper stack: ask the worker
            return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
        _restore(saved)


_OWN = {in_process.__code__, _ring.__code__, _memory_cap.__wrapped__.__code__}


class QuickVerifier(Verifier):
    """A ``Verifier`` whose layers run in this process when ``small`` and ``in_process`` allow."""

    def _call(self, fn: Callable[[Any], Any], job: Any, timeout: float) -> tuple[bool, Any]:
        if timeout > 0 and small(job):
            got = in_process(fn, job, timeout)
            if got is not None:
                return got
        return super()._call(fn, job, timeout)


__all__ = ["QuickVerifier", "in_process", "small"]
