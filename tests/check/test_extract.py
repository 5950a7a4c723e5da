"""Relations the checker does not read (``derive.check.extract.UNREAD_RELATION``).

Attack 3, finding 6: a line whose only relation was ``\\nleq``, ``\\leqq``, ``\\ll``, an
``\\overset{..}{=}``/``\\stackrel{..}{\\ge}`` or a Unicode ``≤``/``≈`` was dropped ("no steps
found", exit 0), so a false ``(x+1)^2 = x^2 + 1`` passed unseen.  Each is now reported unparsed."""
from __future__ import annotations

import pytest

from derive.check import check_text


@pytest.mark.parametrize("src, message", [
    ("\\[ 3 \\nleq 4 \\]\n", "relation \\nleq is not read"),
    ("\\[ 2 \\leqq 1 \\]\n", "relation \\leqq is not read"),
    ("\\[ 2 \\ll 1 \\]\n", "relation \\ll is not read"),
    ("\\[ (x+1)^2 \\overset{\\text{expand}}{=} x^2 + 1 \\]\n", "relation \\overset is not read"),
    ("\\[ 1 \\stackrel{\\text{AM-GM}}{\\ge} 2 \\]\n", "relation \\stackrel is not read"),
    ("$1 ≤ 0$\n", "relation ≤ is not read"),
    ("$π ≈ 3.15$\n", "relation ≈ is not read"),
])
def test_an_unread_relation_is_reported_unparsed(src: str, message: str) -> None:
    got = check_text(src, timeout=10).steps
    assert [(s.verdict, s.message) for s in got] == [("unparsed", message)], got


@pytest.mark.parametrize("src", ["\\[ \\overset{\\to}{v} = 2 \\]\n", "\\[ x \\le 2 \\]\n"])
def test_other_overset_and_read_relations_are_not_reported(src: str) -> None:
    got = check_text(src, timeout=10).steps
    assert not any("is not read" in (s.message or "") for s in got), got
