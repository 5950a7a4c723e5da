"""``derive check`` on the real-style corpus (tests/check/real/): recall, false
alarms, understood lines and time, per style and in total, against issue 9's targets.

Run directly (``--json`` for the raw figures) or through ``benchmarks/run.py``.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Loaded by path under its own name: tests/verify/corpus/ has a score.py too.
_spec = importlib.util.spec_from_file_location("check_real_score", ROOT / "tests" / "check" / "real" / "score.py")
score = sys.modules.setdefault("check_real_score", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(score)

#: (figure, how to read it from a metrics dict, target, True if higher is better)
TARGETS = (
    ("false alarms", lambda m: m["false_alarms"]["pct"], 3.0, False),
    ("recall", lambda m: m["recall"]["pct"], 85.0, True),
    ("understood", lambda m: m["understood"]["pct"], 70.0, True),
    ("verify ms/step (median)", lambda m: m["ms_per_step_verify"]["median"], 20.0, False),
)


def main(argv: list[str]) -> int:
    result = score.score(score.documents())
    if "--json" in argv:
        print(json.dumps({k: result[k] for k in ("total", "styles", "documents")}, indent=2))
        return 0
    for d in result["documents"]:
        if d["mode"] != "native":
            print(f"real: {d['file']} read by the baseline fallback (notebook cells extracted by the scorer)")
    print("\n".join("real: " + line for line in score.table(result)))
    print("real: valid lines by kind: " + "; ".join(
        f"{k} {v['lines']} ({v['false_alarms']} flagged, {v['understood']} understood)" for k, v in result["kinds"].items()))
    total = result["total"]
    for name, get, target, higher in TARGETS:
        got = get(total)
        ok = got is not None and (got >= target if higher else got <= target)
        print(f"real: {name:<24} {got!s:>6}  target {'>=' if higher else '<='} {target:g}  {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
