"""Pipelines: registration, parameters, and the builder authors write steps with.

A pipeline is a function registered by name with ``@pipeline``.  It receives an
``Inputs`` (its parameters as symbols with domains, and the user's values) and
returns a ``Derivation`` built with ``DerivationBuilder``.  Pipelines derive with
symbols; when the user sets a symbolic parameter to a number, ``run`` appends
the substitution as verified steps, so a numeric instance shows its working.
"""
from __future__ import annotations

import dataclasses
import importlib
import json
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Mapping

import sympy as sp

from . import termorder
from .domains import REAL, Domain
from .errors import DeriveError, ParameterError, PipelineError, UnknownPipelineError, suggest
from .step import CheckRow, Derivation, Justification, Part, Rel, Result, Step, same_side
from .values import WrittenFloat, _parse_expr, exact_decimal, parse_value, parse_values  # noqa: F401 - re-exported

ParamKind = Literal["expr", "json", "choice"]


@dataclass(frozen=True)
class Param:
    """A pipeline parameter.

    ``expr`` parameters are symbols by default (``default=None``) or take a
    default value; they accept numbers or SymPy expressions.  ``json`` parameters
    take JSON data (matrices, lists, objects); ``choice`` ones a name from
    ``choices``.  ``symbol`` is the SymPy name to print (defaults to ``name``).
    """

    name: str
    domain: Domain = REAL
    default: Any = None
    kind: ParamKind = "expr"
    choices: tuple[str, ...] = ()
    symbol: str | None = None
    help: str = ""

    def sym(self) -> sp.Symbol:
        return self.domain.symbol(self.symbol or self.name)

    def describe_default(self) -> str:
        if self.kind == "expr" and self.default is None:
            return f"symbol {self.symbol or self.name}"
        return json.dumps(self.default) if self.kind == "json" else str(self.default)


@dataclass(frozen=True)
class PipelineSpec:
    name: str
    title: str
    params: tuple[Param, ...]
    results: tuple[str, ...]
    build: Callable[["Inputs"], Derivation]
    module: str = ""

    def param(self, key: str) -> Param:
        for p in self.params:
            if p.name == key:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        hint = suggest(key, [p.name for p in self.params])
        raise ParameterError(f"pipeline {self.name} has no parameter '{key}'{hint} (parameters: {known})")


REGISTRY: dict[str, PipelineSpec] = {}


def pipeline(name: str, title: str, params: tuple[Param, ...] | list[Param] = (),
             results: tuple[str, ...] | list[str] = ()) -> Callable[[Callable[["Inputs"], Derivation]], Callable[["Inputs"], Derivation]]:
    """Register ``fn`` as the pipeline ``name`` (see README, "Adding a pipeline")."""

    def register(fn: Callable[["Inputs"], Derivation]) -> Callable[["Inputs"], Derivation]:
        if name in REGISTRY and REGISTRY[name].build is not fn:
            raise RuntimeError(f"pipeline {name} registered twice")
        REGISTRY[name] = PipelineSpec(name, title, tuple(params), tuple(results), fn, fn.__module__)
        return fn

    return register


_LOADED = False


def load_all() -> dict[str, PipelineSpec]:
    """Import every module of ``derive.pipelines`` once, then plugins (``derive.plugins``)."""
    global _LOADED
    if not _LOADED:
        from . import pipelines

        for info in sorted(pkgutil.iter_modules(pipelines.__path__), key=lambda m: m.name):
            if not info.name.startswith("_"):
                importlib.import_module(f"{pipelines.__name__}.{info.name}")
        _LOADED = True
    from .plugins import load_plugins

    load_plugins()
    return REGISTRY


def get(name: str) -> PipelineSpec:
    registry = load_all()
    if name not in registry:
        raise UnknownPipelineError(f"unknown pipeline '{name}'{suggest(name, registry)} (try 'derive list')")
    return registry[name]


# --------------------------------------------------------------------------- #
# What a pipeline sees (values: derive/values.py)
# --------------------------------------------------------------------------- #

