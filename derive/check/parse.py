"""LaTeX side of a step -> SymPy, through latex2sympy2_extended.

The parser is configured as the issue asks: case preserved, ``\\log`` and ``\\ln``
natural, ``e`` Euler's number, a subscripted name one symbol.  What it cannot
read, or what the checker must not look inside, becomes an *opaque atom*: an
undefined function application keyed by the normalised source of its head
(``\\|x\\|_2``, ``\\mathcal{N}(x | \\mu, \\sigma^2)``, ``D_{KL}(P \\| Q)``,
``\\mathbb{E}[X]``, ``y[n]``...) whose arguments are parsed when they can be, so
the same atom cancels on both sides and integrals over its argument still work.

Hostile input is bounded *before* SymPy sees it: a side longer than
``MAX_CHARS``, nested deeper than ``MAX_DEPTH``, or with a numeric exponent above
``MAX_EXPONENT`` is rejected with a ``ParseError`` (and so an ``unparsed``
verdict), because evaluating ``10^{10^{10^{10}}}`` cannot be interrupted.
"""
from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass, field
from typing import Any, Collection, Iterator, Mapping

import sympy as sp
from sympy.core.function import AppliedUndef

from ..domains import POSITIVE_INTEGER, REAL, Domain

MAX_CHARS = 6000
MAX_DEPTH = 40
MAX_EXPONENT = 10_000

#: Heads of opaque atoms whose values are never negative.
_NONNEGATIVE_HEADS = ("norm", "RMS", "Var", "Std", "KL", "D_KL", "rank")


class ParseError(Exception):
    """A side could not be parsed; ``column`` is 0-based within the side."""

    def __init__(self, message: str, column: int = 0) -> None:
        super().__init__(message)
        self.column = column


def symbol_key(raw: str) -> str:
    """Normalised name of a symbol: ``d_{\\mathrm{in}}`` and ``d_{in}`` are both ``d_in``."""
    s = re.sub(r"\\(mathrm|mathit|text|operatorname|mathbf|bm|boldsymbol|mathsf|textrm)\s*", "", raw)
    s = s.replace("\\", "").replace("{", "").replace("}", "").replace(" ", "")
    m = re.fullmatch(r"hat([A-Za-z]+)(?:_(\w+))?", s)
    if m:
        s = f"{m.group(1)}{m.group(2) or ''}_hat"
    return s


def source_key(text: str) -> str:
    """Normalised source of an opaque construct (spacing and sizing removed)."""
    s = re.sub(r"\\(left|right|middle|big|Big|bigg|Bigg)(?![A-Za-z])", "", text)
    s = re.sub(r"(?<!\\)\\[,;:! ]", "", s)
    s = s.replace(r"\lVert", r"\|").replace(r"\rVert", r"\|").replace(r"\Vert", r"\|")
    s = re.sub(r"\\operatorname\s*\{", r"\\mathrm{", s)
    return re.sub(r"\s+", "", s)


_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
          "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi",
          "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma",
          "Phi", "Psi", "Omega", "ell"}


def display_name(raw: str) -> str:
    """LaTeX-ish spelling of a parsed symbol for messages (``beta_1`` -> ``\\beta_1``)."""
    head = re.match(r"[A-Za-z]+", raw)
    if head and head.group(0) in _GREEK and not raw.startswith("\\"):
        return "\\" + raw
    return raw


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

    def symbol(self, raw: str) -> sp.Symbol:
        key = symbol_key(raw)
        if key not in self._symbols:
            dom = self.domains.get(key, REAL)
            self._symbols[key] = dom.symbol(key)
            self.names.setdefault(key, display_name(raw))
        return self._symbols[key]

    def declared(self) -> dict[sp.Symbol, Domain]:
        return {self.symbol(k): d for k, d in self.domains.items()}


# --------------------------------------------------------------------------- #
# Source rewriting before latex2sympy
# --------------------------------------------------------------------------- #

