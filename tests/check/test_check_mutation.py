"""Mutation test: a slip in one number or sign of a correct step must be caught.

Every corpus step expected ``valid`` is mutated on its right side (see
``mutation.py``) and the file is checked again with the mutant in place.  Here
one round per file (a fixed sample, to stay fast) must catch at least 98%;
``benchmarks/bench_check.py`` reports the rate over every mutant.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from mutation import CORPUS, apply, mutants, rounds  # noqa: E402

from derive.check import check_text  # noqa: E402

FILES = sorted(CORPUS.glob("*.tex"))


def test_every_correct_equality_has_a_mutant() -> None:
    lines = [m.line for p in FILES for m in mutants(p)]
    assert len(set(lines)) >= 30
    assert all(len(mutants(p)) > 0 for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_mutants_are_caught(path: Path) -> None:
    group = rounds(mutants(path))[0]
    report = check_text(apply(path, group), timeout=3)
    got = {s.line: s.verdict for s in report.steps}
    missed = [(m.line, m.text.split("% expect")[0].strip(), got.get(m.line)) for m in group
              if got.get(m.line) != "invalid"]
    assert len(missed) <= 0.02 * len(group), missed
