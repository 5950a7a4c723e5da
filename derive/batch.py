"""A build of one or more sheets: one verifier pool, the stages overlapped, PDFs in parallel.

``build_sheets`` is what ``derive sheet A.toml B.toml ...`` (and ``make pdf``)
and ``derive.sheet(...)`` run.  Every spec is read first (a bad one fails
before any work); sheets whose inputs are unchanged are skipped.  The rest go
through three stages that overlap: this thread derives sheet k+1 while one
thread verifies sheet k on the verifier's worker processes (one pool, started
once, one verdict cache) and another renders sheet k-1 and queues its PDFs on
the TeX queue (``latex.TexQueue``, one pdflatex per core).  Verification is
exactly the single-sheet one: every step of every sheet is verified (or its
verdict read from the cache under a key of its sides, relation, tolerance and
domains); the problem sheet is rendered from the same verified steps as the
solutions.
"""
from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
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


def _locked(progress: sh.Progress) -> sh.Progress:
    lock = threading.Lock()

    def say(message: str) -> None:
        with lock:
            progress(message)
    return say


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
    progress = _locked(progress)
    plans = [_plan(p, out_dir, overrides or {}, seed, name, views, config, progress, len(spec_paths) > 1)
             for p in spec_paths]
    current = [not force and all(inputs_unchanged(out_dir, p.names[v], p.inputs[v]) for v in p.names)
               for p in plans]
    if all(current):
        return tuple(sh.SheetBuild(tuple(out_dir / f"{n}.pdf" for n in p.names.values()), up_to_date=True)
                     for p in plans)
    with ThreadPoolExecutor(1, "verify") as verifying, ThreadPoolExecutor(1, "render") as rendering, \
            TexQueue() as tex:
        # The verdict cache is an SQLite connection: opened, used and closed on the verify thread.
        store = verifying.submit(SqliteCache, out_dir / ".cache" / "verdicts.sqlite").result() if cache else None
        try:
            with Verifier(config, store) as verifier:
                results = _run(plans, current, out_dir, force, config, verifier, verifying, rendering, tex)
        finally:
            if store is not None:
                verifying.submit(store.close).result()
    for plan, result in zip(plans, results):
        if isinstance(result, DeriveError):
            raise (type(result)(f"{plan.label}{result}") if plan.label else result) from None
    return tuple(results)


def _run(plans: Sequence[_Plan], current: Sequence[bool], out_dir: Path, force: bool, config: Any, verifier: Any,
         verifying: ThreadPoolExecutor, rendering: ThreadPoolExecutor, tex: Any) -> list[Any]:
    """Derive here, verify and render on their threads, compile on the TeX queue; wait for all."""
    outcomes: list[Future | sh.SheetBuild | DeriveError] = []
    for plan, up in zip(plans, current):
        if up:
            outcomes.append(sh.SheetBuild(tuple(out_dir / f"{n}.pdf" for n in plan.names.values()),
                                          up_to_date=True))
            continue
        try:
            derived = sh.derive_problems(plan.spec, plan.progress)
        except DeriveError as exc:
            outcomes.append(exc)
            continue
        verified = verifying.submit(_verify, derived, verifier, plan.progress)
        outcomes.append(rendering.submit(_render, plan, verified, config, out_dir, force, tex))
    return [_finish(plan, outcome, out_dir) for plan, outcome in zip(plans, outcomes)]


def _verify(derived: Sequence[tuple[sh.ProblemSpec, Any]], verifier: Any,
            progress: sh.Progress) -> tuple[list[sh.ProblemResult], int]:
    """Verify one sheet (on the verify thread, the pool's only user): problems and cached verdicts."""
    before = verifier.stats["cached"]
    problems = sh.verify_problems(derived, verifier, progress)
    return problems, verifier.stats["cached"] - before


def _render(plan: _Plan, verified: Future, config: Any, out_dir: Path, force: bool,
            tex: Any) -> tuple[list[sh.ProblemResult], int, dict[str, Future]]:
    """Render one verified sheet (on the render thread) and queue its PDFs."""
    problems, cached = verified.result()
    texts = sh.sheet_texts(plan.spec, problems, list(plan.names), config.template_dirs)
    pdfs = {}
    for view, text in texts.items():
        plan.progress(f"compiling {out_dir / (plan.names[view] + '.tex')}")
        pdfs[view] = tex.submit(text, out_dir, plan.names[view], force=force)
    return problems, cached, pdfs


def _finish(plan: _Plan, outcome: Any, out_dir: Path) -> sh.SheetBuild | DeriveError:
    """Wait for one sheet; record its inputs, or remove its outputs after a failure."""
    from .latex import record_inputs, remove_outputs

    if isinstance(outcome, sh.SheetBuild):
        return outcome
    try:
        if isinstance(outcome, DeriveError):
            raise outcome
        problems, cached, futures = outcome.result()
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
