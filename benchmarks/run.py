"""`make bench`: the engine's speed figures (medians over repeated runs).

Measures, on this machine:
- cold `derive sheet proofs/core.toml` (empty build dir, no verdict cache) next to
  a bare `latexmk` run on the same .tex (the floor set by TeX);
- cold `make pdf` of all sheets (solution and problem sheet each), next to bare
  `latexmk` on the same ten .tex files two at a time, and warm rebuilds with no change;
- cold `derive sheet proofs/hw1.toml --variants 30` (60 PDFs and the answer key),
  next to bare `latexmk` on its 60 .tex files two at a time;
- a re-build after one problem's parameters change (steps re-verified);
- verification time per step (median and p95) over every pipeline's default;
- `import derive`.
Then runs benchmarks/bench_check.py and benchmarks/bench_real.py if they exist.  The machine is noisy, so
every figure is a median of several runs; compare ratios rather than absolutes.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def timed(cmd: list[str], cwd: Path = ROOT, env: dict | None = None) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def median_of(fn, runs: int) -> tuple[float, list[float]]:
    samples = [fn() for _ in range(runs)]
    return statistics.median(samples), samples


def fmt(samples: list[float]) -> str:
    return "[" + ", ".join(f"{s:.2f}" for s in samples) + "]"


def cold_core() -> float:
    with tempfile.TemporaryDirectory() as out:
        return timed([PY, "-m", "derive", "sheet", "proofs/core.toml", "-o", out])


def bare_latexmk() -> float:
    with tempfile.TemporaryDirectory() as out:
        timed([PY, "-m", "derive", "sheet", "proofs/core.toml", "-o", out])
        work = Path(out) / "bare"
        work.mkdir()
        shutil.copy(Path(out) / "core.tex", work / "core.tex")
        shutil.copy(ROOT / "derive" / "templates" / "derive.sty", work / "derive.sty")
        return timed(["latexmk", "-pdf", "-no-shell-escape", "-interaction=nonstopmode", "core.tex"], cwd=work)


def cold_make_all() -> float:
    with tempfile.TemporaryDirectory() as out:
        return timed(["make", "-B", "pdf", f"BUILD={out}"])


def bare_latexmk_many(texs: list[Path], jobs: int = 2) -> float:
    """latexmk on copies of ``texs``, ``jobs`` at a time: the floor TeX sets for a batch."""
    from concurrent.futures import ThreadPoolExecutor

    with tempfile.TemporaryDirectory() as tmp:
        dirs = []
        for i, tex in enumerate(texs):
            work = Path(tmp) / str(i)
            work.mkdir()
            shutil.copy(tex, work / tex.name)
            shutil.copy(ROOT / "derive" / "templates" / "derive.sty", work / "derive.sty")
            dirs.append((work, tex.name))
        t0 = time.perf_counter()
        with ThreadPoolExecutor(jobs) as pool:
            list(pool.map(lambda d: timed(["latexmk", "-pdf", "-no-shell-escape", "-interaction=nonstopmode", d[1]],
                                          cwd=d[0]), dirs))
        return time.perf_counter() - t0


def floor_make_all() -> float:
    with tempfile.TemporaryDirectory() as out:
        timed(["make", "pdf", f"BUILD={out}"])
        return bare_latexmk_many(sorted(Path(out).glob("*.tex")))


def cold_variants(count: int = 30) -> float:
    with tempfile.TemporaryDirectory() as out:
        return timed([PY, "-m", "derive", "sheet", "proofs/hw1.toml", "-o", out, "--variants", str(count)])


def floor_variants(count: int = 30) -> float:
    with tempfile.TemporaryDirectory() as out:
        timed([PY, "-m", "derive", "sheet", "proofs/hw1.toml", "-o", out, "--variants", str(count)])
        return bare_latexmk_many(sorted((Path(out) / "hw1-variants").glob("*.tex")))


def warm(cmd_for: str) -> tuple[float, list[float]]:
    with tempfile.TemporaryDirectory() as out:
        if cmd_for == "make":
            cmd = ["make", "pdf", f"BUILD={out}"]
        else:
            cmd = [PY, "-m", "derive", "sheet", "proofs/core.toml", "-o", out]
        timed(cmd)
        return median_of(lambda: timed(cmd), 5)


def one_param_changed() -> tuple[float, str]:
    """Build core, then rebuild with one problem's parameter changed."""
    with tempfile.TemporaryDirectory() as out:
        timed([PY, "-m", "derive", "sheet", "proofs/core.toml", "-o", out])
        t0 = time.perf_counter()
        proc = subprocess.run([PY, "-m", "derive", "sheet", "proofs/core.toml", "-o", out,
                               "--set", "A6.mu1=3"], cwd=ROOT, capture_output=True, text=True, check=True)
        return time.perf_counter() - t0, proc.stdout.strip()


