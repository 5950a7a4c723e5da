"""Building with user values runs in a bounded worker process (derive/worker.py).

The worker must bring the derivation back exactly as it was built (unevaluated
working such as ``(1 + 3*3*1)*10 = 100`` and the written order of sums), and its
bounds must end what an alarm in the main process cannot: a long C-level call.
"""
from __future__ import annotations

import os
import pickle
import time

import pytest
import sympy as sp

from derive import pipeline as pl
from derive import termorder, worker
from derive.errors import ParameterError, SpecError
from derive.printer import tex

NAMES = sorted(pl.load_all())


def shown(d) -> list[str]:
    """Everything of a derivation that reaches the page, as the printer writes it."""
    out = [p.heading for p in d.parts]
    for s in d.steps():
        out += [tex(s.lhs), tex(s.rhs)] + [f"{tex(k)}={tex(v)}" for k, v in s.facts]
    return out + [tex(r.value) for p in d.parts for r in p.results]


@pytest.mark.parametrize("name", NAMES)
def test_the_worker_brings_back_the_derivation_as_built(name):
    here = pl._build(pl.get(name), {})
    expected = shown(here)
    termorder._written.clear()              # only what the worker sends back may order the sums
    there, order = worker.call(pl._build_shipped, name, {}, what=name)
    termorder.adopt(order)
    assert there == here
    assert [type(s.lhs) for s in there.steps()] == [type(s.lhs) for s in here.steps()]
    assert shown(there) == expected


@pytest.mark.parametrize("name", ["cnn_table", "conv2d", "gd_step", "mlp_backprop"])
def test_plain_pickling_would_lose_the_working(name):
    """The control: SymPy's own pickling evaluates on the way back (why worker.dumps exists)."""
    d = pl._build(pl.get(name), {})
    assert pickle.loads(pickle.dumps(d)) != d
    assert worker.loads(worker.dumps(d)) == d


def test_unevaluated_objects_survive_exactly():
    with sp.evaluate(False):
        e = (sp.Integer(1) + sp.Integer(3) * 3) * 10 - sp.floor(sp.Integer(5) / 2)
    back = worker.loads(worker.dumps(e))
    assert sp.srepr(back) == sp.srepr(e) and back != 98


def _c_level_power() -> int:
    return pow(3, 10 ** 9).bit_length()     # one GMP call, seconds long, no bytecode in between


def test_a_long_c_level_call_is_ended_at_the_time_limit():
    start = time.monotonic()
    with pytest.raises(ParameterError) as info:
        worker.call(_c_level_power, what="probe", timeout=1)
    assert time.monotonic() - start < 5
    assert str(info.value) == "probe: too large: building with these values took more than 1 s"


def _allocate() -> int:
    return len(bytearray(2 << 30))


def test_memory_beyond_the_bound_is_refused():
    with pytest.raises(ParameterError) as info:
        worker.call(_allocate, what="probe", timeout=20)
    assert str(info.value).startswith("probe: too large: building with these values needs more than 768 MiB")


def _refuse() -> None:
    raise SpecError("the child's own error")


def test_an_error_in_the_worker_is_raised_again_in_the_caller():
    with pytest.raises(SpecError, match="^the child's own error$"):
        worker.call(_refuse, what="probe")


def test_no_worker_is_left_behind(monkeypatch):
    pids = []
    real = os.fork
    monkeypatch.setattr(os, "fork", lambda: pids.append(real()) or pids[-1])
    with pytest.raises(ParameterError):
        worker.call(_c_level_power, what="probe", timeout=0.5)
    (pid,) = pids
    with pytest.raises(ProcessLookupError):   # killed and reaped, not a zombie
        os.kill(pid, 0)


def test_run_with_user_values_builds_in_the_worker(monkeypatch):
    calls = []
    real = worker.call
    monkeypatch.setattr(worker, "call", lambda *a, **k: calls.append(a[1:]) or real(*a, **k))
    d = pl.run("cnn_table", {"input": "32x32x3"})
    assert calls == [("cnn_table", {"input": "32x32x3"})]
    assert shown(d) == shown(pl._build(pl.get("cnn_table"), {"input": "32x32x3"}))
