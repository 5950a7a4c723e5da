"""LaTeX side of a step -> SymPy: the public entry of the checker's LaTeX reader.

A side goes through the reader in ``derive.check.latex``: pylatexenc's
``LatexWalker`` tokenizes it and ``tokens.normalise`` applies the macro rule
table (``latex.rules``: operators, decorations, labels, connectives, names);
``atoms`` cuts out what the checker must not look inside (*opaque atoms*: an
undefined function application keyed by the normalised source of its head,
``\\|x\\|_2``, ``\\mathbb{E}[X]``, ``y[n]``...) and ``names`` makes every
subscripted name one token; latex2sympy2_extended (``build``) reads the rest,
and ``Parser`` puts the symbols, atoms and definitions of the document back.

Nothing here evaluates text.  Hostile input is bounded *before* SymPy sees it:
a side longer than ``MAX_CHARS``, nested deeper than ``MAX_DEPTH``, or with a
numeric exponent above ``MAX_EXPONENT`` is rejected with a ``ParseError`` (and
so an ``unparsed`` verdict), because evaluating ``10^{10^{10^{10}}}`` cannot be
interrupted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

import sympy as sp
from sympy.core.function import AppliedUndef

from ..domains import POSITIVE_INTEGER, REAL, Domain
from .latex.atoms import (_ATOM_HEADS, _CASES, _DIFF, _PLACEHOLDER, _group_integrals, _Opaque, _opaque_pass,
                          _split_circ, _split_sum, _substacks)
from .latex.build import (_KNOWN_FUNCTIONS, INTEGER_FUNCTIONS, Hadamard, ReLU, ReLUPrime, _check_size, _convert, _error,
                          _function, entrywise, finish, stack_blocks)
from .latex import events
from .latex.evalbar import evaluate as _evaluate_bar, final_bar, invisible_delimiters
from .latex.fast import fast_read
from .latex.piecewise import piecewise_side
from .latex.matrices import MatrixShape, mentions, read_matrix_side
from .latex.names import (_SPACED_PRODUCT, _TEXTUAL, NAME, MARKED, _letters, _names_pass, defined_function,
                          display_name, index_tokens, indexed_bases, source_key, subscript_indices, symbol_key)
from .latex.scan import (MAX_CHARS, MAX_DEPTH, MAX_EXPONENT, _COMMA, ParseError, _depth, _has_top_bar,
                         _matching, _scan, _subscript_commas, _top_split)
from .latex.rules import unknown_macros
from .latex.rewrite import (_BARE_DIM, _BARE_FUNCTION, _BARE_OPERATOR, _I_UNIT, _IDENTITY, _PRIMED, _RANGE, _RATIO, _REWRITES,
                            _brace_arguments, _open_sums, _real_roots, double_factorials,
                            repeating_decimals)
from .latex.tokens import normalise
from .latex.calculus import _change_of_base, _differentiate
from ..verify.onesided import kinky, mark

#: a transpose in an atom's argument (``W^T W``), and the heads the expectation algebra reads anyway
_TRANSPOSED = re.compile(r"\^\s*(?:\{\s*)?(?:T|\\top|\\intercal)(?![A-Za-z])")
_ALGEBRA_HEADS = frozenset({"Var", "Cov", "E", "Std", "mathbbE"})


@dataclass
class Context:
    """What parsing needs to know about a document.

    ``domains`` maps a symbol key to its declared domain, ``functions`` a function
    name to a ``Lambda`` (from ``define``), ``indexed`` names arrays, and ``names`` collects the display
    spelling of every symbol met, for counterexamples.
    """

    domains: dict[str, Domain] = field(default_factory=dict)
    functions: dict[str, sp.Lambda] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    #: bases of indexed values (``g`` when ``g_{i}`` appears under ``\\sum_{i}``):
    #: every ``g_{...}`` is then the entry ``g[...]``, on both sides of every step
    indexed: set[str] = field(default_factory=set)
    #: heads of opaque atoms (norms, RMS, expectations): never user functions
    atom_heads: set[str] = field(default_factory=set)
    #: names the document defines as functions (``p(x) = ...``): ``p(2 x)`` is an application
    function_names: set[str] = field(default_factory=set)
    _symbols: dict[str, sp.Symbol] = field(default_factory=dict)

    def symbol(self, raw: str) -> Any:
        """The symbol of a written name (a ``MatrixSymbol`` for a declared matrix)."""
        key = symbol_key(raw)
        if key not in self._symbols:
            dom = self.domains.get(key, REAL)
            if isinstance(dom, MatrixShape):
                size = [int(d) if d.isdigit() else self.symbol(d) for d in (dom.rows, dom.cols)]
                self._symbols[key] = sp.MatrixSymbol(key, *size)
            else:
                self._symbols[key] = dom.symbol(key)
            self.names.setdefault(key, display_name(raw))
        return self._symbols[key]

    def matrices(self) -> dict[str, MatrixShape]:
        """Declared matrices: symbol key -> shape."""
        return {k: d for k, d in self.domains.items() if isinstance(d, MatrixShape)}

    def declared(self) -> dict[sp.Symbol, Domain]:
        """Declared scalar domains (matrices are typed by their ``MatrixSymbol``)."""
        return {self.symbol(k): d for k, d in self.domains.items() if not isinstance(d, MatrixShape)}


#: ReLU(\begin{pmatrix}..), ReLU'(..) of a written vector: entry by entry (the matrix reader), never one name
_RELU_OF_MATRIX = re.compile(r"\\mathrm\{(?:ReLUprime|ReLU|relu)\}\s*\(\s*\\begin\s*\{[a-zA-Z]*matrix\}")


class Parser:
    """Parses sides of steps within one document's ``Context``."""

    def __init__(self, ctx: Context | None = None) -> None:
        self.ctx = ctx or Context()

    def parse(self, text: str) -> Any:
        """A side (expression or matrix) as SymPy; raises ``ParseError``."""
        text = text.strip()
        if not text:
            raise ParseError("empty side")
        if len(text) > MAX_CHARS:
            raise ParseError(f"side too long ({len(text)} characters, limit {MAX_CHARS})")
        depth = _depth(text)
        if depth > MAX_DEPTH:
            raise ParseError(f"nested too deeply (depth {depth}, limit {MAX_DEPTH})")
        if "\\begin" in text:
            cases = piecewise_side(text, self.parse)     # \begin{cases}, \{\begin{array}: a Piecewise
            if cases is not None:
                return cases
        if "\\overline" in text or "\\bar" in text:
            text = repeating_decimals(text)     # 0.\overline{3} = 1/3
        text = normalise(invisible_delimiters(text))
        bar = final_bar(text)       # F|_{x=a}: F read (differentiated) first, then evaluated
        if bar is not None:
            return _evaluate_bar(bar, self.parse)
        if events.mentions(text):     # P(A \cup B): probabilities of events (latex/events.py)
            got = events.read(text, self.parse, self.ctx.symbol, set(self.ctx.functions) | set(self.ctx.matrices()))
            if got is not None:
                return got
        for pat, rep in _REWRITES:
            text = re.sub(pat, rep, text)
        if _BARE_DIM.search(text):
            raise ParseError("\\dim is read before a name or in parentheses only")
        text = _BARE_OPERATOR.sub(r"\\mathrm{\1}(", text)
        text = _BARE_FUNCTION.sub(lambda m: "\\%s(" % ("ln" if m.group(1) == "log" else m.group(1)), text)
        if "!" in text:
            text = double_factorials(text)      # 5!! = 15, not (5!)!
        if "\\sqrt" in text and "[" in text:
            text = _real_roots(text)
        if "\\sum" in text:
            text = _open_sums(text)
        if ":" in text:
            ratio = _RATIO.fullmatch(text)
            if not ratio:
                raise ParseError("':' is read only as a ratio of two numbers (12:6), not here", text.index(":"))
            text = "\\frac{%s}{%s}" % ratio.groups()   # 12:6 = 2:1; 12:00 has no value (12/0)
        matrices = self.ctx.matrices()
        if (matrices and (mentions(text, matrices) or _IDENTITY.fullmatch(text))) or _RELU_OF_MATRIX.search(text):
            expr = read_matrix_side(text, self.ctx.symbol, self._literal, self._identity)
            _check_size(expr)
            return expr
        return self._plain(text)

    def _literal(self, text: str) -> Any:
        """A piece of a matrix side without declared matrices (a ``pmatrix``)."""
        return self._plain(text)

    def _identity(self, raw: str) -> Any:
        """``I`` (or ``I_n``) beside declared matrices: the identity of their size."""
        m = re.fullmatch(r"I\s*_\s*\{?\s*(\w+)\s*\}?", raw)
        if m:
            size = m.group(1)
            return sp.Identity(int(size) if size.isdigit() else self.ctx.symbol(size))
        square = [d for d in self.ctx.matrices().values() if d.rows == d.cols]
        dim = (square or list(self.ctx.matrices().values()))[0].rows
        return sp.Identity(int(dim) if dim.isdigit() else self.ctx.symbol(dim))

    def _plain(self, text: str) -> Any:
        """A side without declared matrices, through latex2sympy (plain algebra: ``fast_read``)."""
        quick = fast_read(text, self.ctx.symbol, self._function_names(), self.ctx.indexed)
        if quick is not None:
            _check_size(quick)
            return quick
        text = _I_UNIT.sub(r"\\mathit{I}", text)
        text = _brace_arguments(text)
        text = _substacks(text)
        if "\\int" in text:
            text = _group_integrals(text)
        if re.search(r"\\circ(?![A-Za-z])", text):
            terms = _split_sum(text)
            if len(terms) > 1 and any(len(_split_circ(t)) > 1 for _, t in terms):
                out = None      # a sum of Hadamard products: each term on its own
                for sign, t in terms:
                    value = self.parse(t)
                    value = -value if sign == "-" else value
                    out = value if out is None else out + value
                return out
        factors = _split_circ(text)
        if len(factors) > 1:
            out = self.parse(factors[0])
            for f in factors[1:]:
                out = Hadamard(out, self.parse(f))
            return out
        text = _SPACED_PRODUCT.sub(self._spaced_product, text)
        found: list[_Opaque] = []
        rewritten, names = _names_pass(_opaque_pass(text, found, self._function_names()))
        try:
            raw = _convert(_subscript_commas(rewritten))
        except RecursionError:
            raise ParseError("nested too deeply") from None
        except Exception as exc:  # noqa: BLE001 - the parser raises bare Exception
            if "Mix of Matrix and Scalar" in str(exc):
                return self._terms(text)
            unknown = unknown_macros(text)
            if unknown:
                raise ParseError("unknown macro " + ", ".join("\\" + u for u in unknown[:3])) from None
            raise _error(exc, text) from None
        if isinstance(raw, (list, tuple, dict, sp.Set, sp.And, sp.Or, sp.Not, sp.logic.boolalg.BooleanAtom)):
            if re.search(r"\\(?:pm|mp)(?![A-Za-z])", text):
                raise ParseError("\\pm is read in a conclusion (x^2 = 4 \\Rightarrow x = \\pm 2), not in a side")
            raise ParseError("not an expression")
        if isinstance(raw, sp.core.relational.Relational):
            raise ParseError("unexpected relation inside a side")
        atoms: dict[str, Any] = {}
        for k, op in enumerate(found):
            atoms[_PLACEHOLDER % k] = self._atom(op)
        for k, (base, sub) in enumerate(names):
            atoms["math{Zz%s}" % _letters(k)] = self._name(base, sub, atoms)
        expr = self._post(raw, atoms)
        _check_size(expr)
        return expr

    def _terms(self, text: str) -> Any:
        """A sum of matrix and scalar terms, each parsed on its own: a 1x1 matrix
        beside scalars is its entry (``x^T y + b``)."""
        terms = _split_sum(text)
        if len(terms) < 2:
            raise ParseError("a matrix where a scalar is expected")
        values = []
        for sign, t in terms:
            v = self._plain(t)
            if isinstance(v, sp.MatrixBase) and v.shape == (1, 1):
                v = v[0, 0]
            if isinstance(v, sp.MatrixBase):
                raise ParseError("a matrix plus a scalar")
            values.append(-v if sign == "-" else v)
        return sp.Add(*values)

    def _function_names(self) -> set[str]:
        return set(self.ctx.functions) | self.ctx.function_names

    def _spaced_product(self, m: re.Match) -> str:
        # ``d_{out} \\left(x\\right)`` is a product; ``f(x)`` (no space), a defined
        # function and an atom head (``D_{KL} (P \\| Q)``) are applications.
        head = m.group(1)
        if symbol_key(head) in self._function_names() or (_ATOM_HEADS.match(head) and "_" in head):
            return m.group(0)
        return head + " \\cdot ("

    def _name(self, base: str, sub: str, atoms: Mapping[str, Any]) -> Any:
        """A subscripted name: an opaque atom, an indexed entry or one symbol."""
        if not sub:                 # a marked name without subscript (L^{+})
            return self.ctx.symbol(base)
        raw = f"{base}_{sub}"
        if raw in atoms:            # a placeholder of the opaque pass
            return atoms[raw]
        pieces = subscript_indices(sub)
        if symbol_key(base) in self.ctx.indexed and not _TEXTUAL.search(sub) and pieces[0] != "prime":
            try:
                idx = [self.parse(i) for i in pieces]
            except ParseError:
                idx = []
            if idx and all(isinstance(i, sp.Expr) for i in idx):
                return sp.IndexedBase(self.ctx.symbol(base))[tuple(idx)]
        return self.ctx.symbol(raw)

    def _atom(self, op: _Opaque) -> sp.Expr:
        if op.head == _DIFF:
            got = self._partial(*op.args)
            if got is not None:
                return got
            op = _Opaque(op.key, op.key, [])
        if op.head == _CASES:       # \lim_{x \to 0^+} \begin{cases} ... \end{cases}: never a name
            return piecewise_side(op.args[0], self.parse)
        args = []
        if op.head not in _ALGEBRA_HEADS and any(_TRANSPOSED.search(a) for a in op.args):
            # \text{cost}(W^T W): the plain reader makes W^T W and W W^T both W^2, so the
            # argument is kept as written (the atom's key), never merged with the other order
            return _function(op.key)()
        try:
            args = [self.parse(a) for a in op.args if a]
            fn = self.ctx.functions.get(op.head)
            if len(args) == 1 and isinstance(args[0], sp.MatrixBase) and fn is not None and len(fn.variables) == 1:
                return sp.ImmutableMatrix(args[0].applyfunc(fn))     # sigma(W v + b): entry by entry
            if any(isinstance(a, sp.MatrixBase) for a in args):
                args = []
        except ParseError:
            args = []
        name = op.head if args else op.key
        if name not in self._function_names():
            self.ctx.atom_heads.add(name)
        return _function(name)(*args)

    def _partial(self, variables: str, operand: str, order: str = "1") -> sp.Expr | None:
        """``\\frac{\\partial^2}{\\partial x \\partial y} f``: f differentiated (``None``: left an atom),
        only where the operand shows its dependence on every variable (y_{ij} does not)."""
        wrt = []
        for piece in variables.split("\\partial"):
            m = re.fullmatch(r"\s*(.+?)\s*(?:\^\s*(?:\{\s*(\d)\s*\}|(\d)))?\s*", piece)
            if not m:
                return None
            try:
                var = self.parse(m.group(1))
            except ParseError:
                return None
            wrt += [var] * int(m.group(2) or m.group(3) or 1)
        try:
            body = self.parse(operand)
        except ParseError:
            return None
        if len(wrt) != int(order) or len(wrt) > 4 or not isinstance(body, sp.Expr) \
                or not all(isinstance(v, (sp.Symbol, sp.Indexed)) and body.has(v) for v in wrt):
            return None
        if len(set(wrt)) == 1 and isinstance(wrt[0], sp.Symbol) and kinky(body, wrt[0]):
            return mark(body, wrt[0], len(wrt), wrt[0])       # at a point: from both sides
        with sp.evaluate(True):     # also when the side is read unevaluated (no log(x) * 0 terms)
            return sp.diff(body, *wrt)

    def _post(self, raw: Any, atoms: Mapping[str, Any]) -> Any:
        if isinstance(raw, sp.MatrixBase):
            return sp.ImmutableMatrix(raw.applyfunc(lambda e: self._post(e, atoms)))
        if isinstance(raw, sp.MatrixExpr):
            return self._post(sp.ImmutableMatrix(raw.doit().as_explicit()), atoms)
        if not isinstance(raw, sp.Basic):
            raise ParseError("not an expression")
        expr = raw
        if expr.has(sp.MatrixExpr):
            expr = entrywise(expr)      # exp of a vector is entry by entry, not the matrix exponential
            if isinstance(expr, sp.MatrixBase):
                return self._post(expr, atoms)
            expr = expr.doit()
            if isinstance(expr, sp.MatrixBase):
                return self._post(expr, atoms)
        mapping: dict[sp.Basic, sp.Basic] = {}
        for s in expr.atoms(sp.Symbol):     # free and bound (sums, integrals)
            if s.name in ("+", "-", "+-"):
                continue                    # the side of a one-sided limit, no name
            if s.name in atoms:
                mapping[s] = atoms[s.name]
            elif s.name.startswith("math{" + _RANGE) and len(s.name) == len(_RANGE) + 7:
                mapping[s] = sp.Symbol("|%s|" % s.name[-2], integer=True, positive=True)
            elif s.name == "math{I}":
                mapping[s] = self.ctx.symbol("I")       # never the imaginary unit
            else:
                mapping[s] = self.ctx.symbol(s.name.replace(_COMMA, ","))
        expr = expr.xreplace(mapping)
        floats = {f: sp.Rational(str(f)) for f in expr.atoms(sp.Float)}
        if floats:
            expr = expr.xreplace(floats)
        expr = expr.replace(lambda e: isinstance(e, sp.log) and len(e.args) == 2, _change_of_base)
        expr = expr.replace(lambda e: isinstance(e, AppliedUndef), lambda e: self._apply(e, atoms))
        if expr.has(sp.Derivative):
            expr = expr.replace(lambda e: isinstance(e, sp.Derivative), _differentiate)
        return expr

    def _apply(self, e: AppliedUndef, atoms: Mapping[str, Any] | None = None) -> sp.Expr:
        name = symbol_key(e.func.__name__) if e.func.__name__.startswith("\\") else e.func.__name__
        token = atoms.get(f"math{{{name}}}") if atoms and name.startswith("Zz") else None
        if isinstance(token, sp.Symbol):        # f_{t}(x): a subscripted function name
            name = token.name
        if name in self.ctx.functions and len(self.ctx.functions[name].variables) == len(e.args):
            return self.ctx.functions[name](*e.args)
        primed = _PRIMED.fullmatch(name)
        if primed and primed.group(1) in self.ctx.functions and len(e.args) == 1 \
                and len(self.ctx.functions[primed.group(1)].variables) == 1:
            # f'(x), f''(1) of a defined f: its derivative there, never a fresh function f_prime
            fn = self.ctx.functions[primed.group(1)]
            t = fn.variables[0]
            if kinky(fn.expr, t):       # f'(0) of f(x) = |x|: from both sides (verify/onesided.py)
                return mark(fn.expr, t, primed.group(2).count("prime"), e.args[0])
            with sp.evaluate(True):     # read unevaluated (divisions' domain check), d(s^3)/ds has a log(s) * 0
                return sp.diff(fn.expr, t, primed.group(2).count("prime")).subs(t, e.args[0])
        if name in _KNOWN_FUNCTIONS and len(e.args) == 1:
            return _KNOWN_FUNCTIONS[name](e.args[0])
        if name in INTEGER_FUNCTIONS and len(e.args) >= 2:
            return INTEGER_FUNCTIONS[name](*e.args)      # \gcd, \lcm of integers (never SymPy's polynomial gcd)
        if name != e.func.__name__ or not getattr(e.func, "_kwargs", None):
            return _function(name)(*e.args)
        return e


__all__ = ["Parser", "Context", "ParseError", "symbol_key", "source_key", "display_name", "POSITIVE_INTEGER",
           # re-exported for the extractor, the directives and the judge
           "finish", "entrywise", "stack_blocks", "ReLU", "ReLUPrime", "Hadamard", "NAME", "MARKED",
           "defined_function", "index_tokens", "indexed_bases", "subscript_indices", "MAX_CHARS", "MAX_DEPTH",
           "MAX_EXPONENT", "_has_top_bar", "_scan", "_top_split", "_matching", "normalise"]
