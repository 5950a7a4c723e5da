"""A step's own conditions: ``\\quad (P=0)``, ``\\text{ for } x \\ge 1``, ``\\text{ for } x \\in (0, 1)``.

``StepConditions`` is mixed into ``premises.Premising``: a trailing condition becomes a
substitution or a hypothesis of that step only, and a bound on a name nothing declares
narrows where that step's counterexamples are drawn (``judge`` restores the scope after it).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import sympy as sp

from ..domains import Domain
from .bounds import DirectiveError, parse_assumption
from .chains import RawStep
from .facts import _constant, is_name
from .layout import MEMBERSHIP


class StepConditions:
    def _conditions(self, raw: RawStep) -> dict[Any, Any]:
        """The step's trailing conditions: ``(P=0)`` as a substitution, ``n \\ge 0`` as a
        hypothesis, for this step only."""
        extra: dict[Any, Any] = {}
        line = self.ex.line_of(raw.offset)
        for cond in raw.conditions:
            if MEMBERSHIP.match(cond.text):
                self._step_membership(cond.text, line)     # x \in (0, 1), n \in \mathbb{Z}
                continue
            try:
                prop = self.proposition(cond.text)
            except Exception:  # noqa: BLE001 - an unreadable condition is only not used
                continue
            if isinstance(prop, sp.Eq) and is_name(prop.lhs):
                extra[prop.lhs] = prop.rhs
            elif isinstance(prop, (sp.core.relational.Relational, sp.And)):
                self._local_hyps.append((prop, line))
                self._step_bounds(prop)
        return extra

    #: the domains and assumed names in scope while one step's own bounds (``\\text{ for } x \\ge 1``)
    #: hold (``judge`` restores them after the step)
    _outer_scope: tuple[dict[Any, Any], set[str]] | None = None

    def _open_step_scope(self) -> None:
        """Copy the scope's domains before a step's own condition narrows them (once per step)."""
        if self._outer_scope is None:
            self._outer_scope = (self.domains, self.assumed)
            self.domains, self.assumed = dict(self.domains), set(self.assumed)

    def _step_membership(self, text: str, line: int) -> None:
        """A step's own ``\\text{ for } x \\in (0, 1)`` (or ``n \\in \\mathbb{Z}``): where that step's
        values are drawn, for a name nothing declares; an interval is also a hypothesis of the step."""
        try:
            got = parse_assumption(text)
        except DirectiveError:
            return                      # a set the checker does not read (x \in S) bounds nothing
        for key, dom in got.items():
            if not isinstance(dom, Domain):
                continue                # a matrix shape is declared with assume, never per step
            name = self.ctx.symbol(key)
            if not isinstance(name, sp.Symbol) or name in self.domains:
                continue
            self._open_step_scope()
            self.domains[name] = replace(dom, name=f"the step's condition on {name}")
            self.assumed.add(name.name)
            bounds = [sp.Gt(name, dom.lo) if not dom.closed_lo else sp.Ge(name, dom.lo)] if dom.lo is not None else []
            bounds += [(sp.Le if dom.closed_hi else sp.Lt)(name, dom.hi)] if dom.hi is not None else []
            if bounds:
                self._local_hyps.append((sp.And(*bounds), line))

    def _step_bounds(self, prop: Any) -> None:
        """A step's own condition bounding a name nothing declares (``x^2 \\ge x \\text{ for } x \\ge 1``)
        bounds where that step's values are drawn, as a hypothesis does for its scope."""
        bounds: dict[Any, list[Any]] = {}
        for part in prop.args if isinstance(prop, sp.And) else (prop,):
            if not isinstance(part, (sp.Ge, sp.Gt, sp.Le, sp.Lt)):
                continue
            low = isinstance(part, (sp.Ge, sp.Gt))
            name, value, low = (part.lhs, part.rhs, low) if isinstance(part.lhs, sp.Symbol) else (part.rhs, part.lhs, not low)
            if not (isinstance(name, sp.Symbol) and _constant(value) and value.is_real) or name in self.domains:
                continue
            lo, hi = bounds.setdefault(name, [None, None, False, False])[:2]
            v = float(value)
            closed = isinstance(part, (sp.Ge, sp.Le))       # either way round, the end is included
            if low and (lo is None or v > lo):
                bounds[name][0], bounds[name][2] = v, closed
            elif not low and (hi is None or v < hi):
                bounds[name][1], bounds[name][3] = v, closed
        for name, (lo, hi, closed, closed_hi) in bounds.items():
            if lo is not None and hi is not None and lo >= hi:
                continue
            self._open_step_scope()
            # the step claims its relation for every such value: a counterexample there refutes it
            self.domains[name] = Domain(f"the step's condition on {name}", lo=lo, hi=hi, closed_lo=closed,
                                        closed_hi=closed_hi)
            self.assumed.add(name.name)
