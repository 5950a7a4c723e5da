"""derive.check.refute: entry-by-entry claims on vectors and steps whose reading lost a
domain, every field of the verdict pinned (mutation testing found the method and the
message of these branches unchecked)."""
from __future__ import annotations

import pytest

from derive.check import check_text

LOST = "a log or a root was simplified away while reading, so where it is defined is not checked; "


@pytest.mark.parametrize("entries, rel, verdict, message", [
    ("1 \\\\ 2", ">", "valid", "entry by entry"),
    ("1 \\\\ 0", "\\ge", "valid", "entry by entry"),
    ("1 \\\\ -2", ">", "invalid", "entry 2 does not hold"),       # by hand: -2 > 0 is false
    ("-1 \\\\ -2", ">", "invalid", "entries 1, 2 do not hold"),
])
def test_a_vector_claim_is_judged_entry_by_entry(entries: str, rel: str, verdict: str, message: str) -> None:
    src = f"Let $z = \\begin{{pmatrix}} {entries} \\end{{pmatrix}}$. Then $z {rel} 0$.\n"
    data, claim = check_text(src).steps
    assert (data.verdict, data.role) == ("given", "data")
    assert (claim.verdict, claim.method, claim.message, claim.counterexample) == (verdict, "entries", message, None)


@pytest.mark.parametrize("src, loose", [
    ("$\\sqrt{x}^2 = x$\n", "x"),
    ("$e^{\\ln x} = x$\n", "x"),
    ("$e^{\\ln x - \\ln x} = 1$\n", "its argument"),       # the name cancelled: no name to assume
])
def test_a_lost_domain_names_what_to_assume(src: str, loose: str) -> None:
    (s,) = check_text(src).steps
    assert (s.verdict, s.method, s.message) == ("unknown", "domain", LOST + f"assume {loose} > 0 to check this step")
