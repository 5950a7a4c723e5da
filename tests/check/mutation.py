"""Mutants of the corpus: one number or sign changed on the right side of a correct step.

Mutations are made in place in the corpus files, so every step keeps its
context (assumptions, givens, the chain it continues).  One *round* mutates
several steps of a file at once, never two on neighbouring lines, so that a
mutated step's left side (the previous right side) is always the original.
Shared by ``test_check_mutation.py`` and ``benchmarks/bench_check.py``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
_REL = re.compile(r"=|\\approx(?![A-Za-z])|\\le(?:q)?(?![A-Za-z])|\\ge(?:q)?(?![A-Za-z])|<|>|\\[Rr]ightarrow|\\implies|\\iff")
_INT = re.compile(r"(?<![A-Za-z_{\\.\d])\d+(?![\d.])")
_SIGN = re.compile(r"(?<=[\s{(=])[-+](?=\s*[\w\\{(])")


@dataclass(frozen=True)
class Mutant:
    file: Path
    line: int           # 1-based
    text: str           # the mutated line


def _rhs_span(code: str) -> tuple[int, int] | None:
    rels = list(_REL.finditer(code))
    # only equalities: a changed bound or implication may well stay true
    if not rels or rels[-1].group(0) not in ("=", "\\approx"):
        return None
    start = rels[-1].end()
    end = len(code)
    tail = re.search(r"(\\\\|\\[,;:! ]|\$\$|\\\]|\$|\\nonumber|\\notag|[,.;]|\s)*$", code[start:])
    if tail:
        end = start + tail.start()
    return (start, end) if code[start:end].strip() else None


def line_mutants(path: Path, line_no: int, line: str) -> list[Mutant]:
    code, sep, comment = line.partition("% expect")
    span = _rhs_span(code)
    if span is None:
        return []
    a, b = span
    rhs = code[a:b]
    out = []
    for m in _INT.finditer(rhs):
        new = rhs[:m.start()] + str(int(m.group(0)) + 1) + rhs[m.end():]
        out.append(Mutant(path, line_no, code[:a] + new + code[b:] + sep + comment))
    for m in _SIGN.finditer(" " + rhs):
        k = m.start() - 1
        new = rhs[:k] + ("+" if m.group(0) == "-" else "-") + rhs[k + 1:]
        out.append(Mutant(path, line_no, code[:a] + new + code[b:] + sep + comment))
    if not out:     # no number or sign: double the right side
        out.append(Mutant(path, line_no, code[:a] + f" 2 \\cdot \\left({rhs}\\right) " + code[b:] + sep + comment))
    return out


def mutants(path: Path) -> list[Mutant]:
    lines = path.read_text().splitlines()
    return [m for i, ln in enumerate(lines, 1) if "% expect: valid" in ln for m in line_mutants(path, i, ln)]


def rounds(muts: list[Mutant]) -> list[list[Mutant]]:
    """Groups of mutants of one file to apply together (one per line, lines at least 2 apart)."""
    pending = list(muts)
    out: list[list[Mutant]] = []
    while pending:
        group: list[Mutant] = []
        used: set[int] = set()
        rest = []
        for m in pending:
            if any(abs(m.line - u) < 2 for u in used):
                rest.append(m)
            else:
                group.append(m)
                used.add(m.line)
        out.append(group)
        pending = rest
    return out


def apply(path: Path, group: list[Mutant]) -> str:
    lines = path.read_text().splitlines()
    for m in group:
        lines[m.line - 1] = m.text
    return "\n".join(lines) + "\n"
