"""The real-style corpus itself: documents, their label sidecars, the lint.

Format in README.md.  ``score.py`` runs the checker and counts; this module
only reads files (no derive import), so the labels can be checked on their own.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

HERE = Path(__file__).resolve().parent
SUFFIXES = (".md", ".tex", ".ipynb")
LABELS = ("valid", "invalid", "carried", "skip")
#: first word of a valid line's note -> the kind of line it is (anything else: a claim)
KINDS = {"data": "data", "definition": "definition", "definitions": "definition", "hypothesis": "hypothesis",
         "recall": "recall"}
_RELATION = re.compile(r"!=|(?<![<>!\\])=(?!=)|\\(?:le|leq|ge|geq|lt|gt|neq|ne|approx|sim|Rightarrow|implies|iff|to)(?![A-Za-z])|[<>]")
_MATH_SPANS = (
    re.compile(r"\\begin\{(align|equation|gather|multline|eqnarray)(\*?)\}(?P<body>.*?)\\end\{\1\2\}", re.S),
    re.compile(r"\$\$(?P<body>.+?)\$\$", re.S),
    re.compile(r"\\\[(?P<body>.+?)\\\]", re.S),
    re.compile(r"\\\((?P<body>.+?)\\\)", re.S),
    re.compile(r"(?<![\\$])\$(?P<body>[^$\n]+?)\$"),
)

# --------------------------------------------------------------------------- #
# Labels
# --------------------------------------------------------------------------- #

@dataclass(frozen=True)
class Label:
    line: int
    label: str
    note: str = ""

    @property
    def kind(self) -> str:
        """What a ``valid`` line is, from the first word of its note (else a claim)."""
        return KINDS.get(self.note.split(" ", 1)[0].rstrip(",;:"), "claim") if self.label == "valid" else self.label

    @property
    def follows(self) -> int | None:
        """For ``carried``: the earlier wrong line named in the note (``from 12``)."""
        m = re.search(r"\bfrom (?:line )?(\d+)", self.note)
        return int(m.group(1)) if m else None


@dataclass
class Document:
    path: Path
    style: str
    labels: dict[int, Label] = field(default_factory=dict)


class LabelError(ValueError):
    pass


def read_labels(path: Path) -> tuple[str, dict[int, Label]]:
    """``(style, {line: Label})`` from a sidecar; ``# style: NAME`` names the style."""
    style, out = "", {}
    for k, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = raw.strip()
        if not text:
            continue
        if text.startswith("#"):
            m = re.match(r"#\s*style:\s*(\S+)", text)
            if m:
                style = m.group(1)
            continue
        parts = text.split(None, 2)
        if len(parts) < 2 or not parts[0].isdigit() or parts[1] not in LABELS:
            raise LabelError(f"{path.name}:{k}: expected '<line> <{'|'.join(LABELS)}> [note]', got {raw!r}")
        line = int(parts[0])
        if line in out:
            raise LabelError(f"{path.name}:{k}: line {line} labelled twice")
        out[line] = Label(line, parts[1], parts[2] if len(parts) > 2 else "")
    if not style:
        raise LabelError(f"{path.name}: no '# style: NAME' line")
    return style, out


def documents(paths: Iterable[Path] = ()) -> list[Document]:
    chosen = [Path(p) for p in paths] or sorted(p for p in HERE.iterdir() if p.suffix in SUFFIXES)
    docs = []
    for p in chosen:
        side = p.with_suffix(".labels")
        if not side.exists():
            continue
        style, labels = read_labels(side)
        docs.append(Document(p, style, labels))
    return docs


def notebook_shadow(text: str) -> str:
    """Markdown-cell source of a notebook (one JSON string per line) at its own line numbers."""
    out: list[str] = []
    markdown = in_source = False
    for line in text.splitlines():
        s = line.strip()
        shadow = ""
        if s.startswith('"cell_type"'):
            markdown = '"markdown"' in s
        elif s.startswith('"source"'):
            in_source = not s.endswith("]") and not s.endswith("],")
        elif in_source and s in ("]", "],"):
            in_source = False
        elif in_source and markdown and s.startswith('"'):
            shadow = json.loads(s[:-1] if s.endswith(",") else s).rstrip("\n")
        out.append(shadow)
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- #
# Lint: every line that carries a relation in math is labelled
# --------------------------------------------------------------------------- #

def math_lines(path: Path) -> set[int]:
    """Lines of a document that hold math with a relation symbol (rough, for the lint)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        text = notebook_shadow(text)
    if path.suffix == ".tex":
        text = re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group(0)), text)
    taken = [False] * len(text)
    out: set[int] = set()
    for rx in _MATH_SPANS:
        for m in rx.finditer(text):
            if any(taken[m.start():m.end()]):
                continue
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            first = text.count("\n", 0, m.start("body")) + 1
            for k, piece in enumerate(m.group("body").split("\n")):
                if _RELATION.search(re.sub(r"\\text\{[^}]*\}", "", piece)):
                    out.add(first + k)
    return out


def lint(docs: list[Document]) -> list[str]:
    problems = []
    for d in docs:
        n = len(d.path.read_text(encoding="utf-8").splitlines())
        for ln in sorted(d.labels):
            if ln > n:
                problems.append(f"{d.path.name}:{ln}: label past the end of the file ({n} lines)")
        relations = math_lines(d.path)
        for ln in sorted(relations - set(d.labels)):
            problems.append(f"{d.path.name}:{ln}: a relation in math but no label")
        for ln in sorted(k for k, lab in d.labels.items() if lab.label != "skip" and k not in relations):
            problems.append(f"{d.path.name}:{ln}: scored ({d.labels[ln].label}) but no relation in math")
        for lab in d.labels.values():
            if lab.label == "carried" and lab.follows is None:
                problems.append(f"{d.path.name}:{lab.line}: carried without 'from N'")
            if lab.follows is not None and d.labels.get(lab.follows, Label(0, "")).label != "invalid":
                problems.append(f"{d.path.name}:{lab.line}: 'from {lab.follows}' is not an invalid line")
    return problems
