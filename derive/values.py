"""Parameter values: a user's text or TOML value as the parameter's value.

Expressions go through the one safe reader (``derive.expr``).  NaN, infinities
and values outside the parameter's domain are refused.  A name in a value
inherits the parameter's domain, narrowed so that the value lies in the domain:
``sigma1=x-1`` (sigma1 > 0) makes ``x > 1`` an assumption of the derivation
(``carried``), ``sigma1=-x`` is refused (x > 0 leaves -x outside), and a value
whose condition cannot be carried as a domain of its names (``x - y``,
``(x - 1)^2``) is refused with the condition it would need.
"""
from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, Mapping

import sympy as sp

from .domains import Domain
from .errors import ParameterError

if TYPE_CHECKING:
    from .pipeline import Param, PipelineSpec


def parse_value(spec: PipelineSpec, key: str, raw: Any) -> Any:
    """Turn a user value (CLI string, TOML value) into the parameter's value."""
    return parse_with_domains(spec, key, raw)[0]


def parse_values(spec: PipelineSpec, raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[sp.Symbol, Domain]]:
    """Every value of ``raw``, and the domains its names carry (joined over all values)."""
    values: dict[str, Any] = {}
    found: dict[sp.Symbol, list[tuple[str, sp.Set]]] = {}
    for key, text in raw.items():
        values[key], sets = parse_with_domains(spec, key, text)
        for sym, interval in sets.items():
            found.setdefault(sym, []).append((key, interval))
    carried = {}
    for sym, sets in found.items():
        joint = sp.Intersection(*(s for _, s in sets)) if len(sets) > 1 else sets[0][1]
        where = f"{spec.name}: {', '.join(_shown(k, raw[k]) for k, _ in sets)}"
        carried[sym] = _as_domain(sym, joint, spec.param(sets[0][0]).domain.integer, where)
    return values, carried


def _shown(key: str, raw: Any) -> str:
    return f"{key}={raw if isinstance(raw, str) else json.dumps(raw)}"


def parse_with_domains(spec: PipelineSpec, key: str, raw: Any) -> tuple[Any, dict[sp.Symbol, sp.Set]]:
    p = spec.param(key)
    where = f"{spec.name}: {_shown(key, raw)}"
    if p.kind == "choice":
        if raw not in p.choices:
            raise ParameterError(f"{where}: expected one of {', '.join(p.choices)}")
        return raw, {}
    if p.kind == "json":
        if isinstance(raw, str):
            try:
                return json.loads(raw, parse_constant=_no_constant, parse_float=WrittenFloat), {}
            except json.JSONDecodeError:
                # A bare word is a string value (e.g. input=28x28x1).
                return raw, {}
            except ValueError as exc:       # NaN/Infinity, or an integer too long to read
                raise ParameterError(f"{where[:80]}: {exc}") from None
        return raw, {}
    value = _parse_expr(raw, p, where)
    ok = p.domain.contains(value)
    if ok is False or (value.free_symbols and _outside(p.domain, value)):
        raise ParameterError(f"{where} is outside the domain: {p.domain.describe(key)}")
    return value, _name_sets(p.domain, value, key, where)


class WrittenFloat(float):
    """A JSON decimal that keeps its written digits (``0.9999999999999999999`` is not 1)."""

    def __new__(cls, text: str) -> "WrittenFloat":
        obj = super().__new__(cls, text)
        obj.text = text
        return obj


def exact_decimal(x: float, where: str) -> sp.Rational:
    """The exact value of a decimal as written (``WrittenFloat``) or as ``repr`` shows it."""
    if not math.isfinite(x):
        raise ParameterError(f"{where}: value is not finite")
    text = getattr(x, "text", None) or repr(x)
    exponent = text.lower().partition("e")[2]
    if exponent and abs(int(exponent)) > 1000:
        raise ParameterError(f"{where}: too large: the number {text}")
    return sp.Rational(text)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a finite number")


_MAX_EXPR_CHARS = 500


def _parse_expr(raw: Any, p: Param, where: str) -> sp.Expr:
    """A user's value as a SymPy expression, through the one safe reader (``derive.expr``)."""
    from . import expr as safe

    if isinstance(raw, bool):
        raise ParameterError(f"{where}: expected a number or an expression")
    if isinstance(raw, float):
        return exact_decimal(raw, where)
    if isinstance(raw, int):
        if raw.bit_length() > 3300:
            raise ParameterError(f"{where[:60]}: too large: an integer with more than 1000 digits")
        return sp.Integer(raw)
    if not isinstance(raw, str) or not raw.strip():
        raise ParameterError(f"{where}: expected a number or an expression")
    if len(raw) > _MAX_EXPR_CHARS:
        raise ParameterError(f"{where[:60]}...: expression is too long")
    text = raw.strip()
    try:
        value = safe.parse_expr(text)
    except safe.ExprError as exc:
        if exc.syntax:
            raise ParameterError(f"{where}: cannot parse '{text}' as a number or expression") from None
        raise ParameterError(f"{where}: {exc}") from None
    if not isinstance(value, sp.Expr):
        raise ParameterError(f"{where}: cannot parse '{text}' as a number or expression")
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ParameterError(f"{where}: value is not finite")
    # New names inherit the parameter's domain (d_in=n makes n a positive integer).
    value = value.xreplace({s: p.domain.symbol(s.name) for s in value.free_symbols if isinstance(s, sp.Symbol)})
    try:
        value = sp.sympify(value.doit())
    except Exception:  # noqa: BLE001
        raise ParameterError(f"{where}: cannot evaluate '{text}'") from None
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise ParameterError(f"{where}: value is not finite")
    return value


