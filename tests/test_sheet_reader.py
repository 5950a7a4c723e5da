"""Sheets built from authored steps the reader used to misjudge or misprint (issue #8, session 6):
a name a given or assumption constrains is never defined by a step (A16), and ``\\mathbb{E}[X]``
is typeset as written (B5).  Every sheet here really compiles with TeX."""
from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from derive import sheet as sh
from derive.errors import InvalidStepError


def _spec(path: Path, premises: str, rows: list[str], statement: str = "A problem.") -> Path:
    body = "\n".join(rows)
    path.write_text(f"title = 'T'\n\n[[problem]]\nid = 'P'\ntitle = 'p'\nstatement = '{statement}'\n"
                    f"{premises}steps = '''\n{body}\n'''\n")
    return path


def _pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


# A16: 'x &= 0' after given x y = 0 was built as a definition of x, so a false step was printed
@pytest.mark.parametrize("premises, row, claim, wrong", [
    ("given = ['x y = 0']\n", "x &= 0", "x = 0", lambda c: c["x"] != 0),
    ("assume = ['x > 0']\n", "x &= 3", "x = 3", lambda c: c["x"] > 0 and c["x"] != 3),
    ("given = ['a + b = 1']\n", "b &= 2", "b = 2", lambda c: 1 - c["a"] != 2),     # b is 1 - a
])
def test_a_constrained_name_is_claimed_not_defined(tmp_path: Path, premises: str, row: str, claim: str,
                                                   wrong: object) -> None:
    path = _spec(tmp_path / "p.toml", premises, [row])
    with pytest.raises(InvalidStepError) as info:
        sh.build(path, tmp_path / "out", cache=False)
    msg = str(info.value)
    assert msg.startswith(f"problem P: {path}, line 9: step 1 '{row}' is failed: {claim} (sides differ: ")
    pairs = msg.rsplit("counterexample ", 1)[1].rstrip(")").split(", ")
    cex = {k: Fraction(v) for k, v in (p.split("=") for p in pairs)}
    assert wrong(cex)                   # the step is false there, and the point fits the premises
    assert not (tmp_path / "out" / "p.pdf").exists()


def test_an_unconstrained_name_is_still_defined(tmp_path: Path) -> None:
    built = sh.build(_spec(tmp_path / "p.toml", "given = ['y = 1']\n", ["x &= 3"]), tmp_path / "out", cache=False)
    assert built.pdf.exists()


# B5: \\mathbb{E}[X] was printed \\operatorname{mathbbE}(X) ("mathbbE(X)" in the PDF)
@pytest.mark.parametrize("premises, row, tex", [
    ("given = ['\\mathbb{E}[X] = 2']\n", "\\mathbb{E}[X] + 1 &= 3", "\\mathbb{E}\\left[X\\right] + 1 &= 3"),
    ("given = ['\\mathbb{E}[X^2] = 5', '\\mathbb{E}[X] = 2']\n", "\\mathbb{E}[X^2] - \\mathbb{E}[X]^2 &= 1",
     "\\mathbb{E}\\left[X^{2}\\right] - \\mathbb{E}\\left[X\\right]^{2} &= 1"),
    ("given = ['\\mathbb{E}_{X}[f] = 2']\n", "2 \\mathbb{E}_{X}[f] &= 4", "\\mathbb{E}_{X}\\left[f\\right] &= 4"),
])
def test_expectations_are_typeset_as_written(tmp_path: Path, premises: str, row: str, tex: str) -> None:
    built = sh.build(_spec(tmp_path / "p.toml", premises, [row]), tmp_path / "out", cache=False)
    source = (tmp_path / "out" / "p.tex").read_text()
    assert tex in source and "mathbbE" not in source
    words = _pdf_text(built.pdf)
    assert "mathbb" not in words and "operatorname" not in words


def test_the_pdf_reads_e_of_x(tmp_path: Path) -> None:
    built = sh.build(_spec(tmp_path / "p.toml", "given = ['\\mathbb{E}[X] = 2']\n", ["\\mathbb{E}[X] + 1 &= 3"]),
                     tmp_path / "out", cache=False)
    assert "E[X]+1=3" in _pdf_text(built.pdf).replace(" ", "")


_ADVICE = "as written; write it as a letter, a Greek letter or a subscripted name"


# B5 (more): names the printer would typeset wrongly stop the build with one line, never a sheet
# that shows the reader's placeholder (mathZza_zq0), \hat{yi} for \hat{y}_{i} or nabla_{xL}
@pytest.mark.parametrize("side, error", [
    ("\\hat{y}_{i}", f"the sheet cannot typeset the name 'yi_hat' {_ADVICE}"),
    ("\\nabla_{x} L", f"the sheet cannot typeset the name 'nabla_xL' {_ADVICE}"),
    ("\\mathbb{E}_{\\theta}[\\log p_\\theta(x)]", f"the sheet cannot typeset the name 'mathZza_zq0' {_ADVICE}"),
    ("\\mathbb{E}[\\|X\\|^2]", "the sheet cannot typeset 'mathbbE[|X|^2]' as written"),
    ("\\mathbb{E}_{x \\sim p}[f(x)]", "the sheet cannot typeset 'mathbbE_xsimp' as written"),
])
def test_a_name_the_sheet_cannot_typeset_is_one_error(tmp_path: Path, side: str, error: str) -> None:
    row = f"{side} + 1 &= 2"
    path = _spec(tmp_path / "p.toml", "", [row])
    with pytest.raises(InvalidStepError) as info:
        sh.build(path, tmp_path / "out", cache=False)
    assert str(info.value) == f"problem P: {path}, line 8: step '{row}' is unparsed: {error}"
    assert not (tmp_path / "out" / "p.pdf").exists()


def test_delta_of_a_name_is_typeset_as_written(tmp_path: Path) -> None:
    built = sh.build(_spec(tmp_path / "p.toml", "given = ['\\text{RMS}(\\Delta y) = 1']\n",
                           ["\\text{RMS}(\\Delta y) + 1 &= 2"]), tmp_path / "out", cache=False)
    assert "\\operatorname{RMS}{\\left(\\Delta y \\right)} + 1 &= 2" in (tmp_path / "out" / "p.tex").read_text()
    assert "RMS(∆y)+1=2" in _pdf_text(built.pdf).replace(" ", "")