_REWRITES: tuple[tuple[str, str], ...] = (
    (r"\\log(?![A-Za-z])", r"\\ln"),
    (r"\\[dt]frac(?![A-Za-z])", r"\\frac"),
    (r"\^\s*\{\s*\\(top|intercal|mathsf\{T\}|mathrm\{T\})\s*\}|\^\s*\\(top|intercal)(?![A-Za-z])", "^T"),
    (r"\\(?:operatorname|mathrm)\s*\{\s*(?:ReLU|relu)\s*\}\s*(?:'|\^\s*\{\s*\\prime\s*\})", r"\\mathrm{ReLUprime}"),
    (r"\\operatorname\s*\{", r"\\mathrm{"),
    (r"\\lVert|\\rVert|\\Vert(?![A-Za-z])", r"\\|"),
    (r"\\theta\s*(?:\\left\s*)?\(", r"\\mathrm{theta}("),
    (r"(?<![\\A-Za-z])([A-Za-z])'\s*_\s*\{([^{}]*)\}", r"\1_{prime,\2}"),
    (r"(?<![\\A-Za-z])([A-Za-z])'", r"\1_{prime}"),
    (r"\\(no)?limits(?![A-Za-z])", " "),
    (r"\\(left|right|middle|bigl|bigr|Bigl|Bigr|big|Big|bigg|Bigg)(?![A-Za-z])", ""),
    (r"(?<!\\)\\[,;:! ]", " "),
    (r"\\(cdotp|centerdot)(?![A-Za-z])", r"\\cdot"),
    (r"\\(mathrm|text)\s*\{\s*d\s*\}\s*([A-Za-z])", r"d\2"),
    (r"\\exp\s*\(", r"\\exp("),
)


_FUNC_BRACE = re.compile(r"\\(ln|sin|cos|tan|exp|tanh|sinh|cosh|arctan|arcsin|arccos)\s*\{")


_NAMED_BRACE = re.compile(r"(\\mathrm\s*\{[A-Za-z]+\})\s*\{(?=\s*\()")


def _brace_arguments(text: str) -> str:
    """``\\ln{(x)} y`` -> ``\\ln((x)) y``: a braced argument must not swallow what follows.

    ``\\operatorname{cost}{(x)}`` (as the printer writes a named function) -> ``\\mathrm{cost}(x)``.
    """
    pos = 0
    while True:
        m = _NAMED_BRACE.search(text, pos)
        if not m:
            break
        open_ = m.end() - 1
        close = _matching(text, open_)
        if close < 0 or not text[open_ + 1:close].strip().endswith(")"):
            pos = m.end()
            continue
        text = text[:open_] + text[open_ + 1:close] + text[close + 1:]
        pos = m.start() + 1
    while True:
        m = _FUNC_BRACE.search(text)
        if not m:
            return text
        open_ = m.end() - 1
        close = _matching(text, open_)
        if close < 0:
            return text
        text = text[:open_] + "(" + text[open_ + 1:close] + ")" + text[close + 1:]


_COMMA = "QC"


def _subscript_commas(text: str) -> str:
    """``x_{1,2}`` -> ``x_{1QC2}``: a comma in a subscript must not split a function's arguments."""
    out, i = [], 0
    while True:
        j = text.find("_{", i)
        if j < 0:
            out.append(text[i:])
            return "".join(out)
        close = _matching(text, j + 1)
        if close < 0:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:j + 2] + text[j + 2:close].replace(",", _COMMA))
        i = close


def _depth(text: str) -> int:
    depth = best = 0
    for c in text:
        if c in "{([":
            depth += 1
            best = max(best, depth)
        elif c in "})]":
            depth -= 1
    return best


