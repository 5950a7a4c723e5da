"""Random variables declared by directives: independence (``X, Y independent``, ``X \\perp Y``),
laws (``X \\sim \\mathrm{Bin}(n, p)``) with their parameters' implicit domains, and the
document's ``probability.Model``.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from ..domains import REAL, Domain
from .bounds import _NAME, Assumed, DirectiveError, _is_number, _number, split_commas
from .latex.matrices import MatrixShape
from .parse import symbol_key


if TYPE_CHECKING:
    from ..verify.probability import Model


@dataclass(frozen=True)
class RandomDomain(Domain):
    """A declared random variable: its values' domain, its independent family, its law (LaTeX)."""

    family: int = 0
    law: str = ""


#: ``X, Y independent``, ``X_1, \\dots, X_n \\text{ i.i.d.}``, ``X \\perp Y``
_INDEPENDENT = re.compile(r"(?P<names>.+?)\s*(?:\\text\s*\{\s*(?P<t>[^{}]*)\}|(?P<w>independent|i\.i\.d\.?|iid))\s*\.?\s*")
_PERP = re.compile(r"\\perp(?:\s*\\!)*(?:\s*\\perp)?")


#: a random variable's name as written in a family (``X_1``, ``\\xi``, ``\\mathbf{X}``)
_NAMED = re.compile(rf"\s*(?:{_NAME}|\\math[a-z]+\s*\{{[^{{}}]*\}}(?:\s*_\s*(?:\{{[^{{}}]*\}}|\w))?)\s*")


def parse_independence(text: str) -> dict[str, Domain] | None:
    """``X, Y independent`` -> {X, Y: one family}; ``None`` if ``text`` is no such statement."""
    names: list[str] = []
    if _PERP.search(text):
        names = [p.strip() for p in _PERP.split(text)]
    else:
        m = _INDEPENDENT.fullmatch(text)
        if not m or (m.group("t") is not None and not re.fullmatch(
                r"\s*(?:are\s+)?(?:(?:mutually\s+)?independent|i\.i\.d\.?|iid)\s*\.?\s*", m.group("t"))):
            return None
        names = split_commas(m.group("names").strip().rstrip(","))
    if not all(_NAMED.fullmatch(n) or re.search(r"\\[lc]?dots", n) for n in names if n):
        return None             # X \sim N(0, 1), Y \sim N(0, 1), X \perp Y: one piece at a time
    if any(re.search(r"\\[lc]?dots", n) for n in names):
        raise DirectiveError(f"'{text.strip()}': a family with \\dots is not read; name its members")
    keys = [symbol_key(n) for n in names if n]
    if len(keys) < 2 or len(set(keys)) != len(keys):
        raise DirectiveError(f"'{text.strip()}' must name two or more random variables")
    family = zlib.crc32(",".join(sorted(keys)).encode()) | 1
    if re.search(r"i\.i\.d|iid", text):
        family = -family            # identically distributed too
    return {k: RandomDomain("random", family=family) for k in keys}


def parse_law(text: str) -> dict[str, Domain] | None:
    """``X \\sim \\mathcal{N}(0, 1)`` -> {X: a random variable with that law}; ``None`` otherwise."""
    got = Assumed()
    if not _read_law(text, got, []):
        return None
    if got.problems:
        raise DirectiveError(got.problems[0])
    return got.domains


