"""Blanking what the checker ignores inside math, offset-preserving.

Everything the checker does not read (``\\text{...}`` prose, ``\\label``, spacing,
``\\left``...) is replaced by spaces of the same length, so every offset into the
cleaned text is an offset into the user's file (see ``extract``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .latex.rules import between_numbers, keeps_text
from .relscan import _CMD, _relations

#: Environments whose contents are checked.
MATH_ENVS = ("align", "align*", "equation", "equation*", "gather", "gather*", "multline",
             "multline*", "eqnarray", "eqnarray*", "flalign", "flalign*")
#: Environments inside math that are only layout (their contents are split as usual).
TRANSPARENT_ENVS = ("split", "aligned", "gathered", "alignedat")

_BLANK_ARG_CMDS = ("label", "tag*", "tag", "text", "textrm", "textit", "textbf", "mbox", "intertext",
                   "hspace*", "hspace", "vspace*", "vspace", "mathrlap", "mathllap", "phantom", "hphantom",
                   "vphantom", "eqref", "ref", "DeriveWhy")
_BLANK_CMDS = ("nonumber", "notag", "quad", "qquad", "displaystyle", "textstyle", "scriptstyle",
               "limits", "nolimits", "middle", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
               "Biggl", "Biggr", "big", "Big", "bigg", "Bigg", "DeriveProved", "DeriveNumeric",
               "allowbreak", "medspace", "thickspace", "thinspace", "negthinspace", "hfill")


def notation_text(text: str, start: int, i: int, j: int) -> bool:
    """``\\text{...}`` at ``text[i:j]`` that is notation, not prose: an operator
    name (``\\text{RMS}(x)``) or part of a name (``d_{\\text{in}}``), as the
    reader's rule table (``latex.rules``) says."""
    m = re.match(r"\s*\{([^{}]*)\}", text[j:j + 40])
    if not m or text[i + 1:j] not in ("text", "textrm", "mbox"):
        return False
    return keeps_text(m.group(1)) or bool(re.search(r"[_^]\s*\{?\s*$", text[max(start, i - 3):i]))


def _whole_body(text: str, start: int, end: int, i: int, e: int, name: str) -> bool:
    """``\\begin{array}`` at the very start of a math body (``\\end{array}`` at its very end)."""
    if name == "begin":
        return not text[start:i].strip()
    return not text[e:end].strip() and bool(re.match(r"\s*\\begin\s*\{array\}", text[start:end]))


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, min(end, len(chars))):
        if chars[i] != "\n":
            chars[i] = " "


def _text_arg(text: str, j: int, end: int) -> str:
    """The argument of the ``\\text{...}`` that follows ``text[j:]`` (after spaces and commas)."""
    m = re.match(r"[\s,]*\\(?:text|mbox|textrm)\s*\{", text[j:end])
    if not m:
        return ""
    k = j + m.end() - 1
    e = _group_end(text, k)
    return text[k + 1:e - 1] if 0 < e <= end else ""


def _group_end(text: str, i: int) -> int:
    """Index just past the balanced ``{...}`` group starting at ``text[i] == '{'``."""
    depth = 0
    j = i
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return -1


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n":
        i += 1
    return i


#: ``\\text{...}`` words that join clauses (``x = 1 \\quad \\text{and} \\quad y = 2``): not an annotation
_CONNECTIVE = re.compile(r"\s*(,|and|where|with|for|if|when|whenever|provided|so|then|hence|thus|i\.e\.?|setup:?|"
                         r"given:?|let|also|assuming|since|because|we want)\b", re.I)
#: the kind of number a quantifier names: "for all real", "for every positive integer"
KIND = r"(?:\s+(?:real|positive|negative|non-?negative|natural|integers?|numbers?|values?(?:\s+of)?))*"
#: a ``\\text{...}`` that is only such a word (``x^2 \\ge x \\text{ for } x \\ge 0``) separates the
#: relations on either side of it, as ``\\quad`` does: blanked, it would glue them into a product
_JOINING_WORD = re.compile(r"\s*(?:,\s*)?(?:and|for(?:\s+(?:all|every|each|any)" + KIND + r")?|if|when|whenever|"
                           r"provided(?:\s+that)?|assuming|since|because|so|then|hence|thus|therefore|"
                           r"i\.\s?e\.?|that\s+is|where|with|given(?:\s+that)?)\s*[,:]?\s*", re.I)


