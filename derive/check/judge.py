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

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

import sympy as sp
from sympy.core.function import AppliedUndef

from ..config import DEFAULT
from ..domains import POSITIVE_INTEGER, Domain, domain_of
from ..printer import terminating_decimal
from ..step import Justification, Rel, Step
from ..verify import Verifier, _Job, _numeric, prepare
from .directives import DirectiveError, merge_domains, parse_assumptions, split_equation
from .document import DocumentError, kind_of, read_document
from .extract import Extraction, RawStep, _relations, extract
from .parse import Context, Parser, ParseError, defined_function, finish, indexed_bases, symbol_key
from .report import Report, StepReport, Verdict

_REL = {"eq": Rel.EQ, "le": Rel.LE, "lt": Rel.LT, "ge": Rel.GE, "gt": Rel.GT, "approx": Rel.APPROX,
        "implies": Rel.IMPLIES, "iff": Rel.IFF}
_SP_REL = {"eq": sp.Eq, "le": sp.Le, "lt": sp.Lt, "ge": sp.Ge, "gt": sp.Gt}
_DECIMAL = re.compile(r"(?<![\w.])\d*\.(\d+)")
_SUM_LIMIT = re.compile(r"\\(?:sum|prod)\s*_\s*\{?\s*([A-Za-z](?:_\{?\w+\}?)?)\s*=[^}^]*\}?\s*\^\s*"
                        r"(\{\s*([A-Za-z](?:_\{?\w+\}?)?)\s*\}|([A-Za-z]))")


def _config(timeout: float) -> Any:
    # The engine spends up to ``timeout`` on the symbolic attempt and twice that
    # on the numeric fallback; a third each keeps a whole step within the bound.
    return DEFAULT.merge(timeout=max(timeout / 3.0, 0.05))


def _opaque(e: Any) -> set[sp.Basic]:
    if isinstance(e, sp.MatrixBase):
        return set().union(*[_opaque(x) for x in e]) if e else set()
    if not isinstance(e, sp.Basic):
        return set()
    return {a for a in sp.preorder_traversal(e) if isinstance(a, AppliedUndef)}


def _symbols(e: Any) -> set[sp.Symbol]:
    if isinstance(e, sp.MatrixBase):
        return set().union(*[_symbols(x) for x in e]) if e else set()
    return {s for s in getattr(e, "free_symbols", set()) if isinstance(s, sp.Symbol)}


def _decimals(text: str) -> list[int]:
    return [len(m.group(1)) for m in _DECIMAL.finditer(text)]


# --------------------------------------------------------------------------- #
# Diagnosis of an invalid step (runs in the verifier's worker)
# --------------------------------------------------------------------------- #

def _diagnose(job: _Job, point: dict[str, str] | None = None) -> tuple[list[tuple[sp.Symbol, sp.Expr]], list[str]]:
    """Conditions ``symbol = value`` under which the step holds; differing matrix entries."""
    declared = dict(job.domains)
    l, r = job.lhs, job.rhs
    entries: list[str] = []
    if isinstance(l, sp.MatrixBase) and isinstance(r, sp.MatrixBase) and l.shape == r.shape:
        subs = {s: sp.Rational(point[s.name]) for s in _symbols(l) | _symbols(r)
                if point and s.name in point}
        for i in range(l.rows):
            for j in range(l.cols):
                d = sp.simplify((l[i, j] - r[i, j]).xreplace(subs))
                if d != 0:
                    entries.append(f"({i + 1},{j + 1})")
        return [], entries
    if job.rel is not Rel.EQ or not isinstance(l, sp.Expr) or not isinstance(r, sp.Expr):
        return [], []
    num, _ = sp.fraction(sp.together(sp.expand(l - r)))
    conds: list[tuple[sp.Symbol, sp.Expr]] = []
    for f in sp.factor_list(num)[1]:
        factor = f[0]
        syms = sorted(_symbols(factor), key=lambda s: s.name)
        if not syms or factor.is_positive or factor.is_negative:
            continue
        for s in syms:
            try:
                sols = sp.solve(factor, s)
            except (NotImplementedError, TypeError, ValueError):
                continue
            dom = domain_of(s, declared)
            sols = [v for v in sols if v.is_real is not False and dom.contains(v) is not False
                    and sp.count_ops(v) <= 6]
            if sols:
                conds.extend((s, v) for v in sols[:2])
                break
    return conds, entries


