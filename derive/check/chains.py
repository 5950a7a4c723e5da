"""Chains of relations -> steps, and what a step carries besides its sides.

A chain (``a = b \\le c``, possibly continued on later rows or in a later math
region) becomes one ``RawStep`` per relation, or, when it holds implications,
one step per implication between the propositions on either side.  Each step
also gets the unit written after each side (``6{,}000 \\text{ minutes}``), and a
row whose left side is only a ``\\text{word}`` gets that word as its name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .relations import IMPLICATIONS


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
    #: unit words written inside a side, before its end (``2\\,\\text{kg} \\cdot 3\\,\\text{kg}``)
    inner_units: tuple[str, ...] = ()
    #: a supposition ("Suppose $y = 0$"): the offset where it stops holding (``extract``)
    until: int | None = None
    #: ``a \\approx b \\approx c``: the side before the first of the run of ``\\approx`` (``a``),
    #: which ``c`` also rounds (not the rounded ``b``); ``None`` for any other step
    anchor: Expr | None = None


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
    #: the chain is supposed (``RawStep.until``)
    until: int | None = None


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
                    chain.cue, chain.conditions[i] if i < len(chain.conditions) else (),
                    anchor=_anchor(chain, i))
            for i, (k, t, off) in enumerate(chain.rels[:n])]


def _anchor(chain: _Chain, i: int) -> Expr | None:
    """For the ``i``-th relation, an ``\\approx`` after another ``\\approx``: the side the run of
    ``\\approx`` starts from.  ``x = 0.449 \\approx 0.45 \\approx 0.5`` claims 0.5 for 0.449, which
    rounds to 0.4; an ``=`` ends the run (``\\approx 2 + 0.1/4 = 2.025 \\approx 2.03`` rounds 2.025), and
    so does a side that is more than a printed number."""
    if chain.rels[i][0] != "approx":
        return None
    j = i
    # back over links that only round a printed number (0.45, a matrix of decimals); an expression
    # with rounded inputs (\\tanh(-0.6384)) is evaluated, so what follows rounds its value
    while j > 0 and chain.rels[j - 1][0] == "approx" and _rounded_number(chain.items[j].text):
        j -= 1
    return _flat(chain.items[j]) if j < i else None


def _rounded_number(text: str) -> bool:
    from .rounding import printed, printed_entries

    entries = printed_entries(text)
    return printed(text) is not None or (bool(entries) and None not in entries)


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


def _units_inside(e: Expr, text: str, texts: list[tuple[int, str]]) -> tuple[str, ...]:
    """Unit words written after a number within a side's span (a blanked ``\\text{kg}`` between
    its terms); ``\\text{total} = 2a`` is a name, no unit."""
    end = e.offset + len(e.text)
    found = []
    for off, content in texts:
        m = _UNIT.match(content)
        if e.offset <= off < end and m and m.group(1).lower() not in _NOT_UNITS \
                and text[e.offset:off].rstrip()[-1:].isdigit():
            found.append(m.group(1).lower())
    return tuple(found)


def _with_units(steps: list[RawStep], text: str, texts: list[tuple[int, str]]) -> list[RawStep]:
    if not texts:
        return steps
    for st in steps:
        st.units = (_unit_after(st.lhs, text, texts), _unit_after(st.rhs, text, texts))
        st.inner_units = _units_inside(st.lhs, text, texts) + _units_inside(st.rhs, text, texts)
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


_LABEL = re.compile(r"\s*([A-Za-z]{2,}(?: [A-Za-z]+)*)\s*:?\s*$")


def _row_label(texts: list[tuple[int, str]], start: int, stop: int) -> Expr | None:
    """A ``\\text{word}`` that is all a row has before its first relation, as a name."""
    for off, content in texts:
        if start <= off < stop:
            m = _LABEL.match(content)
            if m and m.group(1).split()[0].lower() not in _NOT_UNITS:
                return Expr("\\mathrm{" + m.group(1).replace(" ", "") + "}", off)
    return None