def _matching(text: str, i: int) -> int:
    """Index of the bracket closing ``text[i]`` (``(``, ``[`` or ``{``), or -1."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = [pairs[text[i]]]
    j = i + 1
    while j < len(text):
        c = text[j]
        if c == "\\":
            j += 2
            continue
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")]}":
            if c != stack[-1]:
                return -1
            stack.pop()
            if not stack:
                return j
        j += 1
    return -1


def _scan(text: str, environments: bool = False) -> Iterator[tuple[int, str, int]]:
    """``(index, token, depth)`` for every token of ``text``.

    A token is a backslash with the next character (``\\|``, ``\\c`` of
    ``\\circ``...) or one character; ``depth`` is the bracket depth outside it
    (braces, brackets, parentheses, and ``\\begin``/``\\end`` when
    ``environments``). The one scanner behind every top-level split below.
    """
    depth, i = 0, 0
    while i < len(text):
        if text[i] == "\\":
            yield i, text[i:i + 2], depth
            if environments and text.startswith("\\begin", i):
                depth += 1
            elif environments and text.startswith("\\end", i):
                depth -= 1
            i += 2
            continue
        c = text[i]
        if c in "})]":
            depth -= 1
        yield i, c, depth
        if c in "{([":
            depth += 1
        i += 1


def _top_split(text: str, seps: str = ",;|", norm_bars: bool = True) -> list[str]:
    """Split at top-level ``seps`` (and ``\\|`` when ``norm_bars``), not inside
    braces, brackets or parentheses; escaped characters never split."""
    out, start = [], 0
    for i, tok, depth in _scan(text):
        if depth == 0 and (tok in seps or (norm_bars and tok == "\\|")):
            out.append(text[start:i])
            start = i + len(tok)
    out.append(text[start:])
    return [p.strip() for p in out]


def _has_top_bar(text: str) -> bool:
    """A conditional bar ``|`` at the top level (``\\|`` is a norm, not a bar)."""
    return any(tok == "|" and depth == 0 for _, tok, depth in _scan(text))


_SUBSTACK = re.compile(r"\\(sum|prod)\s*_\s*\{\s*\\substack\s*\{")
_RANGE = re.compile(r"^\s*(.+?)\s*(?:\\leq?|<=)\s*([A-Za-z](?:_\{?\w+\}?)?)\s*(?:\\leq?|<=)\s*(.+?)\s*$")


def _substacks(text: str) -> str:
    """``\\sum_{\\substack{1 \\le j \\le a\\\\ 1 \\le i \\le b}}`` -> ``\\sum_{j=1}^{a} \\sum_{i=1}^{b}``."""
    while True:
        m = _SUBSTACK.search(text)
        if not m:
            return text
        inner_open = m.end() - 1
        inner_close = _matching(text, inner_open)
        outer_close = _matching(text, text.index("{", m.start()))
        if inner_close < 0 or outer_close < 0:
            return text
        ranges = [_RANGE.match(r) for r in text[inner_open + 1:inner_close].split("\\\\")]
        if not all(ranges):
            raise ParseError("cannot read the range of a \\substack")
        op = "\\" + m.group(1)
        nested = " ".join(f"{op}_{{{r.group(2)}={r.group(1)}}}^{{{r.group(3)}}}" for r in ranges if r)
        text = text[:m.start()] + nested + " " + text[outer_close + 1:]


_INT = re.compile(r"\\int(?![A-Za-z])")
_DIFFERENTIAL = re.compile(r"(?<![A-Za-z\\])d[A-Za-z](?![A-Za-z])")


def _differential_end(text: str, i: int) -> int:
    """End of the differential closing the integral whose body starts at ``i`` (or -1)."""
    depth = 0
    while i < len(text):
        c = text[i]
        if depth == 0:
            m = _INT.match(text, i)
            if m:                          # a nested integral closes first
                inner = _differential_end(text, m.end())
                if inner < 0:
                    return -1
                i = inner
                continue
            m = _DIFFERENTIAL.match(text, i)
            if m:
                return m.end()
        if c == "\\":
            i += 2
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
            if depth < 0:
                return -1
        i += 1
    return -1


def _group_integrals(text: str) -> str:
    """``\\int f dx + 2 \\int g dx`` -> ``(\\int f dx) + 2 (\\int g dx)``.

    latex2sympy extends an integrand to the *last* differential of the side, so
    a sum of integrals would become one integral; each is closed by its own.
    """
    out, i = [], 0
    while True:
        m = _INT.search(text, i)
        if not m:
            out.append(text[i:])
            return "".join(out)
        end = _differential_end(text, m.end())
        if end < 0:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:m.start()] + "(" + text[m.start():end] + ")")
        i = end


def _operand_end(text: str, i: int) -> int:
    """End of the operand of a derivative operator: the next top-level ``+``/``-``/``\\circ``."""
    depth, j = 0, i
    started = False
    while j < len(text):
        c = text[j]
        if c == "\\":
            if depth == 0 and started and text.startswith("\\circ", j):
                return j
            if text.startswith("\\begin", j):
                depth += 1
            elif text.startswith("\\end", j):
                depth -= 1
            j += 2
            started = True
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            if depth == 0:
                return j
            depth -= 1
        elif c in "+-" and depth == 0 and started:
            return j
        if not c.isspace():
            started = True
        j += 1
    return j


def _partial(text: str, i: int) -> tuple[int, str] | None:
    """``\\frac{\\partial L}{\\partial w}`` or ``\\frac{\\partial}{\\partial w} y`` at ``i``: (end, source)."""
    m = re.compile(r"\\frac\s*\{\s*\\partial").match(text, i)
    if not m:
        return None
    num_open = text.index("{", i)
    num_close = _matching(text, num_open)
    if num_close < 0:
        return None
    k = num_close + 1
    while k < len(text) and text[k].isspace():
        k += 1
    if k >= len(text) or text[k] != "{":
        return None
    den_close = _matching(text, k)
    if den_close < 0:
        return None
    end = den_close + 1
    numerator = text[num_open + 1:num_close].replace("\\partial", "").strip()
    if not numerator or re.fullmatch(r"\^\s*\{?\s*\d+\s*\}?", numerator):
        end = _operand_end(text, end)      # an operator: it applies to the rest of the term
    return end, text[i:end]


def _split_circ(text: str) -> list[str]:
    """Factors of a side that is a Hadamard product ``a \\circ b`` (else ``[text]``)."""
    parts, start = [], 0
    for i, tok, depth in _scan(text, environments=True):
        if depth != 0:
            continue
        if tok == "\\c" and re.match(r"\\circ(?![A-Za-z])", text[i:]):
            parts.append(text[start:i])
            start = i + 5
        elif tok in "+-" and text[:i].strip():
            return [text]       # a sum of products: leave it to the parser
    parts.append(text[start:])
    return parts if len(parts) > 1 and all(p.strip() for p in parts) else [text]


def _split_sum(text: str) -> list[tuple[str, str]]:
    """Top-level terms of a side with their signs: ``a \\circ b - c`` -> [("+", ``a \\circ b``), ("-", ``c``)].

    A ``+``/``-`` right after an operator (``x^-1``, ``a \\cdot -b``) is a sign, not a split.
    """
    terms, start, sign = [], 0, "+"
    for i, tok, depth in _scan(text, environments=True):
        if depth != 0 or tok not in ("+", "-"):
            continue
        before = text[start:i].strip()
        if not before and not terms and not text[:i].strip():
            sign = tok                                # a leading sign
            start = i + 1
        elif before and not re.search(r"([-+^_*/=(]|\\(cdot|times|circ))$", before):
            terms.append((sign, before))
            sign, start = tok, i + 1
    terms.append((sign, text[start:].strip()))
    return terms


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


_SPACED_PRODUCT = re.compile(
    r"(?<![\\A-Za-z])((?:\\(?:" + "|".join(sorted(_GREEK, key=len, reverse=True)) + r")(?![A-Za-z])|[A-Za-z])"
    r"(?:\s*_\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\?[A-Za-z0-9]))?)\s+\(")


_HEAD = re.compile(
    r"(\\(?:mathbb|mathcal|mathrm|mathsf|mathbf|operatorname)\s*\{[^{}]*\}|\\[A-Za-z]+|[A-Za-z])"
    r"(\s*_\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\?[A-Za-z0-9]))?\s*$")

#: Heads that become atoms whatever their brackets hold.
_ATOM_HEADS = re.compile(r"^(\\mathbb\{[EPV]\}|\\mathrm\{(Var|Cov|Std|KL|RMS|rank|tr|Pr)\}|\\Pr|\\mathcal\{[A-Z]\}|D)")

_PLACEHOLDER = "Q_{zq%d}"


@dataclass
class _Opaque:
    key: str
    head: str
    args: list[str]


_OPERATOR = re.compile(r"\\frac\s*\{\s*\\partial\s*\}\s*\{\s*\\partial")


def _operator(src: str) -> tuple[str, str] | None:
    """``\\frac{\\partial}{\\partial x} f`` -> (``x``, ``f``); None for ``\\frac{\\partial L}{\\partial x}``."""
    m = _OPERATOR.match(src)
    if not m:
        return None
    open_ = src.index("{", src.index("}", m.start()))
    close = _matching(src, open_)
    if close < 0 or not src[close + 1:].strip():
        return None
    return src[m.end():close].strip(), src[close + 1:]
_DIFF = "\\partial"


def _opaque_pass(text: str, found: list[_Opaque], functions: Collection[str] = ()) -> str:
    """Replace norms and atom-like applications by placeholder symbols.

    An application of a defined function (``\\sigma(2 x)``) is kept together here,
    since latex2sympy reads ``f(2 x)`` as a product.
    """
    out = []
    i = 0
    while i < len(text):
        if text.startswith("\\begin{cases}", i):
            close = text.find("\\end{cases}", i)
            if close > 0:
                end = close + len("\\end{cases}")
                found.append(_Opaque(source_key(text[i:end]), source_key(text[i:end]), []))
                out.append(" " + _PLACEHOLDER % (len(found) - 1) + " ")
                i = end
                continue
        if text[i] == "(":
            close = _matching(text, i)
            sub = re.match(r"\s*_\s*(\{[^{}]*\}|\\?[A-Za-z0-9])", text[close + 1:]) if close > 0 else None
            if sub:     # (y_2)_n: a subscripted group names one value
                end = close + 1 + sub.end()
                found.append(_Opaque(source_key(text[i:end]), source_key(text[i:end]), []))
                out.append(" " + _PLACEHOLDER % (len(found) - 1) + " ")
                i = end
                continue
        if text.startswith("\\frac", i):
            got = _partial(text, i)
            if got:
                end, src = got
                op = _operator(src)
                if op:                             # d/dx applied to an expression: differentiate it
                    found.append(_Opaque(source_key(src), _DIFF, list(op)))
                else:
                    found.append(_Opaque(source_key(src), source_key(src), []))
                out.append(" " + _PLACEHOLDER % (len(found) - 1) + " ")
                i = end
                continue
        if text.startswith("\\|", i):
            close = _norm_close(text, i + 2)
            if close > 0:
                end = close + 2
                m = re.match(r"\s*_\s*(\{[^{}]*\}|\\?[A-Za-z0-9])", text[end:])
                sub = ""
                if m:
                    sub = m.group(1).strip("{}")
                    end += m.end()
                found.append(_Opaque(source_key(text[i:end]), "norm" + (f"_{symbol_key(sub)}" if sub else ""),
                                     [text[i + 2:close]]))
                out.append(" " + _PLACEHOLDER % (len(found) - 1) + " ")
                i = end
                continue
        c = text[i]
        if c in "([":
            close = _matching(text, i)
            prefix = "".join(out)
            hm = _HEAD.search(prefix)
            if close > 0 and hm:
                head = hm.group(0).strip()
                inner = text[i + 1:close]
                # a named operator (\\operatorname{RMS}) applies to its whole argument
                atom_head = bool(_ATOM_HEADS.match(head)) or head.startswith("\\mathrm{")
                applied = c == "(" and symbol_key(head) in functions
                if _has_top_bar(inner) or atom_head or applied or (c == "[" and not head.startswith("\\sqrt")):
                    found.append(_Opaque(source_key(head + text[i:close + 1]), symbol_key(head), _top_split(inner)))
                    out = [prefix[:hm.start()], " " + _PLACEHOLDER % (len(found) - 1) + " "]
                    i = close + 1
                    continue
        out.append(c)
        i += 1
    return "".join(out)


_ACCENTS = "hat|tilde|bar|vec|dot|ddot|check|breve|mathbf|boldsymbol|bm|mathit|mathsf"
_SUBSCRIPT = r"(\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}|\\[A-Za-z]+|[A-Za-z0-9])"
#: A subscripted name: a letter, a Greek letter or an accented letter, then ``_``.
NAME = re.compile(
    # not after a letter or a lone backslash (a row break ``\\\\`` may precede)
    r"(?<![A-Za-z])(?:(?<=\\\\)|(?<!\\))"
    r"((?:\\(?:" + _ACCENTS + r")\s*\{\s*(?:\\[A-Za-z]+|[A-Za-z])\s*\}"
    r"|\\(?:" + "|".join(sorted(_GREEK, key=len, reverse=True)) + r")(?![A-Za-z])|[A-Za-z])"
    # a marking superscript before the subscript: w^{+}_{1}, W^{(l)}_{ij}
    r"(?:\s*\^\s*\{\s*(?:[+*-]|\\star|\\prime|\(\w+\))\s*\})?)"
    r"\s*_\s*" + _SUBSCRIPT)
#: A name with a marking superscript and no subscript (``L^{+}``, ``w^{*}``):
#: one symbol, as with a subscript (the superscript is not a power).
MARKED = re.compile(
    r"(?<![A-Za-z\\])((?:\\(?:" + "|".join(sorted(_GREEK, key=len, reverse=True)) + r")(?![A-Za-z])|[A-Za-z])"
    r"\s*\^\s*\{\s*(?:[+*]|\\star|\\prime|\(\w+\))\s*\})(?!\s*_)")
#: Subscripts that name a variant (``d_{\mathrm{in}}``), never an index.
_TEXTUAL = re.compile(r"\\(mathrm|text|operatorname|textrm|mathsf)")
_NAME_TOKEN = "\\mathit{Zz%s}"


def _letters(k: int) -> str:
    """``k`` in base 26 letters: latex2sympy reads ``\\mathit{Zzab}`` as one symbol."""
    out = ""
    while True:
        out = chr(ord("a") + k % 26) + out
        k //= 26
        if not k:
            return out


def subscript_indices(sub: str) -> list[str]:
    """The comma-separated pieces of a subscript (braces removed)."""
    inner = sub[1:-1] if sub.startswith("{") else sub
    return _top_split(inner) if "," in inner else [inner.strip()]


def index_tokens(sub: str) -> set[str]:
    """Single-letter (or Greek) tokens of a subscript: candidates for bound indices."""
    if _TEXTUAL.search(sub):
        return set()
    return {symbol_key(t) for t in re.findall(r"\\[A-Za-z]+|(?<![A-Za-z\\])[A-Za-z](?![A-Za-z])", sub)}


_BOUND = re.compile(r"\\(?:sum|prod)\s*_\s*(?:\{\s*(\\?[A-Za-z]+)\s*(?:=|\\in\b|\})|(\\?[A-Za-z]+))"
                    r"|\\le(?:q)?\s*(\\?[A-Za-z]+)\s*\\le")


def indexed_bases(text: str) -> set[str]:
    """Keys of the names written with a summation index in their subscript.

    ``\\sum_{i=1}^{t} \\beta^{t-i} g_{i}`` makes ``g`` an array, so ``g_{t}``
    elsewhere is the entry ``g[t]`` and the sum can be split into its terms.
    """
    bound = {symbol_key(next(g for g in m.groups() if g)) for m in _BOUND.finditer(text)}
    bound -= {"infty"}
    return {symbol_key(m.group(1)) for m in NAME.finditer(text) if index_tokens(m.group(2)) & bound}


_FUNCTION_LHS = re.compile(
    r"\s*((?:\\(?:" + "|".join(sorted(_GREEK, key=len, reverse=True)) + r")(?![A-Za-z])|[A-Za-z])"
    r"(?:_\{[^{}]*\}|_[A-Za-z0-9])?)\s*\(\s*([^()]*?)\s*\)\s*")
_PLAIN_NAME = re.compile(r"\s*(?:\\hat\s*\{\s*)?(?:\\[A-Za-z]+|[A-Za-z])\s*\}?(?:_\{[^{}]*\}|_[A-Za-z0-9])?\s*")


def defined_function(lhs: str) -> str | None:
    """Key of ``f`` when a step's left side is ``f(x)`` / ``H(y_i, \\hat{y}_i)``: it defines f."""
    m = _FUNCTION_LHS.fullmatch(lhs)
    if not m or not m.group(2) or not all(_PLAIN_NAME.fullmatch(a) for a in _top_split(m.group(2))):
        return None
    return symbol_key(m.group(1))


