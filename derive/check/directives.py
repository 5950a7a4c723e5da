"""Directives: ``% derive: assume | given | define`` (and ``--assume`` / ``--given``).

``assume`` maps each constrained symbol to an engine ``Domain``
(``d_{in} > 0`` -> positive, ``0 < \\beta_1 < 1`` -> ``Domain(lo=0, hi=1)``,
``n \\in \\mathbb{N}`` -> positive integer, ``A, B \\in \\mathbb{R}^{n \\times n}`` ->
matrices, read as ``MatrixSymbol``, ``X, Y independent`` -> random variables
of one independent family, ``X \\sim \\mathcal{N}(0, 1)`` -> a random variable with
that law, both as ``RandomDomain``); every other symbol stays real and
unconstrained.  ``given`` and ``define`` are equations ``lhs = rhs``: a
definition of a function (``\\sigma(z) = ...``) is applied while parsing, any
other equation is a fact substituted into both sides of every step.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..domains import Domain
from .bounds import (_EXCLUDED, _NAME, NONZERO, Assumed, DirectiveError, _is_number, _number, _NONZERO, excluded_point,
                     parse_assumption, split_commas)
from .extract import _relations
from .parse import symbol_key
from .randoms import (RandomDomain, _read_law, _within, merge_domains, parse_independence, parse_law,
                      random_model, with_law)


def parse_assumptions(texts: list[str]) -> dict[str, Domain]:
    """Several assumption lines; ``a, b > 0`` bounds both ``a`` and ``b``.  Strict: the first piece
    that cannot be read, or a written relation between names, raises ``DirectiveError``."""
    got = read_assumptions(texts)
    if got.problems:
        raise DirectiveError(got.problems[0])
    if got.written:
        raise DirectiveError(f"'{got.written[0]}' relates two names: only a '% derive: assume' line "
                             "of a checked document reads that")
    return got.domains


def read_assumptions(texts: list[str]) -> Assumed:
    """``parse_assumptions``, piece by piece: what can be read is kept, what cannot is a problem.

    A pure function of the texts (domains are frozen, families a hash of their names), so it is
    read once per text and each caller gets its own containers: ``equivalent()`` reads the same
    assumptions three times a call, a checked document each directive."""
    key = tuple(texts)
    got = _READ.get(key)
    if got is None:
        got = _read(key)
        if len(_READ) >= 256:
            _READ.clear()
        _READ[key] = got
    return Assumed(dict(got.domains), list(got.relations), [dict(d) for d in got.implied], list(got.problems),
                   list(got.written))


_READ: dict[tuple[str, ...], Assumed] = {}


def _read(texts: tuple[str, ...]) -> Assumed:
    out = Assumed()
    for text in texts:
        try:
            declared = parse_independence(text)
        except DirectiveError as exc:
            out.problems.append(str(exc))
            continue
        if declared is not None:
            merge_domains(out.domains, declared)
            continue
        pending: list[str] = []
        for piece in split_commas(text):
            try:
                pending = _read_piece(piece, pending, out)
            except DirectiveError as exc:
                out.problems.append(str(exc))
                pending = []
        if pending:
            out.problems.append(f"'{', '.join(pending)}' has no bound")
    for implied in out.implied:
        for key, dom in implied.items():
            out.domains[key] = _within(out.domains.get(key), dom)
    out.relations = list(dict.fromkeys(out.relations))
    return out


#: a relation the assumption reader does not take (``a \\ne b``, ``x \\approx 1``): never a name
_UNREAD_RELATION = re.compile(r"\\(?:neq?|not|notin|ni|approx|equiv|sim|simeq|cong|propto|mid|subset\w*|supset\w*)"
                              r"(?![A-Za-z])|[=<>!]")


#: ``|r| < 1``, ``\\lvert x \\rvert < 2``: a name inside an open interval around 0 (``\\le`` is a relation:
#: a Domain's upper end is open)
_ABS_BELOW = re.compile(rf"\s*(?:\\left\s*)?(?:\||\\lvert|\\vert)\s*({_NAME})\s*(?:\\right\s*)?(?:\||\\rvert|\\vert)"
                        r"\s*(?:<|\\lt(?![A-Za-z]))\s*(.+?)\s*")


def _read_piece(piece: str, pending: list[str], out: Assumed) -> list[str]:
    """One comma-separated piece of an assumption line; returns the names still waiting for a bound."""
    family = parse_independence(", ".join([*pending, piece]))
    if family is not None:      # X_1, X_2 \text{ i.i.d.}, X_1 \sim Exp(\lambda): the family, then the law
        merge_domains(out.domains, family)
        return []
    if re.search(r"\\sim(?![A-Za-z])", piece) and _read_law(piece, out, pending):
        return []               # X \sim Exp(\lambda), \lambda > 0 (and X, Y \sim N(0, 1): the same law each)
    nonzero = _NONZERO.fullmatch(piece)
    if nonzero:                 # x \ne 0: a real other than 0 (a, b \ne 0 for both)
        for p in (*pending, nonzero.group(1)):
            merge_domains(out.domains, {symbol_key(p): NONZERO})
        return []
    other = _EXCLUDED.fullmatch(piece)
    if other:                   # x \ne 1: a point excluded (a removable point of a division; check/divisions.py)
        point = excluded_point(other.group(2))
        for p in (*pending, other.group(1)):
            merge_domains(out.domains, {symbol_key(p): Domain(f"real other than {point}", excluded=(point,))})
        return []
    if not _relations(piece, 0, len(piece)) and "\\in" not in piece:
        if _UNREAD_RELATION.search(piece):      # a \ne b: no name waiting for a bound
            raise DirectiveError(f"'{piece.strip()}' is not an assumption derive reads")
        return [*pending, piece]
    inside = _ABS_BELOW.fullmatch(piece)
    if inside and _is_number(inside.group(2)) and _number(inside.group(2)) > 0:
        c = _number(inside.group(2))            # |r| < 1: r in (-1, 1), open at both ends
        for p in (*pending, inside.group(1)):
            merge_domains(out.domains, {symbol_key(p): Domain(f"(-{c:g}, {c:g})", lo=-c, hi=c)})
        return []
    if _between_names(piece):   # a < b: a hypothesis of the scope
        if pending:
            raise DirectiveError(f"'{', '.join(pending)}, {piece.strip()}': a relation between names bounds no list")
        out.relations.append(piece.strip())
        out.written.append(piece.strip())
        return []
    got = parse_assumption(piece)
    (key, dom), *extra = got.items()
    for p in pending:
        merge_domains(out.domains, {symbol_key(p): replace(dom)})
    merge_domains(out.domains, {key: dom, **dict(extra)})
    return []


_EXPRESSION = re.compile(r"[\^|+\-*/()]|\\(?:frac|sqrt|left|cdot|times|lvert|vert)(?![A-Za-z])")


def _between_names(piece: str) -> bool:
    """``a < b``, ``0 < a < b``, ``\\sigma^2 > 0``: an order relation that is no bound of one name by numbers."""
    rels = _relations(piece, 0, len(piece))
    if "\\in" in piece or not rels or any(k not in ("lt", "le", "gt", "ge") for _, _, k in rels):
        return False
    pieces, prev = [], 0
    for a, b, _ in rels:
        pieces.append(piece[prev:a].strip())
        prev = b
    pieces.append(piece[prev:].strip())
    names = [p for p in pieces if not _is_number(p)]
    # one side an expression (\sigma^2, |r|), not a name however long (stride, d_{in}, \mathrm{lr})
    return len(names) > 1 or (len(names) == 1 and bool(_EXPRESSION.search(names[0])))


def split_equation(text: str) -> tuple[str, str]:
    """``lhs = rhs`` of a given or a definition."""
    found = _relations(text, 0, len(text))
    rels = [r for r in found if r[2] == "eq"]
    if any(r[2] in ("lt", "le", "gt", "ge") for r in found):
        # never dropped: an inequality is a hypothesis, which assume reads (a < b, 0 < p < 1)
        raise DirectiveError(f"'{text.strip()}' is an inequality, and a given is an equation 'lhs = rhs': "
                             f"write it as '% derive: assume {text.strip()}'")
    if len(rels) != 1:
        raise DirectiveError(f"expected one equation 'lhs = rhs', got '{text.strip()}'")
    a, b, _ = rels[0]
    return text[:a].strip(), text[b:].strip()


__all__ = ["Assumed", "DirectiveError", "RandomDomain", "merge_domains", "parse_assumption", "parse_assumptions",
           "parse_independence", "parse_law", "random_model", "read_assumptions", "split_commas", "split_equation",
           "with_law"]
