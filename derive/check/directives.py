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
import zlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable

from ..domains import INTEGER, NONNEGATIVE, NONNEGATIVE_INTEGER, POSITIVE, POSITIVE_INTEGER, REAL, Domain
from .extract import _relations
from .latex.matrices import MatrixShape, matrix_shape
from .parse import _top_split, symbol_key


if TYPE_CHECKING:
    from ..verify.probability import Model


class DirectiveError(Exception):
    """An assumption or given that cannot be read."""


@dataclass(frozen=True)
class RandomDomain(Domain):
    """A declared random variable: its values' domain, its independent family, its law (LaTeX)."""

    family: int = 0
    law: str = ""


#: ``X, Y independent``, ``X_1, \\dots, X_n \\text{ i.i.d.}``, ``X \\perp Y``
_INDEPENDENT = re.compile(r"(?P<names>.+?)\s*(?:\\text\s*\{\s*(?P<t>[^{}]*)\}|(?P<w>independent|i\.i\.d\.?|iid))\s*\.?\s*")
_PERP = re.compile(r"\\perp(?:\s*\\!)*(?:\s*\\perp)?")


def parse_independence(text: str) -> dict[str, Domain] | None:
    """``X, Y independent`` -> {X, Y: one family}; ``None`` if ``text`` is no such statement."""
    names: list[str] = []
    if _PERP.search(text):
        names = [p.strip() for p in _PERP.split(text)]
    else:
        m = _INDEPENDENT.fullmatch(text)
        if not m or (m.group("t") is not None and not re.fullmatch(
                r"\s*(?:are\s+)?(?:(?:mutually\s+)?independent|i\.i\.d\.?|iid)\s*\.?\s*", m.group("t"))):
            return None
        names = split_commas(m.group("names").strip().rstrip(","))
    if any(re.search(r"\\[lc]?dots", n) for n in names):
        raise DirectiveError(f"'{text.strip()}': a family with \\dots is not read; name its members")
    keys = [symbol_key(n) for n in names if n]
    if len(keys) < 2 or len(set(keys)) != len(keys):
        raise DirectiveError(f"'{text.strip()}' must name two or more random variables")
    family = zlib.crc32(",".join(sorted(keys)).encode()) | 1
    if re.search(r"i\.i\.d|iid", text):
        family = -family            # identically distributed too
    return {k: RandomDomain("random", family=family) for k in keys}


def parse_law(text: str) -> dict[str, Domain] | None:
    """``X \\sim \\mathcal{N}(0, 1)`` -> {X: a random variable with that law}; ``None`` otherwise."""
    m = re.fullmatch(r"\s*(.+?)\s*\\sim(?![A-Za-z])\s*(.+?)\s*", text)
    if not m or len(split_commas(m.group(1))) > 1 or len(split_commas(m.group(2))) > 1:
        return None             # "X \sim Exp(\lambda), \lambda > 0": one piece at a time (parse_assumptions)
    from ..verify.probability import law_of

    if law_of(m.group(2)) is None:
        raise DirectiveError(f"the law '{m.group(2)}' is not known")
    return {symbol_key(m.group(1)): RandomDomain("random", law=m.group(2))}


def split_commas(text: str) -> list[str]:
    """Split at top-level commas (not inside braces or brackets)."""
    return [p for p in _top_split(text, seps=",", norm_bars=False) if p]


#: ``x \ne 0``, ``x \neq 0``, ``x != 0``: the only inequation an assumption may state.
_NONZERO = re.compile(r"\s*(.+?)\s*(?:\\neq?(?![A-Za-z])|!=|\\not\s*=)\s*0\s*")
NONZERO = Domain("nonzero real", nonzero=True)

_SETS = {
    r"\mathbb{N}": POSITIVE_INTEGER, r"\mathbb{N}_0": NONNEGATIVE_INTEGER, r"\mathbb{N}_{0}": NONNEGATIVE_INTEGER,
    r"\mathbb{Z}": INTEGER,      # every integer: a lower bound here would certify |n + 4| = n + 4
    r"\mathbb{Z}_{>0}": POSITIVE_INTEGER, r"\mathbb{Z}^+": POSITIVE_INTEGER, r"\mathbb{Z}_{\ge0}": NONNEGATIVE_INTEGER,
    r"\mathbb{R}": REAL, r"\mathbb{R}_{>0}": POSITIVE, r"\mathbb{R}^+": POSITIVE, r"\mathbb{R}_{+}": POSITIVE,
    r"\mathbb{R}_{\ge0}": NONNEGATIVE,
}


