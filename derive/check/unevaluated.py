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


@contextlib.contextmanager
def unevaluated() -> Iterator[None]:
    """``with sp.evaluate(False)``, leaving SymPy's cache as it was (see the module doc)."""
    if global_parameters.evaluate is not True or threading.current_thread() is not threading.main_thread():
        with sp.evaluate(False):
            yield
        return
    wrappers = list(CACHE)
    cells = [_memo(w) for w in wrappers]
    if any(c is None for c in cells):
        with sp.evaluate(False):
            yield
        return
    saved = [(c.cell_contents, w.cache_info, w.cache_clear) for c, w in zip(cells, wrappers)]
    try:
        for c, w, (memo, _, _) in zip(cells, wrappers, saved):
            fresh = functools.lru_cache(memo.cache_info().maxsize, typed=True)(c.cell_contents.__wrapped__)
            c.cell_contents, w.cache_info, w.cache_clear = fresh, fresh.cache_info, fresh.cache_clear
        # the flag without its setter (which would empty the cache: these memos are empty already)
        threading.local.__setattr__(global_parameters, "evaluate", False)
        yield
    finally:
        threading.local.__setattr__(global_parameters, "evaluate", True)
        for c, w, (memo, info, clear) in zip(cells, wrappers, saved):
            c.cell_contents, w.cache_info, w.cache_clear = memo, info, clear
        if len(CACHE) != len(wrappers) or any(a is not b for a, b in zip(CACHE, wrappers)):
            clear_cache()       # a module imported in the block cached unevaluated results: drop them


__all__ = ["unevaluated"]
