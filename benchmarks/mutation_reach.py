"""Every verdict derive gives on the soundness corpora, as one JSON file, in-process (#14).

Run from a mutmut tree with and without a mutant, then compare the two files: a mutant that
changes nothing here is out of reach of every corpus (README, "Session 11").

    cd mutants && MUTANT_UNDER_TEST=none python3 ../benchmarks/mutation_reach.py base.json engine,toml,tex
    cd mutants && MUTANT_UNDER_TEST=NAME python3 ../benchmarks/mutation_reach.py NAME.json engine,toml,tex

Groups: ``engine`` (tests/verify/corpus/engine_cases.py through the verifier), ``toml`` (the LaTeX
corpus through the checker), ``real`` (tests/check/real documents), ``tex`` (tests/check/corpus).
About 10 s, 130 s, 60 s and 3 s on one core.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path.cwd()
sys.path[:0] = [str(ROOT), str(ROOT / "tests/verify/corpus")]
os.environ.setdefault("DERIVE_INPROCESS_WORKERS", "1")
GROUPS = ("engine", "toml", "real", "tex")


def _engine() -> dict[str, Any]:
    import engine_cases
    from derive.step import Justification, Step
    from derive.verify import Verifier

    v, out = Verifier(), {}
    for c in engine_cases.CASES:
        try:
            r = v.verify_step(Step(c.lhs, c.rel, c.rhs, Justification("corpus"), tol=c.tol), c.domains)
            out["eng:" + c.id] = [r.status, r.method, r.message, dict(r.counterexample or {})]
        except Exception as exc:  # noqa: BLE001 - a mutant may make the verifier raise: a change too
            out["eng:" + c.id] = ["raise", type(exc).__name__]
    return out


def _toml() -> dict[str, Any]:
    import oracle
    import score        # tests/verify/corpus/score.py: one entry through the checker, as scored

    return {"toml:" + e["id"]: [(r := score.run_entry(e, 5.0))["verdict"], r["steps"], r["directive_errors"]]
            for e in oracle.load()}


def _documents(prefix: str, paths: list[Path]) -> dict[str, Any]:
    from derive.check import check

    out = {}
    for p in paths:
        try:
            out[prefix + p.name] = [[s.line, s.verdict, s.method, s.message, s.counterexample, s.condition,
                                     s.column, s.role, s.lhs, s.rhs] for s in check(p, timeout=5.0).steps]
        except Exception as exc:  # noqa: BLE001 - a mutant may make the checker raise: that is a change too
            out[prefix + p.name] = ["raise", type(exc).__name__, str(exc)[:200]]
    return out


RUNS: dict[str, Callable[[], dict[str, Any]]] = {
    "engine": _engine,
    "toml": _toml,
    "real": lambda: _documents("real:", sorted(p for p in (ROOT / "tests/check/real").glob("*")
                                               if p.suffix in (".md", ".tex"))),
    "tex": lambda: _documents("tex:", sorted((ROOT / "tests/check/corpus").glob("*.tex"))),
}


def main(argv: list[str]) -> int:
    groups = argv[1].split(",") if len(argv) > 1 else list(GROUPS)
    out, seconds = {}, {}
    for g in groups:
        t0 = time.perf_counter()
        out.update(RUNS[g]())
        seconds[g] = round(time.perf_counter() - t0, 1)
    Path(argv[0]).write_text(json.dumps(out, default=str, indent=0, sort_keys=True))
    print(json.dumps(seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
