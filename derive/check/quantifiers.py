"""The scope of a supposition and quantifiers in prose (moved out of ``check/extract.py``).

``_supposition_end``: where "Suppose $y = 0$" stops holding (its paragraph, or the next block
after a colon or "then"); ``_quantifiers``: "for any $y$", "$y$ arbitrary", ``\\forall y``, with
the offset where each one's sentence starts.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .extract import Extraction


_BLANK_LINE = re.compile(r"\n[ \t]*\n")
#: a paragraph that introduces what follows ("If $n = 2$:", "Suppose $y = 0$. Then") goes on into it
_INTRODUCES = re.compile(r"(?::|\bthen|,)[\s*_]*$", re.I)


def _supposition_end(text: str, start: int, ex: Extraction) -> int:
    """Where a supposition made just before the math region at ``start`` stops holding: the end of
    its paragraph (a blank line outside math), or of the next block when the paragraph ends with
    a colon or "then"; never past the next part, heading or section."""
    def paragraph_end(at: int) -> int:
        pos = at
        while True:
            m = _BLANK_LINE.search(text, pos)
            if not m:
                return len(text)
            if ex.region_at(m.start()) is None:
                return m.start()
            pos = m.end()

    end = paragraph_end(start)
    if end < len(text) and _INTRODUCES.search(text[start:end]):
        nxt = re.compile(r"\S").search(text, end)
        end = paragraph_end(nxt.start()) if nxt else len(text)
    marks = [m for m in ex.sections + ex.parts if m > start]
    return min([end] + marks)


#: prose quantifiers over a name written in math: "for any $y$", "for all real $x$", "$y$ arbitrary"
_QUANT_PROSE = re.compile(
    r"(?<![A-Za-z])(?:(?:for|over)\s+(?:any|all|every|each|arbitrary|general)"
    r"(?:\s+(?:real|positive|fixed|other|possible|integers?|numbers?|values?(?:\s+of)?|choices?\s+of))*"
    r"|let)\s+(?:\$(?P<a>[^$]{1,60})\$|\\\((?P<b>.{1,60}?)\\\))"
    , re.I)
_LET_ARBITRARY = re.compile(r"^\s+(?:be\s+)?(?:arbitrary|any|free|general)\b", re.I)
_FORALL = re.compile(r"\\forall(?![A-Za-z])\s*(?P<a>[A-Za-z](?:_\{[^{}]{1,20}\}|_[A-Za-z0-9])?)")


def _sentence_start(text: str, at: int, ex: Extraction) -> int:
    """The start of the sentence around ``at`` ("$(x + y)^2 = x^2 + 2xy + y^2$ for any $y$"
    re-quantifies the claim before it): after the last full stop or blank line outside math."""
    pos = at
    while pos > 0:
        m = None
        for m in re.finditer(r"[.!?](?=\s)|\n[ \t]*\n", text[max(0, pos - 400):pos]):
            pass
        if m is None:
            return max(0, pos - 400)
        found = max(0, pos - 400) + m.end()
        if ex.region_at(found - 1) is None:
            return found
        pos = found - 1
    return 0


def _quantifiers(text: str, ex: Extraction) -> list[tuple[int, str]]:
    """Quantifiers over names (``Extraction.quantified``): the offset where each one's sentence
    starts, and the name, in order."""
    out: list[tuple[int, str]] = []
    for m in _QUANT_PROSE.finditer(text):
        if ex.region_at(m.start()) is not None:
            continue
        body = m.group("a") if m.group("a") is not None else m.group("b")
        if m.group(0).lower().startswith("let") and not _LET_ARBITRARY.match(text[m.end():m.end() + 40]):
            continue        # "let $y = 2$": data, no quantifier
        # "$y \in \mathbb{R}$", "$x, y$": the names before a membership
        names = re.split(r"\\in(?![A-Za-z])|\\geq?(?![A-Za-z])|\\leq?(?![A-Za-z])|[<>]", body)[0]
        if "=" in names:
            continue
        at = _sentence_start(text, m.start(), ex)
        out.extend((at, n.strip()) for n in names.split(",") if n.strip())
    for m in _FORALL.finditer(text):
        region = ex.region_at(m.start())
        at = ex.all_regions[region].start if region is not None else m.start()
        out.append((at, m.group("a")))
    return sorted(out)


class Every(set):
    """Holds every name: in ``equivalent()``, and in a document that is one relation alone, each free name is
    arbitrary (quantified over), so a
    counterexample may give it any value, and no value is read as data the answer gives it."""

    def __contains__(self, name: object) -> bool:
        return True
