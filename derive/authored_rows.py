"""The rows of a TA's ``steps``: each relation of the ``align`` body with its place in the TOML
file and its ``% why:`` / ``% result:`` annotations (``authored`` turns rows into steps).

Only math is read: a body that uses a TeX primitive that reads or writes files or defines
macros (``_DANGEROUS``) is refused with a ``SpecError``, and so is one with more than
``MAX_ROWS`` relations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import SpecError

_WHY = re.compile(r"%\s*why\s*:\s*(.*?)\s*(?=%\s*result\s*:|$)")
_RESULT = re.compile(r"%\s*result\s*:\s*([A-Za-z_][A-Za-z0-9_]*)")
_TEXT = re.compile(r"\\text\s*\{([^{}]*)\}\s*$")
_BOXED = re.compile(r"\\boxed\s*\{")
_DANGEROUS = re.compile(r"\\(?:input|include|write|openout|openin|read|def|edef|gdef|xdef|let|catcode"
                        r"|newcommand|renewcommand|csname|immediate|special|usepackage)(?![A-Za-z])")
MAX_ROWS = 60


@dataclass(frozen=True)
class Row:
    """One relation as written: its place, its sides as text, its annotations."""

    line: int               # in the TOML file (0: unknown)
    source: str             # the row's text (for error messages only, never typeset)
    raw: Any                # the extractor's RawStep
    why: str
    result: str | None
    boxed: bool


def rows(steps: str, first_line: int, where: str) -> list[Row]:
    """The relations of an align body, with their ``% why:`` / ``% result:`` annotations."""
    from .check.extract import extract

    if _DANGEROUS.search(steps):
        bad = _DANGEROUS.search(steps).group(0)
        raise SpecError(f"{where}: steps may not use {bad} (only math is read)")
    head = "\\begin{align*}\n"
    ex = extract(head + _breaks(steps) + "\n\\end{align*}\n")
    if ex.problems:
        raise SpecError(f"{where}: cannot read the steps: {ex.problems[0][1]}")
    lines = steps.splitlines()
    out: list[Row] = []
    for r in ex.steps:
        if len(out) >= MAX_ROWS:
            raise SpecError(f"{where}: more than {MAX_ROWS} steps")
        start = ex.line_of(r.lhs.offset if r.first else r.offset) - 2
        end = ex.line_of(r.rhs.offset + len(r.rhs.text.rstrip())) - 2
        own = " ".join(lines[max(start, 0):end + 1])
        comment = own[own.find("%"):] if "%" in own else ""
        why = _WHY.search(comment)
        result = _RESULT.search(comment)
        text = _TEXT.search(own.split("%")[0].rstrip().rstrip("\\").rstrip())
        justification = why.group(1) if why else (text.group(1) if text else "")
        code = " ".join(own.split("%")[0].split()).removesuffix("\\\\").strip()
        out.append(Row(first_line + end if first_line else 0, code[:160], r,
                       justification[:200], result.group(1) if result else None,
                       bool(_BOXED.search(code))))    # the reader blanks \boxed (layout): the row's own text
    if not out:
        raise SpecError(f"{where}: the steps hold no relation (write rows like 'a &= b')")
    return out


def _breaks(steps: str) -> str:
    """Without any ``\\\\``, each line is a row: end it with ``\\\\`` (before its comment)."""
    if "\\\\" in steps:
        return steps
    out = []
    for ln in steps.splitlines():
        code, pct, comment = ln.partition("%")
        out.append(f"{code} \\\\ {pct}{comment}" if code.strip() else ln)
    return "\n".join(out)
