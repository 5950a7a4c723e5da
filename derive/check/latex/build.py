"""latex2sympy2_extended on normalised text, and the SymPy objects the reader builds.

The converter is configured once (case preserved, no mixed fractions, no
assignment reading of ``k = 1``); SLL prediction is tried before full LL and
parses are memoised.  ``ReLU``, ``ReLUPrime`` and ``Hadamard`` stay symbolic
until facts make their arguments explicit; ``finish`` and ``entrywise`` then
evaluate them entry by entry.
"""
from __future__ import annotations

import functools
import math
import re
import operator
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.core.parameters import global_parameters

from .rules import unread_reason
from .scan import MAX_EXPONENT, ParseError

_NONNEGATIVE_HEADS = ("norm", "RMS", "Var", "Std", "KL", "D_KL", "rank")


def stack_blocks(m: Any) -> Any:
    """A block matrix whose entries are matrices (``[h; x]`` once h and x are vectors) as one matrix.

    A scalar entry is a 1x1 block (``[x; 1]``); blocks that do not fit leave ``m`` as it is.
    """
    if not isinstance(m, sp.MatrixBase) or not any(isinstance(e, sp.MatrixBase) for e in m):
        return m
    def block(e: Any) -> sp.ImmutableMatrix:
        return sp.ImmutableMatrix(e) if isinstance(e, sp.MatrixBase) else sp.ImmutableMatrix([[e]])
    try:
        rows = [sp.Matrix.hstack(*[block(m[r, c]) for c in range(m.cols)]) for r in range(m.rows)]
        return sp.ImmutableMatrix(sp.Matrix.vstack(*rows))
    except (sp.ShapeError, ValueError):
        return m


def entrywise(obj: Any) -> Any:
    """Matrices made explicit after facts: blocks stacked, and a function of a matrix
    (``\\tanh(W v + b)``) taken entry by entry, as in ML notation; sums and products
    of the resulting matrices are evaluated."""
    if isinstance(obj, sp.MatrixBase):
        return stack_blocks(sp.ImmutableMatrix(obj.applyfunc(entrywise)))
    if not isinstance(obj, sp.Basic) or not obj.args \
            or not any(isinstance(n, sp.MatrixBase) for n in sp.preorder_traversal(obj)):
        return obj
    args = [entrywise(a) for a in obj.args]
    if isinstance(obj, sp.Function) and not isinstance(obj, AppliedUndef) and len(args) == 1 \
            and isinstance(args[0], sp.MatrixBase):
        return sp.ImmutableMatrix(args[0].applyfunc(obj.func))
    if isinstance(obj, sp.Pow) and args[0] == sp.E and isinstance(args[1], sp.MatrixBase):
        return sp.ImmutableMatrix(args[1].applyfunc(sp.exp))        # e^{z} of a vector
    if all(a is b for a, b in zip(args, obj.args)):
        return obj
    try:
        if isinstance(obj, (sp.Add, sp.Mul)) and any(isinstance(a, sp.MatrixBase) for a in args):
            return functools.reduce(operator.add if isinstance(obj, sp.Add) else operator.mul, args)
        return obj.func(*args)
    except (sp.ShapeError, ValueError, TypeError):
        return obj



@functools.lru_cache(maxsize=1)
def _converters() -> tuple[Any, Any]:
    """The configured latex2sympy converter, and one that predicts with SLL only.

    ANTLR's full-context (LL) prediction is what makes the Python parser slow;
    SLL is exact whenever it succeeds without a syntax error, so it is tried first
    and LL only where SLL reports an error (the usual two-stage strategy).
    """
    from antlr4.atn.PredictionMode import PredictionMode
    from latex2sympy2_extended.latex2sympy2 import ConversionConfig, _Latex2Sympy

    cfg = ConversionConfig(interpret_as_mixed_fractions=False, interpret_simple_eq_as_assignment=False,
                           interpret_contains_as_eq=False, lowercase_symbols=False)

    class _SLL(_Latex2Sympy):
        def create_parser(self, latex_str: str) -> Any:
            parser = super().create_parser(latex_str)
            parser._interp.predictionMode = PredictionMode.SLL
            return parser

    # convert_degrees: 30^\circ is 30 pi/180 (dropped by default, so \sin 30^\circ was sin(30 rad))
    return _Latex2Sympy(None, True, True, config=cfg), _SLL(None, True, True, config=cfg)


@functools.lru_cache(maxsize=8192)
def _convert_memo(text: str, evaluate: bool = True) -> tuple[bool, Any]:
    """``evaluate``: SymPy's global evaluation flag, part of the key (a side read again without
    evaluation, ``check.divisions``, never comes back from or goes into the evaluated memo)."""
    full, sll = _converters()
    try:
        return True, sll.parse(text)
    except RecursionError:
        raise
    except Exception:  # noqa: BLE001 - an SLL error only means: ask full LL prediction
        pass
    try:
        return True, full.parse(text)
    except RecursionError:
        raise
    except Exception as exc:  # noqa: BLE001 - the parser raises bare Exception
        return False, exc


