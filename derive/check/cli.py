"""The ``derive check`` command: files, directories or stdin -> verdicts.

Each file is checked by one task (``check_file_task``) so the same function runs
inline, in a ``ProcessPoolExecutor`` (``--jobs N``) or on a Dask cluster
(``--scheduler ADDRESS``, through ``Client.get_executor()``).  A file that
cannot be read is reported on one line and does not stop the others.

Exit codes: 0 when no step is invalid, 1 when one is (with ``--strict`` also
unknown or unparsed), 2 for a usage error, an unreadable file or one the checker fails on.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import multiprocessing
import os
import stat
import sys
import traceback
from pathlib import Path
from typing import Any, Callable, Iterable

from .. import console
from ..cli import seconds
from ..errors import CheckInputError, UsageError
from .document import KINDS
from .judge import Premises, check_source
from .report import Report, dumps, summary_line, text_lines

MAX_BYTES = 5_000_000
#: what a user reads when the checker fails on a whole file (no Python exception names)
CRASHED = "the checker failed on this file; nothing in it was checked (please report it; --debug shows the details)"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help=".tex, .md or .ipynb files, directories (searched for them) or - for stdin")
    p.add_argument("--input-format", choices=KINDS, default=None,
                   help="read every input as this kind (default: by suffix; stdin is tex)")
    p.add_argument("--json", action="store_true", help="machine-readable output (a list with several files)")
    p.add_argument("--format", choices=("text", "json", "gradescope", "csv"),
                   help="text (default), json (= --json), gradescope (results.json) or csv (a row per step)")
    p.add_argument("-o", "--output", metavar="FILE", help="with --format gradescope or csv: write FILE, not stdout")
    p.add_argument("--max-score", type=float, metavar="POINTS",
                   help="grader formats: share POINTS over the graded steps (default one point per step)")
    p.add_argument("--annotate", metavar="OUT.pdf", help="re-typeset the derivation with a mark on every step")
    p.add_argument("--to-spec", metavar="OUT.toml", help="write a sheet spec whose problems are the checked "
                   "documents (every step must be valid)")
    p.add_argument("--strict", action="store_true", help="unknown and unparsed steps also fail")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="check N files at once (process pool)")
    p.add_argument("--timeout", type=seconds, default=5.0, metavar="S", help="seconds per step (default 5)")
    p.add_argument("--assume", action="append", default=[], metavar="LATEX",
                   help=r"assumptions, e.g. 'd_{in} > 0, 0 < \beta_1 < 1' (repeatable)")
    p.add_argument("--given", action="append", default=[], metavar="LATEX",
                   help=r"a fact the checker may substitute, e.g. '\|x\|_2 = \sqrt{d}' (repeatable)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask cluster (needs derive[dask])")


def read_source(data: bytes, name: str) -> str:
    """Bytes of one input as text; ``CheckInputError`` for what is not LaTeX source."""
    if len(data) > MAX_BYTES:
        raise CheckInputError(f"{name}: file too large ({len(data)} bytes, limit {MAX_BYTES})")
    if b"\x00" in data:
        raise CheckInputError(f"{name}: not a text file (binary data)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CheckInputError(f"{name}: not UTF-8 text (byte {exc.start})") from None


def read_input(name: str, limit: int = MAX_BYTES) -> bytes:
    """At most ``limit`` + 1 bytes of a regular file (or stdin); FIFOs, devices and sockets are refused."""
    if name == "-":
        return sys.stdin.buffer.read(limit + 1)
    fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise CheckInputError(f"{name}: not a regular file (a directory, FIFO, device or socket)")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(limit + 1)
    finally:
        os.close(fd)


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root)
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def _tex_files(top: Path) -> list[str]:
    """``.tex``, ``.md`` and ``.ipynb`` files under ``top``, not following symlinks that lead out of it."""
    root = top.resolve()
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        found.extend(str(Path(dirpath) / f) for f in filenames
                     if f.endswith((".tex", ".md", ".ipynb")) and _inside(root, Path(dirpath) / f)
                     and (Path(dirpath) / f).is_file())
    return sorted(found)


def expand_paths(paths: Iterable[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        if p == "-":
            out.append(p)
            continue
        path = Path(p)
        if path.is_dir():
            found = _tex_files(path)
            if not found:
                raise CheckInputError(f"{p}: no .tex, .md or .ipynb files in this directory")
            out.extend(found)
        else:
            out.append(p)
    return out


def check_file_task(name: str, src: str, premises: Premises, timeout: float, kind: str | None = None) -> Report:
    """Check one source; runs in any executor (module-level so it pickles)."""
    if multiprocessing.current_process().daemon:
        # A daemonic worker (Dask's default) cannot fork the verifier's worker;
        # steps then run inline and are bounded only by the engine's layers.
        from ..verify import Verifier
        from .judge import _config

        verifier = Verifier(_config(timeout).merge(timeout=0.0))
        try:
            return check_source(src, name, premises, timeout, verifier, kind=kind)
        finally:
            verifier.close()
    return check_source(src, name, premises, timeout, kind=kind)


def _executor(args: argparse.Namespace) -> Any:
    if args.scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--scheduler needs Dask: pip install 'derive[dask]'") from None
        try:
            client = Client(args.scheduler, timeout=max(2.0, min(10.0, 2 * args.timeout)))
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"--scheduler {args.scheduler}: cannot connect ({exc})") from None
        return client.get_executor(), client
    if args.jobs > 1:
        # Never more workers than cores or files; the pool starts them as tasks arrive.
        workers = max(1, min(args.jobs, os.cpu_count() or 1, getattr(args, "n_sources", args.jobs)))
        return cf.ProcessPoolExecutor(max_workers=workers), None
    return None, None


def handle(args: argparse.Namespace) -> int:
    if args.output and args.format not in ("gradescope", "csv"):
        raise UsageError("-o/--output applies to --format gradescope or csv")
    if args.max_score is not None and not args.max_score > 0:
        raise UsageError("--max-score must be positive")
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if not (0 < args.timeout <= 3600):      # also refuses nan and inf
        raise UsageError(f"--timeout must be a number of seconds in (0, 3600], got {args.timeout:g}")
    premises = Premises(list(args.assume), list(args.given))
    _validate_premises(premises)
    sources: list[tuple[str, str]] = []
    unreadable = 0
    failures: list[tuple[str, str]] = []     # (file, message) for the grader formats
    for name in expand_paths(args.paths):
        try:
            data = read_input(name)
            sources.append(("<stdin>" if name == "-" else name, read_source(data, name)))
        except CheckInputError as exc:
            print(f"derive: error: {exc}", file=sys.stderr)
            unreadable += 1
            failures.append((name, str(exc)))
        except OSError as exc:
            print(f"derive: error: {name}: cannot read ({exc.strerror or exc})", file=sys.stderr)
            unreadable += 1
            failures.append((name, f"cannot read ({exc.strerror or exc})"))
    args.n_sources = max(1, len(sources))
    reports = run_all(sources, premises, args.timeout, args)
    crashed = getattr(args, "crashed", [])
    failures.extend(crashed)
    fmt = args.format or ("json" if args.json else "text")
    if fmt in ("gradescope", "csv"):
        from . import grading

        text = grading.render(fmt, reports, args.paths, failures, args.max_score, summary_line(reports))
        if args.output:
            from ..latex import write_atomic

            write_atomic(Path(args.output), text)
            console.info(f"wrote {args.output} ({summary_line(reports)})")
        else:
            sys.stdout.write(text)
    elif fmt == "json":
        if reports:
            print(dumps(reports, many=len(reports) > 1 or len(args.paths) > 1))
    else:
        for r in reports:
            lines = text_lines(r, verbose=args.verbose)
            if not r.steps:
                lines = [f"{r.file}: no steps found"]
            for line in lines:
                print(line)
        console.info(summary_line(reports))
    if args.annotate and reports:
        from .annotate import annotate

        annotate(reports, sources, Path(args.annotate))
        if fmt == "text":
            console.info(f"wrote {args.annotate}")
    if getattr(args, "to_spec", None) and reports:
        from ..tospec import write_spec

        console.info(f"wrote {write_spec(reports, sources, Path(args.to_spec), args.assume, args.given)}")
    if unreadable or crashed:
        return 2
    return 1 if any(r.failed(args.strict) for r in reports) else 0


def _validate_premises(premises: Premises) -> None:
    from .directives import DirectiveError, parse_assumptions, split_equation
    from .parse import ParseError, Parser

    try:
        parse_assumptions(premises.assumptions)
        for g in premises.givens:
            lhs, rhs = split_equation(g)
            Parser().parse(lhs)
            Parser().parse(rhs)
    except DirectiveError as exc:
        raise UsageError(f"--assume/--given: {exc}") from None
    except ParseError as exc:
        raise UsageError(f"--given: {exc}") from None


def run_all(sources: list[tuple[str, str]], premises: Premises, timeout: float,
            args: argparse.Namespace | None = None) -> list[Report]:
    """One report per source; a file the checker fails on gets one plain error line instead
    (its traceback only with ``--debug``) and is counted in ``args.crashed``."""
    executor, client = _executor(args) if args is not None else (None, None)
    kind = getattr(args, "input_format", None)   # --format is the output format
    reports: list[Report] = []
    crashed: list[tuple[str, str]] = []

    def collect(name: str, result: Callable[[], Report]) -> None:
        try:
            reports.append(result())
        except Exception:  # noqa: BLE001 - one failed file must not stop the others
            if getattr(args, "debug", False):
                traceback.print_exc()
            message = f"{name}: {CRASHED}"
            print(f"derive: error: {message}", file=sys.stderr)
            crashed.append((name, CRASHED))

    try:
        if executor is None:
            for n, s in sources:
                collect(n, lambda n=n, s=s: check_file_task(n, s, premises, timeout, kind))
        else:
            futures = [executor.submit(check_file_task, n, s, premises, timeout, kind) for n, s in sources]
            for (name, _), fut in zip(sources, futures):
                collect(name, fut.result)
        if args is not None:
            args.crashed = crashed
        return reports
    finally:
        if executor is not None:
            executor.shutdown(wait=True) if client is None else client.close()