def _outside(domain: Domain, value: sp.Expr) -> bool:
    """True when the value's own assumptions put it outside the domain (``-x`` for x > 0)."""
    if domain.integer and value.is_integer is False:
        return True
    if domain.lo is not None:
        d = value - sp.nsimplify(domain.lo)
        if (d.is_negative if domain.closed_lo else d.is_nonpositive) is True:
            return True
    if domain.hi is not None:
        d = sp.nsimplify(domain.hi) - value
        if (d.is_negative if domain.closed_hi else d.is_nonpositive) is True:
            return True
    return False


def _interval(domain: Domain) -> sp.Set:
    lo = -sp.oo if domain.lo is None else sp.nsimplify(domain.lo)
    hi = sp.oo if domain.hi is None else sp.nsimplify(domain.hi)
    return sp.Interval(lo, hi, left_open=domain.lo is None or not domain.closed_lo,
                       right_open=domain.hi is None or not domain.closed_hi)


def _relations(domain: Domain, value: sp.Expr) -> list[sp.Basic]:
    out = []
    if domain.lo is not None:
        lo = sp.nsimplify(domain.lo)
        out.append(sp.Ge(value, lo, evaluate=False) if domain.closed_lo else sp.Gt(value, lo, evaluate=False))
    if domain.hi is not None:
        hi = sp.nsimplify(domain.hi)
        out.append(sp.Le(value, hi, evaluate=False) if domain.closed_hi else sp.Lt(value, hi, evaluate=False))
    return out


def _inside(domain: Domain, value: sp.Expr) -> bool:
    """True when the value's own assumptions put it inside the domain (``x + 1`` for x > 0)."""
    if domain.integer and value.is_integer is not True:
        return False
    if domain.lo is not None:
        d = value - sp.nsimplify(domain.lo)
        if (d.is_nonnegative if domain.closed_lo else d.is_positive) is not True:
            return False
    if domain.hi is None:
        return True
    d = sp.nsimplify(domain.hi) - value
    return (d.is_nonnegative if domain.closed_hi else d.is_positive) is True


def _name_sets(domain: Domain, value: sp.Expr, key: str, where: str) -> dict[sp.Symbol, sp.Set]:
    """Where each name of ``value`` may range: the parameter's domain, narrowed so
    that the value lies in it (``sigma1 = x - 1``: x in (1, oo))."""
    names = sorted((s for s in value.free_symbols if isinstance(s, sp.Symbol)), key=lambda s: s.name)
    if not names:
        return {}
    base = _interval(domain)
    if _inside(domain, value):
        return {s: base for s in names}
    need = " and ".join(f"{sp.sstr(r.lhs)} {r.rel_op} {sp.sstr(r.rhs)}" for r in _relations(domain, value))
    if domain.integer and value.is_integer is not True:
        raise ParameterError(f"{where}: cannot tell that {sp.sstr(value)} is an integer "
                             f"({domain.describe(key)}); use a value built from names and integers")
    if len(names) != 1:
        raise ParameterError(f"{where}: cannot tell that {need} for every allowed "
                             f"{', '.join(s.name for s in names)}; use a value with one name (such as x + 1) "
                             f"or a number")
    (sym,) = names
    try:
        allowed = base
        for rel in _relations(domain, value):
            allowed = sp.Intersection(allowed, sp.solve_univariate_inequality(rel, sym, relational=False))
    except Exception:  # noqa: BLE001 - SymPy raises several kinds for conditions it cannot solve
        raise ParameterError(f"{where}: cannot tell for which {sym.name} {need}; "
                             f"use a simpler value (such as x + 1) or a number") from None
    return {sym: allowed}


def _exact_float(e: sp.Expr) -> bool:
    return bool(e.is_Rational) and sp.Rational(float(e)) == e


def _as_domain(sym: sp.Symbol, allowed: sp.Set, integer: bool, where: str) -> Domain:
    """The domain that ``allowed`` describes, as an assumption of the derivation."""
    if allowed is sp.S.EmptySet:
        raise ParameterError(f"{where} is outside the domain for every value of {sym.name}")
    shape = (f"{where}: needs {sym.name} in {allowed}, which derive cannot carry as an assumption; "
             f"use a simpler value (such as x + 1) or a number")
    if not isinstance(allowed, sp.Interval):
        raise ParameterError(shape)
    lo, hi = allowed.start, allowed.end
    if any(e.is_finite and not _exact_float(e) for e in (lo, hi)):
        raise ParameterError(shape)
    if hi.is_finite and (integer or not allowed.right_open):
        raise ParameterError(shape)
    if integer:
        first = None if lo.is_infinite else int(sp.ceiling(lo) if not allowed.left_open else sp.floor(lo) + 1)
        d = Domain("", lo=first, integer=True, closed_lo=first is not None)
    else:
        d = Domain("", lo=None if lo.is_infinite else float(lo), hi=None if hi.is_infinite else float(hi),
                   closed_lo=lo.is_finite and not allowed.left_open)
    return Domain(d.describe(sym.name), d.lo, d.hi, d.integer, d.closed_lo, closed_hi=d.closed_hi)
