"""Round trip: every sheet in proofs/ is read back by ``derive check``.

The engine writes its domains, definitions and each step's facts as
``% derive:`` comments, so its own LaTeX must check with no invalid and no
unparsed step (``unknown`` and ``given`` are allowed: the checker may honestly
fail to decide).  Sheets are whatever ``proofs/*.toml`` holds when the test
runs; they are rendered exactly as ``derive sheet`` renders them (without
compiling the PDF) and checked in a pool of two processes.
"""
from __future__ import annotations

import concurrent.futures as cf
from pathlib import Path

import pytest

from derive import sheet as sh
from derive.check.cli import check_file_task
from derive.check.judge import Premises
from derive.check.report import Report
from derive.verify import Verifier

ROOT = Path(__file__).resolve().parents[2]
SHEETS = sorted((ROOT / "proofs").glob("*.toml"))


@pytest.fixture(scope="module")
def reports(verifier: Verifier) -> dict[str, Report]:
    sources = []
    for spec_path in SHEETS:
        spec = sh.load_spec(spec_path)
        problems = sh.verify_problems(sh.derive_problems(spec), verifier)
        sources.append((spec_path.stem, sh.render_sheet(spec, problems)))
    with cf.ProcessPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(check_file_task, name, text, Premises(), 5.0) for name, text in sources}
        return {name: fut.result() for name, fut in futures.items()}


@pytest.mark.parametrize("name", [p.stem for p in SHEETS])
def test_sheet_checks_with_no_invalid_or_unparsed_step(reports: dict[str, Report], name: str) -> None:
    report = reports[name]
    bad = [(s.line, s.verdict, s.lhs, s.relation, s.rhs, s.message) for s in report.steps
           if s.verdict in ("invalid", "unparsed")]
    assert bad == []
    # the sheet is really read: most steps are decided, none silently skipped
    valid = sum(s.verdict == "valid" for s in report.steps)
    assert valid >= len(report.steps) // 2