def per_step_times() -> tuple[float, float, int]:
    code = r"""
import time, statistics, sys
from derive import pipeline as pl
from derive.verify import Verifier
times = []
with Verifier() as v:
    for name in sorted(pl.load_all()):
        d = pl.run(name)
        for step in d.steps():
            t0 = time.perf_counter(); v.verify_step(step, d.domains); times.append(time.perf_counter() - t0)
times.sort()
print(statistics.median(times), times[int(0.95 * (len(times) - 1))], len(times))
"""
    out = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def import_time() -> float:
    code = "import time; t=time.perf_counter(); import derive; print(time.perf_counter()-t)"
    samples = [float(subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True).stdout)
               for _ in range(7)]
    return statistics.median(samples)


def main() -> None:
    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")
    m, s = median_of(cold_core, 3)
    floor, fs = median_of(bare_latexmk, 3)
    print(f"cold derive sheet core.toml:      median {m:.2f} s {fmt(s)}  (limit 10 s)")
    print(f"bare latexmk on the same .tex:    median {floor:.2f} s {fmt(fs)}  -> ratio {m / floor:.1f}x")
    m_all, s_all = median_of(cold_make_all, 3)
    f_all, fs_all = median_of(floor_make_all, 3)
    print(f"cold make pdf (5 sheets x 2 PDFs): median {m_all:.2f} s {fmt(s_all)}  (limit 20 s)")
    print(f"bare latexmk on the 10 .tex, -j2: median {f_all:.2f} s {fmt(fs_all)}  -> ratio {m_all / f_all:.1f}x")
    m_v, s_v = median_of(cold_variants, 3)
    f_v, fs_v = median_of(floor_variants, 3)
    print(f"cold hw1 --variants 30 (60 PDFs): median {m_v:.2f} s {fmt(s_v)}  (limit 60 s)")
    print(f"bare latexmk on the 60 .tex, -j2: median {f_v:.2f} s {fmt(fs_v)}  -> ratio {m_v / f_v:.1f}x")
    w, ws = warm("derive")
    print(f"warm derive sheet core, no change: median {w:.3f} s {fmt(ws)}  (limit 1 s)")
    wm, wms = warm("make")
    print(f"warm make pdf, no change:         median {wm:.3f} s {fmt(wms)}  (limit 2 s)")
    t, line = one_param_changed()
    print(f"rebuild after A6.mu1 changes:     {t:.2f} s  ({line})")
    med, p95, n = per_step_times()
    print(f"verification per step (cold, {n} steps of every pipeline's default): "
          f"median {med * 1000:.1f} ms, p95 {p95 * 1000:.0f} ms  (limit: median 20 ms)")
    print(f"import derive:                    median {import_time():.3f} s  (limit 0.5 s)")
    verify = ROOT / "benchmarks" / "bench_verify.py"
    if verify.exists():
        print("\n-- verifier --", flush=True)
        subprocess.run([PY, str(verify)], cwd=ROOT, check=True)
    check = ROOT / "benchmarks" / "bench_check.py"
    if check.exists():
        print("\n-- derive check --", flush=True)
        subprocess.run([PY, str(check)], cwd=ROOT, check=True)
    real = ROOT / "benchmarks" / "bench_real.py"
    if real.exists():
        print("\n-- derive check on the real-style corpus --", flush=True)
        subprocess.run([PY, str(real)], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
