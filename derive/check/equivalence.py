"""``equivalent(a, b)``: are two final answers the same, as values or as solution sets?

Symmetric by construction:

- two expressions: decides ``a = b`` (as a checked step without ``given``);
  tuples (``(1, 2)``), sets (``\\{1, 2\\}``) and intervals (``[0, 1)``) are
  compared as such, entry by entry;
- two relations (``k \\ge 2``, ``x^2 = 4``, ``x \\ne 1``, ``x \\in (0, 1]``): whether they
  have the same solution set under the assumptions.  With one unknown the two sets are
  solved exactly and compared (a point of their difference is the
  counterexample); otherwise the engine decides ``a \\iff b``;
- an expression and a relation: a ``UsageError``, with the same message in both
  orders.

Every free name is arbitrary: two answers are equivalent when they agree for all its values
(``a`` vs ``1`` is invalid with a counterexample, never data that gives ``a``).
"""
from __future__ import annotations

import re
from typing import Any, Iterable

import sympy as sp

from .quantifiers import Every
from ..errors import UsageError
from .directives import DirectiveError, parse_assumptions
from .extract import _relations
from ..step import Justification, Rel, Step
from ..verify.relations import _point_in
from ..verify.zeros import region_of
from .document import read_document
from .extract import extract
from .judge import Judge, Premises, _config
from .parse import Context, Parser, ParseError, _top_split
from .quick import QuickVerifier
from .relscan import _relations as _scan_relations
from .report import Report, Verdict
from .sets import _balanced

_NE = re.compile(r"\\neq?(?![A-Za-z])|!=|\\not\s*=")
_REL_TEXT = {"eq": " = ", "le": " \\le ", "lt": " < ", "ge": " \\ge ", "gt": " > ", "ne": " \\ne ", "": "",
             "approx": " \\approx ", "implies": " \\implies ", "iff": " \\iff "}
_SP_REL = {"eq": sp.Eq, "le": sp.Le, "lt": sp.Lt, "ge": sp.Ge, "gt": sp.Gt, "ne": sp.Ne}


def _relation_parts(text: str) -> list[tuple[str, str]] | None:
    """``[(side, rel), ..., (side, "")]`` of a relation, or None for an expression."""
    blanked = _NE.sub(lambda m: " " * len(m.group(0)), text)
    rels = [(a, b, k) for a, b, k in _relations(blanked, 0, len(blanked))]
    rels += [(m.start(), m.end(), "ne") for m in _NE.finditer(text)]
    rels.sort()
    if not rels:
        return None
    out, prev = [], 0
    for a, b, key in rels:
        out.append((text[prev:a], key))
        prev = b
    out.append((text[prev:], ""))
    return out


_MEMBER = (("\\in", "in"), ("\\notin", "notin"))
_INFINITY = re.compile(r"\+?\s*\\infty")
_MINUS_INFINITY = re.compile(r"-\s*\\infty")
_LE, _LT, _GE, _GT = "\\le", "<", "\\ge", ">"


def _membership(text: str) -> str | None:
    """``x \\in (0, 1]`` as the relation ``0 < x \\le 1``: an interval (ends may be infinite), a
    finite set ``\\{1, 2\\}`` (``x = 1 \\lor x = 2``) or a union of them (``\\cup``); ``\\notin``
    an interval (``x \\le 0 \\lor x > 1``).  None for anything else (``x \\in \\mathbb{R}``)."""
    found = _scan_relations(text, 0, len(text), ne=True, extra=_MEMBER)
    if len(found) != 1 or found[0][2] not in ("in", "notin"):
        return None
    i, j, key = found[0]
    elem, target = text[:i].strip(), re.sub(r"\\(left|right)(?![A-Za-z])", "", text[j:]).strip()
    if not elem:
        return None
    pieces = re.split(r"\\cup(?![A-Za-z])", target)
    alts = []
    if key == "notin":
        ends = _interval(pieces[0]) if len(pieces) == 1 else None
        if ends is None:
            return None
        lo, hi, lo_open, hi_open = ends
        if lo is not None:
            alts.append(f"{elem} {_LE if lo_open else _LT} {lo}")
        if hi is not None:
            alts.append(f"{elem} {_GE if hi_open else _GT} {hi}")
        return " \\lor ".join(alts)
    for piece in pieces:
        ends = _interval(piece)
        listed = re.fullmatch(r"\\\{(.*)\\\}", piece.strip(), flags=re.S)
        if ends is not None:
            lo, hi, lo_open, hi_open = ends
            low = "" if lo is None else f"{lo} {_LT if lo_open else _LE} "
            high = "" if hi is None else f" {_LT if hi_open else _LE} {hi}"
            alts.append(low + elem + high)
        elif listed and _balanced(listed.group(1)) and all(_top_split(listed.group(1), seps=",", norm_bars=False)):
            alts += [f"{elem} = {item}" for item in _top_split(listed.group(1), seps=",", norm_bars=False)]
        else:
            return None
    return " \\lor ".join(alts)


