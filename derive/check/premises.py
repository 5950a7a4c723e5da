"""Relations that are not claims: data, hypotheses, definitions, conditions and assignments.

``Premising`` is mixed into ``decide.Deciding``.  A premise is never judged: it
becomes a fact of the scope (a name given a value, the entries of a vector, a
function), a hypothesis (a condition; a bound on one name also bounds where
counterexamples are drawn), or the case of a step (trailing conditions).
"""
from __future__ import annotations

import re
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from ..domains import Domain
from ..step import Justification, Rel, Step
from .chains import RawStep
from .diagnose import _opaque
from .facts import _constant, is_name, names_in
from .improper import MESSAGE, undefined_job, written_terms
from .latex.scan import ParseError
from .randoms import law_conditions, law_domains
from .relations import _REL, _SP_REL, _one
from .report import Verdict
from .entries import VectorEntries
from .stepconds import StepConditions
from .suppose import Supposed, Supposing  # noqa: F401 - judge keeps a list of Supposed
from ..verify.probability import is_moment
from ..verify.zeros import zeros_job


_FLIP = {"le": "ge", "lt": "gt", "ge": "le", "gt": "lt"}
_REL_OF = {sp.Le: "le", sp.Lt: "lt", sp.Ge: "ge", sp.Gt: "gt"}
#: a quantity named in words just before a math region that opens with "=" ("out size $= 2$")
_LINKING = frozenset("so thus hence then therefore which is are gives give equals and or we get have it this that "
                     "also now finally i e".split())
_WORDS = re.compile(r"(?<![\w$\\])([A-Za-z][A-Za-z']*(?: [A-Za-z][A-Za-z']*){0,2}) ?$")


def _narrowed(d: Domain, rel: str, value: Any) -> Domain | None:
    """``d`` cut by ``name rel value``, if that narrows it and keeps its SymPy assumptions
    (``None`` otherwise).  An integer's upper bound is written open: ``n \\le 6`` is ``n < 7``;
    a real's ``x \\le 6`` keeps 6 (a closed end)."""
    if rel in ("ge", "gt"):
        lo, closed = float(value), rel == "ge"
        if d.integer:
            lo, closed = float(sp.ceiling(value) if rel == "ge" else sp.floor(value) + 1), True
        if d.lo is not None and (lo < d.lo or (lo == d.lo and (closed or not d.closed_lo))):
            return None
        new = replace(d, name=f"{d.name} cut at {lo:g}", lo=lo, closed_lo=closed)
    else:
        hi, closed = float(value), rel == "le"
        if d.integer:
            hi, closed = float(sp.floor(value) + 1 if rel == "le" else sp.ceiling(value)), False
        if d.hi is not None and (hi > d.hi or (hi == d.hi and (closed or not d.closed_hi))):
            return None
        new = replace(d, name=f"{d.name} below {hi:g}", hi=hi, closed_hi=closed)
    if new.lo is not None and new.hi is not None and new.lo >= new.hi:
        return None
    return new if new.assumptions() == d.assumptions() else None


def _assignments(premise: Any) -> dict[Any, Any] | None:
    """``x = 2 \\land y = 3`` (plain names given constant values) as a substitution; ``None`` for any
    other premise (``\\|\\alpha S\\|_2 = \\sqrt{d}`` constrains \\alpha, it gives no value)."""
    eqs = list(premise.args) if isinstance(premise, sp.And) else [premise]
    if not all(isinstance(e, sp.Eq) and isinstance(e.lhs, (sp.Symbol, sp.Indexed)) and _constant(e.rhs)
               for e in eqs):
        return None
    out = {e.lhs: e.rhs for e in eqs}
    return out if len(out) == len(eqs) else None


