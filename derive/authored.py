"""Steps written by the TA: a sheet problem's ``steps`` (an ``align`` body) as a ``Derivation``.

The steps are read by the checker's LaTeX reader (``derive.check``: the
extractor cuts the rows into relations, ``Parser`` reads each side, the
directive readers read ``assume``/``define``/``given``), so there is one
parser for both.  Each relation becomes an engine ``Step`` in a ``Derivation``
built with ``DerivationBuilder`` like a pipeline's; from there verification,
typesetting, marks and boxed results are the engine's.  The TA's TeX source is
never copied into the sheet: only SymPy objects reach the printer.

A row's justification is its trailing ``% why: ...`` comment (or ``\\text{...}``);
``\\boxed{...}`` on the right with ``% result: key`` boxes a result.  ``{{name}}``
placeholders take the problem's ``[problem.params]`` values (numbers).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Mapping

import sympy as sp

from . import authored_sums as fam
from .authored_sums import display as _display, one_group, solved as _solved
from .authored_rows import Row, rows
from .errors import DeriveError, InvalidStepError, SpecError

#: The keys an authored problem may give (``spec.py`` accepts them).
KEYS = ("steps", "assume", "define", "given", "part")
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_DERIVATIVE = re.compile(r"\s*\\frac\s*\{\s*\\partial\s*\}\s*\{\s*\\partial\s*([^{}]+?)\s*\}\s*(\S.*)$", re.S)


@dataclass(frozen=True)
class AuthoredPart:
    label: str
    heading: str
    steps: str
    line: int = 0               # TOML line of the first row (0: unknown)


@dataclass(frozen=True)
class Authored:
    """What the spec says about an authored problem (text; nothing is parsed yet)."""

    parts: tuple[AuthoredPart, ...]
    assume: tuple[str, ...] = ()
    define: tuple[str, ...] = ()
    given: tuple[str, ...] = ()
    source: str = "<spec>"


def _texts(raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and len(v) <= 2000 for v in value):
        raise SpecError(f"{where}: '{key}' must be a list of LaTeX strings")
    return tuple(value)


def read(raw: Mapping[str, Any], where: str, source: str) -> Authored | None:
    """The authored part of a problem table, or ``None`` for a pipeline problem."""
    if "steps" not in raw and "part" not in raw:
        return None
    if "pipeline" in raw:
        raise SpecError(f"{where}: give either 'pipeline' or 'steps', not both")
    parts = []
    if "steps" in raw:
        parts.append(AuthoredPart("", "", _steps(raw, where)))
    for i, p in enumerate(raw.get("part", []), 1):
        if not isinstance(p, dict) or "steps" not in p:
            raise SpecError(f"{where}: part {i} needs 'steps'")
        label = p.get("label", chr(ord("a") + i - 1))
        if not isinstance(label, str) or not isinstance(p.get("heading", ""), str):
            raise SpecError(f"{where}: part {i}: 'label' and 'heading' must be strings")
        parts.append(AuthoredPart(label, p.get("heading", ""), _steps(p, f"{where}: part {label}")))
    return Authored(tuple(parts), _texts(raw, "assume", where), _texts(raw, "define", where),
                    _texts(raw, "given", where), source)


def _steps(raw: Mapping[str, Any], where: str) -> str:
    text = raw["steps"]
    if not isinstance(text, str) or not text.strip() or len(text) > 20_000:
        raise SpecError(f"{where}: 'steps' must be a non-empty LaTeX string (an align body)")
    return text


def locate(a: Authored, text: str, pid: str) -> Authored:
    """Find each part's rows in the TOML source, for error messages that name the line."""
    m = re.search(r"^\s*id\s*=\s*[\"']" + re.escape(pid) + r"[\"']", text, re.M)
    pos = m.start() if m else 0
    parts = []
    for part in a.parts:
        first = next((ln.strip() for ln in part.steps.splitlines() if ln.strip()), "")
        at = text.find(first, pos) if first else -1
        if at >= 0:
            pos = at
        parts.append(replace(part, line=text.count("\n", 0, at) + 1 if at >= 0 else 0))
    return replace(a, parts=tuple(parts))


