"""`make mutation` needs test ids that stay the same across pytest sessions in one process.

mutmut 3 runs pytest in-process several times (stats, the clean run, each mutant) and
selects tests by the node ids the first session recorded.  pytest 9 keeps the ids it made
for ``parametrize(..., ids=[...])`` on the mark and escapes them again in the next session,
so an id with a backslash (every LaTeX row: ``[\\gcd(12, 18) = 6]``) was "not found" and the
2026-12-02 02:44 run stopped with usage error 4 before any mutant ran.  tests/conftest.py
makes the ids afresh in every session; this runs two sessions in one (fresh) process.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TWO_SESSIONS = r"""
import sys, pytest

class Ids:
    def __init__(self):
        self.ids = []
    def pytest_collection_modifyitems(self, items):
        self.ids = [item.nodeid for item in items]

sessions = []
for _ in range(2):
    ids = Ids()
    rc = pytest.main(["--collect-only", "-qq", "-p", "no:cacheprovider", *sys.argv[1:]], plugins=[ids])
    sessions.append((int(rc), ids.ids))
# the second session selects by the first session's ids, as mutmut's clean run does
rc = pytest.main(["--collect-only", "-qq", "-p", "no:cacheprovider", *sessions[0][1]])
print("RESULT", sessions[0][0], sessions[1][0], int(rc), len(sessions[0][1]),
      sessions[0][1] == sessions[1][1], sum("\\" in i for i in sessions[0][1]))
"""


def test_ids_with_backslashes_are_the_same_in_a_second_session_of_the_process():
    targets = ["tests/check/test_latex_build.py::test_gcd_steps", "tests/check/test_layout.py",
               "tests/check/test_rounding.py::test_rounding_verdicts"]
    out = subprocess.run([sys.executable, "-c", TWO_SESSIONS, *targets], cwd=ROOT, capture_output=True,
                         text=True, timeout=300).stdout
    result = [line.split()[1:] for line in out.splitlines() if line.startswith("RESULT ")]
    assert result, out[-2000:]
    first, second, reselected, n, same, with_backslash = result[-1]
    assert (first, second, reselected, same) == ("0", "0", "0", "True"), out[-2000:]
    assert int(n) > 40 and int(with_backslash) > 30      # the ids that broke are in the selection


def test_under_mutmut_each_test_starts_with_empty_derive_caches(monkeypatch):
    """tests/conftest.py clears derive's lru caches before each test when mutmut runs it, so its
    stats map the token writer to every test that reads a text (not only the first one)."""
    import conftest
    from derive.check.latex.tokens import normalise
    assert normalise in conftest._derive_caches()
    normalise("2\\alpha + 1")
    assert normalise.cache_info().currsize > 0
    monkeypatch.setenv("MUTANT_UNDER_TEST", "stats")
    conftest._fresh_caches_under_mutmut.__wrapped__()
    assert normalise.cache_info().currsize == 0
