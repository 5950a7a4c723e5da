"""Session 11 (s11check): tests that kill surviving mutants of derive/check (#14)."""
import pytest

from derive.check import check_text
from derive.check.report import text_lines


@pytest.mark.parametrize("src, expected", [
    (r"Let $x=2$. Since $x=2$, we get $x^2=4$.",
     ["<input>:1: data: x = 2 (data: gives x)",
      "<input>:1: valid (proved) (recall): x = 2 (identical)",
      "<input>:1: valid (proved): x^2 = 4 (identical)"]),
])
def test_verbose_recall_label_keeps_verdict(src, expected):
    """Kills report.x_text_lines__mutmut_26 (``and`` -> ``or``): a judged recall step
    (verdict valid, not given) would be labelled bare 'recall', hiding its verdict."""
    assert text_lines(check_text(src, timeout=5), verbose=True) == expected