# --------------------------------------------------------------------------- #
# Rows -> Steps
# --------------------------------------------------------------------------- #

def fill(steps: str, params: Mapping[str, Any], where: str) -> str:
    """``{{n}}`` -> the parameter's value, as LaTeX from derive's printer."""
    from .printer import tex

    def value(m: re.Match) -> str:
        key = m.group(1)
        if key not in params:
            raise SpecError(f"{where}: steps use {{{{{key}}}}}, which [problem.params] does not give")
        v = _number(params[key], f"{where}: parameter {key}")
        return "{" + (f"\\left({tex(v)}\\right)" if v.is_negative else str(tex(v))) + "}"

    return _PLACEHOLDER.sub(value, steps)


def _number(raw: Any, where: str) -> sp.Rational:
    from .pipeline import exact_decimal

    if isinstance(raw, sp.Rational):
        return raw
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise SpecError(f"{where}: an authored problem's parameters are numbers")
    if isinstance(raw, int):
        if abs(raw) > 10**12:
            raise SpecError(f"{where}: too large")
        return sp.Integer(raw)
    return exact_decimal(raw, where)


class _Reader:
    """The checker's parser, with the problem's assumptions, definitions and givens."""

    def __init__(self, a: Authored, where: str, values: Mapping[str, Any]) -> None:
        from .check.directives import DirectiveError, parse_assumptions
        from .check.parse import Context, Parser, indexed_bases

        self.where = where
        try:
            domains = parse_assumptions([fill(t, values, where) for t in a.assume])
        except DirectiveError as exc:
            raise SpecError(f"{where}: assume: {exc}") from None
        body = "\n".join(p.steps for p in a.parts) + "\n".join(a.given + a.define)
        indexed = indexed_bases(body) - fam.family_bases(a.define)
        self.ctx = Context(domains=fam.entry_domains(domains, indexed), indexed=indexed)
        self.parser = Parser(self.ctx)
        self.sums = fam.unbounded_sums([p.steps for p in a.parts] + list(a.given + a.define), a.assume, where)
        self.families: list[fam.Family] = []
        self.facts: list[tuple[sp.Basic, sp.Basic]] = []
        self.kinds: dict[sp.Basic, str] = {}        # fact key -> "given" or "definition"
        self.seen: set[sp.Basic] = set()
        #: names a given, assume or parameter constrains are never fresh (``x &= 0`` after ``x y = 0``: a claim)
        self.constrained: set[sp.Basic] = {self.ctx.symbol(k) for k in [*domains, *values]}
        for kind, texts in (("define", a.define), ("given", a.given)):
            for t in texts:
                self.premise(fill(t, values, where), kind)

    def side(self, text: str, what: str) -> Any:
        from .check.parse import ParseError

        try:
            text = self.sums(text)
            d = fam.partial(text, self.parser.parse, lambda f: any(k == f for k, _ in self.facts))
            if d is not None:
                return d
            m = _DERIVATIVE.match(text)
            if m and one_group(m.group(2)):    # kept unevaluated: the sheet shows the derivative taken
                var, operand = self.parser.parse(m.group(1)), self.parser.parse(m.group(2))
                if isinstance(var, sp.Symbol) and isinstance(operand, sp.Expr):
                    return _display(sp.Derivative(operand, var))
            return _display(self.parser.parse(text))
        except ParseError as exc:
            raise InvalidStepError(f"{what} is unparsed: {exc}") from None

    def premise(self, text: str, kind: str) -> None:
        from .check.directives import DirectiveError, split_equation
        from sympy.core.function import AppliedUndef

        try:
            lt, rt = split_equation(text)
            lhs, rhs = self.side(lt, f"{kind} '{text}'"), self.side(rt, f"{kind} '{text}'")
        except (DirectiveError, InvalidStepError) as exc:
            raise SpecError(f"{self.where}: {kind}: {exc}") from None
        if kind == "define" and isinstance(lhs, AppliedUndef) and lhs.args \
                and all(isinstance(x, sp.Symbol) for x in lhs.args) and len(set(lhs.args)) == len(lhs.args):
            member = fam.family(lhs, rhs, self.ctx.symbol)
            if member is not None:
                self.families.append(member)
            else:
                self.ctx.functions[lhs.func.__name__] = sp.Lambda(lhs.args, rhs)
            return
        self.members(lhs, rhs)
        if kind == "given":
            self.constrained |= {x for side in (lhs, rhs) for x in getattr(side, "free_symbols", ())}
        self.record(*_solved(lhs, rhs), kind="definition" if kind == "define" else "given")

    def record(self, lhs: Any, rhs: Any, kind: str) -> None:
        """A fact, composed with the earlier ones (facts are substituted once)."""
        rhs = rhs.xreplace(dict(self.facts)) if isinstance(rhs, sp.Basic) else rhs
        self.facts = [(k, v.xreplace({lhs: rhs}) if isinstance(v, sp.Basic) else v) for k, v in self.facts]
        self.facts.append((lhs, rhs))
        self.kinds[lhs] = kind

    def members(self, *sides: Any) -> None:
        """Each family member written (``sigma_k(z)``) becomes a fact: its definition."""
        for app, value in fam.applications(self.families, sides, self.ctx.symbol):
            if app not in self.kinds:
                self.record(app, value, "definition")

    def used(self, *sides: Any, givens: bool = True) -> tuple[dict[Any, Any], str]:
        """The facts a step's sides mention, and the rule that cites them; a given about a
        family's sum (``\\sum_i y_i = 1``) whenever the step sums over that family."""
        from .verify.sums import constraints

        facts = {k: v for k, v in self.facts if any(isinstance(x, sp.Basic) and x.has(k) for x in sides)}
        sums = [t for x in sides if isinstance(x, sp.Basic) for t in x.xreplace(facts).atoms(sp.Sum)]
        bases = {b for t in sums for b in t.function.atoms(sp.IndexedBase)}     # a sum over the family
        facts.update({k: v for k, v in constraints(self.facts) if givens and k.atoms(sp.IndexedBase) & bases})
        kinds = {self.kinds[k] for k in facts}
        return facts, ("given" if "given" in kinds else "definition" if kinds else "algebra")


