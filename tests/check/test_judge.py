"""derive.check.judge: the steps the judge answers itself (a change of units, an internal
error), pinned with their exact message."""
from __future__ import annotations

import pytest

from derive.check import check_text
from derive.check.judge import Judge


@pytest.mark.parametrize("src, message", [
    (r"$$6000 \text{ minutes} = 100 \text{ hours}$$", "a change of units (minutes to hours): not checked"),
    (r"$$2 \text{ km} = 2000 \text{ m}$$", "a change of units (km to m): not checked"),
])
def test_a_change_of_units_is_named_in_the_order_written(src: str, message: str) -> None:
    (s,) = check_text(src).steps
    assert (s.verdict, s.method, s.message) == ("unknown", "units", message)


@pytest.mark.parametrize("src, message", [
    ("$$1 + 1 = 2$$", "could not be checked: the checker does not read this as written"),
    ("$$\\int_0^1 \\lfloor x \\rfloor \\, dx = 0$$",
     "could not be checked: the checker does not read \\int, \\lfloor, \\rfloor together here"),
])
def test_an_internal_error_is_unknown_with_a_plain_reason(monkeypatch, src: str, message: str) -> None:
    # issue 8, C2: never the exception's name or text ("could not be checked: ValueError: vvv...")
    def boom(self, raw):
        raise ValueError("v" * 500)

    monkeypatch.setattr(Judge, "_judge", boom)
    (s,) = check_text(src).steps
    assert (s.verdict, s.method, s.message) == ("unknown", "error", message)


# Attack 3, finding 4: units inside a side were dropped (2 kg * 3 kg = 6 kg was proved; kg^2 is not kg).
@pytest.mark.parametrize("src, verdict, message", [
    ("\\[ 2\\,\\text{kg} \\cdot 3\\,\\text{kg} = 6\\,\\text{kg} \\]\n", "unknown", "units inside a side (kg): not checked"),
    ("\\[ 3\\,\\text{m} \\cdot 4\\,\\text{m} = 12\\,\\text{m} \\]\n", "unknown", "units inside a side (m): not checked"),
    ("\\[ 2\\,\\text{kg} + 3\\,\\text{m} = 5 \\]\n", "unknown", "units inside a side (kg, m): not checked"),
    # one unit, only added: the unit drops out and the numbers are checked
    ("$$2 \\text{ m} + 3 \\text{ m} = 6 \\text{ m}$$\n", "invalid", "sides differ: 5.0000000 vs 6.0000000"),
    ("$$2 \\text{ m} + 3 \\text{ m} = 5 \\text{ m}$$\n", "valid", "identical"),
])
def test_units_inside_a_side_are_not_dropped(src: str, verdict: str, message: str) -> None:
    from derive.check import check_text
    (s,) = check_text(src, timeout=10).steps
    assert (s.verdict, s.message) == (verdict, message), s


@pytest.mark.parametrize("src, message", [
    ("% derive: assume x \\in \\mathbb{Q}\n\\[ x = x \\]\n", "assumption: cannot read the set '\\mathbb{Q}'"),
    ("% derive: given y = \\frac{}{}\n\\[ x = x \\]\n", "given: I expected something else here"),
])
def test_a_directive_not_read_is_reported_at_its_first_column(src: str, message: str) -> None:
    from derive.check import check_text
    bad, step = check_text(src).steps
    assert (bad.line, bad.verdict, bad.message, bad.column) == (1, "unparsed", message, 1)
    assert (step.line, step.verdict) == (2, "valid")
