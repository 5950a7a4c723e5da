"""examples/notebook.ipynb runs top to bottom under nbconvert and shows verified math."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_example_notebook_executes(tmp_path):
    nb = tmp_path / "notebook.ipynb"
    shutil.copy(ROOT / "examples" / "notebook.ipynb", nb)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    proc = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                           "--ExecutePreprocessor.timeout=600", "--output", "ran.ipynb", str(nb)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    cells = [c for c in json.loads((tmp_path / "ran.ipynb").read_text())["cells"] if c["cell_type"] == "code"]
    outputs = [o for c in cells for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    # cell 1: the verified derivation as MathJax, every step marked
    latex = "".join(cells[0]["outputs"][0]["data"]["text/latex"])
    assert latex.startswith("$$\\begin{aligned}") and latex.count("\\checkmark") == 15
    assert "not verified" not in latex
    # cell 2: the compact repr, then the result 2 - log(2)
    assert "".join(cells[1]["outputs"][0]["text"]).startswith("<VerifiedDerivation gaussian_kl(mu1=1, sigma1=2")
    assert "".join(cells[1]["outputs"][1]["data"]["text/plain"]) == "2 - log(2)"
    # the checker's report and verdicts
    assert "".join(cells[3]["outputs"][0]["data"]["text/plain"]) == "<Report <input>: 2 steps: 1 valid, 1 invalid>"
    verdicts = "".join(cells[4]["outputs"][0]["data"]["text/plain"])
    assert "'valid'" in verdicts and "'invalid'" in verdicts
    assert "".join(cells[5]["outputs"][0]["data"]["text/plain"]).startswith("<Verdict valid (proved)")
