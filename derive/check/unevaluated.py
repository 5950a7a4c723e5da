"""``unevaluated()``: SymPy's ``evaluate(False)`` without emptying SymPy's cache (issue 8).

``sp.evaluate(False)`` sets a global flag, and SymPy empties its whole cache each time the flag
changes (the cache's keys do not say how a result was built), so each unevaluated reading of
a side (``divisions._unevaluated``) threw away every cached result: the rest of that step, and
the next ``equivalent()`` pair, ran cold (about a third of a typical pair's time).

Here the block runs against *fresh, empty* caches instead: every function of SymPy's cache
registry has its memo swapped for a new one while the flag is off, and the old memo put back
after.  So inside the block the cache is empty, as after SymPy's clear; what the block caches
(unevaluated results) is dropped with the fresh memos, as SymPy's second clear dropped it; and
afterwards the cache holds exactly what it held before the block, all of it built with the flag
on, which is what an evaluating caller may be given.  A cache clear inside the block (a nested
flag change) empties the fresh memos, as it emptied the cache before.  If the registry is not
the shape this expects (another SymPy), the block is ``sp.evaluate(False)`` itself.
"""
from __future__ import annotations

import contextlib
import functools
import threading
from typing import Any, Iterator

import sympy as sp
from sympy.core.cache import CACHE, clear_cache
from sympy.core.parameters import global_parameters

_FREEVARS = ("cfunc", "func")


def _memo(wrapper: Any) -> Any | None:
    """The closure cell holding ``wrapper``'s lru memo (SymPy's ``cacheit``), or None."""
    code, cells = getattr(wrapper, "__code__", None), getattr(wrapper, "__closure__", None)
    if code is None or cells is None or code.co_freevars != _FREEVARS:
        return None
    cell = cells[0]
    memo = cell.cell_contents
    if not (hasattr(memo, "cache_info") and hasattr(memo, "cache_clear")) or wrapper.cache_clear != memo.cache_clear:
        return None
    return cell


#: per function of the registry: (the function, its memo's cell, its own memo, a fresh memo), built once
_POOL: list[tuple[Any, Any, Any, Any]] = []


def _pool() -> list[tuple[Any, Any, Any, Any]] | None:
    """The fresh memos for SymPy's cache registry as it is now (None: not the shape expected)."""
    if len(_POOL) == len(CACHE) and all(p[0] is w and p[1].cell_contents is p[2] for p, w in zip(_POOL, CACHE)):
        return _POOL
    known = {id(p[0]): p for p in _POOL}
    pool = []
    for w in CACHE:
        old = known.get(id(w))
        if old is not None and old[0] is w and old[1].cell_contents is old[2]:
            pool.append(old)        # (a module imported since added functions: only theirs are new)
            continue
        cell = _memo(w)
        if cell is None:
            return None
        memo = cell.cell_contents
        pool.append((w, cell, memo, functools.lru_cache(memo.cache_info().maxsize, typed=True)(memo.__wrapped__)))
    _POOL[:] = pool
    return _POOL


@contextlib.contextmanager
def unevaluated() -> Iterator[None]:
    """``with sp.evaluate(False)``, leaving SymPy's cache as it was (see the module doc)."""
    pool = _pool() if global_parameters.evaluate is True and threading.current_thread() is threading.main_thread() \
        else None
    if pool is None:
        with sp.evaluate(False):
            yield
        return
    pool = list(pool)
    try:
        for w, cell, _, fresh in pool:
            cell.cell_contents, w.cache_info, w.cache_clear = fresh, fresh.cache_info, fresh.cache_clear
        # the flag without its setter (which would empty the cache: these memos are empty already)
        threading.local.__setattr__(global_parameters, "evaluate", False)
        yield
    finally:
        threading.local.__setattr__(global_parameters, "evaluate", True)
        for w, cell, memo, fresh in pool:
            cell.cell_contents, w.cache_info, w.cache_clear = memo, memo.cache_info, memo.cache_clear
            fresh.cache_clear()         # what the block cached is dropped
        if len(CACHE) != len(pool) or any(a is not p[0] for a, p in zip(CACHE, pool)):
            clear_cache()       # a module imported in the block cached unevaluated results: drop them


__all__ = ["unevaluated"]
