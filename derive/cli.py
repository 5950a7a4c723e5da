"""Command-line interface: ``derive list | run | sheet | ...``.

Every ``DeriveError`` becomes one line ``derive: error: ...`` on stderr and its
exit code (1 for a failed derivation, verification or LaTeX build; 2 for a usage
error); argparse's own errors are reduced to one line as well, and so is any
other exception (exit 1), with the traceback only under ``--debug``.
Subcommands are a table, so a feature adds one row rather than another branch;
every row gets the same conventions (``-q``, ``-v``, ``--debug``,
``--pipelines DIR``).  A bare ``derive`` prints the help and exits 0.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from . import console
from .errors import DeriveError, ParameterError, UsageError, suggest
from .runoutput import derivation_json, derivation_text  # noqa: F401 - the output formats of 'derive run'


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def parse_sets(items: Sequence[str] | None) -> dict[str, str]:
    """``KEY=VALUE`` pairs from repeated ``--set`` options."""
    out: dict[str, str] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"--set {item}: expected KEY=VALUE")
        out[key.strip()] = value.strip()
    return out


def cache_home() -> Path:
    """``$XDG_CACHE_HOME/derive`` (default ``~/.cache/derive``): caches with no output directory."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "derive"


def seconds(text: str) -> float:
    """A ``--timeout`` value: a number of seconds in (0, 3600]; refuses -1, 0, nan and inf."""
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"--timeout {text!r}: not a number of seconds") from None
    if not (0 < value <= 3600):
        raise UsageError(f"--timeout must be a number of seconds in (0, 3600], got {value:g}")
    return value


def _config(args: argparse.Namespace, out_dir: Path | None = None, shared_cache: bool = False) -> Any:
    """The run's Config; the verdict cache goes under ``out_dir`` or, with
    ``shared_cache``, under ``cache_home()``; never in the working directory."""
    from .config import DEFAULT

    templates = tuple(Path(t) for t in (getattr(args, "templates", None) or ()))
    root = out_dir / ".cache" if out_dir is not None else (cache_home() if shared_cache else None)
    return DEFAULT.merge(timeout=getattr(args, "timeout", None), template_dirs=templates or None,
                         cache_path=None if getattr(args, "no_cache", False) or root is None
                         else root / "verdicts.sqlite")


def _verifier(config: Any) -> Any:
    from .verify import Verifier

    cache = None
    if config.cache_path is not None:
        from .cache import SqliteCache

        cache = SqliteCache(config.cache_path)
    return Verifier(config, cache)


# --------------------------------------------------------------------------- #
# derive list
# --------------------------------------------------------------------------- #

def cmd_list(args: argparse.Namespace) -> int:
    from .pipeline import load_all

    registry = load_all()
    rows = [{"name": s.name, "title": s.title,
             "params": [{"name": p.name, "kind": p.kind, "domain": p.domain.name if p.kind == "expr" else p.kind,
                         "default": p.describe_default()} for p in s.params],
             "results": list(s.results)} for s in sorted(registry.values(), key=lambda s: s.name)]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        params = ", ".join(p["name"] for p in r["params"]) or "-"
        print(f"{r['name']:<{width}}  {r['title']}  [{params}]")
    return 0


# --------------------------------------------------------------------------- #
# derive run
# --------------------------------------------------------------------------- #

def cmd_run(args: argparse.Namespace) -> int:
    from . import pipeline as pl

    derivation = pl.run(args.name, parse_sets(args.set))
    config = _config(args)
    with _verifier(config) as verifier:
        vd = verifier.verify(derivation)
    if args.format == "json":
        print(json.dumps(derivation_json(vd), indent=2))
    elif args.format == "latex":
        from .render import part_views, render

        print(render("fragment.tex.j2", config.template_dirs, parts=part_views(vd, {}, vd.results)), end="")
    else:
        print(derivation_text(vd))
    return 0


