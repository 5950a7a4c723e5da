"""Work on user data in a bounded child process, with its result brought back as built.

``call(fn, *args, what=...)`` forks a child that runs ``fn(*args)`` under an
address-space limit (``bounds.BUILD_MEMORY`` more than the parent) while the
parent waits at most ``bounds.build_timeout()`` seconds and then kills it.
Unlike an alarm in the calling process (``bounds.bounded``), this also ends a
long C-level call (a GMP power, a huge ``expand``) that never returns to the
interpreter.  Anything that ends the child early is a ``ParameterError``
beginning ``too large:``; a ``DeriveError`` raised in the child is raised again
in the parent.

The result is pickled, and plain pickling would *evaluate* every unevaluated
SymPy object on the way back (SymPy rebuilds an object by calling its class),
so the shown working ``(1 + 3 \\cdot 3) \\cdot 10 = 100`` would arrive as
``100 = 100``.  ``dumps`` stores a compound SymPy object as its class, its exact
args and its state, and ``loads`` puts them back without calling a constructor,
so the object arrives exactly as it was built (equal, same ``srepr``).  Without ``os.fork`` (Windows) the work runs in the caller
under ``bounds.bounded``.
"""
from __future__ import annotations

import io
import os
import pickle
import resource
import select
import signal
import sys
import time
import traceback
from typing import Any, Callable

import sympy as sp

from . import bounds
from .bounds import BUILD_MEMORY, _address_space, bounded, build_timeout
from .errors import DeriveError, ParameterError, PipelineError


_OWN = frozenset(("_mhash", "_args", "__dict__", "__weakref__"))


def _slots(cls: type) -> tuple[str, ...]:
    return tuple(n for k in cls.__mro__ for n in getattr(k, "__slots__", ()) if n not in _OWN)


def _rebuild(cls: type, args: tuple, state: dict[str, Any]) -> Any:
    obj = sp.Basic.__new__(cls, *args)      # no constructor: nothing is evaluated again
    for name, value in state.items():
        object.__setattr__(obj, name, value)
    return obj


class _Pickler(pickle.Pickler):
    """Pickles a compound SymPy object as its class, its exact args and its state
    (slots such as ``is_commutative``, assumptions, any ``__dict__``)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, sp.Basic) and not obj.is_Atom:
            state = {n: getattr(obj, n) for n in _slots(type(obj)) if hasattr(obj, n)}
            state.update(getattr(obj, "__dict__", {}))
            return _rebuild, (type(obj), obj._args, state)
        return NotImplemented


def dumps(value: Any) -> bytes:
    buf = io.BytesIO()
    _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buf.getvalue()


def loads(data: bytes) -> Any:
    return pickle.loads(data)


def _plain_error(outcome: tuple[str, Any]) -> bytes | None:
    """A ``DeriveError`` whose attributes cannot be pickled (an object holding a stream) goes
    back as the same class with its message only: the one line the user sees is unchanged."""
    if outcome[0] != "error":
        return None
    exc, trace = outcome[1]
    try:
        return dumps(("error", (type(exc)(str(exc)), trace)))
    except Exception:  # noqa: BLE001 - then the generic message
        return None


def _child(fn: Callable[..., Any], args: tuple, fd: int) -> None:
    try:
        bounds.WORKER = True
        now = _address_space()
        if now is not None:
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            cap = now + BUILD_MEMORY
            if hard == resource.RLIM_INFINITY or cap < hard:
                resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        try:
            outcome: tuple[str, Any] = ("ok", fn(*args))
        except DeriveError as exc:
            outcome = ("error", (exc, "".join(traceback.format_exception(exc))))
        except MemoryError:
            outcome = ("memory", None)
        except RecursionError:
            outcome = ("deep", None)
        except Exception as exc:  # noqa: BLE001 - a bug in derive: one line in the parent
            outcome = ("error", (PipelineError(f"{type(exc).__name__}: {exc}"),
                                 "".join(traceback.format_exception(exc))))
        try:
            data = dumps(outcome)
        except MemoryError:
            data = dumps(("memory", None))
        except Exception as exc:  # noqa: BLE001 - an unpicklable result is derive's bug
            data = _plain_error(outcome) or dumps(
                ("error", (PipelineError(f"cannot return the result: {type(exc).__name__}: {exc}"), "")))
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os._exit(0)


def call(fn: Callable[..., Any], *args: Any, what: str, timeout: float | None = None) -> Any:
    """``fn(*args)`` in a child process within ``timeout`` seconds and ``BUILD_MEMORY``
    more memory, or ``ParameterError('WHAT: too large: ...')``."""
    limit = build_timeout() if timeout is None else timeout
    if not hasattr(os, "fork"):
        with bounded(what, limit):
            return fn(*args)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:                                     # the child never returns from here
        os.close(read)
        _child(fn, args, write)
    os.close(write)
    chunks, done = [], False
    try:
        deadline = time.monotonic() + limit
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([read], [], [], left)
            if ready:
                chunk = os.read(read, 1 << 20)
                if not chunk:
                    done = True
                    break
                chunks.append(chunk)
    finally:
        os.close(read)
        if not done:
            _kill(pid)
    if not done:
        raise ParameterError(f"{what}: too large: building with these values took more than {limit:g} s")
    _, status = os.waitpid(pid, 0)
    if not chunks:
        raise ParameterError(f"{what}: too large: building with these values needs more than "
                             f"{BUILD_MEMORY >> 20} MiB of memory (the worker ended with status {status})")
    kind, value = loads(b"".join(chunks))
    if kind == "ok":
        return value
    if kind == "memory":
        raise ParameterError(f"{what}: too large: building with these values needs more than "
                             f"{BUILD_MEMORY >> 20} MiB of memory")
    if kind == "deep":
        raise ParameterError(f"{what}: too large: these values nest too deeply")
    error, trace = value
    raise error from (RemoteTraceback(trace) if trace else None)


class RemoteTraceback(Exception):
    """The worker's traceback, as the cause of the error raised again in the caller (``--debug``)."""

    def __str__(self) -> str:
        return "\n\n(in the worker process)\n" + self.args[0]


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
