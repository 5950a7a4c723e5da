"""Every verdict derive gives on the soundness corpora, as one JSON file, in-process (#14).

Run from a mutmut tree with and without a mutant, then compare the two files: a mutant that
changes nothing here is out of reach of every corpus (README, "Session 11").

    cd mutants && MUTANT_UNDER_TEST=none python3 ../benchmarks/mutation_reach.py base.json engine,toml,tex
    cd mutants && MUTANT_UNDER_TEST=NAME python3 ../benchmarks/mutation_reach.py NAME.json engine,toml,tex

Groups: ``engine`` (tests/verify/corpus/engine_cases.py through the verifier), ``toml`` (the LaTeX
corpus through the checker), ``real`` (tests/check/real documents), ``tex`` (tests/check/corpus).
About 10 s, 130 s, 60 s and 3 s on one core.
"""
import json, os, sys, time
from pathlib import Path
ROOT = Path.cwd()
sys.path[:0] = [str(ROOT), str(ROOT / "tests/verify/corpus")]
os.environ.setdefault("DERIVE_INPROCESS_WORKERS", "1")
groups = sys.argv[2].split(",") if len(sys.argv) > 2 else ["engine", "toml", "real", "tex"]
out, times = {}, {}
def rec(s):
    return [s.line, s.verdict, s.method, s.message, s.counterexample, s.condition, s.column, s.role, s.lhs, s.rhs]
if "engine" in groups:
    t = time.time()
    import engine_cases
    from derive.verify import Verifier
    from derive.step import Step, Justification
    v = Verifier()
    for c in engine_cases.CASES:
        try:
            r = v.verify_step(Step(c.lhs, c.rel, c.rhs, Justification("corpus"), tol=c.tol), c.domains)
            out["eng:" + c.id] = [r.status, r.method, r.message, dict(r.counterexample) if r.counterexample else r.counterexample]
        except Exception as e:
            out["eng:" + c.id] = ["raise", type(e).__name__]
    times["engine"] = time.time() - t
if "toml" in groups:
    t = time.time()
    import oracle, score
    for e in oracle.load():
        r = score.run_entry(e, 5.0)
        out["toml:" + e["id"]] = [r["verdict"], r["steps"], r["directive_errors"]]
    times["toml"] = time.time() - t
from derive.check import check
if "real" in groups:
    t = time.time()
    for p in sorted((ROOT / "tests/check/real").glob("*")):
        if p.suffix in (".md", ".tex"):
            try:
                out["real:" + p.name] = [rec(s) for s in check(p, timeout=5.0).steps]
            except Exception as e:
                out["real:" + p.name] = ["raise", type(e).__name__, str(e)[:200]]
    times["real"] = time.time() - t
if "tex" in groups:
    t = time.time()
    for p in sorted((ROOT / "tests/check/corpus").glob("*.tex")):
        try:
            out["tex:" + p.name] = [rec(s) for s in check(p, timeout=5.0).steps]
        except Exception as e:
            out["tex:" + p.name] = ["raise", type(e).__name__, str(e)[:200]]
    times["tex"] = time.time() - t
json.dump(out, open(sys.argv[1], "w"), default=str, indent=0, sort_keys=True)
print(json.dumps(times))
