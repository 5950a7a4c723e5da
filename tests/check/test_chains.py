"""derive.check.chains: a ``\\text{...}`` row label is a name only when it is not a connective."""
from __future__ import annotations

from fractions import Fraction

import pytest

from derive.check import check_text


@pytest.mark.parametrize("label, first", [
    # a label: the row defines it
    (r"\text{Loss}", (r"\mathrm{Loss}", "given", "definition")),
    (r"\text{Total cost}", (r"\mathrm{Totalcost}", "given", "definition")),
    # a connective or an article first ("The", "so", "and"): no label, the row's left side is empty
    (r"\text{The loss}", ("", "unparsed", "")),
    (r"\text{So}", ("", "unparsed", "")),
    (r"\text{And then}", ("", "unparsed", "")),
])
def test_a_row_label_is_a_name_unless_it_starts_with_a_connective(label: str, first: tuple) -> None:
    src = "\\begin{align*} " + label + r" &= 3 \\ &= 1 + 2 \end{align*}"
    steps = check_text(src).steps
    assert (steps[0].lhs, steps[0].verdict, steps[0].method) == first
    assert (steps[-1].lhs, steps[-1].rhs, steps[-1].verdict) == ("3", "1 + 2", "valid")


# --------------------------------------------------------------------------- #
# \approx chains round the side their run starts from, not the previous rounded link (#8, D2)
# --------------------------------------------------------------------------- #

def _half(printed: str) -> Fraction:
    """Half a unit of the last digit of a plain decimal, by hand (independent of rounding.py)."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    return Fraction(1, 2 * 10**decimals)


@pytest.mark.parametrize("chain, anchor, last, verdict", [
    (r"x = 0.449 \approx 0.45 \approx 0.5", Fraction(449, 1000), "0.5", "invalid"),
    (r"2.345 \approx 2.35 \approx 2.4", Fraction(2345, 1000), "2.4", "invalid"),
    (r"\frac{1}{3} \approx 0.333 \approx 0.33", Fraction(1, 3), "0.33", "valid"),
    (r"\frac{2}{3} \approx 0.6667 \approx 0.667 \approx 0.67 \approx 0.7", Fraction(2, 3), "0.7", "valid"),
    # an = ends the run: 2.025 is what the last link rounds
    (r"\frac{81}{40} \approx 2.0 + 0.03 = 2.03 \approx 2.0", Fraction(203, 100), "2.0", "valid"),
])
def test_an_approx_chain_is_compared_with_where_its_run_starts(chain, anchor, last, verdict) -> None:
    steps = check_text(f"\\[ {chain} \\]", timeout=10).steps
    # the reference: |anchor - last| against half a unit of last's final digit, in exact fractions
    assert (abs(anchor - Fraction(last)) <= _half(last)) is (verdict == "valid")
    assert steps[-1].verdict == verdict
    if verdict == "invalid":
        assert steps[-1].message == (f"compared with {anchor.numerator / anchor.denominator:g}, where this run of "
                                     "\\approx starts: the sides differ by more than half a unit of the last "
                                     f"printed digit ({float(_half(last)):.3f})")
    # every link before the last is right on its own
    assert all(s.verdict in ("valid", "given") for s in steps[:-1])


def test_a_link_that_is_wrong_on_its_own_keeps_its_own_message() -> None:
    steps = check_text(r"\[ \frac{1}{3} \approx 0.333 \approx 0.4 \]", timeout=10).steps
    assert steps[-1].verdict == "invalid"
    assert not steps[-1].message.startswith("compared with")


def test_a_link_with_an_expression_ends_the_run() -> None:
    # \sqrt{2} is evaluated (not a printed number rounded): 1.4142 rounds it, not \sqrt{2.0003}
    steps = check_text(r"\[ \sqrt{2.0003} \approx \sqrt{2} \approx 1.4142 \]", timeout=10).steps
    assert abs(Fraction(14142, 10**4) - Fraction(1414213562, 10**9)) <= _half("1.4142")
    assert abs(Fraction(14142, 10**4) - Fraction(1414320, 10**6)) > _half("1.4142")    # sqrt(2.0003) = 1.41432
    assert (steps[-1].lhs, steps[-1].verdict) == ("\\sqrt{2}", "valid")
