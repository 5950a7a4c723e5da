"""Tokenize a side with pylatexenc's ``LatexWalker`` and normalise it by the rule table.

The walker gives nodes (characters, macros with their parsed arguments, groups,
environments); ``normalise`` writes them back as the text latex2sympy reads,
applying ``rules.MACROS``: decorations and labels dropped, aliases replaced,
structure macros re-emitted with braced arguments (``\\frac13`` ->
``\\frac{1}{3}``, ``\\sqrt 2`` -> ``\\sqrt{2}``), words in ``\\text``/``\\mathrm``
read by ``rules.WORDS``, thousands separators (``14{,}916``, ``1\\,000``) joined,
percentages made fractions and row vectors written with spaces (``[-2 \\ \\ 3]``)
made matrices.  The walker is linear in the input and never evaluates anything.
"""
from __future__ import annotations

import functools
import re
from typing import Any

from pylatexenc import macrospec
from pylatexenc.latexwalker import (LatexCharsNode, LatexCommentNode, LatexEnvironmentNode, LatexGroupNode,
                                    LatexMacroNode, LatexMathNode, LatexSpecialsNode, LatexWalker)

from .rules import CIRCLED, CONSTANTS, LEADING_LABEL, MACROS, OPERATORS, rule
from .scan import ParseError

#: A spacing that may separate entries of a row vector; replaced by a space at the end.
_GAP = "\u2423"
#: A separator between digit groups (``14{,}916``); joined or dropped at the end.
_THOUSANDS = "\u2009"

_ENV_ARGS = {"array": "{", "alignedat": "{", "subarray": "{"}


@functools.lru_cache(maxsize=1)
def _context() -> Any:
    db = macrospec.LatexContextDb()
    db.add_context_category(
        "derive-math",
        macros=[macrospec.MacroSpec(m.name, m.args) for m in MACROS],
        environments=[macrospec.EnvironmentSpec(e, a) for e, a in _ENV_ARGS.items()],
        specials=[macrospec.SpecialsSpec("&"), macrospec.SpecialsSpec("~")],
    )
    db.set_unknown_macro_spec(macrospec.MacroSpec(""))
    db.set_unknown_environment_spec(macrospec.EnvironmentSpec(""))
    return db


