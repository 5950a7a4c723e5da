"""derive check on hostile inputs: special files, huge files, symlinks, --jobs."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from derive.check import cli as ccli


def run_check(*argv: str, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "derive", "check", *argv], capture_output=True, text=True,
                          timeout=timeout, **kw)


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_devices_are_refused_in_one_line(path):
    start = time.monotonic()
    proc = run_check(path, timeout=60)
    assert time.monotonic() - start < 30
    assert proc.returncode == 2
    assert proc.stderr == f"derive: error: {path}: not a regular file (a directory, FIFO, device or socket)\n"


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.tex"
    os.mkfifo(fifo)
    proc = run_check(str(fifo), timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == f"derive: error: {fifo}: not a regular file (a directory, FIFO, device or socket)\n"


def test_a_file_over_the_limit_is_refused_after_reading_only_the_limit(tmp_path):
    big = tmp_path / "big.tex"
    with open(big, "wb") as fh:
        fh.truncate(50_000_000)          # sparse: 50 MB of zeros
    proc = run_check(str(big), timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == (f"derive: error: {big}: file too large ({ccli.MAX_BYTES + 1} bytes, "
                           f"limit {ccli.MAX_BYTES})\n")


def test_stdin_is_read_up_to_the_limit():
    proc = subprocess.run([sys.executable, "-m", "derive", "check", "-"], input=b"x" * (ccli.MAX_BYTES + 10),
                          capture_output=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.decode().startswith("derive: error: -: file too large")


def test_a_directory_does_not_follow_symlinks_out_of_it(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.tex").write_text("$1 + 1 = 3$\n")
    work = tmp_path / "work"
    (work / "sub").mkdir(parents=True)
    (work / "sub" / "a.tex").write_text("$1 + 1 = 2$\n")
    (work / "link.tex").symlink_to(outside / "secret.tex")
    (work / "dirlink").symlink_to(outside, target_is_directory=True)
    (work / "inner.tex").symlink_to(work / "sub" / "a.tex")
    assert ccli.expand_paths([str(work)]) == [str(work / "inner.tex"), str(work / "sub" / "a.tex")]


def test_jobs_is_capped_at_the_cpu_count(tmp_path):
    f = tmp_path / "w.tex"
    f.write_text("$1 + 1 = 2$\n")
    import argparse

    args = argparse.Namespace(scheduler=None, jobs=1_000_000, n_sources=50, timeout=5)
    ex, _ = ccli._executor(args)
    try:
        assert ex._max_workers == min(os.cpu_count() or 1, 50)
    finally:
        ex.shutdown()
    proc = run_check(str(f), "--jobs", "1000000", timeout=120)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0", "1e9"])
def test_bad_timeouts_are_refused(tmp_path, value):
    f = tmp_path / "w.tex"
    f.write_text("$1 + 1 = 2$\n")
    proc = run_check(str(f), "--timeout", value, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith("derive: error: --timeout must be a number of seconds in (0, 3600], got ")
    assert proc.stderr.count("\n") == 1
