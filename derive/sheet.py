"""Sheet specifications (TOML) -> verified problems -> LaTeX text.

``load_spec`` reads and validates a spec; ``derive_problems`` runs each
problem's pipeline (pure); ``verify_problems`` checks every step; and
``render_sheet`` produces the LaTeX (pure).  Only ``latex.build_pdf`` touches
the disk afterwards.
"""
from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from pylatex.utils import NoEscape, escape_latex

from . import authored
from . import pipeline as pl
from .errors import DeriveError, ParameterError, SpecError, suggest
from .render import PartView, ProseMathError, escape_prose, part_views, render
from .step import Derivation, VerifiedDerivation
from .verify import Verifier


@dataclass(frozen=True)
class Prose:
    part: str
    text: str
    heading: str = ""


@dataclass(frozen=True)
class ProblemSpec:
    id: str
    title: str
    pipeline: str
    statement: str
    params: Mapping[str, Any] = field(default_factory=dict)
    vary: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    prose: tuple[Prose, ...] = ()
    authored: Any = None        # derive.authored.Authored: steps written in the spec


@dataclass(frozen=True)
class SheetSpec:
    name: str
    title: str
    course: str
    problems: tuple[ProblemSpec, ...]


def _need(table: Mapping[str, Any], key: str, where: str, kind: type = str) -> Any:
    if key not in table:
        raise SpecError(f"{where}: missing '{key}'")
    value = table[key]
    if not isinstance(value, kind):
        raise SpecError(f"{where}: '{key}' must be a {kind.__name__}")
    return value


def parse_spec(data: Mapping[str, Any], name: str, source: str = "<spec>", text: str = "") -> SheetSpec:
    """Validate a parsed TOML table into a ``SheetSpec``."""
    from .spec import validate

    validate(data, source)      # every key's shape, with one clear SpecError
    title = _need(data, "title", source)
    course = data.get("course", "")
    problems_raw = data.get("problem")
    if not isinstance(problems_raw, list) or not problems_raw:
        raise SpecError(f"{source}: a sheet needs at least one [[problem]]")
    problems, seen = [], set()
    registry = pl.load_all()
    for i, raw in enumerate(problems_raw, 1):
        where = f"{source}: problem {i}"
        pid = _need(raw, "id", where)
        where = f"{source}: problem {pid}"
        if pid in seen:
            raise SpecError(f"{where}: duplicate id")
        seen.add(pid)
        own = authored.read(raw, where, source)
        own = own and authored.locate(own, text, pid)
        name_ = "" if own else _need(raw, "pipeline", where)
        if own is None and name_ not in registry:
            raise SpecError(f"{where}: unknown pipeline '{name_}'{suggest(name_, registry)}")
        params, vary = {}, {}
        for key, value in dict(raw.get("params", {})).items():
            if isinstance(value, dict):
                if "value" not in value:
                    raise SpecError(f"{where}: parameter {key} needs a 'value'")
                if value.get("vary"):
                    lo, hi = value.get("range", [1, 9])
                    vary[key] = (int(lo), int(hi))
                value = value["value"]
            if own is None and key not in {q.name for q in registry[name_].params}:
                raise SpecError(f"{where}: pipeline {name_} has no parameter '{key}'"
                                f"{suggest(key, [q.name for q in registry[name_].params])}")
            params[key] = value
        prose = tuple(Prose(str(p.get("part", "")), _need(p, "text", f"{where} prose"), str(p.get("heading", "")))
                      for p in raw.get("prose", []))
        problems.append(ProblemSpec(pid, _need(raw, "title", where), name_, raw.get("statement", ""),
                                    params, vary, prose, own))
    return SheetSpec(name, title, course, tuple(problems))


def load_spec(path: Path | str) -> SheetSpec:
    path = Path(path)
    if not path.is_file():
        raise SpecError(f"{path}: no such sheet spec")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SpecError(f"{path}: not valid TOML: {exc}") from None
    return parse_spec(data, path.stem, str(path), path.read_text(encoding="utf-8"))


def apply_overrides(spec: SheetSpec, overrides: Mapping[str, Any], seed: int | None = None) -> SheetSpec:
    """Apply ``ID.param=value`` overrides and, with ``seed``, fresh values for ``vary`` params."""
    by_id = {p.id: p for p in spec.problems}
    updates: dict[str, dict[str, Any]] = {pid: dict(p.params) for pid, p in by_id.items()}
    if seed is not None:
        rng = random.Random(seed)
        for p in spec.problems:
            for key, (lo, hi) in sorted(p.vary.items()):
                updates[p.id][key] = _vary_value(p.params.get(key), lo, hi, rng)
    for dotted, value in overrides.items():
        if "." not in dotted:
            raise ParameterError(f"--set {dotted}={value}: sheet overrides are written PROBLEM.PARAM=VALUE")
        pid, key = dotted.split(".", 1)
        if pid not in by_id:
            raise ParameterError(f"--set {dotted}={value}: the sheet has no problem '{pid}'")
        if by_id[pid].authored is None:
            pl.get(by_id[pid].pipeline).param(key)
        elif key not in by_id[pid].params:
            raise ParameterError(f"--set {dotted}={value}: problem {pid} has no parameter '{key}'")
        updates[pid][key] = value
    suffix = f" (variant {seed})" if seed is not None else ""
    problems = tuple(replace(p, params=updates[p.id]) for p in spec.problems)
    return replace(spec, problems=problems, title=spec.title + suffix)


