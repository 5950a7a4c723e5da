"""Verified derivations -> LaTeX text, through Jinja templates (pure: no disk writes).

The environment uses delimiters that cannot clash with TeX (``((* *))``,
``((( )))``, ``((= =))``) and ``StrictUndefined``, and is built in exactly one
function.  Mathematics reaches templates only as ``NoEscape`` text made by the
printer from verified SymPy objects; prose is escaped here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import jinja2
import sympy as sp
from pylatex.utils import NoEscape, escape_latex

from .errors import TemplateError
from .printer import tex, tex_lines
from .resources import template_dir
from .step import CheckedStep, Part, Rel, VerifiedDerivation, same_side
from .termorder import recording

TEMPLATE_DIR = template_dir()

MARKS = {"proved": NoEscape(r"\DeriveProved"), "numeric": NoEscape(r"\DeriveNumeric")}


@lru_cache(maxsize=8)
def _environment(dirs: tuple[str, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(dirs)),
        block_start_string="((*", block_end_string="*))",
        variable_start_string="(((", variable_end_string=")))",
        comment_start_string="((=", comment_end_string="=))",
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, autoescape=False,
        keep_trailing_newline=True,
    )
    env.filters["escape"] = escape_prose
    env.filters["cell"] = table_cell
    return env


def environment(template_dirs: Sequence[Path] = ()) -> jinja2.Environment:
    """The Jinja environment; a user's directories are searched before ours."""
    return _environment(tuple(str(d) for d in (*template_dirs, TEMPLATE_DIR)))


_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}|(?<!\\)\$([^$]+)\$")


class ProseMathError(ValueError):
    """A ``$...$`` segment of prose is not a SymPy expression."""


@lru_cache(maxsize=4096)
def prose_math(source: str) -> NoEscape:
    """Typeset ``$...$`` from a spec: a SymPy expression, printed by our printer.

    Spec authors write ``$KL(Normal(mu1, sigma1^2), Normal(0, 1))$`` rather than
    raw TeX, so statements use the same notation as the verified steps and no
    hand-typed LaTeX reaches a sheet.
    """
    from . import expr as safe

    try:
        expr = safe.parse_expr(source, safe.PROSE)
        return NoEscape(f"${tex(expr)}$")
    except Exception:  # noqa: BLE001 - parsing and printing raise many kinds of errors
        raise ProseMathError(source) from None


def escape_prose(text: str, results: Mapping[str, Any] | None = None) -> NoEscape:
    """Escape prose from a spec.

    ``{{key}}`` quotes a (verified) result as math; ``$expr$`` typesets a SymPy
    expression (see ``prose_math``); ``\\$`` is a literal dollar.
    """
    out, pos = [], 0
    for m in _PLACEHOLDER.finditer(text):
        out.append(escape_latex(text[pos:m.start()].replace("\\$", "$")))
        key = m.group(1)
        if key is None:
            with recording():  # print the terms in the order the author wrote them
                out.append(prose_math(m.group(2)))
        else:
            if results is None or key not in results:
                raise KeyError(key)
            out.append(f"${tex_value(results[key])}$")
        pos = m.end()
    out.append(escape_latex(text[pos:].replace("\\$", "$")))
    return NoEscape("".join(out))


def prose_text(text: str) -> NoEscape:
    """Text the engine writes (justifications, part headings, cross-check methods,
    table cells): escaped, with ``$expr$`` (SymPy syntax) typeset by the printer."""
    return escape_prose(text)


def tex_value(value: Any) -> NoEscape:
    """LaTeX for a result value: expressions, matrices, lists, numbers, strings."""
    if isinstance(value, str):
        return NoEscape(r"\text{" + escape_latex(value) + "}")
    if isinstance(value, (list, tuple)):
        return NoEscape(r"\left(" + ", ".join(tex_value(v) for v in value) + r"\right)")
    if isinstance(value, float):
        return NoEscape(f"{value:.6g}")
    return tex(value)


def table_cell(value: Any) -> NoEscape:
    """A table cell: plain strings are escaped text, anything else is math."""
    if isinstance(value, str):
        return prose_text(value)
    return NoEscape(f"${tex_value(value)}$")


