"""Variants of a sheet with an answer key: seeds 1..N, every variant fully verified.

``build_variants`` is the one function the CLI, the Python API and a Dask
executor share.  Locally it derives every variant, verifies all their steps as
one batch on the verifier's worker pool (so both cores stay busy and repeated
steps are verified once), renders a solution and a problem sheet per variant
and queues them on the TeX queue (one pdflatex per core), which compiles while
the next variant renders.  With an ``executor``
(``Client.get_executor()`` of a Dask cluster) each variant is derived, verified
and rendered by one task (``variant_texts``); the PDFs are compiled here.

Outputs, in ``out_dir/NAME-variants/``: ``NAME-seedK.pdf`` and
``NAME-seedK-problems.pdf`` for every seed, ``answers.csv`` and ``answers.json``
(variant, problem, result key, the exact value as text and as a decimal).
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import sympy as sp

from . import sheet as sh
from .errors import DeriveError, LatexBuildError, UsageError

Progress = Callable[[str], None]
#: Seconds one LaTeX compilation of a variant may take on a worker.
LATEX_TIMEOUT = 300.0
MAX_VARIANTS = 500


@dataclass(frozen=True)
class Answer:
    variant: int
    problem: str
    key: str
    exact: str
    decimal: Any        # a float, a nested list of floats, or None when not a number


@dataclass(frozen=True)
class VariantsBuild:
    directory: Path
    pdfs: tuple[Path, ...]
    answers: tuple[Answer, ...]
    steps: int

    def summary(self) -> str:
        seeds = len({a.variant for a in self.answers})
        return (f"wrote {len(self.pdfs)} PDFs for {seeds} variants, {self.steps} steps verified, "
                f"and the answer key {self.directory / 'answers.csv'} (.json)")


def _decimal(value: Any) -> Any:
    if isinstance(value, sp.MatrixBase):
        return [_decimal(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_decimal(v) for v in value]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    expr = value               # results are SymPy objects; text results have no decimal
    if not isinstance(expr, sp.Expr) or expr.free_symbols or not expr.is_number:
        return None
    try:
        number = complex(sp.N(expr, 17))
    except (TypeError, ValueError):
        return None
    return number.real if number.imag == 0 else None


def _exact(value: Any) -> str:
    if isinstance(value, sp.MatrixBase):
        return json.dumps([[sp.sstr(v) for v in row] for row in value.tolist()])
    if isinstance(value, (list, tuple)):
        return json.dumps([_exact(v) if not isinstance(v, str) else v for v in value])
    if isinstance(value, dict):
        return json.dumps({str(k): _exact(v) for k, v in value.items()})
    return value if isinstance(value, str) else sp.sstr(value)


def answers_of(seed: int, problems: Sequence[sh.ProblemResult]) -> list[Answer]:
    return [Answer(seed, pr.spec.id, key, _exact(value), _decimal(value))
            for pr in problems for key, value in pr.derivation.results.items()]


def variant_texts(spec_path: str, seed: int, overrides: Mapping[str, Any], template_dirs: Sequence[str],
                  timeout: float | None) -> tuple[int, dict[str, str], list[Answer], int]:
    """One variant, derived, verified and rendered in this process (a Dask task):
    ``(seed, {view: LaTeX}, answers, steps)``.  The verifier runs in-process."""
    from .config import DEFAULT
    from .verify import Verifier

    spec = sh.apply_overrides(sh.load_spec(spec_path), dict(overrides), seed)
    derived = sh.derive_problems(spec)
    config = DEFAULT.merge(timeout=timeout, template_dirs=tuple(Path(t) for t in template_dirs) or None)
    # As ``derive check --scheduler`` does: a task verifies in its own process, no pool of its own.
    with Verifier(config.merge(timeout=0.0)) as verifier:
        problems = sh.verify_problems(derived, verifier)
    texts = sh.sheet_texts(spec, problems, ("solutions", "problems"), config.template_dirs)
    return seed, texts, answers_of(seed, problems), sum(len(d.steps()) for _, d in derived)


def _local_texts(spec_path: str, seeds: Sequence[int], overrides: Mapping[str, Any], out_dir: Path, cache: bool,
                 template_dirs: Sequence[Path], timeout: float | None, progress: Progress,
                 compile_: Callable[[int, dict[str, str]], None]) -> list[tuple[int, dict[str, str], list[Answer], int]]:
    """Derive every variant, verify all their steps as one batch (a step that does not vary
    is verified once), then per variant check its verdicts in order, render it and hand
    its texts to ``compile_`` (which queues them), so TeX runs while the next one renders."""
    from .cache import SqliteCache
    from .config import DEFAULT
    from .verify import Verifier

    base = sh.load_spec(spec_path)
    specs = {seed: sh.apply_overrides(base, dict(overrides), seed) for seed in seeds}
    derived = {}
    for seed, spec in specs.items():
        progress(f"variant {seed}/{len(seeds)}: deriving")
        derived[seed] = sh.derive_problems(spec)
    config = DEFAULT.merge(timeout=timeout, template_dirs=tuple(template_dirs) or None)
    store = SqliteCache(out_dir / ".cache" / "verdicts.sqlite") if cache else None
    out = []
    with Verifier(config, store) as verifier:
        total = sum(len(d.steps()) for ds in derived.values() for _, d in ds)
        progress(f"verifying {total} steps of {len(seeds)} variants")
        verifier.prefetch((s, d.domains) for ds in derived.values() for _, d in ds for s in d.steps())
        for seed, ds in derived.items():
            try:
                problems = sh.verify_problems(ds, verifier, prefetched=True)
            except DeriveError as exc:
                raise type(exc)(f"variant {seed}: {exc}") from None
            progress(f"variant {seed}/{len(seeds)}: verified, rendering")
            texts = sh.sheet_texts(specs[seed], problems, ("solutions", "problems"), config.template_dirs)
            compile_(seed, texts)
            out.append((seed, texts, answers_of(seed, problems), sum(len(d.steps()) for _, d in ds)))
    return out


def build_variants(spec_path: Path | str, out_dir: Path | str = "build", count: int = 30, *,
                   overrides: Mapping[str, Any] | None = None, force: bool = False, cache: bool = True,
                   template_dirs: Sequence[Path] = (), timeout: float | None = None,
                   progress: Progress = sh._quiet, executor: Any = None) -> VariantsBuild:
    """Seeds ``1..count`` of a sheet: a solution and a problem PDF each, and the answer key."""
    from .latex import TexQueue, write_atomic

    if not 1 <= count <= MAX_VARIANTS:
        raise UsageError(f"--variants must be between 1 and {MAX_VARIANTS}")
    out_dir = Path(out_dir)
    spec_name = sh.load_spec(spec_path).name       # a bad spec fails here, before any work
    seeds = list(range(1, count + 1))
    overrides = dict(overrides or {})
    directory = out_dir / f"{spec_name}-variants"
    queued: list[tuple[str, Any]] = []
    with TexQueue() as tex:
        def compile_(seed: int, texts: dict[str, str]) -> None:
            if not queued:
                progress(f"compiling {2 * count} PDFs")
            for view, suffix in sh.VIEWS:
                name = f"{spec_name}-seed{seed}{suffix}"
                queued.append((name, tex.submit(texts[view], directory, name, force=force, timeout=LATEX_TIMEOUT)))

        if executor is None:
            built = _local_texts(str(spec_path), seeds, overrides, out_dir, cache, template_dirs, timeout, progress,
                                 compile_)
        else:
            futures = [executor.submit(variant_texts, str(spec_path), seed, overrides,
                                       [str(t) for t in template_dirs], timeout) for seed in seeds]
            built = []
            for i, future in enumerate(futures, 1):
                built.append(future.result())
                progress(f"variant {i}/{count}: verified on the cluster")
                compile_(built[-1][0], built[-1][1])
        errors = [f.exception() for _, f in queued]        # waits for every PDF
    failed = next((e for e in errors if e is not None), None)
    if failed is not None:
        raise failed if isinstance(failed, LatexBuildError) else LatexBuildError(str(failed))
    pdfs = [f.result() for _, f in queued]
    answers = tuple(a for _, _, rows, _ in sorted(built, key=lambda b: b[0]) for a in rows)
    write_atomic(directory / "answers.csv", answers_csv(answers))
    write_atomic(directory / "answers.json", answers_json(answers))
    return VariantsBuild(directory, tuple(pdfs), answers, sum(b[3] for b in built))


def answers_csv(answers: Sequence[Answer]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["variant", "problem", "key", "exact", "decimal"])
    for a in answers:
        decimal = "" if a.decimal is None else (repr(a.decimal) if isinstance(a.decimal, float)
                                                else json.dumps(a.decimal))
        writer.writerow([a.variant, a.problem, a.key, a.exact, decimal])
    return buf.getvalue()


def answers_json(answers: Sequence[Answer]) -> str:
    rows = [{"variant": a.variant, "problem": a.problem, "key": a.key, "exact": a.exact, "decimal": a.decimal}
            for a in answers]
    return json.dumps(rows, indent=1) + "\n"
