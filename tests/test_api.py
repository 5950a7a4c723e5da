"""The Python API in derive/__init__.py: run, sheet, check, equivalent; reprs; a light import."""
from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

import derive
from derive.errors import ParameterError, UnknownPipelineError

ROOT = Path(__file__).resolve().parent.parent


def test_run_returns_a_verified_derivation_with_the_right_result():
    vd = derive.run("gaussian_kl", mu1=1, sigma1=2)
    assert isinstance(vd, derive.VerifiedDerivation)
    # KL(N(1, 4) || N(0, 1)) = log(1/2) + (4 + 1)/2 - 1/2, computed independently
    assert math.isclose(float(vd.results["kl"]), math.log(0.5) + 2.5 - 0.5, rel_tol=1e-12)
    assert all(v.ok for part in vd.verdicts for v in part)
    assert repr(vd).startswith("<VerifiedDerivation gaussian_kl(mu1=1, sigma1=2, mu2=0, sigma2=1): 15 proved, "
                               "0 numeric; kl = 2 - log(2)")


def test_run_takes_sympy_objects_and_reports_errors_as_derive_errors():
    vd = derive.run("gaussian_kl", mu1=sp.Rational(1, 2), sigma1=sp.sqrt(2))
    kl = 0.5 * math.log(1 / 2) + (2 + 0.25) / 2 - 0.5    # log(s2/s1) + (s1^2 + mu^2)/2 - 1/2
    assert math.isclose(float(vd.results["kl"]), kl, rel_tol=1e-12)
    with pytest.raises(ParameterError, match=r"no parameter 'sigma' \(did you mean 'sigma1'\?\)"):
        derive.run("gaussian_kl", sigma=1)
    with pytest.raises(UnknownPipelineError):
        derive.run("nope")


def test_check_takes_text_or_a_path(tmp_path):
    text = "\\[ (a+b)^2 = a^2 + 2ab + b^2 \\]\n\\[ (a+b)^2 = a^2 + b^2 \\]\n"
    f = tmp_path / "hw.tex"
    f.write_text(text)
    by_text, by_path, by_str = derive.check(text), derive.check(f), derive.check(str(f))
    assert [s.verdict for s in by_text.steps] == ["valid", "invalid"]
    assert [s.verdict for s in by_path.steps] == [s.verdict for s in by_str.steps] == ["valid", "invalid"]
    assert by_path.file == str(f) and by_text.file == "<input>"
    assert repr(by_path) == f"<Report {f}: 2 steps: 1 valid, 1 invalid>"
    # derive.check is still the package
    assert derive.check.check_text is not None and callable(derive.check)


def test_check_passes_assumptions():
    report = derive.check("\\[ \\sqrt{x^2} = x \\]", assumptions=["x > 0"])
    assert [s.verdict for s in report.steps] == ["valid"]


@pytest.mark.parametrize("a, b, verdict", [
    ("x^2", "x \\cdot x", "valid"),
    ("(a+b)^2", "a^2 + b^2", "invalid"),
])
def test_equivalent(a, b, verdict):
    assert derive.equivalent(a, b).verdict == verdict


def test_sheet_builds_a_pdf_and_is_warm_the_second_time(tmp_path):
    spec = tmp_path / "one.toml"
    spec.write_text("title = 'One'\n[[problem]]\nid = 'P1'\ntitle = 'KL'\npipeline = 'gaussian_kl'\n")
    built = derive.sheet(spec, tmp_path / "out")
    assert built.pdf == tmp_path / "out" / "one.pdf" and built.pdf.stat().st_size > 1000
    assert built.counts() == {"proved": 15, "numeric": 0}
    assert repr(built).startswith(f"<SheetBuild wrote {built.pdf} and {built.pdf.with_name('one-problems.pdf')} (1 problems, 15 steps proved")
    again = derive.sheet(spec, tmp_path / "out")
    assert again.up_to_date and repr(again) == f"<SheetBuild {built.pdf} and {built.pdf.with_name('one-problems.pdf')} are up to date>"
    seeded = derive.sheet(spec, tmp_path / "out", overrides={"P1.mu1": 3, "P1.sigma1": 1})
    assert float(seeded.problems[0].derivation.results["kl"]) == pytest.approx(4.5)   # mu^2/2 when both sigmas are 1


def test_import_derive_stays_light():
    code = ("import sys, derive; heavy = [m for m in ('jinja2', 'pylatex', 'numpy', 'derive.verify', "
            "'derive.check', 'derive.pipeline', 'derive.sheet') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.stdout.strip() == "[]", out.stderr
