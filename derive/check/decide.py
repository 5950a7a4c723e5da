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

from ..domains import POSITIVE, Domain
from ..step import Justification, Rel, Step
from .diagnose import _became_matrix, _diagnose, _scalar_beside_matrix, _implication_counterexample, _latex, _opaque, _short, _symbols
from .extract import RawStep
from ..verify.sums import constraints
from .facts import is_name, names_in
from .latex.matrices import MatrixShape
from .parse import Context, Parser
from .report import Verdict
from .roles import Facts, role_of
from ..verify.probability import is_moment, reducible

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
        if isinstance(e, sp.MatrixBase):
            return True
        # a number: no names, lists, undefined functions, or matrices inside (tanh of a vector, I)
        return isinstance(e, sp.Expr) and not names_in(e) and not e.has(sp.Tuple) and not _opaque(e) \
            and not any(isinstance(a, (sp.MatrixBase, sp.MatrixExpr)) for a in sp.preorder_traversal(e))
    return known(a) and known(b)


_TRANSPOSE = re.compile(r"(?<=[A-Za-z0-9}])\s*\^\s*(?:\{\s*)?(?:T|\\top|\\intercal|\\mathsf\s*\{\s*T\s*\})(?![A-Za-z])")


_FLIP = {"le": "ge", "lt": "gt", "ge": "le", "gt": "lt"}
#: functions the reader applies entry by entry to a matrix (``latex.build``)
_ENTRYWISE = frozenset({"ReLU", "ReLUPrime", "Hadamard"})
#: a bare I: the reader makes it an identity of a guessed size, so its shape proves nothing
_BARE_I = re.compile(r"(?<![\\A-Za-z])I(?![A-Za-z_])")