def _read_law(text: str, out: "Assumed", pending: list[str]) -> bool:
    """Read ``X \\sim law`` into ``out`` (also for the names ``pending`` before it: ``X, Y \\sim N(0, 1)``):
    the variable, and its parameters' implicit domains (``verify.laws.Bound``).  A law derive
    does not know, or parameters outside their domain, leave the variable random with an
    unread law (its moments are claims, never definitions) and a problem.  False: no law here."""
    m = re.fullmatch(r"\s*(.+?)\s*\\sim(?![A-Za-z])\s*(.+?)\s*", text)
    if not m or len(split_commas(m.group(1))) > 1 or len(split_commas(m.group(2))) > 1:
        return False            # "X \sim Exp(\lambda), \lambda > 0": one piece at a time (parse_assumptions)
    from ..verify.laws import law_of

    law_text = m.group(2)
    found = law_of(law_text)
    names = [symbol_key(n) for n in (*pending, m.group(1))]
    problems_before = len(out.problems)
    if found is None:
        out.problems.append(f"the law '{law_text}' is not known")
    else:
        args = _law_arguments(found[1])
        if args is None or len(args) != found[0].arity:
            out.problems.append(f"the parameters of '{law_text}' are not read")
        else:
            _law_parameters(law_text, found[0], args, out)
    read = len(out.problems) == problems_before
    for key in names:           # unread: "?" is no law text, so no finite law stands for it either
        merge_domains(out.domains, {key: RandomDomain("random", law=law_text if read else "?")})
    return True


def _law_arguments(rest: str) -> list[str] | None:
    """``(n, p)`` or ``[a, b]`` (up to the last closing bracket) -> ``['n', 'p']``."""
    rest = re.sub(r"\\(?:left|right)(?![A-Za-z])", "", rest).strip()
    close = {"(": ")", "[": "]"}.get(rest[:1])
    end = rest.rfind(close) if close else -1
    return split_commas(rest[1:end]) if end > 0 else None


#: a square of a name (``\\sigma^2``, a variance)
_GE = "\\ge"
_SQUARE = re.compile(rf"\s*({_NAME})\s*\^\s*(?:2|\{{\s*2\s*\}})\s*")


def _law_parameters(law_text: str, law: Any, args: list[str], out: "Assumed", as_relations: bool = False) -> None:
    """Each parameter's implicit domain: a bare name gets it as its domain (a variance written
    ``\\sigma^2`` makes ``\\sigma`` positive); a number must lie in it; any other expression, and an
    upper bound of 1 (a Domain's upper bound is open), become relations of the scope
    (``p \\le 1``, ``a < b``): a counterexample must satisfy them.  ``as_relations``: every
    constraint a relation (a law stated in the working, once the names' domains are fixed)."""
    from ..domains import NONNEGATIVE, POSITIVE, POSITIVE_INTEGER

    implied: dict[str, Domain] = {}
    for i, (arg, bound) in enumerate(zip(args, law.bounds), start=1):
        if _is_number(arg):
            if not bound.holds(_number(arg)):
                out.problems.append(f"in '{law_text}' parameter {i} ({arg.strip()}) must be {bound.describe()}")
            continue
        square = _SQUARE.fullmatch(arg)
        bare = re.fullmatch(rf"\s*{_NAME}\s*", arg)
        if bound.lo is not None and (bare or (square and bound.lo == 0 and not bound.closed)):
            name = symbol_key(square.group(1) if square and not bare else arg)
            dom = POSITIVE_INTEGER if bound.integer and bound.lo == 1 else POSITIVE \
                if bound.lo == 0 and not bound.closed else NONNEGATIVE if bound.lo == 0 \
                else Domain(f"{'[' if bound.closed else '('}{bound.lo:g}, inf)", lo=bound.lo, closed_lo=bound.closed,
                            integer=bound.integer)
            if as_relations:
                what = square.group(1).strip() if square and not bare else arg.strip()
                out.relations.append(f"{what} {_GE if bound.closed else '>'} {bound.lo:g}")
            else:
                implied[name] = dom
        elif bound.lo is not None:
            out.relations.append(f"{arg.strip()} {_GE if bound.closed else '>'} {bound.lo:g}")
        if bound.at_most_one:
            out.relations.append(f"{arg.strip()} \\le 1")
    if law.ordered and len(args) == 2:
        lo, hi = (a.strip() for a in args)
        if _is_number(lo) and _is_number(hi):
            if not _number(lo) < _number(hi):
                out.problems.append(f"in '{law_text}' the first parameter must be below the second")
        elif as_relations:
            out.relations.append(f"{lo} < {hi}")
        elif _is_number(hi) and re.fullmatch(_NAME, lo):
            implied[symbol_key(lo)] = Domain(f"(-inf, {_number(hi):g})", hi=_number(hi))
        elif _is_number(lo) and re.fullmatch(_NAME, hi):
            implied[symbol_key(hi)] = Domain(f"({_number(lo):g}, inf)", lo=_number(lo))
        else:
            out.relations.append(f"{lo} < {hi}")
    out.implied.append(implied)


