"""The soundness corpus through the LaTeX checker (tests/verify/corpus/*.toml, labels from an
independent mpmath/numpy oracle): no false step is ever certified ``valid``.

The catch and certification rates are held at today's floors so that a regression shows
(a margin below the figures measured under load); issue 8's target of 95% caught was
measured at 94.8% under load 11 to 14 (14 of the 24 misses are steps that hold only where both
sides are defined, reported unknown with the condition), 95% certified is reached (see the
corpus README).  The scorer runs
as its own process (it starts a process pool of its own).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def summary() -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, str(ROOT / "tests/verify/corpus/score.py"), "--json"],
                         capture_output=True, text=True, timeout=1800, env=env, cwd=ROOT)
    assert out.returncode in (0, 1), out.stderr[-2000:]
    return json.loads(out.stdout)


def test_no_false_step_is_certified(summary):
    assert summary["certified_false"] == []


def test_rates_do_not_regress(summary):
    overall = summary["overall"]
    assert overall["false_steps"] >= 300
    assert overall["false_caught_pct"] >= 93.5       # 94.8% measured at 03:54 UTC (2 Dec), load ~14
    assert overall["true_certified_pct"] >= 95.0     # 97.8% measured (timeouts under load cost ~2 pts)
