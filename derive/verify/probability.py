"""Expectations, variances and covariances: an algebra that reduces them to moments.

The checker's reader turns ``\\mathbb{E}[X]``, ``\\mathrm{Var}(X)`` and
``\\mathrm{Cov}(X, Y)`` into opaque atoms.  ``canonical`` rewrites every such
atom into one normal form, using only what holds for *every* joint law of the
random variables (and the independence the document declares):

* ``E`` is linear; a constant comes out (``E[aX + b] = a E[X] + b``);
* ``Var(U) = Cov(U, U)`` and ``Cov`` is bilinear, so ``Var(aX + b) = a^2 Var X``
  and ``Var(X + Y) = Var X + Var Y + 2 Cov(X, Y)``;
* ``E[X^2] = Var X + E[X]^2`` and ``E[XY] = Cov(X, Y) + E[X] E[Y]``;
* inside one family declared (mutually) independent, ``Cov(X, Y) = 0`` and
  ``E[f(X) g(Y)] = E[f(X)] E[g(Y)]``; nothing else is assumed independent;
* a variable with a declared law (``verify.laws``) has its moments from the law's
  moment generating function.

The normal form's atoms are ``E[b]``, ``Var(b)``, ``Cov(b, c)`` (one base each)
and ``E[m]`` for products of three or more bases; a base is a random variable
or a non-polynomial expression in them (``\\log X``, ``1/X``).  Two sides with
the same normal form are equal for every law: that is the proof.

Random variables are ``RandomSymbol`` s: a name that starts with a capital
Latin letter (``X``, ``Y_2``) inside an expectation, or a declared one; lower
case and Greek names are constants.  An atom whose argument has no random
variable and names undeclared lower-case symbols stays as it is (it may be
about a random ``x``).

``probability_layer`` decides what the normal form leaves open numerically,
with *concrete* finite laws (``X`` takes 0 and 1 with probability 1/2 each,
``Y = X``...): a failing law is a counterexample that respects the declared
independence; a ``numeric`` verdict needs many laws and a dependence
structure that the sampled laws cover (all variables free, or all in one
independent family).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

import sympy as sp
from sympy.core.function import AppliedUndef

from .events import HEAD as EVENT_HEAD
from .events import is_prob
from .events import normal_form as _event_form
from .laws import LAWS, Law, law_moment, law_of


class RandomSymbol(sp.Symbol):
    """A random variable; ``family`` names the family declared mutually independent (``0``: none)."""

    __slots__ = ("family", "law")

    def __new__(cls, name: str, family: int = 0, law: str = "", **assumptions: bool) -> "RandomSymbol":
        assumptions.setdefault("real", True)
        obj = sp.Symbol.__xnew__(cls, name, **assumptions)
        obj.family = family
        obj.law = law
        return obj

    def _hashable_content(self) -> tuple:
        return sp.Symbol._hashable_content(self) + (self.family, self.law)

    def __getnewargs_ex__(self) -> tuple:
        return ((self.name, self.family, self.law), dict(self.assumptions0))

    def _sympyrepr(self, printer: Any) -> str:
        return f"RandomSymbol({self.name!r}, {self.family!r}, {self.law!r})"


#: The normal form's heads (the reader makes the same functions for the written atoms).
EXPECT = sp.Function("mathbbE", real=True)
VAR = sp.Function("Var", real=True, nonnegative=True)
COV = sp.Function("Cov", real=True)
HEADS_OUT = frozenset({"mathbbE", "Var", "Cov", EVENT_HEAD})


@dataclass(frozen=True)
class Operator:
    """A written operator: its heads as the reader names them, its kind and arity."""

    kind: str                 # E | Var | Cov | Std
    heads: frozenset[str]
    arity: int


OPERATORS: tuple[Operator, ...] = (
    Operator("E", frozenset({"mathbbE", "E", "mathrmE", "mathbfE", "operatornameE"}), 1),
    Operator("Var", frozenset({"Var", "mathbbV", "mathrmVar", "operatornameVar"}), 1),
    Operator("Cov", frozenset({"Cov", "mathrmCov", "operatornameCov"}), 2),
    Operator("Std", frozenset({"Std", "mathrmStd", "SD"}), 1),
)
_BY_HEAD = {h: op for op in OPERATORS for h in op.heads}


def _operator(e: Any) -> Operator | None:
    if not isinstance(e, AppliedUndef):
        return None
    op = _BY_HEAD.get(e.func.__name__)
    return op if op is not None and len(e.args) == op.arity else None


def is_moment(e: Any) -> bool:
    """A normal-form atom about random variables (``E[X]``, ``Var(X)``, ``Cov(X, Y)``...)."""
    return isinstance(e, AppliedUndef) and e.func.__name__ in HEADS_OUT \
        and any(isinstance(s, RandomSymbol) for s in e.free_symbols)


# --------------------------------------------------------------------------- #
# The model and the normal form
# --------------------------------------------------------------------------- #

_CONVENTION = re.compile(r"[A-Z](?:_.*)?")
#: capital Greek letters read as names: constants (\Sigma, \Delta...)
_GREEK = re.compile(r"[A-Z][a-z]+")


@dataclass(frozen=True)
class Model:
    """What a document says about its random variables."""

    #: name -> family of mutually independent variables (declared)
    families: Mapping[str, int] = field(default_factory=dict)
    #: name -> (law, parameters) (declared; ``None``: a law whose parameters were not read)
    laws: Mapping[str, tuple[Law, tuple[sp.Expr, ...]] | None] = field(default_factory=dict)
    #: name -> SymPy assumptions (``X > 0`` declared)
    assumptions: Mapping[str, Mapping[str, bool]] = field(default_factory=dict)

    def representative(self, name: str) -> str:
        """The first member of ``name``'s i.i.d. family (a negative family): same law, same moments."""
        fam = self.families.get(name, 0)
        return min(k for k, f in self.families.items() if f == fam) if fam < 0 else name

    def law_of(self, name: str) -> tuple[Law, tuple[sp.Expr, ...]] | None:
        """``name``'s declared law, or in an i.i.d. family (a negative family) a member's: one law for all."""
        own = self.laws.get(name)
        fam = self.families.get(name, 0)
        if own is not None or fam >= 0:
            return own
        return next((self.laws[k] for k in sorted(self.families) if self.families[k] == fam and self.laws.get(k)),
                    None)

    def random(self, name: str) -> bool:
        return name in self.families or name in self.laws or bool(_CONVENTION.fullmatch(name))

    def symbol(self, name: str) -> RandomSymbol:
        law = self.law_of(name)
        tag = law[0].name if law else ("unread" if name in self.laws else "")
        return RandomSymbol(name, self.families.get(name, 0), tag,
                            **dict(self.assumptions.get(name, {})))


