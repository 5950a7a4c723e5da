"""The worker pool's in-process mode (used by `make mutation`) keeps the time bound."""
from __future__ import annotations

import os
import time

import pytest

from derive.verify.pool import INPROCESS_ENV, WorkerPool


def _spin(seconds: float) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            sum(range(1000))
        except Exception:  # noqa: BLE001 - like SymPy, swallows ordinary exceptions
            pass
    return "done"


@pytest.mark.parametrize("inprocess", [False, True])
def test_call_returns_a_result_or_times_out(monkeypatch, inprocess):
    if inprocess:
        monkeypatch.setenv(INPROCESS_ENV, "1")
    else:
        monkeypatch.delenv(INPROCESS_ENV, raising=False)
    pool = WorkerPool(1)
    try:
        assert pool.call(_spin, 0.01, timeout=20) == (True, "done")
        assert pool.call(_spin, 60, timeout=0.5) == (False, None)
        assert pool.run_batch(_spin, [0.01, 60, 0.01], timeout=0.5) == [(True, "done"), (False, None), (True, "done")]
    finally:
        pool.close()
