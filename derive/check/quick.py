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

**Proof first** (``proof_first``): in this process, a polynomial equation (two polynomial
sides, no integral, sum, matrix, random variable, tolerance or given) tries the verifier's own
first zero strategies (``identical``, then ``expand``) before the numeric filter.  Polynomials
have a value at every point, so the filter, which can only reject, cannot reject what these
prove (``lhs - rhs`` rewritten exactly to 0): the verdict is the one the verifier gives after
its filter, with the same strategy named.  Not so for a quotient or a root (``(x^2 - 1)/(x - 1)
= x + 1`` is undefined at 1, which the filter reports), so those and everything else run the
verifier's layers unchanged (``tests/check/test_quick_proof_first.py`` compares the two).
"""
from __future__ import annotations

import signal
import threading
from typing import Any, Callable

import sympy as sp

from ..bounds import Overrun, _memory_cap
from ..step import Rel, Verdict, same_side
from ..verify import Verifier
from ..verify import emptysums, sums
from ..verify.distributions import is_random_step
from ..verify.job import _elementary
from ..verify.layers import (_divergent, _finite_claim, _rounded_constants, _run_filter_and_proof,
                             _undefined_side)
from ..verify.matrices import is_matrix_step
from ..verify.symbolic import _is_zero, _zero_strategies, improper_values

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


#: the largest Float the guard lets through, and the bits of the largest Rational's numerator or denominator
_FLOAT_LIMIT = 10.0 ** MAX_DIGITS
_BITS = MAX_DIGITS * 3.33


def small(job: Any) -> bool:
    """The job is within the size guard (see the module doc)."""
    nodes = 0
    for obj in _objects(job):
        if obj is None or isinstance(obj, (bool, str)):
            continue
        if isinstance(obj, (int, float)):        # a domain's end: one node
            nodes += 1
            if nodes > MAX_NODES or abs(obj) > _FLOAT_LIMIT or isinstance(obj, int) and abs(obj).bit_length() > _BITS:
                return False
            continue
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
                if isinstance(node, sp.Rational):
                    if max(abs(node.p), node.q).bit_length() > _BITS:
                        return False
                elif isinstance(node, sp.Float):
                    if abs(float(node)) > _FLOAT_LIMIT:
                        return False
                elif isinstance(node, sp.Pow):
                    if node.exp.is_Rational and max(abs(node.exp.p), node.exp.q) > MAX_POWER:
                        return False
                elif isinstance(node, sp.MatrixBase) and node.rows * node.cols > MAX_ENTRIES:
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


#: the notation the layers decide apart from plain algebra
_APART = (sp.Integral, sp.Sum, sp.Product, sp.Piecewise, sp.Limit, sp.Derivative, sp.Indexed, sp.MatrixExpr)
#: the verifier's zero strategies tried before the filter: its first ones, in its order
_CHEAP = ("identical", "expand")


def _plain(job: Any) -> bool:
    """A polynomial equation that the first layers would send to the filter."""
    if job.rel is not Rel.EQ or job.tol is not None or job.exact_tol is not None or job.constraints \
            or job.matrix_constraints:
        return False
    if not all(isinstance(side, sp.Expr) and not isinstance(side, sp.MatrixBase) and not side.has(*_APART)
               and side.is_polynomial() for side in (job.lhs, job.rhs)):
        return False
    if is_matrix_step(job) or is_random_step(job) or sums.applies(job) or emptysums.explicit(job) is not job:
        return False
    if _undefined_side(job) or emptysums.refute(job) or _finite_claim(job) or _divergent(job) \
            or _rounded_constants(job):
        return False
    return not same_side(job.lhs, job.rhs)      # identical sides: decided before the filter anyway


def _cheap_zero(job: Any) -> str | None:
    """The name of the first of the verifier's cheap zero strategies that proves ``lhs - rhs = 0``,
    in the verifier's order (``symbolic._prove_zero``); None when neither does."""
    d = job.lhs - job.rhs
    if _elementary(d) != d:
        return None         # notation unfolded first: _prove_zero's other order
    strategies = _zero_strategies(dict(job.domains))[:len(_CHEAP)]
    if tuple(name for name, _ in strategies) != _CHEAP:
        return None         # the verifier's order changed: nothing is decided here
    for name, strategy in strategies:
        try:
            if _is_zero(strategy(d)):
                return name
        except (NotImplementedError, TypeError, ValueError, AttributeError, RecursionError):
            pass
    return None


def _differs(job: Any) -> bool:
    """The polynomial ``lhs - rhs`` is plainly not 0 at one rational point, so no strategy proves
    it zero: the layers decide at once (their filter rejects).  Only which path runs depends on
    it, never a verdict: ``False`` tries the cheap strategies, which prove or fall through.  (A
    polynomial has a value everywhere and is 0 on the domain only if it is 0: any point will do.)"""
    d = job.lhs - job.rhs
    syms = sorted(d.free_symbols, key=lambda s: s.name)
    if not syms:
        return False
    point = {s: sp.Rational(1009 + 37 * k, 997) for k, s in enumerate(syms)}
    try:
        v = d.xreplace(point).evalf(15)
        return bool(v.is_number and v.is_finite and abs(v) > 1e-6)
    except (ArithmeticError, TypeError, ValueError, AttributeError, RecursionError):
        return False


def proof_first(job: Any) -> Verdict | None:
    """``layers._run_filter_and_proof``, with the cheap zero strategies of a polynomial equation
    tried before the numeric filter (see the module doc)."""
    if _plain(job) and not _differs(job):
        name = _cheap_zero(job)
        if name is not None and improper_values((job.lhs, job.rhs), dict(job.domains)) is not None:
            return Verdict("proved", name)
    return _run_filter_and_proof(job)


class QuickVerifier(Verifier):
    """A ``Verifier`` whose layers run in this process when ``small`` and ``in_process`` allow."""

    def _call(self, fn: Callable[[Any], Any], job: Any, timeout: float) -> tuple[bool, Any]:
        if timeout > 0 and small(job):
            here = proof_first if fn is _run_filter_and_proof else fn
            got = in_process(here, job, timeout)
            if got is not None:
                return got
        return super()._call(fn, job, timeout)


__all__ = ["QuickVerifier", "in_process", "proof_first", "small"]
