"""Issue #8: one number or sign changed in each verified step of every sheet is rejected.

Figures and method: benchmarks/bench_sheet_mutants.py.  The mutants listed in
``TRUE_MUTANTS`` are still true statements that the independent evaluator
(mpmath sampling, SymPy simplify) cannot decide, so they are kept and counted;
each is named with why it is true.  Any other mutant that is proved fails.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "bench_sheet_mutants", Path(__file__).resolve().parents[1] / "benchmarks" / "bench_sheet_mutants.py")
bm = importlib.util.module_from_spec(_SPEC)
sys.modules["bench_sheet_mutants"] = bm
_SPEC.loader.exec_module(bm)

#: (sheet, problem, step, kind): still true, so ``proved`` is right.
TRUE_MUTANTS = {
    # E[grad y] = 0 is a fact of the step: the sum is 0 whatever the other factor's indices
    ("core.toml", "A2", 15, "number"), ("core.toml", "A2", 15, "sign"),
    ("cs182-hw4.toml", "A2", 15, "number"), ("cs182-hw4.toml", "A2", 15, "sign"),
    # a Gaussian density with variance sigma1**3 still integrates to 1 and has mean mu1; -0 = 0
    ("core.toml", "A6", 4, "number"), ("core.toml", "A6", 5, "sign"),
    ("cs286-hw2.toml", "A6", 4, "number"), ("cs286-hw2.toml", "A6", 5, "number"),
}


@pytest.fixture(scope="module")
def verifier():
    from derive.config import DEFAULT
    from derive.verify import Verifier

    with Verifier(DEFAULT) as v:
        yield v


@pytest.mark.parametrize("path", bm.sheets(), ids=lambda p: p.name)
def test_sheet_mutants_rejected(path, verifier):
    fig = bm.run_sheet(path, verifier)
    print(fig.line())
    assert fig.steps > 0 and fig.made >= fig.steps
    proved = {(fig.sheet, a[0], a[1], a[2]) for a in fig.accepted if a[4].status == "proved"}
    assert proved == {t for t in TRUE_MUTANTS if t[0] == fig.sheet}, fig.accepted
    assert fig.rejected >= 0.99 * fig.kept - len(proved), fig.line()