def _number(text: str) -> float:
    t = text.strip().replace(" ", "")
    m = re.fullmatch(r"\\frac\{(-?[\d.]+)\}\{([\d.]+)\}", t)
    if m:
        return float(m.group(1)) / float(m.group(2))
    m = re.fullmatch(r"(-?[\d.]+(?:\\(?:times|cdot)))?10\^\{?(-?\d{1,3})\}?", t)
    if m:           # 10^6, 2 \times 10^{-3}
        return float(m.group(1)[:m.group(1).index("\\")] if m.group(1) else 1) * 10.0 ** int(m.group(2))
    try:
        return float(t)
    except ValueError:
        raise DirectiveError(f"expected a number, got '{text.strip()}'") from None


def _interval(sym: str, text: str) -> Domain:
    m = re.fullmatch(r"\s*([(\[])\s*(.+?)\s*,\s*(.+?)\s*([)\]])\s*", text)
    if not m:
        raise DirectiveError(f"cannot read the set '{text.strip()}'")
    lo = None if "infty" in m.group(2) else _number(m.group(2))
    hi = None if "infty" in m.group(3) else _number(m.group(3))
    return Domain(f"{m.group(1)}{m.group(2)}, {m.group(3)}{m.group(4)}", lo=lo, hi=hi,
                  closed_lo=m.group(1) == "[" and lo is not None)


def parse_assumption(text: str) -> dict[str, Domain]:
    """One assumption (``0 < x < 1``, ``x > 0``, ``n \\in \\mathbb{N}``) -> {symbol key: Domain}."""
    m = re.fullmatch(r"\s*(.+?)\s*\\in\s*(.+?)\s*", text)
    if m:
        key = symbol_key(m.group(1))
        target = re.sub(r"\s+", "", m.group(2))
        if target in _SETS:
            return {key: _SETS[target]}
        shape = matrix_shape(m.group(2))
        if shape is not None:
            # a declared matrix; its symbolic sizes are positive integers
            dims = {symbol_key(d): POSITIVE_INTEGER for d in (shape.rows, shape.cols) if not d.isdigit()}
            return {key: shape, **{d: dom for d, dom in dims.items() if d != key}}
        return {key: _interval(key, m.group(2))}
    rels = _relations(text, 0, len(text))
    if not rels:
        raise DirectiveError(f"'{text.strip()}' is not a relation")
    pieces, prev = [], 0
    for a, b, _ in rels:
        pieces.append(text[prev:a].strip())
        prev = b
    pieces.append(text[prev:].strip())
    keys = [k for _, _, k in rels]
    sym_index = [i for i, p in enumerate(pieces) if not _is_number(p)]
    if len(sym_index) != 1:
        raise DirectiveError(f"'{text.strip()}' must bound exactly one symbol by numbers")
    i = sym_index[0]
    key = symbol_key(pieces[i])
    lo = hi = None
    closed_lo = False
    # bound on the left: "a < x" or "a <= x"
    if i > 0:
        k = keys[i - 1]
        v = _number(pieces[i - 1])
        if k in ("lt", "le"):
            lo, closed_lo = v, k == "le"
        elif k in ("gt", "ge"):
            hi = v
    if i < len(pieces) - 1:
        k = keys[i]
        v = _number(pieces[i + 1])
        if k in ("gt", "ge"):
            lo, closed_lo = v, k == "ge"
        elif k in ("lt", "le"):
            hi = v
    if lo is None and hi is None:
        raise DirectiveError(f"'{text.strip()}' gives no bound")
    if lo == 0 and hi is None:
        return {key: NONNEGATIVE if closed_lo else POSITIVE}
    name = f"{'[' if closed_lo else '('}{'-inf' if lo is None else f'{lo:g}'}, {'inf' if hi is None else f'{hi:g}'})"
    return {key: Domain(name, lo=lo, hi=hi, closed_lo=closed_lo)}


def _is_number(text: str) -> bool:
    try:
        _number(text)
        return True
    except DirectiveError:
        return False


def merge_domains(into: dict[str, Domain], new: dict[str, Domain]) -> None:
    """Add constraints to ``into``; two constraints on one symbol combine
    (``n \\in \\mathbb{Z}, n \\ge 1`` is a positive integer)."""
    for key, dom in new.items():
        old = into.get(key)
        if isinstance(dom, RandomDomain) or isinstance(old, RandomDomain):
            into[key] = _merge_random(old, dom)
            continue
        if old is None or old == REAL or isinstance(dom, MatrixShape) or isinstance(old, MatrixShape):
            into[key] = dom
            continue
        lo_new = dom.lo is not None and not (dom.integer and dom.name == "integer")
        lo, closed = (dom.lo, dom.closed_lo) if lo_new or old.lo is None else (old.lo, old.closed_lo)
        hi = dom.hi if dom.hi is not None else old.hi
        integer = old.integer or dom.integer
        if integer and (old.nonzero or dom.nonzero):
            raise DirectiveError(f"'{key} \\ne 0' is read for real symbols only, not for an integer")
        into[key] = Domain(f"{old.name} and {dom.name}", lo=lo, hi=hi, integer=integer, closed_lo=closed,
                           nonzero=old.nonzero or dom.nonzero)


