"""Score derive's checker on the soundness corpus.

Every entry of ``tests/verify/corpus/*.toml`` becomes a small document (its
``assume``/``define``/``given`` as ``% derive:`` directives, then the step in
``\\[ ... \\]`` on the last line) checked with the public API
``derive.check.check_text``. Reported, overall and per category:

* false steps certified ``valid`` (the soundness failures; must be 0), listed by id;
* the share of false steps caught as ``invalid``;
* the share of true neighbours certified ``valid``;
* entries whose step or directives do not parse (for the LaTeX reader).

Usage::

    python3 tests/verify/corpus/score.py [--json] [--jobs 2] [--timeout 5] [--only PREFIX]
                                         [--labels] [--list]

``--labels`` first re-checks every label with the independent oracle (oracle.py).
``--list`` prints one line per entry. The exit code is 1 when a false step is certified.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import multiprocessing as mproc
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
import oracle  # noqa: E402

ENTRY_WALL = 60.0   # seconds before an entry is abandoned as "timeout"


def source(entry: dict[str, Any]) -> str:
    """The checked document for one entry; the step is on its last line."""
    lines = [f"% derive: assume {a}" for a in entry.get("assume", [])]
    lines += [f"% derive: define {d}" for d in entry.get("define", [])]
    lines += [f"% derive: given {g}" for g in entry.get("given", [])]
    lines.append(f"\\[ {entry['latex']} \\]")
    return "\n".join(lines) + "\n"


def run_entry(entry: dict[str, Any], timeout: float) -> dict[str, Any]:
    """derive's verdict on one entry (``valid``/``invalid``/``unknown``/``given``/``unparsed``/``error``)."""
    from derive.check import check_text
    src = source(entry)
    step_line = src.count("\n")
    t0 = time.perf_counter()
    try:
        report = check_text(src, timeout=timeout)
    except Exception as exc:  # the checker must never raise; record it as a finding
        return {"id": entry["id"], "verdict": "error", "message": f"{type(exc).__name__}: {exc}",
                "seconds": time.perf_counter() - t0, "directive_errors": [], "steps": []}
    seconds = time.perf_counter() - t0
    on_line = [s for s in report.steps if s.line == step_line]
    directive_errors = [s.message for s in report.steps if s.line != step_line and s.verdict == "unparsed"]
    verdicts = [s.verdict for s in on_line]
    if not verdicts:
        verdict = "unparsed"
    elif all(v == "valid" for v in verdicts):
        verdict = "valid"
    elif "invalid" in verdicts:
        verdict = "invalid"
    else:
        verdict = next(v for v in ("unparsed", "unknown", "given", "valid") if v in verdicts)
    return {"id": entry["id"], "verdict": verdict, "seconds": seconds,
            "directive_errors": directive_errors,
            "steps": [{"verdict": s.verdict, "method": s.method, "message": s.message,
                       "counterexample": s.counterexample, "lhs": s.lhs, "rhs": s.rhs} for s in on_line],
            "message": "; ".join(s.message for s in on_line if s.message)[:300]}


def run_all(entries: list[dict[str, Any]], timeout: float, jobs: int) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    if jobs <= 1:
        for e in entries:
            results[e["id"]] = run_entry(e, timeout)
        return results
    # Not multiprocessing.Pool: its daemonic workers may not start the verifier's own workers.
    ctx = mproc.get_context("forkserver" if sys.platform.startswith("linux") else "spawn")
    pool = cf.ProcessPoolExecutor(jobs, mp_context=ctx)
    try:
        pending = [(e, pool.submit(run_entry, e, timeout)) for e in entries]
        for e, fut in pending:
            try:
                results[e["id"]] = fut.result(ENTRY_WALL)
            except cf.TimeoutError:
                results[e["id"]] = {"id": e["id"], "verdict": "timeout", "seconds": ENTRY_WALL,
                                    "directive_errors": [], "steps": [], "message": "no verdict in time"}
    finally:
        procs = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for p in procs:   # only the workers this script started
            if p.is_alive():
                p.terminate()
    return results