@dataclass(frozen=True)
class StepView:
    lhs: NoEscape
    rel: NoEscape
    rhs: NoEscape
    rule: NoEscape
    text: NoEscape
    mark: NoEscape
    verdict: str
    continues: bool
    #: the step's facts as ``k = v`` LaTeX, so ``derive check`` can read the sheet back
    facts: tuple[NoEscape, ...] = ()
    #: the right side broken into display lines (one line unless it is a long sum)
    rhs_lines: tuple[NoEscape, ...] = ()

    def __post_init__(self) -> None:
        if not self.rhs_lines:
            object.__setattr__(self, "rhs_lines", (self.rhs,))


@dataclass(frozen=True)
class CheckView:
    quantity: NoEscape
    exact: str
    estimate: str
    tolerance: str
    method: NoEscape
    ok: bool


@dataclass(frozen=True)
class PartView:
    label: str
    heading: NoEscape
    steps: tuple[StepView, ...]
    results: tuple[tuple[NoEscape, NoEscape], ...]
    checks: tuple[CheckView, ...]
    figures: tuple[Any, ...]
    tables: tuple[Any, ...]
    prose: tuple[NoEscape, ...]
    #: the derivation's symbol domains as LaTeX (``\sigma_{1} > 0``), for ``derive check``
    assumptions: tuple[NoEscape, ...] = ()
    #: definitions of notation the steps use (``\sigma(z) = ...``), for ``derive check``
    defines: tuple[NoEscape, ...] = ()
    #: the boxed results packed into rows that fit the line, shown side by side
    result_rows: tuple[tuple[tuple[NoEscape, NoEscape], ...], ...] = ()

    def __post_init__(self) -> None:
        if self.results and not self.result_rows:
            object.__setattr__(self, "result_rows", pack_results(self.results))


#: Visible characters of boxed results that fit side by side on one line.
RESULT_ROW_BUDGET = 64


