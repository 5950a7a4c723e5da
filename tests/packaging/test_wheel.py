"""A built wheel, installed into a fresh venv, works from a directory outside the checkout.

This is the user's route (``pip install .``, not editable): templates and
``derive.sty`` must come from the installed package (issue 11).  PDFs are
compiled for real.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = "title = 'Installed'\n[[problem]]\nid = 'P1'\ntitle = 'KL'\npipeline = 'gaussian_kl'\nstatement = 'Compute.'\n"
REPORT = ("\\documentclass{article}\\usepackage{derive}\\begin{document}\n"
          "The divergence: \\input{kl.tex}\n\\end{document}\n")


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return proc


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    base = tmp_path_factory.mktemp("wheel")
    # Build from a copy, so the checkout gets no build/ or *.egg-info.
    src = base / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", "build", "*.egg-info", "__pycache__",
                                                             ".pytest_cache", "tests", "benchmarks"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DERIVE_PIPELINES")}
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), "."],
         src, env)
    wheels = list(dist.glob("derive-*.whl"))
    assert len(wheels) == 1
    venv_dir = base / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", str(venv_dir)], base, env)
    _run([str(venv_dir / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheels[0])],
         base, env)
    env = {**env, "PATH": f"{venv_dir / 'bin'}{os.pathsep}{env.get('PATH', '')}",
           "XDG_CACHE_HOME": str(base / "xdg")}
    return venv_dir, env


@pytest.fixture
def work(tmp_path: Path) -> Path:
    d = tmp_path / "elsewhere"
    d.mkdir()
    assert ROOT not in d.parents
    return d


def test_the_installed_package_is_the_venvs(venv, work):
    venv_dir, env = venv
    out = _run([str(venv_dir / "bin" / "python"), "-c",
                "import derive, derive.resources as r; print(derive.__file__); print(r.sty_path())"], work, env)
    module, sty = out.stdout.split()
    site = venv_dir / "lib"
    assert Path(module).is_relative_to(site) and Path(sty).is_relative_to(site) and Path(sty).is_file()
    assert _run(["derive", "texinputs"], work, env).stdout.strip() == str(Path(sty).parent)
    assert _run(["derive", "--version"], work, env).stdout == "derive 0.1.0\n"


def test_list_and_run(venv, work):
    _, env = venv
    assert "gaussian_kl" in _run(["derive", "list"], work, env).stdout
    latex = _run(["derive", "run", "gaussian_kl", "--set", "mu1=1", "--set", "sigma1=2", "--format", "latex"],
                 work, env).stdout
    assert "\\DeriveProved" in latex and "\\begin{align*}" in latex


def test_sheet_compiles_a_pdf(venv, work):
    _, env = venv
    (work / "one.toml").write_text(SPEC)
    out = _run(["derive", "sheet", "one.toml", "-o", "out"], work, env).stdout
    assert out.startswith("wrote out/one.pdf and out/one-problems.pdf (1 problems, 15 steps proved")
    text = _pdf_text(work / "out" / "one.pdf")
    assert text.startswith("Installed") and "Compute." in text and "✓" in text


def test_snippet_and_compile_a_users_document(venv, work):
    _, env = venv
    _run(["derive", "snippet", "gaussian_kl", "-o", "kl.tex"], work, env)
    (work / "report.tex").write_text(REPORT)
    out = _run(["derive", "snippet", "--compile", "report.tex", "-o", "out"], work, env).stdout
    assert out == "wrote out/report.pdf\n"
    assert "The divergence" in _pdf_text(work / "out" / "report.pdf")
    assert sorted(p.name for p in work.iterdir()) == ["kl.tex", "out", "report.tex"]


def test_check_annotate(venv, work):
    _, env = venv
    (work / "hw.tex").write_text("\\[ (a+b)^2 = a^2 + 2ab + b^2 \\]\n\\[ (a+b)^2 = a^2 + b^2 \\]\n")
    proc = subprocess.run(["derive", "check", "hw.tex", "--annotate", "marked.pdf"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr           # one invalid step
    assert proc.stdout.splitlines()[-1] == "wrote marked.pdf"
    assert "counterexample a=" in _pdf_text(work / "marked.pdf")
    assert sorted(p.name for p in work.iterdir()) == ["hw.tex", "marked.pdf"]


def test_notebook_display(venv, work):
    venv_dir, env = venv
    code = "import derive; t = derive.run('gaussian_kl')._repr_latex_(); print(t[:2], '\\\\checkmark' in t)"
    assert _run([str(venv_dir / "bin" / "python"), "-c", code], work, env).stdout == "$$ True\n"
