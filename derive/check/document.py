"""Documents -> a LaTeX-like text with the original line numbers, and scope marks.

The checker reads three kinds of document, chosen by file type (``kind_of``):

* ``tex``: the source as it is;
* ``md`` (Markdown, as OCR tools and chat assistants write it): fenced and
  inline code are blanked, ``%`` in prose is a percent sign, not a comment,
  ``<!-- derive: ... -->`` is a directive, and headings (``#``, ``##``...) and
  part labels (``**(b)**``, ``Part (c)``, ``3/b.``) open scopes;
* ``ipynb`` (Jupyter): the markdown cells, read as Markdown.  Line numbers are
  lines of the notebook's JSON file (where nbformat writes each source line as
  one JSON string, so an editor jumps to the right place); when a cell's
  source is one string, its lines are counted from the line of that string.

Every kind becomes one ``Document``: ``text`` has the same length as the
Markdown it came from, everything the checker must ignore blanked with spaces,
so offsets found in ``text`` are offsets into that Markdown; ``line_map``
(notebooks only) maps a line of ``text`` to the line of the file.
"""
from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

KINDS = ("tex", "md", "ipynb")
_SUFFIX = {".tex": "tex", ".ltx": "tex", ".md": "md", ".markdown": "md", ".mmd": "md", ".txt": "md",
           ".ipynb": "ipynb"}


class DocumentError(Exception):
    """A document that cannot be read as its kind (a notebook that is not JSON)."""


@dataclass(frozen=True)
class ScopeMark:
    """A heading or part label at ``offset``: ``hard`` ones start a fresh scope
    (a section, a Markdown ``#``/``##`` heading or a heading naming a problem),
    soft ones a sub-scope (a part) whose facts still flow forward."""

    offset: int
    hard: bool
    label: str


@dataclass
class Document:
    kind: str
    text: str
    marks: list[ScopeMark] = field(default_factory=list)
    #: line of ``text`` (1-based, index - 1) -> line of the original file; ``None``: the same
    line_map: list[int] | None = None

    def file_line(self, line: int) -> int:
        if self.line_map is None or not 0 < line <= len(self.line_map):
            return line
        return self.line_map[line - 1]


def kind_of(name: str, default: str = "tex") -> str:
    """The document kind of a file name (``default`` for stdin and unknown suffixes)."""
    m = re.search(r"\.[A-Za-z]+$", name)
    return _SUFFIX.get(m.group(0).lower(), default) if m else default


def read_document(src: str, kind: str = "tex") -> Document:
    if kind == "md":
        return _markdown(src)
    if kind == "ipynb":
        return _notebook(src)
    return Document("tex", src, [ScopeMark(m.start(), False, "subsection") for m in _TEX_PART.finditer(src)])


# --------------------------------------------------------------------------- #
# Markdown
# --------------------------------------------------------------------------- #

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*$", re.M)
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_HTML_DIRECTIVE = re.compile(r"<!--(\s*derive\s*:[^\n]*?)-->")
_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*)$", re.M)
_PROBLEM_WORD = re.compile(r"^\W*(problem|question|exercise|task|homework|q\s*\d)", re.I)
#: part labels at the start of a line: **(b)**, (b), b), Part (c), **Part c:**, 3/b., 3(b), (ii), ii.
_PART = re.compile(
    r"^[ \t>*_-]*(?:\*\*|__)?[ \t]*(?P<label>"
    r"(?:part|step)[ \t]*\(?[a-z0-9]{1,3}\)?[.:)]?"
    r"|\d{1,2}[ \t]*/[ \t]*[a-z]\b[.:)]?"
    r"|\d{1,2}[ \t]*\([a-z]\)[.:]?"
    r"|\((?:[a-h]|i{1,3}|iv|vi{0,3}|ix)\)[.:]?"
    r"|(?:[a-h]|i{1,3}|iv|vi{0,3}|ix)[.)](?=[ \t*_]|$)"
    r"|\\textcircled\s*\{\s*\d{1,2}\s*\}|[\u2460-\u2473]"
    r"|-{3,}[ \t]*$"
    r")", re.I | re.M)
