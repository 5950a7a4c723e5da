"""Find the mathematics in a LaTeX document and split it into checkable steps.

The source is never rewritten in place: everything the checker ignores
(comments, ``\\text{...}``, ``\\label``, ``\\tag``, spacing, ``\\left``...) is
*blanked* with spaces of the same length, so every offset into the cleaned text
is an offset into the user's file and line numbers stay exact.

A math region is split into rows at top-level ``\\\\``; a row into segments at
top-level relation symbols.  Rows are then assembled into *chains*
(``a = b \\le c``): a row that starts with ``&`` or a relation continues the chain
before it, a row with its own left-hand side starts a new one, and a row without
a relation is either the start of a left-hand side spanning lines or, when it
starts with an operator, the continuation of the previous right-hand side.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .clean import MATH_ENVS, Note, _blank, _clean_math
from .document import Document, read_document
from .layout import case_regions, clauses
from .roles import cue_of, supposition
from .quantifiers import _quantifiers, _supposition_end
from .chains import (Expr, RawStep, _Chain, _chain_steps, _condition, _expr, _rel_text,  # noqa: F401 - re-exported
                     _row_label, _with_units)
from .relations import IMPLICATIONS, NOT_EQUAL, RELATIONS, _relations, _split_top  # noqa: F401 - re-exported


class ExtractError(Exception):
    """Malformed structure (an unclosed environment); carries the offset."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass
class Directive:
    kind: str           # assume | given | define
    text: str
    line: int
    offset: int = 0     # of the comment's ``%`` in the source
    #: ``False``: read from prose ("Let $n \\in \\mathbb{Z}$."), not a ``% derive:`` comment
    written: bool = True


@dataclass
class Region:
    """A math region: its environment name and span in the source."""

    env: str
    start: int          # offset of the opening delimiter
    body_start: int
    body_end: int
    end: int            # offset just past the closing delimiter


@dataclass
class Extraction:
    source: str
    cleaned: str
    regions: list[Region] = field(default_factory=list)
    steps: list[RawStep] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)   # (offset, message)
    #: every math region found (``RawStep.region`` indexes this list)
    all_regions: list[Region] = field(default_factory=list)
    #: offsets of sectioning commands: each starts a new scope
    sections: list[int] = field(default_factory=list)
    #: offsets of part labels and minor headings: sub-scopes whose facts flow forward
    parts: list[int] = field(default_factory=list)
    #: line of the source -> line of the original file (notebooks); ``None``: the same
    line_map: list[int] | None = None
    #: ``(offset, name as written)`` of each quantifier over a name ("for any $y$", ``\\forall y``):
    #: from there on the name is arbitrary again, whatever was supposed about it before
    quantified: list[tuple[int, str]] = field(default_factory=list)
    _newlines: list[int] | None = None
    _starts: list[int] | None = None

    def region_at(self, offset: int) -> int | None:
        """Index of the math region containing ``offset`` (``None`` outside math)."""
        if self._starts is None:
            self._starts = [r.start for r in self.all_regions]
        k = bisect.bisect_right(self._starts, offset) - 1
        if k >= 0 and self.all_regions[k].start <= offset < self.all_regions[k].end:
            return k
        return None

    def section_at(self, offset: int) -> int:
        """0 before the first sectioning command, k after the k-th."""
        return bisect.bisect_right(self.sections, offset)

    def part_at(self, offset: int) -> int:
        """0 before the first part label, k after the k-th."""
        return bisect.bisect_right(self.parts, offset)

    def line_of(self, offset: int) -> int:
        if self._newlines is None:
            self._newlines = [i for i, c in enumerate(self.source) if c == "\n"]
        line = bisect.bisect_left(self._newlines, offset) + 1
        if self.line_map is not None and 0 < line <= len(self.line_map):
            return self.line_map[line - 1]
        return line

    def column_of(self, offset: int) -> int:
        return offset - (self.source.rfind("\n", 0, offset) + 1) + 1


def _strip_comments(src: str, directives: list[Directive]) -> str:
    chars = list(src)
    i = 0
    line = 1
    n = len(src)
    while i < n:
        c = src[i]
        if c == "\n":
            line += 1
        elif c == "\\":
            i += 2
            continue
        elif c == "%":
            j = src.find("\n", i)
            j = n if j < 0 else j
            m = re.match(r"%+\s*derive\s*:\s*(assume|given|define)\b\s*(.*)", src[i:j])
            if m:
                directives.append(Directive(m.group(1), m.group(2).strip(), line, i))
            _blank(chars, i, j)
            i = j
            continue
        i += 1
    return "".join(chars)