def derivation(pid: str, title: str, a: Authored, params: Mapping[str, Any]) -> Any:
    """The problem's ``Derivation`` (unverified), built in a bounded worker process
    (``derive.worker``: time, memory and C-level calls), since the steps are user text."""
    from . import worker

    return worker.call(_derivation, pid, title, a, dict(params), what=f"problem {pid}")


def _derivation(pid: str, title: str, a: Authored, params: Mapping[str, Any]) -> Any:
    from . import pipeline as pl
    from .domains import REAL

    where = a.source            # the caller names the problem
    values = {k: _number(v, f"{where}: parameter {k}") for k, v in params.items()}
    spec = pl.PipelineSpec(f"authored:{pid}", title, tuple(pl.Param(k, kind="json", default=v)
                                                          for k, v in params.items()), (), lambda _: None)
    reader = _Reader(a, where, values)
    builder = pl.DerivationBuilder(spec.name, title, pl.Inputs(spec, dict(params)), {})
    for part in a.parts:
        pwhere = where + (f": part ({part.label})" if part.label else "")
        pb = builder.part(part.label, part.heading)
        for row in rows(fill(part.steps, values, pwhere), part.line, pwhere):
            _add(pb, reader, row, f"{pwhere}, line {row.line}" if row.line else pwhere)
    declared = {_display(k): v for k, v in reader.ctx.declared().items()}
    builder.domains = {**{s: REAL for s in _symbols(builder)}, **declared}
    return builder.build()


def _symbols(builder: Any) -> set[sp.Symbol]:
    out: set[sp.Symbol] = set()
    for pb in builder.parts:
        for s in pb.steps:
            for side in (s.lhs, s.rhs):
                out |= {x for x in getattr(side, "free_symbols", ()) if isinstance(x, sp.Symbol)}
    return out


_RELS = {"eq": "=", "le": "<=", "lt": "<", "ge": ">=", "gt": ">", "approx": "≈"}


