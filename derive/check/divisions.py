"""Points where a written side has no value: ``\\frac{x}{x} = 1`` holds only where x != 0.

SymPy turns ``\\frac{x}{x}`` into 1, ``\\frac{1}{1/x}`` into x and ``(x^{1/2})^2`` into x as
it builds a side, so the verifier sees ``1 = 1`` and the points where the written side is
undefined never reach it; and it proves ``\\tan x \\cos x = \\sin x`` without looking at
the poles of tan.  Here each side's text is read again without evaluation (plain algebra,
``latex.fast``; the side as read when that reader does not apply), and every place where
a function of the written text leaves the reals is a candidate (``RULES``): a denominator
that is zero, a square root of a negative number, a log of a non-positive one, a pole of
tan, sec, cot or csc, an arcsine out of [-1, 1].  Its argument is solved for one name
(degree 1 or 2; the other names at a simple value of their domains); at a root inside the
name's domain the written sides are evaluated node by node (``undefined_at``).  Where
exactly one side is undefined, the step holds only away from that point: the verdict is
``unknown`` with the condition ("holds if x \\ne 0", "holds if x \\ge 0", "holds if
\\cos x \\ne 0"), never a bare ``proved``; and no false alarm, since the textbook line
means exactly that.  Where both sides are undefined (``\\frac{1}{x} + 1 = \\frac{1+x}{x}``)
nothing is said.  ``assume x \\ne 0`` (or a bound) excludes the point.
"""
from __future__ import annotations

import contextlib
import contextvars
import re
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterator, Mapping

import sympy as sp

from ..domains import Domain, domain_of
from .latex.fast import fast_read
from .report import Verdict
from .unevaluated import unevaluated

#: How many candidate places of the two sides are looked at, and the largest side (in nodes).
MAX_CANDIDATES = 8
MAX_NODES = 400
#: Values tried for the names a candidate is not solved for (the first inside the domain).
_OTHER_VALUES = (sp.Integer(2), sp.Integer(3), sp.Rational(1, 2), sp.Rational(5, 3), sp.Integer(7))
#: Nodes the evaluator rebuilds; anything else (sums, integrals, undefined functions) is not judged.
_ALLOWED = (sp.Add, sp.Mul, sp.Pow, sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc,
            sp.asin, sp.acos, sp.atan, sp.sinh, sp.cosh, sp.tanh, sp.Abs)


#: What a written side needs before it can be undefined somewhere (a quick test on its text).
_PARTIAL = re.compile(r"\\frac|/|\^\s*\{?\s*-|\\sqrt|\\ln|\\log|\\tan|\\sec|\\cot|\\csc|\\arcsin|\\arccos|"
                      r"\\operatorname|\^\s*\{[^{}]*(?:/|\\frac|\.)|\\div|\\over")


#: Notation the reader computes with (the side is then looked at as read, evaluated).
_COMPUTED = re.compile(r"\\partial|\\frac\s*\{\s*(?:\\mathrm\s*\{\s*d\s*\}|d)|\\int|\\sum|\\prod|\\lim|\\left\s*\.|"
                       r"\\right\s*\||\\nabla|'|\\dot|\\mathbb\s*\{\s*E|\\operatorname|\\mathrm|\\det|\\binom|!")


def _even_root(e: sp.Basic) -> bool:
    return isinstance(e, sp.Pow) and e.exp.is_Rational and not e.exp.is_Integer and e.exp.q % 2 == 0


@dataclass(frozen=True)
class Rule:
    """A place where a function of the text has no real value: which nodes, the argument
    values that lie outside the function's domain, what the side then does, and the
    condition (``kind``: ``ne`` an excluded point, ``ge``/``gt`` a bound, ``cos``/``sin``
    a pole, ``abs`` an interval)."""

    matches: Callable[[sp.Basic], bool]
    argument: Callable[[sp.Basic], sp.Expr]
    targets: tuple[sp.Expr, ...]
    says: str
    kind: str


RULES: tuple[Rule, ...] = (
    Rule(lambda e: isinstance(e, sp.Pow) and e.exp.is_negative is True, lambda e: e.base, (sp.Integer(0),),
         "divides by zero", "ne"),
    Rule(_even_root, lambda e: e.base, (sp.Integer(-1),), "takes the square root of a negative number", "ge"),
    Rule(lambda e: isinstance(e, sp.log), lambda e: e.args[0], (sp.Integer(0), sp.Integer(-1)),
         "takes the logarithm of a number that is not positive", "gt"),
    Rule(lambda e: isinstance(e, (sp.tan, sp.sec)), lambda e: e.args[0], (sp.pi / 2, -sp.pi / 2),
         "is at a pole (its cosine is 0)", "cos"),
    Rule(lambda e: isinstance(e, (sp.cot, sp.csc)), lambda e: e.args[0], (sp.Integer(0),),
         "is at a pole (its sine is 0)", "sin"),
    Rule(lambda e: isinstance(e, (sp.asin, sp.acos)), lambda e: e.args[0], (sp.Integer(2), sp.Integer(-2)),
         "takes an arcsine or arccosine outside [-1, 1]", "abs"),
)


