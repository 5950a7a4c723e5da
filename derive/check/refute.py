"""Precision first: when an ``invalid`` verdict stands, and what else a failed step is.

``Refuting`` is mixed into ``decide.Deciding``.  A failed check is ``invalid`` only
with a counterexample that fits every hypothesis in scope, on a step that does
not hinge on a name or function nothing gives a value, is not true for every
positive value of names nothing gives a sign, and whose shapes are certain
(explicit matrices); otherwise it is ``unknown`` with the reason.  Matrix names
read as commuting numbers are read again as matrices where order matters.
"""
from __future__ import annotations

import functools
import re
from typing import Any

import sympy as sp

from ..domains import POSITIVE
from ..step import Justification, Rel, Step
from .chains import RawStep
from .diagnose import _diagnose, _latex, _opaque, _short, _symbols
from .facts import matrix_facts, _constant, names_in
from .latex.matrices import MatrixShape
from .parse import Context, Parser
from .plugged import Plugging
from .report import Verdict
from ..verify.probability import RandomSymbol, is_moment


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


#: functions the reader applies entry by entry to a matrix (``latex.build``)


_ENTRYWISE = frozenset({"ReLU", "ReLUPrime", "Hadamard", "Sigmoid"})


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


#: Functions defined only on part of the reals, as written in LaTeX and as SymPy keeps them.


#: logs and roots with a domain: an odd root (\\sqrt[3]{x}) is the real root, defined for every real x
_PARTIAL = re.compile(r"\\(?:log|ln|sqrt(?!\s*\[\s*\d*[13579]\s*\]))(?![A-Za-z])")


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


#: By convention x, y and z are variables ranging over the reals: a claim in them is meant for
#: every real value, so neither a value from outside the text (a figure's w_1) nor a positive
#: sign by default (sigma, d_out, counts) is read into them.
_VARIABLES = frozenset({"x", "y", "z"})


def _indexed_labels(*sides: Any) -> set[sp.Basic]:
    return {i.base.label for e in sides if isinstance(e, sp.Basic) for i in e.atoms(sp.Indexed)}


