"""The one reader of SymPy-syntax text from users (``--set`` values, spec values,
JSON matrix entries, ``$...$`` in statements and prose).

Nothing is ever ``eval``-ed.  The text is tokenised (``^`` becomes a power and
implicit multiplication such as ``2x`` or ``W_l x`` gets its ``*``), parsed
with :mod:`ast`, and the tree is walked against a whitelist: numbers, names,
``+ - * / **``, unary signs, calls to the functions in ``FUNCTIONS`` (and the
notation of ``derive.notation``; the vocabulary is in ``derive.exprnames``), lists (matrix rows), tuples (summation
limits) and the transpose ``.T``.  Everything else -- other attributes,
subscripts, lambdas, keywords, dunders, strings outside a name argument -- is
refused with an ``ExprError``.  SymPy objects are built here, node by node.

Before a node is built its size is estimated (``Limits``): the number of
nodes, integer literals, the magnitude of a numeric power tower or factorial
(as a bound on ``log10 |value|``, computed without evaluating), symbolic
exponents, summation ranges and matrix sizes.  A refusal says ``too large: ...``.
Decimals are exact (``0.1`` is 1/10).
"""
from __future__ import annotations

import ast
import io
import keyword
import re
import tokenize
from fractions import Fraction
from typing import Any

import sympy as sp

from .bounds import BUILD_MEMORY, Overrun, alarm, alarm_unavailable, build_timeout
from .exprlimits import LIMITS, ExprError, Guards, Limits, _is_matrix
from .exprnames import CONSTANTS, FUNCTIONS, NAME, PROSE, VALUE, Profile, _Name


# --------------------------------------------------------------------------- #
# Tokens: ^ is a power, implicit multiplication gets its *
# --------------------------------------------------------------------------- #

_OPERAND_END = {tokenize.NUMBER, tokenize.NAME, tokenize.STRING}


def _rewrite(text: str, profile: Profile) -> str:
    try:
        toks = [t for t in tokenize.generate_tokens(io.StringIO(text).readline)
                if t.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.INDENT,
                                  tokenize.DEDENT, tokenize.COMMENT)]
    except (tokenize.TokenError, IndentationError, SyntaxError) as exc:
        raise ExprError(f"cannot parse '{text}' ({exc.args[0] if exc.args else 'bad token'})", True) from None
    out: list[str] = []
    prev: tokenize.TokenInfo | None = None
    for t in toks:
        if t.type == tokenize.ERRORTOKEN and t.string.strip():
            raise ExprError(f"cannot parse '{text}' (unexpected {t.string!r})", True)
        if t.type == tokenize.ERRORTOKEN:
            continue
        s = {"^": "**", "=": "=="}.get(t.string, t.string)
        if prev is not None and _implicit(prev, t, profile):
            out.append("*")
        out.append(s)
        prev = t
    return " ".join(out)


def _implicit(a: tokenize.TokenInfo, b: tokenize.TokenInfo, profile: Profile) -> bool:
    a_end = (a.type in _OPERAND_END and not keyword.iskeyword(a.string)) or a.string in (")", "]")
    b_start = (b.type in (tokenize.NUMBER, tokenize.NAME) and not keyword.iskeyword(b.string)) or b.string == "("
    if not (a_end and b_start):
        return False
    if a.type == tokenize.NAME and b.string == "(":
        return False        # a call (of a known function, or refused as unknown)
    if a.type == tokenize.STRING:
        return False
    return True


# --------------------------------------------------------------------------- #
# The tree walk
# --------------------------------------------------------------------------- #

_RELATIONS = {ast.Eq: sp.Eq, ast.Lt: sp.Lt, ast.LtE: sp.Le, ast.Gt: sp.Gt, ast.GtE: sp.Ge}
_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}