@dataclass(frozen=True)
class Inputs:
    """What a pipeline function sees: symbols with domains and the user's values.

    ``carried`` are the domains of the names in the user's values (``sigma1=x-1``:
    x > 1), assumptions of the derivation like the parameters' own."""

    spec: PipelineSpec
    values: Mapping[str, Any]
    carried: Mapping[sp.Symbol, Domain] = field(default_factory=dict)

    def sym(self, key: str) -> sp.Symbol:
        """The parameter as a symbol (always symbolic; see ``value``)."""
        return self.spec.param(key).sym()

    def value(self, key: str) -> Any:
        """The user's value, or the default (the symbol for symbolic defaults)."""
        p = self.spec.param(key)
        if key in self.values:
            return self.values[key]
        if p.kind == "expr":
            return p.sym() if p.default is None else _parse_expr(p.default, p, f"{self.spec.name}: default {key}")
        return p.default

    def domains(self) -> dict[sp.Symbol, Domain]:
        return {**self.carried, **{p.sym(): p.domain for p in self.spec.params if p.kind == "expr"}}

    def substitutions(self) -> dict[sp.Symbol, sp.Expr]:
        """Symbol -> value for every symbolic parameter that is not its own symbol."""
        out = {}
        for p in self.spec.params:
            if p.kind != "expr":
                continue
            v = self.value(p.name)
            if v != p.sym():
                out[p.sym()] = v
        return out

    def builder(self, title: str | None = None) -> "DerivationBuilder":
        return DerivationBuilder(self.spec.name, title or self.spec.title, self, self.domains())


# --------------------------------------------------------------------------- #
# Building derivations
# --------------------------------------------------------------------------- #

class AuthoringError(RuntimeError):
    """A pipeline was written wrongly (a bug in derive, not a user mistake)."""


@dataclass
class PartBuilder:
    label: str
    heading: str
    steps: list[Step] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    checks: list[CheckRow] = field(default_factory=list)
    figures: list[Any] = field(default_factory=list)
    tables: list[Any] = field(default_factory=list)

    def step(self, lhs: Any, rel: Rel | str, rhs: Any, rule: str, text: str = "",
             facts: Mapping[Any, Any] | None = None, tol: Any = None) -> "PartBuilder":
        rel = rel if isinstance(rel, Rel) else Rel(rel)
        fx = tuple((sp.sympify(k), sp.sympify(v)) for k, v in (facts or {}).items())
        self.steps.append(Step(lhs, rel, rhs, Justification(rule, text), fx,
                               None if tol is None else sp.nsimplify(tol)))
        return self

    def eq(self, lhs: Any, rhs: Any, rule: str, text: str = "", **kw: Any) -> "PartBuilder":
        return self.step(lhs, Rel.EQ, rhs, rule, text, **kw)

    def then(self, rhs: Any, rule: str, text: str = "", rel: Rel | str = Rel.EQ, **kw: Any) -> "PartBuilder":
        """Continue the chain: the new step's left side is the last step's right side."""
        if not self.steps:
            raise AuthoringError("then() needs a previous step")
        return self.step(self.steps[-1].rhs, rel, rhs, rule, text, **kw)

    def result(self, key: str, label: Any, value: Any) -> "PartBuilder":
        """Box ``label = value``; ``value`` must be a side of a step of this part."""
        if not any(_mentions(s, value) for s in self.steps):
            raise AuthoringError(f"result {key}: value {value} is not established by a step of part {self.label}")
        self.results.append(Result(key, label, value))
        return self

    def check(self, row: CheckRow) -> "PartBuilder":
        self.checks.append(row)
        return self

    def freeze(self) -> Part:
        return Part(self.label, self.heading, tuple(self.steps), tuple(self.results),
                    tuple(self.checks), tuple(self.figures), tuple(self.tables))


def _mentions(step: Step, value: Any) -> bool:
    sides = [step.lhs, step.rhs]
    for side in (step.lhs, step.rhs):
        if isinstance(side, sp.core.relational.Relational):
            sides += [side.lhs, side.rhs]
        if isinstance(side, sp.And):
            for a in side.args:
                sides += [a.lhs, a.rhs] if isinstance(a, sp.core.relational.Relational) else [a]
    return any(same_side(s, value) for s in sides)


@dataclass
class DerivationBuilder:
    pipeline: str
    title: str
    inputs: Inputs
    domains: dict[sp.Symbol, Domain]
    parts: list[PartBuilder] = field(default_factory=list)
    extra_results: dict[str, Any] = field(default_factory=dict)

    def part(self, label: str, heading: str = "") -> PartBuilder:
        pb = PartBuilder(label, heading)
        self.parts.append(pb)
        return pb

    def declare(self, sym: sp.Symbol, domain: Domain) -> sp.Symbol:
        """Declare a derivation-internal symbol's domain (for sampling bounds)."""
        self.domains[sym] = domain
        return sym

    def export(self, key: str, value: Any) -> None:
        """A result that is not boxed (e.g. a list of plotted values)."""
        self.extra_results[key] = value

    def build(self) -> Derivation:
        results: dict[str, Any] = {}
        for pb in self.parts:
            for r in pb.results:
                results[r.key] = r.value
        results.update(self.extra_results)
        params = {p.name: self.inputs.value(p.name) for p in self.inputs.spec.params}
        return Derivation(self.pipeline, self.title, params, dict(self.domains),
                          tuple(pb.freeze() for pb in self.parts), results)