def _stated(law_text: str, as_relations: bool = True) -> "Assumed | None":
    """The parameters of a law stated in the working, checked (``problems``) and turned into
    relations, or with ``as_relations=False`` into the bare names' domains (``implied``); ``None``
    for a law not read or with the wrong number of parameters."""
    from ..verify.laws import law_of

    found = law_of(law_text)
    args = _law_arguments(found[1]) if found else None
    if args is None or len(args) != found[0].arity:
        return None
    out = Assumed()
    _law_parameters(law_text, found[0], args, out, as_relations=as_relations)
    return out


def law_conditions(law_text: str) -> list[str]:
    """What the parameters of a law stated in the working (``X \\sim \\mathrm{Bin}(n, p)``) must
    satisfy, as relations (``n \\ge 1``, ``p \\ge 0``, ``p \\le 1``); none for a law not read."""
    out = _stated(law_text)
    return list(dict.fromkeys(out.relations)) if out is not None else []


def law_domains(law_text: str) -> dict[str, Domain]:
    """The implicit domains of a law's bare-name parameters (``Bin(n, p)``: n a positive integer),
    by symbol key; empty for a law not read."""
    out = _stated(law_text, as_relations=False)
    return {k: v for implied in out.implied for k, v in implied.items()} if out is not None else {}


def law_problems(law_text: str) -> list[str]:
    """Why a law stated in the working does not exist (``\\mathrm{Bernoulli}(2)``: its parameter
    must be at most 1); empty when every numeric parameter is in its domain or the law is not read."""
    out = _stated(law_text)
    return list(out.problems) if out is not None else []


def merge_domains(into: dict[str, Domain], new: dict[str, Domain]) -> None:
    """Add constraints to ``into``; two constraints on one symbol combine
    (``n \\in \\mathbb{Z}, n \\ge 1`` is a positive integer)."""
    for key, dom in new.items():
        old = into.get(key)
        if isinstance(dom, RandomDomain) or isinstance(old, RandomDomain):
            into[key] = _merge_random(old, dom)
            continue
        if old is None or old == REAL or isinstance(dom, MatrixShape) or isinstance(old, MatrixShape):
            into[key] = dom
            continue
        lo_new = dom.lo is not None and not (dom.integer and dom.name == "integer")
        lo, closed = (dom.lo, dom.closed_lo) if lo_new or old.lo is None else (old.lo, old.closed_lo)
        hi, closed_hi = (dom.hi, dom.closed_hi) if dom.hi is not None else (old.hi, old.closed_hi)
        integer = old.integer or dom.integer
        if integer and (old.nonzero or dom.nonzero):
            raise DirectiveError(f"'{key} \\ne 0' is read for real symbols only, not for an integer")
        into[key] = Domain(f"{old.name} and {dom.name}", lo=lo, hi=hi, integer=integer, closed_lo=closed,
                           closed_hi=closed_hi, nonzero=old.nonzero or dom.nonzero,
                           excluded=tuple(dict.fromkeys(old.excluded + dom.excluded)))