# --------------------------------------------------------------------------- #
# derive sheet
# --------------------------------------------------------------------------- #

def cmd_sheet(args: argparse.Namespace) -> int:
    from .batch import build_sheets

    if args.variants is not None:
        if len(args.spec) > 1:
            raise UsageError("--variants builds one sheet: give one spec")
        args.spec = args.spec[0]
        return _sheet_variants(args)
    if args.scheduler:
        raise UsageError("--scheduler runs variants: give --variants N")
    views = ("problems",) if args.problems_only else ("solutions",) if args.solutions_only else ("solutions", "problems")
    # Several specs share one verifier pool and one TeX queue (``make pdf`` is one such run).
    for built in build_sheets(args.spec, Path(args.output), overrides=parse_sets(args.set), seed=args.seed,
                              name=args.name, force=args.force, cache=not args.no_cache,
                              template_dirs=tuple(Path(t) for t in (args.templates or ())), timeout=args.timeout,
                              progress=console.progress, views=views):
        console.info(built.summary())
    return 0


def _sheet_variants(args: argparse.Namespace) -> int:
    from types import SimpleNamespace

    from .variants import build_variants

    if args.seed is not None or args.name:
        raise UsageError("--variants builds seeds 1..N under fixed names: drop --seed and --name")
    executor, client = None, None
    if args.scheduler:
        from .check.cli import _executor   # the same connection code as derive check --scheduler

        executor, client = _executor(SimpleNamespace(scheduler=args.scheduler, timeout=args.timeout or 5.0, jobs=1))
    try:
        built = build_variants(args.spec, Path(args.output), args.variants, overrides=parse_sets(args.set),
                               force=args.force, cache=not args.no_cache,
                               template_dirs=tuple(Path(t) for t in (args.templates or ())), timeout=args.timeout,
                               progress=console.progress, executor=executor)
    finally:
        if client is not None:
            client.close()
    console.info(built.summary())
    return 0


# --------------------------------------------------------------------------- #
# derive texinputs / install-sty
# --------------------------------------------------------------------------- #

def cmd_texinputs(args: argparse.Namespace) -> int:
    from .resources import template_dir

    print(template_dir())
    return 0


def cmd_install_sty(args: argparse.Namespace) -> int:
    from .latex import install_sty

    path = install_sty(Path(args.texmf) if args.texmf else None)
    console.info(f"installed {path}; 'kpsewhich derive.sty' now finds it")
    return 0


def _install_sty_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--texmf", metavar="DIR", help="install under DIR instead of kpsewhich's TEXMFHOME")


# --------------------------------------------------------------------------- #
# The command table
# --------------------------------------------------------------------------- #

@dataclass(frozen=True)
class Command:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]


def _list_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help="set a parameter (repeatable)")
    p.add_argument("--timeout", type=seconds, help="seconds per symbolic proof attempt (default 5)")
    p.add_argument("--templates", action="append", metavar="DIR", help="search DIR for templates first")


def _run_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", help="pipeline name (see 'derive list')")
    p.add_argument("--format", choices=("text", "latex", "json"), default="text")
    _common(p)


def _sheet_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("spec", nargs="+", help="sheet spec(s), e.g. proofs/core.toml")
    p.add_argument("-o", "--output", default="build", metavar="DIR", help="output directory (default build/)")
    p.add_argument("--seed", type=int, help="draw fresh values for parameters marked vary = true")
    p.add_argument("--name", help="output file name without extension")
    p.add_argument("--force", action="store_true", help="recompile even if the PDF is up to date")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the verdict cache")
    only = p.add_mutually_exclusive_group()
    only.add_argument("--problems-only", action="store_true", help="write only NAME-problems.pdf (statements)")
    only.add_argument("--solutions-only", action="store_true", help="write only NAME.pdf (solutions)")
    p.add_argument("--variants", type=int, metavar="N",
                   help="build seeds 1..N (solutions, problems, answers.csv/json) in DIR/NAME-variants/")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with --variants: run them on a Dask cluster")
    _common(p)