@dataclass(frozen=True)
class Gap:
    """A point where one written side is undefined and the other has a value."""

    name: sp.Symbol           # the name solved for
    root: sp.Expr             # its value there (may contain other names: x = y)
    label: str                # the name and the value as written (LaTeX)
    at: str
    side: str                 # "left" | "right"
    says: str                 # what that side does there
    condition: str            # LaTeX: where the step holds ("x \\ne 0", "x \\ge 0")
    assumable: bool           # the condition is an assumption derive reads
    excluded: sp.Expr | None  # a constant excluded point (``ne`` of one name): re-checkable away from it


def _unevaluated(text: str, symbol: Callable[[str], Any], indexed: Any,
                 reader: Callable[[str], Any] | None = None) -> sp.Expr | None:
    """``text`` read without evaluation: the fast reader, else ``reader`` (the document's parser).
    Not where the reader computes (a derivative, an integral, a sum, a limit, an evaluation bar):
    unevaluated, ``d/dx x^2`` keeps ``0 \\cdot \\log x`` and ``x^2 / x`` from the power rule."""
    if _COMPUTED.search(text):
        return None
    e = None
    for read in (lambda t: fast_read(t, symbol, (), indexed), reader):
        if read is None:
            continue
        try:
            with unevaluated():
                e = read(text)
        except Exception:  # noqa: BLE001 - a side that does not read again is not looked at
            e = None
        if e is not None:
            break
    return e if isinstance(e, sp.Expr) and not isinstance(e, sp.MatrixBase) else None


class _Undefined(Exception):
    """A node of the written side has no real value at the point."""


