"""The scope of suppositions: what "Suppose $y = 0$" or "for $n \\ge 7$" put in scope, and undoing it.

``Supposing`` is mixed into ``premises.Premising``: a supposition holds until the end of its
paragraph (``RawStep.until``), a new supposition about the same name ends it, and "for any $y$"
ends everything said about ``y``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from .chains import RawStep
from .facts import is_name, names_in
from .relations import _one
from .report import Verdict


@dataclass
class Supposed:
    """What one supposition put in scope, undone when it stops holding (``until``)."""

    until: int
    chain: int = -1                     # the chain that supposed it
    name: Any = None                    # the name it is about (a later supposition on it supersedes it)
    fact: Any = None                    # (store, Fact) it recorded
    hyp: Any = None                     # the condition it added to ``hyps``
    bound: Any = None                   # (name, the domain it set)
    at: int = 0                         # offset of the supposing step
    restore: Any = None                 # (store, Fact) a definition for the case replaced


class Supposing:
    """Suppositions of ``premises.Premising`` (the scope is ``judge.Judge``'s)."""

    # -- the scope of suppositions ------------------------------------------------ #
    def _suppose(self, raw: RawStep, name: Any, fact: Any = None, hyp: Any = None, bound: Any = None) -> None:
        """Register what a supposition ("Suppose $y = 0$", "for $n \\ge 7$") added: it holds until
        ``raw.until`` (the end of its paragraph), and a new supposition about the same name ends it."""
        if raw.until is None:
            return
        self.supposed.append(Supposed(raw.until, raw.chain, name, fact, hyp, bound, raw.offset))

    def _derived(self, key: Any) -> None:
        """A value proved while a supposition holds holds only as long as it does."""
        if self.supposed and self.store.get(key) is not None:
            until = min(s.until for s in self.supposed)
            self.supposed.append(Supposed(until, fact=(self.store, self.store.get(key))))

    def _case_definition(self, raw: RawStep, lhs: Any, rhs: Any) -> Verdict | None:
        """"- With the skip $y = z_2 + x$: $\\frac{\\partial L}{\\partial x} = \\dots$": inside a case, a name
        defined before the case is defined anew for it (as in a part); the old value comes back
        when the case ends."""
        if not (raw.first and raw.rel == "eq" and is_name(lhs)) or lhs in names_in(rhs):
            return None
        case = next((c for c in reversed(self.supposed) if c.until > raw.offset and c.at < raw.offset), None)
        old = self.store.get(lhs)
        if case is None or old is None or old.role not in ("definition", "data", "claim") \
                or old.line >= self.ex.line_of(case.at):
            return None
        line = self.ex.line_of(raw.offset)
        self.store.drop(lhs)
        self.store.add(lhs, rhs, line, "definition")
        self.supposed.append(Supposed(case.until, raw.chain, None, (self.store, self.store.get(lhs)),
                                      at=raw.offset, restore=(self.store, old)))
        return Verdict("given", "definition", f"defines {_one(raw.lhs.text)} for this case", role="definition")

    def _supersede(self, raw: RawStep, name: Any) -> None:
        """A new hypothesis about ``name`` ends every earlier supposition about it (not those of
        its own chain: ``0 \\le n \\le 6`` is one case)."""
        keep = []
        for s in self.supposed:
            if name is not None and s.name == name and s.chain != raw.chain:
                self._undo(s)
            else:
                keep.append(s)
        self.supposed = keep

    def _expire(self, offset: int) -> None:
        """Undo the suppositions whose scope ended before ``offset``."""
        if not self.supposed:
            return
        keep = []
        for s in self.supposed:
            if s.until <= offset:
                self._undo(s)
            else:
                keep.append(s)
        self.supposed = keep

    def _undo(self, s: Supposed) -> None:
        if s.fact is not None:
            store, fact = s.fact
            if store.get(fact.key) is fact:
                store.drop(fact.key)
        if s.restore is not None:
            store, fact = s.restore
            if store.get(fact.key) is None:
                store.named[fact.key] = fact
        if s.hyp is not None:
            self.hyps = [h for h in self.hyps if h is not s.hyp]
        if s.bound is not None:
            self._unbound(*s.bound)

    def _unbound(self, name: Any, bound: tuple[Any, Any]) -> None:
        """Restore the domain ``name`` had before a hypothesis bounded it (``bound``: before, after)."""
        before, after = bound
        if self.domains.get(name) is after:
            if before is None:
                del self.domains[name]
            else:
                self.domains[name] = before

    def _requantify(self, name: Any) -> None:
        """"for any $y$": whatever was supposed or given about ``y`` no longer holds."""
        for s in list(self.supposed):
            if s.name == name:
                self._undo(s)
        self.supposed = [s for s in self.supposed if s.name != name]
        for store in (self.store, self.region_store):
            store.drop(name)
        self.carried.pop(name, None)
        self.hyps = [h for h in self.hyps if name not in names_in(h[0])]
        if name in self.bounded:
            self._unbound(name, self.bounded[name])
        if isinstance(name, sp.Symbol):
            self.arbitrary.add(name.name)       # a counterexample may pick any value for it
