"""The PDF stage: real pdflatex runs, atomic outputs, no stale PDF after a failure."""
from __future__ import annotations

import subprocess

import pytest

from derive.errors import LatexBuildError
from derive.latex import build_pdf, first_error, up_to_date

GOOD = r"""\documentclass{article}
\usepackage{derive}
\begin{document}
Hello $x^2$ \DeriveProved
\end{document}
"""
BAD = r"""\documentclass{article}
\begin{document}
\undefinedmacro
\end{document}
"""
SHELL_ESCAPE = r"""\documentclass{article}
\begin{document}
\immediate\write18{touch TARGET}
ok
\end{document}
"""


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_compiles_and_skips_an_unchanged_rebuild(tmp_path):
    pdf = build_pdf(GOOD, tmp_path, "good")
    assert pdf == tmp_path / "good.pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert "Hello" in pdf_text(pdf)
    assert up_to_date(GOOD, tmp_path, "good")
    mtime = pdf.stat().st_mtime_ns
    build_pdf(GOOD, tmp_path, "good")
    assert pdf.stat().st_mtime_ns == mtime
    # Only the outputs (and the log, read by the layout checks) remain: the private build
    # directory is gone.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".good.stamp", "good.log", "good.pdf", "good.tex"]


def test_failure_names_the_tex_file_quotes_the_log_and_removes_the_old_pdf(tmp_path):
    build_pdf(GOOD, tmp_path, "doc")
    assert (tmp_path / "doc.pdf").exists()
    with pytest.raises(LatexBuildError) as err:
        build_pdf(BAD, tmp_path, "doc")
    msg = str(err.value)
    assert msg.startswith(f"{tmp_path / 'doc.tex'}: LaTeX failed: ")
    assert "Undefined control sequence" in msg
    assert not (tmp_path / "doc.pdf").exists()
    assert (tmp_path / "doc.tex").read_text() == BAD


def test_latex_runs_without_shell_escape(tmp_path):
    """``\\write18`` would create a file at an absolute path outside the private build
    folder (which is deleted after the run), so the test looks where it would land."""
    target = tmp_path / "outside" / "pwned"
    target.parent.mkdir()
    out = tmp_path / "out"
    build_pdf(SHELL_ESCAPE.replace("TARGET", str(target)), out, "esc")
    assert (out / "esc.pdf").exists()
    assert not target.exists()


def test_the_shell_escape_probe_fires_when_shell_escape_is_on(tmp_path, monkeypatch):
    """The probe above is able to fail: with ``-shell-escape`` it creates the file."""
    import derive.texrun as texrun

    args = [a if a != "-no-shell-escape" else "-shell-escape" for a in texrun.TEX_ARGS]
    monkeypatch.setattr(texrun, "TEX_ARGS", args)
    target = tmp_path / "outside" / "pwned"
    target.parent.mkdir()
    build_pdf(SHELL_ESCAPE.replace("TARGET", str(target)), tmp_path / "out", "esc")
    assert target.exists()


@pytest.mark.parametrize(
    "log, expected",
    [
        ("foo\n! Undefined control sequence.\nl.3 \\bad\n\nmore", "! Undefined control sequence. | l.3 \\bad | more"),
        ("./x.tex:12: LaTeX Error: File `a.sty' not found.\nnext", "./x.tex:12: LaTeX Error: File `a.sty' not found. | next"),
        ("", "no log was written"),
    ],
)
def test_first_error_quotes_the_log(log, expected):
    assert first_error(log) == expected