def _implication_counterexample(job: _Job) -> dict[str, str] | None:
    """A solution of the premise (within the domains) where the conclusion fails."""
    declared = dict(job.domains)
    premise, conclusion = job.lhs, job.rhs
    eqs = [premise] if isinstance(premise, sp.Eq) else list(premise.args) if isinstance(premise, sp.And) else []
    eqs = [e for e in eqs if isinstance(e, sp.Eq)]
    if not eqs:
        return None
    syms = sorted(_symbols(premise) | _symbols(conclusion), key=lambda s: s.name)
    try:
        sols = sp.solve(eqs, syms, dict=True)
    except (NotImplementedError, TypeError, ValueError):
        return None
    for sol in sols:
        if any(not domain_of(s, declared).contains(v) for s, v in sol.items() if not v.free_symbols):
            continue
        c = conclusion.xreplace(sol)
        if c.free_symbols:
            continue
        truth = c.doit() if hasattr(c, "doit") else c
        if truth == sp.false:
            return {s.name: str(v) for s, v in sol.items()}
    return None


def _became_matrix(raw: Any, prepared: Any) -> bool:
    return not isinstance(raw, sp.MatrixBase) and isinstance(prepared, sp.MatrixBase) and isinstance(raw, sp.Basic) \
        and any(isinstance(a, sp.Mul) for a in sp.preorder_traversal(raw))


def _scalar_beside_matrix(a: Any, b: Any) -> bool:
    """``a`` an explicit matrix, ``b`` a scalar expression with names in it."""
    return isinstance(a, sp.MatrixBase) and not isinstance(b, (sp.MatrixBase, sp.MatrixExpr)) \
        and bool(getattr(b, "free_symbols", None))


def _short(value: str) -> str:
    """``-971/1000`` -> ``-0.971``: a fraction with a terminating decimal is printed as
    that (exact) decimal; other values (``1/3``, ``\\sqrt{2}``) stay as they are."""
    m = re.fullmatch(r"\s*(-?\d+)\s*/\s*(\d+)\s*", value)
    if not m:
        return value
    text = terminating_decimal(sp.Rational(int(m.group(1)), int(m.group(2))))
    return value if text is None else text


def _latex(v: sp.Expr, names: dict[str, str]) -> str:
    return sp.latex(v, symbol_names={s: names.get(s.name, s.name) for s in v.free_symbols})


# --------------------------------------------------------------------------- #
# The document judge
# --------------------------------------------------------------------------- #

@dataclass
class Premises:
    """Assumptions and givens from the command line or the API."""

    assumptions: list[str] = field(default_factory=list)
    givens: list[str] = field(default_factory=list)


