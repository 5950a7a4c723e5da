"""Jupyter display (``_repr_latex_``): a derivation as plain MathJax that fits a cell.

Only standard macros appear, since MathJax does not know ``derive.sty``.  A
row is fitted to ``NOTEBOOK_WIDTH`` printed characters: a long sum on the right
continues on ``\\quad`` lines, a row still too wide carries its justification
on the line below, and headings wrap.  ``math_width`` estimates how wide LaTeX
renders (a macro is one symbol; a fraction is as wide as its wider half).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sympy as sp

from .printer import tex
from .render import render, step_views, tex_value
from .step import Derivation, VerifiedDerivation


def _one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class _Row:
    lhs: str
    rel: str
    rhs: str
    rule: str
    mark: str
    continues: bool
    more: tuple[str, ...] = ()    # further lines of a long right side (``\quad + ...``)
    below: bool = False           # the justification goes on its own line


_MATHJAX_MARKS = {"proved": r"\checkmark", "numeric": r"\text{(numeric)}"}

#: A notebook cell shows about this many printed characters of math per line.
NOTEBOOK_WIDTH = 72


def _mathjax_text(text: str) -> str:
    """Plain text safe inside MathJax's ``\\text{}`` (which knows no text macros)."""
    return _one_line(re.sub(r"[\\{}$&#%]", " ", text))


_INVISIBLE = re.compile(r"\\(left|right|middle|mathrm|mathcal|mathbb|operatorname|limits|displaystyle)(?![a-zA-Z])")


_SCRIPT = re.compile(r"[_^]\{([^{}]*)\}")
_FRAC = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")


def math_width(latex: str) -> int:
    """Roughly how many characters wide ``latex`` renders: a macro is one symbol
    and a fraction is as wide as the wider of its numerator and denominator."""
    text = _INVISIBLE.sub("", latex)
    for pattern, repl in ((_SCRIPT, lambda m: m[1]),
                          (_FRAC, lambda m: "x" * max(math_width(m[1]), math_width(m[2])))):
        while True:
            new = pattern.sub(repl, text)
            if new == text:
                break
            text = new
    text = re.sub(r"\\[a-zA-Z]+", "x", text)
    return len(re.sub(r"[{}_^\s]|\\[,;:! ]", "", text))


def _fit(lhs: str, rel: str, rhs: str, rule: str, mark: str, continues: bool, value: Any,
         head: str = "") -> _Row:
    """A row that fits ``NOTEBOOK_WIDTH``: a long sum on the right is broken
    between terms, and a row still too wide gets its justification below.
    ``head`` is the left side of the chain a continuing row belongs to (what is
    shown left of its relation)."""
    from .printer import tex_lines

    more: tuple[str, ...] = ()
    left = math_width(head if continues else lhs)
    room = NOTEBOOK_WIDTH - left - 4
    if isinstance(value, sp.Add) and math_width(rhs) > room and tex(value) == rhs:
        lines = tex_lines(value, max(24, room))
        rhs, more = lines[0], tuple(lines[1:])
    widest = max([left + math_width(rhs) + 3] + [left + math_width(m) + 4 for m in more])
    below = bool(more) or widest + len(rule) + 4 > NOTEBOOK_WIDTH
    return _Row(lhs, rel, rhs, rule, mark, continues, more, below)


def _wrap(text: str, width: int = NOTEBOOK_WIDTH) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def notebook_latex(obj: Derivation | VerifiedDerivation) -> str:
    """``$$\\begin{aligned}...$$`` for Jupyter: the steps, marks and boxed results.

    Only standard macros appear, since MathJax does not know ``derive.sty``.  An
    unverified derivation shows its steps without marks, under a warning.  Rows
    are fitted to a notebook's width (``_fit``); headings wrap.
    """
    verified = isinstance(obj, VerifiedDerivation)
    d = obj.derivation if verified else obj
    parts = []
    if verified:
        for part, checked in obj.checked_parts():
            rows, head = [], ""
            for v, cs in zip(step_views(checked), checked):
                head = head if v.continues else v.lhs
                rows.append(_fit(v.lhs, v.rel, v.rhs, _mathjax_text(cs.step.why.rule), _MATHJAX_MARKS[v.verdict],
                                 v.continues, cs.step.rhs, head))
            parts.append(_notebook_part(part, rows))
    else:
        for part in d.parts:
            rows = [_fit(tex(s.lhs), s.rel.latex, tex(s.rhs), _mathjax_text(s.why.rule), "", False, s.rhs)
                    for s in part.steps]
            parts.append(_notebook_part(part, rows))
    return render("notebook.tex.j2", title=_wrap(_mathjax_text(d.title)), verified=verified, parts=parts)


def _notebook_part(part: Any, rows: list[_Row]) -> dict[str, Any]:
    heading = f"({part.label}) {part.heading}" if part.label else part.heading
    return {"heading": _wrap(_mathjax_text(heading)), "rows": rows,
            "results": [(tex_value(r.label), tex_value(r.value)) for r in part.results]}


__all__ = ["notebook_latex", "math_width", "NOTEBOOK_WIDTH"]