# --------------------------------------------------------------------------- #
# Running
# --------------------------------------------------------------------------- #

def _tidy(e: Any) -> Any:
    if not isinstance(e, sp.Expr) or not e.free_symbols:
        return sp.nsimplify(e) if isinstance(e, sp.Float) else e
    candidates = [e, sp.expand(e), sp.factor(e), sp.simplify(e)]
    return min(candidates, key=sp.count_ops)


def _instance_part(derivation: Derivation, subs: Mapping[sp.Symbol, sp.Expr]) -> tuple[Part | None, dict[str, Any]]:
    """Substitute the user's values into every symbolic result, as verified steps."""
    # Math for the printer; '=' outside it: derive check reads a relation in text math as a claim.
    shown = ", ".join(f"${sp.sstr(s)}$ = ${sp.sstr(v)}$" for s, v in subs.items())
    pb = PartBuilder("", shown)          # printed as "(instance) W = 36, ..."
    results = dict(derivation.results)
    for key, value in derivation.results.items():
        if not isinstance(value, sp.Basic) or not (value.free_symbols & set(subs)):
            continue
        new = _tidy(termorder.xreplace(value, dict(subs)))
        label = next((r.label for p in derivation.parts for r in p.results if r.key == key), None)
        if not any(same_side(s.lhs, value) for s in pb.steps):  # two results with one formula: one row
            pb.eq(value, new, "substitute", "substitute the given values", facts=dict(subs))
        pb.results.append(Result(key, label if label is not None else sp.Symbol(key), new))
        results[key] = new
    return (pb.freeze() if pb.steps else None), results


def run(name: str, raw: Mapping[str, Any] | None = None) -> Derivation:
    """Build the derivation of pipeline ``name`` with user values ``raw`` (unverified).

    With user values the build runs in a bounded worker process (``derive.worker``:
    time, memory, and C-level calls too); the pipeline's own defaults are trusted."""
    from . import worker

    spec = get(name)
    if not raw:
        return _build(spec, {})
    _warm(spec)
    derivation, order = worker.call(_build_shipped, name, dict(raw), what=name)
    termorder.adopt(order)      # the written order of the sums the worker built
    return derivation


_RUNS: dict[str, int] = {}


def _warm(spec: PipelineSpec) -> None:
    """Before a pipeline's second worker, build its (trusted) defaults here once: each
    worker starts from a copy of this process, so it inherits SymPy's cache and the
    pipeline's lazy imports instead of rebuilding them (variants, a test suite)."""
    _RUNS[spec.name] = _RUNS.get(spec.name, 0) + 1
    if _RUNS[spec.name] == 2:
        try:
            _build(spec, {})
        except DeriveError:
            pass


def _build_shipped(name: str, raw: Mapping[str, Any]) -> tuple[Derivation, dict]:
    before = termorder.snapshot()
    derivation = _build(get(name), raw)
    return derivation, termorder.since(before)


def _build(spec: PipelineSpec, raw: Mapping[str, Any]) -> Derivation:
    values, carried = parse_values(spec, raw)
    inputs = Inputs(spec, values, carried)
    try:
        with termorder.recording():  # the printer keeps the order in which the pipeline wrote each sum
            derivation = spec.build(inputs)
    except DeriveError:
        raise
    except Exception as exc:  # noqa: BLE001 - a pipeline's own bug or a value it cannot take
        raise PipelineError(_build_failure(spec.name, raw or {}, exc)) from exc
    if carried:
        derivation = dataclasses.replace(derivation, domains={**carried, **derivation.domains})
    subs = inputs.substitutions()
    if subs:
        part, results = _instance_part(derivation, subs)
        if part is not None:
            derivation = Derivation(derivation.pipeline, derivation.title, derivation.params,
                                    derivation.domains, derivation.parts + (part,), results)
    return derivation


def _build_failure(name: str, raw: Mapping[str, Any], exc: Exception) -> str:
    """One line for an exception inside pipeline ``name`` (``PipelineError``)."""
    detail = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
    if not raw:
        return f"pipeline {name} failed with its default parameters: {detail}"
    given = ", ".join(f"{k}={v if isinstance(v, str) else json.dumps(v, default=str)}" for k, v in raw.items())
    which = "this value" if len(raw) == 1 else "one of these values"
    return (f"pipeline {name} failed with {given}: {detail} "
            f"(the pipeline may not accept {which}; --debug shows the traceback)")