def _lazy(module: str) -> Any:
    """A command module imported on use, so that ``import derive.cli`` stays light."""
    import importlib

    return importlib.import_module(f"{__package__}.{module}")


COMMANDS: list[Command] = [
    Command("list", "list the pipelines", _list_args, cmd_list),
    Command("run", "run one pipeline and print its verified derivation", _run_args, cmd_run),
    Command("sheet", "build a verified solution sheet (PDF) from a spec", _sheet_args, cmd_sheet),
    Command("snippet", "write verified derivations as LaTeX fragments for your own documents",
            lambda p: _lazy("snippet").configure(p), lambda a: _lazy("snippet").handle(a)),
    Command("check", "verify hand-written LaTeX derivations step by step",
            lambda p: __import__("derive.check.cli", fromlist=["cli"]).configure(p),
            lambda a: __import__("derive.check.cli", fromlist=["cli"]).handle(a)),
    Command("texinputs", "print the directory holding derive.sty (TEXINPUTS=$(derive texinputs): latexmk ...)",
            lambda p: None, cmd_texinputs),
    Command("install-sty", "copy derive.sty into your TEXMFHOME so any LaTeX run finds it",
            _install_sty_args, cmd_install_sty),
]


def _conventions(p: argparse.ArgumentParser) -> None:
    """Options every subcommand has."""
    loud = p.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true", help="print only the output and errors")
    loud.add_argument("-v", "--verbose", action="count", default=0,
                      help="progress as lines on stderr even off a terminal, and more detail")
    p.add_argument("--debug", action="store_true", help="show the traceback of an error")
    p.add_argument("--pipelines", action="append", metavar="DIR",
                   help="also load pipeline modules from DIR (repeatable; also $DERIVE_PIPELINES)")


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = _Parser(prog="derive", description="Verified symbolic derivations and LaTeX solution sheets.",
                     epilog="'derive COMMAND -h' describes a command.")
    parser.add_argument("--version", action="version", version=f"derive {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for c in COMMANDS:
        p = sub.add_parser(c.name, help=c.help, description=c.help)
        c.configure(p)
        _conventions(p)
        p.set_defaults(handler=c.handler)
    return parser


def _known_command(argv: Sequence[str]) -> None:
    """``derive shet`` -> ``unknown command 'shet' (did you mean 'sheet'?)``."""
    if argv and not argv[0].startswith("-"):
        names = [c.name for c in COMMANDS]
        if argv[0] not in names:
            raise UsageError(f"unknown command '{argv[0]}'{suggest(argv[0], names)} "
                             f"(commands: {', '.join(names)})")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    console.set_verbosity(console.NORMAL)
    try:
        _known_command(argv)
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 0
        console.set_verbosity(console.QUIET if args.quiet else console.NORMAL + args.verbose)
        if args.pipelines:
            from .plugins import use_dirs

            use_dirs(args.pipelines)
        return int(args.handler(args))
    except DeriveError as exc:
        return _fail(_one_line(str(exc)), exc.exit_code, debug)
    except KeyboardInterrupt:
        return _fail("interrupted", 130, False)
    except BrokenPipeError:
        return 0
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        return _fail(f"{where}{exc.strerror or exc}", 1, debug)
    except Exception as exc:  # noqa: BLE001 - no traceback reaches a user without --debug
        return _fail(f"internal error: {type(exc).__name__}: {_one_line(str(exc))} "
                     "(please report it; --debug shows the traceback)", 1, debug)
    finally:
        console.end_progress()


def _fail(message: str, code: int, debug: bool) -> int:
    console.end_progress()
    if debug:
        import traceback

        traceback.print_exc()
    print(f"derive: error: {message}", file=sys.stderr)
    return code


def _one_line(text: str) -> str:
    return " ".join(text.split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
