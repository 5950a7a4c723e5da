"""Score ``derive check`` on the real-style corpus in this directory.

Every document ``NAME.{md,tex,ipynb}`` here has a sidecar ``NAME.labels``
(format in README.md).  Each document is checked the way a user checks it,
``derive check --json FILE``, in process through ``derive.cli.main``, and its
steps are matched to the labelled lines by line number.  Figures, per style and
in total:

- recall: ``invalid`` lines with at least one step reported ``invalid``;
- false alarms: ``valid`` + ``carried`` lines with at least one step ``invalid``;
- understood: ``valid`` lines with at least one step and every step ``valid``
  or ``given`` (or, once the checker reports roles, a non-claim role such as
  ``definition``/``hypothesis``/``data``/``recall`` that is not ``invalid``/``unparsed``);
- time: wall time per document, and the verifier's time per step (median, p95).

``python3 tests/check/real/score.py [--json] [--details] [--lint] [--against BEFORE.json] [FILE...]``.

BASELINE FALLBACK (clearly marked in the output as ``mode: fallback``): until
the checker reads ``.ipynb`` itself, a notebook is turned into a "shadow" text
whose line k holds the decoded markdown-cell source of the notebook's line k
(other lines blank), and that text is checked as LaTeX.  This exists only to
measure today's baseline; as soon as ``derive/check`` mentions ``ipynb`` the
notebook is given to ``derive check`` unchanged (``--mode native`` forces it).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from real_corpus import (KINDS, LABELS, SUFFIXES, Document, Label, LabelError, documents,  # noqa: E402
                         lint, math_lines, notebook_shadow, read_labels)

__all__ = ["KINDS", "LABELS", "SUFFIXES", "Document", "Label", "LabelError", "LineResult", "changes", "documents",
           "lint", "math_lines", "metrics", "notebook_shadow", "read_labels", "run_check", "score", "table"]

#: roles a checker may give a relation that is not judged as a claim
NON_CLAIM_ROLES = frozenset({"definition", "hypothesis", "data", "recall", "condition", "given"})
#: verdicts that count as understood on a correct line
UNDERSTOOD = frozenset({"valid", "given"})

# --------------------------------------------------------------------------- #
# Running the checker
# --------------------------------------------------------------------------- #

def native_support(suffix: str) -> bool:
    """Whether ``derive check`` reads this file type itself (else the baseline fallback)."""
    if suffix != ".ipynb":
        return True
    pkg = ROOT / "derive" / "check"
    return any("ipynb" in f.read_text(encoding="utf-8") for f in pkg.rglob("*.py"))


class _StepTimer:
    """Times every ``Verifier.verify_step`` call made in this process."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._orig: Any = None

    def __enter__(self) -> "_StepTimer":
        from derive.verify import Verifier

        self._cls, self._orig = Verifier, getattr(Verifier, "verify_step", None)
        if self._orig is not None:
            orig, samples = self._orig, self.samples

            def timed(this: Any, *a: Any, **kw: Any) -> Any:
                t0 = time.perf_counter()
                try:
                    return orig(this, *a, **kw)
                finally:
                    samples.append(time.perf_counter() - t0)

            self._cls.verify_step = timed
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._orig is not None:
            self._cls.verify_step = self._orig


def run_check(path: Path, timeout: float, mode: str) -> tuple[list[dict[str, Any]], str, float, list[float]]:
    """Steps reported by ``derive check --json`` for one document, the mode, seconds, step times."""
    from derive.cli import main

    use_native = mode == "native" or (mode == "auto" and native_support(path.suffix))
    target = str(path)
    tmp = None
    if not use_native:
        import tempfile

        tmp = tempfile.NamedTemporaryFile("w", suffix=".tex", delete=False, encoding="utf-8")
        tmp.write(notebook_shadow(path.read_text(encoding="utf-8")))
        tmp.close()
        target = tmp.name
    out, err = io.StringIO(), io.StringIO()
    try:
        with _StepTimer() as timer, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            t0 = time.perf_counter()
            code = main(["check", "--json", "--timeout", str(timeout), target])
            elapsed = time.perf_counter() - t0
    finally:
        if tmp is not None:
            Path(tmp.name).unlink()
    if code not in (0, 1):
        raise RuntimeError(f"derive check {path.name}: exit {code}: {err.getvalue().strip()}")
    data = json.loads(out.getvalue())
    if isinstance(data, list):
        data = data[0]
    return data.get("steps", []), "native" if use_native else "fallback", elapsed, timer.samples


# --------------------------------------------------------------------------- #
# Scoring
# --------------------------------------------------------------------------- #

def understood_step(s: dict[str, Any]) -> bool:
    if s.get("verdict") in UNDERSTOOD or s.get("verdict") in NON_CLAIM_ROLES:
        return True
    return s.get("role") in NON_CLAIM_ROLES and s.get("verdict") not in ("invalid", "unparsed")


