"""Verdicts of checked steps and their text (compiler style) and JSON forms."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["valid", "invalid", "unknown", "unparsed", "given"]
STATUSES: tuple[Status, ...] = ("valid", "invalid", "unknown", "unparsed", "given")

#: Relation keys (see ``extract.RELATIONS``) -> the symbol reported in output.
REL_SYMBOL = {"eq": "=", "le": "<=", "lt": "<", "ge": ">=", "gt": ">", "approx": "≈",
              "implies": "=>", "iff": "<=>", "sim": "~", "ne": "!=", "gets": "<-"}
#: what a relation is for (see ``roles``): only claims (and recalls) are judged
ROLES = ("claim", "definition", "data", "hypothesis", "recall")


@dataclass(frozen=True)
class Verdict:
    """The checker's conclusion about one step."""

    verdict: Status
    method: str = ""
    message: str = ""
    counterexample: dict[str, str] | None = None
    condition: str | None = None
    column: int | None = None
    role: str = "claim"

    def __repr__(self) -> str:
        detail = f" ({self.method})" if self.method else ""
        if self.counterexample:
            detail += " at " + ", ".join(f"{k}={v}" for k, v in self.counterexample.items())
        elif self.message:
            detail += f": {self.message}"
        return f"<Verdict {self.verdict}{detail}>"


@dataclass(frozen=True)
class StepReport:
    line: int
    relation: str
    lhs: str
    rhs: str
    verdict: Status
    method: str = ""
    message: str = ""
    counterexample: dict[str, str] | None = None
    condition: str | None = None
    column: int | None = None
    role: str = "claim"

    @classmethod
    def of(cls, line: int, relation: str, lhs: str, rhs: str, v: Verdict) -> "StepReport":
        return cls(line, REL_SYMBOL.get(relation, relation), lhs, rhs, v.verdict, v.method, v.message,
                   v.counterexample, v.condition, v.column, v.role)


@dataclass
class Report:
    file: str
    steps: list[StepReport] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        out = {s: 0 for s in STATUSES}
        for st in self.steps:
            out[st.verdict] += 1
        return out

    def __repr__(self) -> str:
        counts = ", ".join(f"{v} {k}" for k, v in self.summary.items() if v)
        return f"<Report {self.file}: {len(self.steps)} steps{': ' + counts if counts else ''}>"

    def failed(self, strict: bool = False) -> bool:
        bad = ("invalid", "unknown", "unparsed") if strict else ("invalid",)
        return any(s.verdict in bad for s in self.steps)

    def to_json(self) -> dict[str, Any]:
        steps = []
        for s in self.steps:
            d = asdict(s)
            d.pop("column")
            if s.verdict == "unparsed":
                d["column"] = s.column
            steps.append(d)
        return {"file": self.file, "steps": steps, "summary": self.summary}


def describe(s: StepReport) -> str:
    """The detail in parentheses after a verdict."""
    bits = []
    if s.verdict == "unknown" and s.condition:
        return f"{s.message}; holds if {s.condition}" if s.message else f"holds if {s.condition}"
    if s.condition:
        bits.append(f"holds only if {s.condition}")
    if s.counterexample:
        bits.append("counterexample " + ", ".join(f"{k}={v}" for k, v in s.counterexample.items()))
    if s.message and not bits:
        bits.append(s.message)
    elif s.message and s.verdict == "invalid":
        bits.insert(0, s.message)
    return "; ".join(bits)


def text_lines(report: Report, verbose: bool = False) -> list[str]:
    """``file:line: verdict: lhs rel rhs (detail)`` for every step worth reporting."""
    out = []
    for s in report.steps:
        if s.verdict == "valid" and not verbose:
            continue
        where = f"{report.file}:{s.line}" + (f":{s.column}" if s.column is not None else "")
        claim = f"{_short(s.lhs)} {s.relation} {_short(s.rhs)}"
        detail = describe(s)
        label = s.verdict if s.verdict != "valid" else f"valid ({s.method})"
        if s.verdict == "given" and s.role in ROLES[1:]:
            label = s.role          # definition, data, hypothesis: shown as such
        elif s.role == "recall":
            label += " (recall)"
        out.append(f"{where}: {label}: {claim}" + (f" ({detail})" if detail else ""))
    return out


def summary_line(reports: list[Report]) -> str:
    total = {s: 0 for s in STATUSES}
    for r in reports:
        for k, v in r.summary.items():
            total[k] += v
    steps = sum(total.values())
    files = f"{len(reports)} file{'s' if len(reports) != 1 else ''}"
    return f"{files}, {steps} steps: " + ", ".join(f"{total[s]} {s}" for s in STATUSES)


def _short(text: str, limit: int = 70) -> str:
    t = " ".join(text.split())
    return t if len(t) <= limit else t[:limit - 3] + "..."


def dumps(reports: list[Report], many: bool) -> str:
    data: Any = [r.to_json() for r in reports] if many else reports[0].to_json()
    return json.dumps(data, indent=2, ensure_ascii=False)
