"""Layout inside one row of math: lists of relations, trailing conditions, ``\\dots``.

A row such as ``y[0] = 1, \\quad y[1] = \\frac{3}{2}, \\quad \\dots`` holds
several relations side by side; ``\\lfloor \\frac{W-K}{S} \\rfloor + 1 \\quad (P=0)``
ends with a condition of its step.  ``clauses`` cuts a row at its separators
(``\\quad``, ``\\qquad``, ``\\because``, ``\\text{and}``, and commas or semicolons
outside every bracket) into pieces and regroups them:

* a piece with a relation starts a clause;
* a piece ``( ... )`` around a relation, or a bound on a name by numbers
  (``x[n] = 1 \\quad 0 \\le n \\le 6``), is a condition of the clause before it;
* ``\\dots`` / ``\\cdots`` / ``\\ldots`` at the end of the row is dropped;
* any other piece (``x_1, \\dots, x_n``) stays part of the clause it is in.

A row with only one clause and nothing dropped is left exactly as written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from .clean import KIND as _KIND
from .relscan import top_level
from .roles import cue_of

_DOTS = re.compile(r"^\s*(\\[lc]?dots[cbmio]?|\.{3}|…)\s*[.,;]?\s*$")
_OPEN = "([{"
_TERM = r"(?:-?\d+(?:\.\d+)?|-?\\infty|[A-Za-z](?:_\{?\w+\}?)?|\\[A-Za-z]+(?:_\{?\w+\}?)?)"
_INEQ = r"(?:\\leq?(?![a-z])|\\geq?(?![a-z])|\\leqslant|\\geqslant|\\neq?(?![a-z])|<|>)"
#: a condition on a name by numbers: ``0 \le n \le 6``, ``n \ge 0``, ``k > 1``
_CONDITION = re.compile(r"^\s*" + _TERM + r"(?:\s*" + _INEQ + r"\s*" + _TERM + r")+\s*$")
_CLOSE = ")]}"
#: ``\\text{...}`` words after which a relation in the same row is a condition of the clause
#: before them (``x^2 \\ge x \\text{ for } x \\ge 0``: the claim holds where x >= 0)
_CONDITION_WORD = re.compile(r"\s*(?:for(?:\s+(?:all|every|each|any)" + _KIND + r")?|if|when|whenever|"
                             r"provided(?:\s+that)?|assuming)\s*[,:]?\s*", re.I)
#: ``x \\in (0, 1)``, ``n \\in \\mathbb{Z}``: a membership (a condition after ``\\text{ for }``)
MEMBERSHIP = re.compile(r"^\s*" + _TERM + r"(?:\s*,\s*" + _TERM + r")*\s*\\in(?![A-Za-z])\s*\S")
#: ``n = 2`` (a name, a number) before a colon: the case of what follows
_CASE = re.compile(r"^\s*" + _TERM + r"\s*=\s*-?\d+(?:\.\d+)?\s*$")


@dataclass(frozen=True)
class Clause:
    start: int
    end: int
    conditions: tuple[tuple[int, int], ...] = ()
    #: the cue of the ``\\text{...}`` before it in the row (``setup:``, ``where``), or ``because``
    cue: str | None = None


def _separators(text: str, start: int, end: int, seps: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Separator spans in ``text[start:end]``: the given ones plus top-level ``,`` and ``;``."""
    out = [(a, b) for a, b in seps if start <= a < end]
    out += [(i, j) for i, j in top_level(text, start, end, _OPEN, _CLOSE, escaped=True)
            if text[i] in ",;:" and not text.startswith(":=", i)]
    return sorted(out)


def _wrapped(piece: str) -> bool:
    """``( ... )`` around the whole piece."""
    p = piece.strip()
    if not (p.startswith("(") and p.endswith(")")):
        return False
    depth = 0
    for k, c in enumerate(p):
        depth += c == "("
        depth -= c == ")"
        if depth == 0 and k < len(p) - 1:
            return False
    return True


