"""Snippets: content checked against the pipelines' results, every style, the CLI,
the example report compiled for real, and the notebook display."""
from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from latex2sympy2_extended import latex2sympy
from scipy import integrate

from derive import pipeline as pl
from derive.cli import main
from derive.errors import LatexBuildError
from derive.printer import tex, tex_lines
from derive.snippet import (STYLES, boxed_results, compile_document, file_name, notebook_latex,
                            snippet_text, write_snippets, Source)

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "examples" / "report" / "report.tex"
DEFINE = re.compile(r"^\\DeriveDefineResult\{([^}]*)\}\{([^}]*)\}\{(.*)\}%$", re.M)


def defines(text: str) -> dict[tuple[str, str], str]:
    return {(m[1], m[2]): m[3] for m in DEFINE.finditer(text)}


def body(text: str) -> str:
    """The snippet without its comment header and result definitions."""
    return "\n".join(l for l in text.splitlines() if not l.startswith(("%", r"\DeriveDefineResult")))


def scipy_kl(mu1: float, s1: float, mu2: float, s2: float) -> float:
    def integrand(x: float) -> float:
        lp = -((x - mu1) ** 2) / (2 * s1**2) - math.log(math.sqrt(2 * math.pi) * s1)
        lq = -((x - mu2) ** 2) / (2 * s2**2) - math.log(math.sqrt(2 * math.pi) * s2)
        return math.exp(lp) * (lp - lq)

    return integrate.quad(integrand, -np.inf, np.inf, epsabs=1e-12)[0]


def parse(latex: str) -> sp.Expr:
    # latex2sympy reads \log as base 10; the printer's \log is the natural log.
    return latex2sympy(latex.replace(r"\log", r"\ln"))


@pytest.fixture(scope="module")
def kl_default(derive_run):
    return derive_run("gaussian_kl")


# --------------------------------------------------------------------------- #
# Content against the pipeline's results
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("mu1, sigma1, mu2, sigma2", [(1, 2, 0, 1), ("-1/2", "3/2", 1, 2), (3, "1/4", -2, 3)])
def test_result_macro_is_the_verified_value_and_matches_quadrature(derive_run, mu1, sigma1, mu2, sigma2):
    vd = derive_run("gaussian_kl", mu1=mu1, sigma1=sigma1, mu2=mu2, sigma2=sigma2)
    text = snippet_text(vd, "align")
    macro = defines(text)[("gaussian_kl", "kl")]
    assert macro == str(tex(vd.results["kl"]))
    # Independently: read the macro's LaTeX back and compare with scipy quadrature.
    args = [float(sp.sympify(v)) for v in (mu1, sigma1, mu2, sigma2)]
    assert float(parse(macro)) == pytest.approx(scipy_kl(*args), rel=1e-8, abs=1e-10)


def test_symbolic_result_macros_equal_the_hand_formula(kl_default):
    found = defines(snippet_text(kl_default, "compact"))
    assert set(found) == {("gaussian_kl", "kl"), ("gaussian_kl", "kl_standard")}
    rng = np.random.default_rng(1)
    for key in ("kl", "kl_standard"):
        e = parse(found[("gaussian_kl", key)])
        syms = {s.name: s for s in e.free_symbols}
        assert set(syms) == {"mu", "sigma"}
        for m, s in zip(rng.normal(size=3), rng.uniform(0.2, 3, size=3)):
            value = float(e.subs({syms["mu"]: m, syms["sigma"]: s}))
            assert value == pytest.approx((m**2 + s**2 - math.log(s**2) - 1) / 2, rel=1e-12)
            assert value == pytest.approx(scipy_kl(m, s, 0, 1), rel=1e-7, abs=1e-9)


def test_align_shows_every_step_with_its_justification_and_mark(kl_default):
    text = snippet_text(kl_default, "align")
    steps = kl_default.derivation.steps()
    shown = body(text)
    assert shown.count(r"\tag*{\DeriveWhy{") == len(steps)
    for s in steps:
        # A long sum is broken across display lines; every line is shown.
        assert all(str(line) in shown for line in tex_lines(s.rhs))
    marks = shown.count(r"~\DeriveProved}") + shown.count(r"~\DeriveNumeric}")
    assert marks == len(steps)
    summary = kl_default.summary()
    assert f"% verdicts: {len(steps)} steps, {summary['proved']} proved symbolically, " \
           f"{summary['numeric']} checked numerically (probable, not proved)" in text
    assert "mpmath quadrature" in shown          # the cross-check table


