"""``check.unevaluated.unevaluated()`` is ``sp.evaluate(False)`` that keeps SymPy's cache (issue 8).

Pinned against SymPy's own context manager: the same readings (``srepr``) of written sides, the
same written-side verdicts of ``divisions``, nothing unevaluated left in the cache afterwards, and
nothing evaluated from before the block handed to the block.
"""
from __future__ import annotations

import threading

import pytest
import sympy as sp
from sympy.core.cache import CACHE
from sympy.core.parameters import global_parameters

from derive.check import divisions
from derive.check.latex.fast import fast_read
from derive.check.parse import Context, Parser
from derive.check.unevaluated import unevaluated

SIDES = [r"\frac{1}{2} + \frac{1}{3}", r"\frac{5}{6}", r"\sqrt{8}", r"2\sqrt{2}", r"\frac{x^2 - 1}{x - 1}", "x + 1",
         r"e^{2\ln 3}", r"\frac{x d_{in}}{d_{out}}", r"\frac{x}{x}", r"\frac{1}{1/x}", r"(x^{1/2})^2", r"x + x",
         r"2 \cdot 3 - 6", r"\tanh(x)", r"\frac{e^{2x}-1}{e^{2x}+1}", r"\frac{n(n+1)}{2}", r"\sin(\arcsin 2)",
         r"\log(x^2)", r"2\log(x)", r"\tan x \cos x", r"\sqrt{x^2}", r"|x| - |{-3}|", r"\max(2, 5)"]


def _reader():
    ctx = Context()
    return ctx, Parser(ctx).parse


def _read(text: str, manager) -> str:
    ctx, parse = _reader()
    out = []
    for read in (lambda t: fast_read(t, ctx.symbol, (), ctx.indexed), parse):
        try:
            with manager():
                out.append(sp.srepr(read(text)))
        except Exception as exc:  # noqa: BLE001 - the same failure either way
            out.append(type(exc).__name__)
    return " | ".join(out)


@pytest.mark.parametrize("text", SIDES)
def test_same_reading_as_sympy_evaluate_false(text):
    sp.Add(sp.Symbol("x", real=True), sp.Symbol("x", real=True))        # something cached before
    assert _read(text, unevaluated) == _read(text, lambda: sp.evaluate(False))


PAIRS = [(r"\frac{x}{x}", "1"), (r"\frac{1}{1/x}", "x"), (r"\sqrt{x}^2", "x"), (r"\sin(\arcsin 2)", "2"),
         (r"\frac{x^2 - 1}{x - 1}", "x + 1"), (r"\frac{1}{x} + 1", r"\frac{1+x}{x}"), (r"\log(x^2)", r"2\log(x)"),
         (r"\tan x \cos x", r"\sin x"), (r"\frac{1}{2} + \frac{1}{3}", r"\frac{5}{6}")]


def _gaps(pair):
    ctx, parse = _reader()
    sides = tuple(parse(t) for t in pair)
    where = divisions.undefined_where(pair, sides, {}, ctx.symbol, ctx.indexed, None, parse)
    const = divisions.undefined_constant(pair, sides, ctx.symbol, ctx.indexed, parse)
    return repr(where), repr(const)


@pytest.mark.parametrize("pair", PAIRS)
def test_written_sides_judged_as_with_sympy_context(pair, monkeypatch):
    fast = _gaps(pair)
    monkeypatch.setattr(divisions, "unevaluated", lambda: sp.evaluate(False))
    assert fast == _gaps(pair)


def test_nothing_unevaluated_stays_in_the_cache():
    x = sp.Symbol("x")
    with unevaluated():
        inside = sp.Add(x, x)
    assert inside.args == (x, x)
    assert sp.Add(x, x) == 2 * x and (x + x).args == (2, x)


def test_the_block_does_not_see_what_was_cached_before():
    y = sp.Symbol("y")
    assert sp.Add(y, y) == 2 * y
    with unevaluated():
        assert sp.Add(y, y).args == (y, y)


def test_the_cache_from_before_is_kept():
    z = sp.Symbol("z")
    sp.Add(z, z, z)
    add = next(w for w in CACHE if w.__qualname__.startswith("AssocOp.__new__"))
    hits = add.cache_info().hits
    with unevaluated():
        sp.sqrt(8)
    sp.Add(z, z, z)
    assert add.cache_info().hits == hits + 1


def test_a_nested_evaluating_block_sees_no_unevaluated_result():
    w = sp.Symbol("w")
    with unevaluated():
        assert sp.Add(w, w).args == (w, w)
        with sp.evaluate(True):
            assert sp.Add(w, w) == 2 * w
        assert global_parameters.evaluate is False
    assert global_parameters.evaluate is True


def test_flag_restored_after_an_error():
    with pytest.raises(ZeroDivisionError):
        with unevaluated():
            raise ZeroDivisionError
    assert global_parameters.evaluate is True
    assert sp.Add(sp.Symbol("v"), sp.Symbol("v")) == 2 * sp.Symbol("v")


def test_off_the_main_thread_it_is_sympys_context():
    got = []
    u = sp.Symbol("u")

    def run():
        with unevaluated():
            got.append(sp.Add(u, u).args)
        got.append(global_parameters.evaluate)

    t = threading.Thread(target=run)
    t.start()
    t.join()
    assert got == [(u, u), True]


def test_each_block_starts_with_an_empty_cache():
    t = sp.Symbol("t")
    with unevaluated():
        sp.Add(t, t)
    with unevaluated():
        assert sum(w.cache_info().currsize for w in CACHE) == 0


def test_a_function_cached_later_gets_its_own_fresh_memo():
    from sympy.core.cache import cacheit

    from derive.check import unevaluated as module

    with unevaluated():
        pass
    before = list(module._POOL)

    @cacheit
    def double(e):
        return sp.Add(e, e)

    s = sp.Symbol("s")
    with unevaluated():
        assert double(s).args == (s, s)
    assert double(s) == 2 * s
    assert module._POOL[:len(before)] == before and len(module._POOL) == len(before) + 1
    CACHE.remove(double)
