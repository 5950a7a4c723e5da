"""Output faults: bad -o/--name/--timeout, corrupt stamps, truncated PDFs, failed builds leave no PDF."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from derive.cli import main

SPEC = "title = 'T'\n[[problem]]\nid = 'R'\ntitle = 'field'\npipeline = 'receptive_field'\n"


def one_error(capsys, argv: list[str], code: int = 2) -> str:
    assert main(argv) == code
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and err.startswith("derive: error: "), err
    assert "Traceback" not in err
    return err.strip()[len("derive: error: "):]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("built")
    spec = root / "s.toml"
    spec.write_text(SPEC)
    assert main(["sheet", str(spec), "-o", str(root / "out")]) == 0
    return spec, root / "out"


def test_output_must_be_a_directory(tmp_path, capsys, built):
    spec, _ = built
    f = tmp_path / "afile"
    f.write_text("x")
    assert one_error(capsys, ["sheet", str(spec), "-o", str(f)]) == f"{f}: not a directory"
    assert one_error(capsys, ["sheet", str(spec), "-o", "/proc/derive-x"]) == \
        "/proc/derive-x: cannot write there (No such file or directory)"


@pytest.mark.parametrize("name", ["../x", "a/b", ".hidden", "/tmp/x", "", "x" * 200])
def test_name_must_be_a_plain_file_name(tmp_path, capsys, built, name):
    spec, _ = built
    msg = one_error(capsys, ["sheet", str(spec), "-o", str(tmp_path), "--name", name])
    assert msg == f"--name {name!r}: must be a plain file name (letters, digits, . _ + -; no directory)"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", ["inf", "-1", "nan", "0", "1e9"])
def test_timeout_must_be_a_sane_number(tmp_path, capsys, built, value):
    spec, _ = built
    msg = one_error(capsys, ["sheet", str(spec), "-o", str(tmp_path), "--timeout", value])
    assert msg.startswith("--timeout must be a number of seconds in (0, 3600], got ")


@pytest.mark.parametrize("fault", ["truncate", "garbage", "empty"])
def test_a_damaged_pdf_is_never_up_to_date(tmp_path, capsys, fault):
    spec = tmp_path / "s.toml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    assert main(["sheet", str(spec), "-o", str(out)]) == 0
    pdf = out / "s.pdf"
    data = pdf.read_bytes()
    pdf.write_bytes({"truncate": data[: len(data) // 2], "garbage": b"%PDF-1.5\n" + b"x" * 100,
                     "empty": b""}[fault])
    capsys.readouterr()
    assert main(["sheet", str(spec), "-o", str(out)]) == 0
    assert "is up to date" not in capsys.readouterr().out
    assert pdf.read_bytes() != b"" and pdf.read_bytes().rstrip().endswith(b"%%EOF")


@pytest.mark.parametrize("fault", ["binary", "directory", "huge", "wrong"])
def test_a_corrupt_stamp_means_rebuild_or_one_error(tmp_path, capsys, fault):
    spec = tmp_path / "s.toml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    assert main(["sheet", str(spec), "-o", str(out)]) == 0
    capsys.readouterr()
    stamp = out / ".s.inputs"
    stamp.unlink()
    if fault == "binary":
        stamp.write_bytes(b"\xff\xfe\x00garbage")
    elif fault == "directory":
        stamp.mkdir()
    elif fault == "huge":
        stamp.write_bytes(b"a" * 100_000)
    else:
        stamp.write_text("0" * 64 + " " + "0" * 64)
    code = main(["sheet", str(spec), "-o", str(out)])
    out_text, err = capsys.readouterr()
    assert "Traceback" not in err
    if fault == "directory":
        assert code == 2 and err == f"derive: error: {stamp}: cannot write the build stamp (Is a directory)\n"
    else:
        assert code == 0 and "is up to date" not in out_text


@pytest.mark.parametrize("bad", [
    "problem = [1]\n", "title = 5\n[[problem]]\nid = 'R'\ntitle = 't'\npipeline = 'receptive_field'\n",
    SPEC + "params = 5\n", SPEC + "statement = 5\n", SPEC + "[problem.params]\nL = 'oops('\n",
    "not toml [[[", SPEC.replace("receptive_field", "nope"),
])
def test_a_spec_error_removes_the_old_pdf(tmp_path, capsys, bad):
    spec = tmp_path / "s.toml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    assert main(["sheet", str(spec), "-o", str(out)]) == 0
    assert (out / "s.pdf").exists()
    capsys.readouterr()
    spec.write_text(bad)
    one_error(capsys, ["sheet", str(spec), "-o", str(out)])
    assert not (out / "s.pdf").exists()


@pytest.mark.parametrize("frag, message", [
    ("problem = [1]", "'problem' must be a list of tables ([[...]]), not a list"),
    ("params = 5", "problem R: 'params' must be a table, not an integer"),
    ("statement = 5", "problem R: 'statement' must be a string, not an integer"),
    ("title = 5", "problem R: 'title' must be a string, not an integer"),
    ("prose = 5", "problem R: 'prose' must be a list of tables ([[...]]), not an integer"),
    ("prose = [{text = 1}]", "problem R: prose 1: 'text' must be a string, not an integer"),
    ("prose = [{part = 'a'}]", "problem R: prose 1: missing 'text'"),
    ("pipeline = []", "problem R: 'pipeline' must be a string, not a list"),
    ("id = '../x'", "problem 1: id '../x' must be letters, digits and . _ + - (it names files)"),
    ("id = 5", "problem 1: 'id' must be a string, not an integer"),
    ("params = {L = 1979-05-27}", "problem R: parameter L must be a number, a string, a list or a table "
                                  "(finite, nested at most 4 deep), not date"),
    ("params = {L = nan}", "problem R: parameter L = nan is not a finite number"),
    ("params = {L = -inf}", "problem R: parameter L = -inf is not a finite number"),
    ("params = {L = {vary = true}}", "problem R: parameter L: missing 'value'"),
    ("params = {L = {value = 3, range = [3]}}", "problem R: parameter L: 'range' must be a list of two integers "
                                                 "[lo, hi] with lo <= hi, not a list"),
    ("params = {L = {value = 3, vary = 'yes'}}", "problem R: parameter L: 'vary' must be true or false, not a string"),
])
def test_spec_shape_errors_name_file_and_key(tmp_path, capsys, frag, message):
    import tomllib

    spec = tmp_path / "s.toml"
    table = tomllib.loads(SPEC)
    extra = tomllib.loads(frag)
    if "problem" in extra:
        table = {"title": "T", **extra}
    else:
        table["problem"][0].update(extra)
    from derive.sheet import parse_spec
    from derive.errors import SpecError

    with pytest.raises(SpecError) as info:
        parse_spec(table, "s", str(spec))
    assert str(info.value) == f"{spec}: {message}"


def test_spec_errors_from_the_command_line(tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text("title = 'T'\nproblem = [1]\n")
    proc = subprocess.run([sys.executable, "-m", "derive", "sheet", str(spec), "-o", str(tmp_path / "o")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert proc.stderr == f"derive: error: {spec}: 'problem' must be a list of tables ([[...]]), not a list\n"