class _GiveUp(Exception):
    """The atom stays as written (too large, a sum, a conditional expectation...)."""


def _randoms(e: Any) -> set[RandomSymbol]:
    """Random variables of ``e`` outside normal-form atoms (those are numbers)."""
    if isinstance(e, RandomSymbol):
        return {e}
    if is_moment(e) or not isinstance(e, sp.Basic):
        return set()
    out: set[RandomSymbol] = set()
    for a in e.args:
        out |= _randoms(a)
    return out


def _plain_symbols(e: Any) -> set[sp.Symbol]:
    """Symbols that are not random variables, outside normal-form atoms."""
    if is_moment(e) or not isinstance(e, sp.Basic):
        return set()
    if isinstance(e, sp.Symbol):
        return set() if isinstance(e, RandomSymbol) else {e}
    out: set[sp.Symbol] = set()
    for a in e.args:
        out |= _plain_symbols(a)
    return out


def canonical(expr: Any, model: Model) -> Any:
    """``expr`` with every expectation, variance, covariance and probability of an event in
    normal form (events: ``verify.events``; an event is an indicator ``RandomSymbol``)."""
    expr = _event_form(expr, lambda s: RandomSymbol(s.name, model.families.get(s.name, 0), "event"),
                       lambda v: getattr(v, "family", 0))
    if not isinstance(expr, sp.Basic) or isinstance(expr, sp.MatrixBase) \
            or not any(_operator(a) for a in expr.atoms(AppliedUndef)):
        return expr
    algebra = _Algebra(model)
    return expr.replace(lambda e: _operator(e) is not None, algebra.rewrite)


