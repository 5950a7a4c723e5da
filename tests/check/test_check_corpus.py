"""The corpus: every line marked ``% expect: VERDICT`` gets exactly that verdict."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from derive.check import check_text

CORPUS = Path(__file__).parent / "corpus"
FILES = sorted(CORPUS.glob("*.tex"))


def expected(src: str) -> dict[int, str]:
    return {i: m.group(1) for i, line in enumerate(src.splitlines(), 1)
            if (m := re.search(r"% expect: (\w+)", line))}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_verdicts(path: Path) -> None:
    src = path.read_text()
    report = check_text(src, timeout=5)
    got = {s.line: s.verdict for s in report.steps}
    assert got == expected(src)
