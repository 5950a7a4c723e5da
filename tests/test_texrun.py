"""TeX passes and preamble formats: as many passes as the document needs, and a format
that gives the same PDF as the full preamble.  Every case compiles for real."""
from __future__ import annotations

import subprocess

import pytest

import derive.texrun as texrun
from derive.latex import DUMP_MARK, build_pdf

PLAIN = r"""\documentclass{article}
\usepackage{amsmath}
\usepackage[hidelinks]{hyperref}
\begin{document}
\section*{Alpha} Text $x^2$.
\end{document}
"""
XREF = r"""\documentclass{article}
\begin{document}
See section~\ref{s:two} on page~\pageref{s:two}.
\section{One} a
\section{Two}\label{s:two} b
\end{document}
"""
TOC = r"""\documentclass{article}
\usepackage{hyperref}
\begin{document}
\tableofcontents
\section{Zebra} a
\section{Yak} b
\end{document}
"""
MARKED = r"""\documentclass{article}
\usepackage{amsmath}
\usepackage{derive}
\usepackage[hidelinks]{hyperref}
%s
\title{TITLE}
\date{}
\begin{document}
\maketitle
Body $\frac{a}{b}$ \DeriveProved
\end{document}
""" % DUMP_MARK


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def runs(monkeypatch):
    """Every TeX command run, in order."""
    seen: list[list[str]] = []
    real = texrun.run_tex

    def spy(cmd, cwd, timeout):
        seen.append(list(cmd))
        return real(cmd, cwd, timeout)

    monkeypatch.setattr(texrun, "run_tex", spy)
    return seen


def passes(seen) -> int:
    return sum(1 for cmd in seen if "-ini" not in cmd)


def test_a_document_without_cross_references_takes_one_pass(tmp_path, runs):
    pdf = build_pdf(PLAIN, tmp_path, "plain")
    assert passes(runs) == 1 and not any("-ini" in c for c in runs)     # no mark: no format
    # The same text as two plain pdflatex passes (what latexmk runs) give.
    ref = tmp_path / "ref"
    ref.mkdir()
    (ref / "plain.tex").write_text(PLAIN)
    for _ in range(2):
        subprocess.run(["pdflatex", "-interaction=nonstopmode", "plain.tex"], cwd=ref, capture_output=True,
                       check=True)
    assert pdf_text(pdf) == pdf_text(ref / "plain.pdf")


@pytest.mark.parametrize("doc, name, expected, absent", [
    (XREF, "xref", "See section 2 on page 1.", "??"),
    (TOC, "toc", "1 Zebra", None),
])
def test_cross_references_get_as_many_passes_as_they_need(tmp_path, runs, doc, name, expected, absent):
    text = pdf_text(build_pdf(doc, tmp_path, name))
    assert expected in text
    assert absent is None or absent not in text
    assert 2 <= passes(runs) <= texrun.MAX_PASSES


def test_a_marked_preamble_is_compiled_once_into_a_format(tmp_path, runs):
    first = build_pdf(MARKED.replace("TITLE", "First sheet"), tmp_path, "one")
    second = build_pdf(MARKED.replace("TITLE", "Second sheet"), tmp_path, "two")
    assert [c for c in runs if "-ini" in c] == [runs[0]]          # one format, built once
    assert all("-fmt=derive-preamble" in c for c in runs[1:]) and passes(runs) == 2
    assert len(list((tmp_path / ".cache" / "tex").glob("*.fmt"))) == 1
    assert "First sheet" in pdf_text(first) and "Second sheet" in pdf_text(second)
    # What follows the mark is not in the format: the title is this document's own.
    assert "Second sheet" not in pdf_text(first)


def test_a_format_gives_the_pdf_the_full_preamble_gives(tmp_path):
    doc = MARKED.replace("TITLE", "Same")
    with_format = pdf_text(build_pdf(doc, tmp_path / "a", "doc"))
    without = pdf_text(build_pdf(doc.replace(DUMP_MARK, ""), tmp_path / "b", "doc"))
    assert with_format == without and "Same" in with_format
    assert not (tmp_path / "b" / ".cache").exists()


def test_another_preamble_gets_another_format(tmp_path, runs):
    build_pdf(MARKED.replace("TITLE", "A"), tmp_path, "a")
    build_pdf(MARKED.replace("TITLE", "B").replace(r"\usepackage{amsmath}", r"\usepackage{amssymb}"), tmp_path, "b")
    assert sum(1 for c in runs if "-ini" in c) == 2
    assert len(list((tmp_path / ".cache" / "tex").glob("*.fmt"))) == 2


def test_a_broken_cached_format_falls_back_to_the_full_preamble(tmp_path, runs):
    build_pdf(MARKED.replace("TITLE", "A"), tmp_path, "a")
    (fmt,) = (tmp_path / ".cache" / "tex").glob("*.fmt")
    fmt.write_bytes(b"not a format")
    pdf = build_pdf(MARKED.replace("TITLE", "Recovered"), tmp_path, "b")
    assert "Recovered" in pdf_text(pdf)
    assert not any("-fmt=derive-preamble" in c for c in runs[-1:])     # the last pass ran without it


def test_a_preamble_error_is_reported_with_or_without_a_format(tmp_path):
    from derive.errors import LatexBuildError

    bad = MARKED.replace(r"\usepackage{amsmath}", r"\usepackage{amsmath}\undefinedinpreamble")
    with pytest.raises(LatexBuildError, match="Undefined control sequence"):
        build_pdf(bad, tmp_path, "bad")
    assert not (tmp_path / "bad.pdf").exists()
