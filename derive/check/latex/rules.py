"""The macro rule table: what each macro met inside math *is*.

One row per macro, in the style of the printer's notation table.  ``kind`` says
what the normaliser (``tokens.normalise``) does with it:

- ``decoration``: layout only (``\\left``, ``\\quad``, spacing, ``\\displaystyle``);
  replaced by ``to`` (a space or nothing), its arguments dropped;
- ``label``: a step label or cross-reference (``\\label``, ``\\tag``,
  ``\\textcircled{3}``); dropped with its arguments;
- ``connective``: prose between steps (``\\therefore``, ``\\because``); dropped at
  the start of a side, an error inside one (``a \\therefore b`` is no product);
- ``alias``: another spelling of something latex2sympy reads (``\\dfrac`` ->
  ``\\frac``, ``\\lt`` -> ``<``, ``\\log`` -> ``\\ln``); replaced by ``to``;
- ``font``: a wrapper around a word (``\\text``, ``\\mathrm``, ``\\operatorname``):
  the word is looked up in ``WORDS`` (an operator such as ``RMS``, Euler's ``e``);
- ``brace``: ``\\underbrace{x}_{note}``: the braced argument stays, the note goes;
- ``keep``: structure latex2sympy reads (``\\frac``, ``\\sqrt``, accents); kept,
  with its arguments braced (so brace-less ``\\frac13`` becomes ``\\frac{1}{3}``).

A macro not in the table is kept as written, without arguments; latex2sympy
then reports it, so an unknown macro gives an ``unparsed`` verdict.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Macro:
    """One macro: ``name`` without the backslash, ``args`` as a pylatexenc argspec."""

    name: str
    kind: str
    args: str = ""
    to: str = ""


@dataclass(frozen=True)
class Word:
    """A word inside ``\\text``/``\\mathrm``/``\\operatorname``.

    ``operator``: a named function (``\\text{RMS}(x)`` is the atom RMS of x), with
    ``nonnegative`` for values never below 0; ``constant``: replaced by ``to``.
    """

    text: str
    kind: str
    to: str = ""
    nonnegative: bool = False


_SPACING = (",", ";", ":", "!", " ", ">", "quad", "qquad", "enspace", "thinspace", "medspace",
            "thickspace", "negthinspace", "negmedspace", "negthickspace", "hfill", "allowbreak")
_SIZING = ("left", "right", "middle", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr",
           "bigm", "Bigm", "big", "Big", "bigg", "Bigg", "displaystyle", "textstyle", "scriptstyle",
           "scriptscriptstyle", "limits", "nolimits", "nonumber", "notag", "DeriveProved", "DeriveNumeric")
_KEEP_ONE = ("sqrt", "hat", "bar", "tilde", "vec", "dot", "ddot", "check", "breve", "widehat", "widetilde",
             "overline", "underline", "mathbb", "mathcal", "mathbf", "boldsymbol", "bm", "mathit", "mathsf",
             "mathfrak", "mathscr", "overrightarrow")

MACROS: tuple[Macro, ...] = (
    *(Macro(m, "decoration", to=" ") for m in _SPACING),
    *(Macro(m, "decoration") for m in _SIZING),
    Macro("hspace", "decoration", "*{", " "), Macro("vspace", "decoration", "*{", " "),
    Macro("phantom", "decoration", "{", " "), Macro("hphantom", "decoration", "{", " "),
    Macro("vphantom", "decoration", "{"), Macro("mathrlap", "decoration", "{"),
    Macro("mathllap", "decoration", "{"),
    Macro("label", "label", "{"), Macro("tag", "label", "*{"), Macro("eqref", "label", "{"),
    Macro("ref", "label", "{"), Macro("textcircled", "label", "{"), Macro("circled", "label", "{"),
    Macro("DeriveWhy", "label", "{{"), Macro("intertext", "label", "{"),
    Macro("therefore", "connective"), Macro("because", "connective"), Macro("hence", "connective"),
    Macro("dfrac", "alias", "{{", "\\frac"), Macro("tfrac", "alias", "{{", "\\frac"),
    Macro("cfrac", "alias", "{{", "\\frac"), Macro("frac", "keep", "{{"), Macro("binom", "keep", "{{"),
    Macro("log", "alias", to="\\ln"), Macro("lt", "alias", to="<"), Macro("gt", "alias", to=">"),
    Macro("neq", "alias", to="\\ne"), Macro("leqslant", "alias", to="\\le"),
    Macro("geqslant", "alias", to="\\ge"), Macro("cdotp", "alias", to="\\cdot"),
    Macro("centerdot", "alias", to="\\cdot"), Macro("lVert", "alias", to="\\|"),
    Macro("rVert", "alias", to="\\|"), Macro("Vert", "alias", to="\\|"), Macro("top", "alias", to="T"),
    Macro("intercal", "alias", to="T"), Macro("dots", "alias", to="\\ldots"),
    Macro("gcd", "alias", to="\\mathrm{gcd}"), Macro("dim", "alias", to="\\mathrm{dim}"), Macro("lcm", "alias", to="\\mathrm{lcm}"),
    Macro("odot", "alias", to="\\circ"), Macro("mid", "alias", to="|"), Macro("vert", "alias", to="|"),
    Macro("degree", "alias", to="^{\\circ}"),
    Macro("underbrace", "brace", "{"), Macro("overbrace", "brace", "{"),
    *(Macro(m, "keep", "[{" if m == "sqrt" else "{") for m in _KEEP_ONE),
    Macro("text", "font", "{"), Macro("textrm", "font", "{"), Macro("textup", "font", "{"),
    Macro("textit", "font", "{"), Macro("textbf", "font", "{"), Macro("mbox", "font", "{"),
    Macro("mathrm", "font", "{"), Macro("operatorname", "font", "*{"),
)

RULES: dict[str, Macro] = {m.name: m for m in MACROS}

WORDS: tuple[Word, ...] = (
    *(Word(w, "operator", nonnegative=True) for w in ("RMS", "Var", "Std", "rank", "KL", "D_KL", "norm", "dim")),
    *(Word(w, "operator") for w in ("sign", "sgn", "ReLU", "relu", "softmax", "sigmoid", "Cov", "tr", "Tr",
                                     "trace", "det", "diag", "Pr", "erf", "argmax", "argmin", "E", "Corr",
                                     "logit", "GELU", "SiLU", "tanh", "exp", "cost", "loss", "gcd", "lcm")),
    Word("e", "constant", "e"), Word("d", "constant", "\\mathrm{d}"),
)

OPERATORS: dict[str, Word] = {w.text: w for w in WORDS if w.kind == "operator"}
CONSTANTS: dict[str, Word] = {w.text: w for w in WORDS if w.kind == "constant"}


def keeps_text(content: str) -> bool:
    """Whether ``\\text{content}`` inside math is notation (an operator word), not prose.

    The extractor blanks prose; ``\\text{RMS}(x)`` must keep its name.
    """
    return content.strip().rstrip("'") in OPERATORS


_ROMAN = "iii|ii|iv|ix|viii|vii|vi|i"
def between_numbers(before: str, after: str) -> bool:
    """Whether a spacing sits between two numbers (``1\\,000``, ``[-2 \\ \\ 3]``):
    the reader, not the extractor, decides what it means there."""
    return bool(re.search(r"\d\s*$", before) and re.match(r"\s*(?:\\[ ,;:!]\s*)*-?\d", after))


#: Labels at the start of a side: ``(i)``, ``(b)``, ``ii.``, ``3)`` and circled numbers.
LEADING_LABEL = re.compile(
    r"^\s*(?:\((?:" + _ROMAN + r")\)(?=\s+[^\s+\-*/^_=<>()]|\s*\\)|(?:" + _ROMAN + r")\.(?=\s)"
    r"|\d{1,2}\)(?=\s))\s*")
#: Unicode circled numbers (① .. ⑳, ⓪, ❶ .. ❿): step labels, dropped.
CIRCLED = re.compile("[\u2460-\u2473\u24ea\u2776-\u277f]")


#: Macros latex2sympy2_extended reads (beyond the table above and Greek letters);
#: any other macro in a side that fails to parse is named in the message.
READ_BY_LATEX2SYMPY = frozenset("""
    arccos arccosh arccot arccsc arcosh arcsec arcsin arcsinh arctan arctanh arsinh artanh boxed cdot ceil
    choose circ cos cosh cot csc degree det div exp floor gcd in int langle lbrace lbrack lceil lcm lfloor
    lgroup lim ln log lvert mathit max min mod prod rangle rbrace rbrack rceil rfloor rgroup rvert sec sin
    sinh sqrt sum tan tanh times top vert frac binom pm mp infty partial to ldots cdots le ge ne leq geq
    neq approx mathbb mathcal mathrm mathbf hat bar tilde vec dot ddot begin end left right prime ell
    nabla emptyset cup cap setminus subset subseteq forall exists neg land lor wedge vee mid colon
    overline underline boldsymbol bm mathsf mathfrak mathscr operatorname text theta hbar imath jmath