class _Builder(Guards):
    def __init__(self, profile: Profile, limits: Limits, evaluate: bool, source: str) -> None:
        self.profile, self.limits, self.evaluate, self.source = profile, limits, evaluate, source
        self.nodes = 0

    # log10 |value| upper bound for numbers, None for expressions with symbols
    def build(self, node: ast.AST, depth: int = 0) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.nodes:
            raise self.too_large(f"more than {self.limits.nodes} terms and operations")
        if depth > self.limits.depth:
            raise self.too_large(f"nested more than {self.limits.depth} deep")
        handler = getattr(self, f"_n_{type(node).__name__}", None)
        if handler is None:
            raise ExprError(f"not allowed in an expression: {_describe(node)}")
        return handler(node, depth + 1)

    def _n_Expression(self, node: ast.Expression, d: int) -> Any:
        return self.build(node.body, d)

    def _n_Constant(self, node: ast.Constant, d: int) -> Any:
        v = node.value
        if isinstance(v, bool) or v is None or v is Ellipsis:
            raise ExprError(f"not allowed in an expression: {v!r}")
        if isinstance(v, str):
            return _Name(v)
        if isinstance(v, int):
            if v.bit_length() > self.limits.digits * 3.33:
                raise self.too_large(f"an integer with more than {self.limits.digits} digits")
            return sp.Integer(v)
        if isinstance(v, float):
            text = ast.get_source_segment(self.source, node) or repr(v)
            m = re.fullmatch(r"[0-9_.]*(?:[eE]([+-]?[0-9_]+))?", text)
            if m is None:
                raise ExprError(f"not a number: {text}")
            if m.group(1) and abs(int(m.group(1))) > self.limits.digits:
                raise self.too_large(f"the number {text}")
            if not self.profile.exact_decimals:
                return sp.Float(text.replace("_", ""))
            f = Fraction(text.replace("_", ""))
            return sp.Rational(f.numerator, f.denominator)
        raise ExprError(f"not allowed in an expression: {type(v).__name__} literal")

    def _n_Name(self, node: ast.Name, d: int) -> Any:
        name = node.id
        if name in self.profile.constants:
            return self.profile.constants[name]
        if name in self.profile.functions:
            raise ExprError(f"{name} is a function: write {name}(...)")
        if not NAME.fullmatch(name):
            raise ExprError(f"not a name: {name!r} (names are letters and digits with _ subscripts)")
        return sp.Symbol(name)

    def _n_Compare(self, node: ast.Compare, d: int) -> Any:
        if len(node.ops) != 1 or type(node.ops[0]) not in _RELATIONS:
            raise ExprError("a relation needs exactly two sides (a = b, a <= b, ...)")
        a, b = self._expr(node.left, d), self._expr(node.comparators[0], d)
        try:
            return _RELATIONS[type(node.ops[0])](a, b, evaluate=False)
        except Exception as exc:  # noqa: BLE001
            raise ExprError(f"cannot relate these: {_one_line(exc)}") from None

    def _n_UnaryOp(self, node: ast.UnaryOp, d: int) -> Any:
        v = self._expr(node.operand, d)
        if isinstance(node.op, ast.USub):
            return -v if self.evaluate else sp.Mul(sp.S.NegativeOne, v, evaluate=False)
        if isinstance(node.op, ast.UAdd):
            return v
        raise ExprError(f"not allowed in an expression: {_describe(node)}")

    def _expr(self, node: ast.AST, d: int) -> Any:
        v = self.build(node, d)
        if isinstance(v, (_Name, list, tuple)):
            raise ExprError("a name in quotes, a list or a tuple cannot be used as a number here"
                            if not isinstance(v, _Name) else f"a quoted string ({v.text!r}) is only a name inside Symbol(...)")
        return v

    def _n_BinOp(self, node: ast.BinOp, d: int) -> Any:
        op = _BINOPS.get(type(node.op))
        if op is None:
            raise ExprError(f"not allowed in an expression: the operator {_describe(node.op)}")
        a, b = self._expr(node.left, d), self._expr(node.right, d)
        ev = self.evaluate
        # Evaluated forms use Python's operators, so derive.termorder sees the written order.
        plain = ev or _is_matrix(a) or _is_matrix(b)
        try:
            if op == "+":
                self._guard_add(a, b)
                return (a + b) if plain else sp.Add(a, b, evaluate=False)
            if op == "-":
                self._guard_add(a, b)
                return (a - b) if plain else sp.Add(a, sp.Mul(sp.S.NegativeOne, b, evaluate=False), evaluate=False)
            if op == "*":
                self._guard_mul(a, b)
                return (a * b) if plain else sp.Mul(a, b, evaluate=False)
            if op == "/":
                self._guard_mul(a, b)
                if _is_matrix(b):
                    raise ExprError("cannot divide by a matrix")
                return (a / b) if plain else sp.Mul(a, sp.Pow(b, -1, evaluate=False), evaluate=False)
            self._guard_pow(a, b)
            return (a ** b) if plain else sp.Pow(a, b, evaluate=False)
        except ExprError:
            raise
        except Exception as exc:  # noqa: BLE001 - shape mismatches and the like
            raise ExprError(f"cannot compute {op}: {_one_line(exc)}") from None

    def _n_Call(self, node: ast.Call, d: int) -> Any:
        if not isinstance(node.func, ast.Name):
            raise ExprError(f"not allowed in an expression: calling {_describe(node.func)}")
        name = node.func.id
        fn = self.profile.functions.get(name)
        if fn is None:
            raise ExprError(f"unknown function '{name}'" if NAME.fullmatch(name)
                            else f"not a name: {name!r}")
        if node.keywords:
            raise ExprError(f"{name}: keyword arguments are not allowed")
        args = [self.build(a, d) for a in node.args]
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise ExprError(f"{name}: starred arguments are not allowed")
        if name not in ("Symbol", "Indexed", "MatrixSymbol") and any(isinstance(a, _Name) for a in args):
            raise ExprError(f"{name}: a quoted string is only a name inside Symbol(...), Indexed(...) or MatrixSymbol(...)")
        self._guard_call(name, fn, args)
        try:
            return fn(*args)
        except ExprError:
            raise
        except Exception as exc:  # noqa: BLE001 - SymPy raises TypeError/ValueError/... for wrong arguments
            raise ExprError(f"{name}: {_one_line(exc)}") from None

    def _n_List(self, node: ast.List, d: int) -> list[Any]:
        if len(node.elts) > self.limits.matrix_side:
            raise self.too_large(f"a list of {len(node.elts)} entries (limit {self.limits.matrix_side})")
        out = [self.build(e, d) for e in node.elts]
        if any(isinstance(e, (_Name, tuple)) for e in out):
            raise ExprError("a matrix row holds numbers or expressions")
        return out

    def _n_Tuple(self, node: ast.Tuple, d: int) -> tuple[Any, ...]:
        return tuple(self._expr(e, d) for e in node.elts)

    def _n_Attribute(self, node: ast.Attribute, d: int) -> Any:
        if node.attr != "T":
            raise ExprError(f"not allowed in an expression: the attribute .{node.attr} (only .T, the transpose)")
        v = self._expr(node.value, d)
        if not (_is_matrix(v) or isinstance(v, sp.MatrixExpr)):
            raise ExprError(".T needs a matrix")
        return v.T


