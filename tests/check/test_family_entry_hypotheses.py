"""Hypotheses about entries of a family (``y_1 > 0`` where the working also writes ``y_i``).

The entries of a family are read as ``y[1]``, ``y[2]``; the verifier gives them no values in a
counterexample, so a hypothesis about them can not be checked against one.  A step that fails
only at points that break such a hypothesis was reported ``invalid`` (``\\sqrt{y_1^2} = y_1``
given ``y_1 > 0``, refuted at ``y_1 = -1.605``): a false alarm.  And ``y_1, y_2 > 0`` as a list
was unparsed ("not an expression") while ``y_1 > 0 and y_2 > 0`` was read."""
from __future__ import annotations

import pytest

from derive.check import check_text

NOT_SHOWN = "the counterexample is not shown to satisfy the hypothesis on line 1"
FAMILY = "$$\\sum_{i=1}^{2} y_i^2 \\ge 0$$\n\n"       # makes y a family: y_1 is the entry y[1]


def _steps(src: str) -> list[tuple[int, str, str, str]]:
    return [(s.line, s.verdict, s.method, s.message) for s in check_text(src, name="notes.md").steps]


@pytest.mark.parametrize("given", ["Let $y_1 > 0$.", "Let $y_1, y_2 > 0$.", "Let $y_1 > 0$ and $y_2 > 0$."])
@pytest.mark.parametrize("step", ["\\sqrt{y_1^2} = y_1", "|y_1| = y_1"])
def test_a_step_true_under_a_hypothesis_on_an_entry_is_no_false_alarm(given: str, step: str) -> None:
    got = _steps(f"{given}\n\n{FAMILY}$${step}$$\n")
    assert got[-1] == (5, "unknown", "unconstrained", NOT_SHOWN)


def test_without_the_family_the_entry_is_a_name_and_the_step_is_certified() -> None:
    """The neighbour: with no y_i anywhere, y_1 is a plain symbol, its hypothesis a domain."""
    assert _steps("Let $y_1 > 0$.\n\n$$\\sqrt{y_1^2} = y_1$$\n")[-1][:2] == (3, "valid")


@pytest.mark.parametrize("src, want", [
    # the hypothesis is about y_1, the step about y_2 only: still refuted
    ("Let $y_1 > 0$.\n\n" + FAMILY + "$$\\sqrt{y_2^2} = y_2$$\n", (5, "invalid", "numeric")),
    # no hypothesis at all: refuted as before
    (FAMILY + "$$\\sqrt{y_1^2} = y_1$$\n", (3, "invalid", "numeric")),
])
def test_a_hypothesis_on_another_entry_does_not_protect_a_false_step(src: str, want: tuple) -> None:
    assert _steps(src)[-1][:3] == want


@pytest.mark.parametrize("listed, separate", [
    ("Let $y_1, y_2 > 0$.", "Let $y_1 > 0$ and $y_2 > 0$."),
    ("Let $y_1, y_2 \\ge 1$.", "Let $y_1 \\ge 1$, $y_2 \\ge 1$."),
    ("Assume $y_1 , y_2 < 0$.", "Assume $y_1 < 0$ and $y_2 < 0$."),
])
@pytest.mark.parametrize("then", ["$$\\sum_{i=1}^{2} y_i > 0$$\n", "$$\\sqrt{y_2^2} = y_2$$\n\n$$y_1 y_2 \\ge 1$$\n"])
def test_a_list_of_entries_is_read_as_each_entry_stated_alone(listed: str, separate: str, then: str) -> None:
    a, b = _steps(f"{listed}\n\n{FAMILY}{then}"), _steps(f"{separate}\n\n{FAMILY}{then}")
    assert a[0][:3] == (1, "given", "condition") and a[0][3].startswith("a condition on y_1")
    assert "unparsed" not in [v for _, v, _, _ in a]
    assert a[1:] == b[2:]
