"""Snippets: verified derivations as LaTeX fragments for a user's own document.

``derive snippet NAME`` renders one verified derivation, without a preamble, in
one of four styles (``align``: steps with justifications; ``compact``: steps
only; ``result``: the headline equation; ``inline``: that equation as inline
math).  Every snippet starts with a comment header (pipeline, parameters,
verdicts, packages) and defines each boxed result as a macro, so prose quotes
``\\DeriveResult{gaussian_kl}{kl}`` instead of copying math that can drift.

The module also compiles documents that input snippets (``--compile``, used by
``make report``) and renders the plain-MathJax view that Jupyter shows for a
derivation (``notebook_latex``).  Like every renderer it works only from
``render.render`` and its view models; files are written through
``latex.write_atomic``.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

import sympy as sp
from pylatex.utils import NoEscape

from . import pipeline as pl
from .errors import ParameterError, UsageError
from .latex import build_pdf, write_atomic
from .printer import tex
from .notebook import notebook_latex  # noqa: F401 - re-exported (derive.snippet.notebook_latex)
from .render import MARKS, TEMPLATE_DIR, part_views, render, tex_value
from .step import Result, VerifiedDerivation

STYLES = ("align", "compact", "result", "inline")
#: Names and keys become parts of TeX control-sequence names and of file names.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")


# --------------------------------------------------------------------------- #
# Views
# --------------------------------------------------------------------------- #

def boxed_results(vd: VerifiedDerivation) -> dict[str, Result]:
    """Every boxed result by key; a later part (the numeric instance) wins.

    Only boxed results are quotable from a snippet: a box is always a side of a
    verified step, whereas ``export``-ed values need not be.
    """
    out: dict[str, Result] = {}
    for part in vd.derivation.parts:
        for r in part.results:
            out[r.key] = r
    return out


def headline_key(vd: VerifiedDerivation, key: str | None = None) -> str:
    """The result a ``result``/``inline`` snippet shows: ``key``, else the pipeline's first."""
    boxed = boxed_results(vd)
    if not boxed:
        raise UsageError(f"pipeline {vd.pipeline} boxes no result, so it has no result snippet")
    if key is not None:
        if key not in boxed:
            raise UsageError(f"pipeline {vd.pipeline} has no boxed result '{key}' "
                             f"(results: {', '.join(boxed)})")
        return key
    declared = [k for k in pl.get(vd.pipeline).results if k in boxed]
    return declared[0] if declared else next(iter(boxed))


def _weakest_mark(vd: VerifiedDerivation) -> NoEscape:
    return MARKS["numeric"] if vd.summary().get("numeric", 0) else MARKS["proved"]


def _where(vd: VerifiedDerivation, label: Any) -> NoEscape:
    """The user's values for the parameters a result's label is written in.

    A numeric instance boxes ``label(mu1, ...) = value(1, ...)``; shown alone (as
    the result styles do) it needs the substitution that makes it true.
    """
    spec = pl.get(vd.pipeline)
    subs = pl.Inputs(spec, dict(vd.derivation.params)).substitutions()
    free = label.free_symbols if isinstance(label, sp.Basic) else set()
    pairs = [tex(sp.Eq(s, v, evaluate=False)) for s, v in subs.items() if s in free]
    return NoEscape(r",\ ".join(pairs))


_INTEGER_SETS = {1: r"\mathbb{N}", 0: r"\mathbb{N}_0"}


def _assumption(sym: sp.Symbol, dom: Any) -> str | None:
    """``derive check``'s reading of a domain (``x > 0``, ``n \\in \\mathbb{N}``), or None if real."""
    name = str(tex(sym))
    if dom.integer:
        return name + r" \in " + _INTEGER_SETS.get(dom.lo, r"\mathbb{Z}")
    if dom.lo is None and dom.hi is None:
        return None
    lower = "" if dom.lo is None else f"{dom.lo:g} " + (r"\le" if dom.closed_lo else "<") + " "
    upper = "" if dom.hi is None else (r" \le " if dom.closed_hi else " < ") + f"{dom.hi:g}"
    return f"{lower}{name}{upper}"


def check_directives(vd: VerifiedDerivation) -> list[str]:
    """``derive: assume`` comments: the domain of every symbol the steps use.

    ``derive check`` then samples the symbols where derive did (``sigma > 0``),
    and a reader sees the assumptions the steps rely on.
    """
    from .domains import domain_of

    d = vd.derivation
    symbols: set[sp.Symbol] = set()
    for step in d.steps():
        for side in (step.lhs, step.rhs):
            if isinstance(side, sp.Basic):
                symbols |= {x for x in side.free_symbols if isinstance(x, sp.Symbol)}
    lines = []
    for sym in sorted(symbols, key=lambda x: x.name):
        text = _assumption(sym, domain_of(sym, d.domains))
        if text:
            lines.append(f"derive: assume {text}")
    # Notation with a definition (the sigmoid): a lone result equation needs it.
    from .render import _premises_tex

    lines += [f"derive: define {text}" for text in _premises_tex(vd)[1]]
    return lines


