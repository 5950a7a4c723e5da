"""Verifier figures (issue 8): time per step, ``equivalent()`` per pair, cold sheet builds.

- time per step (median, p95) of ``Verifier.verify_step`` on every pipeline's
  default steps and on the soundness corpus's engine cases (SymPy objects), with
  one cold verifier; and per entry of the soundness corpus through the checker
  (``--corpus``, a few minutes);
- ``equivalent()`` per pair (each pair once, after one warm-up pair): the 20
  pairs of ``bench_check.py``; target median <= 10 ms; with math-verify's
  ``verify`` on the same pairs in the same run as the floor;
- a cold ``derive sheet`` of every ``proofs/*.toml`` (empty build dir, no cache).

Run directly or through ``benchmarks/run.py``. ``--json`` prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
# this tree's derive, not the installed one (an editable install points at the main checkout: run
# from another worktree, the figures would be main's)
sys.path.insert(0, str(ROOT))


def _stats(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {"n": len(times), "median_ms": 1000 * statistics.median(times),
            "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))]}


def per_step() -> dict[str, dict[str, float]]:
    from derive import pipeline as pl
    from derive.verify import Verifier

    sys.path.insert(0, str(ROOT / "tests" / "verify" / "corpus"))
    out: dict[str, dict[str, float]] = {}
    with Verifier() as v:
        times = []
        for name in sorted(pl.load_all()):
            d = pl.run(name)
            for step in d.steps():
                t0 = time.perf_counter()
                v.verify_step(step, d.domains)
                times.append(time.perf_counter() - t0)
        out["pipeline defaults"] = _stats(times)
        try:
            import engine_cases
            from derive.step import Justification, Step
        except ImportError:
            return out
        times = []
        for c in engine_cases.CASES:
            t0 = time.perf_counter()
            v.verify_step(Step(c.lhs, c.rel, c.rhs, Justification("bench"), tol=c.tol), c.domains)
            times.append(time.perf_counter() - t0)
        out["soundness corpus, engine cases"] = _stats(times)
    return out


def corpus_entries() -> dict[str, float]:
    """Every entry of the soundness corpus through the checker, one shared verifier."""
    sys.path.insert(0, str(ROOT / "tests" / "verify" / "corpus"))
    import score
    from derive.check.judge import Premises, check_source, new_verifier

    entries = score.load_entries() if hasattr(score, "load_entries") else None
    if entries is None:
        import tomllib
        entries = [e for f in sorted((ROOT / "tests" / "verify" / "corpus").glob("*.toml"))
                   for e in tomllib.loads(f.read_text())["entry"]]
    times = []
    v = new_verifier(5.0)
    try:
        for e in entries:
            t0 = time.perf_counter()
            check_source(score.source(e), "<bench>", Premises(), 5.0, verifier=v)
            times.append(time.perf_counter() - t0)
    finally:
        v.close()
    return _stats(times)


def equivalent_pairs() -> dict[str, float]:
    """``derive.check.equivalent`` on the pairs of ``bench_check.py``, each once, after one
    warm-up pair; and math-verify's ``verify`` on the same pairs in the same run (the floor)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT / "tests" / "check"))
    from bench_check import PAIRS
    from derive.check import equivalent

    assume = ["n \\in \\mathbb{N}, x > 1, d_{in} > 0, d_{out} > 0"]
    equivalent("(y+1)^2", "y^2 + 2y + 1", assumptions=assume)
    times, cpu, correct = [], [], 0
    for a, b, eq in PAIRS:
        t0, c0 = time.perf_counter(), time.process_time()
        v = equivalent(a, b, assumptions=assume)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        correct += (v.verdict == "valid") == eq
    # CPU time too: on a shared machine the wall time of a pair includes waiting for a core
    out = {**_stats(times), "correct": correct, "cpu_median_ms": 1000 * statistics.median(cpu)}
    try:
        from math_verify import parse, verify
    except ImportError:
        return out
    verify(parse("$(y+1)^2$"), parse("$y^2 + 2y + 1$"))
    floor, floor_cpu = [], []
    for a, b, _ in PAIRS:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            verify(parse(f"${a}$"), parse(f"${b}$"))
        except Exception:  # noqa: BLE001 - its time counts, its answer does not
            pass
        floor.append(time.perf_counter() - t0)
        floor_cpu.append(time.process_time() - c0)
    out["math_verify_median_ms"] = 1000 * statistics.median(floor)
    out["math_verify_cpu_median_ms"] = 1000 * statistics.median(floor_cpu)
    return out


def cold_sheets(root: Path) -> dict[str, float]:
    out = {}
    for spec in sorted((root / "proofs").glob("*.toml")):
        with tempfile.TemporaryDirectory() as build:
            t0 = time.perf_counter()
            proc = subprocess.run([PY, "-m", "derive", "sheet", str(spec), "-o", build], cwd=root,
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                raise SystemExit(f"derive sheet {spec.name} failed:\n{proc.stderr}")
            out[spec.stem] = time.perf_counter() - t0
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--corpus", action="store_true", help="also every soundness-corpus entry through the checker")
    ap.add_argument("--no-sheets", action="store_true")
    ap.add_argument("--root", type=Path, default=ROOT, help="tree whose proofs/ are built")
    args = ap.parse_args()
    res: dict = {"per step": per_step(), "equivalent, warm": equivalent_pairs()}
    if args.corpus:
        res["per step, soundness corpus through the checker"] = corpus_entries()
    if not args.no_sheets:
        res["cold sheet builds (s)"] = cold_sheets(args.root)
    if args.json:
        print(json.dumps(res, indent=1))
        return
    for name, st in res["per step"].items():
        print(f"verify: per step, {name} ({st['n']:.0f} steps): median {st['median_ms']:.1f} ms, "
              f"p95 {st['p95_ms']:.0f} ms")
    eq = res["equivalent, warm"]
    print(f"verify: equivalent() per pair, {eq['n']:.0f} pairs ({eq['correct']} correct): "
          f"median {eq['median_ms']:.1f} ms, p95 {eq['p95_ms']:.0f} ms (target median <= 10 ms)")
    print(f"verify: equivalent() per pair, CPU time: median {eq['cpu_median_ms']:.1f} ms")
    if "math_verify_median_ms" in eq:
        print(f"verify: math-verify verify() on the same pairs, same run: median {eq['math_verify_median_ms']:.1f} ms "
              f"(derive / math-verify = {eq['median_ms'] / eq['math_verify_median_ms']:.2f})")
    if "per step, soundness corpus through the checker" in res:
        st = res["per step, soundness corpus through the checker"]
        print(f"verify: soundness corpus through the checker ({st['n']:.0f} entries): "
              f"median {st['median_ms']:.0f} ms, p95 {st['p95_ms']:.0f} ms")
    for sheet, sec in res.get("cold sheet builds (s)", {}).items():
        print(f"verify: cold derive sheet {sheet}.toml: {sec:.2f} s")


if __name__ == "__main__":
    main()
