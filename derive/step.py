"""A derivation is data: steps relating SymPy objects, with a justification.

Nothing here produces LaTeX; ``render`` does that at the last moment from the
objects themselves, so what is printed is exactly what was verified.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

import sympy as sp

from .domains import Domain


class Rel(enum.Enum):
    """The relation a step asserts between its two sides."""

    EQ = "="
    LE = "<="
    LT = "<"
    GE = ">="
    GT = ">"
    IMPLIES = "=>"
    IFF = "<=>"
    APPROX = "≈"

    @property
    def latex(self) -> str:
        return _REL_LATEX[self]


_REL_LATEX = {
    Rel.EQ: "=", Rel.LE: r"\le", Rel.LT: "<", Rel.GE: r"\ge", Rel.GT: ">",
    Rel.IMPLIES: r"\implies", Rel.IFF: r"\iff", Rel.APPROX: r"\approx",
}


def same_side(a: Any, b: Any) -> bool:
    """Structural equality of two step sides (matrices by shape and entries).

    Used to chain steps (``a = b`` then ``b = c``) and to find a boxed value
    among verified sides; plain ``==`` on mixed matrix/scalar sides is not safe.
    """
    am, bm = isinstance(a, sp.MatrixBase), isinstance(b, sp.MatrixBase)
    if am or bm:
        return am and bm and a.shape == b.shape and a == b
    try:
        return sp.sympify(a) == sp.sympify(b)
    except (sp.SympifyError, TypeError):
        return False


@dataclass(frozen=True)
class Justification:
    """Why a step holds: a short rule name and one human sentence."""

    rule: str
    text: str = ""


@dataclass(frozen=True)
class Step:
    """``lhs rel rhs``, justified.

    ``facts`` are substitutions (atom -> value) the verifier may apply to both
    sides: premises of the problem or standard lemmas, cited in the
    justification.  ``tol`` is the absolute tolerance of an ``APPROX`` step:
    half a unit in the last printed place (``0.7725`` for 0.77254 takes 5e-5).
    """

    lhs: Any
    rel: Rel
    rhs: Any
    why: Justification
    facts: tuple[tuple[sp.Basic, sp.Basic], ...] = ()
    tol: sp.Expr | None = None


VerdictStatus = Literal["proved", "numeric", "failed", "unknown"]


@dataclass(frozen=True)
class Verdict:
    """What the verifier concluded, and how.

    ``proved`` is a symbolic proof; ``numeric`` means randomized high-precision
    evaluation found no counterexample (probable, not proved).
    """

    status: VerdictStatus
    method: str
    message: str = ""
    counterexample: Mapping[str, str] | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("proved", "numeric")

    def __repr__(self) -> str:
        extra = f": {self.message}" if self.message else ""
        return f"<Verdict {self.status} by {self.method}{extra}>"


@dataclass(frozen=True)
class CheckedStep:
    step: Step
    verdict: Verdict


@dataclass(frozen=True)
class CheckRow:
    """One line of an independent cross-check table (Monte-Carlo, quadrature)."""

    quantity: Any          # SymPy object naming what was estimated
    exact: float           # closed form evaluated at the instance
    estimate: float        # independent estimate
    tolerance: float       # allowed |exact - estimate|, from the sample size
    method: str            # e.g. "Monte-Carlo, 200000 samples, seed 0"

    @property
    def ok(self) -> bool:
        return abs(self.exact - self.estimate) <= self.tolerance


@dataclass(frozen=True)
class Result:
    """A boxed answer: ``label = value`` and the key it is exported under."""

    key: str
    label: Any
    value: Any


@dataclass(frozen=True)
class Part:
    """One sub-question: its steps, boxed results and cross-checks."""

    label: str
    heading: str
    steps: tuple[Step, ...] = ()
    results: tuple[Result, ...] = ()
    checks: tuple[CheckRow, ...] = ()
    figures: tuple[Any, ...] = ()
    tables: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Derivation:
    """An unverified derivation, as a pipeline emits it."""

    pipeline: str
    title: str
    params: Mapping[str, Any]
    domains: Mapping[sp.Symbol, Domain]
    parts: tuple[Part, ...]
    results: Mapping[str, Any] = field(default_factory=dict)

    def steps(self) -> list[Step]:
        return [s for p in self.parts for s in p.steps]

    def __repr__(self) -> str:
        return f"<Derivation {_call(self)}: {len(self.steps())} steps, not verified{_results(self.results)}>"

    def _repr_latex_(self) -> str:
        """Jupyter shows the steps as math, marked "not verified yet"."""
        from .notebook import notebook_latex  # on display only: `import derive` stays light

        return notebook_latex(self)


@dataclass(frozen=True)
class VerifiedDerivation:
    """A derivation whose every step carries a passing verdict.

    Renderers accept only this type, so an unchecked step cannot reach a sheet.
    """

    derivation: Derivation
    verdicts: tuple[tuple[Verdict, ...], ...]   # one tuple per part

    @property
    def pipeline(self) -> str:
        return self.derivation.pipeline

    @property
    def results(self) -> Mapping[str, Any]:
        return self.derivation.results

    def checked_parts(self) -> list[tuple[Part, tuple[CheckedStep, ...]]]:
        return [
            (part, tuple(CheckedStep(s, v) for s, v in zip(part.steps, verdicts)))
            for part, verdicts in zip(self.derivation.parts, self.verdicts)
        ]

    def summary(self) -> dict[str, int]:
        out = {"proved": 0, "numeric": 0}
        for verdicts in self.verdicts:
            for v in verdicts:
                out[v.status] = out.get(v.status, 0) + 1
        return out

    def __repr__(self) -> str:
        c = self.summary()
        counts = f"{c.get('proved', 0)} proved, {c.get('numeric', 0)} numeric"
        return f"<VerifiedDerivation {_call(self.derivation)}: {counts}{_results(self.results)}>"

    def _repr_latex_(self) -> str:
        """Jupyter shows the verified steps as math, with their verdicts and boxed results."""
        from .notebook import notebook_latex  # on display only: `import derive` stays light

        return notebook_latex(self)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _call(d: Derivation) -> str:
    """``gaussian_kl(mu1=1, sigma1=2)``: the pipeline and its parameter values, short."""
    return _short(f"{d.pipeline}({', '.join(f'{k}={v}' for k, v in d.params.items())})", 80)


def _results(results: Mapping[str, Any]) -> str:
    if not results:
        return ""
    return "; " + ", ".join(f"{k} = {_short(str(v), 40)}" for k, v in list(results.items())[:3]) + \
        (", …" if len(results) > 3 else "")
