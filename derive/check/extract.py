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

from .clean import _CMD, MATH_ENVS, Note, _blank, _clean_math
from .document import Document, read_document
from .layout import case_regions, clauses
from .roles import cue_of


#: Relation symbols, longest first; ``name`` is the relation's key.
RELATIONS: tuple[tuple[str, str], ...] = (
    (r"\Longleftrightarrow", "iff"), (r"\Leftrightarrow", "iff"), (r"\iff", "iff"),
    (r"\Longrightarrow", "implies"), (r"\Rightarrow", "implies"), (r"\implies", "implies"),
    (r"\leqslant", "le"), (r"\geqslant", "ge"), (r"\leq", "le"), (r"\geq", "ge"),
    (r"\le", "le"), (r"\ge", "ge"), (r"\lt", "lt"), (r"\gt", "gt"), (r"\approx", "approx"), (r"\sim", "sim"),
    ("<=", "le"), (">=", "ge"), ("=", "eq"), ("<", "lt"), (">", "gt"),
)
IMPLICATIONS = ("implies", "iff")
#: read as relations of steps only (``_relations(..., ne=True)``): ``\\neq``, ``\\ne`` (and ``!=``), and
#: the assignment arrow of an update rule (``W \\gets W - \\eta g``)
NOT_EQUAL: tuple[tuple[str, str], ...] = ((r"\neq", "ne"), (r"\ne", "ne"), (r"\gets", "gets"),
                                          (r"\leftarrow", "gets"))

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


@dataclass
class Expr:
    """A side of a step: cleaned LaTeX and the offset of its first character."""

    text: str
    offset: int

    def strip(self) -> "Expr":
        lead = len(self.text) - len(self.text.lstrip())
        return Expr(self.text.strip(), self.offset + lead)


@dataclass
class RawStep:
    """One relation between two sides, as written."""

    lhs: Expr
    rel: str            # key in RELATIONS
    rel_text: str
    rhs: Expr
    offset: int         # offset of the relation symbol
    first: bool         # first step of its chain
    chain: int
    region: int
    #: cue of the prose or ``\\text{...}`` before the chain (see ``roles.cue_of``)
    cue: str | None = None
    #: trailing conditions of the clause (``\\rfloor + 1 \\quad (P=0)``): hypotheses of this step only
    conditions: tuple[Expr, ...] = ()
    #: a unit written after each side (``6{,}000 \\text{ minutes} = 100 \\text{ hours}``), or ``None``
    units: tuple[str | None, str | None] = (None, None)


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


def _split_top(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], list[int]]:
    """Rows of ``text[start:end]`` split at top-level ``\\\\``; offsets of top-level ``&``."""
    rows: list[tuple[int, int]] = []
    amps: list[int] = []
    depth = 0
    env_depth = 0
    row_start = start
    i = start
    while i < end:
        c = text[i]
        if c == "\\":
            if text.startswith("\\\\", i) and depth == 0 and env_depth == 0:
                rows.append((row_start, i))
                row_start = i + 2
                i += 2
                continue
            if text.startswith("\\begin", i):
                env_depth += 1
            elif text.startswith("\\end", i):
                env_depth = max(0, env_depth - 1)
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        elif c == "&" and depth == 0 and env_depth == 0:
            amps.append(i)
        i += 1
    rows.append((row_start, end))
    return rows, amps


def _relations(text: str, start: int, end: int, ne: bool = False) -> list[tuple[int, int, str]]:
    """Top-level relation symbols in ``text[start:end]`` as (offset, end, key); with ``ne``
    also ``\\neq`` and ``!=`` (key ``ne``)."""
    symbols = NOT_EQUAL + RELATIONS if ne else RELATIONS
    out = []
    depth = 0
    env_depth = 0
    i = start
    while i < end:
        c = text[i]
        if c == "\\":
            if text.startswith("\\begin", i):
                env_depth += 1
            elif text.startswith("\\end", i):
                env_depth = max(0, env_depth - 1)
            if depth == 0 and env_depth == 0:
                for sym, key in symbols:
                    if sym.startswith("\\") and text.startswith(sym, i):
                        after = i + len(sym)
                        if after < end and text[after].isalpha():
                            continue
                        out.append((i, after, key))
                        i = after
                        break
                else:
                    m = _CMD.match(text, i)
                    i = m.end() if m else i + 1
                continue
            m = _CMD.match(text, i)
            i = m.end() if m else i + 1
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        elif ne and depth == 0 and env_depth == 0 and text.startswith("!=", i):
            out.append((i, i + 2, "ne"))
            i += 2
            continue
        elif depth == 0 and env_depth == 0 and c in "=<>":
            two = text[i:i + 2]
            if two in ("<=", ">="):
                out.append((i, i + 2, "le" if c == "<" else "ge"))
                i += 2
                continue
            out.append((i, i + 1, {"=": "eq", "<": "lt", ">": "gt"}[c]))
        i += 1
    return out


_TRAILING = re.compile(r"[\s.,;:]+$")
#: prose between two math regions that joins them into one list ("and", ",")
_JOINED = re.compile(r"^[ \t]*(?:,|and|,[ \t]*and)[ \t]*$", re.I)
_LABEL = re.compile(r"\s*([A-Za-z]{2,}(?: [A-Za-z]+)*)\s*:?\s*$")


def _row_label(texts: list[tuple[int, str]], start: int, stop: int) -> Expr | None:
    """A ``\\text{word}`` that is all a row has before its first relation, as a name."""
    for off, content in texts:
        if start <= off < stop:
            m = _LABEL.match(content)
            if m and m.group(1).split()[0].lower() not in _NOT_UNITS:
                return Expr("\\mathrm{" + m.group(1).replace(" ", "") + "}", off)
    return None


