"""derive.check.quick: the in-process layers of equivalent() are bounded and decide as the worker does."""
from __future__ import annotations

import signal
import threading
import time

import mpmath
import pytest
import sympy as sp

from derive.check import equivalent
from derive.check.equivalence import _config
from derive.check.judge import Premises, check_source
from derive.check.quick import MAX_NODES, QuickVerifier, in_process, small
from derive.step import Rel
from derive.verify import Verifier
from derive.verify.job import _Job

x, y = sp.symbols("x y", real=True)


def _job(lhs: object, rhs: object = sp.Integer(0), domains: tuple = ()) -> _Job:
    return _Job(lhs, Rel.EQ, rhs, domains, None, 1, 5, 50, 40)


def _spin(_: object) -> None:
    while True:
        pass


def _swallow(_: object) -> None:
    """A layer whose ``except BaseException`` eats the first alarm (the repeat must still end it)."""
    try:
        _spin(None)
    except BaseException:  # noqa: BLE001 - the point of the test
        pass
    _spin(None)


def _precision(_: object) -> None:
    mpmath.mp.dps = 500      # left behind by an interrupted layer
    _spin(None)


def test_in_process_returns_the_value() -> None:
    assert in_process(lambda j: j + 1, 41, 1.0) == (True, 42)


@pytest.mark.parametrize("fn", [_spin, _swallow, _precision])
def test_in_process_stops_at_the_limit_and_restores_the_state(fn: object) -> None:
    handler, prec = signal.getsignal(signal.SIGALRM), mpmath.mp.prec
    t = time.monotonic()
    assert in_process(fn, None, 0.2) == (False, None)
    assert time.monotonic() - t < 1.5
    assert signal.getsignal(signal.SIGALRM) is handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert mpmath.mp.prec == prec


def _raise(_: object) -> None:
    raise MemoryError


def test_an_exception_in_process_goes_to_the_worker() -> None:
    assert in_process(_raise, None, 1.0) is None


def test_off_the_main_thread_or_inside_another_alarm_it_does_not_run_here() -> None:
    got: list[object] = []
    t = threading.Thread(target=lambda: got.append(in_process(lambda j: j, 1, 1.0)))
    t.start()
    t.join()
    assert got == [None]
    previous = signal.signal(signal.SIGALRM, lambda *_: None)
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        assert in_process(lambda j: j, 1, 1.0) is None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("lhs, ok", [
    ((x + y) ** 2, True),
    (sp.sin(x) ** 2 + sp.cos(x) ** 2, True),
    (x ** 1000, True),
    (x ** 1001, False),                                     # a numeric exponent beyond the guard
    (x + sp.Integer(10) ** 70, False),                      # a number beyond 10^60
    (sp.Rational(1, 10 ** 70) * x, False),
    (sp.Add(*[x ** k for k in range(1, 600)]), False),      # more than MAX_NODES nodes
    (sp.ImmutableMatrix(9, 9, lambda i, j: x), False),      # more than 64 entries
    (sp.ImmutableMatrix(2, 2, lambda i, j: x + i), True),
])
def test_the_size_guard(lhs: object, ok: bool) -> None:
    assert small(_job(lhs)) is ok


def test_the_node_limit_is_what_the_guard_counts() -> None:
    assert small(_job(sp.Add(*sp.symbols(f"a0:{MAX_NODES // 2 - 2}")))) is True
    assert small(_job(sp.Add(*sp.symbols(f"a0:{MAX_NODES + 1}")))) is False


PAIRS = [
    (r"\frac{1}{2} + \frac{1}{3}", r"\frac{5}{6}"), (r"(a+b)^2", r"a^2 + 2ab + b^2"), (r"(a+b)^2", r"a^2 + b^2"),
    (r"\sqrt{8}", r"2\sqrt{2}"), (r"\sin^2 x + \cos^2 x", "1"), (r"\log(x^2)", r"2\log(x)"),
    (r"\frac{x^2 - 1}{x - 1}", "x + 1"), (r"\sum_{k=1}^{n} k", r"\frac{n^2}{2}"), (r"2^{10}", "1000"),
    (r"\lfloor 2.5 \rfloor", "3"), (r"\frac{x}{x}", "1"), (r"\sqrt{x^2}", "x"), (r"\frac{1}{0}", r"\frac{2}{0}"),
]


@pytest.mark.parametrize("a, b", PAIRS)
def test_the_quick_verifier_decides_as_the_worker(a: str, b: str) -> None:
    src = f"\\[ {a} = {b} \\]"
    got = []
    for cls in (QuickVerifier, Verifier):
        v = cls(_config(5.0))
        try:
            s = check_source(src, "<eq>", Premises(["n \\in \\mathbb{N}"], []), 5.0, verifier=v,
                             force_check=True).steps[-1]
        finally:
            v.close()
        got.append((s.verdict, s.method, s.message, s.counterexample, s.condition))
    assert got[0] == got[1]


def test_equivalent_in_a_thread_uses_the_worker_and_agrees() -> None:
    here = equivalent(r"(a+b)^2", r"a^2 + b^2")
    out: list[object] = []
    t = threading.Thread(target=lambda: out.append(equivalent(r"(a+b)^2", r"a^2 + b^2")))
    t.start()
    t.join()
    assert here.verdict == "invalid" and out[0] == here
