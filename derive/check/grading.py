"""Checked reports -> grader formats: Gradescope ``results.json`` and CSV.

``derive check --format gradescope -o results.json`` writes Gradescope's
autograder results: one test per checked step (``name``, ``score``,
``max_score``, ``output``, ``status``) and the total ``score``.
``derive check --format csv DIR/`` writes one row per submission and step.

Credit per verdict is a table (``CREDIT``): a valid step earns its points; an
invalid one none; an ``unknown`` or ``unparsed`` step none either, flagged
"needs review" in its output, because the checker could not decide it and a
person should.  ``given`` steps (definitions) are not claims and are not
graded.  A submission whose file could not be read, or has no steps, is one
test worth 0 saying so, so that the grader always has a result.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from .report import Report, StepReport, describe

FORMATS = ("gradescope", "csv")


@dataclass(frozen=True)
class Credit:
    verdict: str
    fraction: float
    note: str


CREDIT: dict[str, Credit] = {c.verdict: c for c in (
    Credit("valid", 1.0, "correct"),
    Credit("invalid", 0.0, "incorrect"),
    Credit("unknown", 0.0, "not decided by the checker; needs review"),
    Credit("unparsed", 0.0, "could not be read; needs review"),
)}


@dataclass(frozen=True)
class GradedStep:
    submission: str
    file: str
    step: StepReport | None      # None: the file has no steps or could not be read
    score: float
    max_score: float
    output: str

    @property
    def name(self) -> str:
        if self.step is None:
            return self.file
        s = self.step
        return f"{self.file}:{s.line}: {_short(s.lhs)} {s.relation} {_short(s.rhs)}"


def submission_of(file: str, roots: Sequence[str]) -> str:
    """The submission a file belongs to: its first folder below a DIR argument
    (``subs/alice/hw.tex`` -> ``alice``), else its stem (``subs/bob.tex`` -> ``bob``)."""
    path = Path(file)
    for root in roots:
        r = Path(root)
        if root != "-" and r.is_dir():
            try:
                rel = path.relative_to(r)
            except ValueError:
                continue
            return rel.parts[0] if len(rel.parts) > 1 else rel.stem
    return path.stem if file != "<stdin>" else file


def grade(reports: Iterable[Report], roots: Sequence[str] = (), failures: Iterable[tuple[str, str]] = (),
          max_score: float | None = None) -> list[GradedStep]:
    """One ``GradedStep`` per graded step (one point each, or ``max_score`` shared out)."""
    rows: list[GradedStep] = []
    for r in reports:
        sub = submission_of(r.file, roots)
        graded = [s for s in r.steps if s.verdict in CREDIT]
        if not graded:
            rows.append(GradedStep(sub, r.file, None, 0.0, 0.0, "no checkable steps found"))
        for s in graded:
            credit = CREDIT[s.verdict]
            detail = describe(s)
            rows.append(GradedStep(sub, r.file, s, credit.fraction, 1.0,
                                   f"{s.verdict}: {credit.note}" + (f" ({detail})" if detail else "")))
    for file, message in failures:
        rows.append(GradedStep(submission_of(file, roots), file, None, 0.0, 0.0, message))
    total = sum(g.max_score for g in rows)
    if max_score is not None and total > 0:
        k = max_score / total
        rows = [GradedStep(g.submission, g.file, g.step, g.score * k, g.max_score * k, g.output) for g in rows]
    return rows


def gradescope(rows: Sequence[GradedStep], summary: str = "") -> dict[str, Any]:
    """Gradescope's ``results.json``: ``score`` and ``tests`` (name, score, max_score, output, status)."""
    tests = [{"name": g.name, "score": round(g.score, 6), "max_score": round(g.max_score, 6),
              "output": g.output, "status": "passed" if g.score >= g.max_score > 0 else "failed"}
             for g in rows]
    return {"score": round(sum(g.score for g in rows), 6), "output": summary,
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}


CSV_FIELDS = ("submission", "file", "line", "relation", "lhs", "rhs", "verdict", "method", "detail",
              "score", "max_score")


def csv_text(rows: Sequence[GradedStep]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_FIELDS)
    for g in rows:
        s = g.step
        if s is None:
            w.writerow([g.submission, g.file, "", "", "", "", "none", "", g.output, _num(g.score), _num(g.max_score)])
        else:
            w.writerow([g.submission, g.file, s.line, s.relation, _safe(s.lhs), _safe(s.rhs), s.verdict,
                        s.method, _safe(describe(s)), _num(g.score), _num(g.max_score)])
    return out.getvalue()


def render(fmt: str, reports: Sequence[Report], roots: Sequence[str], failures: Iterable[tuple[str, str]] = (),
           max_score: float | None = None, summary: str = "") -> str:
    rows = grade(reports, roots, failures, max_score)
    if fmt == "gradescope":
        return json.dumps(gradescope(rows, summary), indent=2, ensure_ascii=False) + "\n"
    return csv_text(rows)


def _num(x: float) -> str:
    return f"{x:.6g}"


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _short(text: str, limit: int = 60) -> str:
    t = " ".join(text.split())
    return t if len(t) <= limit else t[:limit - 3] + "..."