def reducible(raw: Any, model: Model) -> bool:
    """A written atom the algebra rewrites (``Cov(X, X)``, ``E[X + Y]``): a claim, never a name."""
    if isinstance(raw, sp.Basic) and any(is_prob(a) for a in raw.atoms(AppliedUndef)):
        # P(A \cup B), P(A \mid B), P(A^c), P(A \cap B): claims; P(A) may be given a value
        return not (is_prob(raw) and isinstance(raw.args[0], sp.Symbol))
    op = _operator(raw)
    if op is None:
        return False
    out = canonical(raw, model)
    same = {"E": "mathbbE", "Var": "Var", "Cov": "Cov"}.get(op.kind)
    return not (isinstance(out, AppliedUndef) and out.func.__name__ == same)


class _Algebra:
    """The rewriting of one expression under one model."""

    def __init__(self, model: Model) -> None:
        self.model = model

    def rewrite(self, atom: AppliedUndef) -> sp.Expr:
        op = _operator(atom)
        try:
            args = [self.mark(a) for a in atom.args]
            if op.kind == "E":
                return self.expect(args[0])
            if op.kind == "Std":
                return sp.sqrt(self.cov(args[0], args[0]))
            return self.cov(args[0], args[-1])
        except _GiveUp:
            return atom

    def mark(self, arg: sp.Expr) -> sp.Expr:
        """The random variables of an argument as ``RandomSymbol`` s (constants stay)."""
        if arg.has(sp.Sum, sp.Product, sp.Integral, sp.Derivative, sp.Indexed, sp.MatrixSymbol) \
                or not isinstance(arg, sp.Expr):
            raise _GiveUp
        plain = _plain_symbols(arg)
        mapping = {s: self.model.symbol(s.name) for s in plain
                   if self.model.random(s.name) and not _GREEK.fullmatch(s.name)}
        out = arg.xreplace(mapping)
        if not _randoms(out) and plain:
            raise _GiveUp           # E[x]: may be about a random x; nothing here says
        if any(not is_moment(a) and not _randoms(a) for a in out.atoms(AppliedUndef)):
            raise _GiveUp           # an opaque atom (a gradient, f(t)) may be random too
        for p in out.atoms(sp.Pow):
            if p.exp.is_Integer and abs(p.exp) > 8 and _randoms(p.base):
                raise _GiveUp
        return out

    # -- moments ------------------------------------------------------------ #
    def law(self, b: sp.Expr, k: int) -> sp.Expr | None:
        got = self.model.law_of(b.name) if isinstance(b, RandomSymbol) else None
        if got:
            law, params = got
            return law_moment(law, params, k)
        return None

    def same(self, b: sp.Expr) -> sp.Expr:
        """A base of one variable of an i.i.d. family, written with the family's first member."""
        vs = _randoms(b)
        if len(vs) != 1:
            return b
        (v,) = vs
        rep = self.model.representative(v.name)
        return b if rep == v.name else b.xreplace({v: self.model.symbol(rep)})

    def mean(self, b: sp.Expr) -> sp.Expr:
        got = self.law(b, 1)
        return got if got is not None else EXPECT(self.same(b))

    def var(self, b: sp.Expr) -> sp.Expr:
        m1, m2 = self.law(b, 1), self.law(b, 2)
        if m1 is not None and m2 is not None:
            return sp.factor(sp.expand(m2 - m1 ** 2))
        return VAR(self.same(b))

    def moment(self, g: sp.Expr) -> sp.Expr:
        """``E[g]`` for a random part ``g`` (a product of bases), in normal form."""
        if g == 1:
            return sp.Integer(1)
        out = sp.Integer(1)
        for group in _independent_groups(_bases(g)):
            out *= self.group_moment(group)
        return out

    def group_moment(self, group: list[tuple[sp.Expr, int]]) -> sp.Expr:
        if len(group) == 1:
            b, k = group[0]
            got = self.law(b, k)
            if got is not None:
                return got
            if k == 1:
                return self.mean(b)
            if k == 2:
                return self.var(b) + self.mean(b) ** 2
            return EXPECT(self.same(b) ** k)
        if len(group) == 2 and group[0][1] == group[1][1] == 1:
            a, b = sorted((group[0][0], group[1][0]), key=sp.default_sort_key)
            return COV(a, b) + self.mean(a) * self.mean(b)
        return EXPECT(sp.Mul(*[b ** k for b, k in group]))

    def expect(self, u: sp.Expr) -> sp.Expr:
        return sp.Add(*[c * self.moment(g) for c, g in _terms(u)])

    def cov_parts(self, g: sp.Expr, h: sp.Expr) -> sp.Expr:
        if g == 1 or h == 1:
            return sp.Integer(0)
        bg, bh = _bases(g), _bases(h)
        if len(bg) == 1 and len(bh) == 1 and bg[0][1] == bh[0][1] == 1:
            a, b = bg[0][0], bh[0][0]
            if a == b:
                return self.var(a)
            if len(_independent_groups([(a, 1), (b, 1)])) == 2:
                return sp.Integer(0)
            a, b = sorted((a, b), key=sp.default_sort_key)
            return COV(a, b)
        return self.moment(g * h) - self.moment(g) * self.moment(h)

    def cov(self, u: sp.Expr, w: sp.Expr) -> sp.Expr:
        tu, tw = _terms(u), _terms(w)
        if len(tu) * len(tw) > 400:
            raise _GiveUp
        return sp.Add(*[c * d * self.cov_parts(g, h) for c, g in tu for d, h in tw])


