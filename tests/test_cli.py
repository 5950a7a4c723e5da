"""The CLI: outputs, exit codes and exact error lines (never a traceback)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from derive.cli import main


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_names_every_registered_pipeline(capsys):
    from derive.pipeline import load_all

    code, out, _ = run_cli(capsys, "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert {r["name"] for r in rows} == set(load_all())
    kl = next(r for r in rows if r["name"] == "gaussian_kl")
    assert [p["name"] for p in kl["params"]] == ["mu1", "sigma1", "mu2", "sigma2"]
    assert kl["results"] == ["kl"]


def test_list_text_has_one_line_per_pipeline(capsys):
    from derive.pipeline import load_all

    code, out, _ = run_cli(capsys, "list")
    assert code == 0
    assert len(out.strip().splitlines()) == len(load_all())
    assert any(line.startswith("gaussian_kl") and "[mu1, sigma1, mu2, sigma2]" in line for line in out.splitlines())


def test_run_gaussian_kl_json_prints_the_exact_kl(capsys):
    code, out, _ = run_cli(capsys, "run", "gaussian_kl", "--set", "mu1=1", "--set", "sigma1=2", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"pipeline", "title", "params", "assumptions", "steps", "results"}
    assert data["pipeline"] == "gaussian_kl"
    assert data["params"] == {"mu1": "1", "sigma1": "2", "mu2": "0", "sigma2": "1"}
    kl = sp.sympify(data["results"]["kl"]["sympy"])
    # Hand computation: log(1/2) + (4 + 1)/2 - 1/2 = 2 - log 2.
    assert sp.simplify(kl - (2 - sp.log(2))) == 0
    assert all(s["verdict"] in ("proved", "numeric") for s in data["steps"])
    assert {"relation", "latex", "justification", "verdict", "method"} <= set(data["steps"][0])


def test_run_text_reports_verdicts(capsys):
    code, out, _ = run_cli(capsys, "run", "gaussian_kl")
    assert code == 0
    assert out.splitlines()[0] == "KL divergence between Gaussians"
    assert out.strip().splitlines()[-1].endswith("proved, 0 numeric")


def test_run_latex_format_is_an_align_fragment(capsys):
    code, out, _ = run_cli(capsys, "run", "gaussian_kl", "--format", "latex")
    assert code == 0
    assert r"\begin{align*}" in out and r"\DeriveProved" in out and r"\DeriveBoxed{" in out


@pytest.mark.parametrize(
    "argv, code, line",
    [
        (["run", "nope"], 2, "derive: error: unknown pipeline 'nope' (try 'derive list')"),
        (["run", "gaussian_kl", "--set", "mu1"], 2, "derive: error: --set mu1: expected KEY=VALUE"),
        (["run", "gaussian_kl", "--set", "tau=1"], 2,
         "derive: error: pipeline gaussian_kl has no parameter 'tau' (parameters: mu1, sigma1, mu2, sigma2)"),
        (["run", "gaussian_kl", "--set", "sigma1=-1"], 2,
         "derive: error: gaussian_kl: sigma1=-1 is outside the domain: sigma1 > 0"),
        (["run", "gaussian_kl", "--set", "mu1=(("], 2,
         "derive: error: gaussian_kl: mu1=((: cannot parse '((' as a number or expression"),
        (["run", "gaussian_kl", "--set", "mu1=10**10**10**10"], 2,
         "derive: error: gaussian_kl: mu1=10**10**10**10: too large: the power 10^10000000000 (about 10^2e+10)"),
        (["run", "gaussian_kl", "--set", "mu1=1/0"], 2, "derive: error: gaussian_kl: mu1=1/0: value is not finite"),
        (["run", "gaussian_kl", "--format", "pdf"], 2,
         "derive: error: argument --format: invalid choice: 'pdf' (choose from 'text', 'latex', 'json')"),
        (["frobnicate"], 2,
         "derive: error: unknown command 'frobnicate' (commands: list, run, sheet, snippet, check, "),
        (["sheet", "proofs/missing.toml"], 2, "derive: error: proofs/missing.toml: no such sheet spec"),
    ],
)
def test_bad_input_gets_one_error_line_and_an_exit_code(capsys, argv, code, line):
    got, out, err = run_cli(capsys, *argv)
    assert got == code
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(line)


@pytest.mark.parametrize(
    "text, line",
    [
        ("title = \n", "not valid TOML"),
        ("title = 'x'\n", "a sheet needs at least one [[problem]]"),
        ("title = 'x'\n[[problem]]\nid = 'P'\ntitle = 't'\npipeline = 'nope'\n", "problem P: unknown pipeline 'nope'"),
        ("title = 'x'\n[[problem]]\nid = 'P'\ntitle = 't'\npipeline = 'gaussian_kl'\n[problem.params]\nzeta = 1\n",
         "problem P: pipeline gaussian_kl has no parameter 'zeta'"),
        ("title = 'x'\n[[problem]]\ntitle = 't'\npipeline = 'gaussian_kl'\n", "problem 1: missing 'id'"),
    ],
)
def test_malformed_sheet_specs(capsys, tmp_path, text, line):
    spec = tmp_path / "bad.toml"
    spec.write_text(text)
    code, _, err = run_cli(capsys, "sheet", str(spec), "-o", str(tmp_path / "out"))
    assert code == 2
    assert err.startswith(f"derive: error: {spec}: ") and line in err
    assert err.count("\n") == 1
    assert not (tmp_path / "out" / "bad.pdf").exists()


def test_out_of_domain_value_in_a_sheet_override(capsys, tmp_path):
    code, _, err = run_cli(capsys, "sheet", "proofs/core.toml", "-o", str(tmp_path), "--set", "A6.sigma2=0")
    assert code == 2
    assert err == "derive: error: problem A6: gaussian_kl: sigma2=0 is outside the domain: sigma2 > 0\n"


def test_sheet_override_must_name_a_problem(capsys, tmp_path):
    code, _, err = run_cli(capsys, "sheet", "proofs/core.toml", "-o", str(tmp_path), "--set", "Z9.mu1=1")
    assert (code, err) == (2, "derive: error: --set Z9.mu1=1: the sheet has no problem 'Z9'\n")


def test_module_entry_point_has_no_traceback():
    proc = subprocess.run([sys.executable, "-m", "derive", "run", "gaussian_kl", "--set", "sigma1=abc+"],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    assert proc.returncode == 2
    assert proc.stderr == "derive: error: gaussian_kl: sigma1=abc+: cannot parse 'abc+' as a number or expression\n"
    assert "Traceback" not in proc.stderr
