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

import functools
import re
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from ..domains import POSITIVE
from ..step import Justification, Rel, Step
from .diagnose import _became_matrix, _diagnose, _scalar_beside_matrix, _implication_counterexample, _latex, _opaque, _short, _symbols
from .extract import RawStep
from ..verify.sums import constraints
from ..verify.zeros import zeros_job
from .facts import is_name, names_in
from .report import Verdict
from .roles import Facts, role_of
from ..verify.probability import RandomSymbol, is_moment, reducible

_REL = {"eq": Rel.EQ, "le": Rel.LE, "lt": Rel.LT, "ge": Rel.GE, "gt": Rel.GT, "approx": Rel.APPROX,
        "implies": Rel.IMPLIES, "iff": Rel.IFF}
_SP_REL = {"eq": sp.Eq, "le": sp.Le, "lt": sp.Lt, "ge": sp.Ge, "gt": sp.Gt, "approx": sp.Eq}
_DECIMAL = re.compile(r"(?<![\w.])\d*\.(\d+)")


def _decimals(text: str) -> list[int]:
    return [len(m.group(1)) for m in _DECIMAL.finditer(text)]


def _one(text: str) -> str:
    return " ".join(text.split())


def _constant(e: Any) -> bool:
    return isinstance(e, sp.Expr) and not names_in(e)


def _shapes_known(a: Any, b: Any) -> bool:
    """Both sides explicit matrices, or a matrix and a constant: a shape mismatch is certain."""
    def known(e: Any) -> bool:
        return isinstance(e, sp.MatrixBase) or (isinstance(e, sp.Expr) and not names_in(e)
                                                and not e.has(sp.Tuple) and not _opaque(e))
    return known(a) and known(b)


def _assignments(premise: Any) -> dict[Any, Any] | None:
    """``x = 2 \\land y = 3`` (plain names given constant values) as a substitution; ``None`` for any
    other premise (``\\|\\alpha S\\|_2 = \\sqrt{d}`` constrains \\alpha, it gives no value)."""
    eqs = list(premise.args) if isinstance(premise, sp.And) else [premise]
    if not all(isinstance(e, sp.Eq) and isinstance(e.lhs, (sp.Symbol, sp.Indexed)) and _constant(e.rhs)
               for e in eqs):
        return None
    out = {e.lhs: e.rhs for e in eqs}
    return out if len(out) == len(eqs) else None


def _solve_linear(lhs: Any, rhs: Any) -> tuple[sp.Symbol, sp.Expr] | None:
    """``(x, value)`` when ``lhs = rhs`` is linear in its only symbol ``x``."""
    if not (isinstance(lhs, sp.Expr) and isinstance(rhs, sp.Expr)):
        return None
    names = names_in(lhs) | names_in(rhs)
    if len(names) != 1:
        return None
    (x,) = names
    if not isinstance(x, sp.Symbol):
        return None
    try:
        poly = sp.Poly(lhs - rhs, x)
    except (sp.PolynomialError, sp.GeneratorsNeeded, ValueError, TypeError):
        return None
    if poly.degree() != 1:
        return None
    a, b = poly.all_coeffs()
    return x, -b / a


