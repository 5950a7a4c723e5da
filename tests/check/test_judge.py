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


def test_an_internal_error_is_unknown_with_its_message_cut_at_200_characters(monkeypatch) -> None:
    def boom(self, raw):
        raise ValueError("v" * 500)

    monkeypatch.setattr(Judge, "_judge", boom)
    (s,) = check_text("$$1 + 1 = 2$$").steps
    expected = ("could not be checked: ValueError: " + "v" * 500)[:200]
    assert (s.verdict, s.method, s.message) == ("unknown", "error", expected)
    assert len(s.message) == 200