#: LaTeX: subsections are parts of the section around them (a \\section is a fresh scope)
_TEX_PART = re.compile(r"\\(?:subsection|subsubsection|paragraph)\*?\s*[\[{]")


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def _markdown(src: str) -> Document:
    chars = list(src)
    # fenced code: from a fence line to the next fence line of the same kind (or the end)
    pos = 0
    while True:
        m = _FENCE.search(src, pos)
        if not m:
            break
        fence = m.group(1)[0] * 3
        close = re.compile(r"^[ \t]*" + re.escape(fence) + r"[`~]*[ \t]*$", re.M)
        c = close.search(src, m.end())
        end = c.end() if c else len(src)
        _blank(chars, m.start(), end)
        pos = end
    text = "".join(chars)
    for m in _INLINE_CODE.finditer(text):
        if "\n\n" not in m.group(0):
            _blank(chars, m.start(), m.end())
    text = "".join(chars)
    for m in _HTML_DIRECTIVE.finditer(text):
        # <!-- derive: assume x > 0 -->  ->  %    derive: assume x > 0
        chars[m.start()] = "%"
        _blank(chars, m.start() + 1, m.start(1))
        _blank(chars, m.end(1), m.end())
    text = "".join(chars)
    # a percent sign in prose is text (50% of ...): only "% derive:" lines are directives
    for m in re.finditer(r"(?<!\\)%", text):
        if not re.match(r"%+\s*derive\s*:", text[m.start():m.start() + 40]):
            chars[m.start()] = " "
    text = "".join(chars)
    return Document("md", text, markdown_marks(text))


def markdown_marks(text: str) -> list[ScopeMark]:
    """Headings and part labels of a Markdown text, in order."""
    marks: list[ScopeMark] = []
    headings = list(_HEADING.finditer(text))
    levels = [len(m.group(1)) for m in headings]
    # "# B1 ...", "# B5 ..." (the top level used more than once): the problems are the top
    # headings, and a "## Forward pass" under one is a part of it; otherwise (a "# title" over
    # "## Problem" sections) every # and ## heading is a problem, as is a "## (a)" sub-problem
    deepest_hard = min(levels) if levels and levels.count(min(levels)) > 1 else 2
    for m in headings:
        title = m.group(2).strip()
        part = _PART.match(title)
        hard = len(m.group(1)) <= deepest_hard or bool(_PROBLEM_WORD.match(title)) \
            or (len(m.group(1)) <= 2 and bool(part))
        if part and len(m.group(1)) > 2:
            hard = False
        marks.append(ScopeMark(m.start(), hard, title[:40]))
    headed = {m.offset for m in marks}
    for m in _PART.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        if start in headed or _in_math(text, start):
            continue
        marks.append(ScopeMark(m.start("label"), False, m.group("label").strip()))
    marks.sort(key=lambda k: k.offset)
    return marks


def _in_math(text: str, offset: int) -> bool:
    """Whether ``offset`` lies inside ``$$ ... $$`` display math (a rough count)."""
    return text.count("$$", 0, offset) % 2 == 1


# --------------------------------------------------------------------------- #
# Notebooks
# --------------------------------------------------------------------------- #

def _notebook(src: str) -> Document:
    try:
        nb = json.loads(src)
    except ValueError as exc:
        raise DocumentError(f"not a notebook (invalid JSON: {exc})") from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        raise DocumentError("not a notebook (no list of cells)")
    lines: list[str] = []
    line_map: list[int] = []
    cursor = 0
    starts = [m.start() for m in re.finditer("\n", src)]
    for cell in cells:
        if not isinstance(cell, dict):
            continue
        source = cell.get("source", "")
        pieces = source if isinstance(source, list) else [source]
        pieces = [p for p in pieces if isinstance(p, str)]
        at = src.find('"source"', cursor)
        cursor = at + 1 if at >= 0 else cursor
        if cell.get("cell_type") != "markdown":
            continue
        for piece in pieces:
            found = src.find(json.dumps(piece, ensure_ascii=False)[:40], cursor)
            if found < 0:
                found = src.find(json.dumps(piece)[:40], cursor)
            if found >= 0:
                cursor = found + 1
            base = bisect.bisect_left(starts, max(found, cursor - 1 if cursor else 0)) + 1
            for k, line in enumerate(piece.rstrip("\n").split("\n") if piece else [""]):
                lines.append(line)
                line_map.append(base + k)
        lines.append("")            # a cell ends its paragraph
        line_map.append(line_map[-1] if line_map else 1)
    md = _markdown("\n".join(lines))
    return Document("ipynb", md.text, md.marks, line_map)


__all__ = ["Document", "DocumentError", "ScopeMark", "KINDS", "kind_of", "read_document", "markdown_marks"]