def _terms(u: sp.Expr) -> list[tuple[sp.Expr, sp.Expr]]:
    """``u`` as ``[(coefficient, random part)]``; the random part of a constant term is 1."""
    expanded = sp.expand(u)
    if sp.count_ops(expanded) > 400:
        raise _GiveUp
    out: dict[sp.Expr, sp.Expr] = {}
    for term in sp.Add.make_args(expanded):
        coeff, part = [], []
        for f in sp.Mul.make_args(term):
            (part if _randoms(f) else coeff).append(f)
        key = sp.Mul(*part)
        out[key] = out.get(key, sp.Integer(0)) + sp.Mul(*coeff)
    return [(c, g) for g, c in out.items() if c != 0]


def _bases(g: sp.Expr) -> list[tuple[sp.Expr, int]]:
    """A random part as bases with positive integer exponents (``X^2 log X`` -> X^2, log X)."""
    out = []
    for f in sp.Mul.make_args(g):
        if isinstance(f, sp.Pow) and f.exp.is_Integer and f.exp > 0:
            out.append((f.base, int(f.exp)))
        else:
            out.append((f, 1))
    return out


def _independent_groups(bases: list[tuple[sp.Expr, int]]) -> list[list[tuple[sp.Expr, int]]]:
    """Bases grouped so that groups are independent: only inside one declared family,
    between bases that share no variable."""
    rvs: set[RandomSymbol] = set()
    for b, _ in bases:
        rvs |= _randoms(b)
    families = {v.family for v in rvs}
    if len(families) != 1 or 0 in families:
        return [bases]
    groups: list[tuple[set[RandomSymbol], list[tuple[sp.Expr, int]]]] = []
    for b, k in bases:
        vs = _randoms(b)
        joined = [g for g in groups if g[0] & vs]
        rest = [g for g in groups if not (g[0] & vs)]
        merged_vs = set(vs).union(*[g[0] for g in joined])
        groups = rest + [(merged_vs, [(b, k)] + [x for g in joined for x in g[1]])]
    return [g[1] for g in groups]


__all__ = ["RandomSymbol", "Model", "Law", "LAWS", "Operator", "OPERATORS", "EXPECT", "VAR", "COV",
           "HEADS_OUT", "canonical", "is_moment", "law_of", "law_moment", "reducible"]
