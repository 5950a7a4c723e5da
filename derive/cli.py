"""Command-line interface: ``derive list | run | sheet | ...``.

Every ``DeriveError`` becomes one line ``derive: error: ...`` on stderr and its
exit code (1 for a failed derivation, verification or LaTeX build; 2 for a usage
error); argparse's own errors are reduced to one line as well.  Subcommands
are a table, so a feature adds one row rather than another branch.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from .errors import DeriveError, ParameterError, UsageError


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


def _config(args: argparse.Namespace, out_dir: Path | None = None) -> Any:
    from .config import DEFAULT

    templates = tuple(Path(t) for t in (getattr(args, "templates", None) or ()))
    return DEFAULT.merge(timeout=getattr(args, "timeout", None), template_dirs=templates or None,
                         cache_path=None if getattr(args, "no_cache", False) or out_dir is None
                         else out_dir / ".cache" / "verdicts.sqlite")


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

def derivation_json(vd: Any) -> dict[str, Any]:
    """The documented JSON shape of a verified derivation."""
    from .domains import domain_of
    from .printer import tex
    from .verify import _elementary

    d = vd.derivation
    assumptions = [domain_of(s, d.domains).describe(s.name) for s in sorted(d.domains, key=lambda s: s.name)]
    steps = []
    for part, checked in vd.checked_parts():
        for cs in checked:
            s, v = cs.step, cs.verdict
            steps.append({"part": part.label, "relation": s.rel.value,
                          "latex": f"{tex(s.lhs)} {s.rel.latex} {tex(s.rhs)}",
                          "justification": f"{s.why.rule}: {s.why.text}" if s.why.text else s.why.rule,
                          "verdict": v.status, "method": v.method})

    def sympy_str(value: Any) -> Any:
        import sympy as sp

        if isinstance(value, (list, tuple)):
            return [sympy_str(v) for v in value]
        if isinstance(value, dict):
            return {str(k): sympy_str(v) for k, v in value.items()}
        if isinstance(value, sp.MatrixBase):
            return [[sympy_str(x) for x in row] for row in value.tolist()]
        if isinstance(value, str):
            return value
        return _json_str(_elementary(value))

    def latex_of(value: Any) -> Any:
        from .render import tex_value

        if isinstance(value, dict):
            return {str(k): latex_of(v) for k, v in value.items()}
        return str(tex_value(value))

    return {
        "pipeline": d.pipeline, "title": d.title,
        "params": {k: _param_str(v) for k, v in d.params.items()},
        "assumptions": assumptions, "steps": steps,
        "results": {k: {"sympy": sympy_str(v), "latex": latex_of(v)} for k, v in d.results.items()},
    }


def _json_str(expr: Any) -> str:
    """``str`` that ``sympify`` reads back.

    ``yhat[i, c]`` is written ``Indexed('yhat', i, c)``, and a symbol whose name
    ``sympify`` would read as a SymPy object (``N``, ``S``, ``beta``) as ``Symbol('N')``.
    """
    import sympy as sp
    from sympy.printing.str import StrPrinter

    class JsonStrPrinter(StrPrinter):
        def _print(self, e: Any, **kwargs: Any) -> str:
            # Indexed has its own _sympystr, which would win over a _print_Indexed method.
            if isinstance(e, sp.Indexed):
                args = ", ".join([repr(str(e.base.label)), *(self._print(i) for i in e.indices)])
                return f"Indexed({args})"
            if isinstance(e, sp.Symbol) and hasattr(sp, e.name):
                return f"Symbol({e.name!r})"
            return super()._print(e, **kwargs)

    return JsonStrPrinter().doprint(expr)


def _param_str(v: Any) -> str:
    return v if isinstance(v, str) else (json.dumps(v) if isinstance(v, (list, dict)) else str(v))


def derivation_text(vd: Any) -> str:
    lines = [vd.derivation.title, "=" * len(vd.derivation.title)]
    for part, checked in vd.checked_parts():
        lines.append(f"({part.label}) {part.heading}" if part.label else part.heading)
        for cs in checked:
            s, v = cs.step, cs.verdict
            lines.append(f"  [{v.status:>7}] {s.lhs} {s.rel.value} {s.rhs}    # {s.why.rule}")
        for r in part.results:
            lines.append(f"  => {r.label} = {r.value}")
    summary = vd.summary()
    lines.append(f"{sum(summary.values())} steps: {summary.get('proved', 0)} proved, "
                 f"{summary.get('numeric', 0)} numeric")
    return "\n".join(lines)


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
    from . import sheet as sh
    from .latex import build_pdf, inputs_unchanged, record_inputs, remove_outputs

    out_dir = Path(args.output)
    spec = sh.load_spec(args.spec)
    spec = sh.apply_overrides(spec, parse_sets(args.set), args.seed)
    name = args.name or (spec.name if args.seed is None else f"{spec.name}-seed{args.seed}")
    config = _config(args, out_dir)
    from .fingerprint import fingerprint
    from .render import TEMPLATE_DIR

    inputs = fingerprint(repr(spec), (*config.template_dirs, TEMPLATE_DIR))
    if not args.force and inputs_unchanged(out_dir, name, inputs):
        print(f"{out_dir / (name + '.pdf')} is up to date")
        return 0
    try:
        derived = sh.derive_problems(spec)
        with _verifier(config) as verifier:
            problems = sh.verify_problems(derived, verifier)
        text = sh.render_sheet(spec, problems, config.template_dirs)
    except DeriveError:
        # The sheet is now wrong: an older PDF must not survive to look current.
        remove_outputs(out_dir, name)
        raise
    pdf = build_pdf(text, out_dir, name, force=args.force)
    record_inputs(out_dir, name, inputs)
    counts: dict[str, int] = {}
    for pr in problems:
        for k, v in pr.derivation.summary().items():
            counts[k] = counts.get(k, 0) + v
    print(f"wrote {pdf} ({len(problems)} problems, {counts.get('proved', 0)} steps proved, "
          f"{counts.get('numeric', 0)} numeric; {verifier.stats['cached']} verdicts from the cache)")
    return 0


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
    p.add_argument("--timeout", type=float, help="seconds per symbolic proof attempt (default 5)")
    p.add_argument("--templates", action="append", metavar="DIR", help="search DIR for templates first")


def _run_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", help="pipeline name (see 'derive list')")
    p.add_argument("--format", choices=("text", "latex", "json"), default="text")
    _common(p)


def _sheet_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("spec", help="sheet spec, e.g. proofs/core.toml")
    p.add_argument("-o", "--output", default="build", metavar="DIR", help="output directory (default build/)")
    p.add_argument("--seed", type=int, help="draw fresh values for parameters marked vary = true")
    p.add_argument("--name", help="output file name without extension")
    p.add_argument("--force", action="store_true", help="recompile even if the PDF is up to date")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the verdict cache")
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
]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="derive", description="Verified symbolic derivations and LaTeX solution sheets.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for c in COMMANDS:
        p = sub.add_parser(c.name, help=c.help, description=c.help)
        c.configure(p)
        p.set_defaults(handler=c.handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.handler(args))
    except DeriveError as exc:
        print(f"derive: error: {_one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("derive: error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _one_line(text: str) -> str:
    return " ".join(text.split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
