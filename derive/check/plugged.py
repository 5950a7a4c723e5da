"""Values plugged in from outside the text: ``\\delta^{(3)} a^{(2)}_1 = -4 \\cdot 38`` with nothing in
scope giving ``a^{(2)}_1`` reads the value as data, and a step refuted only through such a value
is ``unknown``.  ``Plugging`` is mixed into ``refute.Refuting`` (the scope is ``judge.Judge``'s).
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp

from ..step import Rel, Step
from .diagnose import _latex, _opaque
from .facts import _constant, names_in
from .report import Verdict


def raw_chain(judge: Any) -> int:
    """The chain of the step being judged (-1: none)."""
    raw = judge._unprepped[2]
    return raw.chain if raw is not None else -1


def _written(value: Any, text: str) -> bool:
    """``value`` is written as a number in ``text`` (38 in ``-4 \\cdot 38``, 0.8 in ``0.8 / 4``)."""
    v = abs(sp.Rational(value)) if value.is_Rational else None
    if v is None:
        return False
    forms = [str(v.p)] if v.q == 1 else []
    q, twos, fives = v.q, 0, 0
    while q % 2 == 0:
        q, twos = q // 2, twos + 1
    while q % 5 == 0:
        q, fives = q // 5, fives + 1
    if q == 1 and v.q != 1:
        places = max(twos, fives)
        forms.append(f"{float(v):.{places}f}")
    return any(re.search(r"(?<![\d.])" + re.escape(f) + r"(?![\d]|\.\d)", text) for f in forms)


def _solved(e: Any, u: Any) -> dict[Any, Any] | None:
    """``{u: value}`` when ``e = 0`` is linear in ``u`` with a real value."""
    try:
        poly = sp.Poly(e, u)
    except (sp.PolynomialError, sp.GeneratorsNeeded, ValueError, TypeError):
        return None
    if poly.degree() != 1:
        return None
    a, b = poly.all_coeffs()
    if names_in(a) or names_in(b):
        return None
    value = -b / a
    if value.is_Float:
        value = sp.nsimplify(value)
    return {u: value} if value.is_real and value.is_finite else None


def _terms(text: str) -> list[str]:
    """The terms of a sum as written (``a b + c d - e`` -> ``a b``, ``+c d``, ``-e``), at the top level."""
    out, depth, start = [], 0, 0
    prev = ""
    for i, ch in enumerate(text):
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
        elif ch in "+-" and depth == 0 and i > 0 and prev not in "+-*/^_=(,{\\" and text[:i].strip():
            out.append(text[start:i])
            start = i
        if not ch.isspace():
            prev = ch
    out.append(text[start:])
    return [t.strip() for t in out if t.strip()]


class Plugging:
    """The plugged-in values of ``refute.Refuting``."""

    _unplugged = False                                  # judging again without plugged-in values

    def _plugged(self, step: Step) -> Verdict | None:
        """``\\delta^{(3)} a^{(2)}_1 = -4 \\cdot 38`` with nothing in scope giving ``a^{(2)}_1``: the
        writer plugs in a value from outside the document (the problem's data).  When the step is
        an equation between numbers and one such name, linear in it, the value it uses is read as
        data (role ``data``, method ``substitution``), never as a claim that holds: later steps may
        use it, but a step refuted only through it is not an error (``_through_plugged``)."""
        if step.rel is not Rel.EQ or not (isinstance(step.lhs, sp.Expr) and isinstance(step.rhs, sp.Expr)) \
                or self._unplugged:
            return None
        sides = [e for e in (step.lhs, step.rhs) if names_in(e) or _opaque(e)]
        if len(sides) != 1 or not _constant(step.lhs if sides[0] is step.rhs else step.rhs):
            return None
        names = names_in(sides[0])
        if not names or _opaque(sides[0]) or not all(self._pluggable(u) for u in names):
            return None
        if len(names) == 1:
            values = _solved(step.lhs - step.rhs, next(iter(names)))
        else:
            values = self._term_by_term(sides[0] is step.lhs)
        if not values or set(values) != names:
            return None
        raw = self._unprepped[2]
        numbers = (raw.rhs.text if sides[0] is step.lhs else raw.lhs.text) if raw is not None else ""
        if sides[0] not in values and not all(_written(v, numbers) for v in values.values()):
            return None     # u + 1 = 3 is an equation to solve, not a value plugged into a formula
        if sp.simplify((step.lhs - step.rhs).xreplace(values)) != 0:
            return None
        line = self.ex.line_of(self._at)
        if sides[0] in values and self.first_chain.get(sides[0], raw_chain(self)) == raw_chain(self):
            # RF_1 = K = 3: the writer states the value of a bare name (data, like "let K = 3")
            self._record(sides[0], values[sides[0]], line=line, role="data")
            return Verdict("given", "data", f"data: gives {self.ctx.names.get(str(sides[0]), str(sides[0]))}",
                           role="data")
        for u, value in values.items():
            self._record(u, value, line=line, role="plugged")
        uses = ", ".join(f"{self.ctx.names.get(str(u), str(u))} = {_latex(v, self.ctx.names)}"
                         for u, v in sorted(values.items(), key=lambda kv: str(kv[0])))
        return Verdict("given", "substitution", f"uses {uses}, {'a value' if len(values) == 1 else 'values'} "
                       "nothing in scope gives", role="data")

    def _pluggable(self, u: Any) -> bool:
        """A plain name nothing in scope constrains: no value, domain, hypothesis or quantifier."""
        if isinstance(u, sp.Indexed) and all(i.is_Integer for i in u.indices):
            name = u.base.label.name if isinstance(u.base.label, sp.Symbol) else str(u.base)
        elif isinstance(u, sp.Symbol):
            name = u.name
        else:
            return False
        return name not in self.assumed and name not in self.arbitrary \
            and not self._known(u, domains=False) and u not in self.domains \
            and not any(u in names_in(h) for h, _ in self.hyps + self._local_hyps)

    def _term_by_term(self, names_left: bool) -> dict[Any, Any] | None:
        """``W_{12} \\delta_1 + W_{22} \\delta_2 = 6 \\cdot 8 + 3 \\cdot (-12)``: the terms as written, paired
        in order, each with one unknown name solved from its partner."""
        raw = self._unprepped[2]
        if raw is None:
            return None
        named, numbers = (raw.lhs.text, raw.rhs.text) if names_left else (raw.rhs.text, raw.lhs.text)
        left, right = _terms(named), _terms(numbers)
        if len(left) != len(right) or len(left) < 2:
            return None
        out: dict[Any, Any] = {}
        for a_text, b_text in zip(left, right):
            try:
                a, b = self._prep(self.side(a_text)), self._prep(self.side(b_text))
            except Exception:  # noqa: BLE001 - an unreadable term: no reading of the step
                return None
            if not (isinstance(a, sp.Expr) and _constant(b)):
                return None
            free = names_in(a)
            if not free:
                if sp.simplify(a - b) != 0:
                    return None
                continue
            if len(free) != 1:
                return None
            (u,) = free
            got = _solved(a - b, u)
            if not got or (u in out and out[u] != got[u]):
                return None
            out.update(got)
        return out

    def _fails_unplugged(self) -> bool:
        """The step judged again with every plugged-in value free is still refuted."""
        lhs, rhs, raw = self._unprepped
        if raw is None:
            return False
        saved = [(st, f) for st in (self.store, self.region_store) for f in list(st.facts()) if f.role == "plugged"]
        for st, f in saved:
            st.drop(f.key)
        self._unplugged = True
        try:
            from .relations import _REL

            again = self._verdict(raw, _REL[raw.rel], lhs, rhs, {})
        except Exception:  # noqa: BLE001 - best effort: not refuted
            return False
        finally:
            self._unplugged = False
            for st, f in saved:
                if st.get(f.key) is None:
                    st.named[f.key] = f
            self._unprepped = (lhs, rhs, raw)
        return again.verdict == "invalid"

    def _through_plugged(self, *sides: Any) -> str | None:
        """The lines whose plugged-in values (``_plugged``) ``sides`` use, or ``None``."""
        lines = set()
        for side in sides:
            for st in (self.store, self.region_store):
                for key, _ in st.relevant(side):
                    fact = st.get(key)
                    if fact is not None and fact.role == "plugged":
                        lines.add(fact.line)
        return ", ".join(str(n) for n in sorted(lines)) or None