def _names_pass(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Replace every subscripted name by one ``\\mathit`` token: (text, [(base, subscript)]).

    Subscripted names are the slow part of ANTLR's prediction (and one symbol or
    one indexed entry each), so the parser sees single tokens and ``Parser``
    builds the symbols itself.
    """
    names: list[tuple[str, str]] = []

    def token(m: re.Match) -> str:
        names.append((m.group(1), m.group(2)))
        return " " + _NAME_TOKEN % _letters(len(names) - 1) + " "

    def marked(m: re.Match) -> str:
        names.append((m.group(1), ""))
        return " " + _NAME_TOKEN % _letters(len(names) - 1) + " "

    return MARKED.sub(marked, NAME.sub(token, text)), names


def _norm_close(text: str, i: int) -> int:
    for j, tok, depth in _scan(text[i:]):
        if tok == "\\|" and depth == 0:
            return i + j
    return -1


# --------------------------------------------------------------------------- #
# latex2sympy and post-processing
# --------------------------------------------------------------------------- #

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

    return _Latex2Sympy(None, True, config=cfg), _SLL(None, True, config=cfg)


@functools.lru_cache(maxsize=8192)
def _convert_memo(text: str) -> tuple[bool, Any]:
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
    ok, value = _convert_memo(text)
    if not ok:
        raise value
    return value


def _error(exc: Exception, text: str) -> ParseError:
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
        elif isinstance(node, sp.factorial) and node.args[0].is_number:
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


class ReLUPrime(sp.Function):
    """ReLU', the step ``1[x > 0]`` (``ReLU'(0) = 0``), entry by entry on matrices."""

    @classmethod
    def eval(cls, x: Any) -> Any:
        if isinstance(x, sp.MatrixBase):
            return sp.ImmutableMatrix(x.applyfunc(lambda e: sp.Heaviside(e, 0)))
        if getattr(x, "is_number", False):
            return sp.Heaviside(x, 0)
        return None


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
}


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
        for pat, rep in _REWRITES:
            text = re.sub(pat, rep, text)
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
            raise _error(exc, text) from None
        if isinstance(raw, (list, tuple, dict, sp.Set, sp.And, sp.Or, sp.Not, sp.logic.boolalg.BooleanAtom)):
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
            try:
                var, operand = self.parse(op.args[0]), self.parse(op.args[1])
            except ParseError:
                var = operand = None
            # only where the operand shows its dependence on the variable (y_{ij} does not)
            if isinstance(var, (sp.Symbol, sp.Indexed)) and isinstance(operand, sp.Expr) and operand.has(var):
                return sp.diff(operand, var)
            op = _Opaque(op.key, op.key, [])
        args = []
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

    def _post(self, raw: Any, atoms: Mapping[str, Any]) -> Any:
        if isinstance(raw, sp.MatrixBase):
            return sp.ImmutableMatrix(raw.applyfunc(lambda e: self._post(e, atoms)))
        if isinstance(raw, sp.MatrixExpr):
            return self._post(sp.ImmutableMatrix(raw.doit().as_explicit()), atoms)
        expr = sp.sympify(raw)
        if expr.has(sp.MatrixExpr):
            expr = entrywise(expr)      # exp of a vector is entry by entry, not the matrix exponential
            if isinstance(expr, sp.MatrixBase):
                return self._post(expr, atoms)
            expr = expr.doit()
            if isinstance(expr, sp.MatrixBase):
                return self._post(expr, atoms)
        mapping: dict[sp.Basic, sp.Basic] = {}
        for s in expr.atoms(sp.Symbol):     # free and bound (sums, integrals)
            if s.name in atoms:
                mapping[s] = atoms[s.name]
            else:
                mapping[s] = self.ctx.symbol(s.name.replace(_COMMA, ","))
        expr = expr.xreplace(mapping)
        floats = {f: sp.Rational(str(f)) for f in expr.atoms(sp.Float)}
        if floats:
            expr = expr.xreplace(floats)
        expr = expr.replace(lambda e: isinstance(e, sp.log) and len(e.args) == 2,
                            lambda e: sp.log(e.args[0]) / sp.log(e.args[1]))
        expr = expr.replace(lambda e: isinstance(e, AppliedUndef), lambda e: self._apply(e, atoms))
        return expr

    def _apply(self, e: AppliedUndef, atoms: Mapping[str, Any] | None = None) -> sp.Expr:
        name = symbol_key(e.func.__name__) if e.func.__name__.startswith("\\") else e.func.__name__
        token = atoms.get(f"math{{{name}}}") if atoms and name.startswith("Zz") else None
        if isinstance(token, sp.Symbol):        # f_{t}(x): a subscripted function name
            name = token.name
        if name in self.ctx.functions and len(self.ctx.functions[name].variables) == len(e.args):
            return self.ctx.functions[name](*e.args)
        if name in _KNOWN_FUNCTIONS and len(e.args) == 1:
            return _KNOWN_FUNCTIONS[name](e.args[0])
        if name != e.func.__name__ or not getattr(e.func, "_kwargs", None):
            return _function(name)(*e.args)
        return e


__all__ = ["Parser", "Context", "ParseError", "symbol_key", "source_key", "display_name", "POSITIVE_INTEGER"]
