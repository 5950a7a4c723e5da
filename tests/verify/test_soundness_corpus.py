"""The soundness corpus's engine cases (tests/verify/corpus/engine_cases.py, labels from
an independent oracle): no false step certified, >= 95% of false steps caught as
``failed``, >= 95% of their true neighbours certified.

A case whose two sides SymPy has already made the same object (``log(exp(x))``
and ``exp(log(x))`` are both ``x`` when built) carries no false claim the
verifier could see; it is listed, not scored.  The TOML corpus goes through the
LaTeX reader and is scored by ``tests/verify/corpus/score.py``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from derive.step import Justification, Step, same_side

sys.path.insert(0, str(Path(__file__).parent / "corpus"))
import engine_cases  # noqa: E402 - the corpus folder is put on the path just above

#: Cases that SymPy collapses at construction (both sides one defined object).
COLLAPSED = {"eng-004f"}


@pytest.fixture(scope="module")
def verdicts(verifier):
    return {c.id: verifier.verify_step(Step(c.lhs, c.rel, c.rhs, Justification("corpus"), tol=c.tol), c.domains)
            for c in engine_cases.CASES}


def test_collapsed_cases_really_are_one_object():
    cases = {c.id: c for c in engine_cases.CASES}
    assert all(same_side(cases[i].lhs, cases[i].rhs) for i in COLLAPSED)


def test_no_false_step_is_certified(verdicts):
    certified = [c.id for c in engine_cases.CASES
                 if not c.truth and c.id not in COLLAPSED and verdicts[c.id].ok]
    assert certified == []


def test_false_steps_are_caught_as_failed(verdicts):
    false = [c for c in engine_cases.CASES if not c.truth and c.id not in COLLAPSED]
    caught = [c.id for c in false if verdicts[c.id].status == "failed"]
    assert len(caught) >= 0.95 * len(false), sorted({c.id for c in false} - set(caught))


def test_true_neighbours_are_certified(verdicts):
    true = [c for c in engine_cases.CASES if c.truth]
    certified = [c.id for c in true if verdicts[c.id].ok]
    assert len(certified) >= 0.95 * len(true), sorted({c.id for c in true} - set(certified))


def test_a_certified_false_step_fails_this_test(verdicts):
    """The scorer is not vacuous: a verdict table that certifies a false case is caught."""
    fake = dict(verdicts)
    victim = next(c.id for c in engine_cases.CASES if not c.truth and c.id not in COLLAPSED)
    fake[victim] = type(verdicts[victim])("proved", "fake")
    with pytest.raises(AssertionError):
        test_no_false_step_is_certified(fake)
