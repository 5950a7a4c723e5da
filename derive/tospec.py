"""``derive check --to-spec OUT.toml``: a checked document whose steps all hold -> a sheet problem.

The document's math regions that hold steps become the problem's ``steps``
(an align body, one region after another), its ``% derive:`` directives (and
``--assume``/``--given``) its ``assume``/``define``/``given``.  Only a document
whose every step is ``valid`` (or ``given``) is turned into a problem; the
sheet build then reads and verifies the steps again (``derive.authored``).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Sequence

from .errors import InvalidStepError, UsageError


def _toml_string(text: str) -> str:
    """A TOML literal string when possible (readable LaTeX), else a basic string (JSON escapes)."""
    if "\n" in text and "'''" not in text:
        return "'''\n" + text + "\n'''"
    if "\n" not in text and "'" not in text:
        return f"'{text}'"
    return json.dumps(text)


def problem_table(report: object, src: str, assume: Sequence[str] = (), given: Sequence[str] = (),
                  pid: str = "P1") -> str:
    """The ``[[problem]]`` table of one checked document (raises if a step is not valid)."""
    from .check.document import kind_of, read_document
    from .check.extract import extract

    steps = list(report.steps)
    bad = [s for s in steps if s.verdict not in ("valid", "given")]
    if bad:
        raise InvalidStepError(f"{report.file}, line {bad[0].line}: a step is {bad[0].verdict}; "
                               "--to-spec needs every step valid")
    if not steps:
        raise UsageError(f"{report.file}: no steps found, nothing to turn into a problem")
    doc = read_document(src, kind_of(report.file))
    ex = extract(doc.text, doc)
    bodies = []
    for r in ex.all_regions:
        if any(r.start <= s.offset < r.end for s in ex.steps):
            body = ex.cleaned[r.body_start:r.body_end]
            bodies.append("\n".join(ln.rstrip() for ln in body.strip("\n").splitlines() if ln.strip()))
    kinds = {"assume": list(assume), "define": [], "given": list(given)}
    for d in ex.directives:
        kinds[d.kind].append(d.text)
    title = re.sub(r"[^\w .,-]", " ", Path(report.file).stem).strip() or "Problem"
    lines = ["[[problem]]", f'id = "{pid}"', f"title = {json.dumps(title)}"]
    for key, texts in kinds.items():
        if texts:
            lines.append(f"{key} = [" + ", ".join(_toml_string(t) for t in texts) + "]")
    body = " \\\\\n".join(b.rstrip().removesuffix("\\\\").rstrip() for b in bodies)
    lines.append("steps = " + _toml_string(body))
    return "\n".join(lines) + "\n"


def write_spec(reports: Sequence[object], sources: Sequence[tuple[str, str]], out: Path,
               assume: Sequence[str] = (), given: Sequence[str] = ()) -> Path:
    """One sheet spec with a problem per checked document."""
    from .latex import write_atomic

    by_name = dict(sources)
    tables = [problem_table(r, by_name[r.file], assume, given, f"P{i}") for i, r in enumerate(reports, 1)]
    write_atomic(out, 'title = "Problems from checked work"\n\n' + "\n".join(tables))
    return out


__all__ = ["problem_table", "write_spec"]
