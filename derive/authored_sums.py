"""Indexed families in authored steps: ``\\sum_i y_i``, ``\\sigma_k(z)``, ``\\partial L / \\partial z_k``.

``derive.authored`` reads the steps; this module adds what a problem about a
general number of entries needs:

- an unbounded ``\\sum_i`` (as in ``given = ['\\sum_i y_i = 1']``) runs over the
  problem's one range: the bounds its steps write (``\\sum_{i=1}^{C}``), else
  ``1..C`` for the one symbol assumed in ``\\mathbb{N}``;
- a definition ``\\sigma_i(z) = ...`` with a subscript defines a *family*: each
  ``\\sigma_k(z)`` written is the definition at ``i = k``, a fact for the
  verifier; the sheet still shows ``\\sigma_k(z)``;
- ``\\frac{\\partial L}{\\partial z_k}`` of a defined ``L`` is an unevaluated
  derivative, typeset as written.

Steps about such sums are decided by ``derive.verify.sums``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import sympy as sp
from sympy.core.function import AppliedUndef

from .errors import SpecError

_BOUNDED = re.compile(r"\\sum\s*_\s*\{\s*([A-Za-z])\s*=\s*([^{}=]+?)\s*\}\s*\^\s*(\{[^{}]+\}|[A-Za-z0-9])")
_UNBOUNDED = re.compile(r"\\sum\s*_\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z])(?![A-Za-z]))(?!\s*\^)")
_NATURAL = re.compile(r"^\s*([A-Za-z])\s*\\in\s*\\mathbb\s*\{?\s*N\s*\}?\s*$")
_FAMILY = re.compile(r"^\s*(\\?[A-Za-z]+)\s*_\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z]))\s*\(")
_PARTIAL = re.compile(r"^\s*\\frac\s*\{\s*\\partial\s*(\\?[A-Za-z]+)\s*\}\s*"
                      r"\{\s*\\partial\s*((?:[^{}]|\{[^{}]*\})+?)\s*\}\s*$")


def unbounded_sums(texts: Iterable[str], assume: Iterable[str], where: str) -> Callable[[str], str]:
    """The rewrite ``\\sum_i`` -> ``\\sum_{i=lo}^{hi}`` for this problem's range."""
    texts = list(texts)
    if not any(_UNBOUNDED.search(t) for t in texts):
        return lambda t: t
    ranges = {(m.group(2).strip(), m.group(3).strip("{} ")) for t in texts for m in _BOUNDED.finditer(t)}
    naturals = {m.group(1) for a in assume for m in [_NATURAL.match(a)] if m}
    if len(ranges) == 1:
        lo, hi = next(iter(ranges))
    elif not ranges and len(naturals) == 1:
        lo, hi = "1", next(iter(naturals))
    else:
        raise SpecError(f"{where}: a sum without bounds (\\sum_i) needs one range: write its bounds "
                        "(\\sum_{i=1}^{C}) or assume one size (C \\in \\mathbb{N})")

    def rewrite(text: str) -> str:
        return _UNBOUNDED.sub(lambda m: f"\\sum_{{{m.group(1) or m.group(2)}={lo}}}^{{{hi}}}", text)

    return rewrite


def entry_domains(domains: dict[str, Any], indexed: set[str]) -> dict[str, Any]:
    """``y_i > 0`` is about every entry of the family ``y``: its label gets the domain
    (the reader's ``y_i`` entries are ``Indexed`` with that label)."""
    out = dict(domains)
    for key, dom in domains.items():
        base, _, idx = key.rpartition("_")
        if base in indexed and re.fullmatch(r"[A-Za-z]", idx) and base not in domains:
            out[base] = dom
    return out


def family_bases(defines: Iterable[str]) -> set[str]:
    """Names defined with a subscript (``\\sigma_i(z) = ...``): families, not arrays."""
    return {m.group(1).lstrip("\\") for d in defines for m in [_FAMILY.match(d)] if m}


@dataclass(frozen=True)
class Family:
    """``base_index(args) = value``: one definition for every index."""

    base: str
    index: sp.Symbol
    args: tuple[sp.Symbol, ...]
    value: sp.Expr

    def at(self, app: AppliedUndef, symbol: Callable[[str], Any]) -> sp.Expr | None:
        """The definition at an application ``base_k(args)`` (``None``: not this family)."""
        head, _, idx = app.func.__name__.rpartition("_")
        if head != self.base or len(app.args) != len(self.args) or not re.fullmatch(r"[A-Za-z]|\d+", idx):
            return None
        mapping = {self.index: sp.Integer(idx) if idx.isdigit() else symbol(idx)}
        mapping.update({a: b for a, b in zip(self.args, app.args) if a != b})
        return self.value.xreplace(mapping)


def family(lhs: Any, rhs: Any, symbol: Callable[[str], Any]) -> Family | None:
    """A subscripted definition read as a family (``sigma_i(z)``: base ``sigma``, index ``i``)."""
    if not isinstance(lhs, AppliedUndef) or not isinstance(rhs, sp.Expr):
        return None
    head, _, idx = lhs.func.__name__.rpartition("_")
    if not head or not re.fullmatch(r"[A-Za-z]", idx) or not all(isinstance(a, sp.Symbol) for a in lhs.args):
        return None
    return Family(head, symbol(idx), tuple(lhs.args), rhs)


