"""``--annotate OUT.pdf``: every checked step re-typeset with a margin mark.

✓ proved, ≈ numeric, ✗ invalid (with a footnote giving the counterexample and
the condition), ? unknown or unparsed.  The template is ``annotate.tex.j2``;
the PDF is built by the engine's ``latex.build_pdf``.  A step whose LaTeX does
not compile on its own would break the document, so only parsed steps are set
as math; the others are shown verbatim.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pylatex.utils import escape_latex

from ..latex import build_pdf
from ..render import render
from .report import Report, describe, summary_line

_MARK = {"proved": 0, "numeric": 1, "invalid": 2}


@dataclass(frozen=True)
class _Line:
    line: int
    mark: int
    math: str
    raw: str
    note: str


def _view(report: Report) -> dict:
    steps = []
    for s in report.steps:
        mark = _MARK.get(s.method if s.verdict == "valid" else s.verdict, 3)
        if s.verdict == "given":
            mark = 4        # a definition is neither proved nor doubtful
        ok = s.verdict not in ("unparsed",) and s.lhs
        rel = {"<=": r"\le", ">=": r"\ge", "≈": r"\approx", "=>": r"\implies", "<=>": r"\iff"}.get(s.relation, s.relation)
        math = f"{s.lhs} {rel} {s.rhs}" if ok else ""
        raw = escape_latex(f"{s.lhs} {s.relation} {s.rhs}" if s.lhs else s.message)
        note = escape_latex(describe(s)) if s.verdict == "invalid" else ""
        steps.append(_Line(s.line, mark, math, raw, note))
    return {"name": escape_latex(report.file), "summary": escape_latex(summary_line([report])), "steps": steps}


def annotate(reports: list[Report], sources: list[tuple[str, str]], out: Path) -> Path:
    text = render("annotate.tex.j2", (), files=[_view(r) for r in reports])
    out = Path(out)
    # Build in a private temporary directory: nothing is left beside OUT.pdf.
    with tempfile.TemporaryDirectory(prefix="derive-annotate-") as work:
        pdf = build_pdf(text, Path(work), out.stem, force=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(pdf), out)
    return out
