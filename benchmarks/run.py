"""`make bench`: the engine's speed figures (medians over repeated runs).

Measures, on this machine:
- cold `derive sheet proofs/core.toml` (empty build dir, no verdict cache) next to
  a bare `latexmk` run on the same .tex (the floor set by TeX);
- cold `make pdf` of all sheets (solution and problem sheet each), next to bare
  `latexmk` on the same .tex files two at a time, and warm rebuilds with no change;
- cold `derive sheet proofs/hw1.toml --variants 30` (60 PDFs and the answer key),
  next to bare `latexmk` on its 60 .tex files two at a time;
  both as medians of wall time and of CPU time (user + sys of the whole process
  tree; CPU / cores estimates an idle machine), with ratios against the floor
  measured in the same run (``BENCH_RUNS`` runs each, default 3);
- a re-build after one problem's parameters change (steps re-verified);
- verification time per step (median and p95) over every pipeline's default;
- `import derive`.
Then runs benchmarks/bench_check.py and benchmarks/bench_real.py if they exist.  The machine is noisy, so
every figure is a median of several runs; compare ratios rather than absolutes.
"""
from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


#: CPU seconds (user + sys) of every finished child process of this benchmark so far.
def children_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


#: CPU seconds of the last ``timed`` command's process tree (every process is waited for).
LAST_CPU = [0.0]


def timed(cmd: list[str], cwd: Path = ROOT, env: dict | None = None) -> float:
    c0, t0 = children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t0
    LAST_CPU[0] = children_cpu() - c0
    if proc.returncode != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def wall_and_cpu(fn, runs: int) -> tuple[list[float], list[float]]:
    """``runs`` calls of ``fn`` (a function returning wall seconds): walls and CPU seconds."""
    walls, cpus = [], []
    for _ in range(runs):
        c0 = children_cpu()
        walls.append(fn())
        cpus.append(children_cpu() - c0)
    return walls, cpus


def report(label: str, limit: str, walls: list[float], cpus: list[float], floor: tuple[list[float], list[float]],
           floor_label: str) -> None:
    """Median wall, median CPU and CPU / cores (the estimate for an idle machine), with the
    floor measured in the same run and the ratios against it (the machine is shared)."""
    cores = os.cpu_count() or 1
    m, c = statistics.median(walls), statistics.median(cpus)
    fm, fc = statistics.median(floor[0]), statistics.median(floor[1])
    print(f"{label}: median wall {m:.2f} s {fmt(walls)}, CPU {c:.1f} s {fmt(cpus)} -> idle estimate "
          f"{c / cores:.1f} s on {cores} cores  (limit {limit})")
    print(f"  floor, {floor_label}: median wall {fm:.2f} s {fmt(floor[0])}, CPU {fc:.1f} s -> ratios: "
          f"wall {m / fm:.2f}x, CPU {c / fc:.2f}x")


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
    """latexmk on copies of ``texs``, ``jobs`` at a time: the floor TeX sets for a batch
    (plain latexmk, as a user would run it: no format, every pass it wants)."""
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
    """Only the bare latexmk runs are timed (the build that writes the .tex is not)."""
    with tempfile.TemporaryDirectory() as out:
        timed(["make", "pdf", f"BUILD={out}"])
        c0 = children_cpu()
        wall = bare_latexmk_many(sorted(Path(out).glob("*.tex")))
        LAST_CPU[0] = children_cpu() - c0
        return wall


def cold_variants(count: int = 30) -> float:
    with tempfile.TemporaryDirectory() as out:
        return timed([PY, "-m", "derive", "sheet", "proofs/hw1.toml", "-o", out, "--variants", str(count)])


def floor_variants(count: int = 30) -> float:
    with tempfile.TemporaryDirectory() as out:
        timed([PY, "-m", "derive", "sheet", "proofs/hw1.toml", "-o", out, "--variants", str(count)])
        c0 = children_cpu()
        wall = bare_latexmk_many(sorted((Path(out) / "hw1-variants").glob("*.tex")))
        LAST_CPU[0] = children_cpu() - c0
        return wall


def floor_runs(fn, runs: int) -> tuple[list[float], list[float]]:
    """Like ``wall_and_cpu``, but the CPU of the floor's own timed part only."""
    walls, cpus = [], []
    for _ in range(runs):
        walls.append(fn())
        cpus.append(LAST_CPU[0])
    return walls, cpus


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
    if sys.argv[1:] == ["sheets"]:
        sheets_figures()
        return
    m, s = median_of(cold_core, 3)
    floor, fs = median_of(bare_latexmk, 3)
    print(f"cold derive sheet core.toml:      median {m:.2f} s {fmt(s)}  (limit 10 s)")
    print(f"bare latexmk on the same .tex:    median {floor:.2f} s {fmt(fs)}  -> ratio {m / floor:.1f}x")
    sheets_figures()
    rest()


def sheets_figures() -> None:
    """Issue 10's targets: cold ``make pdf`` and 30 variants (``run.py sheets`` runs only these)."""
    runs = int(os.environ.get("BENCH_RUNS", "3"))
    sheets = len(list((ROOT / "proofs").glob("*.toml")))
    report(f"cold make pdf ({sheets} sheets x 2 PDFs)", "20 s on 2 cores", *wall_and_cpu(cold_make_all, runs),
           floor_runs(floor_make_all, runs), f"bare latexmk on the same {2 * sheets} .tex, two at a time")
    report("cold hw1 --variants 30 (60 PDFs)", "60 s on 2 cores", *wall_and_cpu(cold_variants, runs),
           floor_runs(floor_variants, runs), "bare latexmk on the same 60 .tex, two at a time")


def rest() -> None:
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
    if os.environ.get("BENCH_SHEET_MUTANTS"):      # optional (minutes): issue 8's sheet mutation figures
        subprocess.run([PY, str(ROOT / "benchmarks" / "bench_sheet_mutants.py")], cwd=ROOT, check=True)
    real = ROOT / "benchmarks" / "bench_real.py"
    if real.exists():
        print("\n-- derive check on the real-style corpus --", flush=True)
        subprocess.run([PY, str(real)], cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