def _interval(text: str) -> tuple[str | None, str | None, bool, bool] | None:
    """``(lo, hi, lo open, hi open)`` of an interval ``(a, b]`` or ``]a, b[``, an infinite end
    as None; None when ``text`` is no interval with a finite end."""
    m = re.fullmatch(r"([(\[\]])(.*)([)\]\[])", text.strip(), flags=re.S)
    if not m:
        return None
    items = _top_split(m.group(2), seps=",", norm_bars=False)
    if len(items) != 2 or not all(items) or not _balanced(m.group(2)):
        return None
    lo, hi = items
    if _INFINITY.fullmatch(lo) or _MINUS_INFINITY.fullmatch(hi):
        return None         # (\infty, 1): no interval
    lo_end = None if _MINUS_INFINITY.fullmatch(lo) else lo
    hi_end = None if _INFINITY.fullmatch(hi) else hi
    if lo_end is None and hi_end is None:
        return None
    return lo_end, hi_end, m.group(1) != "[", m.group(3) != "]"


def _structure(text: str) -> tuple[str, list[str], str] | None:
    """A tuple, set or interval written at the top level: (opening, items, closing)."""
    t = re.sub(r"\\(left|right)(?![A-Za-z])", "", text).strip()
    m = re.fullmatch(r"(\\\{|\(|\[)(.*)(\\\}|\)|\])", t, flags=re.S)
    if m and "," in m.group(2):
        items = _top_split(m.group(2), seps=",", norm_bars=False)
        if len(items) > 1 and all(items) and _balanced(m.group(2)):
            return m.group(1), items, m.group(3)
    return None


_PM = re.compile(r"\\pm(?![A-Za-z])|\\mp(?![A-Za-z])")


def _plus_minus(text: str) -> str:
    """``2 \\pm 1`` is the set ``\\{2 + 1, 2 - 1\\}`` (one ``\\pm``; more stay as written)."""
    found = _PM.findall(text)
    if len(found) != 1:
        return text
    plus, minus = ("+", "-") if found[0] == "\\pm" else ("-", "+")
    return "\\{" + _PM.sub(plus, text) + ", " + _PM.sub(minus, text) + "\\}"


def _usage(a: str, b: str) -> UsageError:
    return UsageError("equivalent(): one argument is a relation and the other an expression "
                      f"('{' '.join(a.split())}' vs '{' '.join(b.split())}' in some order); "
                      "compare two expressions or two relations")


def equivalent(a_latex: str, b_latex: str, assumptions: Iterable[str] = (), timeout: float = 5.0) -> Verdict:
    """Whether two LaTeX answers are the same (under ``assumptions``), as a ``Verdict``."""
    assumptions = list(assumptions)
    written = a_latex, b_latex
    a_latex, b_latex = _membership(a_latex) or a_latex, _membership(b_latex) or b_latex
    ra, rb = _relation_parts(a_latex), _relation_parts(b_latex)
    if (ra is None) != (rb is None):
        first, second = sorted(" ".join(t.split()) for t in written)
        raise _usage(first, second)
    if ra is not None and rb is not None:
        return _same_solutions(a_latex, b_latex, ra, rb, assumptions, timeout)
    sa, sb = _structure(_plus_minus(a_latex)), _structure(_plus_minus(b_latex))
    if sa is not None or sb is not None:
        return _same_structure(sa, sb, a_latex, b_latex, assumptions, timeout)
    return _equal(a_latex, b_latex, assumptions, timeout)