def _merge_random(old: Domain | None, new: Domain) -> Domain:
    """A random variable keeps its family and law when its values get a domain, and back."""
    if old is None:
        return new
    values = {}
    for d in (old, new):
        if not (isinstance(d, RandomDomain) and d.name == "random") and not isinstance(d, MatrixShape):
            values = {"name": d.name, "lo": d.lo, "hi": d.hi, "integer": d.integer, "closed_lo": d.closed_lo}
    family = next((d.family for d in (new, old) if isinstance(d, RandomDomain) and d.family), 0)
    law = next((d.law for d in (new, old) if isinstance(d, RandomDomain) and d.law), "")
    return RandomDomain(**({"name": "random"} | values), family=family, law=law)


def parse_assumptions(texts: list[str]) -> dict[str, Domain]:
    """Several assumption lines; ``a, b > 0`` bounds both ``a`` and ``b``."""
    out: dict[str, Domain] = {}
    for text in texts:
        declared = parse_independence(text) or parse_law(text)
        if declared is not None:
            merge_domains(out, declared)
            continue
        pending: list[str] = []
        for piece in split_commas(text):
            law = parse_law(piece) if re.search(r"\\sim(?![A-Za-z])", piece) else None
            if law is not None:     # X \sim Exp(\lambda), \lambda > 0 (and X, Y \sim N(0, 1): the same law each)
                (_, dom), = law.items()
                for p in pending:
                    merge_domains(out, {symbol_key(p): replace(dom)})
                pending = []
                merge_domains(out, law)
                continue
            nonzero = _NONZERO.fullmatch(piece)
            if nonzero:             # x \ne 0: a real other than 0 (a, b \ne 0 for both)
                for p in (*pending, nonzero.group(1)):
                    merge_domains(out, {symbol_key(p): NONZERO})
                pending = []
                continue
            if not _relations(piece, 0, len(piece)) and "\\in" not in piece:
                pending.append(piece)
                continue
            got = parse_assumption(piece)
            (key, dom), *extra = got.items()
            for p in pending:
                merge_domains(out, {symbol_key(p): replace(dom)})
            pending = []
            merge_domains(out, {key: dom, **dict(extra)})
        if pending:
            raise DirectiveError(f"'{', '.join(pending)}' has no bound")
    return out


def split_equation(text: str) -> tuple[str, str]:
    """``lhs = rhs`` of a given or a definition."""
    rels = [r for r in _relations(text, 0, len(text)) if r[2] == "eq"]
    if len(rels) != 1:
        raise DirectiveError(f"expected one equation 'lhs = rhs', got '{text.strip()}'")
    a, b, _ = rels[0]
    return text[:a].strip(), text[b:].strip()


def random_model(domains: dict[str, Domain], parse: "Callable[[str], Any]") -> "Model":
    """The document's random variables (``probability.Model``): declared families and laws;
    ``parse`` reads a law's parameters."""
    from ..verify.probability import Model, law_of

    families, laws, assumptions = {}, {}, {}
    for key, dom in domains.items():
        if isinstance(dom, MatrixShape):
            continue
        assumptions[key] = {k: v for k, v in dom.assumptions().items() if k != "real"}
        if not isinstance(dom, RandomDomain):
            continue
        if dom.family:
            families[key] = dom.family
        if not dom.law:
            continue
        laws[key] = None            # a law it could not read: no finite law stands for it
        found = law_of(dom.law)
        args = split_commas(found[1].strip()[1:-1]) if found and found[1].strip().startswith("(") else None
        if found and args and len(args) == found[0].arity:
            try:
                laws[key] = (found[0], tuple(parse(a) for a in args))
            except Exception:  # noqa: BLE001 - unreadable parameters: no law
                pass
    return Model(families, laws, assumptions)


def with_law(model: "Model", variable: str, law_text: str, parse: "Callable[[str], Any]") -> "Model | None":
    """``model`` with ``variable`` (LaTeX) of the law ``law_text`` (``X \\sim Bern(p)`` in the working);
    ``None`` when the law or its parameters are not read."""
    from ..verify.probability import Model, law_of

    found = law_of(law_text)
    if not found or not found[1].startswith("("):
        return None
    args = split_commas(found[1][1:found[1].rfind(")")])
    if len(args) != found[0].arity:
        return None
    try:
        params = tuple(parse(a) for a in args)
        key = symbol_key(variable)
    except Exception:  # noqa: BLE001 - unreadable parameters: no law
        return None
    return Model(dict(model.families), {**model.laws, key: (found[0], params)}, dict(model.assumptions))
