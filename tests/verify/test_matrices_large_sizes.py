"""Claims about x in R^n, A in R^{n x n} with a symbolic n are tried at sizes well above 4
(derive/verify/matrices.py ``_LARGE``).  Attack 1, finding 11: bounds that hold for every
matrix of size 2 to 4 and fail for every size from 5 on were ``valid (numeric)``.  Each is
pinned ``invalid`` beside its true neighbour; numpy gives the reference at n = 6.
"""
from __future__ import annotations

import numpy as np
import pytest

from derive.check import check_text

DECLARE = "% derive: assume x \\in \\mathbb{R}^n, A \\in \\mathbb{R}^{n \\times n}\n"


@pytest.mark.parametrize("step, verdict", [
    ("\\|x\\|_1 \\le 2 \\|x\\|_2", "invalid"),
    ("\\|x\\|_1 \\le \\sqrt{n} \\|x\\|_2", "valid"),
    ("\\|x\\|_2 \\le 2 \\|x\\|_\\infty", "invalid"),
    ("\\|x\\|_\\infty \\le \\|x\\|_2", "valid"),
    ("\\|A\\|_F \\le 2 \\|A\\|_2", "invalid"),
    ("\\|A\\|_2 \\le \\|A\\|_F", "valid"),
    ("\\operatorname{rank}(A) \\le 4", "invalid"),
    ("\\operatorname{rank}(A) \\le n", "valid"),
    ("|\\operatorname{tr}(A)| \\le 2 \\|A\\|_F", "invalid"),
])
def test_bounds_that_fail_from_size_five(step: str, verdict: str) -> None:
    (s,) = check_text(DECLARE + f"\\[ {step} \\]\n", timeout=20).steps
    assert s.verdict == verdict
    if verdict == "valid":
        assert s.method == "numeric" and "sizes 2 to 11" in s.message


def test_the_references_at_size_six() -> None:
    ones, eye = np.ones(6), np.eye(6)
    assert np.abs(ones).sum() > 2 * np.linalg.norm(ones)                     # ||1||_1 = 6 > 2 sqrt 6
    assert np.linalg.norm(ones) > 2 * np.abs(ones).max()                      # sqrt 6 > 2
    assert np.linalg.norm(eye, "fro") > 2 * np.linalg.norm(eye, 2)            # sqrt 6 > 2
    assert abs(np.trace(eye)) > 2 * np.linalg.norm(eye, "fro")                # 6 > 2 sqrt 6
    rng = np.random.default_rng(0)
    assert np.linalg.matrix_rank(rng.integers(-3, 4, (6, 6))) > 4
    for n in (2, 3, 4):     # ... while every one of them holds at the sizes tried before
        x = np.ones(n)
        assert np.abs(x).sum() <= 2 * np.linalg.norm(x) + 1e-12
