"""Summarise a `make mutation` run (mutmut) into benchmarks/mutation.json and a table.

A mutant counts as killed when a test failed on it or it timed out (a hang is caught).
"survived" and "no tests" (no selected test reaches the mutated function) count against
the kill rate; mutants not run ("not checked": another module was selected) are left out.
Survivors listed in benchmarks/mutation_equivalent.md (one mutant name per table row, with
the reason it cannot change behaviour) are reported apart, and the score without them is
given beside the raw kill rate.  Run from the repository root after `mutmut run`.

With ``--sample mutants/mutation-sample.json`` (written by benchmarks/mutation_sample.py for
`make mutation`) only the sampled mutants count, and every package, and the whole, gets a
95% confidence interval for the kill rate of ALL its mutants: a package's sample is
self-weighting (proportional allocation), so its interval is the Wilson score interval of
its sample (stratifying by module can only narrow the true interval, so this is on the safe
side); the whole weights each package by its number of mutants, with an Agresti-Coull
variance and the finite-population correction.

    python3 benchmarks/mutation_summary.py [--seconds S] [--note TEXT] [--only GLOB ...]
                                           [--sample mutants/mutation-sample.json]
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import fnmatch
import json
import math
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


Z95 = 1.959964


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for ``k`` successes in ``n`` draws."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def stratified(strata: list[tuple[int, int, int]], z: float = Z95) -> dict:
    """Estimate and interval of a kill rate from strata ``(population, sampled, killed)``.

    The estimate weights each stratum's rate by its population; the variance uses the
    Agresti-Coull rate (k + 2) / (n + 4), so a stratum with every mutant killed still
    contributes, and the finite-population correction (N - n) / (N - 1).
    """
    total = sum(N for N, n, _ in strata if n)
    estimate = variance = 0.0
    for N, n, k in strata:
        if not n:
            continue
        w = N / total
        estimate += w * k / n
        q = (k + 2) / (n + 4)
        fpc = (N - n) / (N - 1) if N > 1 else 0.0
        variance += w * w * q * (1 - q) / (n + 4) * fpc
    half = z * math.sqrt(variance)
    return {"estimate": round(estimate, 4), "ci95": [round(max(0.0, estimate - half), 4),
                                                    round(min(1.0, estimate + half), 4)]}


def package_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def sampled_figures(summary: dict, sample: dict) -> dict:
    """Per package and overall: population, sample size, kill rate and its 95% interval."""
    population = sample["population"]
    packages: dict[str, dict] = {}
    for module, size in population.items():
        pkg = packages.setdefault(package_of(module), {"population": 0, "sampled": 0, "killed": 0,
                                                       "equivalent": 0})
        pkg["population"] += size
        c = summary["by_module"].get(module)
        if c:
            pkg["sampled"] += c["mutants"]
            pkg["killed"] += c["killed"]
            pkg["equivalent"] += c["equivalent"]
    for pkg in packages.values():
        n, k = pkg["sampled"], pkg["killed"]
        pkg["kill_rate"] = round(k / n, 4) if n else None
        pkg["ci95"] = [round(v, 4) for v in wilson(k, n)]
        scored = n - pkg["equivalent"]
        pkg["score"] = round(k / scored, 4) if scored else None
        pkg["score_ci95"] = [round(v, 4) for v in wilson(k, scored)]
    overall = stratified([(p["population"], p["sampled"], p["killed"]) for p in packages.values()])
    overall_score = stratified([(p["population"], p["sampled"] - p["equivalent"], p["killed"])
                                for p in packages.values()])
    return {"seed": sample["seed"], "per_package": sample["per_package"], "by_package": packages,
            "overall": {"population": sum(p["population"] for p in packages.values()),
                        "sampled": sum(p["sampled"] for p in packages.values()),
                        "kill_rate": overall["estimate"], "ci95": overall["ci95"],
                        "score": overall_score["estimate"], "score_ci95": overall_score["ci95"]}}


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
    ap.add_argument("--commit", help="the commit the mutants were made from (default: HEAD)")
    ap.add_argument("--sample", type=Path, help="mutation-sample.json of a sampled run (make mutation)")
    args = ap.parse_args(argv)
    out = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"],
                         capture_output=True, text=True, check=True).stdout
    found = statuses(out)
    if args.only:
        found = {k: v for k, v in found.items() if any(fnmatch.fnmatch(module_of(k), g) for g in args.only)}
    sample = None
    if args.sample:
        sample = json.loads(args.sample.read_text())
        names = set(args.sample.with_suffix(".txt").read_text().split())
        found = {k: v for k, v in found.items() if k in names}
    summary = summarise(found, equivalent_names())
    if sample:
        summary = {"sampled": sampled_figures(summary, sample), **summary}
    summary = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "commit": args.commit or git_commit(), "cores": os.cpu_count(),
               "load_average_at_end": [round(v, 1) for v in os.getloadavg()],
               "wall_seconds": args.seconds, "note": args.note, **summary}
    OUT.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n")
    print(f"{'module':36} {'mutants':>8} {'killed':>8} {'rate':>7} {'equiv':>6} {'score':>7}")
    rows = list(summary["by_module"].items()) + [("total", summary["total"])]
    for m, c in rows:
        rate = f"{c['kill_rate']:7.1%}" if c["kill_rate"] is not None else "      -"
        score = f"{c['score']:7.1%}" if c["score"] is not None else "      -"
        print(f"{m:36} {c['mutants']:8} {c['killed']:8} {rate} {c['equivalent']:6} {score}")
    if sample:
        s = summary["sampled"]
        print(f"SAMPLED: {s['overall']['sampled']} of {s['overall']['population']} mutants, seed {s['seed']}")
        rows = list(s["by_package"].items()) + [("overall (weighted)", s["overall"])]
        for name, c in rows:
            lo, hi = c["ci95"]
            print(f"{name:36} {c['sampled']:5}/{c['population']:<6} killed {c['kill_rate']:.1%}"
                  f" (95% CI {lo:.1%} to {hi:.1%}); without equivalents {c['score']:.1%}")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
