"""A build of one or more sheets: one verifier pool, one batch of steps, PDFs in parallel.

``build_sheets`` is what ``derive sheet A.toml B.toml ...`` (and ``make pdf``)
and ``derive.sheet(...)`` run.  Every spec is read first (a bad one fails
before any work); sheets whose inputs are unchanged are skipped.  The rest are
derived, then every step of every sheet is verified as one batch on the
verifier's worker processes (one pool, started once; one verdict cache, keyed
by a step's sides, relation, tolerance and domains, so a step two sheets share
is verified once).  Then, sheet by sheet, the verdicts are checked in order (a
failed step still stops its sheet with the same error as alone), the solution
and problem sheets are rendered from the same verified steps, and their PDFs
go to the TeX queue (``latex.TexQueue``: one pdflatex per core), which
compiles while the next sheet is rendered.  All SymPy work stays on this
thread; the queue's threads only wait on TeX.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from . import sheet as sh
from .errors import DeriveError, UsageError


@dataclass(frozen=True)
class _Plan:
    """One sheet of the batch: its spec, output names (per view) and input fingerprints."""

    spec: sh.SheetSpec
    names: Mapping[str, str]
    inputs: Mapping[str, str]
    progress: sh.Progress
    label: str


def _plan(spec_path: Path | str, out_dir: Path, overrides: Mapping[str, Any], seed: int | None, name: str | None,
          views: Sequence[str], config: Any, progress: sh.Progress, many: bool) -> _Plan:
    from .fingerprint import fingerprint
    from .latex import plain_name, remove_outputs
    from .render import TEMPLATE_DIR

    stem = plain_name(name) if name is not None else Path(spec_path).stem
    try:
        spec = sh.apply_overrides(sh.load_spec(spec_path), dict(overrides), seed)
    except DeriveError:
        remove_outputs(out_dir, stem if name or seed is None else f"{stem}-seed{seed}")   # no stale PDF
        raise
    name = name or (spec.name if seed is None else f"{spec.name}-seed{seed}")
    names = {view: name + suffix for view, suffix in sh.VIEWS if view in views}
    inputs = {view: fingerprint(repr((spec, view)), (*config.template_dirs, TEMPLATE_DIR)) for view in names}
    if seed is not None:     # one variant of several: every message says which
        progress = (lambda say: lambda message: say(f"variant {seed}: {message}"))(progress)
    if many:
        progress = (lambda say, n: lambda message: say(f"{n}: {message}"))(progress, name)
    return _Plan(spec, names, inputs, progress, f"{spec_path}: " if many else "")


def build_sheets(spec_paths: Sequence[Path | str], out_dir: Path | str = "build", *,
                 overrides: Mapping[str, Any] | None = None, seed: int | None = None, name: str | None = None,
                 force: bool = False, cache: bool = True, template_dirs: Sequence[Path] = (),
                 timeout: float | None = None, progress: sh.Progress = sh._quiet,
                 views: Sequence[str] = ("solutions", "problems")) -> tuple[sh.SheetBuild, ...]:
    """Every spec -> verified problems -> its solution and problem PDFs (``views``), in order.

    A sheet that fails (a wrong step, a LaTeX error) loses its old PDFs; the
    others are still built, and then the first failure is raised (with several
    sheets its message starts with the spec's path).
    """
    from .cache import SqliteCache
    from .config import DEFAULT
    from .latex import TexQueue, inputs_unchanged, output_dir
    from .verify import Verifier

    if not spec_paths:
        raise UsageError("give at least one sheet spec")
    if name is not None and len(spec_paths) > 1:
        raise UsageError("--name names one sheet: give one spec")
    out_dir = output_dir(Path(out_dir))         # a writable directory, else one UsageError
    config = DEFAULT.merge(timeout=timeout, template_dirs=tuple(Path(t) for t in template_dirs) or None)
    plans = [_plan(p, out_dir, overrides or {}, seed, name, views, config, progress, len(spec_paths) > 1)
             for p in spec_paths]
    current = [not force and all(inputs_unchanged(out_dir, p.names[v], p.inputs[v]) for v in p.names)
               for p in plans]
    if all(current):
        return tuple(sh.SheetBuild(tuple(out_dir / f"{n}.pdf" for n in p.names.values()), up_to_date=True)
                     for p in plans)
    store = SqliteCache(out_dir / ".cache" / "verdicts.sqlite") if cache else None
    with Verifier(config, store) as verifier, TexQueue() as tex:
        results = _run(plans, current, out_dir, force, config, verifier, tex, progress)
    for plan, result in zip(plans, results):
        if isinstance(result, DeriveError):
            raise (type(result)(f"{plan.label}{result}") if plan.label else result) from None
    return tuple(results)


def _run(plans: Sequence[_Plan], current: Sequence[bool], out_dir: Path, force: bool, config: Any, verifier: Any,
         tex: Any, progress: sh.Progress) -> list[Any]:
    """Derive every sheet, verify all their steps as one batch, then per sheet check the
    verdicts in order and render it while the TeX queue compiles the sheets before it."""
    derived: list[Any] = []
    for plan, up in zip(plans, current):
        if up:
            derived.append(sh.SheetBuild(tuple(out_dir / f"{n}.pdf" for n in plan.names.values()),
                                         up_to_date=True))
            continue
        try:
            derived.append(sh.derive_problems(plan.spec, plan.progress))
        except DeriveError as exc:
            derived.append(exc)
    todo = [(plan, ds) for plan, ds in zip(plans, derived) if isinstance(ds, list)]
    steps = sum(len(d.steps()) for _, ds in todo for _, d in ds)
    if len(todo) == 1:
        todo[0][0].progress(f"verifying {steps} steps of {len(todo[0][1])} problems")
    elif todo:
        progress(f"verifying {steps} steps of {len(todo)} sheets")
    verifier.prefetch((s, d.domains) for _, ds in todo for _, d in ds for s in d.steps())
    outcomes: list[Any] = []
    for plan, item in zip(plans, derived):
        if not isinstance(item, list):
            outcomes.append(item)
            continue
        try:
            before = verifier.stats["cached"]
            problems = sh.verify_problems(item, verifier, plan.progress, prefetched=True)
            cached = verifier.stats["cached"] - before
            texts = sh.sheet_texts(plan.spec, problems, list(plan.names), config.template_dirs)
        except DeriveError as exc:
            outcomes.append(exc)
            continue
        pdfs = {}
        for view, text in texts.items():
            plan.progress(f"compiling {out_dir / (plan.names[view] + '.tex')}")
            pdfs[view] = tex.submit(text, out_dir, plan.names[view], force=force)
        outcomes.append((problems, cached, pdfs))
    return [_finish(plan, outcome, out_dir) for plan, outcome in zip(plans, outcomes)]


def _finish(plan: _Plan, outcome: Any, out_dir: Path) -> sh.SheetBuild | DeriveError:
    """Wait for one sheet; record its inputs, or remove its outputs after a failure."""
    from .latex import record_inputs, remove_outputs

    if isinstance(outcome, sh.SheetBuild):
        return outcome
    try:
        if isinstance(outcome, DeriveError):
            raise outcome
        problems, cached, futures = outcome
        failed = [f.exception() for f in futures.values() if f.exception() is not None]   # waits for all
        if failed:
            raise failed[0]
        pdfs = {view: future.result() for view, future in futures.items()}
    except DeriveError as exc:
        # The sheet is now wrong: an older PDF must not survive to look current.
        for view, n in plan.names.items():
            remove_outputs(out_dir, n)
        return exc
    for view, n in plan.names.items():
        record_inputs(out_dir, n, plan.inputs[view])
    return sh.SheetBuild(tuple(pdfs[v] for v in plan.names), tuple(problems), cached=cached)
