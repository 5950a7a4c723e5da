"""Facts that flow forward through a document: substitutions ``key -> value``.

Definitions, data, hypotheses and proved claims become facts for the lines
after them (``c = \\frac{1}{\\sqrt{d_{in}}}``, ``y[n] = ...``).  The store is
indexed by key, so applying the facts to a step costs time in the number of
facts that step *uses*, not in the number of facts in the document: checking
is linear in the length of the document.

Keys are names (symbols, opaque atoms such as ``\\mathrm{RMS}(x)``, array
entries); any other key (a given about ``\\|x\\|_2^2``) is kept in a short
list and tried on every step.  A fact whose value uses a key supersedes
that key's fact (``v -> 2 w``, then ``w -> v / 2``): facts are substituted
to a fixed point, so the store never holds a cycle.

Distribution statements (``X \\sim \\mathcal{N}(\\mu, \\sigma^2)``) give their
moments; ``moments`` says which, as LaTeX texts for the parser.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

import sympy as sp
from sympy.core.function import AppliedUndef

_NAME_TYPES = (sp.Symbol, sp.MatrixSymbol, AppliedUndef, sp.Indexed)


def is_name(e: Any) -> bool:
    """A symbol, an opaque atom or an array entry: something a fact can give a value."""
    return isinstance(e, _NAME_TYPES)


def _constant(e: Any) -> bool:
    """An expression without names (a number, or a function of numbers)."""
    return isinstance(e, sp.Expr) and not names_in(e)


def names_in(e: Any) -> set[sp.Basic]:
    """Every name in ``e`` (entries of a matrix too)."""
    if isinstance(e, sp.MatrixBase):
        out: set[sp.Basic] = set()
        for x in e:
            out |= names_in(x)
        return out
    if not isinstance(e, sp.Basic):
        return set()
    out = set()
    stack = [e]
    while stack:
        a = stack.pop()
        if isinstance(a, _NAME_TYPES):
            out.add(a)
        if isinstance(a, sp.Indexed):
            stack.extend(a.indices)         # x[1] is not about the array's label x
        elif isinstance(a, sp.Basic):
            stack.extend(a.args)
    return out


@dataclass
class Fact:
    key: sp.Basic
    value: Any
    line: int = 0
    role: str = "given"


@dataclass
class FactStore:
    """Facts of one scope (a section's, and an environment's on top)."""

    named: dict[sp.Basic, Fact] = field(default_factory=dict)
    other: list[Fact] = field(default_factory=list)
    #: how many facts the lookups examined (for tests of linear scaling)
    examined: int = 0
    #: definitions for every index (``families.Family``: \\nabla_{W_k} L = \\delta_k a_{k-1}^T)
    families: list[Any] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.named or self.other)

    def __len__(self) -> int:
        return len(self.named) + len(self.other)

    def facts(self) -> Iterator[Fact]:
        yield from self.named.values()
        yield from self.other

    def get(self, key: sp.Basic) -> Fact | None:
        return self.named.get(key)

    def add(self, key: sp.Basic, value: Any, line: int = 0, role: str = "given") -> None:
        """Record ``key -> value``, dropping facts it would loop with (``w -> w - g`` is no fact)."""
        if key in names_in(value):
            self.drop(key)
            return
        for n in names_in(value):
            fact = self.named.get(n)
            # a directive supersedes every fact about a name in its value (the sheets'
            # contract); a fact read from the working only a fact it would loop with
            if fact is not None and (role == "given" or self._reaches(fact.value, key)):
                del self.named[n]           # v -> 2 w, then w -> v / 2: the later one wins
        if isinstance(value, sp.Basic):
            self.other = [f for f in self.other if not value.has(f.key)]
        self.other = [f for f in self.other if f.key != key]
        fact = Fact(key, value, line, role)
        if is_name(key):
            self.named.pop(key, None)
            self.named[key] = fact
        else:
            self.other.append(fact)

    def _reaches(self, value: Any, key: sp.Basic, limit: int = 64) -> bool:
        """Whether substituting facts into ``value`` can bring back ``key``."""
        todo, seen = list(names_in(value)), set()
        while todo and len(seen) < limit:
            n = todo.pop()
            if n == key:
                return True
            if n in seen:
                continue
            seen.add(n)
            fact = self.named.get(n)
            if fact is not None:
                todo.extend(names_in(fact.value))
        return bool(todo)       # undecided within the limit: treat as a loop

    def drop(self, key: sp.Basic) -> None:
        self.named.pop(key, None)
        self.other = [f for f in self.other if f.key != key]

    def relevant(self, e: Any, limit: int = 8) -> list[tuple[sp.Basic, Any]]:
        """The facts that apply to ``e``, following values to a fixed point (at most ``limit`` rounds)."""
        out: dict[sp.Basic, Any] = {f.key: f.value for f in self.other}
        self.examined += len(self.other)
        frontier = names_in(e)
        seen: set[sp.Basic] = set()
        for _ in range(limit):
            new: set[sp.Basic] = set()
            for n in frontier - seen:
                seen.add(n)
                self.examined += 1
                fact = self.named.get(n)
                if fact is not None and n not in out:
                    out[n] = fact.value
                    new |= names_in(fact.value)
            if not new:
                break
            frontier = new
        return list(out.items())


def matrix_facts(*stores: FactStore) -> dict[sp.Symbol, sp.MatrixBase]:
    """Names that the facts give explicit matrices, also through one alias (``a_0 = x`` with x a
    vector: a_0 is that vector), so the matrix reader keeps the order of their products."""
    facts = [f for st in stores for f in st.facts() if isinstance(f.key, sp.Symbol)]
    out = {f.key: f.value for f in facts if isinstance(f.value, sp.MatrixBase)}
    for f in facts:
        if f.key not in out and isinstance(f.value, sp.Symbol) and f.value in out:
            out[f.key] = out[f.value]
    return out


# --------------------------------------------------------------------------- #
# Distributions
# --------------------------------------------------------------------------- #

@dataclass(frozen=True)
class Family:
    """A named distribution: the pattern of its LaTeX and its moments."""

    name: str
    pattern: str
    #: (moment template, value template); ``{0}``, ``{1}`` are the parameters, ``{x}`` the variable
    moments: tuple[tuple[str, str], ...]


_MEAN = (r"\mathbb{{E}}[{x}]", r"E[{x}]", r"\mathbb{{E}}\left[{x}\right]")
_VAR = (r"\mathrm{{Var}}({x})", r"\operatorname{{Var}}({x})", r"\text{{Var}}({x})", r"\mathrm{{Var}}[{x}]",
        r"\operatorname{{Var}}[{x}]", r"\text{{Var}}[{x}]", r"Var({x})")

FAMILIES: tuple[Family, ...] = (
    Family("normal", r"\\mathcal\s*\{\s*N\s*\}|\\mathcal\s*N|N|\\text\s*\{\s*Normal\s*\}",
           tuple((m, "{0}") for m in _MEAN) + tuple((v, "{1}") for v in _VAR)
           + ((r"\mathbb{{E}}[{x}^2]", "{1} + ({0})^2"),)),
    Family("uniform", r"\\mathcal\s*\{\s*U\s*\}|\\mathrm\s*\{\s*U(?:nif)?\s*\}|U|\\text\s*\{\s*Unif(?:orm)?\s*\}",
           tuple((m, "\\frac{{{0} + {1}}}{{2}}") for m in _MEAN)
           + tuple((v, "\\frac{{({1} - {0})^2}}{{12}}") for v in _VAR)),
)


def _args(text: str) -> list[str] | None:
    """``(a, b)`` -> [a, b] at the top level of the brackets."""
    t = text.strip()
    for o, c in (("(", ")"), ("\\left(", "\\right)")):
        if t.startswith(o) and t.endswith(c):
            t = t[len(o):len(t) - len(c)]
            break
    else:
        return None
    out, depth, start = [], 0, 0
    for i, ch in enumerate(t):
        depth += ch in "({["
        depth -= ch in ")}]"
        if ch == "," and depth == 0:
            out.append(t[start:i])
            start = i + 1
    out.append(t[start:])
    return [a.strip() for a in out]


def moments(variable: str, law: str) -> list[tuple[str, str]] | None:
    """``X``, ``\\mathcal{N}(\\mu, \\sigma^2)`` -> [(``\\mathbb{E}[X]``, ``\\mu``), ...] (LaTeX), or ``None``."""
    for fam in FAMILIES:
        m = re.match(r"\s*(?:" + fam.pattern + r")\s*", law)
        if not m:
            continue
        args = _args(law[m.end():])
        if not args or len(args) != 2 or not all(args):
            return None
        x = variable.strip()
        return [(mt.format(x=x), vt.format(*args)) for mt, vt in fam.moments]
    return None


__all__ = ["Fact", "FactStore", "matrix_facts", "Family", "FAMILIES", "is_name", "names_in", "moments"]
