"""Time and memory bounds for work on user data in the calling process.

The verifier runs its proofs in worker processes with a wall-clock limit, and
building a derivation from user values (``pipeline.run`` with ``--set`` or spec
values: the pipeline's own algebra, tidying, the substitution of instances,
cross-checks) runs in a bounded child process (``derive.worker``), which also
ends long C-level calls.  ``bounded`` is the in-process bound for what runs in
the caller (authored steps, and the worker's fallback where there is no
``fork``):

- a wall-clock limit (default 30 s, or the environment variable
  ``DERIVE_BUILD_TIMEOUT``), delivered by ``SIGALRM`` as a
  ``BaseException`` so that no ``except Exception`` inside SymPy swallows it;
- an address-space limit of the current size plus ``BUILD_MEMORY`` (768 MiB, so the
  whole process stays under 1 GiB), so a value that would need gigabytes fails with
  ``MemoryError`` instead.

Both need the main thread of a POSIX process; elsewhere (a thread of a
notebook or a server) the work runs unbounded, and callers should use a
process of their own.  Everything that ends a bounded build early becomes a
``ParameterError`` beginning ``too large:``.
"""
from __future__ import annotations

import contextlib
import os
import signal
import threading
from typing import Iterator

from .errors import ParameterError, UsageError

BUILD_MEMORY = 768 << 20
#: True in a ``derive.worker`` process: the parent's kill bounds everything in it.
WORKER = False


class Overrun(BaseException):
    """The alarm fired (a BaseException: SymPy's ``except Exception`` must not catch it)."""


def build_timeout() -> float:
    raw = os.environ.get("DERIVE_BUILD_TIMEOUT", "")
    try:
        value = float(raw) if raw else 30.0
    except ValueError:
        raise UsageError(f"DERIVE_BUILD_TIMEOUT={raw!r} is not a number of seconds") from None
    if not (0 < value < 1e6):
        raise UsageError(f"DERIVE_BUILD_TIMEOUT={raw!r} must be a positive number of seconds")
    return value


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def _memory_cap() -> Iterator[None]:
    try:
        import resource
    except ImportError:
        yield
        return
    now = _address_space()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = None if now is None else now + BUILD_MEMORY
    if cap is not None and (hard == resource.RLIM_INFINITY or cap < hard) and \
            (soft == resource.RLIM_INFINITY or cap < soft):
        try:
            resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        except (ValueError, OSError):
            cap = None
    else:
        cap = None
    try:
        yield
    finally:
        if cap is not None:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@contextlib.contextmanager
def alarm(limit: float) -> Iterator[bool]:
    """Raise ``Overrun`` after ``limit`` seconds and ``MemoryError`` beyond ``BUILD_MEMORY`` more
    memory; yields whether it did.  Inside another bound (a pending alarm) or off the main
    thread it adds nothing (yields False), and what ends the body is the outer bound's."""
    if WORKER or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer") \
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield False
        return

    def ring(signum: int, frame: object) -> None:
        raise Overrun()

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        with _memory_cap():
            yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def alarm_unavailable() -> bool:
    """True off the main thread outside a worker (a notebook or server thread): no alarm can end
    work there, so user data must go to a forked ``derive.worker`` instead."""
    return not WORKER and threading.current_thread() is not threading.main_thread() and hasattr(os, "fork")


@contextlib.contextmanager
def bounded(what: str, timeout: float | None = None) -> Iterator[None]:
    """Run the body within ``timeout`` seconds and ``BUILD_MEMORY`` more memory, or raise ``ParameterError``."""
    limit = build_timeout() if timeout is None else timeout
    try:
        with alarm(limit):
            yield
    except Overrun:
        raise ParameterError(f"{what}: too large: building with these values took more than {limit:g} s") from None
    except MemoryError:
        raise ParameterError(f"{what}: too large: building with these values needs more than "
                             f"{BUILD_MEMORY >> 20} MiB of memory") from None
    except RecursionError:
        raise ParameterError(f"{what}: too large: these values nest too deeply") from None
