"""No file disclosure through TeX: every entry point of user text, compiled for real.

Each PDF is read back with ``pdftotext``; a line of ``/etc/passwd`` in it
would be a leak.  TeX runs are confined (``openin_any=p``...) and time-bounded.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
import sympy as sp

from derive import latex
from derive.errors import DeriveError, LatexBuildError
from derive.printer import tex

from .payloads import LEAKS, PASSWD_LINE

READS = [
    r"\input{/etc/passwd}",
    r"\csname input\endcsname{/etc/passwd}",
    r"^^5cinput{/etc/passwd}",
    r"\newread\r \openin\r=/etc/passwd \read\r to\x \x",
    r"\input{../../../../../../../../etc/passwd}",
    r"\include{/etc/passwd}",
    r"\verbatiminput{/etc/passwd}",
]

#: The forms of the report: every place the checker keeps source text.
CHECK_FORMS = [
    r"a = \mathbb{E}[\input{/etc/passwd}]",
    r"a = \|\input{/etc/passwd}\|_2",
    r"a = \mathrm{Var}(\input{/etc/passwd})",
    r"a = \frac{\partial \input{/etc/passwd}}{\partial x}",
    r"a = y[\input{/etc/passwd}]",
    r"a = x_{\input{/etc/passwd}}",
    r"a = \csname input\endcsname{/etc/passwd}",
    r"a = ^^5cinput{/etc/passwd}",
    r"a = \operatorname{\input{/etc/passwd}}(x)",
    r"\input{/etc/passwd} = 1",
    r"a = \text{\input{/etc/passwd}}",
    r"a = \mathbb{E}[\csname input\endcsname{/etc/passwd}]",
    r"a = \sqrt{\input{/etc/passwd}}",
    r"a = \left(\input{/etc/passwd}\right)",
    r"a = f(\input{/etc/passwd})",
    r"a = 1 + \input{/etc/passwd}",
    r"a = \lVert \input{/etc/passwd} \rVert",
    r"a = \mathbb{E}[^^5cinput{/etc/passwd}]",
    r"a = \mathrm{Var}[\csname input\endcsname{/etc/passwd}]",
    r"a = \sum_{\input{/etc/passwd}} x",
]

DOC = "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n%s\n\\end{document}\n"


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("body", READS)
def test_tex_cannot_read_outside_its_directory(tmp_path, body):
    try:
        pdf = latex.build_pdf(DOC % ("Start. " + body + " End."), tmp_path, "doc", timeout=60)
    except LatexBuildError:
        return                      # refused: nothing to leak
    assert PASSWD_LINE not in pdf_text(pdf)


def test_tex_cannot_write_outside_its_directory(tmp_path):
    marker = tmp_path / "written.tex"
    body = (r"\newwrite\w \immediate\openout\w=%s \immediate\write\w{x}\immediate\closeout\w "
            r"\immediate\write18{touch %s.shell} ok" % (marker, marker))
    with pytest.raises(LatexBuildError):
        latex.build_pdf(DOC % body, tmp_path / "out", "doc", timeout=60)
    assert not marker.exists() and not Path(f"{marker}.shell").exists()


def test_a_tex_loop_is_killed_at_the_timeout(tmp_path):
    start = time.monotonic()
    with pytest.raises(LatexBuildError, match=r"LaTeX did not finish within 3 s \(killed\)"):
        latex.build_pdf(DOC % r"\def\q{\q}\q", tmp_path, "loop", timeout=3)
    assert time.monotonic() - start < 30
    assert not (tmp_path / "loop.pdf").exists()
    leftovers = subprocess.run(["pgrep", "-f", str(tmp_path)], capture_output=True, text=True).stdout
    assert leftovers == ""


@pytest.mark.parametrize("name", ["\\input{/etc/passwd}", "\\csname input\\endcsname{/etc/passwd}",
                                  "^^5cinput{/etc/passwd}", "x}\\input{/etc/passwd}\\text{", "a%b", "#1", "$x$"])
def test_the_printer_escapes_names_that_are_not_identifiers(tmp_path, name):
    math = " ".join(str(tex(e)) for e in (sp.Symbol(name), sp.Function(name)(sp.Symbol("x")),
                                           sp.MatrixSymbol(name, 2, 2), sp.IndexedBase(name)[1]))
    assert "\\input" not in math and "\\csname" not in math and "^^" not in math
    pdf = latex.build_pdf(DOC % f"${math}$", tmp_path, "names", timeout=60)
    assert PASSWD_LINE not in pdf_text(pdf)


def test_check_annotate_never_typesets_user_tex(tmp_path):
    src = tmp_path / "w.tex"
    src.write_text("\n".join(f"${form}$\n" for form in CHECK_FORMS) + "\n$x + x = 2x$\n")
    out = tmp_path / "out.pdf"
    proc = subprocess.run([sys.executable, "-m", "derive", "check", str(src), "--annotate", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert "Traceback" not in proc.stderr
    assert out.exists(), proc.stderr
    text = pdf_text(out)
    assert PASSWD_LINE not in text
    assert "passwd" in text            # the hostile steps are shown, escaped


@pytest.mark.parametrize("field, value", [
    ("statement", "Let $" + LEAKS[0].replace("\\", "\\\\") + "$ be."),
    ("statement", "Quote \\\\input{/etc/passwd} in text."),
    ("params", "mu1 = \"" + LEAKS[0].replace("\\", "\\\\").replace('"', '\\"') + "\""),
    ("params", "mu1 = \"" + LEAKS[2].replace("\\", "\\\\").replace('"', '\\"') + "\""),
    ("prose", "[[problem.prose]]\ntext = 'Here $" + LEAKS[1].replace("'", "\"") + "$.'"),
])
def test_sheet_text_never_reaches_tex_raw(tmp_path, field, value):
    body = {"statement": f'statement = "{value}"\n', "params": f"[problem.params]\n{value}\n",
            "prose": value + "\n"}[field]
    spec = tmp_path / "s.toml"
    spec.write_text("title = 'T'\n[[problem]]\nid = 'P'\ntitle = 'p'\npipeline = 'gaussian_kl'\n" + body)
    out = tmp_path / "build"
    proc = subprocess.run([sys.executable, "-m", "derive", "sheet", str(spec), "-o", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert "Traceback" not in proc.stderr
    pdf = out / "s.pdf"
    if proc.returncode != 0:
        assert proc.stderr.startswith("derive: error: ") and proc.stderr.count("\n") == 1
        assert not pdf.exists()
    else:
        assert PASSWD_LINE not in pdf_text(pdf)


def test_snippet_compile_is_confined(tmp_path):
    doc = tmp_path / "doc.tex"
    doc.write_text(DOC % r"Here: \input{/etc/passwd}")
    proc = subprocess.run([sys.executable, "-m", "derive", "snippet", "--compile", str(doc), "-o", str(tmp_path / "b")],
                          capture_output=True, text=True, timeout=600)
    assert "Traceback" not in proc.stderr
    pdf = tmp_path / "b" / "doc.pdf"
    assert not pdf.exists() or PASSWD_LINE not in pdf_text(pdf)


def test_snippet_compile_loop_is_bounded(tmp_path):
    doc = tmp_path / "loop.tex"
    doc.write_text(DOC % r"\def\q{\q}\q")
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "derive", "snippet", "--compile", str(doc), "-o", str(tmp_path / "b")],
                          capture_output=True, text=True, timeout=120, env={**__import__("os").environ,
                                                                            "DERIVE_LATEX_TIMEOUT": "3"})
    assert time.monotonic() - start < 60
    assert proc.returncode == 1
    assert proc.stderr.endswith("LaTeX did not finish within 3 s (killed)\n") and proc.stderr.count("\n") == 1