@dataclass(frozen=True)
class ResultView:
    label: NoEscape
    value: NoEscape
    where: NoEscape
    mark: NoEscape


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _param_text(value: Any) -> str:
    import json

    return value if isinstance(value, str) else (json.dumps(value) if isinstance(value, (list, dict)) else str(value))


def header_lines(vd: VerifiedDerivation, name: str, style: str, command: str,
                 defines: Sequence[str]) -> list[str]:
    """The comment header: what this is, how to regenerate it, what it needs."""
    d = vd.derivation
    summary = vd.summary()
    total = sum(summary.values())
    params = ", ".join(f"{k} = {_param_text(v)}" for k, v in d.params.items()) or "none"
    needs = r"\usepackage{derive} (it loads amsmath, amssymb, xcolor, booktabs)"
    if style == "align" and any(p.figures for p in d.parts):
        needs += r", \usepackage{pgfplots}"
    lines = [
        f"derive snippet ({style} style); generated, do not edit. Regenerate with:",
        f"    {_one_line(command)}",
        f"pipeline: {d.pipeline} ({d.title})",
        f"parameters: {params}",
        f"verdicts: {total} steps, {summary.get('proved', 0)} proved symbolically, "
        f"{summary.get('numeric', 0)} checked numerically (probable, not proved)",
        f"needs: {needs}",
        "results: " + (", ".join(f"\\DeriveResult{{{name}}}{{{k}}}" for k in defines) or "none"),
    ]
    lines += check_directives(vd)
    # A newline inside a value would end the comment and leak text into the document.
    return [line if i == 1 else _one_line(line) for i, line in enumerate(lines)]


def snippet_text(vd: VerifiedDerivation, style: str = "align", name: str | None = None,
                 key: str | None = None, command: str | None = None,
                 template_dirs: Sequence[Path] = ()) -> str:
    """The LaTeX fragment of ``vd`` in ``style``; ``name`` namespaces its result macros."""
    if not isinstance(vd, VerifiedDerivation):
        raise TypeError("snippets are rendered only from verified derivations")
    if style not in STYLES:
        raise UsageError(f"unknown snippet style '{style}' (styles: {', '.join(STYLES)})")
    name = check_name(name or vd.pipeline)
    boxed = boxed_results(vd)
    for k in boxed:
        check_name(k, "result key")
    defines = [(k, tex_value(r.value)) for k, r in boxed.items()]
    result = None
    if style in ("result", "inline"):
        r = boxed[headline_key(vd, key)]
        result = ResultView(tex_value(r.label), tex_value(r.value), _where(vd, r.label), _weakest_mark(vd))
    command = command or f"derive snippet {vd.pipeline} --style {style}"
    return render("snippet.tex.j2", template_dirs,
                  header=header_lines(vd, name, style, command, [k for k, _ in defines]),
                  name=name, defines=defines, style=style,
                  parts=part_views(vd, {}, vd.results), result=result)


def check_name(name: str, what: str = "snippet name") -> str:
    if not _SAFE_NAME.match(name):
        raise UsageError(f"{what} '{name}' may use only letters, digits, '_', '.' and '-'")
    return name


def file_name(name: str, style: str) -> str:
    """``NAME.tex`` for the default style, ``NAME-STYLE.tex`` for the others."""
    return f"{name}.tex" if style == "align" else f"{name}-{style}.tex"


# --------------------------------------------------------------------------- #
# Many snippets, and documents that input them
# --------------------------------------------------------------------------- #

@dataclass(frozen=True)
class Source:
    """One verified derivation to write snippets of, under ``name``."""

    name: str
    vd: VerifiedDerivation
    command: str


def write_snippets(sources: Sequence[Source], out_dir: Path, styles: Sequence[str],
                   template_dirs: Sequence[Path] = ()) -> list[Path]:
    """Render every source in every style into ``out_dir`` (all rendered before any is written)."""
    texts = {}
    for src in sources:
        for style in styles:
            cmd = f"{src.command} --style {style}"
            texts[Path(out_dir) / file_name(src.name, style)] = snippet_text(
                src.vd, style, src.name, command=cmd, template_dirs=template_dirs)
    for path, text in texts.items():
        write_atomic(path, text)
    return list(texts)


@contextlib.contextmanager
def _tex_search_path(dirs: Sequence[Path]) -> Iterator[None]:
    """Let TeX find files in ``dirs`` first, then wherever it would anyway."""
    old = os.environ.get("TEXINPUTS")
    # The empty last entry stands for TeX's default path.
    os.environ["TEXINPUTS"] = os.pathsep.join([*(str(Path(d).resolve()) for d in dirs), old or ""])
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TEXINPUTS", None)
        else:
            os.environ["TEXINPUTS"] = old


