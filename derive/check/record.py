"""Facts of a scope: givens, definitions, sides as read, and distributions (moved out of ``check/judge.py``).

``Recording`` is the part of the ``Judge`` that keeps what a document states: a ``given`` or
``define`` directive, a function defined by ``f(x) = ...``, the moments of ``X \\sim ...``, and
every side read once (``side``) with the expectation algebra applied (``_moments``);
``_prep`` applies the facts in scope to an expression.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from ..verify import prepare
from ..verify.probability import HEADS_OUT, canonical
from .directives import split_equation, with_law
from .randoms import law_problems, law_read
from .chains import RawStep
from .facts import matrix_facts, FactStore, is_name, moments, names_in
from .latex.matrices import MatrixShape, mentions
from .parse import Context, Parser, ParseError, finish, normalise, symbol_key
from .report import Verdict


#: a name alone (``W^{(2)}``, ``\\delta_1``): read as written, so that it may be defined anew
_BARE_NAME = re.compile(r"\s*(?:\\[A-Za-z]+|[A-Za-z])\s*(?:\^\s*\{[^{}]*\}\s*)?(?:_\s*(?:\{[^{}]*\}|\w)\s*)?")


#: a name applied to parentheses (``\\sigma(W x + b)``, ``f(x)``): a function the matrix reader would
#: read as a product; only the entry-wise functions it knows are read there
_APPLIED = re.compile(r"(?:(?<![\\A-Za-z])[A-Za-z]|\\(?!(?:exp|tanh|mathrm|operatorname)(?![A-Za-z]))[A-Za-z]+)"
                      r"\s*(?:_\s*(?:\{[^{}]*\}|\w)\s*)?(?:\^\s*\{[^{}]*\}\s*)?\(")


@dataclass
class _Valued(Context):
    """A context in which the names that facts give explicit matrices are those matrices."""

    values: dict[str, Any] = field(default_factory=dict)

    def symbol(self, raw: str) -> Any:
        key = symbol_key(raw)
        return self.values[key] if key in self.values else super().symbol(raw)


class Recording:
    """The facts and definitions of the scope being checked (a mixin of ``Judge``)."""

    @property
    def facts(self) -> list[tuple[sp.Basic, sp.Basic]]:
        return [(f.key, f.value) for f in self.store.facts()] + [(f.key, f.value) for f in self.region_store.facts()]

    def _enter_part(self, part: int) -> None:
        """A part label (``**(b)**``): facts flow on, names of earlier parts may be defined anew."""
        if self.prelude_seen is None:
            self.prelude_seen = set(self.seen)
        self.frame_seen = set()
        self.part = part

    # -- premises ------------------------------------------------------------ #
    def _given(self, text: str, region: bool = False, define: bool = False) -> None:
        lhs_t, rhs_t = split_equation(text)
        lhs, rhs = self._moments(self.parser.parse(lhs_t)), self._moments(self.parser.parse(rhs_t))
        self._record(lhs, rhs, region, define)

    def _record(self, lhs: Any, rhs: Any, region: bool = False, define: bool = False, line: int = 0,
                role: str = "given") -> None:
        # ``f(x) = ...`` defines the function f for every argument (a ``define``, or a
        # step about a function name); ``\|x\|_2 = \sqrt{d} RMS(x)`` is a fact about x only.
        define = define or (isinstance(lhs, AppliedUndef) and lhs.func.__name__ not in self.ctx.atom_heads)
        if define and isinstance(lhs, AppliedUndef) and lhs.args and all(isinstance(a, sp.Symbol) for a in lhs.args) \
                and len(set(lhs.args)) == len(lhs.args) and not isinstance(rhs, sp.MatrixBase):
            self.ctx.functions[lhs.func.__name__] = sp.Lambda(lhs.args, rhs)
            self._cache.clear()
            return
        # A later fact supersedes an earlier one it would loop with (v -> 2 w, then
        # w -> v / 2): facts are substituted to a fixed point, so the stores keep no cycle.
        other = self.section_store_for(not region)
        for n in names_in(rhs):
            fact = other.get(n)
            if fact is not None and (role == "given" or lhs in names_in(fact.value)):
                other.drop(n)
        other.drop(lhs)
        self.section_store_for(region).add(lhs, rhs, line, role)

    def section_store_for(self, region: bool) -> FactStore:
        return self.region_store if region else self.store

    # -- parsing ---------------------------------------------------------------- #
    def side(self, text: str) -> Any:
        ordered = self._ordered_side(text)
        if ordered is not None:
            return ordered
        if text not in self._cache:
            try:
                self.written[text] = self.parser.parse(text)
                self._cache[text] = self._moments(self.written[text])
            except ParseError as exc:
                self._cache[text] = exc
        value = self._cache[text]
        if isinstance(value, ParseError):
            raise value
        return value

    def _ordered_side(self, text: str) -> Any:
        """``W^{(1)} x + b^{(1)}`` where facts give W^{(1)}, x and b^{(1)} explicit matrices: read with
        those names as matrices (so the product keeps its order) and their values put in, an explicit
        matrix (``None``: no such name, a bare name, which may be defined anew, or not a matrix)."""
        matrices = matrix_facts(self.store, self.region_store)
        if not matrices or _BARE_NAME.fullmatch(text) or not mentions(text, {k.name for k in matrices}) \
                or _APPLIED.search(normalise(text)):
            return None
        carried = {k.name for k in getattr(self, "carried", {}) if isinstance(k, sp.Symbol)}
        if carried and mentions(text, carried):
            return None         # a name a wrong line gave another value: judged by ``Deciding._carry``
        domains = dict(self.ctx.domains)
        for key, value in matrices.items():
            domains.setdefault(key.name, MatrixShape(f"{value.rows}x{value.cols}", rows=str(value.rows),
                                                     cols=str(value.cols)))
        ctx = _Valued(domains=domains, indexed=set(self.ctx.indexed), functions=dict(self.ctx.functions),
                      atom_heads=set(self.ctx.atom_heads), function_names=set(self.ctx.function_names),
                      values={k.name: v for k, v in matrices.items()})
        try:
            e = Parser(ctx).parse(text)
            if isinstance(e, sp.MatrixExpr) and not isinstance(e, sp.MatrixBase):
                e = sp.ImmutableMatrix(e.doit().as_explicit())
        except Exception:  # noqa: BLE001 - not read as matrices: the plain reading stands
            return None
        if isinstance(e, sp.Expr) and e.has(sp.Trace):
            e = e.doit()            # W_3 a_2 + b_3: a 1x1 product plus a number is a number
        if isinstance(e, sp.Expr) and (e.has(sp.MatrixSymbol) or e.has(sp.MatrixExpr)):
            return None
        return finish(e) if isinstance(e, (sp.MatrixBase, sp.Expr)) else None

    def _moments(self, e: Any) -> Any:
        """Expectations, variances and covariances in normal form (``probability.canonical``)."""
        out = canonical(e, self.random)
        if out is not e:
            self.ctx.atom_heads |= HEADS_OUT       # never function definitions
        return out

    def _prep(self, e: Any, extra: dict[Any, Any] | None = None, depth: int = 0) -> Any:
        """``e`` with the facts in scope (then ``extra``) applied and ReLU/Hadamard evaluated.

        Only the facts ``e`` uses are looked up (``FactStore.relevant``), so the
        cost does not grow with the number of facts in the document."""
        mapping = dict(self.store.relevant(e))
        if self.region_store:
            mapping.update(self.region_store.relevant(e))
        if extra:
            mapping.update(extra)
        facts = list(mapping.items())
        out = e
        # facts may use one another (E[..] -> d ||x||^2 -> d d_in RMS(x)^2): apply to a fixed point
        for _ in range(8):
            try:
                new = prepare(out, facts)
            except (ValueError, TypeError, sp.ShapeError):
                # ``subs`` refuses some sums (dummy dependencies); exact matches still apply
                new = out.xreplace(mapping) if isinstance(out, sp.Basic) else out
            if new == out:
                break
            out = new
        if hasattr(self, "_entry_values"):      # c_t^{(1)}: an entry of the vector c_t (check/entries.py)
            out = self._entry_values(out, extra, depth)
        return finish(out)

    def _distribution(self, raw: RawStep) -> Verdict:
        """``X \\sim \\mathcal{N}(\\mu, \\sigma^2)``: its moments become facts."""
        problems = law_problems(raw.rhs.text)
        if problems:        # Bernoulli(2): no such law, so nothing follows from it
            return Verdict("invalid", "law", f"no such distribution: {problems[0]}")
        found = moments(raw.lhs.text, raw.rhs.text)
        line = self.ex.line_of(raw.offset)
        declared = with_law(self.random, raw.lhs.text, raw.rhs.text, self.parser.parse)
        if declared is not None:        # its moments, for the expectation algebra
            self.random = declared
            self._cache.clear()
            self._stated_law(raw)       # its parameters' domains (premises.py)
        if not found:
            if declared is not None and law_read(declared, raw.lhs.text):
                x = self._moments(self.parser.parse(f"\\mathbb{{E}}[{raw.lhs.text}]"))
                v = self._moments(self.parser.parse(f"\\mathrm{{Var}}({raw.lhs.text})"))
                return Verdict("given", "distribution", f"gives mean {sp.latex(x)} and variance {sp.latex(v)}",
                               role="data")
            return Verdict("given", "distribution", "a distribution (its moments are not known to derive)", role="data")
        for moment, value in found:
            try:
                key, val = self._moments(self.parser.parse(moment)), self._moments(self.parser.parse(value))
            except ParseError:
                continue
            if is_name(key):
                self._record(key, val, line=line, role="data")
        mean, var = found[0][1], found[len(found) // 2][1]
        return Verdict("given", "distribution", f"gives mean {mean} and variance {var}", role="data")