def _convert(text: str) -> Any:
    """latex2sympy on rewritten source; memoised, since a sheet repeats its sides
    (every fact is also a step) and parsing is pure."""
    ok, value = _convert_memo(text, bool(global_parameters.evaluate))
    if not ok:
        raise value
    if isinstance(value, sp.Basic) and value.has(sp.Limit) and not _ONE_SIDED.search(text):
        value = value.replace(lambda e: isinstance(e, sp.Limit) and e.args[2].is_finite
                              and str(e.args[3]) == "+",
                              lambda e: sp.Limit(*e.args[:3], dir="+-"))
    return value


#: latex2sympy reads ``\lim_{x \to 0}`` as the limit from the right; a limit written
#: with no side is two-sided (``\lim_{x \to 0} |x|/x = 1`` is false), a side written
#: as ``0^{+}``/``0^{-}`` keeps its direction, also after a braced point (``\sqrt{2}^+``,
#: ``\frac{1}{2}^-``: groups nested two deep are skipped; an unmatched ``}`` ends the point).
_ONE_SIDED = re.compile(r"\\to\s*(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*?\^\s*\{?\s*[+-]")


def _error(exc: Exception, text: str) -> ParseError:
    if type(exc) is not Exception:
        # latex2sympy reports syntax as a bare Exception; anything else (an AttributeError on
        # \det(2)) is its internals failing: the user sees what was not read, never the error
        return ParseError(unread_reason(text))
    msg = str(exc)
    lines = msg.splitlines()
    first = lines[0].strip() if lines else type(exc).__name__
    col = 0
    for ln in lines[1:]:
        if "^" in ln and set(ln.strip()) <= {"~", "^"}:
            col = ln.index("^")
        elif set(ln.strip()) == {"~"}:
            col = len(ln.rstrip())
    return ParseError(first or "could not parse", min(col, max(len(text) - 1, 0)))


def _check_size(expr: Any) -> None:
    if not isinstance(expr, sp.Basic):
        return
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Pow):
            b, e = node.args
            if e.is_number and b.is_number:
                if e.has(sp.Pow) and any(isinstance(a, sp.Pow) and a.args[1].is_number for a in sp.preorder_traversal(e)):
                    raise ParseError("exponent too large (a tower of numeric powers)")
                try:
                    big = abs(float(e)) > MAX_EXPONENT
                except (TypeError, ValueError, OverflowError):
                    big = True
                if big and b not in (0, 1, -1):
                    raise ParseError(f"exponent too large (above {MAX_EXPONENT})")
        elif isinstance(node, sp.binomial) and node.args[0].is_number and node.args[1].is_number \
                and bool(min(abs(node.args[1]), abs(node.args[0] - node.args[1])) > MAX_EXPONENT):
            raise ParseError("binomial argument too large")
        elif isinstance(node, (sp.factorial, sp.factorial2)) and node.args[0].is_number:
            try:
                if abs(float(node.args[0])) > MAX_EXPONENT:
                    raise ParseError("factorial argument too large")
            except (TypeError, ValueError, OverflowError):
                raise ParseError("factorial argument too large") from None


def _function(name: str) -> Any:
    nonneg = any(name.startswith(h) for h in _NONNEGATIVE_HEADS)
    return sp.Function(name, real=True, **({"nonnegative": True} if nonneg else {}))


class ReLU(sp.Function):
    """ReLU, entry by entry on matrices; stays symbolic until its argument is known
    (a fact may make ``z_1`` a matrix), and ``finish`` turns the rest into ``Max``."""

    @classmethod
    def eval(cls, x: Any) -> Any:
        if isinstance(x, sp.MatrixBase):
            return sp.ImmutableMatrix(x.applyfunc(lambda e: sp.Max(0, e)))
        if getattr(x, "is_number", False):
            return sp.Max(0, x)
        return None

    def fdiff(self, argindex: int = 1) -> Any:
        """``\\frac{d}{dx} \\text{ReLU}(x)`` is ReLU', by the convention ``ReLU'(0) = 0`` (never
        ``Heaviside(0) = 1/2`` from its ``Max`` form)."""
        return ReLUPrime(self.args[0])


class ReLUPrime(sp.Function):
    """ReLU', the step ``1[x > 0]`` (``ReLU'(0) = 0``), entry by entry on matrices."""

    @classmethod
    def eval(cls, x: Any) -> Any:
        if isinstance(x, sp.MatrixBase):
            return sp.ImmutableMatrix(x.applyfunc(lambda e: sp.Heaviside(e, 0)))
        if getattr(x, "is_number", False):
            return sp.Heaviside(x, 0)
        return None