def _add(pb: Any, reader: _Reader, row: Row, where: str) -> None:
    from .check.divisions import written_gap

    r = row.raw
    what = f"{where}: step '{row.source}'"
    if r.rel not in _RELS:
        raise InvalidStepError(f"{what}: the relation {r.rel_text} is not supported in authored steps")
    if r.conditions:
        # "x^2 &\ge x \text{ for } x \ge 0": the step holds only under its condition, which a sheet's
        # step cannot carry (checked without it, a true step would fail and the condition be lost)
        raise InvalidStepError(f"{what}: a step's own condition ({' '.join(r.conditions[0].text.split())[:60]}) "
                               "is not supported in authored steps; give it to the problem (assume = [...])")
    lhs, rhs = reader.side(r.lhs.text, what), reader.side(r.rhs.text, what)
    reader.members(lhs, rhs)
    fresh = isinstance(lhs, sp.Symbol) and lhs not in reader.seen and lhs not in reader.constrained \
        and not rhs.has(lhs) and r.first and r.rel == "eq" and not any(k == lhs for k, _ in reader.facts)
    if fresh:                   # ``L &= ...``: a definition, a fact for every later step
        reader.record(lhs, rhs, "definition")
    gap = None if r.rel != "eq" or fresh else written_gap((r.lhs.text, r.rhs.text), (lhs, rhs), reader.ctx,
                                                          reader.parser.parse, reader.facts)
    if gap is not None:         # a/b = ac/(bc) at c = 0: a sheet never certifies it bare
        advice = f"; add '{gap.condition}' to the problem's assume" if gap.assumable else ""
        raise InvalidStepError(f"{what} holds only where {gap.condition}: at {gap.label} = {gap.at} "
                               f"the {gap.side} side {gap.says}{advice}")
    facts, rule = reader.used(lhs, rhs, givens=not fresh)
    pb.step(lhs, _RELS[r.rel], rhs, rule, row.why, facts=facts)
    for side in (lhs, rhs):
        reader.seen |= {x for x in getattr(side, "free_symbols", ()) if isinstance(x, sp.Symbol)}
    if row.boxed or row.result:
        if not (row.boxed and row.result):
            raise SpecError(f"{what}: a boxed result needs both \\boxed{{...}} and '% result: key'")
        label = _chain_start(pb) if not r.first else lhs
        pb.result(row.result, label, rhs)


def _chain_start(pb: Any) -> Any:
    """The left side of the chain the last step continues."""
    from .step import same_side

    steps = pb.steps
    i = len(steps) - 1
    while i > 0 and same_side(steps[i].lhs, steps[i - 1].rhs):
        i -= 1
    return steps[i].lhs


def all_rows(a: Authored, params: Mapping[str, Any]) -> list[Row]:
    """The rows of every part in step order (the extractor only: no SymPy)."""
    values = {k: _number(v, f"{a.source}: parameter {k}") for k, v in params.items()}
    return [row for part in a.parts for row in rows(fill(part.steps, values, a.source), part.line, a.source)]


def verify(a: Authored, params: Mapping[str, Any], d: Any, verifier: Any) -> Any:
    """Verify every step; the first that is not ``proved``/``numeric`` is one error line."""
    from .printer import tex

    source = a.source
    verifier.prefetch((s, d.domains) for s in d.steps())
    for n, (step, row) in enumerate(zip(d.steps(), all_rows(a, params)), 1):
        v = verifier.verify_step(step, d.domains)
        if v.ok:
            continue
        cex = ""
        if v.counterexample:
            cex = "; counterexample " + ", ".join(f"{k}={x}" for k, x in v.counterexample.items())
        at = f"{source}, line {row.line}" if row.line else source
        raise InvalidStepError(
            f"{at}: step {n} '{row.source}' is {v.status}: "
            f"{tex(step.lhs)} {step.rel.latex} {tex(step.rhs)} ({v.message}{cex})")
    with verifier.repeated():           # the steps just verified: no verdicts 'from the cache'
        return verifier.verify(d)


__all__ = ["Authored", "AuthoredPart", "KEYS", "read", "locate", "derivation", "verify", "DeriveError"]
