"""Text rewrites of a side before latex2sympy reads it (moved out of ``check/parse.py``).

Each rewrite turns something real working writes into what the reader reads: primes and
``^{T}``, bare operator words (``Var(x)``), bare functions (``cos(x)``), braced arguments
(``\\ln{(x)}``), sums without bounds, odd roots over the reals, ratios ``12:6``.
Nothing here evaluates text.
"""
from __future__ import annotations

import re

from .build import ODD_ROOTS, real_root_name
from .rules import OPERATORS
from .scan import ParseError, _matching

#: A bare ``I``: a name (a symbol, or the identity beside matrices), never the imaginary unit.
_I_UNIT = re.compile(r"(?<![\\A-Za-z{])I(?![A-Za-z_])")

#: ``12:6``: a ratio of two numbers, read as their quotient (the only ``:`` a side may hold).
_RATIO = re.compile(r"\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*")

#: A side that is only the identity (``I``, ``I_n``) beside declared matrices.
_IDENTITY = re.compile(r"\s*I\s*(?:_\s*(?:\{\s*\w+\s*\}|\w))?\s*")

#: What the tokenizer leaves to characters: primes, ``^{T}``, ``\\mathrm{d}x``.
#: the name of a derivative of a function: ``f_prime``, ``f_primeprime``, ``f^prime`` (``f^{\\prime}``)
_PRIMED = re.compile(r"([A-Za-z]|sigma|phi|psi)[_^]((?:prime){1,3})")
_REWRITES: tuple[tuple[str, str], ...] = (
    (r"\^\s*\{\s*(?:\\math(?:sf|rm|bf|it)\s*\{\s*T\s*\}|T)\s*\}", "^T"),
    # w_1^{\\text{new}}, x^{\\mathrm{ref}}: a word as superscript marks a name, it is no power
    (r"(?<![\\A-Za-z])([A-Za-z])\s*_\s*(?:\{([^{}]*)\}|([A-Za-z0-9]))\s*\^\s*\{\s*\\mathrm\{(\w{2,})\}\s*\}",
     r"\1_{\2\3,\\mathrm{\4}}"),
    (r"(?<![\\A-Za-z])([A-Za-z])\s*\^\s*\{\s*\\mathrm\{(\w{2,})\}\s*\}(?!\s*_)", r"\1_{\\mathrm{\2}}"),
    (r"\\mathrm\s*\{\s*(?:ReLU|relu)\s*\}\s*(?:'|\^\s*\{\s*\\prime\s*\})", r"\\mathrm{ReLUprime}"),
    (r"\\theta\s*\(", r"\\mathrm{theta}("),
    # \dim v: the dimension of v, an operator applied to the name after it (never dim times v)
    (r"\\mathrm\s*\{\s*dim\s*\}\s*((?:\\[A-Za-z]+(?!\s*\{)|[A-Za-z])(?:\s*_\s*(?:\{[^{}]*\}|[A-Za-z0-9]))?)(?![A-Za-z(])",
     r"\\mathrm{dim}(\1)"),
    # c_t^{(1)} is the name c^{(1)}_t (an entry or a layer), as a^{(2)}_1 is; not c_t
    (r"(?<![\\A-Za-z])([A-Za-z])\s*_\s*(\{[^{}]*\}|[A-Za-z0-9])\s*\^\s*\{\s*(\(\w+\))\s*\}", r"\1^{\3}_\2"),
    # 3(9) and (-12)(9) are products (latex2sympy reads them as 12 and -21)
    (r"(?<=[0-9)])\s*\((?=\s*[-+]?\s*[0-9.]+\s*\))", r" \\cdot ("),
    (r"(?<![\\A-Za-z])([A-Za-z])\s*_\s*(?:\{([^{}]*)\}|([A-Za-z0-9]))\s*'", r"\1_{\2\3,prime}"),   # w_1' is not w_1
    (r"(?<![\\A-Za-z])([A-Za-z])'\s*_\s*\{([^{}]*)\}", r"\1_{prime,\2}"),
    # \sigma'(z), \sigma''(z): derivatives of a function named by a Greek letter (the sigmoid)
    (r"\\(sigma|phi|psi)\s*'''(?=\s*\()", r"\\\1_{primeprimeprime}"),
    (r"\\(sigma|phi|psi)\s*''(?=\s*\()", r"\\\1_{primeprime}"),
    (r"\\(sigma|phi|psi)\s*'(?=\s*\()", r"\\\1_{prime}"),
    (r"(?<![\\A-Za-z])([A-Za-z])'''", r"\1_{primeprimeprime}"),
    (r"(?<![\\A-Za-z])([A-Za-z])''", r"\1_{primeprime}"),     # f''(x): one name, not f' times x
    (r"(?<![\\A-Za-z])([A-Za-z])'", r"\1_{prime}"),
    (r"\\mathrm\s*\{\s*d\s*\}\s*([A-Za-z])", r"d\1"),
    (r"\\exp\s*\(", r"\\exp("),
    # d^2/dx^2 f: d/dx applied twice (latex2sympy reads only the first order)
    (r"\\frac\s*\{\s*d\s*\^\s*\{?\s*2\s*\}?\s*\}\s*\{\s*d\s*([A-Za-z])\s*\^\s*\{?\s*2\s*\}?\s*\}",
     r"\\frac{d}{d\1} \\frac{d}{d\1}"),
)

#: ``\\dim`` left without its argument by the rewrite above (``\\dim \\mathcal{V}``): not read
_BARE_DIM = re.compile(r"\\mathrm\s*\{\s*dim\s*\}(?!\s*\()")

