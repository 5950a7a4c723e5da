"""read_assumptions is read once per text, and no caller sees another's changes (#8)."""
from __future__ import annotations

from derive.check import directives
from derive.check.directives import read_assumptions
from derive.domains import POSITIVE


def test_a_caller_changing_what_it_got_does_not_change_the_next_reading() -> None:
    texts = [r"x > 0, a < b", r"n \in \mathbb{N}, y \le 2"]
    first = read_assumptions(texts)
    assert tuple(texts) in directives._READ
    reference = (dict(first.domains), list(first.relations), list(first.problems))
    first.domains["z"] = POSITIVE
    first.relations.append("c < d")
    first.problems.append("made up")
    first.implied.append({"w": POSITIVE})
    again = read_assumptions(texts)
    assert again is not first
    assert (again.domains, again.relations, again.problems) == reference
    assert again.implied == [] and "z" not in again.domains


def test_the_memo_gives_what_a_fresh_reading_gives() -> None:
    texts = [r"0 < \beta_1 < 1, d_{in} > 0", r"X \sim \mathcal{N}(0, 1)", r"q \ge 1, p"]
    directives._READ.clear()
    fresh = directives._read(tuple(texts))
    memo = read_assumptions(texts)
    assert (memo.domains, memo.relations, memo.implied, memo.problems, memo.written) == \
        (fresh.domains, fresh.relations, fresh.implied, fresh.problems, fresh.written)
    assert memo.problems == ["'p' has no bound"]       # a problem is kept by the memo too
