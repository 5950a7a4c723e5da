"""One relation -> its role and verdict (the judge's per-step half).

``Deciding`` is mixed into ``judge.Judge``, which owns the scope (parser,
facts, hypotheses, names seen).  For each parsed relation it

1. picks the role (``roles.role_of``): definitions, data and hypotheses are
   not judged, they become facts or conditions of the scope;
2. judges claims (and recalls) with the engine's verifier, after the facts in
   scope and the step's own trailing conditions are substituted;
3. keeps ``invalid`` only when the counterexample fits every hypothesis in
   scope and the step does not hinge on a name nothing gives a value
   (precision first): otherwise ``unknown``, with the reason;
4. judges a wrong-looking line against the values of earlier *invalid* lines:
   if it follows from them it is ``unknown``, "follows from line N", and only
   the first wrong line is an error.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import sympy as sp

from ..step import Justification, Rel, Step
from .diagnose import _became_matrix, _implication_counterexample, _scalar_beside_matrix, _short, _symbols
from .chains import RawStep
from .divisions import Gap, away_from, gap_verdict, outside, reading_once, undefined_constant, undefined_where
from ..verify.sums import constraints
from ..verify.matrices import one_by_one
from .facts import _constant, is_name, names_in
from .relations import _REL, _one
from .report import Verdict
from .rounding import far_apart
from .tolerance import Tolerating
from .roles import Facts, role_of
from ..verify.probability import RandomSymbol, is_moment, reducible
from .families import Families
from .premises import Premising, _assignments
from .integers import LeastInteger, _least_integer, _solve_linear
from .refute import _BARE_I, _TRANSPOSE, Refuting, _entrywise, _lost_domain, _shapes_known

class Deciding(Tolerating, Premising, Refuting, Families, LeastInteger):
    """The per-step half of ``Judge`` (see the module doc); premises and refutations are
    in the ``premises`` and ``refute`` mixins."""

    _read: tuple[Any, Any] = (None, None)      # the sides as read, when the expectation algebra rewrote them

    # set up by Judge._enter: parser, ctx, domains, store, region_store, hyps,
    # carried, heads, seen, frame_seen, prelude_seen, allow_given, verifier

    # -- roles ------------------------------------------------------------------ #
    def _fresh(self, name: Any) -> bool:
        """Nothing in scope used ``name``; in a part (``**(b)**``), nothing in that part
        (a part may give a name of the problem a new value).  A moment of a variable whose law is
        declared (``\\mathbb{E}[|X|]`` for X ~ N(0, 1)) is never fresh: the law gives its value."""
        if is_moment(name) and any(isinstance(s, RandomSymbol) and s.name in self.random.laws
                                   for s in name.free_symbols):
            return False
        if self._entry_base(name) is not None:
            return False        # c_t^{(1)} with c_t a vector in scope: its entry (check/entries.py)
        if name not in self.seen:
            return True
        return self.prelude_seen is not None and name not in self.frame_seen

    def _known(self, name: Any, domains: bool = True) -> bool:
        return self.store.get(name) is not None or self.region_store.get(name) is not None \
            or (domains and name in self.domains) or name in self.carried

    def _firm(self, name: Any) -> bool:
        """``name`` has a value the writer gave (data, a definition, a directive) or a declared
        domain: not only one a claim proved, a value plugged in, or a hypothesis' bound."""
        for st in (self.store, self.region_store):
            fact = st.get(name)
            if fact is not None and fact.role not in ("claim", "plugged"):
                return True
        bound = self.bounded.get(name)
        return name in self.domains and not (bound is not None and self.domains[name] is bound[1])

    def _role(self, raw: RawStep, lhs: Any, rhs: Any) -> str:
        equation = raw.rel in ("eq", "approx")
        name = lhs if is_name(lhs) else None
        if not equation:
            # an inequality on a bare symbol, by a constant: a condition (N \ge 58.4, 0 \le n)
            name = next((s for s, o in ((lhs, rhs), (rhs, lhs)) if isinstance(s, sp.Symbol) and _constant(o)), None)
        fact = self.store.get(lhs) if is_name(lhs) else None
        restates = equation and fact is not None and (fact.value == rhs)
        if not raw.first and not equation and self.chain_roles.get(raw.chain) == "hypothesis":
            return "hypothesis"     # "for $0 \le n \le 6$": every link of a condition is the condition
        role = role_of(Facts(raw.cue, raw.first, raw.rel, name is not None,
                             name is not None and self._fresh(name) and name not in names_in(rhs),
                             name is not None and (self._firm(name) if not equation else self._known(name)),
                             restates, self.lone))
        if raw.first:
            self.chain_roles[raw.chain] = role
        return role

    def _rewritten(self, raw: RawStep) -> bool:
        """A side whose written expectation the algebra rewrites (``Cov(X, X)``,
        ``Var(X + Y)``): the relation is a claim about every law, never a definition."""
        return any(reducible(self.written.get(side.text), self.random) for side in (raw.lhs, raw.rhs))

    # -- judging ------------------------------------------------------------------ #
    def _judge_parsed(self, raw: RawStep, lhs: Any, rhs: Any) -> Verdict:
        self._at = raw.offset
        rel = _REL[raw.rel]
        implication = rel in (Rel.IMPLIES, Rel.IFF)
        role = "claim"
        self._local_hyps: list[tuple[Any, int]] = []
        read = (self.written.get(raw.lhs.text), self.written.get(raw.rhs.text))
        # the sides as written, when the expectation algebra rewrote one of them
        self._read = read if any(w is not None and w != c for w, c in zip(read, (lhs, rhs))) else (None, None)
        if raw.first and is_name(lhs):
            self.heads[raw.chain] = lhs
        if raw.first:
            self.head_texts[raw.chain] = _one(raw.lhs.text)
        # \nabla_{W_1} L after \nabla_{W_k} L = \delta_k a_{k-1}^T: a claim about delta_1 a_0^T (families.py)
        family = self._instance(raw, lhs) if not implication and self.allow_given else None
        if family is not None:
            lhs = family[0]
        elif not implication and self.allow_given and not self._rewritten(raw):
            piece = self._piecewise(raw, lhs, rhs)
            if piece is not None:
                return piece
            role = self._role(raw, lhs, rhs)
            if role in ("data", "hypothesis"):
                return self._premise(raw, lhs, rhs, role)
            given = self._given_step(raw, lhs, rhs)
            if given is not None:
                self._family(raw, given.role)
                return given
        extra = self._conditions(raw)
        least = self._least_after_bound(raw, lhs, rhs)
        if least is not None:
            return least
        if rel is Rel.IMPLIES:
            least = _least_integer(lhs, rhs)
            if least is not None:
                return least
            given = _assignments(lhs)
            if given is not None:
                # \mu = 0, \sigma = 1 \Rightarrow KL = ...: the premise gives values; the conclusion is claimed there
                return self._conclusion(raw, rhs, {**extra, **given})
        v = self._verdict(raw, rel, lhs, rhs, extra)
        line = self.ex.line_of(raw.offset)
        if v.verdict == "invalid" and not implication:
            v = self._carry(raw, rel, lhs, rhs, extra, v)
        self._entry_written(raw, rhs)       # c_t^{(1)} = ... after a wrong line (check/entries.py)
        if v.verdict == "invalid" and raw.first and raw.rel == "eq" and self._redefined(lhs, line):
            # "With the skip $y = z_2 + x$: $\partial L/\partial x = ...$" after its definition on an earlier
            # line: a new definition for the new case, or a wrong restatement; derive cannot tell
            return Verdict("unknown", "redefined", f"gives {_one(raw.lhs.text)} another value than its "
                           f"definition on line {self._redefined(lhs, line)}, after new data on this line")
        if v.verdict == "valid" and raw.rel == "eq" and is_name(lhs) and not self._known(lhs) \
                and lhs not in names_in(rhs) and not isinstance(rhs, sp.MatrixBase):
            self._record(lhs, rhs, line=line, role="claim")     # a proved value flows forward
            self._derived(lhs)
        if role == "recall":
            v = Verdict(v.verdict, v.method, v.message, v.counterexample, v.condition, v.column, role="recall")
        return v if family is None else replace(v, message=f"{v.message} (the left side {family[1]})")

    def _redefined(self, lhs: Any, line: int) -> int:
        """The line of ``lhs``'s definition when this line gives new data before writing it again (0: not so)."""
        fact = self.store.get(lhs) or self.region_store.get(lhs) if is_name(lhs) else None
        if fact is None or fact.role != "definition" or fact.line == line:
            return 0
        fresh = any(f.line == line and f.role == "data" and f.key != lhs for f in self.store.named.values())
        return fact.line if fresh else 0

    def _step(self, raw: RawStep, rel: Rel, lhs: Any, rhs: Any, extra: dict[Any, Any]) -> tuple[Step, float | None]:
        tol = None
        if rel is Rel.APPROX or rel is Rel.EQ:
            tol = self._rounding(raw, lhs, rhs, rel, extra)
            if tol is not None:
                rel = Rel.APPROX
        L, R = one_by_one(self._prep(lhs, extra), self._prep(rhs, extra))     # x^T y = 6: a number
        if rel is Rel.APPROX:
            # \frac{m_3}{0.729} \approx 1.372 m_3: the printed precision is the coefficient's,
            # as written (before facts expand m_3) or after the facts
            for a, b in ((lhs, rhs), (L, R)):
                if isinstance(a, sp.Expr) and isinstance(b, sp.Expr):
                    (cl, ml), (cr, mr) = a.as_coeff_Mul(), b.as_coeff_Mul()
                    if ml == mr and ml != 1 and names_in(ml):
                        L, R = cl, cr
                        break
        # a given about a family's sum (\sum_i y_i = 1) is used after the sum is written out;
        # givens about matrix expressions (Q^T Q = I): the verifier's random matrices must satisfy them
        given = [(f.key, f.value) for st in (self.store, self.region_store) for f in st.other]
        sums = constraints(given) + tuple((k, v) for k, v in given if isinstance(k, sp.MatrixExpr))
        return Step(L, rel, R, Justification("check"), facts=sums, tol=tol), tol

    def _verdict(self, raw: RawStep, rel: Rel, lhs: Any, rhs: Any, extra: dict[Any, Any]) -> Verdict:
        with reading_once():        # the written sides are read once for this step (divisions)
            return self._decided(raw, rel, lhs, rhs, extra)

    def _decided(self, raw: RawStep, rel: Rel, lhs: Any, rhs: Any, extra: dict[Any, Any]) -> Verdict:
        self._unprepped = (lhs, rhs, raw)      # the sides as read, before the facts (refute, plugged)
        try:
            step, tol = self._step(raw, rel, lhs, rhs, extra)
        except sp.ShapeError:
            return self._ordered(raw, rel, extra)    # x d^T read as numbers x d: no product of the vectors
        if _became_matrix(lhs, step.lhs) or _became_matrix(rhs, step.rhs):
            # names that facts make matrices were read as commuting numbers, so the order of a
            # product is lost (never certify it): read the step again with those names as matrices
            return self._ordered(raw, rel, extra)
        if self._function_of_matrix(lhs) or self._function_of_matrix(rhs):
            # \operatorname{rank}(W_1), \sigma(z) with W_1, z matrices: derive does not know what it gives
            return Verdict("unknown", "matrix", "an undefined function of a matrix (derive does not know its value)")
        pairs = _entrywise(step)
        if pairs is not None:
            return self._entries_hold(rel, pairs)
        try:
            v = self.verifier.verify_step(step, self.domains)
        except Exception:  # noqa: BLE001 - a SymPy failure is not the user's fault
            return Verdict("unknown", "error", "could not be checked: the verifier could not decide this step")
        if v.status == "numeric" and rel in (Rel.IMPLIES, Rel.IFF):
            job = self.verifier.job(step, self.domains)
            done, cex = self.verifier._call(_implication_counterexample, job, self.verifier.config.timeout)
            if done and cex:
                names = self.ctx.names
                return Verdict("invalid", "solve", "the premise holds but the conclusion does not",
                               {names.get(k, k): _short(val) for k, val in cex.items()})
            if not done:
                # the search for a counterexample inside the premise did not finish: no certificate
                return Verdict("unknown", "timeout", "the search for a counterexample inside the premise "
                               f"did not finish within {self.verifier.config.timeout:g} s")
        if v.status in ("proved", "numeric"):
            nowhere = undefined_constant((raw.lhs.text, raw.rhs.text), (step.lhs, step.rhs), self.ctx.symbol,
                                         self.ctx.indexed, self.parser.parse)
            if nowhere is not None and rel not in (Rel.IMPLIES, Rel.IFF):     # \sin(\arcsin 2) = 2: 2 = 2
                return nowhere
            gap = self._gap(raw, step)
            if gap is not None:     # \frac{x}{x} = 1: read as 1 = 1, undefined at x = 0 as written
                return gap_verdict(gap)
            lost = _lost_domain(raw, step, self.domains, self._safe_argument)
            if lost:
                return Verdict("unknown", "domain", lost)
            diverged = self._improper_cancelled(raw)    # 2\sum 1/n - \sum 1/n: oo - oo as written (premises)
            if diverged is not None:
                return diverged
            method = "proved" if v.status == "proved" else "numeric"
            detail = v.method if tol is None else f"equal up to rounding of the printed decimals ({v.method})"
            return Verdict("valid", method, detail)
        if v.status == "unknown":
            return Verdict("unknown", v.method, v.message)
        if rel is Rel.APPROX and tol is None and not far_apart(step.lhs, step.rhs):
            # \pi \approx \frac{22}{7}, \sin x \approx x: no printed digit says how close is meant
            return Verdict("unknown", "rounding", "\\approx with no printed decimals: the precision meant is not written")
        if _scalar_beside_matrix(step.lhs, step.rhs) or _scalar_beside_matrix(step.rhs, step.lhs):
            # a name nothing declares (z^{(1)}, [h; x]) may stand for a matrix: no verdict either way
            return Verdict("unknown", "matrix", "a matrix compared with an expression in names that may be "
                           "matrices; declare them (assume z \\in \\mathbb{R}^n) or state their values")
        if v.method == "shape" and (not _shapes_known(step.lhs, step.rhs)
                                    or _BARE_I.search(raw.lhs.text + " " + raw.rhs.text)):
            # \sigma(z) with z a vector, [h; x], (a, b): a side derive does not read as a matrix
            return Verdict("unknown", "matrix", "one side is not read as a matrix (an undefined function of a "
                           "matrix, or a list): its shape is not known")
        away = self._holds_away(raw, step, rel)
        if away is not None:        # \frac{x^2-1}{x-1} = x+1: wrong only at x = 1, where the left side is undefined
            return away
        if rel not in (Rel.IMPLIES, Rel.IFF):
            signs = self._holds_if_positive(step)
            if signs is not None:
                return signs
        if _TRANSPOSE.search(raw.lhs.text + " " + raw.rhs.text) and (_symbols(step.lhs) | _symbols(step.rhs)) \
                and not any(isinstance(e, sp.Basic) and e.atoms(sp.MatrixSymbol) for e in (step.lhs, step.rhs)):
            # W^T W is read as W^2 when nothing says W is a matrix: the order of the product is lost
            return Verdict("unknown", "matrix", "a transpose of a name derive reads as a number (so W^T W = W W^T); "
                           "declare the matrix (assume W \\in \\mathbb{R}^{m \\times n}) or give its entries")
        self._unprepped = (lhs, rhs, raw)      # (the checks above may judge other sides)
        return self._invalid(step, v, rel in (Rel.IMPLIES, Rel.IFF))

    def _gap(self, raw: RawStep, step: Step) -> Gap | None:
        gap = undefined_where((raw.lhs.text, raw.rhs.text), (step.lhs, step.rhs), self.domains, self.ctx.symbol,
                              self.ctx.indexed, lambda x: self.ctx.names.get(x.name, x.name), self.parser.parse)
        fact = self.store.named.get(gap.name) if gap is not None else None
        if fact is not None and outside(fact.value, gap.root, self.domains):
            return None     # given y = 2x with x > 0: y = 0 is no point of the scope
        return gap

    def _holds_away(self, raw: RawStep, step: Step, rel: Rel) -> Verdict | None:
        """A step refuted where one written side is undefined at one point, and that holds away from it."""
        if rel is not Rel.EQ:
            return None
        gap = self._gap(raw, step)
        if gap is None or gap.excluded is None:
            return None
        try:
            again = self.verifier.verify_step(step, away_from(gap, self.domains))
        except Exception:  # noqa: BLE001 - best effort: the refutation stands
            return None
        return gap_verdict(gap) if again.status in ("proved", "numeric") else None

    # -- an earlier error carried forward -------------------------------------- #
    def _carry(self, raw: RawStep, rel: Rel, lhs: Any, rhs: Any, extra: dict[Any, Any], v: Verdict) -> Verdict:
        line = self.ex.line_of(raw.offset)
        if self.carried:
            used = set()
            for side in (lhs, rhs):
                used |= {k for k, _ in self.store.relevant(side)} | names_in(side)
                for n in names_in(side):        # h_t^{(1)}: what the vector h_t is made of
                    base = self._entry_base(n)
                    if base is not None:
                        used |= {base[0]} | {k for k, _ in self.store.relevant(base[0])}
            lines = sorted({self.carried[k][1] for k in used if k in self.carried})
            if lines:
                believed = dict(extra)
                believed.update({k: val for k, (val, _) in self.carried.items()})
                again = self._verdict(raw, rel, lhs, rhs, believed)
                if again.verdict == "valid":
                    where = ", ".join(str(n) for n in lines)
                    return Verdict("unknown", "carried", f"follows from line {where}, which is wrong")
        followed = self._carried_text(raw, rel, extra)
        if followed is not None:
            return followed
        head = lhs if raw.first and is_name(lhs) else self.heads.get(raw.chain)
        written = self.head_texts.get(raw.chain)
        if raw.rel in ("eq", "approx") and head is not None and head not in names_in(rhs):
            self.carried[head] = (rhs, line)      # what the writer now believes
            vector = self.carried_vector(head, self._prep(rhs))
            if vector is not None:              # c_t^{(1)} wrong: so is the vector c_t (check/entries.py)
                self.carried[vector[0]] = (vector[1], line)
        elif raw.rel in ("eq", "approx") and head is None and written:
            # \sigma(\ln 3) = ... = \frac14 with \sigma defined: the value is believed for the text as written
            self.carried_text[written] = (_one(raw.rhs.text), line)
        elif raw.rel == "eq":
            solved = _solve_linear(lhs, rhs)      # 2x = 5: the writer now believes x = 5/2
            if solved is not None:
                self.carried[solved[0]] = (solved[1], line)
        return v

    def _carried_text(self, raw: RawStep, rel: Rel, extra: dict[Any, Any]) -> Verdict | None:
        """Judged again with an expression believed after a wrong line written in its place."""
        sides = [_one(raw.lhs.text), _one(raw.rhs.text)]
        used = [(t, v) for t, v in self.carried_text.items() if any(t in side for side in sides)]
        if not used:
            return None
        for t, (value, _) in used:
            sides = [side.replace(t, "(" + value + ")") for side in sides]
        try:
            again = self._verdict(raw, rel, self.side(sides[0]), self.side(sides[1]), extra)
        except Exception:  # noqa: BLE001 - best effort: the step stays as judged
            return None
        if again.verdict != "valid":
            return None
        where = ", ".join(sorted({str(n) for _, (_, n) in used}))
        return Verdict("unknown", "carried", f"follows from line {where}, which is wrong")


__all__ = ["Deciding"]
