"""A fast reader for plain algebra, tried before latex2sympy.

latex2sympy's ANTLR grammar needs full-context (LL) prediction for every
letter with a superscript (``x^2``), and the Python runtime recomputes that
prediction on each parse: tens of milliseconds for ``a^2 + 2ab + b^2``.  Most
final answers and many steps are plain algebra, so a side made only of

    numbers, single letters (not ``d e i E I``), + - \\cdot \\times * /, ^ with a
    braced or one-character exponent, ( ), { }, \\frac{.}{.}, \\sqrt{.} and
    \\sin \\cos \\tan \\ln \\exp \\tanh of a parenthesised or one-token argument

is read here by recursive descent, to the same SymPy expression latex2sympy
gives (``tests/check/test_fast.py`` compares the two on every side of the
corpora).  Anything else, or any doubt (a letter before ``(``, which may be a
function application, two numbers side by side, ``x^23``), returns None and
the side goes to latex2sympy as before.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Collection

import sympy as sp

from .scan import MAX_EXPONENT

#: functions read by name, with latex2sympy's meaning
_FUNCTIONS = {"sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "ln": sp.log, "exp": sp.exp, "tanh": sp.tanh}
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z])"
                    r"|(?P<fn>\\(?:sin|cos|tan|ln|exp|tanh)(?![A-Za-z]))|(?P<cmd>\\(?:frac|sqrt|cdot|times)(?![A-Za-z]))"
                    r"|(?P<op>[-+*/^(){}]))")
#: letters latex2sympy reads specially (Euler's e, the imaginary unit) or that start a differential
_SPECIAL = frozenset("deiEI")


class _Doubt(Exception):
    """Not plain algebra: leave the side to latex2sympy."""


def _lex(text: str) -> list[tuple[str, str]]:
    out, i = [], 0
    while i < len(text):
        if text[i:].isspace():
            break
        m = _TOKEN.match(text, i)
        if not m:
            raise _Doubt
        kind = m.lastgroup or ""
        val = m.group(kind)
        if kind == "name" and val in _SPECIAL:
            raise _Doubt
        out.append((kind, val))
        i = m.end()
    return out


class _Reader:
    def __init__(self, toks: list[tuple[str, str]], symbol: Callable[[str], Any], functions: Collection[str]) -> None:
        self.toks, self.k, self.symbol, self.functions = toks, 0, symbol, functions

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.k] if self.k < len(self.toks) else None

    def take(self, val: str | None = None) -> tuple[str, str]:
        t = self.peek()
        if t is None or (val is not None and t[1] != val):
            raise _Doubt
        self.k += 1
        return t

    def expr(self) -> Any:
        sign = 1
        while self.peek() and self.peek()[1] in "+-":
            sign = -sign if self.take()[1] == "-" else sign
        out = self.term()
        out = -out if sign < 0 else out
        while self.peek() and self.peek()[1] in "+-":
            op = self.take()[1]
            right = self.term()
            out = out - right if op == "-" else out + right
        return out

    def term(self) -> Any:
        out, last = self.factor()
        while True:
            t = self.peek()
            if t is None or t[1] in "+-)}":
                return out
            if t[1] in ("\\cdot", "\\times", "*"):
                self.take()
                right, last = self.factor()
                out = out * right
            elif t[1] == "/":
                self.take()
                right, last = self.factor()
                if last != "num" or right == 0:
                    raise _Doubt        # 1/2x, a/(b+c), 1/0: the full reader's precedence and forms
                out = out / right
                nxt = self.peek()
                if nxt is not None and nxt[1] not in "+-)}" and nxt[1] not in ("\\cdot", "\\times", "*", "/"):
                    raise _Doubt
            else:
                if last == "num" and t[0] == "num":
                    raise _Doubt        # 2 3: no product latex2sympy is sure to read
                right, last = self.factor()
                out = out * right

    def factor(self) -> tuple[Any, str]:
        kind, base = self.primary()
        if self.peek() and self.peek()[1] == "^":
            self.take()
            t = self.peek()
            if t is None:
                raise _Doubt
            if t[1] == "{":
                exp = self.group()
            elif t[0] == "name" and t[1] == "T":
                raise _Doubt            # x^T: a transpose
            elif t[0] == "name" or (t[0] == "num" and len(t[1]) == 1):
                self.take()
                exp = self.symbol(t[1]) if t[0] == "name" else sp.Integer(t[1])
            else:
                raise _Doubt            # x^23, x^-1, x^\frac...: leave them to latex2sympy
            if self.peek() and self.peek()[1] == "^":
                raise _Doubt
            if exp == sp.Symbol("T", real=True) or exp.has(sp.Symbol("T", real=True)):
                raise _Doubt
            if getattr(exp, "is_number", False) and (not exp.is_Integer or abs(exp) > MAX_EXPONENT):
                raise _Doubt            # 10^{10^{10}}: bounded by the full reader, never evaluated here
            if getattr(base, "is_number", False) and exp.is_number and (exp < 0 or base == 0):
                raise _Doubt            # 0^{-1}, 2^{-3}: kept unevaluated by the full reader
            return base ** exp, "pow"
        return base, kind

    def function(self, name: str) -> Any:
        """``\\sin(x)``, ``\\sin x``, ``\\sin^2 x``: a single-token argument must end the factor."""
        power = None
        if self.peek() and self.peek()[1] == "^":
            self.take()
            t = self.take()
            if t[0] != "num" or len(t[1]) != 1:
                raise _Doubt
            power = sp.Integer(t[1])
        t = self.peek()
        if t is None:
            raise _Doubt
        if t[1] == "(":
            self.take()
            arg = self.expr()
            self.take(")")
        elif t[0] in ("name", "num"):
            self.take()
            arg = self.symbol(t[1]) if t[0] == "name" else sp.Rational(t[1])
            nxt = self.peek()
            if nxt is not None and nxt[1] not in "+-)}":
                raise _Doubt            # \sin x y, \ln x^2: where the argument ends is the full reader's call
        else:
            raise _Doubt
        if arg.is_number:
            raise _Doubt                # \ln 3, \sin 0: the full reader's forms
        out = _FUNCTIONS[name](arg)
        return out ** power if power is not None else out

    def group(self) -> Any:
        self.take("{")
        out = self.expr()
        self.take("}")
        return out

    def primary(self) -> tuple[str, Any]:
        kind, val = self.take()
        if kind == "num":
            return "num", sp.Rational(val)
        if kind == "name":
            nxt = self.peek()
            if nxt is not None and nxt[1] == "(" and (val in self.functions or not val.islower() or val in "fghpq"):
                raise _Doubt            # f(x), D(P), a defined p(x): an application, the full reader decides
            return "name", self.symbol(val)
        if val == "(":
            out = self.expr()
            self.take(")")
            return "group", out
        if val == "{":
            self.k -= 1
            return "group", self.group()
        if kind == "fn":
            return "group", self.function(val[1:])
        if val == "\\frac":
            start = self.k
            num = self.group()
            mid = self.k
            den = self.group()
            lone = mid - start == 3 and self.k - mid == 3     # {1}{2}: single tokens
            if den.is_number and (den == 0 or not lone):
                raise _Doubt            # \frac{1}{1 - 1}, \frac{1}{1 + 1}: kept as written by the full reader
            return "group", num / den
        if val == "\\sqrt":
            if self.peek() is None or self.peek()[1] != "{":
                raise _Doubt
            arg = self.group()
            if arg.is_number:
                raise _Doubt            # \sqrt{12}, \sqrt{-4}: the full reader's forms
            return "group", sp.sqrt(arg)
        raise _Doubt


def fast_read(text: str, symbol: Callable[[str], Any], functions: Collection[str] = ()) -> Any | None:
    """``text`` (normalised) as SymPy when it is plain algebra, else None; ``functions``:
    the names the document defines as functions (``p(x) = ...``)."""
    if len(text) > 400:
        return None
    try:
        toks = _lex(text)
        if not toks:
            return None
        r = _Reader(toks, symbol, functions)
        out = r.expr()
        if r.peek() is not None:
            return None
        return out
    except (_Doubt, ZeroDivisionError, RecursionError):
        return None