def follows_line(s: dict[str, Any]) -> int | None:
    if isinstance(s.get("follows"), int):
        return s["follows"]
    m = re.search(r"follows from line (\d+)", str(s.get("message", "")))
    return int(m.group(1)) if m else None


@dataclass
class LineResult:
    file: str
    style: str
    line: int
    label: str
    note: str
    steps: list[dict[str, Any]]
    kind: str = "claim"

    @property
    def flagged(self) -> bool:
        return any(s.get("verdict") == "invalid" for s in self.steps)

    @property
    def understood(self) -> bool:
        return bool(self.steps) and all(understood_step(s) for s in self.steps)

    def brief(self) -> str:
        got = ", ".join(f"{s.get('verdict')}" + (f"[{s['role']}]" if s.get("role") else "")
                        + (f" ({_short(s.get('message') or '')})" if s.get("message") else "")
                        for s in self.steps) or "no step"
        return f"{self.file}:{self.line}: {self.label}: {got}"


def _short(text: str, limit: int = 90) -> str:
    t = " ".join(str(text).split())
    return t if len(t) <= limit else t[:limit - 3] + "..."


def _pct(a: int, b: int) -> float | None:
    return round(100.0 * a / b, 1) if b else None


def metrics(rows: list[LineResult], docs_time: float, step_times: list[float], stray: int) -> dict[str, Any]:
    by = {lab: [r for r in rows if r.label == lab] for lab in LABELS}
    inv, val, car = by["invalid"], by["valid"], by["carried"]
    correct = val + car
    caught = sum(r.flagged for r in inv)
    alarms = sum(r.flagged for r in correct)
    understood = sum(r.understood for r in val)
    flagged_all = caught + alarms + sum(r.flagged for r in by["skip"]) + stray
    followed = sum(1 for r in car if r.steps and any(follows_line(s) for s in r.steps))
    steps = sum(len(r.steps) for r in rows)
    st = sorted(step_times)
    return {
        "lines": {lab: len(v) for lab, v in by.items()},
        "recall": {"count": caught, "of": len(inv), "pct": _pct(caught, len(inv))},
        "false_alarms": {"count": alarms, "of": len(correct), "pct": _pct(alarms, len(correct))},
        "understood": {"count": understood, "of": len(val), "pct": _pct(understood, len(val))},
        "precision": {"count": caught, "of": flagged_all, "pct": _pct(caught, flagged_all)},
        "carried_followed": {"count": followed, "of": len(car)},
        "flags_on_skip_or_unlabelled": sum(r.flagged for r in by["skip"]) + stray,
        "unread": sum(1 for r in val + inv + car if not r.steps),
        "steps": steps,
        "seconds": round(docs_time, 3),
        "ms_per_line": round(1000 * docs_time / max(len(val + inv + car), 1), 1),
        "ms_per_step_verify": {
            "median": round(1000 * statistics.median(st), 1) if st else None,
            "p95": round(1000 * st[math.ceil(0.95 * len(st)) - 1], 1) if st else None,  # nearest rank
            "n": len(st),
        },
    }


def score(docs: list[Document], timeout: float = 5.0, mode: str = "auto") -> dict[str, Any]:
    rows: list[LineResult] = []
    per_doc: list[dict[str, Any]] = []
    stray_steps: list[dict[str, Any]] = []
    times: dict[str, list[float]] = {}
    secs: dict[str, float] = {}
    stray_by: dict[str, int] = {}
    for d in docs:
        steps, used, elapsed, samples = run_check(d.path, timeout, mode)
        on: dict[int, list[dict[str, Any]]] = {}
        for s in steps:
            on.setdefault(int(s.get("line", 0)), []).append(s)
        doc_rows = [LineResult(d.path.name, d.style, lab.line, lab.label, lab.note, on.get(lab.line, []), lab.kind)
                    for lab in sorted(d.labels.values(), key=lambda x: x.line)]
        rows += doc_rows
        stray = [dict(s, file=d.path.name) for ln, ss in on.items() if ln not in d.labels for s in ss]
        stray_steps += stray
        n_stray = sum(s.get("verdict") == "invalid" for s in stray)
        times.setdefault(d.style, []).extend(samples)
        secs[d.style] = secs.get(d.style, 0.0) + elapsed
        stray_by[d.style] = stray_by.get(d.style, 0) + n_stray
        per_doc.append({"file": d.path.name, "style": d.style, "mode": used,
                        **metrics(doc_rows, elapsed, samples, n_stray)})
    styles = sorted({d.style for d in docs})
    return {
        "total": metrics(rows, sum(secs.values()), [t for v in times.values() for t in v], sum(stray_by.values())),
        "styles": {s: metrics([r for r in rows if r.style == s], secs.get(s, 0.0), times.get(s, []),
                              stray_by.get(s, 0)) for s in styles},
        "kinds": {k: {"lines": len(rs), "false_alarms": sum(r.flagged for r in rs),
                      "understood": sum(r.understood for r in rs)}
                  for k in ("claim", "data", "definition", "hypothesis", "recall")
                  for rs in [[r for r in rows if r.label == "valid" and r.kind == k]]},
        "documents": per_doc,
        "false_alarms": [r.brief() for r in rows if r.label in ("valid", "carried") and r.flagged],
        "missed": [r.brief() for r in rows if r.label == "invalid" and not r.flagged],
        "not_understood": [r.brief() for r in rows if r.label == "valid" and not r.understood and not r.flagged],
        "unlabelled_steps": [f"{s['file']}:{s.get('line')}: {s.get('verdict')}: {_short(s.get('lhs', ''), 40)} "
                             f"{s.get('relation')} {_short(s.get('rhs', ''), 40)}" for s in stray_steps],
    }