def _entrywise(step: Step) -> list[tuple[Any, Any]] | None:
    """An inequality between a matrix and a number (or a matrix of its shape): its entry pairs."""
    if step.rel not in (Rel.LE, Rel.LT, Rel.GE, Rel.GT):
        return None
    a, b = step.lhs, step.rhs
    if isinstance(a, sp.MatrixBase) and isinstance(b, sp.MatrixBase):
        return list(zip(a, b)) if a.shape == b.shape else None
    if isinstance(a, sp.MatrixBase) and isinstance(b, sp.Expr) and not isinstance(b, sp.MatrixExpr):
        return [(x, b) for x in a]
    if isinstance(b, sp.MatrixBase) and isinstance(a, sp.Expr) and not isinstance(a, sp.MatrixExpr):
        return [(a, x) for x in b]
    return None


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
            self._entries(raw.lhs.text, lhs, rhs, line, role)
            self.carried.pop(lhs, None)
            return Verdict("given", role, f"{role}: gives {_one(raw.lhs.text)}", role=role)
        if raw.rel in ("eq", "approx") and is_name(rhs) and not is_name(lhs) and rhs not in names_in(lhs):
            self._record(rhs, lhs, line=line, role=role)
            return Verdict("given", role, f"{role}: gives {_one(raw.rhs.text)}", role=role)
        if raw.rel in _SP_REL and isinstance(lhs, sp.Expr) and isinstance(rhs, sp.Expr):
            self.hyps.append((_SP_REL[raw.rel](lhs, rhs, evaluate=False), line))
            if isinstance(lhs, sp.Symbol):
                self._bound(lhs, raw.rel, rhs)
            elif isinstance(rhs, sp.Symbol):
                self._bound(rhs, _FLIP.get(raw.rel, raw.rel), lhs)
        return Verdict("given", "condition", f"a condition on {_one(raw.lhs.text if is_name(lhs) else raw.rhs.text)}"
                       if is_name(lhs) or is_name(rhs) else "a condition", role="hypothesis")

    def _bound(self, name: Any, rel: str, value: Any) -> None:
        """A hypothesis ``d \\ge 1`` on a name nothing declares bounds where its values are drawn:
        a counterexample must satisfy it (precision first), a certificate holds under it."""
        if not (isinstance(name, sp.Symbol) and _constant(value) and value.is_real and name not in self.domains) \
                or rel not in ("ge", "gt", "le", "lt"):
            return
        v = float(value)
        if rel in ("ge", "gt"):
            self.domains[name] = Domain(f"({'[' if rel == 'ge' else '('}{v:g}, inf)", lo=v, closed_lo=rel == "ge")
        else:
            self.domains[name] = Domain(f"(-inf, {v:g})", hi=v)

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
        if not (isinstance(L, sp.Expr) and isinstance(R, sp.Expr)) or names_in(L) or names_in(R):
            return Verdict("given", "condition", f"a condition: {_one(raw.lhs.text)} \\ne {_one(raw.rhs.text)}",
                           role="hypothesis")
        v = self.verifier.verify_step(Step(L, Rel.EQ, R, Justification("check")), self.domains)
        if v.status in ("proved", "numeric"):
            return Verdict("invalid", v.method, "the two sides are equal")
        if v.status == "failed":
            return Verdict("valid", "numeric", "the sides differ")
        return Verdict("unknown", v.method, v.message)

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

    # -- judging ------------------------------------------------------------------ #
    def _judge_parsed(self, raw: RawStep, lhs: Any, rhs: Any) -> Verdict:
        rel = _REL[raw.rel]
        implication = rel in (Rel.IMPLIES, Rel.IFF)
        role = "claim"
        self._local_hyps: list[tuple[Any, int]] = []
        if raw.first and is_name(lhs):
            self.heads[raw.chain] = lhs
        if raw.first:
            self.head_texts[raw.chain] = _one(raw.lhs.text)
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
            lost = _lost_domain(raw, step, self.domains)
            if lost:
                return Verdict("unknown", "domain", lost)
            method = "proved" if v.status == "proved" else "numeric"
            detail = v.method if tol is None else f"equal up to rounding of the printed decimals ({v.method})"
            return Verdict("valid", method, detail)
        if v.status == "unknown":
            return Verdict("unknown", v.method, v.message)
        if _scalar_beside_matrix(step.lhs, step.rhs) or _scalar_beside_matrix(step.rhs, step.lhs):
            # a name nothing declares (z^{(1)}, [h; x]) may stand for a matrix: no verdict either way
            return Verdict("unknown", "matrix", "a matrix compared with an expression in names that may be "
                           "matrices; declare them (assume z \\in \\mathbb{R}^n) or state their values")
        if v.method == "shape" and (not _shapes_known(step.lhs, step.rhs)
                                    or _BARE_I.search(raw.lhs.text + " " + raw.rhs.text)):
            # \sigma(z) with z a vector, [h; x], (a, b): a side derive does not read as a matrix
            return Verdict("unknown", "matrix", "one side is not read as a matrix (an undefined function of a "
                           "matrix, or a list): its shape is not known")
        if rel not in (Rel.IMPLIES, Rel.IFF):
            signs = self._holds_if_positive(step)
            if signs is not None:
                return signs
        if _TRANSPOSE.search(raw.lhs.text + " " + raw.rhs.text) and (_symbols(step.lhs) | _symbols(step.rhs)):
            # W^T W is read as W^2 when nothing says W is a matrix: the order of the product is lost
            return Verdict("unknown", "matrix", "a transpose of a name derive reads as a number (so W^T W = W W^T); "
                           "declare the matrix (assume W \\in \\mathbb{R}^{m \\times n}) or give its entries")
        return self._invalid(step, v, rel in (Rel.IMPLIES, Rel.IFF))

    def _ordered(self, raw: RawStep, rel: Rel, extra: dict[Any, Any]) -> Verdict:
        """The step read with every name that a fact gives an explicit matrix declared a matrix
        (``W_2 W_1`` is then a product in that order); ``unknown`` if that reading fails."""
        lost = Verdict("unknown", "matrix", "a product of matrices written with symbols; "
                       "state the matrices on the step itself to check it")
        matrices = {f.key: f.value for st in (self.store, self.region_store) for f in st.facts()
                    if isinstance(f.key, sp.Symbol) and isinstance(f.value, sp.MatrixBase)}
        domains = dict(self.ctx.domains)
        for key, value in matrices.items():
            domains.setdefault(key.name, MatrixShape(f"{value.rows}x{value.cols}", rows=str(value.rows),
                                                     cols=str(value.cols)))
        ctx = Context(domains=domains, indexed=set(self.ctx.indexed), functions=dict(self.ctx.functions),
                      atom_heads=set(self.ctx.atom_heads), function_names=set(self.ctx.function_names))
        try:
            sides = [Parser(ctx).parse(raw.lhs.text), Parser(ctx).parse(raw.rhs.text)]
        except Exception:  # noqa: BLE001 - the matrix reader does not know this notation
            return lost
        values = dict(extra)
        values.update({ctx.symbol(k.name): v for k, v in matrices.items()})
        L, R = (self._prep(e, values) for e in sides)
        if not (isinstance(L, sp.MatrixBase) and isinstance(R, sp.MatrixBase)):
            return lost
        step = Step(L, rel, R, Justification("check"))
        try:
            v = self.verifier.verify_step(step, self.domains)
        except Exception:  # noqa: BLE001
            return lost
        if v.status in ("proved", "numeric"):
            return Verdict("valid", "proved" if v.status == "proved" else "numeric", f"{v.method} (as matrices)")
        if v.status == "failed" and L.shape == R.shape and not (_symbols(L) | _symbols(R)):
            return self._invalid(step, v)
        return lost

    def _function_of_matrix(self, e: Any) -> bool:
        if not isinstance(e, sp.Basic) or isinstance(e, sp.MatrixBase):
            return False
        for a in sp.preorder_traversal(e):
            if not (getattr(a, "is_Function", False) or type(a).__name__ == "Rank") or not a.args \
                    or type(a).__name__ in _ENTRYWISE:
                continue
            for n in names_in(sp.Tuple(*a.args)):
                fact = self.store.get(n) or self.region_store.get(n)
                if isinstance(n, sp.MatrixSymbol) or (fact is not None and isinstance(fact.value, sp.MatrixBase)):
                    return True
        return False

    def _entries_hold(self, rel: Rel, pairs: list[tuple[Any, Any]]) -> Verdict:
        """``z > 0`` for a vector z: every entry (``all z^{(1)} > 0``)."""
        failed = []
        for k, (a, b) in enumerate(pairs, start=1):
            got = self.verifier.verify_step(Step(a, rel, b, Justification("check")), self.domains)
            if got.status == "failed" and _constant(a) and _constant(b):
                failed.append(str(k))
            elif got.status not in ("proved", "numeric"):
                return Verdict("unknown", "entries", f"entry {k}: {got.message}")
        if len(failed) == 1:
            return Verdict("invalid", "entries", f"entry {failed[0]} does not hold")
        if failed:
            return Verdict("invalid", "entries", f"entries {', '.join(failed)} do not hold")
        return Verdict("valid", "entries", "entry by entry")

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
        followed = self._carried_text(raw, rel, extra)
        if followed is not None:
            return followed
        head = lhs if raw.first and is_name(lhs) else self.heads.get(raw.chain)
        written = self.head_texts.get(raw.chain)
        if raw.rel in ("eq", "approx") and head is not None and head not in names_in(rhs):
            self.carried[head] = (rhs, line)      # what the writer now believes
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
        cex = {names.get(k, k): _short(val) for k, val in point.items()} or None
        condition = " or ".join(f"{names.get(s.name, s.name)} = {_latex(val, names)}" for s, val in conds) or None
        if not implication:
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
        loose = [s for s in (left ^ right) if s.name not in self.assumed and not self._known(s, domains=False)]
        if loose:
            # a name on one side only, that nothing gives a value: another value may make
            # the step hold (the condition says which), so it is not refuted as written
            who = ", ".join(sorted(names.get(s.name, s.name) for s in loose))
            return f"depends on {who}, which nothing in scope gives a value"
        atoms = [a for a in _opaque(step.lhs) ^ _opaque(step.rhs) if not self._known(a, domains=False)]
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


def _lost_domain(raw: RawStep, step: Step, domains: Any) -> str | None:
    """SymPy simplifies ``e^{\\ln x}``, ``\\sqrt{x}\\sqrt{x}`` and ``\\log x - \\log x`` to ``x`` or 0 while
    the sides are read, so their domain (x > 0) never reaches the verifier.  When a log or a
    root of the text is gone and a name in the step is not declared positive, no certificate."""
    written = len(_PARTIAL.findall(raw.lhs.text)) + len(_PARTIAL.findall(raw.rhs.text))
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