def applications(families: Iterable[Family], exprs: Iterable[Any], symbol: Callable[[str], Any]) \
        -> list[tuple[sp.Basic, sp.Expr]]:
    """``(sigma_k(z), its definition)`` for every family member the expressions write."""
    out = []
    for e in exprs:
        if not isinstance(e, sp.Basic):
            continue
        for app in sorted(e.atoms(AppliedUndef), key=sp.srepr):
            for fam in families:
                value = fam.at(app, symbol)
                if value is not None:
                    out.append((app, value))
                    break
    return out


class Partial(sp.Derivative):
    """``\\partial L / \\partial z_k`` of a defined ``L``, typeset as written."""

    def _latex(self, printer: Any) -> str:
        if isinstance(self.expr, sp.Symbol) and len(self.variables) == 1 and self.variable_count[0][1] == 1:
            return rf"\frac{{\partial {printer._print(self.expr)}}}{{\partial {printer._print(self.variables[0])}}}"
        return printer._print_Derivative(self)


def partial(text: str, parse: Callable[[str], Any], defined: Callable[[Any], bool]) -> Partial | None:
    """``\\frac{\\partial L}{\\partial z_k}`` with ``L`` defined by an earlier step, else ``None``
    (``ParseError`` if ``L`` is not defined: it would be a constant)."""
    m = _PARTIAL.match(text)
    if not m:
        return None
    from .check.parse import ParseError

    f, var = parse(m.group(1)), parse(m.group(2))
    if not isinstance(f, sp.Symbol) or not isinstance(var, (sp.Symbol, sp.Indexed)):
        return None
    if not defined(f):
        raise ParseError(f"the derivative of {m.group(1)}, which no earlier step defines ({m.group(1)} &= ...)")
    return Partial(f, var)


def one_group(text: str) -> bool:
    """``\\left( ... \\right)`` or ``( ... )`` and nothing after: the operand is unambiguous
    (``\\frac{\\partial}{\\partial x} f - g`` is left to the reader)."""
    t = re.sub(r"\\(?:left|right)(?![A-Za-z])", "", text).strip()
    return t.startswith("(") and _paren_end(t) == len(t) - 1


def _paren_end(t: str) -> int:
    depth = 0
    for i, c in enumerate(t):
        depth += (c == "(") - (c == ")")
        if depth == 0:
            return i
    return -1


_MODIFIER = re.compile(r"(bar|tilde|hat|dot|ddot|vec|check|breve)([A-Za-z]+)")


#: names the printer would typeset wrongly: the reader's placeholders (``mathZza``), a name glued
#: to an operator (``\\nabla_{x} L`` -> nabla_xL), a hat over a subscripted name (``\\hat{y}_{i}`` -> yi_hat)
_UNPRINTABLE = re.compile(r".*Zz[a-z].*|math.*|nabla.*|partial.*|[A-Za-z]{2,}_hat")


def display(e: Any) -> Any:
    """``barX`` (the reader's key of ``\\bar{X}``) -> ``Xbar``, which the printer typesets as ``\\bar{X}``.

    A name the sheet cannot typeset as written (``_UNPRINTABLE``, or a function name the printer
    can only show as escaped text) is a ``ParseError``: the build stops with one line, never a
    sheet that shows ``mathZza_zq0``."""
    if not isinstance(e, sp.Basic):
        return e
    from .check.latex.scan import ParseError
    from .printer import _SAFE_NAME

    for f in e.atoms(AppliedUndef):
        if not _SAFE_NAME.fullmatch(f.func.__name__) or "Zz" in f.func.__name__ \
                or re.fullmatch(r"mathbb[A-Z]_.*sim.*", f.func.__name__):      # E_{x \sim p}: the subscript is lost
            raise ParseError(f"the sheet cannot typeset '{f.func.__name__}' as written")
    for x in e.atoms(sp.Symbol):
        if _UNPRINTABLE.fullmatch(x.name):
            raise ParseError(f"the sheet cannot typeset the name '{x.name}' as written; write it as a letter, "
                             "a Greek letter or a subscripted name")
    out = {}
    for s in e.atoms(sp.Symbol):
        m = _MODIFIER.fullmatch(s.name)
        if m:
            out[s] = sp.Symbol(m.group(2) + m.group(1), **s.assumptions0)
    return e.xreplace(out) if out else e


def solved(lhs: Any, rhs: Any) -> tuple[Any, Any]:
    """``y_1 + y_2 + y_3 = 1`` -> ``y_3 = 1 - y_1 - y_2``: a fact about a sum is only
    substituted where the whole sum is written, so solve it for its last symbol."""
    if isinstance(lhs, sp.Add) and isinstance(rhs, sp.Expr):
        syms = sorted((s for s in lhs.free_symbols if isinstance(s, sp.Symbol)), key=lambda s: s.name)
        for s in reversed(syms):
            if sp.Poly(lhs - rhs, s).degree() == 1 if (lhs - rhs).is_polynomial(s) else False:
                return s, sp.solve(sp.Eq(lhs, rhs), s)[0]
    return lhs, rhs


__all__ = ["unbounded_sums", "entry_domains", "family_bases", "Family", "family", "applications", "Partial", "partial",
           "one_group", "display", "solved"]