#: ``Var(x)``, ``KL(p \\| q)``, ``RMS(x)`` written without ``\\mathrm``: the operator words of the rule table
#: (two letters or more), not a product of letters V a r
_BARE_OPERATOR = re.compile(r"(?<![\\A-Za-z{])(" + "|".join(sorted((w for w in OPERATORS if len(w) > 1 and w.isalpha()),
                                                                   key=len, reverse=True)) + r")\s*\(")

#: ``cos(x)``, ``log(x)`` written without the backslash
_BARE_FUNCTION = re.compile(r"(?<![\\A-Za-z{])(sin|cos|tan|sinh|cosh|tanh|ln|log|exp)\s*\(")

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


#: ``\\sum_{i,j}``: one sum per index; ``\\sum_j`` / ``\\sum_{j}`` without bounds: over an unnamed range
_MULTI_SUM = re.compile(r"\\sum\s*_\s*\{\s*([A-Za-z](?:\s*,\s*[A-Za-z])+)\s*\}(?!\s*\^)")
_OPEN_SUM = re.compile(r"\\sum\s*_\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z])(?![A-Za-z]))(?!\s*\^)")
#: the placeholder of that range's size, read back as the positive integer ``|j|``
_RANGE = "Zzrange"


def _open_sums(text: str) -> str:
    """``\\sum_{i,j} a_{ij}`` -> ``\\sum_{i} \\sum_{j} a_{ij}``; ``\\sum_j x_j`` -> a sum of j from 1
    to ``|j|``, a positive integer nothing else names (the range the writer leaves implicit)."""
    text = _MULTI_SUM.sub(lambda m: " ".join("\\sum_{%s}" % i.strip() for i in m.group(1).split(",")), text)
    return _OPEN_SUM.sub(lambda m: "\\sum_{%s=1}^{\\mathit{%s%s}}" % ((m.group(1) or m.group(2)), _RANGE,
                                                                    m.group(1) or m.group(2)), text)


_REPEATING = re.compile(r"(?<![\d.])(\d+)\.(\d*)\s*\\(?:overline|bar)\s*\{\s*(\d{1,12})\s*\}")


def repeating_decimals(text: str) -> str:
    """``0.\\overline{3}`` -> ``\\frac{1}{3}``, ``0.1\\overline{6}`` -> ``\\frac{1}{6}``: a repeating decimal
    is its exact fraction (``\\overline`` is otherwise a decoration the reader drops)."""
    def exact(m: re.Match) -> str:
        whole, fixed, period = m.group(1), m.group(2), m.group(3)
        if len(whole) + len(fixed) > 15:
            return m.group(0)
        den = (10 ** len(period) - 1) * 10 ** len(fixed)
        num = int(whole) * den + int(fixed or "0") * (10 ** len(period) - 1) + int(period)
        return "{\\frac{%d}{%d}}" % (num, den)
    return _REPEATING.sub(exact, text)


_DOUBLE_BANG = re.compile(r"!\s*!")
_COMMAND_END = re.compile(r"\\[A-Za-z]+$")
_BINARY_END = re.compile(r"\\(?:cdot|times|div|pm|mp)$")
_OPERAND = re.compile(r"(?:\d+(?:\.\d+)?|[A-Za-z]|\\[A-Za-z]+)\s*$")


def double_factorials(text: str) -> str:
    """``5!!`` -> ``\\mathrm{doublefactorial}(5)``: the double factorial 5 * 3 * 1 = 15, never (5!)!
    (write that with its parentheses).  The operand is the number, letter, name or bracketed group
    just before the ``!!``; anything else is left as written."""
    pos = 0
    while True:
        m = _DOUBLE_BANG.search(text, pos)
        if not m:
            return text
        head = text[:m.start()].rstrip()
        if head.endswith((")", "}")):
            start = _opening(head)
        else:
            op = _OPERAND.search(head)
            start = op.start() if op else -1
        before = head[:start].rstrip()
        if start < 0 or not head[start:].strip() or before.endswith(("^", "_", "}")) \
                or (_COMMAND_END.search(before) and not _BINARY_END.search(before)):
            # x^{2}!!, \frac{a}{b}!!, \sqrt{n}!!: which part the !! applies to is not clear
            raise ParseError("'!!' (double factorial) is read after a number, a name or brackets only")
        operand = head[start:]
        if operand.startswith("{") and operand.endswith("}"):
            operand = operand[1:-1]
        text = head[:start] + "\\mathrm{doublefactorial}(" + operand + ")" + text[m.end():]
        pos = start + 1


def _opening(head: str) -> int:
    """The offset of the bracket that the last character of ``head`` closes (-1: none)."""
    depth = 0
    for k in range(len(head) - 1, -1, -1):
        c = head[k]
        if k > 0 and head[k - 1] == "\\":
            continue
        if c in ")}":
            depth += 1
        elif c in "({":
            depth -= 1
            if depth == 0:
                return k
    return -1


_ODD_ROOT = re.compile(r"\\sqrt\s*\[\s*(\d{1,2})\s*\]\s*\{")


def _real_roots(text: str) -> str:
    """``\\sqrt[3]{x^3}`` -> ``\\mathrm{realrootd}(x^3)``: over the reals an odd root is the real
    root (``\\sqrt[3]{-8} = -2``; SymPy's principal cube root of -8 is complex); even roots stay."""
    pos = 0
    while True:
        m = _ODD_ROOT.search(text, pos)
        if not m:
            return text
        n, open_ = int(m.group(1)), m.end() - 1
        close = _matching(text, open_)
        if n not in ODD_ROOTS or close < 0:
            pos = m.end()
            continue
        text = text[:m.start()] + "\\mathrm{%s}(" % real_root_name(n) + text[open_ + 1:close] + ")" + text[close + 1:]
        pos = m.start() + 1
