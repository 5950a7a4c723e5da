"""Direct construction of sides that mention declared matrices.

A name declared with ``% derive: assume A, B \\in \\mathbb{R}^{n \\times n}`` (or
``x \\in \\mathbb{R}^n``) is a ``MatrixSymbol``; a side that mentions one is read
here, by a small recursive-descent parser over the normalised text, never by
latex2sympy (which would make ``AB`` a product of commuting scalars).  It reads
sums, products (juxtaposition, ``\\cdot``), ``^T``/``^{-1}``/``^k``,
``\\operatorname{tr}``, ``\\det``, ``\\operatorname{rank}``, norms (``\\|x\\|``,
``\\|A\\|_2``, ``_F``, ``_1``, ``_\\infty``), entry-wise ``\\mathrm{sign}``/``ReLU``/``\\exp``/``\\tanh``,
``\\frac``, numbers, scalar names and ``I`` (the identity, sized by what it is added to).  Anything else is a
``ParseError``: a side with matrices is never guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Collection

import sympy as sp

from ...domains import Domain
from ...notation import Norm, Rank
from ...verify.matexpr import ENTRYWISE, Entrywise
from .names import _GREEK, symbol_key
from .matrixops import _add, _blocks, _close_bracket, _dot, _is_matrix, _mul, _resize, _stack  # noqa: F401
from .scan import ParseError

_TOKEN = re.compile(
    r"\s*(?:(?P<env>\\begin\s*\{(?P<envname>[a-zA-Z]*matrix)\})"
    r"|(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<op>\\mathrm\{(?:tr|Tr|trace|det|rank)\}|\\det(?![A-Za-z])|\\operatorname\{(?:tr|Tr|det|rank)\})"
    r"|(?P<fn>\\mathrm\{(?:sign|sgn|ReLUprime|ReLU|relu)\}|\\(?:exp|tanh)(?![A-Za-z]))"
    r"|(?P<had>\\circ(?![A-Za-z]))"
    r"|(?P<inf>\\infty(?![A-Za-z]))"
    r"|(?P<frac>\\frac(?![A-Za-z]))|(?P<sqrt>\\sqrt(?![A-Za-z]))"
    r"|(?P<mul>\\cdot(?![A-Za-z])|\\times(?![A-Za-z])|\*)"
    r"|(?P<name>(?:\\(?:mathbf|boldsymbol|bm|hat|tilde|bar|vec|mathit)\s*\{\s*(?:\\[A-Za-z]+|[A-Za-z])\s*\}"
    r"|\\(?:" + "|".join(sorted(_GREEK, key=len, reverse=True)) + r")(?![A-Za-z])|[A-Za-z])"
    r"(?:\s*\^\s*\{\s*(?:\(\s*\w+\s*\)|\[\s*\w+\s*\])\s*(?:T|\\top)?\s*\})?"      # a layer: W^{(2)}, a^{[1]}, a^{(1)T}
    r"(?:\s*_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?)"
    r"|(?P<norm>\\\|)|(?P<punct>[-+()^{}/|_]))")

Side = Callable[[str], Any]


@dataclass(frozen=True)
class MatrixShape(Domain):
    """The domain of a declared matrix: ``rows`` x ``cols``, each a number or a name."""

    rows: str = "n"
    cols: str = "n"


_SPACE = re.compile(r"\\mathbb\s*\{\s*R\s*\}\s*\^\s*(?:\{(?P<dims>(?:[^{}]|\{[^{}]*\})+)\}|(?P<one>\w))\s*$")


def matrix_shape(text: str) -> MatrixShape | None:
    """``\\mathbb{R}^{m \\times n}`` -> MatrixShape(rows=m, cols=n); ``\\mathbb{R}^n`` -> a column."""
    m = _SPACE.match(text.strip())
    if not m:
        return None
    dims = m.group("dims") or m.group("one")
    parts = [p.strip() for p in re.split(r"\\times(?![A-Za-z])|\\cdot(?![A-Za-z])|\*", dims)]
    if len(parts) == 1:
        parts.append("1")
    if len(parts) != 2 or not all(re.fullmatch(r"\d{1,2}|[A-Za-z](?:_\{?\w+\}?|_\{\\mathrm\{\w+\}\})?|\\[A-Za-z]+", p)
                                  for p in parts):
        return None
    if all(p.isdigit() for p in parts) and parts == ["1", "1"]:
        return None
    return MatrixShape(f"\\mathbb{{R}}^{{{parts[0]} \\times {parts[1]}}}", rows=parts[0], cols=parts[1])


def _lex(text: str) -> list[tuple[str, str, int]]:
    out, i = [], 0
    while i < len(text):
        if text[i:].strip() == "":
            break
        j = len(text) - len(text[i:].lstrip())
        if text[j] == "[":      # [h_{t-1}; x_t]: blocks stacked (the concatenation of an LSTM's gates)
            end = _close_bracket(text, j)
            out.append(("stack", text[j + 1:end], j))
            i = end + 1
            continue
        m = _TOKEN.match(text, i)
        if not m:
            raise ParseError(f"cannot read '{text[i:].strip()[:20]}' in a matrix expression", i)
        kind = m.lastgroup if m.lastgroup != "envname" else "env"
        if kind == "env":
            end = text.find("\\end{" + m.group("envname") + "}", m.end())
            if end < 0:
                raise ParseError("a matrix environment is never closed", i)
            stop = end + len("\\end{" + m.group("envname") + "}")
            out.append(("env", text[m.start("env"):stop], i))
            i = stop
            continue
        val = m.group(kind).strip()
        if kind == "name":
            val, transposed = _layer_name(val)
            out.append((kind, val, i))
            if transposed:          # a^{(1)T}: the name a^{(1)}, transposed
                out += [("punct", "^", i), ("name", "T", i)]
        else:
            out.append((kind, val, i))
        i = m.end()
    return out


#: a layer superscript of a name (``W^{(2)}``, ``a^{[1]}``), and a transpose written inside it (``a^{(1)T}``)
_LAYER = re.compile(r"\^\s*\{\s*(?:\(\s*\w+\s*\)|\[\s*\w+\s*\])\s*(?:T|\\top)?\s*\}")
_LAYER_T = re.compile(r"\s*(?:T|\\top)\s*\}$")


def _layer_name(raw: str) -> tuple[str, bool]:
    """``a^{(1)T}`` -> (``a^{(1)}``, transposed); any other name unchanged."""
    m = _LAYER.search(raw)
    if not m or not _LAYER_T.search(m.group(0)):
        return raw, False
    return raw[:m.start()] + _LAYER_T.sub("}", m.group(0)) + raw[m.end():], True


def mentions(text: str, matrices: Collection[str]) -> bool:
    """Whether ``text`` names a declared matrix (a cheap scan, before choosing a parser)."""
    for m in re.finditer(r"\\[A-Za-z]+(?:\s*" + _LAYER.pattern + r")?|[A-Za-z](?:\s*" + _LAYER.pattern
                         + r")?(?:\s*_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?", text):
        if symbol_key(_layer_name(m.group(0))[0]) in matrices:
            return True
    return False


class MatrixReader:
    """Reads one side; ``symbol(raw)`` gives a declared matrix or a scalar symbol,
    ``scalar(text)`` parses a piece without matrices (a literal ``pmatrix``, an exponent)."""

    def __init__(self, text: str, symbol: Callable[[str], Any], scalar: Side, identity: Any) -> None:
        self.toks = _lex(text)
        self.text = text
        self.k = 0
        self.symbol = symbol
        self.scalar = scalar
        self.identity = identity

    # -- tokens ------------------------------------------------------------------ #
    def peek(self, off: int = 0) -> tuple[str, str, int] | None:
        j = self.k + off
        return self.toks[j] if j < len(self.toks) else None

    def take(self, value: str | None = None) -> tuple[str, str, int]:
        t = self.peek()
        if t is None or (value is not None and t[1] != value):
            raise ParseError(f"expected '{value}' in a matrix expression" if value else "unexpected end")
        self.k += 1
        return t

    def group(self) -> list[tuple[str, str, int]]:
        """The tokens of a ``{...}`` group (the opening brace is next)."""
        self.take("{")
        depth, start = 1, self.k
        while True:
            t = self.take()
            if t[1] == "{":
                depth += 1
            elif t[1] == "}":
                depth -= 1
                if depth == 0:
                    return self.toks[start:self.k - 1]

    def sub(self, toks: list[tuple[str, str, int]]) -> Any:
        r = MatrixReader.__new__(MatrixReader)
        r.toks, r.k, r.symbol, r.scalar, r.identity = toks, 0, self.symbol, self.scalar, self.identity
        r.text = self.text
        out = r.expr()
        if r.peek() is not None:
            raise ParseError(f"unexpected '{r.peek()[1]}' in a matrix expression")
        return out

    # -- grammar ----------------------------------------------------------------- #
    def read(self) -> Any:
        out = self.expr()
        if self.peek() is not None:
            raise ParseError(f"unexpected '{self.peek()[1]}' in a matrix expression", self.peek()[2])
        return out

    def expr(self) -> Any:
        sign = 1
        while self.peek() and self.peek()[1] in "+-" and self.peek()[0] == "punct":
            sign = -sign if self.take()[1] == "-" else sign
        out = self.term()
        out = -out if sign < 0 else out
        while self.peek() and self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            right = self.term()
            out = _add(out, -right if op == "-" else right)
        return out

    def term(self) -> Any:
        out = self.factor()
        while True:
            t = self.peek()
            if t is None or t[1] in ("+", "-", ")", "}"):
                return out
            if t[0] == "mul":
                self.take()
                if t[1] == "\\cdot":
                    out = _dot(out, self.factor())
                    continue
            elif t[0] == "had":     # u \circ v (\odot) of written matrices of one shape: entry by entry
                self.take()
                right = self.factor()
                if not (isinstance(out, sp.MatrixBase) and isinstance(right, sp.MatrixBase)) or out.shape != right.shape:
                    raise ParseError(f"cannot read '{self.text[t[2]:].strip()[:20]}' in a matrix expression", t[2])
                out = sp.ImmutableMatrix(out.multiply_elementwise(right))
                continue
            elif t[1] == "/":
                self.take()
                den = self.factor()
                if _is_matrix(den):
                    raise ParseError("division by a matrix")
                out = out / den
                continue
            out = _mul(out, self.factor())

    def factor(self) -> Any:
        base = self.primary()
        while self.peek() and self.peek()[1] == "^":
            self.take()
            base = self.power(base)
        return base

    def power(self, base: Any) -> Any:
        t = self.peek()
        if t is None:
            raise ParseError("a power without an exponent")
        if t[1] == "{":
            toks = self.group()
        else:
            self.take()
            toks = [t]
        if len(toks) == 1 and toks[0][1] in ("T", "\\top"):
            if not _is_matrix(base):
                raise ParseError("a transpose of a scalar")
            return base.T
        exp = self.sub(toks)
        if _is_matrix(exp):
            raise ParseError("a matrix in an exponent")
        if _is_matrix(base):
            if exp == -1:
                return base.I
            if not (exp.is_Integer and abs(exp) <= 12):
                raise ParseError("a matrix power must be a small integer")
            return base ** exp
        return base ** exp

    def primary(self) -> Any:
        t = self.take()
        kind, val, _ = t
        if kind == "num":
            return sp.Rational(val)
        if kind == "env":
            return sp.ImmutableMatrix(self.scalar(val))
        if kind == "stack":
            return _stack([self.sub(_lex(part)) for part in _blocks(val)])
        if kind == "frac":
            num = self.sub(self.group())
            den = self.sub(self.group())
            if _is_matrix(den):
                raise ParseError("division by a matrix")
            return num / den
        if kind == "sqrt":      # \sqrt{3} \|x\|_2: a root of a scalar
            arg = self.sub(self.group()) if self.peek() and self.peek()[1] == "{" else self.primary()
            if _is_matrix(arg):
                raise ParseError("a square root of a matrix")
            return sp.sqrt(arg)
        if kind == "op":
            arg = self.sub(self.group()) if self.peek() and self.peek()[1] == "{" else self.operand()
            if not _is_matrix(arg):
                raise ParseError(f"'{val}' of a scalar")
            if "rank" in val:
                return Rank(arg)
            return sp.Trace(arg) if "tr" in val.lower() else sp.Determinant(arg)
        if kind == "fn":
            arg = self.sub(self.group()) if self.peek() and self.peek()[1] == "{" else self.operand()
            name = val.strip("\\").replace("mathrm{", "").rstrip("}")
            if name == "ReLUprime":     # ReLU'(z): the step 1[z > 0] of an explicit vector only
                if not isinstance(arg, sp.MatrixBase):
                    raise ParseError("ReLU' of a matrix whose entries are not written")
                return sp.ImmutableMatrix(arg.applyfunc(lambda e: sp.Heaviside(e, 0)))
            if _is_matrix(arg):
                return Entrywise(name, arg)
            return ENTRYWISE[name](arg)
        if val == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if val == "{":
            self.k -= 1
            return self.sub(self.group())
        if kind == "norm" or val == "|":
            return self.norm(val)
        if kind == "name":
            if val == "I" or re.fullmatch(r"I\s*_\s*\{?\s*\w+\s*\}?", val):
                return self.identity(val)
            return self.symbol(val)
        raise ParseError(f"unexpected '{val}' in a matrix expression", t[2])

    def norm(self, bar: str) -> Any:
        """``\\|x\\|`` (a vector's 2-norm), ``\\|A\\|_F`` (Frobenius), ``|x^T y|`` (a 1x1 value)."""
        start = self.k
        depth = 0
        while True:
            t = self.take()
            if t[1] in ("(", "{"):
                depth += 1
            elif t[1] in (")", "}"):
                depth -= 1
            elif t[1] == bar and depth == 0:
                break
        inner = self.sub(self.toks[start:self.k - 1])
        kind = "2"
        if self.peek() and self.peek()[1] == "_":
            self.take()
            t = self.peek()
            toks = self.group() if t and t[1] == "{" else [self.take()]
            kind = "".join(v for _, v, _ in toks)
        if not _is_matrix(inner):
            return sp.Abs(inner)
        if bar == "|" and inner.shape == (1, 1):
            return sp.Abs(sp.Trace(inner))
        vector = inner.shape[1] == 1 or inner.shape[0] == 1
        if bar == "\\|" and (kind == "F" or (kind == "2" and vector)):
            square = inner.T * inner if inner.shape[1] == 1 or kind == "F" else inner * inner.T
            return sp.sqrt(sp.Trace(square))
        if bar == "\\|" and kind in ("2", "1", "\\infty"):
            return Norm(inner, sp.oo if kind == "\\infty" else sp.Integer(kind))
        raise ParseError(f"cannot read the norm \\|.\\|_{kind} (the norms read are _2, _F, _1 and _\\infty)")

    def operand(self) -> Any:
        """The argument of ``\\det A`` or ``\\det(A B)``: one factor; written in parentheses, only
        them, so a power after them is the value's (``\\operatorname{tr}(A)^2`` is tr(A) squared)."""
        if self.peek() and self.peek()[1] == "(":
            return self.primary()
        return self.factor()


def read_matrix_side(text: str, symbol: Callable[[str], Any], scalar: Side, identity: Any) -> Any:
    """The side ``text`` (normalised) as a SymPy matrix expression or scalar."""
    return MatrixReader(text, symbol, scalar, identity).read()
