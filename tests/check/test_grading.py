"""``derive check --format gradescope|csv``: grader outputs, checked against --json."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from derive.check.grading import CREDIT, submission_of
from derive.cli import main

CORPUS = Path(__file__).parent / "corpus"
GRADED = ("valid", "invalid", "unknown", "unparsed")


@pytest.fixture(scope="module")
def corpus_json() -> dict[str, dict]:
    """The independent reference: ``--json`` verdicts of every corpus file."""
    import contextlib

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        main(["check", str(CORPUS), "--json", "-q"])
    return {r["file"]: r for r in json.loads(buf.getvalue())}


def test_gradescope_results_have_the_fields_gradescope_reads(tmp_path, capsys, corpus_json):
    out = tmp_path / "results.json"
    code = main(["check", str(CORPUS), "--format", "gradescope", "-o", str(out)])
    assert code == 1                                   # the corpus has invalid steps
    assert capsys.readouterr().out.startswith(f"wrote {out} (4 files, ")
    results = json.loads(out.read_text())
    assert set(results) >= {"score", "tests"}
    assert isinstance(results["score"], float)
    expected = [(f, s) for f, r in corpus_json.items() for s in r["steps"] if s["verdict"] in GRADED]
    assert len(results["tests"]) == len(expected) > 80
    for test, (file, step) in zip(results["tests"], expected):
        assert set(test) >= {"name", "score", "max_score", "output"}
        assert isinstance(test["name"], str) and test["name"].startswith(f"{file}:{step['line']}: ")
        assert test["max_score"] == 1.0
        assert test["score"] == (1.0 if step["verdict"] == "valid" else 0.0)
        assert test["output"].startswith(step["verdict"] + ": ")
        assert test["status"] == ("passed" if step["verdict"] == "valid" else "failed")
    valid = sum(s["verdict"] == "valid" for _, s in expected)
    assert results["score"] == float(valid)
    assert results["score"] == sum(t["score"] for t in results["tests"])


def test_max_score_shares_the_points(tmp_path, capsys):
    f = tmp_path / "hw.tex"
    f.write_text("\\[ (a+b)^2 = a^2 + 2ab + b^2 \\]\n\\[ (a+b)^2 = a^2 + b^2 \\]\n"
                 "\\[ 2x = x + x \\]\n\\[ x - x = 1 \\]\n")
    main(["check", str(f), "--format", "gradescope", "--max-score", "10"])
    results = json.loads(capsys.readouterr().out)
    assert [t["max_score"] for t in results["tests"]] == [2.5] * 4
    assert [t["score"] for t in results["tests"]] == [2.5, 0.0, 2.5, 0.0]
    assert results["score"] == 5.0


def test_csv_has_one_row_per_submission_and_step(tmp_path, capsys, corpus_json):
    subs = tmp_path / "subs"
    for i, src in enumerate(sorted(CORPUS.glob("*.tex"))):
        # two layouts: DIR/NAME/file.tex (a folder per student) and DIR/NAME.tex
        dest = subs / f"student{i}" / "hw.tex" if i % 2 == 0 else subs / f"student{i}.tex"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dest)
    code = main(["check", str(subs), "--format", "csv"])
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == ["submission", "file", "line", "relation", "lhs", "rhs", "verdict", "method",
                             "detail", "score", "max_score"]
    for i, src in enumerate(sorted(CORPUS.glob("*.tex"))):
        mine = [r for r in rows if r["submission"] == f"student{i}"]
        ref = [s for s in corpus_json[str(src)]["steps"] if s["verdict"] in GRADED]
        assert [(int(r["line"]), r["verdict"]) for r in mine] == [(s["line"], s["verdict"]) for s in ref]
        assert all(r["score"] == ("1" if r["verdict"] == "valid" else "0") for r in mine)


@pytest.mark.parametrize("file, roots, expected", [
    ("subs/alice/hw1.tex", ["subs"], "alice"),
    ("subs/alice/part/b.tex", ["subs"], "alice"),
    ("subs/bob.tex", ["subs"], "bob"),
    ("one.tex", ["one.tex"], "one"),
    ("<stdin>", ["-"], "<stdin>"),
])
def test_submission_names(tmp_path, monkeypatch, file, roots, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "subs" / "alice" / "part").mkdir(parents=True)
    assert submission_of(file, roots) == expected


def test_unreadable_and_empty_submissions_still_get_a_result(tmp_path, capsys):
    (tmp_path / "empty.tex").write_text("no math here\n")
    (tmp_path / "binary.tex").write_bytes(b"\x00\x01")
    code = main(["check", str(tmp_path / "empty.tex"), str(tmp_path / "binary.tex"), "--format", "gradescope"])
    assert code == 2
    captured = capsys.readouterr()
    assert captured.err == f"derive: error: {tmp_path / 'binary.tex'}: not a text file (binary data)\n"
    tests = json.loads(captured.out)["tests"]
    assert [(t["name"], t["score"], t["max_score"], t["output"]) for t in tests] == [
        (str(tmp_path / "empty.tex"), 0.0, 0.0, "no checkable steps found"),
        (str(tmp_path / "binary.tex"), 0.0, 0.0, f"{tmp_path / 'binary.tex'}: not a text file (binary data)"),
    ]


def test_csv_cells_cannot_become_spreadsheet_formulas(tmp_path, capsys):
    f = tmp_path / "a.tex"
    f.write_text("\\[ -x + x = 0 \\]\n")
    main(["check", str(f), "--format", "csv"])
    row = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))[0]
    assert row["lhs"] == "'-x + x" and row["verdict"] == "valid"


def test_credit_table_is_precision_first():
    assert CREDIT["valid"].fraction == 1.0
    assert all(CREDIT[v].fraction == 0.0 for v in ("invalid", "unknown", "unparsed"))
    assert "review" in CREDIT["unknown"].note and "given" not in CREDIT


@pytest.mark.parametrize("argv, line", [
    (["--json", "-o", "x.json"], "derive: error: -o/--output applies to --format gradescope or csv"),
    (["--format", "gradescope", "--max-score", "0"], "derive: error: --max-score must be positive"),
])
def test_grader_option_errors(tmp_path, capsys, argv, line):
    f = tmp_path / "a.tex"
    f.write_text("\\[ x = x \\]\n")
    assert main(["check", str(f), *argv]) == 2
    assert capsys.readouterr().err == line + "\n"


# Shared-out points keep each row's output, and a file without steps is one CSV row with its
# reason and zero points (mutation testing: both went unchecked).  Counted by hand: two
# steps, 10 points, 5 each; valid earns its 5, invalid none.
def test_max_score_is_shared_out_and_outputs_are_kept() -> None:
    from derive.check.grading import grade
    from derive.check.report import Report, StepReport
    r = Report("a.tex", [StepReport(1, "=", "a", "b", "valid"), StepReport(2, "=", "c", "d", "invalid")])
    rows = grade([r], max_score=10)
    assert [(g.submission, g.score, g.max_score, g.output) for g in rows] == [
        ("a", 5.0, 5.0, "valid: correct"), ("a", 0.0, 5.0, "invalid: incorrect")]


def test_a_file_without_steps_is_one_csv_row() -> None:
    from derive.check.grading import csv_text, grade
    from derive.check.report import Report
    lines = csv_text(grade([Report("subs/empty.tex", [])])).splitlines()
    assert lines == ["submission,file,line,relation,lhs,rhs,verdict,method,detail,score,max_score",
                     "empty,subs/empty.tex,,,,,none,,no checkable steps found,0,0"]