def nodes(text: str) -> list[Any]:
    """The walker's nodes for ``text`` (tolerant: unbalanced input still gives nodes)."""
    walker = LatexWalker(text, latex_context=_context(), tolerant_parsing=True)
    try:
        found, _, _ = walker.get_latex_nodes(pos=0)
    except RecursionError:
        raise ParseError("nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - the walker's own parse errors
        raise ParseError(f"cannot tokenize: {str(exc).splitlines()[0][:80]}") from None
    return found


def _plain(node: Any) -> str | None:
    """The characters of a group or argument with nothing but characters in it."""
    if node is None:
        return ""
    if isinstance(node, LatexCharsNode):
        return node.chars
    if isinstance(node, LatexGroupNode):
        parts = [_plain(n) for n in node.nodelist]
        return None if any(p is None for p in parts) else "".join(parts)
    return None


#: ``^e`` (Euler's number) and the one-sided ``0^+``/``0^-``: latex2sympy reads them only braced.
_BARE_SCRIPT = re.compile(r"\^\s*(e(?![A-Za-z])|[+-](?![\w\\({]))")


def _bare_scripts(chars: str) -> str:
    return _BARE_SCRIPT.sub(lambda m: "^{" + m.group(1) + "}", chars)


class _Writer:
    """Writes nodes back as normalised text."""

    def __init__(self) -> None:
        self.out: list[str] = []
        #: after \underbrace{...}: the next sub/superscript is a note, dropped
        self.drop_script = False

    def tail(self) -> str:
        """The last few characters written (spaces at the end removed)."""
        return "".join(self.out[-6:]).rstrip()

    def emit(self, text: str) -> None:
        if text and self.out and re.match(r"[A-Za-z]", text) and re.search(r"\\[A-Za-z]+$", self.out[-1]):
            self.out.append(" ")      # \alpha then x: keep them two tokens
        self.out.append(text)

    def nodes(self, found: list[Any]) -> None:
        skip_group = False
        for n in found:
            if self.drop_script and isinstance(n, LatexCharsNode):
                chars = n.chars.lstrip()
                if chars[:1] in ("_", "^"):
                    rest = chars[1:].lstrip()
                    self.drop_script = False
                    if rest:
                        self.emit(" " + rest[1:])      # _x: one character is the note
                    else:
                        skip_group = True
                    continue
                self.drop_script = False
            if skip_group and isinstance(n, LatexGroupNode):
                skip_group = False
                continue
            skip_group = False
            self.node(n)

    def node(self, n: Any) -> None:
        if isinstance(n, LatexCharsNode):
            self.emit(_bare_scripts(CIRCLED.sub(" ", n.chars)))
        elif isinstance(n, LatexGroupNode):
            self.group(n)
        elif isinstance(n, LatexMacroNode):
            self.macro(n)
        elif isinstance(n, LatexEnvironmentNode):
            args = "".join(self.render_arg(a) for a in (n.nodeargd.argnlist if n.nodeargd else []) if a)
            self.emit(f"\\begin{{{n.environmentname}}}{args}")
            self.nodes(n.nodelist)
            self.emit(f"\\end{{{n.environmentname}}}")
        elif isinstance(n, LatexSpecialsNode):
            if n.specials_chars == "~":
                self.emit(_GAP if re.search(r"\d$", self.tail()) else " ")     # 1~000
            else:
                self.emit(n.specials_chars)
        elif isinstance(n, LatexMathNode):
            self.nodes(n.nodelist)
        elif isinstance(n, LatexCommentNode):
            self.emit(" ")

    def group(self, n: LatexGroupNode) -> None:
        inner = _plain(n)
        if inner is not None and inner.strip() == "," and re.search(r"\d$", self.tail()):
            self.emit(_THOUSANDS)         # 14{,}916
            return
        if inner is not None and not inner.strip() and n.delimiters[0] == "{" and not re.search(r"[_^]\s*$", self.tail()):
            self.emit(" ")                # {}+ 3x: an empty group only spaces the operator after it
            return
        self.emit(n.delimiters[0])
        self.nodes(n.nodelist)
        self.emit(n.delimiters[1])

    def render_arg(self, a: Any) -> str:
        sub = _Writer()
        if isinstance(a, LatexGroupNode) and a.delimiters[0] in "{[":
            sub.nodes(a.nodelist)
            body = "".join(sub.out)
            return "[" + body + "]" if a.delimiters[0] == "[" else "{" + body + "}"
        sub.node(a)
        return "{" + "".join(sub.out) + "}"

    def macro(self, n: LatexMacroNode) -> None:
        name = n.macroname
        r = rule(name)
        args = [a for a in (n.nodeargd.argnlist if n.nodeargd else []) if a is not None]
        if name in ("frac", "dfrac", "tfrac") and self.mixed(args):
            return
        if r is None:
            if name == "%":
                self.percent()
                return
            self.emit("\\" + name + n.macro_post_space)
            return
        if r.kind == "decoration":
            if r.to == " " and re.search(r"\d$", self.tail()):
                self.emit(_GAP)           # 1\,000, or the gap of a row vector [-2 \ \ 3]
            else:
                self.emit(r.to)
        elif r.kind == "label":
            self.emit(" ")
        elif r.kind == "connective":
            if self.tail():
                raise ParseError(f"'\\{name}' inside one side: split the statement at it")
            self.emit(" ")
        elif r.kind == "alias":
            self.emit(r.to + "".join(self.render_arg(a) for a in args))
        elif r.kind == "brace":
            self.emit("".join("(" + self.render_arg(a)[1:-1] + ")" for a in args))
            self.drop_script = True
        elif r.kind == "font":
            self.font(name, [a for a in args if not (isinstance(a, LatexCharsNode) and a.chars == "*")])
        else:
            self.emit("\\" + name + "".join(self.render_arg(a) for a in args))

    def font(self, name: str, args: list[Any]) -> None:
        if not args:
            self.emit("\\" + name + " ")
            return
        word = _plain(args[0])
        tail = self.tail()
        if word is None:
            self.emit(("\\mathrm" if name == "operatorname" else "\\" + name) + self.render_arg(args[0]))
            return
        w = word.strip()
        if tail.endswith(("_", "^", "_{", "^{")):
            self.emit("\\mathrm{" + w + "}")   # d_{\text{in}}: a variant of a name, never an index
        elif w in CONSTANTS and name in ("mathrm", "text", "textrm", "textup"):
            self.emit(CONSTANTS[w].to)
        elif w in OPERATORS or name == "operatorname":
            self.emit("\\mathrm{" + w + "}")
        elif name == "mathrm":
            self.emit("\\mathrm{" + w + "}")
        else:
            self.emit(" ")              # prose in a side: the extractor blanks it too

    def mixed(self, args: list[Any]) -> bool:
        """``2\\frac{1}{2}``: an integer written just before a proper numeric fraction is the mixed
        number 2 1/2, as everyone reads it typeset (``x^2\\frac12``, ``2\\frac32``, ``2\\frac{x}{2}`` stay
        products).  Rewrites the integer already written; ``False`` when it is not one."""
        if len(args) != 2:
            return False
        p, q = ((_plain(a) or "").strip() for a in args)
        if not (p.isdigit() and q.isdigit() and 0 < int(p) < int(q)):
            return False
        for k in range(len(self.out) - 1, -1, -1):
            if self.out[k].strip():
                break
        else:
            return False
        m = re.search(r"(\d+)\s*$", self.out[k])
        before = "".join(self.out[max(0, k - 3):k]) + self.out[k][:m.start()] if m else ""
        if not m or int(m.group(1)) == 0 or re.search(r"[\w.^_}\\)']\s*$|\\[A-Za-z]+$", before) and not \
                re.search(r"\\(?:cdot|times|left\(|,|;|quad|qquad)\s*$", before):
            return False
        self.out[k] = self.out[k][:m.start()] + "(" + m.group(1) + " + \\frac{" + p + "}{" + q + "})"
        return True

    def percent(self) -> None:
        """``28\\%`` -> ``(\\frac{28}{100})``."""
        for k in range(len(self.out) - 1, -1, -1):
            if self.out[k].strip():
                break
        else:
            raise ParseError("a percent sign without a number")
        m = re.search(r"(\d+(?:\.\d+)?)(\s*)$", self.out[k])
        if not m:
            self.emit("\\cdot \\frac{1}{100}")
            return
        self.out[k] = self.out[k][:m.start()] + "(\\frac{" + m.group(1) + "}{100})"


#: 1\,000, 14{,}916, 1~000, 1\,000\,000.5: groups of exactly three digits after one to three
#: digits are one number, with an optional decimal tail (2\,000.5 is 2000.5, never 2 * 000.5).
_SEPARATED = re.compile(r"(?<![\d.])(\d{1,3})((?:[" + _THOUSANDS + _GAP + r"]\d{3})+)(?=\.\d|(?![\d.]))")
#: Digits still separated by a spacing (12\,34, 1\,00, 3.141\,592): no number a reader writes.
_SPLIT_DIGITS = re.compile(r"\d[" + _THOUSANDS + _GAP + r"]+\d")
_ROW = re.compile(r"\[\s*(-?\s*[\d.]+(?:\s*" + _GAP + r"[\s" + _GAP + r"]*-?\s*[\d.]+)+)\s*\]")


_TUPLE_T = re.compile(r"\(\s*([^(){}]+?(?:,[^(){}]+?)+)\s*\)\s*\^\s*(?:\{\s*T\s*\}|T(?![A-Za-z]))")


def _finish(text: str) -> str:
    # (2, 8, 9)^T: a column vector written as a transposed row
    text = _TUPLE_T.sub(lambda m: "\\begin{pmatrix}" + "\\\\".join(m.group(1).split(",")) + "\\end{pmatrix}", text)
    text = _SEPARATED.sub(lambda m: m.group(1) + re.sub("[^0-9]", "", m.group(2)), text)
    text = _ROW.sub(lambda m: "\\begin{bmatrix}" + " & ".join(
        re.split("[\\s" + _GAP + "]*" + _GAP + "[\\s" + _GAP + "]*", m.group(1).strip())) + "\\end{bmatrix}", text)
    split = _SPLIT_DIGITS.search(text)
    if split:
        raise ParseError("digits split by a space: write one number (1\\,000) or a product (2 \\cdot 3)",
                         split.start() + 1)
    return text.replace(_GAP, " ").replace(_THOUSANDS, ",")


@functools.lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """``text`` (one side) normalised by the rule table; raises ``ParseError``.

    Memoised (a document repeats its sides); plain text without macros, braces
    or labels skips the walker.
    """
    text = LEADING_LABEL.sub("", text, count=1)
    if "\\" not in text and "{" not in text and "}" not in text and not CIRCLED.search(text) and "~" not in text:
        return _finish(_bare_scripts(text))
    w = _Writer()
    w.nodes(nodes(text))
    return _finish("".join(w.out))