def _check(src: str, assumptions: list[str], timeout: float) -> Report:
    """``src`` checked as one step, every name arbitrary and no ``given`` steps (``check_source``
    with ``force_check``), with the layers in this process where that is safe (``quick``)."""
    verifier = QuickVerifier(_config(timeout))
    try:
        doc = read_document(src, "tex")
        judge = Judge(extract(doc.text, doc), Premises(assumptions, []), verifier)
        judge.allow_given = False
        judge.arbitrary = Every()
        return Report("<equivalent>", judge.run())
    finally:
        verifier.close()


def _equal(a: str, b: str, assumptions: list[str], timeout: float) -> Verdict:
    report = _check(f"\\[ {a} = {b} \\]", assumptions, timeout)
    if not report.steps:
        return Verdict("unparsed", message="no equation found")
    s = report.steps[-1]
    return Verdict(s.verdict, s.method, s.message, s.counterexample, s.condition, s.column)


_KINDS = {"(": "open", "[": "closed", ")": "open", "]": "closed"}


def _same_structure(sa: Any, sb: Any, a: str, b: str, assumptions: list[str], timeout: float) -> Verdict:
    if sa is None or sb is None:
        return Verdict("invalid", "structure", "one answer is a tuple, set or interval and the other is not")
    (oa, ia, ca), (ob, ib, cb) = sa, sb
    set_a, set_b = oa == "\\{", ob == "\\{"
    if set_a != set_b:
        return Verdict("invalid", "structure", "a set compared with a tuple or an interval")
    if set_a:
        return _same_set(ia, ib, assumptions, timeout)
    if len(ia) != len(ib):
        return Verdict("invalid", "structure", f"{len(ia)} entries vs {len(ib)}")
    if (oa, ca) != (ob, cb) and len(ia) == 2 and re.search(r"[\[\]]", oa + ca + ob + cb):     # (a, b] vs (a, b)
        return Verdict("invalid", "structure", "the intervals differ at an end (open vs closed)")
    worst = Verdict("valid", "proved", "entry by entry")
    for k, (x, y) in enumerate(zip(ia, ib), 1):
        v = _equal(x, y, assumptions, timeout)
        if v.verdict == "invalid":
            return Verdict("invalid", v.method, f"entry {k} differs: {v.message or ''}".strip(), v.counterexample)
        if v.verdict != "valid":
            worst = v
        elif worst.verdict == "valid" and v.method == "numeric":
            worst = Verdict("valid", "numeric", "entry by entry")
    return worst


def _same_set(ia: list[str], ib: list[str], assumptions: list[str], timeout: float) -> Verdict:
    """Every element of each set equals some element of the other."""
    undecided = False
    for xs, ys in ((ia, ib), (ib, ia)):
        for x in xs:
            verdicts = [_equal(x, y, assumptions, timeout).verdict for y in ys]
            if "valid" in verdicts:
                continue
            if all(v == "invalid" for v in verdicts):
                return Verdict("invalid", "structure", f"'{x.strip()}' is in one set only")
            undecided = True
    if undecided:
        return Verdict("unknown", "structure", "some elements could not be compared")
    return Verdict("valid", "proved", "the same elements")


def _same_solutions(a: str, b: str, ra: list, rb: list, assumptions: list[str], timeout: float) -> Verdict:
    try:
        ctx = Context(domains=parse_assumptions(assumptions))
    except DirectiveError as exc:
        raise UsageError(f"equivalent(): assumption: {exc}") from None
    parser = Parser(ctx)
    try:
        pa, pb = _boolean(parser, ra), _boolean(parser, rb)
    except ParseError as exc:
        return Verdict("unparsed", message=str(exc))
    syms = pa.free_symbols | pb.free_symbols
    if len(syms) == 1:
        got = _compare_sets(pa, pb, next(iter(syms)), ctx, timeout)
        if got is not None:
            return got
    if "ne" in [k for _, k in ra + rb]:
        return Verdict("unknown", "solve", "the solution sets could not be compared")
    report = _check(f"\\[ {a} \\iff {b} \\]", assumptions, timeout)
    if not report.steps:
        return Verdict("unparsed", message="no relation found")
    s = report.steps[-1]
    return Verdict(s.verdict, s.method, s.message, s.counterexample, s.condition, s.column)


