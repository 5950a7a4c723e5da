"""One scanner of the top level of a row of math, and the relation symbols found on it.

``top_level`` walks ``text[start:end]`` and yields every token (a command ``\\name``, or one
character) that is outside braces and environments; ``relations._split_top`` (rows and
``&``), ``layout._separators`` (``,`` ``;`` ``:``) and ``_relations`` (relation symbols) all
read that one walk.  ``clean`` imports ``_relations`` from here: ``relations`` imports
``clean``, so it could not live there.
"""
from __future__ import annotations

import re
from typing import Iterator

#: a command: ``\\name`` (with an optional star) or ``\\`` and one character
_CMD = re.compile(r"\\([A-Za-z]+\*?|.)")

#: Relation symbols, longest first; ``name`` is the relation's key.
RELATIONS: tuple[tuple[str, str], ...] = (
    (r"\Longleftrightarrow", "iff"), (r"\Leftrightarrow", "iff"), (r"\iff", "iff"),
    (r"\Longrightarrow", "implies"), (r"\Rightarrow", "implies"), (r"\implies", "implies"),
    (r"\leqslant", "le"), (r"\geqslant", "ge"), (r"\leq", "le"), (r"\geq", "ge"),
    (r"\le", "le"), (r"\ge", "ge"), (r"\lt", "lt"), (r"\gt", "gt"), (r"\approx", "approx"), (r"\sim", "sim"),
    ("<=", "le"), (">=", "ge"), ("=", "eq"), ("<", "lt"), (">", "gt"),
)
#: read as relations of steps only (``_relations(..., ne=True)``): ``\\neq``, ``\\ne`` (and ``!=``), and
#: the assignment arrow of an update rule (``W \\gets W - \\eta g``)
NOT_EQUAL: tuple[tuple[str, str], ...] = ((r"\neq", "ne"), (r"\ne", "ne"), (r"\gets", "gets"),
                                          (r"\leftarrow", "gets"))
_COMMANDS = {sym: key for sym, key in NOT_EQUAL + RELATIONS if sym.startswith("\\")}
_PLAIN = frozenset(k for s, k in RELATIONS if s.startswith("\\"))


def top_level(text: str, start: int, end: int, opens: str = "{", closes: str = "}",
              escaped: bool = False, envs: bool = True) -> Iterator[tuple[int, int]]:
    """Spans ``(i, j)`` of the tokens of ``text[start:end]`` at depth 0 outside environments.

    A token is a command (``_CMD``) or one character; ``opens``/``closes`` (and, with
    ``escaped``, ``\\{``/``\\}``) nest, and are never yielded themselves.  ``\\begin`` opens an
    environment (it is inside it), ``\\end`` closes one (it is outside); without ``envs``
    environments do not nest (and with empty ``opens`` every token is yielded)."""
    depth = 0
    env = 0
    i = start
    while i < end:
        c = text[i]
        if c == "\\":
            m = _CMD.match(text, i, end)
            j = m.end() if m else i + 1
            if envs and text.startswith("\\begin", i):
                env += 1
            elif envs and text.startswith("\\end", i):
                env = max(0, env - 1)
            elif escaped and j == i + 2 and text[i + 1] in "{}":
                depth = depth + 1 if text[i + 1] == "{" else max(0, depth - 1)
                i = j
                continue
            if depth == 0 and env == 0:
                yield i, j
            i = j
            continue
        if c in opens:
            depth += 1
        elif c in closes:
            depth = max(0, depth - 1)
        elif depth == 0 and env == 0:
            yield i, i + 1
        i += 1


def _relations(text: str, start: int, end: int, ne: bool = False,
               extra: tuple[tuple[str, str], ...] = (), flat: bool = False) -> list[tuple[int, int, str]]:
    """Top-level relation symbols in ``text[start:end]`` as (offset, end, key); with ``ne``
    also ``\\neq`` and ``!=`` (key ``ne``); ``extra`` adds commands (``\\equiv``) to look for;
    ``flat``: at any depth, inside braces and environments too."""
    commands = dict(_COMMANDS, **{s: k for s, k in extra}) if extra else _COMMANDS
    out = []
    skip = start
    scan = top_level(text, start, end, "", "", envs=False) if flat else top_level(text, start, end)
    for i, j in scan:
        if i < skip:
            continue
        c = text[i]
        if c == "\\":
            key = commands.get(text[i:j])
            if key is not None and (ne or key in _PLAIN or any(s == text[i:j] for s, _ in extra)):
                out.append((i, j, key))
        elif ne and text.startswith("!=", i):
            out.append((i, i + 2, "ne"))
            skip = i + 2
        elif c in "=<>":
            if text[i:i + 2] in ("<=", ">="):
                out.append((i, i + 2, "le" if c == "<" else "ge"))
                skip = i + 2
            else:
                out.append((i, i + 1, {"=": "eq", "<": "lt", ">": "gt"}[c]))
    return out


__all__ = ["RELATIONS", "NOT_EQUAL", "top_level", "_relations", "_CMD"]