""".split())


def unknown_macros(text: str) -> list[str]:
    """Macros in ``text`` that nothing reads (for an ``unparsed`` message)."""
    from .names import _GREEK   # noqa: PLC0415 - names imports nothing from here
    seen = []
    for name in re.findall(r"\\([A-Za-z]+)", text):
        if name not in RULES and name not in READ_BY_LATEX2SYMPY and name not in _GREEK \
                and name not in ("Delta", "Gamma", "Lambda", "Omega", "Phi", "Pi", "Psi", "Sigma", "Theta", "Xi",
                                 "Upsilon", "varepsilon", "vartheta", "varphi", "varpi", "varrho", "varsigma") \
                and name not in seen:
            seen.append(name)
    return seen


#: commands every step may hold: naming them explains nothing
_PLAIN_MACROS = frozenset("""frac dfrac tfrac cdot times div pm mp left right big Big bigg Bigg quad qquad
    sqrt le leq ge geq ne neq lt gt approx text mathrm operatorname displaystyle limits""".split())


def unread_reason(text: str) -> str:
    """Why the checker failed on ``text`` inside itself, in the writer's terms: the constructs it
    combines (``the checker does not read \\int, \\lfloor together here``), never the internal
    exception's name or text."""
    macros = [m for m in dict.fromkeys(re.findall(r"\\([A-Za-z]+)", text)) if m not in _PLAIN_MACROS]
    if not macros:
        return "the checker does not read this as written"
    shown = ", ".join("\\" + m for m in macros[:3])
    return f"the checker does not read {shown} {'here' if len(macros) == 1 else 'together here'}"


def rule(name: str) -> Macro | None:
    return RULES.get(name)