def _merge_random(old: Domain | None, new: Domain) -> Domain:
    """A random variable keeps its family and law when its values get a domain, and back."""
    if old is None:
        return new
    values = {}
    for d in (old, new):
        if not (isinstance(d, RandomDomain) and d.name == "random") and not isinstance(d, MatrixShape):
            values = {"name": d.name, "lo": d.lo, "hi": d.hi, "integer": d.integer, "closed_lo": d.closed_lo,
                      "closed_hi": d.closed_hi}
    family = next((d.family for d in (new, old) if isinstance(d, RandomDomain) and d.family), 0)
    law = next((d.law for d in (new, old) if isinstance(d, RandomDomain) and d.law), "")
    return RandomDomain(**({"name": "random"} | values), family=family, law=law)


def _within(old: Domain | None, implied: Domain) -> Domain:
    """A written domain with a law's implicit domain of the parameter under it (``p > -1`` for
    a probability p is p >= 0)."""
    if old is None:
        return implied
    if isinstance(old, (RandomDomain, MatrixShape)):
        return old
    lo, closed = old.lo, old.closed_lo
    if implied.lo is not None and (lo is None or implied.lo > lo or (implied.lo == lo and not implied.closed_lo)):
        lo, closed = implied.lo, implied.closed_lo
    if (lo, closed) == (old.lo, old.closed_lo) and (old.integer or not implied.integer):
        return old
    return Domain(f"{old.name} and {implied.name}", lo=lo, hi=old.hi, integer=old.integer or implied.integer,
                  closed_lo=closed, nonzero=old.nonzero, excluded=old.excluded, closed_hi=old.closed_hi)


def random_model(domains: dict[str, Domain], parse: "Callable[[str], Any]") -> "Model":
    """The document's random variables (``probability.Model``): declared families and laws;
    ``parse`` reads a law's parameters."""
    from ..verify.probability import Model, law_of

    families, laws, assumptions = {}, {}, {}
    for key, dom in domains.items():
        if isinstance(dom, MatrixShape):
            continue
        assumptions[key] = {k: v for k, v in dom.assumptions().items() if k != "real"}
        if not isinstance(dom, RandomDomain):
            continue
        if dom.family:
            families[key] = dom.family
        if not dom.law:
            continue
        laws[key] = None            # a law it could not read: no finite law stands for it
        found = law_of(dom.law)
        args = _law_arguments(found[1]) if found else None
        if found and args and len(args) == found[0].arity:
            try:
                laws[key] = (found[0], tuple(parse(a) for a in args))
            except Exception:  # noqa: BLE001 - unreadable parameters: no law
                pass
    return Model(families, laws, assumptions)


#: how a law is written (a named head, then its parameters): ``\\mathrm{Cauchy}(0, 1)``, ``Beta(a, b)``
_LAW_HEAD = re.compile(r"\s*(?:\\(?:mathrm|mathcal|mathsf|text|operatorname)\s*\{\s*[A-Za-z]+\s*\}|[A-Z][A-Za-z]*)"
                       r"\s*(?:\(|\[|\\left)")


def with_law(model: "Model", variable: str, law_text: str, parse: "Callable[[str], Any]") -> "Model | None":
    """``model`` with ``variable`` (LaTeX) of the law ``law_text`` (``X \\sim Bern(p)`` in the working;
    an unread law when the law or its parameters are not read); ``None`` when the variable is no name."""
    from ..verify.probability import Model, law_of

    found = law_of(law_text)
    args = _law_arguments(found[1]) if found else None
    if not re.fullmatch(rf"\s*{_NAME}\s*", variable) or (found is None and not _LAW_HEAD.match(law_text)):
        return None         # a_n \sim n^2: no law
    key = symbol_key(variable)
    law = None          # a law not read (Cauchy(0, 1)): the variable's moments are claims, never definitions
    if args is not None and len(args) == found[0].arity:
        try:
            law = (found[0], tuple(parse(a) for a in args))
        except Exception:  # noqa: BLE001 - unreadable parameters: no law
            law = None
    return Model(dict(model.families), {**model.laws, key: law}, dict(model.assumptions))


def law_read(model: "Model", variable: str) -> bool:
    """``with_law`` read the law of ``variable`` (LaTeX): its moments are known."""
    return model.laws.get(symbol_key(variable)) is not None