def _describe(node: Any) -> str:
    names = {"Subscript": "subscripts x[...]", "Lambda": "lambda", "Attribute": "attributes",
             "Compare": "comparisons", "BoolOp": "and/or", "IfExp": "if/else", "Dict": "dicts",
             "Set": "sets", "ListComp": "comprehensions", "GeneratorExp": "generators",
             "JoinedStr": "f-strings", "NamedExpr": ":=", "Starred": "*args", "BitXor": "^",
             "Mod": "%", "FloorDiv": "//", "MatMult": "@", "BitAnd": "&", "BitOr": "|",
             "LShift": "<<", "RShift": ">>", "Invert": "~", "Not": "not"}
    n = type(node).__name__
    return names.get(n, n)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:160]


def parse(text: str, profile: Profile = VALUE, limits: Limits = LIMITS, evaluate: bool = True) -> Any:
    """SymPy object for ``text`` (an expression, a matrix, a tuple), or ``ExprError``.

    ``evaluate=False`` keeps the written form (``Add``/``Mul``/``Pow`` unevaluated).
    """
    if not isinstance(text, str):
        raise ExprError(f"expected text, got {type(text).__name__}")
    text = text.strip()
    if not text:
        raise ExprError("empty expression")
    if len(text) > limits.chars:
        raise ExprError(f"too large: an expression of {len(text)} characters (limit {limits.chars})")
    if "__" in text:
        raise ExprError("not allowed in an expression: names with '__'")
    rewritten = _rewrite(text, profile)
    try:
        tree = ast.parse(rewritten, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
        msg = getattr(exc, "msg", None) or (exc.args[0] if exc.args else type(exc).__name__)
        raise ExprError(f"cannot parse '{text}' ({msg})", True) from None
    limit, mine = build_timeout(), False
    if alarm_unavailable():
        return _parse_in_worker(text, profile, limits, evaluate, rewritten, limit)
    try:
        with alarm(limit) as mine:      # statement math is read in the caller: bounded like a build
            return _Builder(profile, limits, evaluate, rewritten).build(tree)
    except RecursionError:
        raise ExprError(f"too large: '{text[:40]}' is nested too deeply") from None
    except Overrun:
        if not mine:                    # an outer bound ran out: it reports
            raise
        raise ExprError(f"too large: reading '{text[:40]}' took more than {limit:g} s") from None
    except MemoryError:
        if not mine:
            raise
        raise ExprError(f"too large: reading '{text[:40]}' needs more than {BUILD_MEMORY >> 20} MiB") from None


def _build_reporting(profile: Profile, limits: Limits, evaluate: bool, rewritten: str) -> tuple:
    """In the worker: the object built, or the refusal as data (an ``ExprError`` is no ``DeriveError``)."""
    try:
        return (None, _Builder(profile, limits, evaluate, rewritten).build(ast.parse(rewritten, mode="eval")))
    except ExprError as exc:
        return ((str(exc), exc.syntax), None)


def _parse_in_worker(text: str, profile: Profile, limits: Limits, evaluate: bool, rewritten: str,
                     limit: float) -> Any:
    """``parse`` off the main thread: the same building, in a forked child killed at the limit."""
    from .errors import ParameterError
    from .worker import call

    try:
        refused, value = call(_build_reporting, profile, limits, evaluate, rewritten, what="reading", timeout=limit)
    except ParameterError as exc:       # "reading: too large: ... took more than 1 s" / "... MiB ..."
        why = "took more than" if "took more than" in str(exc) else "needs more memory or nests too deeply"
        raise ExprError(f"too large: reading '{text[:40]}' {why}" + (f" {limit:g} s" if "took" in why else "")) from None
    if refused is not None:
        raise ExprError(*refused)
    return value


def parse_expr(text: str, profile: Profile = VALUE, limits: Limits = LIMITS, evaluate: bool = True) -> Any:
    """Like ``parse`` but the result must be a SymPy expression or matrix (not a tuple or list)."""
    v = parse(text, profile, limits, evaluate)
    if isinstance(v, (list, tuple, _Name)) or not isinstance(v, (sp.Basic, sp.MatrixBase)):
        raise ExprError(f"'{text}' is not an expression")
    return v


__all__ = ["ExprError", "Limits", "LIMITS", "Profile", "VALUE", "PROSE", "FUNCTIONS", "CONSTANTS", "NAME", "parse",
           "parse_expr"]
