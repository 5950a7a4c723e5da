"""Summarise a `make mutation` run (mutmut) into benchmarks/mutation.json and a table.

A mutant counts as killed when a test failed on it or it timed out (a hang is caught).
"survived" and "no tests" (no selected test reaches the mutated function) count against
the kill rate; mutants not run ("not checked": another module was selected) are left out.
Survivors listed in benchmarks/mutation_equivalent.md (one mutant name per table row, with
the reason it cannot change behaviour) are reported apart, and the score without them is
given beside the raw kill rate.  Run from the repository root after `mutmut run`.

    python3 benchmarks/mutation_summary.py [--seconds S] [--note TEXT] [--only GLOB ...]
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import fnmatch
import json
import os
import re
import subprocess
import sys
from pathlib import Path

KILLED = {"killed", "timeout", "segfault", "caught by type check"}
NOT_RUN = {"not checked", "skipped"}
HERE = Path(__file__).parent
OUT = HERE / "mutation.json"
EQUIVALENT = HERE / "mutation_equivalent.md"


def module_of(mutant: str) -> str:
    """``derive.verify.numeric.x__holds_at__mutmut_3`` -> ``derive.verify.numeric``."""
    return re.split(r"\.x[_ǁ]", mutant, maxsplit=1)[0]


def equivalent_names(path: Path = EQUIVALENT) -> set[str]:
    """Mutant names in the first column of the tables of ``path`` (`` `name` | why ``)."""
    if not path.exists():
        return set()
    return set(re.findall(r"^\|\s*`([^`]+__mutmut_\d+)`", path.read_text(), flags=re.M))


def statuses(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and "__mutmut_" in name:
            out[name] = status
    return out


def summarise(by_name: dict[str, str], equivalent: set[str]) -> dict:
    by_module: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    survivors = []
    for name, status in sorted(by_name.items()):
        if status in NOT_RUN:
            continue
        counts = by_module[module_of(name)]
        counts[status] += 1
        if status not in KILLED:
            if name in equivalent:
                counts["equivalent"] += 1
            else:
                survivors.append({"mutant": name, "status": status})

    def figures(c: collections.Counter) -> dict:
        n = sum(v for k, v in c.items() if k != "equivalent")
        killed = sum(c[s] for s in KILLED)
        scored = n - c["equivalent"]
        return {"mutants": n, "killed": killed, "kill_rate": round(killed / n, 4) if n else None,
                "equivalent": c["equivalent"], "score": round(killed / scored, 4) if scored else None,
                "by_status": {k: v for k, v in sorted(c.items()) if k != "equivalent"}}

    total: collections.Counter = collections.Counter()
    for c in by_module.values():
        total.update(c)
    return {"total": figures(total),
            "by_module": {m: figures(c) for m, c in sorted(by_module.items())},
            "survivors": survivors}


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, help="wall time of the mutmut run")
    ap.add_argument("--note", default="", help="what was run, and on what machine")
    ap.add_argument("--only", nargs="*", default=[], metavar="GLOB",
                    help="count only mutants of these modules (e.g. 'derive.verify.tight')")
    args = ap.parse_args(argv)
    out = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"],
                         capture_output=True, text=True, check=True).stdout
    found = statuses(out)
    if args.only:
        found = {k: v for k, v in found.items() if any(fnmatch.fnmatch(module_of(k), g) for g in args.only)}
    summary = summarise(found, equivalent_names())
    summary = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "commit": git_commit(), "cores": os.cpu_count(),
               "load_average_at_end": [round(v, 1) for v in os.getloadavg()],
               "wall_seconds": args.seconds, "note": args.note, **summary}
    OUT.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    print(f"{'module':36} {'mutants':>8} {'killed':>8} {'rate':>7} {'equiv':>6} {'score':>7}")
    rows = list(summary["by_module"].items()) + [("total", summary["total"])]
    for m, c in rows:
        rate = f"{c['kill_rate']:7.1%}" if c["kill_rate"] is not None else "      -"
        score = f"{c['score']:7.1%}" if c["score"] is not None else "      -"
        print(f"{m:36} {c['mutants']:8} {c['killed']:8} {rate} {c['equivalent']:6} {score}")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
