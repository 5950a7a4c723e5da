"""``--annotate OUT.pdf``: every checked step re-typeset with a margin mark.

✓ proved, ≈ numeric, ✗ invalid (with a footnote giving the counterexample and
the condition), ? unknown or unparsed.  The template is ``annotate.tex.j2``;
the PDF is built by the engine's ``latex.build_pdf``.  A step whose LaTeX does
not compile on its own would break the document, so only parsed steps are set
as math; the others are shown verbatim.

The document is untrusted: its math is re-typeset only when every control
sequence in it is a known, harmless math macro (``SAFE_MACROS``), braces and
``\\left``/``\\right`` balance, and no catcode trick (``^^5c``, ``%``, ``#``)
appears; anything else is shown as escaped text.  So ``\\input``, ``\\csname``,
``\\def`` and friends never reach TeX.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pylatex.utils import escape_latex

from ..latex import build_pdf
from ..render import render
from .report import Report, describe, summary_line

_MARK = {"proved": 0, "numeric": 1, "invalid": 2}

_GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
          "pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda "
          "Xi Pi Sigma Upsilon Phi Psi Omega")
#: Control words that only typeset mathematics (no file, catcode or definition side effects).
SAFE_MACROS = frozenset((_GREEK + " frac dfrac tfrac sqrt sum prod int iint oint lim limsup liminf log ln lg exp "
                         "sin cos tan cot sec csc sinh cosh tanh arcsin arccos arctan max min sup inf arg det dim "
                         "ker deg gcd Pr mathbb mathrm mathcal mathbf mathit mathsf mathtt mathfrak boldsymbol "
                         "operatorname text textrm textit textbf left right big Big bigg Bigg bigl bigr Bigl Bigr "
                         "biggl biggr middle cdot cdots ldots dots vdots ddots times div pm mp le leq ge geq ne neq "
                         "lt gt approx sim simeq cong equiv propto to rightarrow leftarrow Rightarrow Leftarrow "
                         "implies impliedby iff Leftrightarrow leftrightarrow mapsto longrightarrow infty partial "
                         "nabla hat bar tilde vec dot ddot widehat widetilde overline underline prime top intercal "
                         "mid lvert rvert lVert rVert vert Vert langle rangle lfloor rfloor lceil rceil quad qquad "
                         "displaystyle textstyle in notin ni subset subseteq supset supseteq cup cap setminus "
                         "forall exists emptyset varnothing star ast circ odot otimes oplus binom dagger ell "
                         "llbracket rrbracket ll gg leqslant geqslant").split())
_TOKEN = re.compile(r"\\([A-Za-z]+)|\\(.)|(.)", re.S)
_PLAIN = re.compile(r"[A-Za-z0-9\s+\-*/=<>()\[\]|,.;:!'~^_{}]")


def safe_math(src: str) -> str | None:
    """``src`` when it is plain math made of ``SAFE_MACROS`` only, else ``None`` (show it escaped)."""
    if not src or "^^" in src or len(src) > 4000:
        return None
    depth = lr = 0
    for m in _TOKEN.finditer(src):
        word, symbol, char = m.groups()
        if word is not None:
            if word not in SAFE_MACROS:
                return None
            lr += (word == "left") - (word == "right")
        elif symbol is not None:
            if symbol not in ",;:! |{}_%#&$":
                return None
        elif not _PLAIN.fullmatch(char):
            return None
        elif char in "{}":
            depth += 1 if char == "{" else -1
            if depth < 0:
                return None
    return src if depth == 0 and lr == 0 else None


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
        lhs, rhs = (safe_math(s.lhs), safe_math(s.rhs)) if ok else (None, None)
        math = f"{lhs} {rel} {rhs}" if lhs is not None and rhs is not None else ""
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