def summarise(entries: list[dict[str, Any]], results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    cats: dict[str, dict[str, Any]] = defaultdict(lambda: {"false": Counter(), "true": Counter()})
    certified_false, unparsed, not_certified_true, errors = [], [], [], []
    times = []
    for e in entries:
        r = results[e["id"]]
        key = "true" if e["truth"] else "false"
        cats[e["category"]][key][r["verdict"]] += 1
        times.append(r["seconds"])
        if not e["truth"] and r["verdict"] == "valid":
            certified_false.append(e["id"])
        if e["truth"] and r["verdict"] != "valid":
            not_certified_true.append(e["id"])
        if r["verdict"] in ("unparsed", "error", "timeout") or r["directive_errors"]:
            unparsed.append({"id": e["id"], "latex": e["latex"], "verdict": r["verdict"],
                             "message": r.get("message", ""), "directive_errors": r["directive_errors"]})
        if r["verdict"] == "error":
            errors.append(e["id"])

    def rates(c: dict[str, Counter]) -> dict[str, Any]:
        nf, nt = sum(c["false"].values()), sum(c["true"].values())
        return {"false_steps": nf, "true_steps": nt,
                "false_certified": c["false"]["valid"],
                "false_caught_pct": round(100.0 * c["false"]["invalid"] / nf, 1) if nf else None,
                "true_certified_pct": round(100.0 * c["true"]["valid"] / nt, 1) if nt else None,
                "false_verdicts": dict(c["false"]), "true_verdicts": dict(c["true"])}

    total: dict[str, Counter] = {"false": Counter(), "true": Counter()}
    for c in cats.values():
        total["false"] += c["false"]
        total["true"] += c["true"]
    times.sort()
    return {"overall": rates(total), "categories": {k: rates(v) for k, v in sorted(cats.items())},
            "certified_false": certified_false, "true_not_certified": not_certified_true,
            "unparsed": unparsed, "errors": errors,
            "seconds": {"median": times[len(times) // 2] if times else 0.0,
                        "p95": times[int(len(times) * 0.95)] if times else 0.0, "total": sum(times)}}


def print_text(s: dict[str, Any]) -> None:
    head = f"{'category':14} {'false':>5} {'certified':>9} {'caught%':>8} {'true':>5} {'valid%':>7}  false verdicts"
    print(head)
    print("-" * len(head))
    for name, r in list(s["categories"].items()) + [("ALL", s["overall"])]:
        fv = ", ".join(f"{k} {v}" for k, v in sorted(r["false_verdicts"].items()))
        print(f"{name:14} {r['false_steps']:>5} {r['false_certified']:>9} {r['false_caught_pct']!s:>8} "
              f"{r['true_steps']:>5} {r['true_certified_pct']!s:>7}  {fv}")
    print(f"\nfalse steps certified valid ({len(s['certified_false'])}): {' '.join(s['certified_false'])}")
    print(f"entries not parsed ({len(s['unparsed'])}): " + " ".join(u["id"] for u in s["unparsed"]))
    t = s["seconds"]
    print(f"time per step: median {t['median']:.2f}s, p95 {t['p95']:.2f}s, total {t['total']:.0f}s")


def markdown(s: dict[str, Any], entries: list[dict[str, Any]]) -> str:
    """The README section: the table per category and the entries that do not parse."""
    out = ["| category | false steps | false certified `valid` | false caught `invalid` | true neighbours | true certified `valid` |",
           "|---|---|---|---|---|---|"]
    for name, r in list(s["categories"].items()) + [("**all**", s["overall"])]:
        out.append(f"| {name} | {r['false_steps']} | {r['false_certified']} | {r['false_caught_pct']}% | "
                   f"{r['true_steps']} | {r['true_certified_pct']}% |")
    out += ["", f"False steps certified `valid` ({len(s['certified_false'])}): "
            + ", ".join(f"`{i}`" for i in s["certified_false"]), ""]
    latex = {e["id"]: e["latex"] for e in entries}
    steps = [u for u in s["unparsed"] if u["verdict"] in ("unparsed", "error", "timeout")]
    out.append(f"Steps whose math does not parse ({len(steps)}):")
    out.append("")
    out += [f"- `{u['id']}`: `{latex[u['id']]}` -- {u['message'][:120]}" for u in steps]
    groups: dict[str, list[str]] = defaultdict(list)
    for u in s["unparsed"]:
        for msg in dict.fromkeys(u["directive_errors"]):
            groups[msg].append(u["id"])
    n_dir = len({u["id"] for u in s["unparsed"] if u["directive_errors"]})
    out += ["", f"Directives the reader rejects ({n_dir} entries; the step is then "
            "judged without them):", ""]
    out += [f"- `{msg}`: " + ", ".join(f"`{i}`" for i in ids) for msg, ids in sorted(groups.items())]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true", help="print the summary as JSON (for benchmarks)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--only", default="", help="only entries whose id or category starts with this")
    ap.add_argument("--labels", action="store_true", help="re-check every label with the oracle first")
    ap.add_argument("--list", action="store_true", help="one line per entry")
    ap.add_argument("--markdown", action="store_true", help="the README section (table and unparsed entries)")
    a = ap.parse_args(argv)
    entries = [e for e in oracle.load() if e["id"].startswith(a.only) or e["category"].startswith(a.only)]
    if a.labels:
        problems = oracle.check_labels(entries)
        if problems:
            print("\n".join(problems), file=sys.stderr)
            print(f"{len(problems)} label problems; not scoring", file=sys.stderr)
            return 2
    t0 = time.perf_counter()
    results = run_all(entries, a.timeout, a.jobs)
    s = summarise(entries, results)
    s["wall_seconds"] = round(time.perf_counter() - t0, 1)
    if a.list:
        for e in entries:
            r = results[e["id"]]
            mark = "!!" if (not e["truth"] and r["verdict"] == "valid") else "  "
            print(f"{mark} {e['id']:10} {str(e['truth']):5} {r['verdict']:8} {r['seconds']:5.2f}s  {e['latex']}"
                  f"   [{r.get('message', '')[:80]}]")
    if a.markdown:
        print(markdown(s, entries))
        return 1 if s["certified_false"] else 0
    if a.json:
        s["entries"] = {e["id"]: {"truth": e["truth"], "category": e["category"],
                                  "verdict": results[e["id"]]["verdict"],
                                  "seconds": round(results[e["id"]]["seconds"], 3)} for e in entries}
        print(json.dumps(s, indent=1))
    else:
        print_text(s)
        print(f"wall time {s['wall_seconds']}s")
    return 1 if s["certified_false"] else 0


if __name__ == "__main__":
    sys.exit(main())
