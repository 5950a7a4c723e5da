"""Summarise a `make mutation` run (mutmut) into benchmarks/mutation.json and a table.

A mutant counts as killed when a test failed on it or it timed out (a hang is caught);
"no tests" (no selected test reaches the mutated function) and "survived" count against
the kill rate.  Run from the repository root after `mutmut run`.
"""
from __future__ import annotations

import collections
import json
import re
import subprocess
import sys
from pathlib import Path

KILLED = {"killed", "timeout", "segfault", "caught by type check"}
OUT = Path(__file__).with_name("mutation.json")


def module_of(mutant: str) -> str:
    """``derive.verify.numeric.x__holds_at__mutmut_3`` -> ``derive.verify.numeric``."""
    return re.split(r"\.x[_ǁ]", mutant, maxsplit=1)[0]


def main() -> int:
    out = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"],
                         capture_output=True, text=True, check=True).stdout
    by_module: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    survivors = []
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if not sep:
            continue
        by_module[module_of(name)][status] += 1
        if status not in KILLED:
            survivors.append({"mutant": name, "status": status})
    total = collections.Counter()
    for counts in by_module.values():
        total.update(counts)
    n = sum(total.values())
    killed = sum(total[s] for s in KILLED)
    summary = {
        "mutants": n, "killed": killed, "kill_rate": round(killed / n, 4) if n else None,
        "by_status": dict(total),
        "by_module": {m: {"mutants": sum(c.values()), "killed": sum(c[s] for s in KILLED), **dict(c)}
                      for m, c in sorted(by_module.items())},
        "survivors": survivors,
    }
    OUT.write_text(json.dumps(summary, indent=1) + "\n")
    print(f"{'module':40} {'mutants':>8} {'killed':>8} {'rate':>7}")
    for m, c in summary["by_module"].items():
        print(f"{m:40} {c['mutants']:8} {c['killed']:8} {c['killed'] / c['mutants']:7.1%}")
    if n:
        print(f"{'total':40} {n:8} {killed:8} {killed / n:7.1%}")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