def _value(e: sp.Basic, point: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """``e`` at ``point``, node by node; raises ``_Undefined`` where a node leaves the reals,
    ``ValueError`` where the node cannot be judged."""
    if isinstance(e, sp.Symbol):
        if e not in point:
            raise ValueError(e)
        return sp.sympify(point[e], strict=True)     # a SymPy value, never text
    if e.is_Number or isinstance(e, sp.NumberSymbol):
        return e
    if not isinstance(e, _ALLOWED):
        raise ValueError(type(e).__name__)
    args = [_value(a, point) for a in e.args]
    if isinstance(e, sp.Pow) and args[0].is_negative and args[1].is_Rational and not args[1].is_Integer \
            and args[1].q % 2 == 1:
        raise ValueError("an odd root of a negative number")   # real or principal: a convention
    try:
        v = e.func(*args)
    except (ZeroDivisionError, TypeError, ValueError, ArithmeticError) as exc:
        raise ValueError(str(exc)) from None
    if v.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise _Undefined
    real = v.is_extended_real
    if real is None:
        try:
            real = abs(sp.im(v.evalf(30))) < 1e-25
        except (TypeError, ValueError, ArithmeticError):
            raise ValueError("no value") from None
    if real is False:
        raise _Undefined
    return v


def undefined_at(e: sp.Basic, point: Mapping[sp.Symbol, sp.Expr]) -> bool | None:
    """Whether the written side ``e`` has no real value at ``point`` (``None``: cannot tell)."""
    try:
        _value(e, point)
    except _Undefined:
        return True
    except (ValueError, RecursionError):
        return None
    return False


def _other_values(names: set[sp.Symbol], domains: Mapping[sp.Symbol, Domain]) -> dict[sp.Symbol, sp.Expr] | None:
    out = {}
    for t in names:
        dom = domain_of(t, domains)
        v = next((c for c in _OTHER_VALUES if dom.contains(c) is True), None)
        if v is None:
            return None
        out[t] = v
    return out


def _solutions(u: sp.Expr, target: sp.Expr, s: sp.Symbol) -> list[sp.Expr]:
    try:
        poly = sp.Poly(sp.expand(u - target), s)
    except (sp.PolynomialError, sp.GeneratorsNeeded, TypeError, ValueError):
        return []
    if not 1 <= poly.degree() <= 2 or any(c.has(sp.I) for c in poly.all_coeffs()):
        return []
    if poly.degree() == 2 and any(c.free_symbols for c in poly.all_coeffs()):
        return []
    return sorted(sp.roots(poly, multiple=True), key=sp.default_sort_key)


def _candidates(sides: list[sp.Expr]) -> list[tuple[Rule, sp.Expr]]:
    out: list[tuple[Rule, sp.Expr]] = []
    for side in sides:
        for node in sp.preorder_traversal(side):
            for rule in RULES:
                if rule.matches(node):
                    arg = rule.argument(node)
                    if arg.free_symbols and (rule, arg) not in out:
                        out.append((rule, arg))
    return out[:MAX_CANDIDATES]


def _condition(rule: Rule, u: sp.Expr, s: sp.Symbol, roots: list[sp.Expr], tex: Callable[[sp.Expr], str]) -> str:
    if rule.kind == "ne":
        if u.is_polynomial(s) and sp.degree(u, s) == 1:
            return f"{tex(s)} \\ne {tex(roots[0])}"
        return f"{tex(u)} \\ne 0"
    if rule.kind in ("ge", "gt"):
        return tex(u) + (" \\ge 0" if rule.kind == "ge" else " > 0")
    if rule.kind in ("cos", "sin"):
        inner = tex(u)
        return f"\\{rule.kind} {inner} \\ne 0" if isinstance(u, sp.Symbol) else f"\\{rule.kind}({inner}) \\ne 0"
    return f"|{tex(u)}| \\le 1"


def _too_big(e: sp.Basic) -> bool:
    for n, _ in enumerate(sp.preorder_traversal(e)):
        if n > MAX_NODES:
            return True
    return False


#: inside ``reading_once``: each side's reading as written, by (text, side, symbol, indexed, reader)
_READ: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar("written_sides", default=None)


@contextlib.contextmanager
def reading_once() -> Iterator[None]:
    """Inside, a written side is read once: ``undefined_constant`` and ``undefined_where`` of one
    step (and its re-check away from a gap) read the same texts in the same scope."""
    token = _READ.set({})
    try:
        yield
    finally:
        _READ.reset(token)


def _written(text: str, side: Any, symbol: Any, indexed: Any, reader: Any) -> sp.Expr | None:
    """A side as written (read without evaluation, else the parsed side), or ``None`` when it
    cannot be judged here (no expression, complex, or too big)."""
    memo = _READ.get()
    key = (text, id(side), id(indexed), symbol, reader)
    if memo is not None and key in memo:
        return memo[key][0]
    e = _written_now(text, side, symbol, indexed, reader)
    if memo is not None:
        memo[key] = (e, side, indexed)      # (the side and indexed kept alive: their ids stay theirs)
    return e


def _written_now(text: str, side: Any, symbol: Any, indexed: Any, reader: Any) -> sp.Expr | None:
    e = _unevaluated(text, symbol, indexed, reader)
    if e is None:
        e = side if isinstance(side, sp.Expr) and not isinstance(side, sp.MatrixBase) else None
    if e is None or e.has(sp.I) or _too_big(e):
        return None
    return e


def undefined_where(texts: tuple[str, str], sides: tuple[Any, Any], domains: Mapping[sp.Symbol, Domain],
                    symbol: Callable[[str], Any], indexed: Any = (),
                    name_of: Callable[[sp.Symbol], str] | None = None,
                    reader: Callable[[str], Any] | None = None) -> Gap | None:
    """A point of the domain where exactly one written side is undefined (``None``: none found)."""
    if not any(_PARTIAL.search(t) for t in texts):
        return None         # nothing written that can leave the reals: not read again
    written = []
    for text, side in zip(texts, sides):
        e = _written(text, side, symbol, indexed, reader)
        if e is None:
            return None
        written.append(e)
    names = {x: name_of(x) if name_of else x.name for e in written for x in e.free_symbols
             if isinstance(x, sp.Symbol)}

    def tex(e: sp.Expr) -> str:
        return sp.latex(e, symbol_names=names)

    every = set(names)
    for rule, u in _candidates(written):
        for s in sorted((x for x in u.free_symbols if isinstance(x, sp.Symbol)), key=lambda x: x.name):
            others = _other_values(every - {s}, domains)
            if others is None:
                continue
            for target in rule.targets:
                roots = _solutions(u, target, s)
                for root in roots:
                    value = root.xreplace(others)
                    if value.is_real is not True or domain_of(s, domains).contains(value) is not True:
                        continue
                    point = {**others, s: value}
                    undefined = [undefined_at(e, point) for e in written]
                    if sorted(undefined, key=str) != [False, True]:
                        continue
                    side = "left" if undefined[0] else "right"
                    cond = _condition(rule, u, s, _solutions(u, 0, s) if rule.kind == "ne" else roots, tex)
                    one = rule.kind == "ne" and not root.free_symbols and u.is_polynomial(s) and sp.degree(u, s) == 1
                    assumable = one or (rule.kind in ("ge", "gt") and isinstance(u, sp.Symbol))
                    return Gap(s, root, names.get(s, s.name), tex(root), side, rule.says, cond, assumable,
                               root if one else None)
    return None


def _no_real_constant(e: sp.Expr) -> sp.Expr | None:
    """The innermost constant node of ``e`` with no real value (``asin(2)``, ``log(-1)``, ``sqrt(-4)``)."""
    for node in sp.postorder_traversal(e):
        if isinstance(node, _ALLOWED) and not node.free_symbols and undefined_at(node, {}) is True:
            return node
    return None


def undefined_constant(texts: tuple[str, str], sides: tuple[Any, Any], symbol: Callable[[str], Any],
                       indexed: Any = (), reader: Callable[[str], Any] | None = None) -> Verdict | None:
    """``invalid`` when a written side holds a constant with no real value: SymPy reads
    ``\\sin(\\arcsin 2)`` as 2, but ``\\arcsin 2`` is not real, so that side is undefined
    at every point and the step holds nowhere (``None``: no such constant)."""
    if not any(_PARTIAL.search(t) for t in texts):
        return None
    found = []
    for text, side in zip(texts, sides):
        e = _written(text, side, symbol, indexed, reader)
        if e is None:
            found.append(None)
            continue
        found.append(_no_real_constant(e))
    bad = [(where, node) for where, node in zip(("left", "right"), found) if node is not None]
    if not bad:
        return None
    who = "both sides are" if len(bad) == 2 else f"the {bad[0][0]} side is"
    what = " and ".join(dict.fromkeys(sp.latex(node, inv_trig_style="full") for _, node in bad))
    return Verdict("invalid", "undefined", f"{who} undefined: {what} is not a real number")


def outside(value: Any, root: sp.Expr, domains: Any) -> bool:
    """``value`` (a name's fact, ``2x``) never equals ``root`` inside the domains: the point where a
    written side is undefined (``y = 0``) is no point of the scope.  One name at most, else ``False``."""
    if not isinstance(value, sp.Expr) or root.free_symbols or len(value.free_symbols) > 1:
        return False
    if not value.free_symbols:
        return bool(sp.simplify(value - root) != 0)
    (s,) = value.free_symbols
    if not value.is_polynomial(s) or sp.degree(value, s) > 2:
        return False
    try:
        roots = sp.solve(sp.Eq(value, root), s)
    except (NotImplementedError, TypeError, ValueError):
        return False
    return isinstance(roots, list) and all(r.is_real is False or domain_of(s, domains).contains(r) is False
                                           for r in roots)


def written_gap(texts: tuple[str, str], sides: tuple[Any, Any], ctx: Any, reader: Callable[[str], Any],
                facts: Any) -> Gap | None:
    """``undefined_where`` for a step read by ``ctx`` (a reader's Context) among ``facts``
    (``(name, value)`` pairs): a name whose value rules the point out (given y = 2x with
    x > 0: y is never 0) leaves no gap.  Authored sheet steps use it."""
    declared = ctx.declared()
    gap = undefined_where(texts, sides, declared, ctx.symbol, ctx.indexed, None, reader)
    if gap is not None and any(k == gap.name and outside(v, gap.root, declared) for k, v in facts):
        return None
    return gap


def gap_verdict(gap: Gap) -> Verdict:
    """``unknown``, holding where the written sides both have values."""
    at = f"{gap.label} = {gap.at}"
    advice = f"; assume {gap.condition} to check this step" if gap.assumable else ""
    return Verdict("unknown", "domain", f"at {at} the {gap.side} side {gap.says}{advice}", condition=gap.condition)


def away_from(gap: Gap, domains: Mapping[sp.Symbol, Domain]) -> dict[sp.Symbol, Domain]:
    """``domains`` with the gap's point excluded (to check the step everywhere else)."""
    out = dict(domains)
    if gap.excluded is not None:
        dom = domain_of(gap.name, out)
        out[gap.name] = replace(dom, excluded=(*dom.excluded, gap.excluded))
    return out


def cancelled_division(texts: tuple[str, str], sides: tuple[Any, Any], domains: Mapping[sp.Symbol, Domain],
                       symbol: Callable[[str], Any], indexed: Any = ()) -> tuple[sp.Symbol, sp.Expr, str] | None:
    """``(name, root, "left" | "right")`` of a written denominator that vanishes at a point of
    the domain where the other side has a value, else None (``undefined_where``, divisions only)."""
    gap = undefined_where(texts, sides, domains, symbol, indexed)
    return (gap.name, gap.root, gap.side) if gap is not None and gap.says == RULES[0].says else None


__all__ = ["Gap", "RULES", "Rule", "away_from", "cancelled_division", "gap_verdict", "reading_once", "undefined_at",
           "undefined_constant", "undefined_where"]
