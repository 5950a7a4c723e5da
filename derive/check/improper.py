"""Divergent series and integrals that the reading combines away.

SymPy adds like terms as it builds a side, so ``2\\sum_{n=1}^{\\infty} \\frac{1}{n} - \\sum_{n=1}^{\\infty}
\\frac{1}{n}`` is read as the one series: the verifier never sees ``oo - oo``, and a step that
says the harmonic series equals that side was proved.  ``cancelled_improper`` reads each
top-level term of the written side on its own, gives each improper part its value
(``verify.symbolic.improper_values``: ``oo`` where it diverges) and adds the terms in the
extended reals: a side that is ``oo - oo`` as written has no value.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping

import sympy as sp

from ..domains import Domain
from ..verify.symbolic import improper_values

_IMPROPER = re.compile(r"\\(?:sum|int|iint|iiint|oint)(?![A-Za-z])")
_OPEN, _CLOSE = "({[", ")}]"
#: terms read one by one: more is no step a student writes
_MAX_TERMS = 12


def top_terms(text: str) -> list[tuple[int, str]] | None:
    """``2\\sum f - \\int g`` -> ``[(1, '2\\sum f'), (-1, '\\int g')]``: the terms at depth 0 with
    their signs (``None`` when the brackets do not balance)."""
    out: list[tuple[int, str]] = []
    depth, start, sign = 0, 0, 1
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and text.startswith(("\\left", "\\right"), i):
            i += 5 if text.startswith("\\left", i) else 6
            continue
        if c == "\\":
            i += 2
            continue
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth -= 1
            if depth < 0:
                return None
        elif c in "+-" and depth == 0:
            before = text[start:i].strip()
            if before and not before.endswith(("^", "_", "\\cdot", "\\times")):
                out.append((sign, before))
                start, sign = i + 1, (1 if c == "+" else -1)
            elif not before:
                start, sign = i + 1, sign * (1 if c == "+" else -1)
        i += 1
    if depth != 0:
        return None
    last = text[start:].strip()
    if last:
        out.append((sign, last))
    return out


def written_terms(texts: tuple[str, str], parse: Callable[[str], Any]) -> list[tuple[str, sp.Tuple]]:
    """The sides with two or more improper parts as their top-level terms, each read on its own
    and signed (``[('right', (2 Sum(1/n), -Sum(1/n)))]``); a side whose terms do not read alone
    is judged as read."""
    out = []
    for which, text in zip(("left", "right"), texts):
        if len(_IMPROPER.findall(text)) < 2:
            continue
        terms = top_terms(text)
        if not terms or len(terms) < 2 or len(terms) > _MAX_TERMS:
            continue
        try:
            read = [sign * parse(t) for sign, t in terms]
            whole = parse(text)
        except Exception:  # noqa: BLE001 - a term that does not read alone (or is a matrix)
            continue
        # the terms must add up to the side as read (an integrand split at its own minus does not)
        if all(isinstance(e, sp.Expr) for e in read) and sp.Add(*read) == whole:
            out.append((which, sp.Tuple(*read)))
    return out


def undefined_sum(terms: sp.Tuple, domains: Mapping[sp.Symbol, Domain]) -> bool:
    """The terms added in the extended reals, each improper part at its value, are ``oo - oo``."""
    values = improper_values(list(terms), domains)
    if not values or all(v.is_finite for v in values.values()):
        return False
    return sp.Add(*[e.xreplace(values) for e in terms]).has(sp.nan)


def undefined_job(job: Any) -> bool:
    """``undefined_sum`` of ``job.lhs`` (a Tuple of terms), in the verifier's worker (bounded in time)."""
    return undefined_sum(job.lhs, dict(job.domains))


MESSAGE = "the {} side is oo - oo as written (a series or integral in it does not converge), so it has no value"


__all__ = ["MESSAGE", "top_terms", "undefined_job", "undefined_sum", "written_terms"]