def pack_results(results: Sequence[tuple[NoEscape, NoEscape]],
                 budget: int = RESULT_ROW_BUDGET) -> tuple[tuple[tuple[NoEscape, NoEscape], ...], ...]:
    """Boxed results in as few rows of equal length as fit ``budget`` each (one per row
    when even two do not fit)."""
    from .printer import _visible

    widths = [_visible(f"{label} = {value}") + 6 for label, value in results]
    n = len(results)
    for k in range(1, n + 1):
        size = -(-n // k)
        if all(sum(widths[i:i + size]) <= budget for i in range(0, n, size)):
            break
    return tuple(tuple(results[i:i + size]) for i in range(0, n, size))


def _side(obj: Any) -> NoEscape:
    if isinstance(obj, sp.And):
        return NoEscape(r",\ ".join(tex(a) for a in obj.args))
    return tex(obj)


def step_views(steps: Iterable[CheckedStep]) -> tuple[StepView, ...]:
    views = []
    prev_rhs: Any = None
    for cs in steps:
        s, v = cs.step, cs.verdict
        cont = prev_rhs is not None and same_side(s.lhs, prev_rhs)
        views.append(StepView(_side(s.lhs), NoEscape(s.rel.latex), _side(s.rhs),
                              prose_text(s.why.rule), prose_text(s.why.text),
                              MARKS[v.status], v.status, cont, _facts_tex(s.facts),
                              _side_lines(s.rhs)))
        prev_rhs = s.rhs
    return tuple(views)


def _side_lines(obj: Any) -> tuple[NoEscape, ...]:
    if isinstance(obj, sp.Expr) and not isinstance(obj, sp.MatrixBase):
        return tex_lines(obj)
    return (_side(obj),)


def _facts_tex(facts: Iterable[tuple[Any, Any]]) -> tuple[NoEscape, ...]:
    logic = (sp.core.relational.Relational, sp.logic.boolalg.BooleanFunction)
    return tuple(NoEscape(f"{tex(k)} = {tex(v)}") for k, v in facts
                 if not isinstance(k, logic) and not isinstance(v, logic))


def domain_tex(sym: sp.Symbol, dom: Any) -> NoEscape | None:
    """A domain as LaTeX constraints (``n \\in \\mathbb{Z}, n \\ge 1``); ``None`` when unconstrained."""
    name = tex(sym)
    bits = [rf"{name} \in \mathbb{{Z}}"] if dom.integer else []
    if dom.lo is not None:
        bits.append(name + (r" \ge " if dom.closed_lo else " > ") + f"{dom.lo:g}")
    if dom.hi is not None:
        bits.append(name + (r" \le " if dom.closed_hi else " < ") + f"{dom.hi:g}")
    return NoEscape(", ".join(bits)) if bits else None


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def part_views(vd: VerifiedDerivation, prose: Mapping[str, Sequence[str]] | None = None,
               results: Mapping[str, Any] | None = None) -> tuple[PartView, ...]:
    prose = prose or {}
    out = []
    doms, defines = _premises_tex(vd)
    for part, checked in vd.checked_parts():
        view = _part_view(part, checked, [escape_prose(t, results) for t in prose.get(part.label, ())])
        out.append(replace(view, assumptions=doms, defines=defines))
    return tuple(out)


def _premises_tex(vd: VerifiedDerivation) -> tuple[tuple[NoEscape, ...], tuple[NoEscape, ...]]:
    """Domains (declared, or carried by a symbol's assumptions) and definitions of the
    notation the steps use (the sigmoid), as LaTeX for ``% derive:`` comments."""
    from . import notation as nt
    from .domains import domain_of

    objs = [o for s in vd.derivation.steps() for side in (s.lhs, s.rhs)
            for o in (list(side) if isinstance(side, sp.MatrixBase) else [side]) if isinstance(o, sp.Basic)]
    declared = dict(vd.derivation.domains)
    syms = set().union(*[o.free_symbols for o in objs]) if objs else set()
    for sym in sorted((x for x in syms if isinstance(x, sp.Symbol) and x not in declared), key=str):
        declared[sym] = domain_of(sym, {})
    doms = tuple(t for sym, dom in declared.items() if (t := domain_tex(sym, dom)) is not None)
    defines = []
    for cls in nt.DEFINED:
        if any(o.has(cls) for o in objs):
            args = sp.symbols(f"z_:{cls.nargs and max(cls.nargs) or 1}", real=True) if cls is not nt.Sigmoid \
                else (sp.Symbol("z", real=True),)
            try:
                f = cls(*args)
                defines.append(NoEscape(f"{tex(f)} = {tex(f.rewrite(sp.exp))}"))
            except (TypeError, ValueError):
                continue
    return doms, tuple(defines)


def _part_view(part: Part, checked: Sequence[CheckedStep], prose: list[NoEscape]) -> PartView:
    return PartView(
        label=part.label,
        heading=prose_text(part.heading),
        steps=step_views(checked),
        results=tuple((tex_value(r.label), tex_value(r.value)) for r in part.results),
        checks=tuple(CheckView(tex(c.quantity), _fmt(c.exact), _fmt(c.estimate), f"{c.tolerance:.2g}",
                               prose_text(c.method), c.ok) for c in part.checks),
        figures=part.figures,
        tables=part.tables,
        prose=tuple(prose),
    )


def render(template: str, template_dirs: Sequence[Path] = (), **context: Any) -> str:
    """Render ``template`` with ``context``; the one entry point for templates.

    Any Jinja failure (a missing template, a syntax error or an undefined name,
    often in a user's ``--templates`` copy) is one ``TemplateError``.
    """
    try:
        return environment(template_dirs).get_template(template).render(**context)
    except jinja2.TemplateError as exc:
        where = getattr(exc, "filename", None) or template
        line = f":{exc.lineno}" if getattr(exc, "lineno", None) else ""
        kind = "not found" if isinstance(exc, jinja2.TemplateNotFound) else f"{type(exc).__name__}: {exc}"
        raise TemplateError(f"template {where}{line}: {kind}") from exc


__all__ = ["environment", "render", "part_views", "step_views", "escape_prose", "tex_value", "Rel"]
