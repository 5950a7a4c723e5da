"""Several sheets in one run (``derive sheet A.toml B.toml``, ``make pdf``): one batch of
steps, each sheet's PDFs as when built alone, a failing sheet does not take the others."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from derive.batch import build_sheets
from derive.cli import main
from derive.errors import ParameterError, SpecError, UsageError

KL = ("title = '{title}'\n[[problem]]\nid = 'P1'\ntitle = 'KL'\npipeline = 'gaussian_kl'\n"
      "statement = 'Compute it.'\nparams = {{ sigma1 = {sigma1} }}\n")


def spec(tmp_path: Path, name: str, title: str, sigma1: str = "2") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(KL.format(title=title, sigma1=sigma1))
    return path


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_two_sheets_share_one_batch_and_each_gets_both_pdfs(tmp_path):
    one, two = spec(tmp_path, "one", "Sheet One"), spec(tmp_path, "two", "Sheet Two")
    first, second = build_sheets([one, two], tmp_path / "out", cache=False)
    assert [p.name for p in first.pdfs] == ["one.pdf", "one-problems.pdf"]
    assert [p.name for p in second.pdfs] == ["two.pdf", "two-problems.pdf"]
    assert "Sheet One" in pdf_text(first.pdf) and "Sheet Two" in pdf_text(second.pdf)
    assert "Problems" in pdf_text(second.pdfs[1]) and "Solutions" in pdf_text(second.pdf)
    # The same steps: verified once in the batch, the second sheet reads every verdict back.
    steps = sum(sum(len(p.steps) for p in pr.derivation.derivation.parts) for pr in second.problems)
    assert first.cached == 0 and second.cached == steps > 0
    assert first.counts() == second.counts()
    again = build_sheets([one, two], tmp_path / "out", cache=False)
    assert [b.up_to_date for b in again] == [True, True]


def test_a_failing_sheet_leaves_the_others_built_and_names_its_spec(tmp_path):
    good, bad = spec(tmp_path, "good", "Good"), spec(tmp_path, "bad", "Bad", sigma1="-1")
    out = tmp_path / "out"
    out.mkdir()
    (out / "bad.pdf").write_bytes(b"%PDF- an old build")
    with pytest.raises(ParameterError) as err:
        build_sheets([bad, good], out, cache=False)
    assert str(err.value) == f"{bad}: problem P1: gaussian_kl: sigma1=-1 is outside the domain: sigma1 > 0"
    assert (out / "good.pdf").exists() and (out / "good-problems.pdf").exists()
    assert not (out / "bad.pdf").exists()


def test_a_bad_spec_fails_before_any_work(tmp_path):
    good = spec(tmp_path, "good", "Good")
    broken = tmp_path / "broken.toml"
    broken.write_text("title = 'x'\n[[problem]]\nid = 'P1'\n")
    with pytest.raises(SpecError):
        build_sheets([good, broken], tmp_path / "out")
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_name_and_variants_take_one_spec(tmp_path, capsys):
    one, two = spec(tmp_path, "one", "One"), spec(tmp_path, "two", "Two")
    with pytest.raises(UsageError, match="^--name names one sheet: give one spec$"):
        build_sheets([one, two], tmp_path / "out", name="x")
    assert main(["sheet", str(one), str(two), "--variants", "2", "-o", str(tmp_path / "v")]) == 2
    assert capsys.readouterr().err.strip() == "derive: error: --variants builds one sheet: give one spec"


def test_the_cli_builds_several_sheets_with_one_summary_each(tmp_path, capsys):
    one, two = spec(tmp_path, "one", "One"), spec(tmp_path, "two", "Two")
    assert main(["sheet", str(one), str(two), "-o", str(tmp_path / "out")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" (")[0] for line in lines] == [
        f"wrote {tmp_path / 'out' / 'one.pdf'} and {tmp_path / 'out' / 'one-problems.pdf'}",
        f"wrote {tmp_path / 'out' / 'two.pdf'} and {tmp_path / 'out' / 'two-problems.pdf'}"]