def _vary_value(current: Any, lo: int, hi: int, rng: random.Random) -> Any:
    """A fresh value shaped like ``current`` (a number, or a nested list of them)."""
    if isinstance(current, list):
        return [_vary_value(c, lo, hi, rng) for c in current]
    if isinstance(current, str) and current.startswith("["):
        import json

        return json.dumps(_vary_value(json.loads(current), lo, hi, rng))
    return rng.randint(lo, hi)


@dataclass(frozen=True)
class ProblemResult:
    spec: ProblemSpec
    derivation: VerifiedDerivation


Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def derive_problems(spec: SheetSpec, progress: Progress = _quiet) -> list[tuple[ProblemSpec, Derivation]]:
    out = []
    for i, p in enumerate(spec.problems, 1):
        progress(f"[{i}/{len(spec.problems)}] {p.id}: deriving ({p.pipeline or 'authored steps'})")
        try:
            out.append((p, authored.derivation(p.id, p.title, p.authored, p.params) if p.authored
                        else pl.run(p.pipeline, p.params)))
        except DeriveError as exc:
            raise type(exc)(f"problem {p.id}: {exc}") from None
    return out


def verify_problems(derived: Sequence[tuple[ProblemSpec, Derivation]], verifier: Verifier,
                    progress: Progress = _quiet, prefetched: bool = False) -> list[ProblemResult]:
    """Verify every problem in order; ``prefetched``: the caller already ran their steps as a batch."""
    if not prefetched:       # one batch for the whole sheet keeps every verifier process busy
        progress(f"verifying {sum(len(d.steps()) for _, d in derived)} steps of {len(derived)} problems")
        verifier.prefetch((s, d.domains) for _, d in derived for s in d.steps())
    results = []
    for i, (p, d) in enumerate(derived, 1):
        progress(f"[{i}/{len(derived)}] {p.id}: verified {len(d.steps())} steps")
        try:
            results.append(ProblemResult(p, authored.verify(p.authored, p.params, d, verifier) if p.authored
                                         else verifier.verify(d)))
        except DeriveError as exc:
            raise type(exc)(f"problem {p.id}: {exc}") from None
    return results


def all_results(problems: Sequence[ProblemResult]) -> dict[str, Any]:
    """Results addressable from prose as ``{{key}}`` (own problem) or ``{{ID.key}}``."""
    out: dict[str, Any] = {}
    for pr in problems:
        for k, v in pr.derivation.results.items():
            out[f"{pr.spec.id}.{k}"] = v
    return out


def _displayable(value: Any) -> Any:
    """A parameter value as printable math (JSON matrices become matrices)."""
    import sympy as sp

    if isinstance(value, list) and value and all(isinstance(r, list) for r in value):
        try:
            return sp.Matrix(value)
        except (ValueError, TypeError, sp.SympifyError):
            return value
    return value


#: Lines of answer space on a problem sheet: a base, more per sub-question, a cap.
ANSWER_LINES = (6, 5, 36)


def problem_view(pr: ProblemResult, everything: Mapping[str, Any], problems_only: bool = False) -> dict[str, Any]:
    # Statements may quote parameters ({{L}}) so a variant sheet states its own
    # numbers; results take precedence over parameters of the same name.
    params = {k: _displayable(v) for k, v in pr.derivation.derivation.params.items()}
    results = {**params, **everything, **pr.derivation.results}
    if problems_only:
        return _statement_view(pr, params)
    prose: dict[str, list[str]] = {}
    labels = {part.label for part in pr.derivation.derivation.parts}
    for item in pr.spec.prose:
        prose.setdefault(item.part, []).append(item.text)
    try:
        parts = list(part_views(pr.derivation, prose, results))
        # Prose for a sub-question without steps (a purely conceptual answer).
        for item in pr.spec.prose:
            if item.part not in labels:
                parts.append(PartView(item.part, escape_prose(item.heading, results), (), (), (), (), (),
                                      (escape_prose(item.text, results),)))
                labels.add(item.part)
        statement = escape_prose(pr.spec.statement.strip(), results)
    except KeyError as exc:
        raise SpecError(f"problem {pr.spec.id}: prose quotes unknown result {exc}") from None
    except ProseMathError as exc:
        raise SpecError(f"problem {pr.spec.id}: math '${exc}$' is not a SymPy expression") from None
    parts.sort(key=lambda v: (v.label == "", v.label))
    return {
        "id": escape_latex(pr.spec.id),
        "title": NoEscape(escape_latex(pr.spec.title)),
        "statement": statement,
        "parts": parts,
    }