#: relations a word between joins: besides the steps' own, ``\\ne`` and ones the checker does not
#: read (``a \\equiv b``); arrows and ``\\sim`` are left out (``\\text{ so } \\Rightarrow``)
_ROW_RELATIONS = ((r"\ne", "ne"), (r"\neq", "ne"), (r"\equiv", "equiv"), (r"\ll", "ll"), (r"\gg", "gg"))
_ARROWS = ("implies", "iff", "sim")


def _row_relations(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Relations of ``text[start:end]`` at any depth (``_{i=1}`` too: a word after one is never
    blanked into a product), arrows left out."""
    return [r for r in _relations(text, start, end, extra=_ROW_RELATIONS, flat=True)
            if r[2] not in _ARROWS]


def _between_relations(text: str, start: int, end: int, i: int, e: int) -> bool:
    """A word ``text[i:e]`` with a relation before it in its row and a relation after it that the
    row does not simply continue (``a = 10 \\text{ settings} = 300`` continues; ``x^2 \\ge x
    \\text{ unless } x \\ge 1`` joins two relations by a word the checker does not read)."""
    row = text.rfind("\\\\", start, i)
    stop = text.find("\\\\", e, end)
    after = _row_relations(text, e, end if stop < 0 else stop)
    return bool(_row_relations(text, start if row < 0 else row + 2, i)) and bool(after) \
        and bool(text[e:after[0][0]].strip(" \t\n&{}"))


@dataclass(frozen=True)
class Note:
    """A layout token inside math, recorded before it is blanked."""

    kind: str           # sep (``\\quad``), text (``\\text{...}`` content), recall (``\\because``)
    offset: int
    end: int
    content: str = ""


#: a piecewise block (parse's ``latex/piecewise.py`` reads it whole): no separators inside, and a
#: ``\\text`` there is kept unless it is a case word the reader drops (``\\text{unless}`` must stay seen)
_CASES_BLOCK = re.compile(r"\\begin\s*\{(d?cases)\}.*?\\end\s*\{\1\}"
                          r"|\\\{\s*\\begin\s*\{array\}.*?\\end\s*\{array\}", re.S)
_CASE_WORD = re.compile(r"\s*(?:if|for|when|where|otherwise|else)?\s*[,.:;]?\s*")


def _clean_math(chars: list[str], text: str, start: int, end: int, notes: list[Note] | None = None) -> None:
    """Blank what the checker ignores inside ``text[start:end]`` (``notes`` collects
    the separators and ``\\text`` words that the layout and roles use)."""
    notes = [] if notes is None else notes
    blocks = [(m.start(), m.end()) for m in _CASES_BLOCK.finditer(text, start, end)] if "\\begin" in text[start:end] else []
    i = start
    while i < end:
        c = text[i]
        if c == "~" and not (text[i - 1:i].isdigit() and text[i + 1:i + 2].isdigit()):
            chars[i] = " "      # a tie is a space, except 1~000 (a thousands separator, read by the reader)
        if c != "\\":
            i += 1
            continue
        m = _CMD.match(text, i)
        if not m:
            i += 1
            continue
        name = m.group(1)
        j = m.end()
        if name in (",", ";", "!", ":", " ", ">"):
            if not between_numbers(text[max(start, i - 8):i], text[j:min(end, j + 24)]):
                _blank(chars, i, j)     # kept between numbers: 1\,000 and [-2 \ \ 3] are read there
        elif name == "boxed":
            # \boxed{c = 1/\sqrt{d}}: the answer box is layout; its relation is read as written
            k = _skip_space(text, j)
            if k < end and text[k] == "{":
                e = _group_end(text, k)
                if 0 < e <= end:
                    _blank(chars, i, k + 1)
                    _blank(chars, e - 1, e)
                    j = k + 1
        elif name in ("left", "right"):
            # \left. and \right. are invisible delimiters.
            k = _skip_space(text, j)
            if k < end and text[k] == ".":
                _blank(chars, i, k + 1)
            elif name == "left" and k < end and text[k] in "([|":
                # Keep the delimiter where \left stood, so f\left(x\right) stays an
                # application f(x) and only a written space makes d \left(x\right) a
                # product (same length: columns still map to the source).
                _blank(chars, i, k + 1)
                chars[i] = text[k]
            else:
                _blank(chars, i, j)
        elif name in ("quad", "qquad") and re.match(r"[\s,]*\\(text|mbox|textrm)\b", text[j:end]) \
                and not _CONNECTIVE.match(_text_arg(text, j, end)):
            # "\quad\text{(since } x > 0)": an annotation up to the end of the row
            stop = text.find("\\\\", j, end)
            stop = end if stop < 0 else stop
            _blank(chars, i, stop)
            j = stop
        elif name in ("therefore", "because", "hence", "thus"):
            notes.append(Note("recall" if name == "because" else "sep", i, j))
            if name != "because":       # "therefore" ends the cue of what came before
                notes.append(Note("text", i, j, name))
            _blank(chars, i, j)
        elif name in _BLANK_CMDS:
            if name in ("quad", "qquad") and not any(a <= i < b for a, b in blocks):
                notes.append(Note("sep", i, j))
            _blank(chars, i, j)
        elif name in _BLANK_ARG_CMDS and not notation_text(text, start, i, j):
            k = _skip_space(text, j)
            if k < end and text[k] == "{":
                e = _group_end(text, k)
                if e < 0 or e > end:
                    e = end
                if name == "DeriveWhy":   # two arguments
                    k2 = _skip_space(text, e)
                    if k2 < end and text[k2] == "{":
                        e2 = _group_end(text, k2)
                        e = e2 if 0 < e2 <= end else e
                if name in ("text", "textrm", "textit", "textbf", "mbox") and any(a <= i < b for a, b in blocks):
                    if not _CASE_WORD.fullmatch(text[k + 1:e - 1]):
                        i = e           # kept: the reader refuses a case condition in words
                        continue
                    _blank(chars, i, e)
                    i = e
                    continue
                if name in ("text", "textrm", "textit", "textbf", "mbox", "intertext"):
                    notes.append(Note("text", i, e, text[k + 1:e - 1]))
                    if _JOINING_WORD.fullmatch(text[k + 1:e - 1]):
                        notes.append(Note("sep", i, e))
                    elif _between_relations(text, start, end, i, e):
                        _blank(chars, i, e)
                        chars[i] = "?"  # "x^2 \le x \text{ or } x \ge 1": unread, never a product x x
                        i = e
                        continue
                _blank(chars, i, e)
                j = e
            else:
                _blank(chars, i, j)
        elif name == "\\":
            # a row break; drop an optional [2pt]
            k = j
            if k < end and text[k] == "[":
                close = text.find("]", k)
                if 0 < close < end:
                    _blank(chars, k, close + 1)
                    j = close + 1
        elif name in ("begin", "end"):
            k = _skip_space(text, j)
            if k < end and text[k] == "{":
                e = _group_end(text, k)
                if 0 < e <= end and text[k + 1:e - 1] == "array" and _whole_body(text, start, end, i, e, name):
                    # $$\begin{array}{l} a = b \\ c = d \end{array}$$ (Mathpix): rows of working, not a matrix
                    e2 = _group_end(text, e) if name == "begin" and e < end and text[e] == "{" else e
                    e2 = e2 if 0 < e2 <= end else e
                    _blank(chars, i, e2)
                    j = e2
                elif 0 < e <= end and text[k + 1:e - 1] in TRANSPARENT_ENVS + MATH_ENVS:
                    e2 = e
                    # \begin{alignedat}{2}
                    if name == "begin" and text[k + 1:e - 1] == "alignedat" and e < end and text[e] == "{":
                        e2 = _group_end(text, e)
                    _blank(chars, i, e2)
                    j = e2
        i = j