_ENV_OPEN = re.compile(r"\\begin\s*\{(" + "|".join(re.escape(e) for e in MATH_ENVS) + r")\}|\\\[|\\\(|\$\$|\$")


#: ``n \\in \\mathbb{Z}``, ``x, y \\in (0, 1)``: a membership in a number set or an interval (a plain
#: ``\\mathbb{R}`` adds nothing; matrix spaces are declared with the directive)
_NAME_RE = r"\\?[A-Za-z]+(?:_\{?\w+\}?)?"
_NUMBER_SET = (r"\\mathbb\s*\{\s*(?:[NZ]\s*\}(?:\s*_\s*(?:\{[^{}]*\}|0)|\s*\^\s*(?:\+|\{\s*\+\s*\}))?"
               r"|R\s*\}\s*(?:_\s*(?:\{[^{}]*\}|\+)|\^\s*(?:\+|\{\s*\+\s*\})))")
_INTERVAL = r"[(\[]\s*[^()\[\],]+,\s*[^()\[\],]+[)\]]"
_DECLARATION = re.compile(r"(?:" + _NAME_RE + r"\s*,\s*)*" + _NAME_RE + r"\s*\\in(?![A-Za-z])\s*(?:"
                          + _NUMBER_SET + "|" + _INTERVAL + ")")


#: Relations the checker does not read: a line holding one is reported unparsed.
UNREAD_RELATION = re.compile(
    r"\\(?:nleq|ngeq|nless|ngtr|nleqslant|ngeqslant|leqq|geqq|ll|gg|lll|ggg|lesssim|gtrsim|"
    r"prec|succ|preceq|succeq|equiv|cong|simeq|propto|nsim|napprox)(?![A-Za-z])"
    r"|\\(?:overset|stackrel|underset)\s*\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}\s*\{\s*(?:=|<|>|\\[lg]eq?|\\approx|\\ne|\\sim)\s*\}"
    r"|[\u2264\u2265\u2248\u2260\u226a\u226b\u2261\u2245\u221d\u2272\u2273]")


def _find_regions(text: str, problems: list[tuple[int, str]]) -> list[Region]:
    regions: list[Region] = []
    pos = 0
    while True:
        m = _ENV_OPEN.search(text, pos)
        if not m:
            return regions
        if m.start() > 0 and text[m.start() - 1] == "\\":
            pos = m.end()
            continue
        tok = m.group(0)
        if m.group(1):
            env = m.group(1)
            close = re.compile(r"\\end\s*\{" + re.escape(env) + r"\}")
        elif tok == r"\[":
            env, close = r"\[", re.compile(r"\\\]")
        elif tok == r"\(":
            env, close = r"\(", re.compile(r"\\\)")
        elif tok == "$$":
            env, close = "$$", re.compile(r"(?<!\\)\$\$")
        else:
            env, close = "$", re.compile(r"(?<!\\)\$")
        c = close.search(text, m.end())
        if not c:
            problems.append((m.start(), f"{_env_label(env)} is never closed"))
            return regions
        regions.append(Region(env, m.start(), m.end(), c.start(), c.end()))
        pos = c.end()


def _env_label(env: str) -> str:
    if env in (r"\[", r"\(", "$$", "$"):
        return {"\\[": r"\[", "\\(": r"\(", "$$": "$$", "$": "$"}[env] + " math"
    return f"environment {env}"


#: Sectioning commands (and the engine's \\DerivePart): assumptions, givens and definitions hold until the next one.
_SECTION = re.compile(r"\\(?:part|chapter|section|DerivePart)\*?\s*[\[{]")

_MATRIX_OPEN = re.compile(r"\\begin\s*\{([a-zA-Z]*matrix\*?|array|cases|smallmatrix)\}")


_TRAILING = re.compile(r"[\s.,;:]+$")
#: prose between two math regions that joins them into one list ("and", ",")
_JOINED = re.compile(r"^[ \t]*(?:,|and|,[ \t]*and)[ \t]*$", re.I)
#: between two math regions, what lets the second continue the first's chain (blanks, list bullets)
_CONTINUES = re.compile(r"^[\s*>-]*$")
_LEADING_OP = re.compile(r"^\s*(?:\{\s*\}\s*)?(\+|-|\\cdot|\\times|\\pm|\\mp)")      # {}+ 3x too