def _statement_view(pr: ProblemResult, params: Mapping[str, Any]) -> dict[str, Any]:
    """A problem as a student sees it: the statement (quoting parameters only) and room to answer."""
    try:
        statement = escape_prose(pr.spec.statement.strip(), params)
    except KeyError as exc:
        raise SpecError(f"problem {pr.spec.id}: the statement quotes {exc}, which is not a parameter; "
                        "a result would give the answer away on the problem sheet") from None
    except ProseMathError as exc:
        raise SpecError(f"problem {pr.spec.id}: math '${exc}$' is not a SymPy expression") from None
    labels = {p.label for p in pr.derivation.derivation.parts if p.label} | {p.part for p in pr.spec.prose if p.part}
    base, per_part, cap = ANSWER_LINES
    return {"id": escape_latex(pr.spec.id), "title": NoEscape(escape_latex(pr.spec.title)),
            "statement": statement, "parts": [], "space": min(cap, base + per_part * len(labels))}


def render_sheet(spec: SheetSpec, problems: Sequence[ProblemResult], template_dirs: Sequence[Path] = (),
                 problems_only: bool = False) -> str:
    """The solution sheet, or with ``problems_only`` the problem sheet (statements and answer space)."""
    everything = all_results(problems)
    return render("sheet.tex.j2", template_dirs,
                  title=NoEscape(escape_latex(spec.title)), course=NoEscape(escape_latex(spec.course)),
                  problems=[problem_view(pr, everything, problems_only) for pr in problems],
                  problems_only=problems_only)


# --------------------------------------------------------------------------- #
# The whole build: the one function the CLI and the Python API call
# --------------------------------------------------------------------------- #

#: The two views of a sheet and the suffix of their file names.
VIEWS = (("solutions", ""), ("problems", "-problems"))


@dataclass(frozen=True)
class SheetBuild:
    """What ``build`` produced: the PDFs (solutions first), and the verified problems
    (empty when every requested PDF was up to date)."""

    pdfs: tuple[Path, ...]
    problems: tuple[ProblemResult, ...] = ()
    up_to_date: bool = False
    cached: int = 0

    @property
    def pdf(self) -> Path:
        return self.pdfs[0]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for pr in self.problems:
            for k, v in pr.derivation.summary().items():
                out[k] = out.get(k, 0) + v
        return out

    def summary(self) -> str:
        shown = " and ".join(str(p) for p in self.pdfs)
        if self.up_to_date:
            return f"{shown} {'is' if len(self.pdfs) == 1 else 'are'} up to date"
        c = self.counts()
        return (f"wrote {shown} ({len(self.problems)} problems, {c.get('proved', 0)} steps proved, "
                f"{c.get('numeric', 0)} numeric; {self.cached} verdicts from the cache)")

    def __repr__(self) -> str:
        return f"<SheetBuild {self.summary()}>"


def sheet_texts(spec: SheetSpec, problems: Sequence[ProblemResult], views: Sequence[str],
                template_dirs: Sequence[Path] = ()) -> dict[str, str]:
    """LaTeX of each requested view (``solutions``, ``problems``) of one verified sheet."""
    return {view: render_sheet(spec, problems, template_dirs, problems_only=view == "problems") for view in views}


def build(spec_path: Path | str, out_dir: Path | str = "build", *, overrides: Mapping[str, Any] | None = None,
          seed: int | None = None, name: str | None = None, force: bool = False, cache: bool = True,
          template_dirs: Sequence[Path] = (), timeout: float | None = None,
          progress: Progress = _quiet, views: Sequence[str] = ("solutions", "problems")) -> SheetBuild:
    """Spec file -> verified problems -> ``out_dir/NAME.pdf`` (solutions) and
    ``NAME-problems.pdf`` (statements with room to answer); ``views`` picks them.

    The verdict cache lives under ``out_dir/.cache/``; a sheet whose inputs are
    unchanged since its last successful build is not rebuilt (unless ``force``).
    Several sheets at once: ``batch.build_sheets``.
    """
    from .batch import build_sheets

    return build_sheets([spec_path], out_dir, overrides=overrides, seed=seed, name=name, force=force, cache=cache,
                        template_dirs=template_dirs, timeout=timeout, progress=progress, views=views)[0]


from .callmodule import make_callable  # noqa: E402 - after build exists

make_callable(__name__, build)   # derive.sheet(path, out_dir, **options) is build(...)