def test_compact_drops_justifications_and_evidence(kl_default):
    text = body(snippet_text(kl_default, "compact"))
    assert r"\DeriveWhy" not in text and r"\toprule" not in text
    assert text.count(r"\tag*{\DeriveProved}") + text.count(r"\tag*{\DeriveNumeric}") == len(kl_default.derivation.steps())
    assert text.count(r"\DeriveBoxed{") == sum(len(p.results) for p in kl_default.derivation.parts)


def test_result_style_is_one_equation_with_the_instance_values(derive_run):
    vd = derive_run("gaussian_kl", mu1=1, sigma1=2)
    text = body(snippet_text(vd, "result"))
    assert text.count(r"\begin{equation*}") == 1 and r"\begin{align" not in text
    r = boxed_results(vd)["kl"]
    assert f"{tex(r.label)} = {tex(vd.results['kl'])}" in text
    # Shown alone, the instance needs its values: mu1 = 1, sigma1 = 2, mu2 = 0, sigma2 = 1.
    assert r"\qquad\text{at } \mu_{1} = 1,\ \sigma_{1} = 2,\ \mu_{2} = 0,\ \sigma_{2} = 1 \tag*" in text
    mark = r"\DeriveNumeric" if vd.summary()["numeric"] else r"\DeriveProved"
    assert text.endswith(rf"\tag*{{{mark}}}" + "\n" + r"\end{equation*}%")


def test_inline_style_fits_in_a_sentence(kl_default):
    text = snippet_text(kl_default, "inline", key="kl_standard")
    assert "\n\n" not in text                                   # no paragraph break
    assert all(l.startswith("%") or l.endswith("%") for l in text.splitlines())  # no stray space
    value = tex(kl_default.results["kl_standard"])
    assert body(text).startswith(r"\( ") and f"= {value} \\)" in body(text)
    assert r"\text{at }" not in body(text)       # kl_standard's label uses no parameter


def test_result_name_and_key_options(kl_default):
    text = snippet_text(kl_default, "result", name="prior", key="kl_standard")
    assert ("prior", "kl_standard") in defines(text)
    assert r"% results: \DeriveResult{prior}{kl}, \DeriveResult{prior}{kl_standard}" in text


@pytest.mark.parametrize("kwargs, message", [
    ({"style": "fancy"}, "unknown snippet style 'fancy' (styles: align, compact, result, inline)"),
    ({"style": "result", "key": "nope"}, "pipeline gaussian_kl has no boxed result 'nope' (results: kl, kl_standard)"),
    ({"name": "my kl"}, "snippet name 'my kl' may use only letters, digits, '_', '.' and '-'"),
])
def test_bad_snippet_arguments(kl_default, kwargs, message):
    from derive.errors import UsageError

    with pytest.raises(UsageError) as exc:
        snippet_text(kl_default, **kwargs)
    assert str(exc.value) == message


def test_only_verified_derivations_render():
    with pytest.raises(TypeError, match="only from verified derivations"):
        snippet_text(pl.run("gaussian_kl"), "align")


@pytest.mark.parametrize("name", sorted(pl.load_all()))
def test_every_registered_pipeline_renders_every_style(derive_run, name):
    vd = derive_run(name)
    boxed = boxed_results(vd)
    for style in STYLES:
        text = snippet_text(vd, style)
        assert text.startswith("% derive snippet (")
        assert f"% pipeline: {name} (" in text
        # Each result macro is exactly the printer's LaTeX of the verified result.
        assert defines(text) == {(name, k): str(tex(r.value)) for k, r in boxed.items()}
        assert "\n\n" not in text.split(r"\DeriveDefineResult")[0]


# --------------------------------------------------------------------------- #
# The command
# --------------------------------------------------------------------------- #