def is_condition(piece: str) -> bool:
    """``0 \\le n \\le 6``: inequalities between one name and numbers (a case, not a claim)."""
    m = _CONDITION.match(piece)
    return bool(m) and bool(re.search(r"[A-Za-z]", re.sub(_INEQ + r"|\\infty", " ", piece)))


def _about(condition: str, clause: str) -> bool:
    """Whether a condition's name occurs in the clause (``x[n] = 1`` and ``0 \\le n``)."""
    names = re.findall(_TERM, re.sub(_INEQ, " ", condition))
    return any(re.search(r"(?<![A-Za-z\\])" + re.escape(n) + r"(?![A-Za-z])", clause)
               for n in names if not re.match(r"-?[\d\\]", n))


def clauses(text: str, start: int, end: int, seps: Sequence[tuple[int, int]],
            has_relation: Callable[[int, int], bool],
            texts: Sequence[tuple[int, str]] = (), recalls: Sequence[int] = ()) -> list[Clause]:
    """The clauses of the row ``text[start:end]`` (see the module doc).

    ``seps`` are separator spans found while cleaning (``\\quad``...), ``texts``
    the ``(offset, content)`` of ``\\text{...}`` annotations and ``recalls`` the
    offsets of ``\\because``: they give each clause its cue.
    """
    cuts = _separators(text, start, end, seps)
    pieces: list[tuple[int, int]] = []
    prev = start
    for a, b in cuts:
        if a < prev:
            continue
        pieces.append((prev, a))
        prev = b
    pieces.append((prev, end))
    pieces = [(a, b) for a, b in pieces if text[a:b].strip()]
    dropped = False
    while pieces and _DOTS.match(text[pieces[-1][0]:pieces[-1][1]]):
        pieces.pop()
        dropped = True
    # "d_{in}, d_{out} \\ge 1": a bare name before a relation belongs to it
    merged: list[tuple[int, int]] = []
    for a, b in pieces:
        if merged and re.fullmatch(r"\s*" + _TERM + r"\s*", text[merged[-1][0]:merged[-1][1]]) \
                and not re.fullmatch(r"\s*-?[\d.]+\s*", text[merged[-1][0]:merged[-1][1]]) \
                and not has_relation(*merged[-1]) and has_relation(a, b) and text[merged[-1][1]:a].strip() == ",":
            a = merged.pop()[0]
        merged.append((a, b))
    pieces = _premises(text, merged, has_relation)
    groups: list[list[int]] = []          # [start, end, *condition spans flattened]
    case: list[int] = []                  # "n = 2 :" before a clause: a condition of that clause
    for k, (a, b) in enumerate(pieces):
        piece = text[a:b]
        after = text[b:pieces[k + 1][0] if k + 1 < len(pieces) else end]
        if groups and not case and _after_condition_word(texts, pieces[k - 1][1], a):
            if has_relation(a, b) or MEMBERSHIP.match(piece):      # x \ge 0, x \in (0, 1), n \in \mathbb{Z}
                groups[-1].extend((a, b))     # "\\text{ if } x \\ge 0": the clause's condition
            dropped = True                    # "\\text{for all } x": a quantifier, no relation
            continue
        if _CASE.match(piece) and after.strip() == ":":
            case = [a, b]
            continue
        if case:
            if has_relation(a, b):
                groups.append([a, b, *case])
            case = []                     # "n = 1: 0.25": the value of a case, no claim to check
            continue
        if groups and has_relation(a, b) and (_wrapped(piece) or (is_condition(piece) and _about(
                piece, text[groups[-1][0]:groups[-1][1]]))):
            groups[-1].extend((a, b))
        elif has_relation(a, b) or not groups:
            groups.append([a, b])
        elif len(groups[-1]) > 2:
            dropped = True                    # after its condition: "\\text{ and } -x \\text{ otherwise}"
        else:
            groups[-1][1] = b
    if not groups:
        return []
    def lead(a: int) -> int:
        return a + len(text[a:end]) - len(text[a:end].lstrip())

    if len(groups) == 1 and len(groups[0]) == 2 and not dropped:
        return [Clause(start, end, (), _cue(lead(start), texts, recalls, start))]
    out = []
    for g in groups:
        conds = tuple((g[k], g[k + 1]) for k in range(2, len(g), 2))
        out.append(Clause(g[0], g[1], conds, _cue(lead(g[0]), texts, recalls, start)))
    return out


