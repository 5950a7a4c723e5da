"""kill -9 in the middle of verification or of LaTeX: nothing survives, the next build is sound."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

DOC = "\\documentclass{article}\n\\begin{document}\n%s\n\\end{document}\n"


def descendants(pid: int) -> set[int]:
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True).stdout
    children: dict[int, list[int]] = {}
    for line in out.splitlines():
        p, pp = map(int, line.split())
        children.setdefault(pp, []).append(p)
    found, todo = set(), [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in found:
                found.add(c)
                todo.append(c)
    return found


def alive(pids: set[int]) -> set[int]:
    out = set()
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as fh:
                if fh.read().split()[2] != "Z":
                    out.add(p)
        except OSError:
            pass
    return out


def wait_for(cond, limit: float) -> bool:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.2)
    return False


def test_kill_9_during_latex_leaves_no_tex_running(tmp_path):
    doc = tmp_path / "loop.tex"
    doc.write_text(DOC % r"\def\q{\q}\q")
    proc = subprocess.Popen([sys.executable, "-m", "derive", "snippet", "--compile", str(doc), "-o", str(tmp_path / "b")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert wait_for(lambda: any("pdflatex" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")
                                for p in alive(descendants(proc.pid))), 60)
    tree = descendants(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert wait_for(lambda: not alive(tree), 15), f"still running: {alive(tree)}"
    assert not (tmp_path / "b" / "loop.pdf").exists()


def test_kill_9_during_verification_then_a_sound_rebuild(tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text("title = 'T'\n[[problem]]\nid = 'K'\ntitle = 'kl'\npipeline = 'gaussian_kl'\n"
                    "[[problem]]\nid = 'M'\ntitle = 'mup'\npipeline = 'mup_norm_bounds'\n")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "derive", "sheet", str(spec), "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cache = out / ".cache" / "verdicts.sqlite"
    assert wait_for(lambda: cache.exists() and cache.stat().st_size > 0, 120)
    time.sleep(1.0)
    tree = descendants(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (out / "s.pdf").exists()
    assert wait_for(lambda: not alive(tree), 30), f"still running: {alive(tree)}"
    again = subprocess.run([sys.executable, "-m", "derive", "sheet", str(spec), "-o", str(out)],
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr and "warning" not in again.stderr
    assert (out / "s.pdf").read_bytes().rstrip().endswith(b"%%EOF")