# --------------------------------------------------------------------------- #
# Output
# --------------------------------------------------------------------------- #

def table(result: dict[str, Any]) -> list[str]:
    head = f"{'style':<10} {'lines':>5} {'recall':>12} {'false alarms':>16} {'understood':>16} {'precision':>12} {'ms/line':>8} {'verify ms med/p95':>18}"
    out = [head, "-" * len(head)]
    groups = list(result["styles"].items()) + [("TOTAL", result["total"])]
    for name, m in groups:
        n = sum(v for k, v in m["lines"].items() if k != "skip")
        rc, fa, un, pr = m["recall"], m["false_alarms"], m["understood"], m["precision"]
        st = m["ms_per_step_verify"]
        out.append(f"{name:<10} {n:>5} {rc['count']:>4}/{rc['of']:<3}{_p(rc['pct']):>5} "
                   f"{fa['count']:>4}/{fa['of']:<4}{_p(fa['pct']):>7} {un['count']:>4}/{un['of']:<4}{_p(un['pct']):>7} "
                   f"{pr['count']:>3}/{pr['of']:<3}{_p(pr['pct']):>5} {m['ms_per_line']:>8} "
                   f"{str(st['median']) + ' / ' + str(st['p95']):>18}")
    return out


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Lines whose outcome changed between two ``--json`` results (false alarms, misses, not understood)."""
    def where(items: list[str]) -> dict[str, str]:
        return {x.split(": ", 1)[0]: x for x in items}

    out = []
    for key, worse, better in (("false_alarms", "new false alarm", "false alarm gone"),
                               ("missed", "error now missed", "error now caught"),
                               ("not_understood", "no longer understood", "now understood")):
        b, a = where(before.get(key, [])), where(after.get(key, []))
        out += [f"{worse}: {a[k]}" for k in sorted(set(a) - set(b))]
        out += [f"{better}: {b[k]}" for k in sorted(set(b) - set(a))]
    return out


def _p(x: float | None) -> str:
    return "  -" if x is None else f"{x:.0f}%"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--json", action="store_true", help="the full result as JSON")
    ap.add_argument("--details", action="store_true", help="list false alarms, misses, lines not understood")
    ap.add_argument("--lint", action="store_true", help="only check the labels against the documents")
    ap.add_argument("--against", type=Path, metavar="BEFORE.json",
                    help="also list the lines whose outcome changed since a saved --json result")
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--mode", choices=("auto", "native", "fallback"), default="auto",
                    help="fallback = baseline-only notebook extraction (see module doc)")
    args = ap.parse_args(argv)
    docs = documents(args.files)
    problems = lint(docs)
    if args.lint:
        print("\n".join(problems) or f"labels ok: {len(docs)} documents, "
              f"{sum(len(d.labels) for d in docs)} labelled lines")
        return 1 if problems else 0
    result = score(docs, args.timeout, args.mode)
    result["lint"] = problems
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    for d in result["documents"]:
        if d["mode"] != "native":
            print(f"note: {d['file']} read by the BASELINE FALLBACK (markdown cells extracted by score.py)")
    print("\n".join(table(result)))
    print("valid lines by kind: " + "; ".join(f"{k} {v['lines']} ({v['false_alarms']} flagged, {v['understood']} understood)"
                                            for k, v in result["kinds"].items()))
    if args.against:
        print(f"\nchanged since {args.against.name}:")
        print("\n".join("  " + x for x in changes(json.loads(args.against.read_text()), result)) or "  nothing")
    if args.details:
        for key in ("false_alarms", "missed", "not_understood", "unlabelled_steps", "lint"):
            print(f"\n{key} ({len(result[key])}):")
            print("\n".join("  " + x for x in result[key]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