class _IntegerGcd(sp.Function):
    """``\\gcd``/``\\lcm`` of integers: a value only when every argument is an integer, so
    ``\\gcd(n, m)`` stays a function of n and m (SymPy's ``gcd`` is the *polynomial* gcd, by
    which ``\\gcd(n, m) = 1`` and ``\\gcd(2n, 6) = 2`` for every n, m).  Numeric points evaluate it."""

    is_integer = True
    is_nonnegative = True
    _combine: Any = None

    @classmethod
    def eval(cls, *args: Any) -> Any:
        if len(args) < 2:
            return None
        if all(getattr(a, "is_Integer", False) for a in args):
            return sp.Integer(cls._combine(*(int(a) for a in args)))
        return None                           # a non-integer has no gcd: no value, so no verdict

    _tex = ""

    def _eval_evalf(self, prec: int) -> Any:
        from mpmath.libmp import prec_to_dps

        if not all(a.is_number for a in self.args):
            return None
        vals = [a.evalf(prec_to_dps(prec)) for a in self.args]
        if all(v.is_Number and v.is_finite and abs(v) < 1e30 and (v - int(v)) == 0 for v in vals):
            return sp.Float(self._combine(*(int(v) for v in vals)), prec_to_dps(prec))
        return None

    def _latex(self, printer: Any) -> str:
        return self._tex + r"\left(" + ", ".join(printer._print(a) for a in self.args) + r"\right)"


class IntegerGcd(_IntegerGcd):
    _combine = staticmethod(math.gcd)
    _tex = r"\gcd"


class IntegerLcm(_IntegerGcd):
    _combine = staticmethod(math.lcm)
    _tex = r"\operatorname{lcm}"


class Hadamard(sp.Function):
    """``a \\circ b``: the entry-wise product of two matrices (a product of scalars)."""

    @classmethod
    def eval(cls, a: Any, b: Any) -> Any:
        if isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase) and a.shape == b.shape:
            return sp.ImmutableMatrix(a.multiply_elementwise(b))
        return None


def finish(obj: Any) -> Any:
    """After facts are applied: what is still symbolic becomes scalar (``Max``, ``Heaviside``, ``*``)."""
    obj = entrywise(obj)
    if isinstance(obj, sp.MatrixBase):
        return sp.ImmutableMatrix(obj.applyfunc(finish))
    if not isinstance(obj, sp.Basic) or not obj.has(ReLU, ReLUPrime, Hadamard):
        return obj
    obj = obj.replace(lambda e: isinstance(e, ReLU), lambda e: sp.Max(0, e.args[0]))
    obj = obj.replace(lambda e: isinstance(e, ReLUPrime), lambda e: sp.Heaviside(e.args[0], 0))
    return obj.replace(lambda e: isinstance(e, Hadamard), lambda e: e.args[0] * e.args[1])


_KNOWN_FUNCTIONS = {
    "ReLU": ReLU, "relu": ReLU, "ReLUprime": ReLUPrime, "theta": sp.Heaviside,
    "sign": sp.sign, "sgn": sp.sign, "arctan": sp.atan, "arcsin": sp.asin, "arccos": sp.acos,
    "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh, "exp": sp.exp, "erf": sp.erf,
    "doublefactorial": lambda a: _double_factorial(a),       # 5!! (rewrite.double_factorials)
}


def _double_factorial(a: Any) -> Any:
    """``n!!``, with the argument bounded before SymPy evaluates it (as ``_check_size`` bounds ``n!``)."""
    if getattr(a, "is_number", False):
        try:
            big = abs(float(a)) > MAX_EXPONENT
        except (TypeError, ValueError, OverflowError):
            big = True
        if big:
            raise ParseError("factorial argument too large")
        if a.is_integer is False or (a.is_integer is None and a.is_rational is False):
            raise ParseError("'!!' (double factorial) of a number that is not an integer")
    return sp.factorial2(a)
#: functions of several arguments (``_KNOWN_FUNCTIONS`` take one)
INTEGER_FUNCTIONS = {"gcd": IntegerGcd, "lcm": IntegerLcm}


def real_root_name(n: int) -> str:
    """The internal function name of the real ``n``-th root (letters only: ``realrootd`` for 3)."""
    return "realroot" + "".join("abcdefghij"[int(d)] for d in str(n))


#: ``\sqrt[n]{x}`` for odd n: the real root (``\sqrt[3]{-8} = -2``), not SymPy's principal one
ODD_ROOTS = tuple(range(3, 100, 2))
_KNOWN_FUNCTIONS.update({real_root_name(n): (lambda a, n=n: sp.real_root(a, n)) for n in ODD_ROOTS})

