"""Resource cases of issue 12: each ends with one clear line within 30 s and 1 GB.

Each case runs in a fresh process; its peak memory is the child's ``ru_maxrss``.
The build bound is lowered to 10 s (``DERIVE_BUILD_TIMEOUT``) so the shared CI
machine finishes in time; the default is 30 s.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

PROBE = (
    "import json, resource, subprocess, sys\n"
    "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(json.dumps([p.returncode, p.stderr, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))\n"
)


def measure(*argv: str) -> tuple[int, str, float, float]:
    env = {**os.environ, "DERIVE_BUILD_TIMEOUT": "10", "DERIVE_LATEX_TIMEOUT": "10"}
    start = time.monotonic()
    out = subprocess.run([sys.executable, "-c", PROBE, sys.executable, "-m", "derive", *argv],
                         capture_output=True, text=True, timeout=120, env=env).stdout
    code, err, rss_kb = json.loads(out)
    return code, err, time.monotonic() - start, rss_kb / 1024 / 1024


CASES = [
    (["run", "gaussian_kl", "--set", "mu1=exp(10**5)"], "gaussian_kl: mu1=exp(10**5): too large: exp(100000)"),
    (["run", "gaussian_kl", "--set", "mu1=(x+1)**10000"],
     "gaussian_kl: mu1=(x+1)**10000: too large: the exponent 10000 of a symbolic base (limit 1000)"),
    (["run", "gaussian_kl", "--set", "mu1=factorial(10**8)"],
     "gaussian_kl: mu1=factorial(10**8): too large: factorial(100000000)"),
    (["run", "gaussian_kl", "--set", "mu1=Sum(1/k,(k,1,10**9))"],
     "gaussian_kl: mu1=Sum(1/k,(k,1,10**9)): too large: a Sum of about 1e+09 terms (limit 10000)"),
    (["run", "gaussian_kl", "--set", "mu1=((2**10000)**10000)**10000"],
     "gaussian_kl: mu1=((2**10000)**10000)**10000: too large: the power 2^10000 (about 10^1e+04)"),
    (["run", "adam_bias_correction", "--set", "t=10**9"], "adam_bias_correction: too large: "),
    (["run", "conv2d", "--set", "padding=100000"], "conv2d: "),
    (["check", "/dev/zero"], "/dev/zero: not a regular file (a directory, FIFO, device or socket)"),
]


@pytest.mark.parametrize("argv, message", CASES, ids=[" ".join(c[0][1:])[:40] for c in CASES])
def test_each_case_ends_in_one_line_within_bounds(argv, message):
    code, err, seconds, gib = measure(*argv)
    assert code == 2
    assert err.startswith("derive: error: " + message) and err.count("\n") == 1, err
    assert seconds < 30
    assert gib < 1.0
