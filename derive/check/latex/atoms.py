"""Opaque atoms and the structural passes before latex2sympy.

Norms, expectations, ``\\operatorname`` applications, partial derivatives,
``cases`` and ``y[n]`` become placeholder symbols (``_Opaque``) whose arguments
are parsed on their own; sums of integrals are closed by their own
differentials; ``\\substack`` ranges become nested sums; Hadamard products
(``\\circ``) are split into factors.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Collection

from .names import source_key, symbol_key
from .scan import ParseError, _has_top_bar, _matching, _norm_close, _scan, _top_split

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
    """End of the operand of a derivative operator: the next top-level ``+``/``-``/``\\circ``
    (not inside ``|x - 1|`` or ``\\|x - y\\|``: bars pair by parity, as in ``evalbar``)."""
    depth, j = 0, i
    started = False
    bars = {"|": False, "\\|": False}     # open absolute value, open norm
    while j < len(text):
        c = text[j]
        if c == "\\":
            if depth == 0 and started and text.startswith("\\circ", j) and not any(bars.values()):
                return j
            if text.startswith("\\|", j):
                bars["\\|"] = not bars["\\|"]
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
        elif c == "|":
            bars["|"] = not bars["|"]
        elif c in "+-" and depth == 0 and started and not any(bars.values()):
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


_OPERATOR = re.compile(r"\\frac\s*\{\s*\\partial\s*(?:\^\s*(?:\{\s*(?P<order>\d)\s*\}|(?P<digit>\d)))?\s*\}"
                       r"\s*\{\s*\\partial")


def _operator(src: str) -> tuple[str, str, str] | None:
    """``\\frac{\\partial}{\\partial x} f`` -> (``x``, ``f``, ``1``), ``\\frac{\\partial^2}{\\partial x \\partial y} f``
    -> (``x \\partial y``, ``f``, ``2``): the variables, the operand, the order; None for
    ``\\frac{\\partial L}{\\partial x}``."""
    m = _OPERATOR.match(src)
    if not m:
        return None
    open_ = src.rindex("{", 0, m.end())
    close = _matching(src, open_)
    if close < 0 or not src[close + 1:].strip():
        return None
    return src[m.end():close].strip(), src[close + 1:], m.group("order") or m.group("digit") or "1"
_DIFF = "\\partial"
#: the head of a ``\\begin{cases}`` block inside a side
_CASES = "\\begin{cases}"


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
                # read by the parser as a Piecewise (latex/piecewise.py), inside a limit or a product too
                found.append(_Opaque(source_key(text[i:end]), _CASES, [text[i:end]]))
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
                    args = _top_split(inner)
                    if "" in args:      # E[|X|]: bars of an absolute value, no conditional bar
                        args = _top_split(inner, seps=",;")
                    found.append(_Opaque(source_key(head + text[i:close + 1]), symbol_key(head), args))
                    out = [prefix[:hm.start()], " " + _PLACEHOLDER % (len(found) - 1) + " "]
                    i = close + 1
                    continue
        out.append(c)
        i += 1
    return "".join(out)