class Deciding:
    """The per-step half of ``Judge`` (see the module doc)."""

    _read: tuple[Any, Any] = (None, None)      # the sides as read, when the expectation algebra rewrote them
    # set up by Judge._enter: parser, ctx, domains, store, region_store, hyps,
    # carried, heads, seen, frame_seen, prelude_seen, allow_given, verifier

    # -- roles ------------------------------------------------------------------ #
    def _fresh(self, name: Any) -> bool:
        """Nothing in scope used ``name``; in a part (``**(b)**``), nothing in that part
        (a part may give a name of the problem a new value)."""
        if name not in self.seen:
            return True
        return self.prelude_seen is not None and name not in self.frame_seen

    def _known(self, name: Any, domains: bool = True) -> bool:
        return self.store.get(name) is not None or self.region_store.get(name) is not None \
            or (domains and name in self.domains) or name in self.carried

    def _role(self, raw: RawStep, lhs: Any, rhs: Any) -> str:
        equation = raw.rel in ("eq", "approx")
        name = lhs if is_name(lhs) else None
        if not equation:
            # an inequality on a bare symbol, by a constant: a condition (N \ge 58.4, 0 \le n)
            name = next((s for s, o in ((lhs, rhs), (rhs, lhs)) if isinstance(s, sp.Symbol) and _constant(o)), None)
        fact = self.store.get(lhs) if is_name(lhs) else None
        restates = equation and fact is not None and (fact.value == rhs)
        return role_of(Facts(raw.cue, raw.first, raw.rel, name is not None,
                             name is not None and self._fresh(name) and name not in names_in(rhs),
                             name is not None and self._known(name), restates))

    def _rewritten(self, raw: RawStep) -> bool:
        """A side whose written expectation the algebra rewrites (``Cov(X, X)``,
        ``Var(X + Y)``): the relation is a claim about every law, never a definition."""
        return any(reducible(self.written.get(side.text), self.random) for side in (raw.lhs, raw.rhs))

    def _premise(self, raw: RawStep, lhs: Any, rhs: Any, role: str) -> Verdict:
        """Data and hypotheses: facts (an equation giving a name a value) or conditions."""
        line = self.ex.line_of(raw.offset)
        if raw.cue == "goal":
            return Verdict("given", "goal", "what is to be shown: not checked", role="hypothesis")
        if raw.rel in ("eq", "approx") and is_name(lhs) and lhs not in names_in(rhs):
            self._record(lhs, rhs, line=line, role=role)
            self.carried.pop(lhs, None)
            return Verdict("given", role, f"{role}: gives {_one(raw.lhs.text)}", role=role)
        if raw.rel in ("eq", "approx") and is_name(rhs) and not is_name(lhs) and rhs not in names_in(lhs):
            self._record(rhs, lhs, line=line, role=role)
            return Verdict("given", role, f"{role}: gives {_one(raw.rhs.text)}", role=role)
        if raw.rel in _SP_REL and isinstance(lhs, sp.Expr) and isinstance(rhs, sp.Expr):
            self.hyps.append((_SP_REL[raw.rel](lhs, rhs, evaluate=False), line))
        return Verdict("given", "condition", f"a condition on {_one(raw.lhs.text if is_name(lhs) else raw.rhs.text)}"
                       if is_name(lhs) or is_name(rhs) else "a condition", role="hypothesis")

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

    # -- judging ------------------------------------------------------------------ #
    def _judge_parsed(self, raw: RawStep, lhs: Any, rhs: Any) -> Verdict:
        rel = _REL[raw.rel]
        implication = rel in (Rel.IMPLIES, Rel.IFF)
        role = "claim"
        self._local_hyps: list[tuple[Any, int]] = []
        read = (self.written.get(raw.lhs.text), self.written.get(raw.rhs.text))
        # the sides as written, when the expectation algebra rewrote one of them
        self._read = read if any(w is not None and w != c for w, c in zip(read, (lhs, rhs))) else (None, None)
        if raw.first and is_name(lhs):
            self.heads[raw.chain] = lhs
        if not implication and self.allow_given and not self._rewritten(raw):
            piece = self._piecewise(raw, lhs, rhs)
            if piece is not None:
                return piece
            role = self._role(raw, lhs, rhs)
            if role in ("data", "hypothesis"):
                return self._premise(raw, lhs, rhs, role)
            given = self._given_step(raw, lhs, rhs)
            if given is not None:
                return given
        extra = self._conditions(raw)
        if rel is Rel.IMPLIES:
            given = _assignments(lhs)
            if given is not None:
                # \mu = 0, \sigma = 1 \Rightarrow KL = ...: the premise gives values; the conclusion is claimed there
                return self._conclusion(raw, rhs, {**extra, **given})
        v = self._verdict(raw, rel, lhs, rhs, extra)
        line = self.ex.line_of(raw.offset)
        if v.verdict == "invalid" and not implication:
            v = self._carry(raw, rel, lhs, rhs, extra, v)
        if v.verdict == "valid" and raw.rel == "eq" and is_name(lhs) and not self._known(lhs) \
                and lhs not in names_in(rhs) and not isinstance(rhs, sp.MatrixBase):
            self._record(lhs, rhs, line=line, role="claim")     # a proved value flows forward
        if role == "recall":
            v = Verdict(v.verdict, v.method, v.message, v.counterexample, v.condition, v.column, role="recall")
        return v

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

    def _conditions(self, raw: RawStep) -> dict[Any, Any]:
        """The step's trailing conditions: ``(P=0)`` as a substitution, ``n \\ge 0`` as a
        hypothesis, for this step only."""
        extra: dict[Any, Any] = {}
        line = self.ex.line_of(raw.offset)
        for cond in raw.conditions:
            try:
                prop = self.proposition(cond.text)
            except Exception:  # noqa: BLE001 - an unreadable condition is only not used
                continue
            if isinstance(prop, sp.Eq) and is_name(prop.lhs):
                extra[prop.lhs] = prop.rhs
            elif isinstance(prop, (sp.core.relational.Relational, sp.And)):
                self._local_hyps.append((prop, line))
        return extra

    def _step(self, raw: RawStep, rel: Rel, lhs: Any, rhs: Any, extra: dict[Any, Any]) -> tuple[Step, float | None]:
        tol = None
        if rel is Rel.APPROX or rel is Rel.EQ:
            tol = self._rounding(raw, lhs, rhs, rel, extra)
            if tol is not None:
                rel = Rel.APPROX
        L, R = self._prep(lhs, extra), self._prep(rhs, extra)
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
        step, tol = self._step(raw, rel, lhs, rhs, extra)
        try:
            v = self.verifier.verify_step(step, self.domains)
        except Exception as exc:  # noqa: BLE001 - a SymPy failure is not the user's fault
            return Verdict("unknown", "error", f"the verifier failed: {type(exc).__name__}")
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
            lost = _lost_domain(raw, step, self.domains, self._safe_argument)
            if lost:
                return Verdict("unknown", "domain", lost)
            method = "proved" if v.status == "proved" else "numeric"
            detail = v.method if tol is None else f"equal up to rounding of the printed decimals ({v.method})"
            return Verdict("valid", method, detail)
        if v.status == "unknown":
            return Verdict("unknown", v.method, v.message)
        if _became_matrix(lhs, step.lhs) or _became_matrix(rhs, step.rhs):
            # Symbols that facts turn into matrices were parsed as commuting scalars,
            # so the order of a matrix product is lost: no verdict either way.
            return Verdict("unknown", "matrix", "a product of matrices written with symbols; "
                           "state the matrices on the step itself to check it")
        if _scalar_beside_matrix(step.lhs, step.rhs) or _scalar_beside_matrix(step.rhs, step.lhs):
            # a name nothing declares (z^{(1)}, [h; x]) may stand for a matrix: no verdict either way
            return Verdict("unknown", "matrix", "a matrix compared with an expression in names that may be "
                           "matrices; declare them (assume z \\in \\mathbb{R}^n) or state their values")
        if v.method == "shape" and not _shapes_known(step.lhs, step.rhs):
            # \sigma(z) with z a vector, [h; x], (a, b): a side derive does not read as a matrix
            return Verdict("unknown", "matrix", "one side is not read as a matrix (an undefined function of a "
                           "matrix, or a list): its shape is not known")
        if rel not in (Rel.IMPLIES, Rel.IFF):
            signs = self._holds_if_positive(step)
            if signs is not None:
                return signs
        return self._invalid(step, v, rel in (Rel.IMPLIES, Rel.IFF))

    def _holds_if_positive(self, step: Step) -> Verdict | None:
        """A step that fails only for negative values of names nothing in scope gives a sign
        (\\sigma_x, d_{out}, counts): ``unknown``, since written working means positive quantities
        by default.  ``(a+b)^2 = a^2 + b^2`` fails for positive values too and stays ``invalid``."""
        loose = sorted((s for s in _symbols(step.lhs) | _symbols(step.rhs)
                        if s not in self.domains and s.name not in self.assumed and not s.is_nonnegative),
                       key=lambda s: s.name)
        if not loose:
            return None
        domains = dict(self.domains)
        domains.update({s: POSITIVE for s in loose})
        try:
            again = self.verifier.verify_step(step, domains)
        except Exception:  # noqa: BLE001 - best effort: without it the step stays invalid
            return None
        if again.status not in ("proved", "numeric"):
            return None
        names = self.ctx.names
        who = ", ".join(names.get(s.name, s.name) for s in loose)
        return Verdict("unknown", "sign", f"holds when {who} > 0, and nothing in scope gives "
                       f"{'its' if len(loose) == 1 else 'their'} sign (assume {who} > 0, or give values)")

    def _safe_argument(self, text: str, root: bool) -> bool:
        """A log's (root's) argument, as written, is positive (nonnegative) for every value in scope."""
        try:
            e = self.side(text)
        except Exception:  # noqa: BLE001 - unreadable: not known to be safe
            return False
        return bool(isinstance(e, sp.Expr) and (e.is_nonnegative if root else e.is_positive))

    # -- an earlier error carried forward -------------------------------------- #
    def _carry(self, raw: RawStep, rel: Rel, lhs: Any, rhs: Any, extra: dict[Any, Any], v: Verdict) -> Verdict:
        line = self.ex.line_of(raw.offset)
        if self.carried:
            used = set()
            for side in (lhs, rhs):
                used |= {k for k, _ in self.store.relevant(side)} | names_in(side)
            lines = sorted({self.carried[k][1] for k in used if k in self.carried})
            if lines:
                believed = dict(extra)
                believed.update({k: val for k, (val, _) in self.carried.items()})
                again = self._verdict(raw, rel, lhs, rhs, believed)
                if again.verdict == "valid":
                    where = ", ".join(str(n) for n in lines)
                    return Verdict("unknown", "carried", f"follows from line {where}, which is wrong")
        head = lhs if raw.first and is_name(lhs) else self.heads.get(raw.chain)
        if raw.rel in ("eq", "approx") and head is not None and head not in names_in(rhs):
            self.carried[head] = (rhs, line)      # what the writer now believes
        elif raw.rel == "eq":
            solved = _solve_linear(lhs, rhs)      # 2x = 5: the writer now believes x = 5/2
            if solved is not None:
                self.carried[solved[0]] = (solved[1], line)
        return v

    # -- premises written as steps --------------------------------------------- #
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
        if raw.first and raw.rel in ("eq", "approx"):
            if isinstance(lhs, sp.Symbol) and self._fresh(lhs) and lhs not in _symbols(rhs):
                self._record(lhs, rhs, line=line, role="definition")
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

    # -- printed decimals -------------------------------------------------------- #
    def _rounding(self, raw: RawStep, lhs: Any, rhs: Any, rel: Rel, extra: dict[Any, Any]) -> float | None:
        """Absolute tolerance for printed decimals (``None``: compare exactly)."""
        rdec, ldec = _decimals(raw.rhs.text), _decimals(raw.lhs.text)
        if rel is Rel.EQ:
            if not (rdec or ldec):
                return None
            L, R = self._prep(lhs, extra), self._prep(rhs, extra)
            if _symbols(L) or _symbols(R) or _opaque(L) or _opaque(R):
                return None
            if isinstance(L, sp.MatrixBase) or isinstance(R, sp.MatrixBase):
                # rounding inside matrix entries: every entry within half a printed unit
                if not (isinstance(L, sp.MatrixBase) and isinstance(R, sp.MatrixBase)) or L.shape != R.shape \
                        or L == R or not all(a.is_Rational and b.is_Rational for a, b in zip(L, R)):
                    return None
                return self._rounded_places(sp.Integer(0), max(abs(a - b) for a, b in zip(L, R)), raw)
            if L == R or (L.is_Rational and R.is_Rational):
                return None if L == R else self._rounded_places(L, R, raw)
        places = min(rdec) if rdec else (min(ldec) if ldec and rel is Rel.EQ else 0)
        # The engine's APPROX tolerance is absolute: half a unit of the last printed place.
        return float(sp.Rational(1, 2) / sp.Integer(10) ** places) * (1 + 1e-9)

    def _rounded_places(self, L: sp.Rational, R: sp.Rational, raw: RawStep) -> float | None:
        """Exact rationals that differ: within half a unit of the printed last place?"""
        rdec, ldec = _decimals(raw.rhs.text), _decimals(raw.lhs.text)
        places = min(rdec) if rdec else min(ldec)
        half = sp.Rational(1, 2) / sp.Integer(10) ** places
        if abs(L - R) <= half:
            return float(half) * (1 + 1e-9)
        return None

    # -- invalid, precision first ------------------------------------------------ #
    def _invalid(self, step: Step, v: Any, implication: bool = False) -> Verdict:
        job = self.verifier.job(step, self.domains)
        point = dict(v.counterexample or {})
        conds: list[tuple[sp.Symbol, sp.Expr]] = []
        entries: list[str] = []
        try:
            done, got = self.verifier._call(functools.partial(_diagnose, point=point), job,
                                            self.verifier.config.timeout)
            if done and got:
                conds, entries = got
        except Exception:  # noqa: BLE001 - diagnosis is best effort
            pass
        names = self.ctx.names
        # a condition on a random variable (X_1 = X_2) is no value a reader can check
        conds = [(s, val) for s, val in conds if not isinstance(s, RandomSymbol) and not val.has(RandomSymbol)]
        cex = {names.get(k, k): _short(val) for k, val in point.items()} or None
        condition = " or ".join(f"{names.get(s.name, s.name)} = {_latex(val, names)}" for s, val in conds) or None
        if not implication and not entries:
            doubt = self._doubt(step, point, conds)
            if doubt:
                return Verdict("unknown", "unconstrained", doubt, None, condition)
        if implication:
            # a name only in the conclusion, that nothing gives a value, is not bound by the premise
            free = (_symbols(step.rhs) - _symbols(step.lhs)) | (_opaque(step.rhs) - _opaque(step.lhs))
            loose = sorted(names.get(str(a), str(a)) if isinstance(a, sp.Symbol) else str(a.func) for a in free
                           if not (isinstance(a, sp.Symbol) and a.name in self.assumed) and not self._known(a, False))
            if loose:
                return Verdict("unknown", "unconstrained", f"the conclusion depends on {', '.join(loose)}, "
                               "which neither the premise nor anything in scope gives a value")
        message = v.message
        if entries:
            message = "entries " + ", ".join(entries) + " differ"
        return Verdict("invalid", v.method, message, cex, condition)

    def _doubt(self, step: Step, point: dict[str, str], conds: list[tuple[sp.Symbol, sp.Expr]]) -> str | None:
        """Why a counterexample does not refute the step as written in its scope (``None``: it does)."""
        names = self.ctx.names
        values = {}
        for s in _symbols(step.lhs) | _symbols(step.rhs):
            if s.name in point:
                try:
                    values[s] = sp.Rational(point[s.name])
                except (TypeError, ValueError):
                    pass
        for hyp, line in self.hyps + self._local_hyps:
            if not (_symbols(hyp) & set(values)):
                continue
            try:
                truth = self._prep(hyp).xreplace(values)
            except Exception:  # noqa: BLE001
                continue
            if truth == sp.false:
                return f"the counterexample does not satisfy the hypothesis on line {line}"
        left, right = _symbols(step.lhs), _symbols(step.rhs)
        one_side = left ^ right
        if self._read[0] is not None and self._read[1] is not None:
            # as written, before the expectation algebra: Var(X + b) = Var(X) + b has b on both sides
            one_side &= _symbols(self._read[0]) ^ _symbols(self._read[1])
        loose = [s for s in one_side if s.name not in self.assumed and not self._known(s, domains=False)]
        if loose:
            # a name on one side only, that nothing gives a value: another value may make
            # the step hold (the condition says which), so it is not refuted as written
            who = ", ".join(sorted(names.get(s.name, s.name) for s in loose))
            return f"depends on {who}, which nothing in scope gives a value"
        # (a moment of random variables is no free value: the counterexample's law gives it)
        atoms = [a for a in _opaque(step.lhs) ^ _opaque(step.rhs) if not self._known(a, domains=False)
                 and not is_moment(a)]
        if atoms:
            # an undefined function on one side only (D(K-1), p(x) under an integral,
            # \|c \Delta W x\|_2 beside c \|\Delta W x\|_2): its values are free, so no refutation
            who = ", ".join(sorted({str(a.func) for a in atoms}))
            return f"depends on {who}, about which nothing in scope is known"
        return None


