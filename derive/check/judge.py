"""Turn extracted steps into verdicts with the engine's verifier.

Each step becomes an engine ``Step`` (facts from givens, domains from
assumptions) and goes through ``Verifier.verify_step``, whose symbolic work runs
in a killable worker, so no step can take longer than its time bound and no
SIGALRM is needed.  On top of the engine this module adds what hand-written
work needs: ``given`` steps, rounding of printed decimals, ``\\approx`` at the
printed precision, and for an invalid step the *condition* under which it
would hold (the zeros of the factors of ``lhs - rhs``) and, for matrices, the
entries that differ.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

from ..config import DEFAULT
from ..domains import INTEGER, POSITIVE_INTEGER, Domain
from ..verify import Verifier
from .directives import DirectiveError, merge_domains, parse_assumptions, random_model, read_assumptions
from .decide import Deciding
from .sides import Reading, _SideError
from .diagnose import _opaque, _short, _symbols  # noqa: F401 - _short: used by tests and callers
from .facts import FactStore, is_name, names_in
from .document import DocumentError, kind_of, read_document
from .extract import IMPLICATIONS, Expr, Extraction, RawStep, extract
from .parse import Context, Parser, ParseError, defined_function, indexed_bases, symbol_key
from .latex.rules import unread_reason
from .conventions import Conventions
from .quantifiers import Every
from .record import Recording
from . import sets
from .tolerance import element_half
from .relations import _SP_REL
from .report import Report, StepReport, Verdict

_SUM_LIMIT = re.compile(r"\\(?:sum|prod)\s*_\s*\{?\s*([A-Za-z](?:_\{?\w+\}?)?)\s*=[^}^]*\}?\s*\^\s*"
                        r"(\{\s*([A-Za-z](?:_\{?\w+\}?)?)\s*\}|([A-Za-z]))")


def _config(timeout: float) -> Any:
    # The engine spends up to ``timeout`` on the symbolic attempt and twice that
    # on the numeric fallback; a third each keeps a whole step within the bound.
    return DEFAULT.merge(timeout=max(timeout / 3.0, 0.05))


# --------------------------------------------------------------------------- #
# The document judge
# --------------------------------------------------------------------------- #

@dataclass
class Premises:
    """Assumptions and givens from the command line or the API."""

    assumptions: list[str] = field(default_factory=list)
    givens: list[str] = field(default_factory=list)


class Judge(Recording, Reading, Deciding, Conventions):
    """Checks one document, step after step, sharing one verifier.

    Scopes: a sectioning command (``\\section``...) starts a fresh scope, so
    assumptions, givens and definitions of one problem do not leak into the
    next.  Directives before the first section (and the CLI's) hold everywhere.
    Inside a section, ``assume`` holds for the whole section, ``given`` and
    ``define`` from where they are written; written inside a math environment
    they hold only for the rest of that environment.
    """

    def __init__(self, ex: Extraction, premises: Premises, verifier: Verifier) -> None:
        self.ex = ex
        # an inequality alone claims it for every value of its names (t \le 100 fails at 101);
        # an equation alone may be one to solve (u + 1 = 3), so its names keep their doubt
        self.lone = len(ex.steps) == 1 and ex.steps[0].rel not in ("eq", "approx")
        self.verifier = verifier
        self.premises = premises
        self.reports: list[StepReport] = []
        self.errors: list[StepReport] = []
        self._reported: set[tuple[int, str]] = set()
        self.allow_given = True
        self.global_domains: dict[str, Domain] = {}
        # a sum's upper limit is a count (a positive integer) unless the writer says what it is:
        # then it is an integer in the written range (n \in \mathbb{Z} may be negative)
        counts = {symbol_key(m.group(3) or m.group(4)) for m in _SUM_LIMIT.finditer(ex.cleaned)}
        self.global_domains.update(parse_assumptions(premises.assumptions))
        #: keys of symbols the writer constrained (assumptions, not the upper limits of sums)
        self.assumed: set[str] = set(parse_assumptions(premises.assumptions))
        self.indexed = indexed_bases(ex.cleaned)
        self.function_names = {f for f in (defined_function(r.lhs.text) for r in ex.steps
                                           if r.first and r.rel == "eq") if f}
        self.section_domains: dict[int, dict[str, Domain]] = {}
        #: section -> relations between names the assumptions state or imply (a < b), with their lines
        self.relations = {0: [(r, 0) for r in read_assumptions(premises.assumptions).relations]}
        for d in ex.directives:
            d_section = 0 if self._global(d) else ex.section_at(d.offset)
            if d.kind != "assume":
                continue
            read = read_assumptions([d.text])       # a piece not read is reported, the rest kept
            for problem in read.problems if d.written else ():    # prose that says less is not an error
                self._error(d, f"assumption: {problem}")
            got = read.domains
            self.relations.setdefault(d_section, []).extend((r, d.line) for r in read.relations)
            target = self.global_domains if d_section == 0 else self.section_domains.setdefault(d_section, {})
            merge_domains(target, got)
            self.assumed |= set(got)
        #: sum limits no global assumption names: positive integers, except in a section that names them
        self._counts = {k for k in counts if k not in self.global_domains}
        for key in counts:
            written = self.global_domains.get(key)
            self.global_domains[key] = POSITIVE_INTEGER if written is None else written
            if written is not None:
                self.global_domains[key] = INTEGER
                merge_domains(self.global_domains, {key: written})
        self._enter(0)

    def _global(self, d: Any) -> bool:
        return self.ex.section_at(d.offset) == 0 and self.ex.region_at(d.offset) is None

    def _error(self, d: Any, message: str) -> None:
        if (d.line, message) not in self._reported:
            self._reported.add((d.line, message))
            self.errors.append(StepReport(d.line, d.kind, d.text, "", "unparsed", message=message, column=1))

    def _enter(self, section: int) -> None:
        """Start a scope: fresh symbols, facts and definitions for ``section``."""
        domains = dict(self.global_domains)
        local = self.section_domains.get(section, {})
        domains.update({key: INTEGER for key in self._counts if key in local})
        merge_domains(domains, local)
        self.ctx = Context(domains=domains, indexed=set(self.indexed), function_names=set(self.function_names))
        self._conventional = {}
        self.parser = Parser(self.ctx)
        self.random = random_model(domains, self.parser.parse)     # expectations: probability.canonical
        self.written: dict[str, Any] = {}                           # side text -> as read, before the algebra
        self.domains = self.ctx.declared()
        self._cache: dict[str, Any] = {}
        self.seen: set[sp.Basic] = set()
        self.store = FactStore()            # facts of the section
        self.region_store = FactStore()     # directives written inside the current environment
        self.hyps: list[tuple[Any, int]] = self._assumed_relations(section)   # conditions in scope, with lines
        self.carried: dict[Any, tuple[Any, int]] = {}       # name -> value an invalid line gave it, line
        self.heads: dict[int, Any] = {}                     # chain -> the name its first link is about
        self.head_texts: dict[int, str] = {}                # chain -> its first left side, as written
        self.carried_text: dict[str, tuple[str, int]] = {}  # written expression -> value a wrong line gave it
        self.part = 0
        self.piecewise: set[sp.Basic] = set()                # names defined case by case
        self._local_hyps: list[tuple[Any, int]] = []
        self.supposed: list[Any] = []                       # suppositions in scope (premises.Supposed)
        self.bounded: dict[Any, Any] = {}                   # name -> the domain a hypothesis bound it to
        self.arbitrary: set[str] = set()                    # names quantified over ("for any $y$")
        if self.lone:
            self.arbitrary = Every()
        self.chain_roles: dict[int, str] = {}               # chain -> the role of its first link
        self.first_chain: dict[Any, int] = {}               # name -> the chain it was first written in
        self.frame_seen: set[sp.Basic] = set()              # names seen in the current part
        self.prelude_seen: set[sp.Basic] | None = None      # names seen before the first part
        for text in self.premises.givens:
            self._given(text)
        self.pending = []
        self.assigned: tuple[int, Any, Any, int] | None = None     # an assignment (\gets) until its chain ends
        for d in self.ex.directives:
            if d.kind not in ("given", "define"):
                continue
            if self._global(d):
                self._directive(d, region=False)
            elif self.ex.section_at(d.offset) == section:
                self.pending.append(d)
        self.pending.sort(key=lambda d: d.offset)

    def _directive(self, d: Any, region: bool) -> None:
        try:
            self._given(d.text, region, define=d.kind == "define")
        except (DirectiveError, ParseError) as exc:
            self._error(d, f"{d.kind}: {exc}")

    # -- judging ------------------------------------------------------------------ #
    def run(self) -> list[StepReport]:
        out: list[StepReport] = []
        for off, msg in self.ex.problems:
            out.append(StepReport(self.ex.line_of(off), "", "", "", "unparsed", message=msg,
                                  column=self.ex.column_of(off)))
        section, region = 0, None
        scope = None
        prev: RawStep | None = None
        quantified = list(self.ex.quantified)
        for raw in self.ex.steps:
            sec = self.ex.section_at(raw.offset)
            if sec != section:
                self._enter(sec)
                section, region = sec, None
            part = self.ex.part_at(raw.offset)
            if part != self.part:
                self._enter_part(part)
            if (section, part) != scope:        # \sigma(z): the sigmoid where nothing else is meant
                scope = (section, part)
                self._conventions(raw.offset)
            if raw.region != region:
                self.region_store = FactStore()
                region = raw.region
            self._expire(raw.offset)
            while quantified and quantified[0][0] <= raw.offset:
                self._quantifier(quantified.pop(0)[1])
            while self.pending and self.pending[0].offset < raw.offset:
                d = self.pending.pop(0)
                where = self.ex.region_at(d.offset)
                if where is None or where == raw.region:
                    self._directive(d, region=where is not None)
            raw = self._premise_from_before(raw, prev)
            v = self._anchored(raw, self.judge(raw))
            out.append(StepReport.of(self.ex.line_of(raw.offset), raw.rel, _one(raw.lhs.text), _one(raw.rhs.text), v))
            prev = raw
        for d in self.pending:      # directives after the last step: still report bad ones
            self._directive(d, region=True)
        out.extend(self.errors)
        out.sort(key=lambda s: s.line)
        return out

    def _quantifier(self, text: str) -> None:
        """"for any $y$": the name is arbitrary from here on (``premises.Premising._requantify``)."""
        try:
            name = self.parser.parse(text)
        except Exception:  # noqa: BLE001 - an unreadable name quantifies nothing
            return
        if is_name(name):
            self._requantify(name)

    def _premise_from_before(self, raw: RawStep, prev: RawStep | None) -> RawStep:
        """``$x^2 = 4$ $\\Rightarrow x = 2$``: an implication that opens a math region has the
        relation just before it (in the previous region, one line up at most) as its premise."""
        if raw.rel not in IMPLICATIONS or raw.lhs.text.strip() or prev is None or prev.region == raw.region \
                or prev.rel in IMPLICATIONS or prev.rel == "sim" or not prev.rhs.text.strip() \
                or self.ex.line_of(raw.offset) - self.ex.line_of(prev.offset) > 1:
            return raw
        premise = f"{prev.lhs.text} {prev.rel_text} {prev.rhs.text}"
        return replace(raw, lhs=Expr(premise, prev.lhs.offset))

    def _anchored(self, raw: RawStep, v: Verdict) -> Verdict:
        """``a \\approx b \\approx c``: ``c`` rounds ``a`` too, at ``c``'s printed digits; a chain whose
        links each round the previous one drifts (0.449 \\approx 0.45 \\approx 0.5), so a valid link is
        also decided against ``a`` (``chains._anchor``)."""
        if raw.anchor is None or v.verdict != "valid":
            return v
        again = self.judge(replace(raw, lhs=raw.anchor, anchor=None))
        if again.verdict == "valid":
            return v
        return Verdict(again.verdict, again.method, f"compared with {_one(raw.anchor.text)}, where this run of "
                       f"\\approx starts: {again.message}", again.counterexample, again.condition)

    def judge(self, raw: RawStep) -> Verdict:
        try:
            return self._judge(raw)
        except Exception:  # noqa: BLE001 - bad input must give a verdict, never a traceback
            # the reason in the user's terms: never a Python exception's name or text
            return Verdict("unknown", "error", "could not be checked: " + unread_reason(raw.lhs.text + " " + raw.rhs.text))

    def _judge(self, raw: RawStep) -> Verdict:
        self._settle(raw)
        worded = self._worded(raw)      # "total $= 490 + 1820$": the quantity is named in words
        if worded is not None:
            return worded
        if raw.rel == "sim":
            return self._distribution(raw)
        if raw.rel == "ne":
            return self._unequal(raw)
        if raw.rel == "gets":
            return self._assign(raw)
        if raw.inner_units and not _one_unit_summed(raw) and "?" not in raw.lhs.text + raw.rhs.text:
            # (a '?' is a word clean.py left unread between relations: the row is unparsed, no units)
            # 2\,\text{kg} \cdot 3\,\text{kg}: units inside a side are dropped by the reader
            return Verdict("unknown", "units", "units inside a side (%s): not checked" % ", ".join(
                dict.fromkeys(raw.inner_units + tuple(u for u in raw.units if u))))
        if all(raw.units) and raw.units[0] != raw.units[1]:
            # 6{,}000 \text{ minutes} = 100 \text{ hours}: a conversion, which derive does not know
            return Verdict("unknown", "units", f"a change of units ({raw.units[0]} to {raw.units[1]}): not checked")
        if raw.rel in ("le", "lt", "ge", "gt") and "," in raw.lhs.text:
            names = self._name_list(raw.lhs.text)
            if names:       # d_{in}, d_{out} \ge 1; y_1, y_2 > 0 (entries of a family y_i)
                try:
                    bound = self.side(raw.rhs.text)
                except ParseError:
                    bound = None
                for n in names:     # each name as if stated alone (premises: a domain and a condition)
                    if isinstance(bound, sp.Expr):
                        self.hyps.append((_SP_REL[raw.rel](n, bound, evaluate=False), self.ex.line_of(raw.offset)))
                    if isinstance(n, sp.Symbol):
                        self._bound(n, raw.rel, bound)
                return Verdict("given", "condition", f"a condition on {_one(raw.lhs.text)}", role="hypothesis")
        if raw.rel == "eq" and raw.cue in (None, "recall"):
            written = sets.both(raw.lhs.text, raw.rhs.text)
            if written is not None:         # \{1, 1\} = \{1\}, (1, 2) = (1, 2), [0, 1) = [0, 1)
                return self._sets(raw, written)
        implication = raw.rel in ("implies", "iff")
        try:
            if implication:
                lhs = self.proposition(raw.lhs.text)
                rhs_start = raw.rhs
                try:
                    rhs = self.proposition(raw.rhs.text)
                except ParseError as exc:
                    return self._unparsed(exc, rhs_start)
            else:
                lhs = self._side_or_raise(raw.lhs)
                rhs = self._side_or_raise(raw.rhs)
        except _SideError as err:
            return self._unparsed(err.exc, err.expr)
        except ParseError as exc:
            return self._unparsed(exc, raw.lhs)
        try:
            return self._judge_parsed(raw, lhs, rhs)
        finally:
            if self._outer_scope is not None:       # a step's own bounds end with it
                (self.domains, self.assumed), self._outer_scope = self._outer_scope, None
            for s in (lhs, rhs):
                met = _symbols(s) | _opaque(s) | names_in(s)
                self.seen |= met
                self.frame_seen |= met
                for n in met:
                    self.first_chain.setdefault(n, raw.chain)

    def _sets(self, raw: RawStep, written: Any) -> Verdict:
        """Two sets (or tuples, intervals) written out, element by element (``check/sets.py``)."""
        def read(text: str) -> Any:
            value = self.side(text)
            return self._prep(value) if self.store or self.region_store else value

        def equal(a: Any, b: Any, ta: str, tb: str) -> str:
            try:
                status = self.verifier.verify_step(sets.element_step(a, b), self.domains).status
                half = element_half(a, b, ta, tb) if status == "failed" else None
                if half is None:
                    return status
                # 1.41 for \sqrt 2: within half a unit of its last digit (as a side is); "rounded" only
                # on the exact bound, a numeric agreement stays "numeric"
                near = self.verifier.verify_step(sets.element_step(a, b, tol=half), self.domains).status
                return {"proved": "rounded", "numeric": "numeric"}.get(near, status)
            except Exception:  # noqa: BLE001 - a SymPy failure decides nothing
                return "unknown"
        try:
            return sets.decide(written, read, equal)
        except ParseError as exc:
            return self._unparsed(exc, raw.lhs)


def _one(text: str) -> str:
    return " ".join(text.split())


def check_source(src: str, name: str = "<input>", premises: Premises | None = None,
                 timeout: float = 5.0, verifier: Verifier | None = None, force_check: bool = False,
                 kind: str | None = None) -> Report:
    """Check every step of a document; never raises for bad input.

    ``kind`` is ``tex``, ``md`` or ``ipynb`` (default: from the suffix of
    ``name``, LaTeX for stdin); ``force_check`` disables ``given`` steps (for
    comparing two expressions).
    """
    premises = premises or Premises()
    try:
        doc = read_document(src, kind or kind_of(name))
    except DocumentError as exc:
        return Report(name, [StepReport(1, "", "", "", "unparsed", message=str(exc), column=1)])
    own = verifier is None
    verifier = verifier or Verifier(_config(timeout))
    try:
        ex = extract(doc.text, doc)
        judge = Judge(ex, premises, verifier)
        judge.allow_given = not force_check
        return Report(name, judge.run())
    finally:
        if own:
            verifier.close()


def new_verifier(timeout: float) -> Verifier:
    return Verifier(_config(timeout))


__all__ = ["check_source", "Premises", "Judge", "new_verifier"]


def _one_unit_summed(raw: RawStep) -> bool:
    """Every unit the same word and the sides only added (2 m + 3 m = 5 m): the unit drops out."""
    words = set(raw.inner_units) | {u for u in raw.units if u}
    sides = raw.lhs.text + raw.rhs.text
    return len(words) == 1 and all(u for u in raw.units) and not re.search(r"\\(?:cdot|times|frac|div)|[*/^]", sides)
