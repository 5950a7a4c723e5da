"""Batch checking: ``--jobs N`` (process pool) and ``--scheduler`` (a real Dask LocalCluster).

Each run mixes a correct file, a file with a slip and an unreadable file: the
verdicts must be the ones a sequential run gives, and the bad file must be
reported on one line without stopping the others.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from derive.cli import main

FILES = {
    "a_ok.tex": "\\begin{align}\n(a+b)^2 &= a^2 + 2ab + b^2\\\\\n&= a^2 + 2ba + b^2\n\\end{align}\n",
    "b_slip.tex": "\\[ \\frac{x d_{in}}{d_{out}} = x \\]\n% derive: assume d_{in} > 0, d_{out} > 0\n",
    "c_sum.tex": "\\[ \\sum_{i=1}^{n} i = \\frac{n(n+1)}{2} \\]\n",
}


def _write(tmp_path: Path) -> list[str]:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "d_binary.tex").write_bytes(b"\x00\xff\x00")
    return [str(tmp_path / n) for n in sorted([*FILES, "d_binary.tex"])]


def _verdicts(out: str) -> dict[str, list[str]]:
    return {Path(r["file"]).name: [s["verdict"] for s in r["steps"]] for r in json.loads(out)}


EXPECTED = {"a_ok.tex": ["valid", "valid"], "b_slip.tex": ["invalid"], "c_sum.tex": ["valid"]}


@pytest.mark.parametrize("extra", [["--jobs", "3"], ["--jobs", "1"]], ids=["pool", "inline"])
def test_jobs(tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]) -> None:
    paths = _write(tmp_path)
    assert main(["check", *paths, "--json", *extra]) == 2      # the unreadable file wins
    captured = capsys.readouterr()
    assert _verdicts(captured.out) == EXPECTED
    assert captured.err.splitlines() == [f"derive: error: {paths[-1]}: not a text file (binary data)"]


def test_directory_with_jobs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    assert main(["check", str(tmp_path), "--json", "--jobs", "2"]) == 1
    assert _verdicts(capsys.readouterr().out) == EXPECTED


def test_dask_local_cluster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    distributed = pytest.importorskip("distributed")
    paths = _write(tmp_path)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        code = main(["check", *paths, "--json", "--scheduler", cluster.scheduler_address])
    captured = capsys.readouterr()
    assert code == 2
    assert _verdicts(captured.out) == EXPECTED
    assert captured.err.splitlines() == [f"derive: error: {paths[-1]}: not a text file (binary data)"]


def test_scheduler_unreachable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    f = tmp_path / "a.tex"
    f.write_text(FILES["a_ok.tex"])
    assert main(["check", str(f), "--scheduler", "tcp://127.0.0.1:9", "--timeout", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("derive: error: --scheduler tcp://127.0.0.1:9: cannot connect")
    assert len(err.splitlines()) == 1


def test_jobs_must_be_positive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "a.tex"
    f.write_text(FILES["a_ok.tex"])
    assert main(["check", str(f), "--jobs", "0"]) == 2
    assert capsys.readouterr().err.strip() == "derive: error: --jobs must be at least 1"
