"""Which Markdown headings start a fresh scope (``document.markdown_marks``)."""
from __future__ import annotations

import pytest

from derive.check.document import markdown_marks


@pytest.mark.parametrize("text, want", [
    # a title over problems: every # and ## heading is a problem
    ("# Title\n\n## Problem 1\n\n## 2. Next\n\n### (a) part\n", [True, True, True, False]),
    # problems at the top level: a ## under one is a part of it, a ## (a) is a sub-problem
    ("# B1: one\n\n## (a) first\n\n# B5: two\n\n## Forward pass\n\n## Numbers\n",
     [True, True, True, False, False]),
    ("# B1\n\n## Setup\n\n# B2\n\n## Problem 3\n", [True, False, True, True]),
    ("## A\n\n## B\n\n### c\n", [True, True, False]),
])
def test_hard_headings(text: str, want: list) -> None:
    assert [m.hard for m in markdown_marks(text) if text[m.offset] == "#"] == want
