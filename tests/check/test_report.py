"""derive.check.report: the summary line and the failure rule (exact text, counted by hand)."""
from __future__ import annotations

import pytest

from derive.check.report import Report, StepReport, summary_line


def _report(name: str, *verdicts: str) -> Report:
    return Report(name, [StepReport(i, "=", "a", "b", v) for i, v in enumerate(verdicts, 1)])


@pytest.mark.parametrize("reports, line", [
    ([], "0 files, 0 steps: 0 valid, 0 invalid, 0 unknown, 0 unparsed, 0 given"),
    ([_report("a.tex", "valid", "valid", "invalid")],
     "1 file, 3 steps: 2 valid, 1 invalid, 0 unknown, 0 unparsed, 0 given"),
    ([_report("a.tex", "valid", "unknown"), _report("b.tex", "given", "unparsed", "valid")],
     "2 files, 5 steps: 2 valid, 0 invalid, 1 unknown, 1 unparsed, 1 given"),
])
def test_summary_line_adds_the_files(reports: list, line: str) -> None:
    assert summary_line(reports) == line


@pytest.mark.parametrize("verdicts, failed, strict_failed", [
    ((), False, False),
    (("valid", "given"), False, False),
    (("valid", "invalid"), True, True),
    (("valid", "unknown"), False, True),
    (("unparsed",), False, True),
    (("given", "unknown", "unparsed"), False, True),
])
def test_failed_counts_invalid_and_strict_also_undecided(verdicts: tuple, failed: bool,
                                                         strict_failed: bool) -> None:
    r = _report("a.tex", *verdicts)
    assert (r.failed(), r.failed(strict=True)) == (failed, strict_failed)


@pytest.mark.parametrize("src", ["$$x + \\frac{}{} = 2$$", "Then $$y = 2 \\cdot \\frac{}{}$$"])
def test_an_unparsed_step_reports_the_column_of_the_problem(src: str) -> None:
    """The column (1-based, on the source line) is the closing brace of the empty numerator."""
    from derive.check import check_text
    (s,) = check_text(src).steps
    assert (s.verdict, s.message) == ("unparsed", "I expected something else here")
    assert s.column == src.index("\\frac{}") + len("\\frac{") + 1