def compile_document(source: Path, out_dir: Path, root: Path | None = None) -> Path:
    """Compile a user's document that inputs snippets into ``out_dir/STEM.pdf``.

    ``\\input{build/snippets/x.tex}`` is resolved against ``root`` (default: the
    current directory) and then the document's own directory; ``derive.sty``
    comes from the templates.  ``latex.build_pdf`` removes an old PDF before it
    compiles, so a failed build leaves none; it always recompiles, because the
    snippets it inputs may have changed while the document did not.
    """
    source = Path(source)
    if not source.is_file():
        raise UsageError(f"{source}: no such LaTeX document")
    text = source.read_text(encoding="utf-8")
    with _tex_search_path([root or Path.cwd(), source.parent, TEMPLATE_DIR]):
        return build_pdf(text, Path(out_dir), source.stem, force=True)


# --------------------------------------------------------------------------- #
# The command: derive snippet
# --------------------------------------------------------------------------- #

def configure(p: argparse.ArgumentParser) -> None:
    from .cli import _common

    p.add_argument("name", nargs="?", help="pipeline name (see 'derive list')")
    p.add_argument("--all", action="store_true",
                   help="one snippet per pipeline (or per problem with --sheet) into the -o directory")
    p.add_argument("--sheet", metavar="SPEC", help="with --all: the problems of this sheet spec")
    p.add_argument("--style", choices=STYLES,
                   help="align (default), compact, result or inline; with --all, every style unless given")
    p.add_argument("--key", help="the result that the result and inline styles show "
                                 "(default: the pipeline's first)")
    p.add_argument("--as", dest="macro_name", metavar="NAME",
                   help="name for \\DeriveResult{NAME}{key} (default: the pipeline name)")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="output FILE (one snippet; default stdout) or DIR (--all, --compile)")
    p.add_argument("--compile", metavar="DOC.tex",
                   help="compile a LaTeX document that inputs snippets into the -o directory (default build/)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the verdict cache")
    _common(p)


def handle(args: argparse.Namespace) -> int:
    from . import console
    from .cli import _config, _verifier, parse_sets

    if args.compile:
        if args.name or args.all:
            raise UsageError("--compile builds a document; give it without NAME or --all")
        pdf = compile_document(Path(args.compile), Path(args.output or "build"))
        console.info(f"wrote {pdf}")
        return 0
    if args.all:
        if args.name:
            raise UsageError("give a pipeline NAME or --all, not both")
        if not args.output:
            raise UsageError("--all needs -o DIR")
        if args.key or args.macro_name:
            raise UsageError("--key and --as apply to a single snippet, not to --all")
        out_dir = Path(args.output)
        config = _config(args, out_dir)
        sources = _sheet_sources(args, config) if args.sheet else _registry_sources(args, config)
        styles = (args.style,) if args.style else STYLES
        paths = write_snippets(sources, out_dir, styles, config.template_dirs)
        console.info(f"wrote {len(paths)} snippets ({len(sources)} derivations x {len(styles)} styles) to {out_dir}")
        return 0
    if args.sheet:
        raise UsageError("--sheet needs --all")
    if not args.name:
        raise UsageError("give a pipeline NAME, --all or --compile")
    out = Path(args.output) if args.output else None
    config = _config(args, shared_cache=True)   # never a .cache/ beside a single file
    values = parse_sets(args.set)
    derivation = pl.run(args.name, values)
    with _verifier(config) as verifier:
        vd = verifier.verify(derivation)
    style = args.style or "align"
    sets = "".join(f" --set {k}={v}" for k, v in values.items())
    text = snippet_text(vd, style, args.macro_name, args.key,
                        f"derive snippet {args.name}{sets} --style {style}", config.template_dirs)
    if out is None:
        print(text, end="")
    else:
        write_atomic(out, text)
        console.info(f"wrote {out}")
    return 0


def _registry_sources(args: argparse.Namespace, config: Any) -> list[Source]:
    from . import console
    from .cli import _verifier

    if args.set:
        raise ParameterError("--set applies to one pipeline; with --all --sheet write PROBLEM.PARAM=VALUE")
    sources = []
    with _verifier(config) as verifier:
        names = sorted(pl.load_all())
        for i, name in enumerate(names, 1):
            console.progress(f"[{i}/{len(names)}] {name}")
            sources.append(Source(name, verifier.verify(pl.run(name)), f"derive snippet {name}"))
    return sources


def _sheet_sources(args: argparse.Namespace, config: Any) -> list[Source]:
    from . import sheet as sh
    from .cli import _verifier, parse_sets

    spec = sh.apply_overrides(sh.load_spec(args.sheet), parse_sets(args.set))
    for problem in spec.problems:
        check_name(problem.id, f"{args.sheet}: problem id")
    from . import console

    derived = sh.derive_problems(spec, console.progress)
    with _verifier(config) as verifier:
        problems = sh.verify_problems(derived, verifier, console.progress)
    cmd = f"derive snippet --all --sheet {args.sheet} -o {args.output}"
    return [Source(pr.spec.id, pr.derivation, cmd) for pr in problems]


__all__ = ["STYLES", "snippet_text", "write_snippets", "compile_document", "notebook_latex",
           "boxed_results", "headline_key", "file_name", "configure", "handle"]