_GROUPING = re.compile(r"\\[\\{}]|\\(?:left|right)(?![A-Za-z])|[{}]")
#: opener -> (its closer, a closer with no opener, an opener never closed)
_PAIRS = {"{": ("}", "this } closes no {", "this { is never closed"),
          "\\left": ("\\right", "this \\right has no \\left before it", "this \\left has no \\right after it")}
_CLOSERS = {close: opener for opener, (close, _, _) in _PAIRS.items()}


def _unbalanced(text: str, start: int, end: int) -> tuple[int, str] | None:
    """The first unmatched ``{``, ``}``, ``\\left`` or ``\\right`` of a math body, as a problem."""
    open_at: dict[str, list[int]] = {opener: [] for opener in _PAIRS}
    for m in _GROUPING.finditer(text, start, end):
        tok = m.group(0)
        if tok in _PAIRS:
            open_at[tok].append(m.start())
        elif tok in _CLOSERS:
            if not open_at[_CLOSERS[tok]]:
                return m.start(), _PAIRS[_CLOSERS[tok]][1]
            open_at[_CLOSERS[tok]].pop()
    for opener, (_, _, never_closed) in _PAIRS.items():
        if open_at[opener]:
            return open_at[opener][-1], never_closed
    return None


def extract(src: str, doc: Document | None = None) -> Extraction:
    """Split ``src`` into regions, chains and steps (pure).

    ``doc`` (from ``document.read_document``) gives the scope marks of Markdown
    and the line map of notebooks; ``src`` is then ``doc.text``.
    """
    if doc is None:
        doc = read_document(src, "tex")
    directives: list[Directive] = []
    text = _strip_comments(src, directives)
    ex = Extraction(src, text, directives=directives)
    regions = _find_regions(text, ex.problems)
    ex.all_regions = regions
    ex.sections = [m.start() for m in _SECTION.finditer(text) if ex.region_at(m.start()) is None]
    ex.line_map = doc.line_map
    hard = [m.offset for m in doc.marks if m.hard and ex.region_at(m.offset) is None]
    ex.sections = sorted(set(ex.sections) | set(hard))
    ex.parts = [m.offset for m in doc.marks if not m.hard and ex.region_at(m.offset) is None]
    chars = list(text)
    notes: list[Note] = []
    for reg in regions:
        _clean_math(chars, text, reg.body_start, reg.body_end, notes)
    cleaned = "".join(chars)
    ex.cleaned = cleaned
    # Row breaks and alignment marks are blanked once for the whole text (linear in its length).
    body = list(cleaned)
    layouts = []
    for reg in regions:
        rows, amps = _split_top(cleaned, reg.body_start, reg.body_end)
        for a in amps:
            body[a] = " "
        for (_, e1), (s2, _) in zip(rows, rows[1:]):
            _blank(body, e1, s2)
        layouts.append(rows)
    body_text = "".join(body)
    seps = [(n.offset, n.end) for n in notes if n.kind in ("sep", "recall")]
    texts = [(n.offset, n.content) for n in notes if n.kind == "text"]
    recalls = [n.offset for n in notes if n.kind == "recall"]

    def has_relation(a: int, b: int) -> bool:
        return bool(_relations(body_text, a, b, ne=True))

    cases = case_regions(text, [(r.start, r.end) for r in regions])
    made: list[_Chain] = []             # every chain, in the order written
    previous: _Chain | None = None      # the last chain of the last region that had one
    previous_end = 0
    prose_end = 0
    last_cue: str | None = None
    last_supposed = False
    for r_index, (reg, rows) in enumerate(zip(regions, layouts)):
        prose = text[max(prose_end, reg.start - 300):reg.start]
        prose_end = reg.end
        unbalanced = _unbalanced(text, reg.body_start, reg.body_end)
        if unbalanced is not None:     # \frac{ = 2: the relation hides in an open group, never "no steps"
            ex.problems.append(unbalanced)
            continue
        unread = UNREAD_RELATION.search(cleaned, reg.body_start, reg.body_end)
        if unread:      # 3 \nleq 4, 2 \ll 1, a \overset{..}{=} b, 1 ≤ 0: reported, never dropped silently
            ex.problems.append((unread.start(), f"relation {unread.group(0).split('{')[0].strip()} is not read"))
        if reg.env in ("$", "\\(") and not _relations(cleaned, reg.body_start, reg.body_end, ne=True):
            body = " ".join(cleaned[reg.body_start:reg.body_end].split())
            if _DECLARATION.fullmatch(body) and cue_of(prose) in ("data", "hypothesis"):
                # "Let $n \in \mathbb{Z}$.": what an assume directive says, for the section
                ex.directives.append(Directive("assume", body, ex.line_of(reg.start), reg.start, written=False))
            continue
        region_cue = cue_of(prose)
        supposed = region_cue == "hypothesis" and supposition(prose)
        if region_cue is None and _JOINED.match(prose):
            region_cue = last_cue          # "Let $a = 1$ and $b = 2$": the cue goes on
            supposed = last_supposed
        if region_cue is None and r_index in cases:
            region_cue = "data"            # "$\mu = 2$, $\sigma = 1$ : ...": the values of a case
            supposed = True                # ... which hold for that case only
        if region_cue == "data" and re.match(r"[ \t]*[*_]*[ \t]*:", text[reg.end:reg.end + 8]):
            supposed = True                # "With the skip $y = z_2 + x$: ...": the set-up of a case
        last_cue, last_supposed = region_cue, supposed
        until = _supposition_end(text, reg.start, ex) if supposed else None
        ex.regions.append(reg)
        chains: list[_Chain] = []
        pending: list[Expr] = []
        spans = []
        for rs, re_ in rows:
            # trailing punctuation of a displayed line is prose, not math
            tm = _TRAILING.search(body_text, rs, re_)
            if tm:
                re_ = tm.start()
            if not body_text[rs:re_].strip():
                continue
            spans.extend(clauses(body_text, rs, re_, seps, has_relation, texts, recalls))
        for clause in spans:
            rs, re_ = clause.start, clause.end
            tm = _TRAILING.search(body_text, rs, re_)
            if tm:
                re_ = tm.start()
            rels = _relations(body_text, rs, re_, ne=True)
            if not rels:
                piece = _expr(body_text, rs, re_)
                if not piece.text:
                    continue
                if chains and not pending and _LEADING_OP.match(piece.text):
                    last = chains[-1].items[-1]
                    chains[-1].items[-1] = Expr(body_text[last.offset:piece.offset + len(piece.text)], last.offset)
                else:
                    pending.append(piece)
                continue
            segs = []
            prev = rs
            for a, b, _ in rels:
                segs.append(_expr(body_text, prev, a))
                prev = b
            segs.append(_expr(body_text, prev, re_))
            rel_list = [(key, _rel_text(body_text, a, b), a) for a, b, key in rels]
            label = None if segs[0].text or pending else _row_label(texts, rs, rel_list[0][2])
            if label is not None:
                # "\text{total} &= 2 c d^2": the word names the row's value (a definition, not a continuation)
                segs[0] = label
            if not segs[0].text and not pending and chains:
                chain = chains[-1]
            elif not segs[0].text and not pending and previous is not None \
                    and _CONTINUES.match(text[previous_end:reg.start]):
                # "$a = b$" then, on a line of its own, "$\le c$" or "$\Rightarrow d$": one chain
                chain = previous
                if not chain.joined:
                    chain.joined, chain.join_at = True, len(chain.rels)
                chains.append(chain)
            else:
                if pending:
                    first = pending[0]
                    stop = segs[0].offset + len(segs[0].text) if segs[0].text else pending[-1].offset + len(pending[-1].text)
                    lhs = Expr(body_text[first.offset:stop], first.offset)
                else:
                    lhs = segs[0]
                pending = []
                chain = _Chain([lhs], [], clause.cue or region_cue, region=r_index, ident=len(made),
                               until=until if clause.cue is None else None)
                chains.append(chain)
                made.append(chain)
            conds = tuple(_condition(body_text, a, b) for a, b in clause.conditions)
            for (key, rtext, off), seg in zip(rel_list, segs[1:]):
                chain.rels.append((key, rtext, off))
                chain.items.append(seg)
                chain.conditions.append(conds)
        main = [c for c in chains if c.cue != "recall"]      # not the "\because ..." aside
        if main:
            previous, previous_end = main[-1], reg.end
        elif chains and previous is not None:
            previous_end = reg.end      # "$a = b$ $\because c = d$" then "$= e$": e continues a = b
    for chain in made:
        steps = _chain_steps(chain, chain.ident, chain.region, body_text)
        for st in steps:
            st.until = chain.until
        ex.steps.extend(_with_units(steps, body_text, texts))
    ex.quantified = _quantifiers(text, ex)
    return ex
