"""``derive check --to-spec``: a checked document becomes a sheet problem that builds."""
from __future__ import annotations

from pathlib import Path

import pytest

from derive import cli
from derive import sheet as sh
from derive.check.judge import check_source
from derive.errors import InvalidStepError
from derive.tospec import problem_table
from derive.verify import Verifier

WORK = r"""% derive: assume x > 0
% derive: given y = 2 x
\begin{align*}
f &= (x + 1)^2 - (x - 1)^2 \\
  &= 4 x
\end{align*}
and
\[ \log(y^2) = 2 \log(2 x) \]
"""


def test_checked_document_becomes_a_problem_that_verifies(tmp_path: Path, verifier: Verifier) -> None:
    src = tmp_path / "work.tex"
    src.write_text(WORK)
    out = tmp_path / "work.toml"
    assert cli.main(["check", str(src), "--to-spec", str(out)]) == 0
    text = out.read_text()
    assert text == ('title = "Problems from checked work"\n\n[[problem]]\nid = "P1"\ntitle = "work"\n'
                    "assume = ['x > 0']\ngiven = ['y = 2 x']\nsteps = '''\n"
                    "f &= (x + 1)^2 - (x - 1)^2 \\\\\n  &= 4 x \\\\\n \\log(y^2) = 2 \\log(2 x)\n'''\n")
    problems = sh.verify_problems(sh.derive_problems(sh.load_spec(out)), verifier)
    assert [v.status for v in problems[0].derivation.verdicts[0]] == ["proved"] * 3


def test_a_document_with_a_wrong_step_is_refused(verifier: Verifier) -> None:
    src = WORK.replace("&= 4 x", "&= 4 x^2")
    report = check_source(src, "bad.tex", verifier=verifier)
    with pytest.raises(InvalidStepError, match=r"^bad\.tex, line 5: a step is invalid; --to-spec needs every step valid$"):
        problem_table(report, src)