__all__ = ["Deciding"]


#: Functions defined only on part of the reals, as written in LaTeX and as SymPy keeps them.
_PARTIAL = re.compile(r"\\(?:log|ln|sqrt)(?![A-Za-z])")


def _partial_count(e: Any) -> int:
    if not isinstance(e, sp.Basic):
        return 0
    return sum(1 for a in sp.preorder_traversal(e)
               if isinstance(a, sp.log) or (isinstance(a, sp.Pow) and a.exp.is_Rational and not a.exp.is_Integer))


def _safe_count(text: str, safe: Any) -> int:
    """How many ``\\ln(u)`` / ``\\sqrt{u}`` of ``text`` have an argument ``safe`` says is defined everywhere."""
    from .parse import _matching

    count = 0
    for m in re.finditer(r"\\(?:log|ln)\s*(?:\\left)?\s*\(|\\sqrt\s*\{", text):
        open_ = m.end() - 1
        close = _matching(text, open_)
        if close > open_ and safe(text[open_ + 1:close].replace("\\right", ""), m.group(0).startswith("\\sqrt")):
            count += 1
    return count


def _lost_domain(raw: RawStep, step: Step, domains: Any, safe: Any = None) -> str | None:
    """SymPy simplifies ``e^{\\ln x}``, ``\\sqrt{x}\\sqrt{x}`` and ``\\log x - \\log x`` to ``x`` or 0 while
    the sides are read, so their domain (x > 0) never reaches the verifier.  When a log or a
    root of the text is gone and a name in the step is not declared positive, no certificate."""
    written = len(_PARTIAL.findall(raw.lhs.text)) + len(_PARTIAL.findall(raw.rhs.text))
    if written <= _partial_count(step.lhs) + _partial_count(step.rhs):
        return None
    if safe is not None:
        # \ln(x^2 + 1), \sqrt{x^2}: defined for every real x, so nothing is lost
        written -= _safe_count(raw.lhs.text, safe) + _safe_count(raw.rhs.text, safe)
        if written <= _partial_count(step.lhs) + _partial_count(step.rhs):
            return None
    free = set()
    for side in (step.lhs, step.rhs):
        if isinstance(side, sp.Basic):
            free |= {x for x in side.free_symbols if isinstance(x, sp.Symbol)}
    loose = sorted(str(x) for x in free if not x.is_positive
                   and not (x in domains and domains[x].lo is not None and domains[x].lo >= 0))
    if not free:
        # no name left: a constant step (\\log(e^2) = 2) is fine, one whose names cancelled is not
        bare = re.sub(r"\\[A-Za-z]+|\be\b", " ", raw.lhs.text + " " + raw.rhs.text)
        if not re.search(r"[A-Za-z]", bare):
            return None
    elif not loose:
        return None
    return ("a log or a root was simplified away while reading, so where it is defined is not "
            f"checked; assume {', '.join(loose) or 'its argument'} > 0 to check this step")
