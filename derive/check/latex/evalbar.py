"""Evaluation bars: ``\\left. F \\right|_{x=a}``, ``F \\big|_{x=a}^{b}``, ``F \\Big|_a^b``.

latex2sympy attaches a bar to the last atom before it, so ``\\frac{d}{dx} x^2 |_{x=1}``
substituted before differentiating (d/dx 1 = 0).  The bar applies to everything
before it on its side: the side is cut at a final bar, ``F`` is read on its own
(its derivatives taken) and only then evaluated: ``F(a)``, or ``F(b) - F(a)``
with both limits.  With no ``x =`` the variable is ``F``'s only free symbol.
A bar anywhere else in a side is not read (``ParseError``: unparsed, never a guess).
Bars of an absolute value (``|x|``) are told apart by their parity.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

import sympy as sp

from .scan import ParseError, _matching


_INVISIBLE = re.compile(r"\\(?:left|right)\s*\.")


def invisible_delimiters(text: str) -> str:
    """``\\left.`` and ``\\right.`` dropped: they only size the bar they pair with."""
    return _INVISIBLE.sub(" ", text) if "." in text else text


@dataclass(frozen=True)
class Bar:
    """A final evaluation bar: the text before it and its raw limits (``None`` if absent)."""

    body: str
    lower: str | None
    upper: str | None


def _script(text: str, i: int) -> tuple[str, int] | None:
    """The argument of a ``_``/``^`` at ``text[i]`` (braced group or one character), and its end."""
    j = i + 1
    while j < len(text) and text[j] == " ":
        j += 1
    if j >= len(text):
        return None
    if text[j] == "{":
        close = _matching(text, j)
        return (text[j + 1:close], close + 1) if close > 0 else None
    if text[j] == "\\":
        k = j + 1
        while k < len(text) and text[k].isalpha():
            k += 1
        return text[j:max(k, j + 2)], max(k, j + 2)
    return text[j], j + 1


def _bars(text: str) -> list[tuple[int, str | None, str | None, int]]:
    """Every evaluation bar: (index, lower, upper, end); a bar opening nothing and
    followed by a script.  ``\\|`` is a norm; an open ``|x`` is closed by the next bar."""
    out, open_abs, i = [], False, 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c != "|":
            i += 1
            continue
        j = i + 1
        while j < len(text) and text[j] == " ":
            j += 1
        if open_abs or j >= len(text) or text[j] not in "_^":
            open_abs = not open_abs
            i += 1
            continue
        scripts: dict[str, str] = {}
        while j < len(text) and text[j] in "_^" and text[j] not in scripts:
            got = _script(text, j)
            if got is None:
                raise ParseError("evaluation bar without its limits", i)
            scripts[text[j]], j = got
            while j < len(text) and text[j] == " ":
                j += 1
        out.append((i, scripts.get("_"), scripts.get("^"), j))
        i = j
    return out


def final_bar(text: str) -> Bar | None:
    """The side's evaluation bar if it ends the side; ``ParseError`` for a bar elsewhere."""
    if "|" not in text:
        return None
    bars = _bars(text)
    if not bars:
        return None
    i, lower, upper, end = bars[-1]
    if len(bars) > 1 or text[end:].strip():
        raise ParseError("an evaluation bar is read only at the end of a side", i)
    if lower is None:
        raise ParseError("evaluation bar without a lower limit", i)
    return Bar(text[:i].strip(), lower, upper)


def _limit(raw: str, parse: Callable[[str], Any]) -> tuple[Any, Any]:
    """``x=a`` -> (x, a); ``a`` -> (None, a)."""
    if raw.count("=") > 1:
        raise ParseError("evaluation bar: one variable per limit")
    if "=" in raw:
        name, value = raw.split("=")
        var = parse(name)
        if not isinstance(var, sp.Symbol):
            raise ParseError("evaluation bar: the limit names no variable")
        return var, parse(value)
    return None, parse(raw)


#: a body that is a derivative: \frac{d}{dx} F, \frac{\mathrm{d}}{\mathrm{d}x} F, \frac{\partial}{\partial x} F
_DERIVATIVE = re.compile(r"\s*\\frac\s*\{\s*(?:d|\\mathrm\s*\{\s*d\s*\}|\\partial)\s*\}\s*\{[^{}]*\}")


def evaluate(bar: Bar, parse: Callable[[str], Any]) -> Any:
    """``F|_{x=a}`` = F(a); ``F|_{x=a}^{b}`` = F(b) - F(a); ``F`` read by ``parse`` first."""
    if not bar.body:
        raise ParseError("evaluation bar of nothing")
    body = parse(bar.body)
    var, low = _limit(bar.lower, parse)
    up_var, up = _limit(bar.upper, parse) if bar.upper is not None else (None, None)
    if var is not None and up_var is not None and up_var != var:
        raise ParseError("evaluation bar: two variables")
    var = var if var is not None else up_var
    if var is None:
        free = getattr(body, "free_symbols", set())
        if len(free) != 1:
            raise ParseError("evaluation bar: write the variable (x = a)")
        var = next(iter(free))
    if not isinstance(body, sp.Basic):
        raise ParseError("evaluation bar of a non-expression")
    at_low = body.subs(var, low)
    at_up = None if up is None else body.subs(var, up)
    derivative = _DERIVATIVE.match(bar.body)
    for at, point in ((at_low, low), (at_up, up)) if derivative else ():
        if isinstance(at, sp.Expr) and at.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            # (\frac{d}{dx} \sqrt{x})|_{x=0}: no value to compare, and no "division by zero"
            what = " ".join(bar.body[derivative.end():].split()).strip("() ") or "it"
            raise ParseError(f"the derivative of {what} does not exist at {sp.latex(var)} = {sp.latex(point)}")
    return at_low if at_up is None else at_up - at_low