@pytest.fixture
def shared_verifier(monkeypatch, verifier):
    """Let the command use the session's warm verifier instead of starting its own."""
    import contextlib

    import derive.cli

    monkeypatch.setattr(derive.cli, "_verifier", lambda config: contextlib.nullcontext(verifier))


def test_cli_writes_one_snippet(tmp_path, capsys, shared_verifier):
    out = tmp_path / "kl.tex"
    assert main(["snippet", "gaussian_kl", "--set", "mu1=1", "--style", "compact", "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    text = out.read_text()
    assert "%     derive snippet gaussian_kl --set mu1=1 --style compact" in text
    assert "% parameters: mu1 = 1, sigma1 = sigma, mu2 = 0, sigma2 = 1" in text


def test_cli_all_over_a_sheet_names_snippets_by_problem(tmp_path, capsys, shared_verifier):
    spec = tmp_path / "mine.toml"
    spec.write_text('title = "t"\n'
                    '[[problem]]\nid = "P1"\ntitle = "one"\npipeline = "gaussian_kl"\n'
                    '[problem.params]\nmu1 = 1\nsigma1 = 2\n'
                    '[[problem]]\nid = "P2"\ntitle = "two"\npipeline = "gaussian_kl"\n')
    out = tmp_path / "snippets"
    assert main(["snippet", "--all", "--sheet", str(spec), "--set", "P2.mu2=3", "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote 8 snippets (2 derivations x 4 styles) to {out}\n"
    assert sorted(p.name for p in out.glob("*.tex")) == [
        "P1-compact.tex", "P1-inline.tex", "P1-result.tex", "P1.tex",
        "P2-compact.tex", "P2-inline.tex", "P2-result.tex", "P2.tex"]
    p1 = parse(defines((out / "P1.tex").read_text())[("P1", "kl")])
    assert float(p1) == pytest.approx(scipy_kl(1, 2, 0, 1), rel=1e-8)
    assert "% parameters: mu1 = mu, sigma1 = sigma, mu2 = 3, sigma2 = 1" in (out / "P2-inline.tex").read_text()


@pytest.mark.parametrize("argv, message", [
    (["snippet"], "give a pipeline NAME, --all or --compile"),
    (["snippet", "--all"], "--all needs -o DIR"),
    (["snippet", "gaussian_kl", "--all", "-o", "x"], "give a pipeline NAME or --all, not both"),
    (["snippet", "gaussian_kl", "--sheet", "proofs/core.toml"], "--sheet needs --all"),
    (["snippet", "--all", "-o", "x", "--set", "mu1=1"],
     "--set applies to one pipeline; with --all --sheet write PROBLEM.PARAM=VALUE"),
    (["snippet", "--all", "-o", "x", "--key", "kl"], "--key and --as apply to a single snippet, not to --all"),
    (["snippet", "nope"], "unknown pipeline 'nope' (try 'derive list')"),
    (["snippet", "gaussian_kl", "--style", "fancy"],
     "argument --style: invalid choice: 'fancy' (choose from 'align', 'compact', 'result', 'inline')"),
    (["snippet", "--compile", "missing.tex"], "missing.tex: no such LaTeX document"),
])
def test_cli_usage_errors(argv, message, capsys):
    assert main(argv) == 2
    assert capsys.readouterr().err == f"derive: error: {message}\n"


# --------------------------------------------------------------------------- #
# The example report, compiled for real
# --------------------------------------------------------------------------- #

def report_inputs() -> list[str]:
    return re.findall(r"\\input\{build/snippets/([^}]+)\.tex\}", REPORT.read_text())


def test_report_compiles_with_its_snippets_and_quotes_results(tmp_path, derive_run):
    names = report_inputs()
    assert {n.rsplit("-", 1)[-1] if "-" in n else "align" for n in names} >= {"align", "compact", "result", "inline"}
    sources = {n.split("-", 1)[0] for n in names}
    snippets = tmp_path / "build" / "snippets"
    vds = {s: derive_run(s) for s in sources}
    write_snippets([Source(s, vd, f"derive snippet {s}") for s, vd in vds.items()], snippets, STYLES)
    pdf = compile_document(REPORT, tmp_path / "out", root=tmp_path)
    assert pdf == tmp_path / "out" / "report.pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert overfull_boxes((tmp_path / "out" / "report.log").read_text(errors="replace")) == []
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "??" not in text                      # every \DeriveResult was defined
    assert "Newton" in text and "convolution layer" in text
    # Each quoted result is defined by an input snippet, as the LaTeX of the catalogue's answer
    # (written out by hand here, not by the printer that made the snippet).
    expected = {
        ("gaussian_kl", "kl_standard"):
            r"\frac{\mu^{2}}{2} + \frac{\sigma^{2}}{2} - \frac{\log{\left(\sigma^{2} \right)}}{2} - \frac{1}{2}",
        ("newton_schulz_cost", "gram"): r"2 c d_{\mathrm{in}}^{2} d_{\mathrm{out}}",
        ("newton_schulz_cost", "naive"): r"2 c d_{\mathrm{in}} d_{\mathrm{out}}^{2}",
    }
    quoted = set(re.findall(r"\\DeriveResult\{([^}]+)\}\{([^}]+)\}", REPORT.read_text()))
    assert quoted == set(expected)
    for name, key in quoted:
        found = defines((snippets / file_name(name, "align")).read_text())
        assert found[(name, key)] == expected[(name, key)]


def overfull_boxes(log: str, limit: float = 1.0) -> list[str]:
    """``Overfull \\hbox (X pt too wide)`` lines of a LaTeX log with X above ``limit``."""
    return [m.group(0) for m in re.finditer(r"Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\)[^\n]*", log)
            if float(m.group(1)) > limit]


def test_every_snippet_typesets_without_overfull_lines(tmp_path, derive_run):
    """Every pipeline's default derivation in every style, input into one article."""
    from derive.pipeline import load_all

    names = sorted(load_all())
    snippets = tmp_path / "build" / "snippets"
    write_snippets([Source(n, derive_run(n), f"derive snippet {n}") for n in names], snippets, STYLES)
    body = "\n".join(f"\\section*{{{n.replace('_', ' ')}}}\n" + "\n".join(
        (f"Inline: \\input{{build/snippets/{file_name(n, s)}}}.\n" if s == "inline"
         else f"\\input{{build/snippets/{file_name(n, s)}}}\n") for s in STYLES) for n in names)
    doc = tmp_path / "all.tex"
    doc.write_text("\\documentclass[11pt]{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{lmodern}\n"
                   "\\usepackage[a4paper, margin=2cm]{geometry}\n\\usepackage{pgfplots}\n\\pgfplotsset{compat=1.16}\n"
                   "\\usepackage{derive}\n\\begin{document}\n" + body + "\\end{document}\n")
    compile_document(doc, tmp_path / "out", root=tmp_path)
    assert overfull_boxes((tmp_path / "out" / "all.log").read_text(errors="replace")) == []


def test_failed_document_build_leaves_no_pdf(tmp_path):
    doc = tmp_path / "doc.tex"
    doc.write_text("\\documentclass{article}\n\\usepackage{derive}\n\\begin{document}\n"
                   "\\input{build/snippets/absent.tex}\n\\end{document}\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "doc.pdf").write_bytes(b"%PDF stale")
    with pytest.raises(LatexBuildError, match="LaTeX failed"):
        compile_document(doc, out, root=tmp_path)
    assert not (out / "doc.pdf").exists()


def test_quoting_an_undefined_result_warns_and_marks_it(tmp_path):
    doc = tmp_path / "doc.tex"
    doc.write_text("\\documentclass{article}\n\\usepackage{derive}\n\\begin{document}\n"
                   "Value \\DeriveResult{nothing}{here}.\n\\end{document}\n")
    pdf = compile_document(doc, tmp_path / "out", root=tmp_path)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Value ??." in text


# --------------------------------------------------------------------------- #
# Jupyter
# --------------------------------------------------------------------------- #

def test_repr_latex_is_plain_mathjax(kl_default):
    out = kl_default._repr_latex_()
    assert out == notebook_latex(kl_default)
    assert out.startswith("$$\\begin{aligned}") and out.rstrip().endswith("\\end{aligned}$$")
    assert "\\Derive" not in out and "\\tag" not in out and "not verified" not in out
    assert out.count("\\checkmark") + out.count("\\text{(numeric)}") == len(kl_default.derivation.steps())
    assert str(tex(kl_default.results["kl_standard"])) in out
    assert out.count("{") == out.count("}")


@pytest.mark.parametrize("latex, width", [
    (r"\left\| x \right\|_{2}", 6),                  # |x|_2 and the bars
    (r"\sqrt{d_{\mathrm{in}}}", 4),                 # the root sign, d, i, n
    (r"\alpha + \beta", 3),
    (r"a\, dx", 3),
    (r"\frac{\sigma_{1}^{2} + 1}{2 \sigma_{2}^{2}}", 5),   # the wider of sigma12+1 and 2sigma22
])
def test_math_width_counts_printed_symbols(latex, width):
    from derive.notebook import math_width

    assert math_width(latex) == width


def test_notebook_rows_fit_the_width(kl_default):
    """Long sums continue on ``\\quad`` lines and wide rows take their justification
    below; nothing is lost (every step keeps exactly one mark) and headings wrap."""
    from derive.notebook import NOTEBOOK_WIDTH, math_width

    out = kl_default._repr_latex_()
    lines = out.splitlines()
    assert [l for l in lines if l.startswith("&\\quad ")], "the long sums of gaussian_kl are broken"
    below = [l for l in lines if l.startswith("&\\qquad\\text{")]
    assert below and all(l.endswith("\\checkmark\\\\") for l in below)
    for line in lines:
        if "\\qquad\\text{" in line and "matrix" not in line and "cases" not in line:
            math, rule = line.rsplit("\\qquad", 1)
            assert math_width(math) + len(rule) - 10 <= NOTEBOOK_WIDTH + 8, line
    heading = [l for l in lines if l.startswith("&\\text{(b)")]
    assert heading and all(len(l) <= NOTEBOOK_WIDTH + 12 for l in lines if l.startswith("&\\text{"))


def test_unverified_derivation_says_so_and_has_no_marks():
    out = pl.run("gaussian_kl")._repr_latex_()
    assert "\\text{(not verified yet)}" in out and "\\checkmark" not in out
    assert out.startswith("$$\\begin{aligned}")


def test_import_derive_stays_light():
    code = "import sys, derive; print(sorted(m for m in ('jinja2', 'pylatex', 'derive.snippet', 'derive.render') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"



# --------------------------------------------------------------------------- #
# derive check reads snippets back
# --------------------------------------------------------------------------- #

@pytest.mark.parametrize("name, params", [
    ("newton_schulz_cost", {}), ("newton_schulz_cost", {"d_in": 3}), ("conv_layer", {}),
    ("receptive_field", {"L": 4}), ("cnn_table", {}),
])
def test_derive_check_reads_result_snippets_without_invalid_or_unparsed_steps(derive_run, name, params):
    from derive.check import check_text

    report = check_text(snippet_text(derive_run(name, **params), "result"), name=f"{name}-result.tex")
    assert report.steps
    assert [s for s in report.steps if s.verdict in ("invalid", "unparsed")] == []


def test_snippet_header_declares_the_domains_for_derive_check(kl_default):
    text = snippet_text(kl_default, "result")
    for line in (r"% derive: assume 0 < \sigma", r"% derive: assume 0 < \sigma_{1}", r"% derive: assume 0 < \sigma_{2}"):
        assert line + "\n" in text
    assert r"% derive: assume 0 < \mu" not in text        # means are real: no assumption


def test_every_snippet_of_every_pipeline_passes_derive_check(tmp_path, capsys):
    """Issue 5: snippets pass `derive check` with no invalid or unparsed step."""
    from derive.pipeline import load_all

    assert main(["snippet", "--all", "-o", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["check", str(tmp_path), "--json", "--jobs", "2"]) == 0
    reports = json.loads(capsys.readouterr().out)
    assert len(reports) == 4 * len(load_all())          # every pipeline, every style
    for report in reports:
        summary = report["summary"]
        assert (summary["invalid"], summary["unparsed"]) == (0, 0), report["file"]
        assert summary["valid"] + summary["given"] + summary["unknown"] == len(report["steps"])
