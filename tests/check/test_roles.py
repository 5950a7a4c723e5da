"""Roles: cue words before the math, and the rule table that picks a relation's role."""
from __future__ import annotations

import pytest

from derive.check.roles import Facts, cue_of, role_of


@pytest.mark.parametrize("prose, cue", [
    ("Let ", "data"), ("We are given:", "data"), ("setup: ", "data"), ("with ", "data"),
    ("where ", "data"), ("e.g. ", "data"), ("If ", "hypothesis"), ("Assume that ", "hypothesis"),
    ("Suppose ", "hypothesis"), ("for ", "hypothesis"), ("We want ", "goal"), ("we need to show that ", "goal"),
    ("since ", "recall"), ("Recall ", "recall"),
    # claim words after a cue cancel it; a sentence break ends it
    ("Let us compute; so ", None), ("If we plug in, we get ", None), ("The value is given. ", None),
    ("Let's see: ", None), ("Then ", None), ("", None),
    # a near cue must stand just before the math
    ("for the output layer of the network we then find ", None),
    # ... and across a blank line only as the last word: "for x>1 ok" was about the prose
    ("so $y = 1$ for x>1 ok\n\n", None), ("with a = 2\n  \n", None), ("for \n", "hypothesis"), ("Now take\n\n", "data"), ("for all\n\n", "hypothesis"),
    ("Suppose\n\n", "hypothesis"), ("We need to show that\n\n", "goal"), ("Given:\n\n", "data"),
])
def test_cue_of(prose: str, cue: str | None) -> None:
    assert cue_of(prose) == cue


def _f(cue=None, first=True, rel="eq", name=True, fresh=False, known=False, restates=False) -> Facts:
    return Facts(cue, first, rel, name, fresh, known, restates)


@pytest.mark.parametrize("facts, role", [
    (_f(), "claim"),
    (_f(fresh=True), "definition"),
    (_f(fresh=True, first=False), "claim"),                 # only a chain's first link defines
    (_f(cue="data"), "data"),
    (_f(cue="data", rel="le"), "hypothesis"),
    (_f(cue="hypothesis"), "hypothesis"),
    (_f(cue="goal", rel="le", name=False), "hypothesis"),
    (_f(cue="recall"), "recall"),
    (_f(restates=True), "recall"),
    (_f(cue="data", first=False), "claim"),                 # Let x = 2 + 3 = 5: the second link is claimed
    (_f(rel="ge"), "hypothesis"),                           # N \ge 58.4 on a name nothing fixes
    (_f(rel="ge", first=False), "hypothesis"),              # 0 \le n \le 6
    (_f(rel="ge", known=True), "claim"),
    (_f(rel="ge", name=False), "claim"),
])
def test_role_of(facts: Facts, role: str) -> None:
    assert role_of(facts) == role


def test_a_near_cue_before_a_blank_line_leaves_the_next_display_a_claim() -> None:
    """A student's "... for x>1 ok" then a display of a false limit: the display is checked
    (it was "hypothesis (a condition)", so the wrong line went unreported)."""
    from derive.check import check_text
    doc = "so $y = 1$ for x>1 ok\n\n$$\\lim_{x \\to 2^+} x = 3$$\n"
    rows = [(s.line, s.role, s.verdict, s.message) for s in check_text(doc).steps if "lim" in s.lhs]
    assert rows == [(3, "claim", "invalid", "sides differ: 2.0000000 vs 3.0000000")]
