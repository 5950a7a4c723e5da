"""Printed decimals inside a tuple, interval or set written out stand for rounded values, as a
whole side does (check/rounding.py): ``(1.41, 0.33) = (\\sqrt 2, \\frac13)`` is the pmatrix step
``\\begin{pmatrix}1.41\\\\0.33\\end{pmatrix} = ...`` written with parentheses, and was a false
alarm ("entry 1 differs").  Each element is within half a unit of ITS last digit, inclusive;
just beyond it the entries differ, with the entry named."""
from __future__ import annotations

import pytest

from derive.check import check_text

ROUNDED = "entry by entry, up to rounding of the printed decimals"
SAME = "the same elements, up to rounding of the printed decimals"


def _one(tex: str):
    (s,) = check_text(f"\\[ {tex} \\]").steps
    return s.verdict, s.method, s.message


@pytest.mark.parametrize("tex, expected", [
    # the false alarm, and its pmatrix and scalar forms agree
    (r"(1.41, 0.33) = (\sqrt 2, \frac13)", ("valid", "proved", ROUNDED)),
    (r"(1.414, 0.333) = (\sqrt 2, \frac13)", ("valid", "proved", ROUNDED)),
    (r"[0.33, 1.41] = [\frac13, \sqrt2]", ("valid", "proved", ROUNDED)),
    (r"(\frac{7}{20}, 1) = (0.3, 1)", ("valid", "proved", ROUNDED)),      # either side may be printed
    (r"(1, 3.49) = (1, 3.5)", ("valid", "proved", ROUNDED)),               # the coarser one is rounded
    (r"(x, 0.33) = (x, \frac13)", ("valid", "proved", ROUNDED)),
    (r"\{0.33, 1.41\} = \{\sqrt 2, \frac13\}", ("valid", "proved", SAME)),
    # no decimal rounded: the message says nothing of rounding
    (r"(0.5, 1) = (\frac12, 1.0)", ("valid", "proved", "entry by entry")),
    # half a unit of the last digit: 0.3 stands for [0.25, 0.35], ends included
    (r"(0.3, 1) = (\frac{7}{20}, 1)", ("valid", "proved", ROUNDED)),
    (r"(0.3, 1) = (\frac{351}{1000}, 1)", ("invalid", "structure", r"entry 1 differs: 0.3 vs \frac{351}{1000}")),
    (r"(0.3, 1) = (\frac{1}{4}, 1)", ("valid", "proved", ROUNDED)),
    (r"(0.3, 1) = (\frac{249}{1000}, 1)", ("invalid", "structure", r"entry 1 differs: 0.3 vs \frac{249}{1000}")),
    # beyond the rounding: the entry that differs is named
    (r"(1.41, 0.34) = (\sqrt 2, \frac13)", ("invalid", "structure", r"entry 2 differs: 0.34 vs \frac13")),
    (r"(1.415, 0.333) = (\sqrt 2, \frac13)", ("invalid", "structure", r"entry 1 differs: 1.415 vs \sqrt 2")),
    (r"\{0.33, 0.34\} = \{\frac13\}", ("invalid", "structure", "0.34 is in one set only")),
    # on "=" an integer is exact, never a rounded value (1.96 = 2 is wrong), as for a side
    (r"(2, 1) = (1.96, 1)", ("invalid", "structure", "entry 1 differs: 2 vs 1.96")),
    (r"(1.96, 1) = (2, 1)", ("invalid", "structure", "entry 1 differs: 1.96 vs 2")),
])
def test_printed_decimals_in_tuples_and_sets_are_rounded_values(tex, expected):
    assert _one(tex) == expected


@pytest.mark.parametrize("tuple_form, scalar_forms", [
    (r"(1.41, 0.33) = (\sqrt 2, \frac13)", [r"1.41 = \sqrt 2", r"0.33 = \frac13"]),
    (r"(0.3, 1) = (\frac{351}{1000}, 1)", [r"0.3 = \frac{351}{1000}"]),
])
def test_a_tuple_is_rounded_as_its_entries_are_one_by_one(tuple_form, scalar_forms):
    scalar = {_one(t)[0] for t in scalar_forms}
    assert len(scalar) == 1
    assert _one(tuple_form)[0] == scalar.pop()
