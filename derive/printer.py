"""The only place LaTeX for mathematics is produced.

``DerivePrinter`` is a SymPy ``LatexPrinter`` that knows the field's notation:
word subscripts such as ``d_{\\mathrm{in}}``, norms, ``\\operatorname{RMS}``,
expectations and the sigmoid.  Notation is a table of small frozen rules rather
than an if-chain, and every rule recurses through ``self._print`` so nested
notation composes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sympy as sp
from pylatex.utils import NoEscape
from sympy.printing.latex import LatexPrinter

from . import notation as nt
from . import termorder

_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi",
    "chi", "psi", "omega",
}
_WORD_SUBSCRIPT = re.compile(r"^(?P<base>[A-Za-z]+)_(?P<sub>[A-Za-z]{2,})$")
#: the reader's key of \\mathbb{E}[X], \\mathbb{E}_{X}[f]: mathbbE, mathbbE_X
_BLACKBOARD = re.compile(r"mathbb(?P<letter>[A-Z])(?:_(?P<sub>[A-Za-z0-9]+))?")
_DELTA = re.compile(r"Delta(?P<rest>[A-Za-z].*)")
_HAT = re.compile(r"^(?P<base>[A-Za-z]+)(?P<idx>\d*)_hat$")
#: Names SymPy's printer may typeset: letters, digits, subscripts, primes, ``L^+``, ``w^(1)_11``.
#: Anything else (a backslash, braces, ``%``, ``^^``...) is printed as escaped text.
_SAFE_NAME = re.compile(r"(?!.*\^\^)[A-Za-z][A-Za-z0-9_^'+\-*,.()\[\]]*")


def _escaped_name(name: str) -> str:
    from pylatex.utils import escape_latex

    # no bare % either: SymPy formats a function's name with the % operator
    text = escape_latex(name).replace("\n", " ").replace("\\%", "{\\char37}")
    return r"\text{\texttt{" + text + "}}"


@dataclass(frozen=True)
class Applied:
    """``head(arg, ...)`` with chosen brackets, e.g. ``\\mathbb{E}[X]``."""

    head: str
    left: str = r"\left("
    right: str = r"\right)"
    sep: str = ", "


@dataclass(frozen=True)
class Template:
    """A notation whose arguments fill ``{0}``, ``{1}``... of a LaTeX pattern.

    ``power`` is how a power of it prints: ``{0}`` is the notation, ``{1}`` the
    exponent (norms take the exponent directly: ``||x||_2^2``).
    """

    pattern: str
    power: str = r"\left({0}\right)^{{{1}}}"


NOTATION: dict[type, Applied | Template] = {
    nt.Sigmoid: Applied(r"\sigma"),
    nt.RMS: Applied(r"\operatorname{RMS}"),
    nt.Expectation: Applied(r"\mathbb{E}", r"\left[", r"\right]"),
    nt.Variance: Applied(r"\operatorname{Var}", r"\left[", r"\right]"),
    nt.StdDev: Applied(r"\operatorname{Std}", r"\left[", r"\right]"),
    nt.LogLikelihood: Applied(r"\ell"),
    nt.CrossEntropy: Applied(r"H"),
    nt.Rank: Applied(r"\operatorname{rank}"),
    nt.NamedGaussianPdf: Template(r"{3}\left({0}\right)"),
    nt.GaussianPdf: Template(r"\mathcal{{N}}\left({0} \,\middle|\, {1}, {2}\right)"),
    nt.Norm: Template(r"\left\| {0} \right\|_{{{1}}}", power=r"{0}^{{{1}}}"),
    nt.FrobeniusNorm: Template(r"\left\| {0} \right\|_{{F}}", power=r"{0}^{{{1}}}"),
    nt.KL: Template(r"D_{{\mathrm{{KL}}}}\left({0} \,\middle\|\, {1}\right)"),
    nt.Normal: Applied(r"\mathcal{N}"),
    nt.Grad: Template(r"\frac{{\partial L}}{{\partial {0}}}"),
    nt.Delta: Template(r"\Delta {0}"),
}


class DerivePrinter(LatexPrinter):
    """LaTeX printer with deep-learning-theory notation."""

    _default_settings = {
        **LatexPrinter._default_settings,
        "mat_str": "bmatrix",
        "mat_delim": "",
    }

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        if not _SAFE_NAME.fullmatch(expr.name):
            return _escaped_name(expr.name)
        m = _DELTA.fullmatch(expr.name)
        if m:               # the reader's one name for \Delta y, \Delta W_1
            return r"\Delta " + self._print(sp.Symbol(m["rest"]))
        m = _WORD_SUBSCRIPT.match(expr.name)
        if m and m["sub"].lower() not in _GREEK and m["sub"] != "hat":
            base = self._print(sp.Symbol(m["base"]))
            return rf"{base}_{{\mathrm{{{m['sub']}}}}}"
        m = _HAT.match(expr.name)
        if m:
            base = self._print(sp.Symbol(m["base"]))
            return rf"\hat{{{base}}}" + (f"_{{{m['idx']}}}" if m["idx"] else "")
        return super()._print_Symbol(expr, style=style)

    def _as_ordered_terms(self, expr: Any, order: str | None = None) -> list[Any]:
        # The written order of a sum, else the textbook one (see ``termorder``);
        # an explicit ``order=`` setting other than the default still wins.
        terms = super()._as_ordered_terms(expr, order=order)
        if (order or self.order) not in (None, "lex") or not isinstance(expr, sp.Add):
            return terms
        return termorder.ordered_terms(expr, terms)

    def _print_Function(self, expr: Any, exp: str | None = None) -> str:
        # the checker's reader keys \mathbb{E}[X] as mathbbE(X) (the probability algebra's name):
        # print it as written, never as \operatorname{mathbbE} (the sheet showed "mathbbE(X)")
        m = _BLACKBOARD.fullmatch(expr.func.__name__) if isinstance(expr, sp.core.function.AppliedUndef) else None
        if m is None or not expr.args:
            return super()._print_Function(expr, exp)
        head = rf"\mathbb{{{m['letter']}}}" + (rf"_{{{self._print(sp.Symbol(m['sub']))}}}" if m["sub"] else "")
        out = head + r"\left[" + r" \mid ".join(self._print(a) for a in expr.args) + r"\right]"
        return out if exp is None else rf"{out}^{{{exp}}}"

    def _hprint_Function(self, func: str) -> str:
        # A function's name is user text too (``Function('\\input{...}')``).
        return super()._hprint_Function(func) if _SAFE_NAME.fullmatch(func) else _escaped_name(func)

    def _print(self, expr: Any, **kwargs: Any) -> str:
        # Our notation must win over SymPy's own printers for same-named classes
        # (sympy.stats has its own ``Expectation``), so consult the table first.
        rule = _rule_for(type(expr)) if isinstance(expr, sp.Function) else None
        if rule is not None:
            return self._print_notation(expr, rule, kwargs.get("exp"))
        return super()._print(expr, **kwargs)

    def _print_notation(self, expr: sp.Function, rule: "Applied | Template", exp: str | None) -> str:
        args = [self._print(a) for a in expr.args]
        if isinstance(rule, Applied):
            out = f"{rule.head}{rule.left}{rule.sep.join(args)}{rule.right}"
        else:
            out = rule.pattern.format(*args)
        if exp is None:
            return out
        power = rule.power if isinstance(rule, Template) else Template("").power
        return power.format(out, exp)

    def _print_Sum(self, expr: sp.Sum) -> str:
        return self._nested(expr, r"\sum", self._print_one_sum)

    def _print_one_sum(self, expr: sp.Sum) -> str:
        if len(expr.limits) != 1 or len(expr.limits[0]) != 3:
            return super()._print_Sum(expr)
        var, lo, hi = (self._limit(e) for e in expr.limits[0])
        body = self._print(expr.function)
        return rf"\sum_{{{var}={lo}}}^{{{hi}}} " + (rf"\left({body}\right)" if isinstance(expr.function, sp.Add) else body)

    def _limit(self, e: Any) -> str:
        """A summation limit, with fractions written inline (``(n - 1)/S``): a stacked
        fraction in script size is unreadable."""
        old = self._settings["fold_short_frac"]
        self._settings["fold_short_frac"] = True
        try:
            return self._print(e)
        finally:
            self._settings["fold_short_frac"] = old

    def _print_Product(self, expr: sp.Product) -> str:
        return self._nested(expr, r"\prod", super()._print_Product)

    def _nested(self, expr: Any, op: str, single: Any) -> str:
        """A sum over several indices as nested sums, outermost first (SymPy flattens them)."""
        if len(expr.limits) == 1 or any(len(lim) != 3 for lim in expr.limits):
            return single(expr)
        out = single(expr.func(expr.function, expr.limits[0]))
        for var, lo, hi in expr.limits[1:]:
            out = f"{op}_{{{self._limit(var)}={self._limit(lo)}}}^{{{self._limit(hi)}}} {out}"
        return out

    def _print_Indexed(self, expr: Any) -> str:
        base = self._print(expr.base.label)
        idx = ",".join(self._print(i) for i in expr.indices)
        # A hat or word subscript already occupies the subscript slot.
        if "_{" in base:
            return rf"\left({base}\right)_{{{idx}}}"
        return f"{base}_{{{idx}}}"


def _rule_for(cls: type) -> Applied | Template | None:
    for klass in cls.__mro__:
        if klass in NOTATION:
            return NOTATION[klass]
    return None


_PRINTER = DerivePrinter()


def terminating_decimal(q: sp.Rational, max_places: int = 12) -> str | None:
    """``-971/1000`` -> ``"-0.971"``: the exact decimal of a rational whose expansion
    ends within ``max_places`` digits, computed without floats; else ``None``."""
    q = sp.Rational(q)
    den = q.q
    for f in (2, 5):
        while den % f == 0:
            den //= f
    if den != 1:
        return None
    places = max(sp.multiplicity(2, q.q), sp.multiplicity(5, q.q))
    if places > max_places:
        return None
    if places == 0:
        return str(q)
    digits = str(abs(int(q * 10**places))).rjust(places + 1, "0")
    return ("-" if q < 0 else "") + digits[:-places] + "." + digits[-places:]

#: LaTeX characters per display line before a long sum is broken (about the
#: width left beside the justification column at 11pt).
LINE_BUDGET = 110


def _visible(latex: str) -> int:
    """A rough width: commands and braces cost less than printed symbols."""
    return len(re.sub(r"\\(left|right|mathrm|operatorname|frac|cdot)|[{}]", "", latex))


def tex_lines(expr: Any, budget: int = LINE_BUDGET) -> tuple[NoEscape, ...]:
    """``expr`` as display lines: a long sum is broken between its terms.

    The first line carries the first terms; every later line starts with its
    sign, as in hand-written derivations (``&\\quad + ...``).
    """
    whole = tex(expr)
    if not isinstance(expr, sp.Add) or _visible(whole) <= budget:
        return (whole,)
    lines: list[str] = []
    current = ""
    for i, term in enumerate(_PRINTER._as_ordered_terms(expr)):
        t = _PRINTER._print(term)
        if i == 0:
            piece = t
        elif t.startswith("-"):
            piece = "- " + t[1:]
        else:
            piece = "+ " + t
        if current and _visible(current + piece) > budget:
            lines.append(current)
            current = piece
        else:
            current = f"{current} {piece}".strip()
    lines.append(current)
    return tuple(NoEscape(line) for line in lines)


def tex(expr: Any) -> NoEscape:
    """LaTeX of a SymPy object (or a plain number) as trusted text."""
    return NoEscape(_PRINTER.doprint(sp.sympify(expr) if not isinstance(expr, sp.Basic) else expr))
