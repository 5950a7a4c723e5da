"""Names: how a written name becomes one symbol key, and the subscripted-name pass.

``d_{\\mathrm{in}}`` and ``d_{in}`` are the symbol ``d_in``; a subscripted name
reaches latex2sympy as a single ``\\mathit`` token (one symbol or one indexed
entry each), which is also what keeps ANTLR's prediction fast.
"""
from __future__ import annotations

import re

from .scan import _top_split

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
    word = re.fullmatch(r"math\{(\w+)\}", raw)       # latex2sympy's name of \mathrm{KL}
    if word:
        return "\\mathrm{%s}" % word.group(1)
    head = re.match(r"[A-Za-z]+", raw)
    if head and head.group(0) in _GREEK and not raw.startswith("\\"):
        return "\\" + raw
    return raw



_SPACED_PRODUCT = re.compile(
    r"(?<![\\A-Za-z])((?:\\(?:" + "|".join(sorted(_GREEK, key=len, reverse=True)) + r")(?![A-Za-z])|[A-Za-z])"
    r"(?:\s*_\s*(?:\{(?:[^{}]|\{[^{}]*\})*\}|\\?[A-Za-z0-9]))?)\s+\(")



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
_ONE = r"(?:\\(?:" + "|".join(sorted(_GREEK, key=len, reverse=True)) + r")(?![A-Za-z])|[A-Za-z](?![A-Za-z]))"
#: Names written in several tokens that are one quantity: ``\Delta W`` (an
#: increment), ``\nabla_{x_n} L`` (a gradient), ``RF_L`` (an acronym with a subscript).
COMPOUND = re.compile(
    r"\\Delta\s*" + _ONE + r"(?:\s*_\s*" + _SUBSCRIPT + r")?"
    r"|\\nabla(?![A-Za-z])(?:\s*_\s*" + _SUBSCRIPT + r")?\s*(?:\\mathcal\s*\{[A-Za-z]\}|" + _ONE + r")"
    r"|(?<![\\A-Za-z])[A-Z]{2,4}\s*_\s*" + _SUBSCRIPT)
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

    def whole(m: re.Match) -> str:
        names.append((" ".join(m.group(0).split()), ""))
        return " " + _NAME_TOKEN % _letters(len(names) - 1) + " "

    return MARKED.sub(marked, NAME.sub(token, COMPOUND.sub(whole, text))), names
