"""derive.check.check: a file's problems are named by its path (the same limits as the CLI)."""
from __future__ import annotations

import pytest

from derive.check import check
from derive.errors import CheckInputError


@pytest.mark.parametrize("data, problem", [
    (b"$$1 + 1 = 2$$\x00", "not a text file (binary data)"),
    (b"$$1 + 1 = 2$$\xff", "not UTF-8 text (byte 13)"),
])
def test_an_unreadable_file_is_named_by_its_path(tmp_path, data: bytes, problem: str) -> None:
    f = tmp_path / "bad.tex"
    f.write_bytes(data)
    with pytest.raises(CheckInputError) as err:
        check(f)
    assert str(err.value) == f"{f}: {problem}"


def test_a_file_is_checked_under_its_path(tmp_path) -> None:
    f = tmp_path / "ok.tex"
    f.write_text("$$1 + 1 = 2$$\n")
    r = check(f)
    assert (r.file, [s.verdict for s in r.steps]) == (str(f), ["valid"])
