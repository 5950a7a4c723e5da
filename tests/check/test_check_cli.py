"""``derive check`` exit codes, exact error lines, JSON shape and --annotate."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from derive.cli import main


@pytest.mark.parametrize("text, code, verdicts", [
    ("\\[ (a+b)^2 = a^2 + 2ab + b^2 \\]", 0, [("valid", "")]),
    ("\\[ (a+b)^2 = a^2 + b^2 \\]", 1, [("invalid", "sides differ")]),
    ("", 0, []),
    ("\\begin{align} x &= 1", 0, [("unparsed", "never closed")]),
    ("\\[ 10^{10^{10^{10}}} = 1 \\]", 0, [("unparsed", "too large")]),
    ("\\[ " + "\\frac{1}{" * 200 + "x" + "}" * 200 + " = x \\]", 0, [("unparsed", "nested too deeply")]),
    ("\\[ \\unknownmacro{x} = x \\]", 0, [("unparsed", "")]),
])
def test_exit_codes_and_verdicts(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, code: int,
                                 verdicts: list[tuple[str, str]]) -> None:
    """The exit code follows from the verdicts, and the verdicts are the right ones (an exit
    code of 0 alone would also pass for a wrongly certified step)."""
    f = tmp_path / "a.tex"
    f.write_text(text)
    assert main(["check", str(f), "--timeout", "3"]) == code
    capsys.readouterr()
    assert main(["check", str(f), "--timeout", "3", "--json"]) == code
    steps = json.loads(capsys.readouterr().out)["steps"]
    assert [s["verdict"] for s in steps] == [v for v, _ in verdicts]
    for step, (_, fragment) in zip(steps, verdicts):
        assert fragment in step["message"]


def test_strict_fails_unparsed(tmp_path: Path) -> None:
    f = tmp_path / "a.tex"
    f.write_text("\\[ \\unknownmacro{x} = x \\]")
    assert main(["check", str(f)]) == 0
    assert main(["check", str(f), "--strict"]) == 1


def test_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    b = tmp_path / "b.tex"
    b.write_bytes(b"\x00\x01")
    assert main(["check", str(b), str(tmp_path / "missing.tex")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"derive: error: {b}: not a text file (binary data)",
                   f"derive: error: {tmp_path / 'missing.tex'}: cannot read (No such file or directory)"]


def test_json_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "a.tex"
    f.write_text("% derive: assume d_{in} > 0, d_{out} > 0\n\\begin{align}\n\\frac{x d_{in}}{d_{out}} &= x\n\\end{align}\n")
    assert main(["check", str(f), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"file", "steps", "summary"}
    (step,) = data["steps"]
    assert set(step) == {"line", "relation", "lhs", "rhs", "verdict", "method", "message", "counterexample", "condition",
                         "role"}
    assert step["line"] == 3 and step["verdict"] == "invalid"
    assert "d_{in} = d_{out}" in step["condition"].replace("d_in", "d_{in}").replace("d_out", "d_{out}")
    assert data["summary"] == {"valid": 0, "invalid": 1, "unknown": 0, "unparsed": 0, "given": 0}


def test_annotate_builds_pdf(tmp_path: Path) -> None:
    f = tmp_path / "a.tex"
    f.write_text("\\begin{align}\n(a+b)^2 &= a^2 + 2ab + b^2\\\\\n &= a^2 + b^2\n\\end{align}\n")
    out = tmp_path / "out.pdf"
    assert main(["check", str(f), "--annotate", str(out)]) == 1
    assert out.read_bytes()[:5] == b"%PDF-"
    import subprocess

    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    # The invalid step's footnote carries its counterexample and condition.
    assert "counterexample" in text and "holds only if" in text


def test_five_thousand_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every row of a long align is read and judged (its speed is measured in benchmarks/)."""
    f = tmp_path / "big.tex"
    f.write_text("\\begin{align*}\n" + "x &= x \\\\\n" * 4999 + "x &= x\n\\end{align*}\n")
    assert main(["check", str(f)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 file, 5000 steps: 5000 valid, 0 invalid, 0 unknown, 0 unparsed, 0 given"


# --------------------------------------------------------------------------- #
# in process, without a pool or TeX: the options and the plumbing behind --jobs,
# --scheduler and --annotate (the real runs are in test_check_batch.py and above)
# --------------------------------------------------------------------------- #

def _parser():
    import argparse

    from derive.check.cli import configure
    p = argparse.ArgumentParser(prog="derive check")
    configure(p)
    return p


def test_the_options_parse_to_their_types() -> None:
    args = _parser().parse_args(["a.tex", "--jobs", "2", "--to-spec", "out.toml"])
    assert (args.paths, args.jobs, args.to_spec) == (["a.tex"], 2, "out.toml")
    assert "--to-spec OUT.toml" in _parser().format_help()


@pytest.mark.parametrize("cpus, jobs, files, workers", [(8, 3, 5, 3), (8, 8, 2, 2), (2, 8, 5, 2), (8, 2, 1, 1)])
def test_jobs_start_no_more_workers_than_asked_cores_or_files(monkeypatch, cpus, jobs, files, workers) -> None:
    import argparse
    import concurrent.futures as cf

    from derive.check import cli
    made = []
    monkeypatch.setattr(cli.os, "cpu_count", lambda: cpus)
    monkeypatch.setattr(cf, "ProcessPoolExecutor", lambda max_workers: made.append(max_workers) or "pool")
    got = cli._executor(argparse.Namespace(scheduler=None, jobs=jobs, n_sources=files))
    assert (got, made) == (("pool", None), [workers])


@pytest.mark.parametrize("timeout, wait", [(3.0, 6.0), (0.5, 2.0), (100.0, 10.0)])
def test_the_scheduler_is_waited_for_twice_the_timeout_within_2_to_10_s(monkeypatch, timeout, wait) -> None:
    import argparse

    import distributed

    from derive.check import cli
    calls = []

    class FakeClient:
        def __init__(self, address, timeout):
            calls.append((address, timeout))

        def get_executor(self):
            return "executor"

    monkeypatch.setattr(distributed, "Client", FakeClient)
    executor, client = cli._executor(argparse.Namespace(scheduler="tcp://h:1", timeout=timeout, jobs=1))
    assert (executor, isinstance(client, FakeClient), calls) == ("executor", True, [("tcp://h:1", wait)])


def test_run_all_keeps_each_report_with_its_file(monkeypatch) -> None:
    import argparse
    from concurrent.futures import ThreadPoolExecutor

    from derive.check import cli
    from derive.check.judge import Premises
    monkeypatch.setattr(cli, "_executor", lambda args: (ThreadPoolExecutor(2), None))
    sources = [("a.tex", "$$1 + 1 = 2$$"), ("b.tex", "$$1 + 1 = 3$$"), ("c.tex", "")]
    reports = cli.run_all(sources, Premises(), 5.0, argparse.Namespace())
    assert [(r.file, [s.verdict for s in r.steps]) for r in reports] == [
        ("a.tex", ["valid"]), ("b.tex", ["invalid"]), ("c.tex", [])]


def test_annotate_is_given_the_reports_and_the_sources(tmp_path: Path, monkeypatch, capsys) -> None:
    import derive.check.annotate as annotate_module
    seen = []
    monkeypatch.setattr(annotate_module, "annotate", lambda reports, sources, out: seen.append((reports, sources, out)))
    f = tmp_path / "a.tex"
    f.write_text("$$1 + 1 = 2$$\n")
    assert main(["check", str(f), "--annotate", str(tmp_path / "out.pdf")]) == 0
    ((reports, sources, out),) = seen
    assert [(r.file, [s.verdict for s in r.steps]) for r in reports] == [(str(f), ["valid"])]
    assert (sources, out) == ([(str(f), "$$1 + 1 = 2$$\n")], tmp_path / "out.pdf")