_OR = re.compile(r"\\lor(?![A-Za-z])|\\vee(?![A-Za-z])|\\text\s*\{\s*or\s*\}|\\quad\s*\\text\s*\{\s*or\s*\}")


def _boolean(parser: Parser, parts: list[tuple[str, str]]) -> Any:
    text = "".join(t + _REL_TEXT[k] for t, k in parts)
    if len(_PM.findall(text)) == 1:        # x = 2 \pm 1: x = 3 or x = 1
        plus, minus = ("+", "-") if "\\pm" in text else ("-", "+")
        text = _PM.sub(plus, text) + " \\lor " + _PM.sub(minus, text)
    alts = _OR.split(text)
    if len(alts) > 1:
        return sp.Or(*[_boolean(parser, _relation_parts(a) or [(a, "")]) for a in alts])
    if len(parts) == 1:
        raise ParseError(f"'{parts[0][0].strip()}' is not a relation")
    sides = [parser.parse(t) for t, _ in parts]
    rels = [_SP_REL[k](x, y, evaluate=False) for (_, k), x, y in zip(parts, sides, sides[1:])]
    return rels[0] if len(rels) == 1 else sp.And(*rels)


def _compare_sets(pa: Any, pb: Any, x: sp.Symbol, ctx: Context, timeout: float) -> Verdict | None:
    """Solve both relations for ``x`` over its domain (in the verifier's killable
    worker); None when either cannot be solved in time."""
    verifier = QuickVerifier(_config(timeout))
    try:
        job = verifier.job(Step(pa, Rel.IFF, pb, Justification("equivalent")), ctx.declared())
        done, got = verifier._call(_solve_sets, job, timeout)
    finally:
        verifier.close()
    if not done or got is None:
        return None
    same, latex, point = got
    if same:
        return Verdict("valid", "proved", f"the same solution set {latex}")
    name = ctx.names.get(x.name, x.name)
    return Verdict("invalid", "solve", "the solution sets differ", {name: point} if point is not None else None)


def _solve_sets(job: Any) -> tuple[bool, str, str | None] | None:
    """(same, latex of the set, a point of the difference) for a one-unknown ``job``."""
    pa, pb = job.lhs, job.rhs
    free = pa.free_symbols | pb.free_symbols
    if len(free) != 1:
        return None
    (x,) = free
    dom = dict(job.domains).get(x)
    region = region_of(dom)      # the declared domain (assume x \ne 0 excludes 0)
    try:
        sa, sb = _solve(pa, x, region), _solve(pb, x, region)
    except Exception:  # noqa: BLE001 - solveset raises many kinds; undecided, never a crash
        return None
    if any(s.has(sp.ConditionSet) or s.has(sp.ImageSet) for s in (sa, sb)):
        return None
    diff = sp.Union(sp.Complement(sa, sb), sp.Complement(sb, sa))
    if diff.is_empty:
        return True, sp.latex(sa), None
    if diff.is_empty is None:
        return None
    point = _point(diff)
    return False, sp.latex(sa), None if point is None else str(point)


def _solve(b: Any, x: sp.Symbol, region: Any) -> Any:
    if isinstance(b, sp.Or):
        return sp.Union(*[_solve(a, x, region) for a in b.args])
    if isinstance(b, sp.And):
        return sp.Intersection(*[_solve(a, x, region) for a in b.args])
    return sp.solveset(b, x, region)


def _point(s: Any) -> Any:
    """Some element of a one-dimensional set (the verifier's ``_point_in``, plus complements)."""
    if isinstance(s, sp.Complement):
        return _point(s.args[0]) if not isinstance(s.args[0], sp.Interval) else None
    return _point_in(s)