#: between two math regions, what lets the second continue the first's chain (blanks, list bullets)
_CONTINUES = re.compile(r"^[\s*>-]*$")
_LEADING_OP = re.compile(r"^\s*(\+|-|\\cdot|\\times|\\pm|\\mp)")


def _expr(text: str, start: int, end: int) -> Expr:
    return Expr(text[start:end], start).strip()


def _condition(text: str, a: int, b: int) -> Expr:
    """A trailing condition, without the parentheses around it."""
    e = _expr(text, a, b)
    if e.text.startswith("(") and e.text.endswith(")"):
        return Expr(e.text[1:-1], e.offset + 1).strip()
    return e


def _rel_text(text: str, a: int, b: int) -> str:
    return text[a:b]


@dataclass
class _Chain:
    items: list[Expr]
    rels: list[tuple[str, str, int]]    # (key, text, offset)
    cue: str | None = None
    conditions: list[tuple[Expr, ...]] = field(default_factory=list)    # per relation
    region: int = 0
    ident: int = 0
    #: continued in a later math region ("$= c$" on the next line): sides are joined from the items
    joined: bool = False
    join_at: int = 0        # relations written before the continuation


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
    for r_index, (reg, rows) in enumerate(zip(regions, layouts)):
        prose = text[max(prose_end, reg.start - 300):reg.start]
        prose_end = reg.end
        if reg.env in ("$", "\\(") and not _relations(cleaned, reg.body_start, reg.body_end, ne=True):
            continue
        region_cue = cue_of(prose)
        if region_cue is None and _JOINED.match(prose):
            region_cue = last_cue          # "Let $a = 1$ and $b = 2$": the cue goes on
        if region_cue is None and r_index in cases:
            region_cue = "data"            # "$\mu = 2$, $\sigma = 1$ : ...": the values of a case
        last_cue = region_cue
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
                chain = _Chain([lhs], [], clause.cue or region_cue, region=r_index, ident=len(made))
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
        ex.steps.extend(_with_units(_chain_steps(chain, chain.ident, chain.region, body_text), body_text, texts))
    return ex


def _chain_steps(chain: _Chain, chain_id: int, region: int, text: str) -> list[RawStep]:
    keys = [k for k, _, _ in chain.rels]
    if not any(k in IMPLICATIONS for k in keys):
        return _plain_steps(chain, len(keys), chain_id, region)
    before: list[RawStep] = []
    if chain.joined and not any(k in IMPLICATIONS for k in keys[:chain.join_at]):
        # "$a \le b$" then "$\Rightarrow c \le d$": the first line is a claim of its own too
        before = _plain_steps(chain, chain.join_at, chain_id, region)
    # Propositions joined by implications: a = b \Rightarrow c = d.
    props: list[tuple[int, int]] = []     # (first item, last item) of each proposition
    start = 0
    cuts = []
    for i, k in enumerate(keys):
        if k in IMPLICATIONS:
            props.append((start, i))
            cuts.append(i)
            start = i + 1
    props.append((start, len(chain.items) - 1))
    steps = []
    for n, i in enumerate(cuts):
        a0, a1 = props[n]
        b0, b1 = props[n + 1]
        lhs = _span(chain, a0, a1, text)
        rhs = _span(chain, b0, b1, text)
        k, t, off = chain.rels[i]
        steps.append(RawStep(lhs, k, t, rhs, off, n == 0 and not before, chain_id, region,
                             chain.cue if n == 0 else None))
    return before + steps


def _plain_steps(chain: _Chain, n: int, chain_id: int, region: int) -> list[RawStep]:
    return [RawStep(_flat(chain.items[i]), k, t, _flat(chain.items[i + 1]), off, i == 0, chain_id, region,
                    chain.cue, chain.conditions[i] if i < len(chain.conditions) else ())
            for i, (k, t, off) in enumerate(chain.rels[:n])]


_UNIT = re.compile(r"\s*([A-Za-z]+)\.?\s*$")
_NOT_UNITS = frozenset("and or where with for if when so then hence thus also since because is are at per "
                       "of to in on by the a an".split())


def _unit_after(e: Expr, text: str, texts: list[tuple[int, str]]) -> str | None:
    """The ``\\text{ word}`` just after a side (only blanks between), read as its unit."""
    end = e.offset + len(e.text)
    stop = end
    while stop < len(text) and text[stop] in " \t":
        stop += 1
    for off, content in texts:
        if end <= off < stop:
            m = _UNIT.match(content)
            if m and m.group(1).lower() not in _NOT_UNITS:
                return m.group(1).lower()
    return None


def _with_units(steps: list[RawStep], text: str, texts: list[tuple[int, str]]) -> list[RawStep]:
    if not texts:
        return steps
    for st in steps:
        st.units = (_unit_after(st.lhs, text, texts), _unit_after(st.rhs, text, texts))
    return steps


def _span(chain: _Chain, i: int, j: int, text: str) -> Expr:
    """Items ``i..j`` of a chain and the relations between them, as one side."""
    a, b = chain.items[i], chain.items[j]
    if not chain.joined:
        return _flat(Expr(text[a.offset:b.offset + len(b.text)], a.offset))
    # across math regions: only the items and relations, not the delimiters between
    parts = [a.text] + [f"{chain.rels[k][1]} {chain.items[k + 1].text}" for k in range(i, j)]
    return Expr(" ".join(parts), a.offset)


def _flat(e: Expr) -> Expr:
    return e
