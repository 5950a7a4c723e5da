"""``derive check``: verify hand-written LaTeX derivations step by step.

``extract`` finds the math and splits it into chains of steps, ``parse`` turns
each side into SymPy (opaque atoms for notation it must not look inside),
``directives`` reads assumptions and givens, ``judge`` asks the engine's
verifier for a verdict per step, ``report`` formats the results, ``annotate``
re-typesets the derivation with a mark per step, and ``cli`` is the command.
"""
from __future__ import annotations

from typing import Iterable

from .judge import Premises, check_source
from .report import Report, StepReport, Verdict

__all__ = ["check_text", "equivalent", "Report", "StepReport", "Verdict", "Premises"]


def check_text(src: str, assumptions: Iterable[str] = (), timeout: float = 5.0,
               givens: Iterable[str] = (), name: str = "<input>") -> Report:
    """Check every step of LaTeX source ``src`` (a document or a fragment)."""
    return check_source(src, name, Premises(list(assumptions), list(givens)), timeout)


def equivalent(a_latex: str, b_latex: str, assumptions: Iterable[str] = (), timeout: float = 5.0) -> Verdict:
    """Whether two LaTeX expressions are equal (under ``assumptions``), as a ``Verdict``."""
    report = check_source(f"\\[ {a_latex} = {b_latex} \\]", "<equivalent>",
                          Premises(list(assumptions), []), timeout, force_check=True)
    if not report.steps:
        return Verdict("unparsed", message="no equation found")
    s = report.steps[-1]
    return Verdict(s.verdict, s.method, s.message, s.counterexample, s.condition, s.column)
