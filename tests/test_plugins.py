"""Plugin pipelines: ``--pipelines DIR``, ``$DERIVE_PIPELINES`` and the ``derive.pipelines`` entry points."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# A TA's pipeline: the square of a sum, and an int() that a symbol cannot pass.
PLUGIN = textwrap.dedent('''
    import sympy as sp

    from derive.domains import POSITIVE_INTEGER, REAL
    from derive.pipeline import Param, pipeline


    @pipeline("ta_square", "Square of a sum", [Param("a", REAL), Param("b", REAL, default=2),
                                              Param("n", POSITIVE_INTEGER, default=3)], results=("square", "copies"))
    def build(p):
        a, b = p.value("a"), p.value("b")
        d = p.builder()
        part = d.part("a", "Expand")
        part.eq((p.sym("a") + p.sym("b")) ** 2, p.sym("a") ** 2 + 2 * p.sym("a") * p.sym("b") + p.sym("b") ** 2,
                "expand", "binomial square")
        part.result("square", sp.Symbol("s"), p.sym("a") ** 2 + 2 * p.sym("a") * p.sym("b") + p.sym("b") ** 2)
        d.export("copies", [0] * int(p.value("n")))
        return d.build()
''')


def derive_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "derive", *args], capture_output=True, text=True,
                          env=full, cwd=cwd, timeout=300)


@pytest.fixture
def plugin_dir(tmp_path: Path) -> Path:
    d = tmp_path / "mine"
    d.mkdir()
    (d / "ta_square.py").write_text(PLUGIN)
    (d / "_helper.py").write_text("raise RuntimeError('a private module is not loaded')\n")
    return d


def test_pipelines_dir_option_runs_a_plugin(plugin_dir, tmp_path):
    proc = derive_cli("run", "ta_square", "--pipelines", str(plugin_dir), "--set", "a=1", "--format", "json",
                      cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["pipeline"] == "ta_square"
    assert [s["verdict"] for s in data["steps"]][0] == "proved"
    # (1 + 2)^2 = 9, independently
    assert data["results"]["square"]["sympy"] == "9"


def test_environment_variable_loads_the_folder_and_list_shows_it(plugin_dir, tmp_path):
    proc = derive_cli("list", "--json", env={"DERIVE_PIPELINES": str(plugin_dir)}, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = [r["name"] for r in json.loads(proc.stdout)]
    assert "ta_square" in names and "gaussian_kl" in names


def test_an_exception_inside_a_pipeline_is_one_line_naming_pipeline_and_parameter(plugin_dir, tmp_path):
    proc = derive_cli("run", "ta_square", "--pipelines", str(plugin_dir), "--set", "n=m", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr == ("derive: error: pipeline ta_square failed with n=m: TypeError: Cannot convert "
                           "symbols to int (the pipeline may not accept this value; --debug shows the traceback)\n")
    debug = derive_cli("run", "ta_square", "--pipelines", str(plugin_dir), "--set", "n=m", "--debug", cwd=tmp_path)
    assert debug.returncode == 1
    assert "Traceback (most recent call last)" in debug.stderr and "int(p.value(\"n\"))" in debug.stderr
    assert debug.stderr.splitlines()[-1].startswith("derive: error: pipeline ta_square failed with n=m")


@pytest.mark.parametrize("source, message", [
    ("import nonexistent_module_xyz\n", "ModuleNotFoundError: No module named 'nonexistent_module_xyz'"),
    ("from derive.pipeline import pipeline\n@pipeline('gaussian_kl', 'clash')\ndef f(p):\n    pass\n",
     "RuntimeError: pipeline gaussian_kl registered twice"),
])
def test_a_broken_plugin_is_one_line_naming_its_file(tmp_path, source, message):
    d = tmp_path / "bad"
    d.mkdir()
    (d / "broken.py").write_text(source)
    proc = derive_cli("list", "--pipelines", str(d), cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr == f"derive: error: {d / 'broken.py'}: {message}\n"


def test_a_missing_folder_is_an_error(tmp_path):
    proc = derive_cli("list", "--pipelines", str(tmp_path / "nope"), cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stderr == (f"derive: error: {tmp_path / 'nope'}: no such pipeline folder "
                           "(--pipelines / $DERIVE_PIPELINES)\n")


def test_an_installed_distribution_registers_through_the_entry_point_group(tmp_path):
    """A plugin package installed the way pip does it: the module plus a dist-info
    directory whose entry_points.txt names it in the group ``derive.pipelines``."""
    site = tmp_path / "site"
    pkg = site / "ta_plugin"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(PLUGIN)
    info = site / "ta_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: ta-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[derive.pipelines]\nta = ta_plugin\n")
    env = {"PYTHONPATH": os.pathsep.join([str(ROOT), str(site)])}
    proc = subprocess.run([sys.executable, "-m", "derive", "run", "ta_square", "--set", "a=x", "--set", "b=1"],
                          capture_output=True, text=True, env={**os.environ, **env}, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "[ proved] (a + b)**2 = a**2 + 2*a*b + b**2" in proc.stdout
    # The API sees it too.
    code = "import derive; print(derive.run('ta_square', a=3).results['square'])"
    api = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, **env}, cwd=tmp_path, timeout=300)
    assert api.returncode == 0, api.stderr
    assert api.stdout.strip() == "25"