class Premising(Supposing, VectorEntries, StepConditions):
    """Premises of ``decide.Deciding`` (the scope is ``judge.Judge``'s)."""

    def _assumed_relations(self, section: int) -> list[tuple[Any, int]]:
        """The relations between names that the assumptions in scope state or a law implies (``a < b``,
        ``p \\le 1`` of ``\\mathrm{Bin}(n, p)``): hypotheses of the scope, so a counterexample that
        violates one refutes nothing (``judge.Judge.relations``)."""
        out = []
        for text, line in self.relations.get(0, []) + (self.relations.get(section, []) if section else []):
            try:
                prop = self.proposition(text)
                out.append((prop, line))
                # names the writer constrained: a counterexample may pick their values (inside the relation)
                self.assumed |= {s.name for s in getattr(prop, "free_symbols", ())}
            except Exception as exc:  # noqa: BLE001 - never dropped silently: one line in the report
                why = str(exc) if isinstance(exc, ParseError) else "the checker does not read it"
                self._error(SimpleNamespace(line=line, kind="assume", text=text),
                            f"assumption: '{text}' is not read ({why})")
        return out

    def _stated_law(self, raw: RawStep) -> None:
        """``X \\sim \\mathrm{Bin}(n, p)`` in the working: its parameters' implicit domains (``n \\ge 1``,
        ``0 \\le p \\le 1``) are hypotheses from here on, so no counterexample lies outside them."""
        line = self.ex.line_of(raw.offset)
        for text in law_conditions(raw.rhs.text):
            try:
                prop = self.proposition(text)
            except Exception:  # noqa: BLE001 - a parameter that does not read: the law gave no model either
                continue
            self.hyps.append((prop, line))
            self.assumed |= {s.name for s in getattr(prop, "free_symbols", ())}
            rel = _REL_OF.get(type(prop))
            if rel is not None:     # Bernoulli(p): p is drawn from [0, 1], as if 0 \le p \le 1 were written
                if isinstance(prop.lhs, sp.Symbol):
                    self._bound(prop.lhs, rel, prop.rhs)
                elif isinstance(prop.rhs, sp.Symbol):
                    self._bound(prop.rhs, _FLIP[rel], prop.lhs)
        for key, dom in law_domains(raw.rhs.text).items():
            name = self.ctx.symbol(key)
            bound = self.bounded.get(name)
            if dom.integer and bound is not None and self.domains.get(name) is bound[1] and not bound[1].integer:
                # Bin(n, p): n is a whole number, so is every counterexample's n; still a hypothesis'
                # bound (decide._known), not a declared domain
                whole = replace(bound[1], name=f"{bound[1].name}, an integer", integer=True)
                self.domains[name] = whole
                self.bounded[name] = (bound[0], whole)

    def _improper_cancelled(self, raw: RawStep) -> Verdict | None:
        """``\\sum 1/n = 2\\sum 1/n - \\sum 1/n`` is read as ``S = S``, but as written its right side is
        ``oo - oo`` (check/improper.py): invalid; decided in the worker, within the time limit."""
        for which, terms in written_terms((raw.lhs.text, raw.rhs.text), self.parser.parse):
            job = self.verifier.job(Step(terms, Rel.EQ, sp.Integer(0), Justification("check")), self.domains)
            done, undefined = self.verifier._call(undefined_job, job, self.verifier.config.timeout)
            if not done:
                return Verdict("unknown", "timeout", f"whether the series or integrals of the {which} side "
                               f"converge was not decided within {self.verifier.config.timeout:g} s")
            if undefined:
                return Verdict("invalid", "undefined", MESSAGE.format(which))
        return None

    def _premise(self, raw: RawStep, lhs: Any, rhs: Any, role: str) -> Verdict:
        """Data and hypotheses: facts (an equation giving a name a value) or conditions."""
        line = self.ex.line_of(raw.offset)
        if raw.cue == "goal":
            return Verdict("given", "goal", "what is to be shown: not checked", role="hypothesis")
        if raw.rel in ("eq", "approx") and is_name(lhs) and lhs not in names_in(rhs):
            self._supersede(raw, lhs)
            self._record(lhs, rhs, line=line, role=role)
            self._suppose(raw, lhs, fact=(self.store, self.store.get(lhs)))
            self._entries(raw.lhs.text, lhs, rhs, line, role)
            self.carried.pop(lhs, None)
            return Verdict("given", role, f"{role}: gives {_one(raw.lhs.text)}", role=role)
        if raw.rel in ("eq", "approx") and is_name(rhs) and not is_name(lhs) and rhs not in names_in(lhs):
            self._supersede(raw, rhs)
            self._record(rhs, lhs, line=line, role=role)
            self._suppose(raw, rhs, fact=(self.store, self.store.get(rhs)))
            return Verdict("given", role, f"{role}: gives {_one(raw.rhs.text)}", role=role)
        if raw.rel in _SP_REL and isinstance(lhs, sp.Expr) and isinstance(rhs, sp.Expr):
            hyp = (_SP_REL[raw.rel](lhs, rhs, evaluate=False), line)
            name = lhs if isinstance(lhs, sp.Symbol) else rhs if isinstance(rhs, sp.Symbol) else None
            self._supersede(raw, name)
            fact = self.store.get(name) if name is not None else None
            if fact is not None and fact.role in ("claim", "plugged"):
                self.store.drop(name)       # "N \ge 103.3" for a new case: N is a variable again
            self.hyps.append(hyp)
            before = self.domains.get(name)
            if isinstance(lhs, sp.Symbol):
                self._bound(lhs, raw.rel, rhs)
            elif isinstance(rhs, sp.Symbol):
                self._bound(rhs, _FLIP.get(raw.rel, raw.rel), lhs)
            after = self.domains.get(name)
            self._suppose(raw, name, hyp=hyp, bound=(name, (before, after)) if after is not before else None)
        return Verdict("given", "condition", f"a condition on {_one(raw.lhs.text if is_name(lhs) else raw.rhs.text)}"
                       if is_name(lhs) or is_name(rhs) else "a condition", role="hypothesis")

    def _bound(self, name: Any, rel: str, value: Any) -> None:
        """A hypothesis ``d \\ge 1`` bounds where the name's values are drawn: a counterexample
        must satisfy it (precision first), a certificate holds under it.  A name nothing declares
        gets the bound as its domain; a declared one (``n`` an integer, the upper limit of a sum)
        is narrowed when that keeps what SymPy assumes about it (``n \\ge 7`` for an integer n)."""
        if not (isinstance(name, sp.Symbol) and _constant(value) and value.is_real) \
                or rel not in ("ge", "gt", "le", "lt"):
            return
        v = float(value)
        before = self.domains.get(name)
        if before is None:
            if rel in ("ge", "gt"):
                after = Domain(f"({'[' if rel == 'ge' else '('}{v:g}, inf)", lo=v, closed_lo=rel == "ge")
            else:
                after = Domain(f"(-inf, {v:g})", hi=v)
        else:
            after = _narrowed(before, rel, value)
            if after is None:
                return
        self.domains[name] = after
        self.bounded[name] = (before, after)

    def _unequal(self, raw: RawStep) -> Verdict:
        """``a \\ne b``: between numbers a claim (the sides differ), between names a condition."""
        if raw.cue in ("data", "hypothesis", "goal"):
            return Verdict("given", "condition", f"a condition: {_one(raw.lhs.text)} \\ne {_one(raw.rhs.text)}",
                           role="hypothesis")
        try:
            lhs, rhs = self._side_or_raise(raw.lhs), self._side_or_raise(raw.rhs)
        except Exception as exc:  # noqa: BLE001 - _SideError: the judge reports it as unparsed
            return self._unparsed(exc.exc, exc.expr) if hasattr(exc, "exc") else Verdict("unparsed", message=str(exc))
        L, R = self._prep(lhs), self._prep(rhs)
        if isinstance(L, sp.Expr) and isinstance(R, sp.Expr) and (names_in(L) or names_in(R)):
            got = self._unequal_on_domain(L, R)
            if got is not None:
                return got
        if not (isinstance(L, sp.Expr) and isinstance(R, sp.Expr)) or names_in(L) or names_in(R):
            return Verdict("given", "condition", f"a condition: {_one(raw.lhs.text)} \\ne {_one(raw.rhs.text)}",
                           role="hypothesis")
        v = self.verifier.verify_step(Step(L, Rel.EQ, R, Justification("check")), self.domains)
        if v.status in ("proved", "numeric"):
            return Verdict("invalid", v.method, "the two sides are equal")
        if v.status == "failed":
            return Verdict("valid", "numeric", "the sides differ")
        return Verdict("unknown", v.method, v.message)

    def _unequal_on_domain(self, L: Any, R: Any) -> Verdict | None:
        """``a \\ne b`` in one *declared* unknown: valid when the sides are never equal on its
        domain, invalid at a point where they are (None: a condition, as before)."""
        free = L.free_symbols | R.free_symbols
        if len(free) != 1 or not free <= set(self.domains) or names_in(L) | names_in(R) != free:
            return None
        if any(isinstance(a, sp.Symbol) and not b.free_symbols for a, b in ((L, R), (R, L))):
            return None         # x \ne 3: a condition on x, as an inequality on a bare name is
        job = self.verifier.job(Step(L, Rel.EQ, R, Justification("check")), self.domains)
        done, got = self.verifier._call(zeros_job, job, self.verifier.config.timeout)
        if not done or got is None:
            return None
        (x,) = free
        if got[0] == "none":
            return Verdict("valid", "proved", "the two sides are never equal on the domain")
        return Verdict("invalid", "solve", "the two sides are equal here", {self.ctx.names.get(x.name, x.name): got[1]})

    def _assign(self, raw: RawStep) -> Verdict:
        """``b \\gets b - \\eta g``: the name's new value is the right side with the facts so far."""
        try:
            lhs, rhs = self._side_or_raise(raw.lhs), self._side_or_raise(raw.rhs)
        except Exception as exc:  # noqa: BLE001 - _SideError: the judge reports it as unparsed
            return self._unparsed(exc.exc, exc.expr) if hasattr(exc, "exc") else Verdict("unparsed", message=str(exc))
        if not is_name(lhs):
            return Verdict("unknown", "assignment", "the left side of an assignment is not a name")
        # the rest of the chain is about the right side, with the old value: the new one holds after it
        self.assigned = (raw.chain, lhs, self._prep(rhs), self.ex.line_of(raw.offset))
        self.heads[raw.chain] = lhs
        return Verdict("given", "definition", f"assigns {_one(raw.lhs.text)}", role="definition")

    def _entries(self, text: str, name: Any, value: Any, line: int, role: str) -> None:
        """``w = (1, 2.3, 5.7)`` also gives ``w_1``, ``w_2``, ``w_3`` (entries counted from 1), unless
        the name already has a subscript or an entry name is in use."""
        vector = isinstance(value, sp.Tuple) or (isinstance(value, sp.MatrixBase) and 1 in value.shape)
        if not (isinstance(name, sp.Symbol) and vector) or "_" in text or len(value) > 64:
            return
        for k, entry in enumerate(value, start=1):
            key = self.parser.parse(f"{text.strip()}_{{{k}}}")
            if isinstance(key, sp.Symbol) and key not in self.seen and self.store.get(key) is None:
                self._record(key, entry, line=line, role=role)

    def _worded(self, raw: RawStep) -> Verdict | None:
        """``weights $= F \\cdot K$``, ``out size $= 4 - 2 = 2$``: a math region that opens with ``=``
        right after a word names that quantity in words; the first link defines it (never judged),
        the rest of the chain is judged as usual.  (No word before it: a continuation, left to the
        extractor.)"""
        if not raw.first or raw.rel != "eq" or raw.lhs.text.strip() or raw.region is None:
            return None
        start = self.ex.all_regions[raw.region].start
        if self.ex.cleaned[self.ex.all_regions[raw.region].body_start:raw.offset].strip():
            return None
        before = self.ex.cleaned[max(0, start - 40):start].rsplit("\n", 1)[-1]
        m = _WORDS.search(before)
        if m is None:
            return None
        words = m.group(1).split()
        cut = max((k + 1 for k, w in enumerate(words) if w.lower() in _LINKING), default=0)
        if cut == len(words) or (cut == 0 and before[:m.start()].rstrip()[-1:] in ("$", ")")):
            return None     # "so $= 5$": a claim that goes on; "$6000$ min $= 100$": a unit, not a name
        try:
            self.side(raw.rhs.text)
        except Exception:  # noqa: BLE001 - an unread value: the row stays unparsed
            return None
        return Verdict("given", "definition", f"defines {' '.join(words[cut:])} (named in words)", role="definition")

    def _settle(self, raw: RawStep) -> None:
        """Apply an assignment once its chain is over."""
        pending = self.assigned
        if pending is None or pending[0] == raw.chain:
            return
        _, lhs, value, line = pending
        self.assigned = None
        self.store.drop(lhs)
        self.carried.pop(lhs, None)
        if lhs not in names_in(value):
            self._record(lhs, value, line=line, role="definition")

    def _conclusion(self, raw: RawStep, conclusion: Any, values: dict[Any, Any]) -> Verdict:
        """Each relation of ``conclusion`` judged with ``values`` substituted: invalid if one is,
        valid if all are, else the first other verdict."""
        links = list(conclusion.args) if isinstance(conclusion, sp.And) else [conclusion]
        verdicts = []
        for c in links:
            key = next((k for k, f in _SP_REL.items() if isinstance(c, f) and k != "approx"), None)
            if key is None:
                return Verdict("unknown", "implication", "the conclusion is not a relation derive can check")
            verdicts.append(self._verdict(raw, _REL[key], c.lhs, c.rhs, values))
        bad = next((v for v in verdicts if v.verdict == "invalid"), None)
        if bad is not None:
            return bad
        return next((v for v in verdicts if v.verdict != "valid"), verdicts[0])

    def _piecewise(self, raw: RawStep, lhs: Any, rhs: Any) -> Verdict | None:
        """``x[n] = 1 \\quad 0 \\le n \\le 6``: one case of a definition.  Its value holds
        only in that case, so it is no fact, and later cases of the same name are
        definitions too (``x[n] = 0`` otherwise)."""
        if not (raw.first and raw.rel == "eq" and is_name(lhs)):
            return None
        if not ((raw.conditions and self._fresh(lhs)) or lhs in self.piecewise):
            return None
        self.piecewise.add(lhs)
        self.store.drop(lhs)
        where = " for " + ", ".join(_one(c.text) for c in raw.conditions) if raw.conditions else " (another case)"
        return Verdict("given", "definition", f"defines {_one(raw.lhs.text)}{where}", role="definition")

    def _given_step(self, raw: RawStep, lhs: Any, rhs: Any) -> Verdict | None:
        if isinstance(lhs, sp.MatrixBase):
            return None
        facts = bool(self.store or self.region_store)
        after = self._prep(lhs) if facts else lhs
        rhs_after = self._prep(rhs) if facts and not isinstance(rhs, sp.MatrixBase) else rhs
        # An atom is unknown when it survives the facts on the left only, and the
        # step itself does not carry it to the right.
        unknown_atoms = (_opaque(after) - _opaque(rhs_after)) & (_opaque(lhs) - _opaque(rhs))
        unknown_atoms = {a for a in unknown_atoms if not is_moment(a)}     # the algebra knows those
        line = self.ex.line_of(raw.offset)
        anew = self._case_definition(raw, lhs, rhs)
        if anew is not None:
            return anew
        # a = \delta = W x: a name first written in this chain, then given its value, is defined there
        named_here = not raw.first and raw.rel == "eq" and isinstance(lhs, sp.Symbol) \
            and self.first_chain.get(lhs, raw.chain) == raw.chain and self.store.get(lhs) is None \
            and not self._known(lhs) and lhs not in names_in(rhs)
        if named_here:
            self._record(lhs, rhs, line=line, role="definition")
            return Verdict("given", "definition", f"defines {_one(raw.lhs.text)}", role="definition")
        if raw.first and raw.rel in ("eq", "approx"):
            if isinstance(lhs, (sp.Symbol, sp.MatrixSymbol)) and self._fresh(lhs) and lhs not in names_in(rhs):
                self._record(lhs, rhs, line=line, role="definition")
                self._entries(raw.lhs.text, lhs, rhs, line, "definition")
                self.carried.pop(lhs, None)
                return Verdict("given", "definition", f"defines {_one(raw.lhs.text)}", role="definition")
            if isinstance(lhs, AppliedUndef) and lhs.func.__name__ not in self.ctx.functions \
                    and self._fresh(lhs) and not (_opaque(rhs) & {lhs}) \
                    and not any(a.func == lhs.func for a in _opaque(rhs)):
                self._record(lhs, rhs, line=line, role="definition")
                return Verdict("given", "definition", f"defines {_one(raw.lhs.text)}", role="definition")
        if unknown_atoms:
            if raw.first:
                if raw.rel == "eq":
                    self._record(lhs, rhs, line=line, role="data")
                return Verdict("given", "premise", "nothing is known about "
                               + ", ".join(sorted(str(a.func) for a in unknown_atoms)), role="data")
            return Verdict("unknown", "opaque", "depends on "
                           + ", ".join(sorted(str(a.func) for a in unknown_atoms)) + ", about which nothing is known")
        return None