class Judge:
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
        self.verifier = verifier
        self.premises = premises
        self.reports: list[StepReport] = []
        self.errors: list[StepReport] = []
        self._reported: set[tuple[int, str]] = set()
        self.allow_given = True
        self.global_domains: dict[str, Domain] = {}
        for m in _SUM_LIMIT.finditer(ex.cleaned):
            upper = m.group(3) or m.group(4)
            self.global_domains.setdefault(symbol_key(upper), POSITIVE_INTEGER)
        self.global_domains.update(parse_assumptions(premises.assumptions))
        self.indexed = indexed_bases(ex.cleaned)
        self.function_names = {f for f in (defined_function(r.lhs.text) for r in ex.steps
                                           if r.first and r.rel == "eq") if f}
        self.section_domains: dict[int, dict[str, Domain]] = {}
        for d in ex.directives:
            d_section = 0 if self._global(d) else ex.section_at(d.offset)
            if d.kind != "assume":
                continue
            try:
                got = parse_assumptions([d.text])
            except DirectiveError as exc:
                self._error(d, f"assumption: {exc}")
                continue
            target = self.global_domains if d_section == 0 else self.section_domains.setdefault(d_section, {})
            merge_domains(target, got)
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
        merge_domains(domains, self.section_domains.get(section, {}))
        self.ctx = Context(domains=domains, indexed=set(self.indexed), function_names=set(self.function_names))
        self.parser = Parser(self.ctx)
        self.domains = self.ctx.declared()
        self._cache: dict[str, Any] = {}
        self.seen: set[sp.Basic] = set()
        self.section_facts: list[tuple[sp.Basic, sp.Basic]] = []
        self.region_facts: list[tuple[sp.Basic, sp.Basic]] = []
        for text in self.premises.givens:
            self._given(text)
        self.pending = []
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

    @property
    def facts(self) -> list[tuple[sp.Basic, sp.Basic]]:
        return self.section_facts + self.region_facts

    # -- premises ------------------------------------------------------------ #
    def _given(self, text: str, region: bool = False, define: bool = False) -> None:
        lhs_t, rhs_t = split_equation(text)
        lhs, rhs = self.parser.parse(lhs_t), self.parser.parse(rhs_t)
        self._record(lhs, rhs, region, define)

    def _record(self, lhs: Any, rhs: Any, region: bool = False, define: bool = False) -> None:
        # ``f(x) = ...`` defines the function f for every argument (a ``define``, or a
        # step about a function name); ``\|x\|_2 = \sqrt{d} RMS(x)`` is a fact about x only.
        define = define or (isinstance(lhs, AppliedUndef) and lhs.func.__name__ not in self.ctx.atom_heads)
        if define and isinstance(lhs, AppliedUndef) and lhs.args and all(isinstance(a, sp.Symbol) for a in lhs.args) \
                and len(set(lhs.args)) == len(lhs.args) and not isinstance(rhs, sp.MatrixBase):
            self.ctx.functions[lhs.func.__name__] = sp.Lambda(lhs.args, rhs)
            self._cache.clear()
            return
        # A later fact supersedes an earlier one it would loop with (v -> 2 w, then
        # w -> v / 2): facts are substituted to a fixed point, so keep no cycle.
        def loops(k: Any, v: Any) -> bool:
            return k == lhs or (isinstance(rhs, sp.Basic) and rhs.has(k))
        self.section_facts = [(k, v) for k, v in self.section_facts if not loops(k, v)]
        self.region_facts = [(k, v) for k, v in self.region_facts if not loops(k, v)]
        (self.region_facts if region else self.section_facts).append((lhs, rhs))

    # -- parsing ---------------------------------------------------------------- #
    def side(self, text: str) -> Any:
        if text not in self._cache:
            try:
                self._cache[text] = self.parser.parse(text)
            except ParseError as exc:
                self._cache[text] = exc
        value = self._cache[text]
        if isinstance(value, ParseError):
            raise value
        return value

    def proposition(self, text: str) -> Any:
        """``a = b``, ``0 < x < 1`` or ``x = 2 \\lor x = -2`` as a SymPy boolean."""
        alts = re.split(r"\\lor(?![A-Za-z])|\\vee(?![A-Za-z])|\\text\s*\{\s*or\s*\}", text)
        if len(alts) > 1:
            return sp.Or(*[self.proposition(a) for a in alts])
        rels = _relations(text, 0, len(text))
        if not rels:
            raise ParseError("expected a relation on this side of the implication")
        pieces, prev = [], 0
        for a, b, _ in rels:
            pieces.append(self.side(text[prev:a]))
            prev = b
        pieces.append(self.side(text[prev:]))
        parts = []
        for (_, _, key), a, b in zip(rels, pieces, pieces[1:]):
            if key not in _SP_REL:
                raise ParseError("nested implications are not supported")
            parts.append(_SP_REL[key](a, b, evaluate=False))
        return parts[0] if len(parts) == 1 else sp.And(*parts, evaluate=False)

    # -- judging ------------------------------------------------------------------ #
    def run(self) -> list[StepReport]:
        out: list[StepReport] = []
        for off, msg in self.ex.problems:
            out.append(StepReport(self.ex.line_of(off), "", "", "", "unparsed", message=msg,
                                  column=self.ex.column_of(off)))
        section, region = 0, None
        for raw in self.ex.steps:
            sec = self.ex.section_at(raw.offset)
            if sec != section:
                self._enter(sec)
                section, region = sec, None
            if raw.region != region:
                self.region_facts = []
                region = raw.region
            while self.pending and self.pending[0].offset < raw.offset:
                d = self.pending.pop(0)
                where = self.ex.region_at(d.offset)
                if where is None or where == raw.region:
                    self._directive(d, region=where is not None)
            v = self.judge(raw)
            out.append(StepReport.of(self.ex.line_of(raw.offset), raw.rel, _one(raw.lhs.text), _one(raw.rhs.text), v))
        for d in self.pending:      # directives after the last step: still report bad ones
            self._directive(d, region=True)
        out.extend(self.errors)
        out.sort(key=lambda s: s.line)
        return out

    def judge(self, raw: RawStep) -> Verdict:
        try:
            return self._judge(raw)
        except Exception as exc:  # noqa: BLE001 - bad input must give a verdict, never a traceback
            return Verdict("unknown", "error", f"could not be checked: {type(exc).__name__}: {exc}"[:200])

    def _prep(self, e: Any) -> Any:
        """``e`` with the facts in scope applied and ReLU/Hadamard evaluated."""
        mapping = dict(self.facts)
        out = e
        # facts may use one another (E[..] -> d ||x||^2 -> d d_in RMS(x)^2): apply to a fixed point
        for _ in range(8):
            try:
                new = prepare(out, self.facts)
            except (ValueError, TypeError, sp.ShapeError):
                # ``subs`` refuses some sums (dummy dependencies); exact matches still apply
                new = out.xreplace(mapping) if isinstance(out, sp.Basic) else out
            if new == out:
                break
            out = new
        return finish(out)

    def _judge(self, raw: RawStep) -> Verdict:
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
            for s in (lhs, rhs):
                self.seen |= _symbols(s) | _opaque(s)

    def _side_or_raise(self, e: Any) -> Any:
        try:
            return self.side(e.text)
        except ParseError as exc:
            raise _SideError(exc, e) from None

    def _unparsed(self, exc: ParseError, where: Any) -> Verdict:
        col = self.ex.column_of(where.offset) + getattr(exc, "column", 0)
        return Verdict("unparsed", message=str(exc), column=col)

    def _judge_parsed(self, raw: RawStep, lhs: Any, rhs: Any) -> Verdict:
        rel = _REL[raw.rel]
        if rel not in (Rel.IMPLIES, Rel.IFF) and self.allow_given:
            given = self._given_step(raw, lhs, rhs)
            if given is not None:
                return given
        tol = None
        if rel is Rel.APPROX or (rel is Rel.EQ and not isinstance(lhs, sp.MatrixBase)):
            tol = self._rounding(raw, lhs, rhs, rel)
            if tol is not None:
                rel = Rel.APPROX
        step = Step(self._prep(lhs), rel, self._prep(rhs), Justification("check"), tol=tol)
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
        if v.status in ("proved", "numeric"):
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
        return self._invalid(step, v)

    def _given_step(self, raw: RawStep, lhs: Any, rhs: Any) -> Verdict | None:
        if isinstance(lhs, sp.MatrixBase):
            return None
        after = self._prep(lhs) if self.facts else lhs
        rhs_after = self._prep(rhs) if self.facts and not isinstance(rhs, sp.MatrixBase) else rhs
        # An atom is unknown when it survives the facts on the left only, and the
        # step itself does not carry it to the right.
        unknown_atoms = (_opaque(after) - _opaque(rhs_after)) & (_opaque(lhs) - _opaque(rhs))
        if raw.first and raw.rel in ("eq", "approx"):
            if isinstance(lhs, sp.Symbol) and lhs not in self.seen and lhs not in _symbols(rhs):
                self._record(lhs, rhs)
                return Verdict("given", "definition", f"defines {_one(raw.lhs.text)}")
            if isinstance(lhs, AppliedUndef) and lhs.func.__name__ not in self.ctx.functions \
                    and lhs not in self.seen and not (_opaque(rhs) & {lhs}) \
                    and not any(a.func == lhs.func for a in _opaque(rhs)):
                self._record(lhs, rhs)
                return Verdict("given", "definition", f"defines {_one(raw.lhs.text)}")
        if unknown_atoms:
            if raw.first:
                if raw.rel == "eq":
                    self._record(lhs, rhs)
                return Verdict("given", "premise", "nothing is known about "
                               + ", ".join(sorted(str(a.func) for a in unknown_atoms)))
            return Verdict("unknown", "opaque", "depends on "
                           + ", ".join(sorted(str(a.func) for a in unknown_atoms)) + ", about which nothing is known")
        return None

    def _rounding(self, raw: RawStep, lhs: Any, rhs: Any, rel: Rel) -> float | None:
        """Absolute tolerance for printed decimals (``None``: compare exactly)."""
        rdec, ldec = _decimals(raw.rhs.text), _decimals(raw.lhs.text)
        if rel is Rel.EQ:
            if not (rdec or ldec):
                return None
            L, R = self._prep(lhs), self._prep(rhs)
            if _symbols(L) or _symbols(R) or _opaque(L) or _opaque(R):
                return None
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

    def _invalid(self, step: Step, v: Any) -> Verdict:
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
        cex = {self.ctx.names.get(k, k): _short(val) for k, val in point.items()} or None
        names = self.ctx.names
        condition = " or ".join(f"{names.get(s.name, s.name)} = {_latex(val, names)}" for s, val in conds) or None
        message = v.message
        if entries:
            message = "entries " + ", ".join(entries) + " differ"
        return Verdict("invalid", v.method, message, cex, condition)


class _SideError(Exception):
    def __init__(self, exc: ParseError, expr: Any) -> None:
        super().__init__(str(exc))
        self.exc = exc
        self.expr = expr


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


def _unused(_: Iterable[Any]) -> None:  # keep imports honest for linters
    _numeric
