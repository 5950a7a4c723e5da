"""A fast reader for plain algebra, tried before latex2sympy.

latex2sympy's ANTLR grammar needs full-context (LL) prediction for every
letter with a superscript (``x^2``), and the Python runtime recomputes that
prediction on each parse: tens of milliseconds for ``a^2 + 2ab + b^2``.  Most
final answers and many steps are plain algebra, so a side made only of

    numbers, single letters (not ``d i E I``; ``e`` is Euler's number), lower-case
    Greek letters (not ``\\gamma``, which latex2sympy reads as Euler's constant),
    ``\\pi``, names with a simple subscript (``x_1``, ``d_{in}``), + - \\cdot
    \\times * /, ^ with a braced or one-character exponent, ( ), { }, \\frac{.}{.},
    \\sqrt{.}, \\binom{.}{.}, |.|, \\lfloor . \\rfloor, \\lceil . \\rceil,
    \\max(., .), \\min(., .) and \\sin \\cos \\tan \\ln \\exp \\tanh of a
    parenthesised or one-token argument

is read here by recursive descent, to the same SymPy expression latex2sympy
gives (``tests/check/test_fast.py`` compares the two on every side of the
corpora).  Anything else, or any doubt (a letter before ``(``, which may be a
function application, two numbers side by side, ``x^23``, a layer index
``a^{(2)}``, a subscript latex2sympy would read otherwise), returns None and
the side goes to latex2sympy as before.  Where latex2sympy keeps a numeric
form unevaluated (``\\sqrt{8}``, ``|{-3}|``, ``\\max(2, 5)``) so does this reader.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Collection

import sympy as sp

from .names import symbol_key
from .scan import MAX_EXPONENT

#: functions read by name, with latex2sympy's meaning
_FUNCTIONS = {"sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "ln": sp.log, "exp": sp.exp, "tanh": sp.tanh}
#: lower-case Greek letters latex2sympy reads as plain symbols (``\\gamma`` is Euler's constant there)
_GREEK = ("alpha", "beta", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "kappa", "lambda", "mu",
          "nu", "xi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega")
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<name>[A-Za-z]|\\(?:" + "|".join(_GREEK) + r")(?![A-Za-z]))"
                    r"|(?P<sub>_(?:\{[A-Za-z0-9]+\}|[A-Za-z0-9]))"
                    r"|(?P<fn>\\(?:sin|cos|tan|ln|exp|tanh)(?![A-Za-z]))"
                    r"|(?P<cmd>\\(?:frac|sqrt|cdot|times|binom|max|min|lfloor|rfloor|lceil|rceil|pi)(?![A-Za-z]))"
                    r"|(?P<op>[-+*/^(){}|,]))")
#: letters latex2sympy reads specially (the imaginary unit) or that start a differential; with a
#: subscript they are names (``d_{in}``, ``i_k``)
_SPECIAL = frozenset("diEI")
#: what ends a term
_END = ("+", "-", ")", "}", "|", ",", "\\rfloor", "\\rceil")


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
        if kind == "sub":
            # x_1, d_{in}: right after a one-letter name (RF_L and 2_1 are not for this reader)
            if m.start(kind) != i or not out or out[-1][0] != "name" or \
                    (len(out[-1][1]) == 1 and i >= 2 and text[i - 2].isalpha()):
                raise _Doubt
            out[-1] = ("name", out[-1][1] + val)
        else:
            out.append((kind, val))
        i = m.end()
        if kind == "name" and len(val) == 1 and m.start(kind) > 0 and text[m.start(kind) - 1].isalpha() \
                and text[m.end():].lstrip().startswith("("):
            raise _Doubt            # Var(x): a word before a parenthesis, an application to the full reader
    for kind, val in out:
        if kind == "name" and val in _SPECIAL:
            raise _Doubt
    if any(k == "num" and "." in v for k, v in out) and any(k == "name" for k, _ in out):
        raise _Doubt                # 0.1 x + 0.2 x, x / 0.3: the full reader's float arithmetic, not exact
    if sum(val == "|" for _, val in out) not in (0, 2):
        raise _Doubt            # ||x||, |a|b|c|: norms and nested bars are the full reader's
    return out


class _Reader:
    def __init__(self, toks: list[tuple[str, str]], symbol: Callable[[str], Any], functions: Collection[str],
                 indexed: Collection[str] = ()) -> None:
        self.toks, self.k, self.symbol, self.functions, self.indexed = toks, 0, symbol, functions, indexed

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
            if t is None or t[1] in _END:
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
                if nxt is not None and nxt[1] not in _END and nxt[1] not in ("\\cdot", "\\times", "*", "/"):
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
                if self.k + 1 < len(self.toks) and self.toks[self.k + 1][1] == "(":
                    raise _Doubt        # a^{(2)}: a layer index, a name to the full reader
                exp = self.group()
            elif t[0] == "name" and t[1] == "T":
                raise _Doubt            # x^T: a transpose
            elif t[0] == "name" or (t[0] == "num" and len(t[1]) == 1):
                self.take()
                exp = self._name(t[1]) if t[0] == "name" else sp.Integer(t[1])
            else:
                raise _Doubt            # x^23, x^-1, x^\frac...: leave them to latex2sympy
            if self.peek() and self.peek()[1] == "^":
                raise _Doubt
            if exp == sp.Symbol("T", real=True) or exp.has(sp.Symbol("T", real=True)):
                raise _Doubt
            if base is sp.E and getattr(exp, "is_number", False) and not exp.is_Integer and exp.is_real \
                    and abs(float(exp)) <= MAX_EXPONENT:
                return sp.exp(exp), "pow"       # e^{2 \ln 3}, e^{1/2}
            if getattr(exp, "is_number", False) and (not exp.is_Integer or abs(exp) > MAX_EXPONENT):
                raise _Doubt            # 10^{10^{10}}: bounded by the full reader, never evaluated here
            if getattr(base, "is_number", False) and exp.is_number and (exp < 0 or base == 0):
                raise _Doubt            # 0^{-1}, 2^{-3}: kept unevaluated by the full reader
            if base is sp.E:
                return sp.exp(exp), "pow"
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
            arg = self._name(t[1]) if t[0] == "name" else sp.Rational(t[1])
            nxt = self.peek()
            if nxt is not None and nxt[1] not in _END:
                raise _Doubt            # \sin x y, \ln x^2: where the argument ends is the full reader's call
        else:
            raise _Doubt
        if arg.is_number and not (name == "ln" and arg.is_Integer and arg > 0):
            raise _Doubt                # \sin 0, \exp(0): kept unevaluated by the full reader (\ln 3 is log(3))
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
            if nxt is not None and nxt[1] == "(" and (val in self.functions or not val.islower() or val in "efghpq"
                                                      or len(val) > 1):
                raise _Doubt            # f(x), D(P), a defined p(x), f_t(x): an application, the full reader decides
            return "name", self._name(val)
        if val == "(":
            out = self.expr()
            self.take(")")
            return "group", out
        if val == "{":
            self.k -= 1
            return "group", self.group()
        if val == "|":
            arg = self.expr()
            self.take("|")
            return "group", sp.Abs(arg, evaluate=False) if arg.is_number else sp.Abs(arg)
        if kind == "fn":
            return "group", self.function(val[1:])
        if val == "\\frac":
            start = self.k
            num = self.group()
            mid = self.k
            den = self.group()
            lone_den = self.k - mid == 3                        # {2}: a single token
            lone = mid - start == 3 and lone_den                # {1}{2}: single tokens
            if den.is_number and (den == 0 or not (lone or lone_den and not num.is_number)):
                # \frac{1}{1 - 1}, \frac{1}{1 + 1}, \frac{1 + 1}{2}: kept as written by the full reader
                # (\frac{n(n+1)}{2} is n(n+1) times 1/2 there too: read here)
                raise _Doubt
            return "group", num / den
        if val == "\\sqrt":
            if self.peek() is None or self.peek()[1] != "{":
                raise _Doubt
            start = self.k
            arg = self.group()
            if arg.is_number:
                if not (arg.is_Integer and self.k - start == 3):
                    raise _Doubt        # \sqrt{0.5}, \sqrt{1 + 1}: the full reader's forms
                return "group", sp.Pow(arg, sp.S.Half, evaluate=False)     # \sqrt{8} stays sqrt(8)
            return "group", sp.sqrt(arg)
        return "group", self.command(val)

    def _name(self, val: str) -> Any:
        """A letter, a Greek letter or a subscripted name, as the full reader names it."""
        if val == "e":
            return sp.E
        base = val.split("_", 1)[0]
        if "_" in val and self.indexed and symbol_key(base) in self.indexed:
            raise _Doubt                # g_{i} of an indexed family: an entry, the full reader's
        if "_" not in val and val.startswith("\\"):
            return self.symbol(val[1:])          # \alpha: latex2sympy's Symbol('alpha')
        return self.symbol(val)

    def arguments(self) -> list[Any]:
        self.take("(")
        out = [self.expr()]
        while self.peek() is not None and self.peek()[1] == ",":
            self.take()
            out.append(self.expr())
        self.take(")")
        return out

    def command(self, val: str) -> Any:
        if val == "\\pi":
            return sp.pi
        if val == "\\binom":
            n, k = self.group(), self.group()
            huge = n.is_number and k.is_number and bool(min(abs(k), abs(n - k)) > MAX_EXPONENT)
            return sp.binomial(n, k, evaluate=not huge)     # huge: refused by the size check, never computed
        if val in ("\\max", "\\min"):
            args = self.arguments()
            if len(args) < 2:
                raise _Doubt
            cls = sp.Max if val == "\\max" else sp.Min
            return cls(*args, evaluate=False) if all(a.is_number for a in args) else cls(*args)
        if val in ("\\lfloor", "\\lceil"):
            arg = self.expr()
            self.take("\\rfloor" if val == "\\lfloor" else "\\rceil")
            return (sp.floor if val == "\\lfloor" else sp.ceiling)(arg)
        raise _Doubt


def fast_read(text: str, symbol: Callable[[str], Any], functions: Collection[str] = (),
              indexed: Collection[str] = ()) -> Any | None:
    """``text`` (normalised) as SymPy when it is plain algebra, else None; ``functions``:
    the names the document defines as functions (``p(x) = ...``), ``indexed``: the bases of
    indexed families (``g`` when ``g_{i}`` is an entry)."""
    if len(text) > 400:
        return None
    try:
        toks = _lex(text)
        if not toks:
            return None
        r = _Reader(toks, symbol, functions, indexed)
        out = r.expr()
        if r.peek() is not None:
            return None
        return out
    except (_Doubt, ZeroDivisionError, RecursionError):
        return None