def _after_condition_word(texts: Sequence[tuple[int, str]], a: int, b: int) -> bool:
    """A ``\\text{...}`` condition word (``for``, ``if``, ``when``...) between ``a`` and ``b``."""
    return any(a <= off < b and _CONDITION_WORD.fullmatch(content) for off, content in texts)


_IMPLIES = re.compile(r"\\(?:Longrightarrow|Rightarrow|implies|Longleftrightarrow|Leftrightarrow|iff)(?![A-Za-z])")


def _premises(text: str, pieces: list[tuple[int, int]],
              has_relation: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """``\\mu = 0, \\sigma = 1 \\Rightarrow KL = 0``: relations joined by commas before an
    implication are its premise, so they stay one piece with it."""
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        m = _IMPLIES.search(text, a, b)
        if m and has_relation(a, m.start()):
            while out and text[out[-1][1]:a].strip() == "," and has_relation(*out[-1]) \
                    and not _IMPLIES.search(text, *out[-1]):
                a = out.pop()[0]
        out.append((a, b))
    return out


_CASE_END = re.compile(r"[ \t]*:")
_LIST_JOIN = re.compile(r"[ \t]*,[ \t]*$")
_WORD = re.compile(r"[A-Za-z]{3,}")
#: a case's label before it: (iii), iv., (b)
_NUMERAL = re.compile(r"\(\s*(?:[ivx]{1,5}|[a-h])\s*\)|(?<![A-Za-z])[ivx]{1,5}[.)]", re.I)


def case_regions(text: str, spans: Sequence[tuple[int, int]]) -> set[int]:
    """Indices of math regions that set up a case: ``$\\mu = 2$, $\\sigma = 1$ : $KL = ...$`` at
    the start of a line (after at most a short label such as ``L3 :``), ending in a colon."""
    out: set[int] = set()
    for k in range(len(spans) - 1, -1, -1):
        end = spans[k][1]
        after = text[end:spans[k + 1][0]] if k + 1 < len(spans) else text[end:end + 40]
        if _CASE_END.match(after) or (k + 1 in out and _LIST_JOIN.match(after)):
            out.add(k)
    starts = set()
    for k in sorted(out):
        if k - 1 in out and _LIST_JOIN.match(text[spans[k - 1][1]:spans[k][0]]):
            continue                    # not the first of its list
        line_start = text.rfind("\n", 0, spans[k][0]) + 1
        if not _WORD.search(_NUMERAL.sub(" ", text[line_start:spans[k][0]])):
            starts.add(k)
    keep = set()
    for k in sorted(out):
        first = k
        while first not in starts and first - 1 in out and _LIST_JOIN.match(text[spans[first - 1][1]:spans[first][0]]):
            first -= 1
        if first in starts:
            keep.add(k)
    return keep


def _cue(at: int, texts: Sequence[tuple[int, str]], recalls: Sequence[int], row_start: int) -> str | None:
    """The cue of the nearest ``\\text{...}`` (or ``\\because``) before ``at`` in the row."""
    best: tuple[int, str | None] | None = None
    for off, content in texts:
        if row_start <= off <= at and (best is None or off > best[0]):
            best = (off, cue_of(content))
    for off in recalls:
        if row_start <= off <= at and (best is None or off > best[0]):
            best = (off, "recall")
    return best[1] if best else None


__all__ = ["Clause", "clauses", "case_regions"]