class Refuting(Plugging):
    """Refutations of ``decide.Deciding`` (the scope is ``judge.Judge``'s)."""

    _unprepped: tuple[Any, ...] = (None, None, None)     # the step's sides before the facts, and the step
    _at = 0                                             # offset of the step being judged

    def _ordered(self, raw: RawStep, rel: Rel, extra: dict[Any, Any]) -> Verdict:
        """The step read with every name that a fact gives an explicit matrix declared a matrix
        (``W_2 W_1`` is then a product in that order); ``unknown`` if that reading fails."""
        lost = Verdict("unknown", "matrix", "a product of matrices written with symbols; "
                       "state the matrices on the step itself to check it")
        matrices = matrix_facts(self.store, self.region_store)
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
                # a declared matrix (a MatrixSymbol) is the verifier's matrix layer's: norms, ranks
                if fact is not None and isinstance(fact.value, sp.MatrixBase):
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

    def _safe_argument(self, text: str, root: bool) -> bool:
        """A log's (root's) argument, as written, is positive (nonnegative) for every value in scope."""
        try:
            e = self.side(text)
        except Exception:  # noqa: BLE001 - unreadable: not known to be safe
            return False
        return bool(isinstance(e, sp.Expr) and (e.is_nonnegative if root else e.is_positive))

    def _variable(self, s: Any, step: Step) -> bool:
        """``s`` is a bare x, y or z (not x_1, not an array) written in the step itself (not
        only inside a fact it uses: ``Let A = [[x, 2], [3, 4]]``, then ``A B = ...``)."""
        raw = self._unprepped[2]
        name = self.ctx.names.get(s.name, s.name) if isinstance(s, sp.Symbol) else None
        if name not in _VARIABLES or raw is None or s in _indexed_labels(step.lhs, step.rhs, *self._unprepped[:2]):
            return False
        bare = re.compile(r"(?<![A-Za-z\\])" + name + r"(?![A-Za-z_])")
        return bool(bare.search(raw.lhs.text + " " + raw.rhs.text)) and not self._uses_facts()

    def _varies_apart(self, step: Step, loose: set[sp.Symbol]) -> bool:
        """An equation with the loose names on one side and, on the other, a variable that side
        varies with (``\\frac{\\partial}{\\partial w_3} w_3 (w_1 + w_2) = w_3``, read w_1 + w_2 = w_3):
        no value of the loose names makes it hold for every value of the variable."""
        if step.rel is not Rel.EQ or self._uses_facts() or self._unprepped[2] is None:
            return False
        for a, b in ((step.lhs, step.rhs), (step.rhs, step.lhs)):
            if not (isinstance(a, sp.Expr) and isinstance(b, sp.Expr)) or isinstance(b, sp.MatrixBase) \
                    or not loose <= _symbols(a) or loose & _symbols(b):
                continue
            for v in _symbols(b) - _symbols(a):
                if (self._differentiated(v) or self._variable(v, step)) and sp.diff(b, v) != 0:
                    return True
        return False

    def _differentiated(self, v: Any) -> bool:
        """The step differentiates by ``v`` as written (``\\partial w_3``): a variable of the step."""
        raw = self._unprepped[2]
        if raw is None or not isinstance(v, sp.Symbol):
            return False
        name = re.escape(self.ctx.names.get(v.name, v.name))
        return bool(re.search(r"\\partial\s*\{?\s*" + name + r"(?![A-Za-z0-9_])", raw.lhs.text + " " + raw.rhs.text))

    def _law_identity(self, step: Step) -> bool:
        """A step between moments of random variables that uses no value in scope
        (``\\mathbb{E}[aX + b] = a\\mathbb{E}[X]``): a claim for every law and every value of
        its constants, as the expectation algebra reads it (a name on one side is no doubt)."""
        sides = [e for e in (step.lhs, step.rhs) if isinstance(e, sp.Basic)]
        return any(isinstance(a, RandomSymbol) for e in sides for a in e.free_symbols) \
            and any(is_moment(a) for e in sides for a in sp.preorder_traversal(e)) and not self._uses_facts()

    def _uses_facts(self) -> bool:
        """The step as written uses a value in scope (``Let a = 8``, then ``x a + y b = 12``): numeric
        working, where x and y may be values from outside the text too (a neuron's inputs)."""
        return any(st.get(n) is not None for e in self._unprepped[:2] if e is not None
                   for n in names_in(e) for st in (self.store, self.region_store))

    def _holds_if_positive(self, step: Step) -> Verdict | None:
        """A step that fails only for negative values of names nothing in scope gives a sign
        (\\sigma_x, d_{out}, counts): ``unknown``, since written working means positive quantities
        by default.  ``(a+b)^2 = a^2 + b^2`` fails for positive values too and stays ``invalid``."""
        loose = sorted((s for s in _symbols(step.lhs) | _symbols(step.rhs)
                        if s not in self.domains and s.name not in self.assumed and not s.is_nonnegative
                        and not isinstance(s, RandomSymbol)      # a random variable is no quantity
                        and not self._variable(s, step)),        # nor is x: it ranges over the reals
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
        if not implication:
            doubt = self._doubt(step, point, conds, variables=False)
            if doubt:
                plugged = self._plugged(step)
                if plugged is not None:
                    return plugged
                doubt = self._doubt(step, point, conds)     # x, y, z range over the reals
            if doubt:
                return Verdict("unknown", "unconstrained", doubt, None, condition)
            plugged_at = self._through_plugged(*self._unprepped[:2])
            if plugged_at is not None and not self._fails_unplugged():
                # a value the writer plugged in (read as data) is no fact to refute with
                return Verdict("unknown", "substitution", f"fails with the value line {plugged_at} plugged in, "
                               "which nothing in the document gives")
        if implication:
            # a name only in the conclusion, that nothing gives a value, is not bound by the premise
            free = (_symbols(step.rhs) - _symbols(step.lhs)) | (_opaque(step.rhs) - _opaque(step.lhs))
            loose = sorted(names.get(str(a), str(a)) if isinstance(a, sp.Symbol) else str(a.func) for a in free
                           if not (isinstance(a, sp.Symbol) and a.name in self.assumed) and not self._known(a, False)
                           and not is_moment(a))      # a moment or P(B): the counterexample's law gives it
            if loose:
                return Verdict("unknown", "unconstrained", f"the conclusion depends on {', '.join(loose)}, "
                               "which neither the premise nor anything in scope gives a value")
        message = v.message
        if entries:
            message = "entries " + ", ".join(entries) + " differ"
        return Verdict("invalid", v.method, message, cex, condition)

    def _doubt(self, step: Step, point: dict[str, str], conds: list[tuple[sp.Symbol, sp.Expr]],
               variables: bool = True) -> str | None:
        """Why a counterexample does not refute the step as written in its scope (``None``: it does);
        ``variables``: x, y and z written in a step that uses no value in scope are no doubt."""
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
        for hyp, line in self.hyps + self._local_hyps:
            if _shares_entries(hyp, step):
                # y_1 > 0 with a family y_i: the counterexample gives no entry a value, so it is
                # not shown to satisfy the hypothesis (y_1 = -1.6 refuted \sqrt{y_1^2} = y_1)
                return f"the counterexample is not shown to satisfy the hypothesis on line {line}"
        left, right = _symbols(step.lhs), _symbols(step.rhs)
        one_side = left ^ right
        if self._read[0] is not None and self._read[1] is not None:
            # as written, before the expectation algebra: Var(X + b) = Var(X) + b has b on both sides
            one_side &= _symbols(self._read[0]) ^ _symbols(self._read[1])
        loose = [s for s in one_side if s.name not in self.assumed and s.name not in self.arbitrary
                 and not self._known(s, domains=False) and not (variables and self._variable(s, step))]
        if loose and variables and not self._uses_facts():
            free = {s for s in loose if self._differentiated(s)}        # bound by the derivative
            if self._law_identity(step) or (free and self._varies_apart(step, set(loose) - free)):
                loose = []
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


def _shares_entries(hyp: Any, step: Step) -> bool:
    """Whether ``hyp`` is about entries of a family the step uses: the same entry, or any entry
    when either has a symbolic index (``y_i`` in a sum stands for every entry)."""
    if not all(isinstance(e, sp.Basic) for e in (hyp, step.lhs, step.rhs)):
        return False
    mine, theirs = hyp.atoms(sp.Indexed), step.lhs.atoms(sp.Indexed) | step.rhs.atoms(sp.Indexed)
    if not mine or not theirs:
        return False
    if all(i.is_number for a in mine | theirs for i in a.indices):
        return bool(mine & theirs)
    return bool(_indexed_labels(hyp) & _indexed_labels(step.lhs, step.rhs))


__all__ = ["Refuting", "_lost_domain"]
