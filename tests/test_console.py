"""CLI conventions (issue 11): --version, help, -q/-v, progress, did-you-mean, derive.sty, caches."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from derive import __version__, console
from derive.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"derive {__version__}\n"


def test_bare_derive_prints_help_to_stdout_and_exits_0(capsys):
    assert main([]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("usage: derive [-h] [--version] COMMAND ...") and err == ""
    for name in ("list", "run", "sheet", "snippet", "check", "texinputs", "install-sty"):
        assert f"\n    {name}" in out


@pytest.mark.parametrize("argv, line", [
    (["shet", "x.toml"], "derive: error: unknown command 'shet' (did you mean 'sheet'?) "
                         "(commands: list, run, sheet, snippet, check, texinputs, install-sty)"),
    (["run", "gausian_kl"], "derive: error: unknown pipeline 'gausian_kl' (did you mean 'gaussian_kl'?) "
                            "(try 'derive list')"),
    (["run", "gaussian_kl", "--set", "sigma=2"],
     "derive: error: pipeline gaussian_kl has no parameter 'sigma' (did you mean 'sigma1'?) "
     "(parameters: mu1, sigma1, mu2, sigma2)"),
    (["run", "gaussian_kl", "-q", "-v"], "derive: error: argument -v/--verbose: not allowed with argument -q/--quiet"),
])
def test_did_you_mean_and_one_line_errors(capsys, argv, line):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == line + "\n"


@pytest.mark.parametrize("command", ["list", "run", "sheet", "snippet", "check", "texinputs", "install-sty"])
def test_every_command_has_the_common_options(capsys, command):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    for option in ("-q, --quiet", "-v, --verbose", "--debug", "--pipelines DIR"):
        assert option in out, (command, option)


def test_quiet_drops_the_summary_and_verbose_adds_progress(tmp_path, capsys):
    spec = tmp_path / "one.toml"
    spec.write_text("title = 'One'\n[[problem]]\nid = 'P1'\ntitle = 'KL'\npipeline = 'gaussian_kl'\n"
                    "statement = 'Compute it.'\n[[problem]]\nid = 'P2'\ntitle = 'tanh'\npipeline = 'tanh_sigmoid'\n")
    assert main(["sheet", str(spec), "-o", str(tmp_path / "v"), "-v"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"wrote {tmp_path / 'v' / 'one.pdf'} and {tmp_path / 'v' / 'one-problems.pdf'} (2 problems, ")
    assert err.splitlines() == ["[1/2] P1: deriving (gaussian_kl)", "[2/2] P2: deriving (tanh_sigmoid)",
                                "verifying 28 steps of 2 problems", "[1/2] P1: verified 15 steps",
                                "[2/2] P2: verified 13 steps", f"compiling {tmp_path / 'v' / 'one.tex'}",
                                f"compiling {tmp_path / 'v' / 'one-problems.tex'}"]
    assert main(["sheet", str(spec), "-o", str(tmp_path / "q"), "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    assert (tmp_path / "q" / "one.pdf").stat().st_size > 1000


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("level, tty, expected", [
    (console.NORMAL, True, "\r\x1b[Kstep 1\r\x1b[Kstep 2\r\x1b[K"),   # rewritten in place, then cleared
    (console.NORMAL, False, ""),                                   # piped: silent
    (console.VERBOSE, False, "step 1\nstep 2\n"),                  # -v: lines
    (console.QUIET, True, ""),                                     # -q: nothing
])
def test_progress_only_on_a_terminal_unless_verbose(level, tty, expected):
    stream = _Tty() if tty else io.StringIO()
    console.set_verbosity(level)
    try:
        console.progress("step 1", stream)
        console.progress("step 2", stream)
        console.end_progress(stream)
    finally:
        console.set_verbosity(console.NORMAL)
    assert stream.getvalue() == expected


def test_texinputs_lets_a_users_latex_find_derive_sty(tmp_path, capsys):
    assert main(["texinputs"]) == 0
    folder = capsys.readouterr().out.strip()
    assert (Path(folder) / "derive.sty").is_file()
    doc = tmp_path / "report.tex"
    doc.write_text("\\documentclass{article}\\usepackage{derive}\\begin{document}x\\end{document}\n")
    proc = subprocess.run(["latexmk", "-pdf", "-interaction=nonstopmode", "report.tex"], cwd=tmp_path,
                          env={**os.environ, "TEXINPUTS": folder + os.pathsep}, capture_output=True, timeout=300)
    assert proc.returncode == 0 and (tmp_path / "report.pdf").is_file()


def test_install_sty_puts_it_where_kpsewhich_finds_it(tmp_path):
    env = {**os.environ, "TEXMFHOME": str(tmp_path / "texmf"), "PYTHONPATH": str(ROOT)}
    before = subprocess.run(["kpsewhich", "derive.sty"], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert before.stdout == ""
    proc = subprocess.run([sys.executable, "-m", "derive", "install-sty"], env=env, capture_output=True,
                          text=True, cwd=tmp_path, timeout=120)
    dest = tmp_path / "texmf" / "tex" / "latex" / "derive" / "derive.sty"
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"installed {dest}; 'kpsewhich derive.sty' now finds it\n"
    after = subprocess.run(["kpsewhich", "derive.sty"], env=env, capture_output=True, text=True, cwd=tmp_path)
    assert after.stdout.strip() == str(dest)
    assert dest.read_bytes() == (ROOT / "derive" / "templates" / "derive.sty").read_bytes()


def test_no_cache_or_build_folder_is_left_in_the_working_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "a.tex").write_text("\\[ (a+b)^2 = a^2 + 2ab + b^2 \\]\n")
    assert main(["snippet", "gaussian_kl", "-o", "kl.tex"]) == 0
    assert main(["check", "a.tex", "--annotate", "a-marked.pdf"]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-marked.pdf", "a.tex", "kl.tex", "xdg"]
    assert (tmp_path / "xdg" / "derive" / "verdicts.sqlite").is_file()


def test_an_internal_error_is_one_line_and_debug_shows_the_traceback(monkeypatch, capsys):
    import derive.cli as cli

    def boom(args):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "cmd_list", boom)
    monkeypatch.setattr(cli, "COMMANDS", [cli.Command("list", "x", cli._list_args, boom), *cli.COMMANDS[1:]])
    assert main(["list"]) == 1
    assert capsys.readouterr().err == ("derive: error: internal error: ZeroDivisionError: division by zero "
                                       "(please report it; --debug shows the traceback)\n")
    assert main(["list", "--debug"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last)") and "in boom" in err


@pytest.mark.parametrize("problem, line", [
    ("pipeline = 'gausian_kl'\n", "problem P: unknown pipeline 'gausian_kl' (did you mean 'gaussian_kl'?)"),
    ("pipeline = 'gaussian_kl'\n[problem.params]\nsigma = 1\n",
     "problem P: pipeline gaussian_kl has no parameter 'sigma' (did you mean 'sigma1'?)"),
])
def test_spec_names_get_a_suggestion(tmp_path, capsys, problem, line):
    spec = tmp_path / "bad.toml"
    spec.write_text("title = 'x'\n[[problem]]\nid = 'P'\ntitle = 't'\n" + problem)
    assert main(["sheet", str(spec), "-o", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"derive: error: {spec}: {line}\n"


def test_progress_names_the_variant(tmp_path, capsys):
    spec = tmp_path / "v.toml"
    spec.write_text("title = 'V'\n[[problem]]\nid = 'P1'\ntitle = 'KL'\npipeline = 'gaussian_kl'\n"
                    "[problem.params]\nmu1 = { value = 1, vary = true, range = [2, 5] }\n")
    assert main(["sheet", str(spec), "-o", str(tmp_path), "--seed", "3", "-v"]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines()[0] == "variant 3: [1/1] P1: deriving (gaussian_kl)"
    assert all(line.startswith("variant 3: ") for line in err.splitlines())
    assert out.startswith(f"wrote {tmp_path / 'v-seed3.pdf'} and {tmp_path / 'v-seed3-problems.pdf'} (1 problems")


@pytest.mark.parametrize("body, line", [
    ("[[problem]]\nid = 'P'\ntitle = 't'\npipeline = 'gaussian_kl'\nstatment = 'x'\n",
     "problem P: unknown key 'statment' (did you mean 'statement'?)"),
    ("cours = 'c'\n[[problem]]\nid = 'P'\ntitle = 't'\npipeline = 'gaussian_kl'\n",
     "unknown key 'cours' (did you mean 'course'?) (known: title, course, problem)"),
    ("[[problem]]\nid = 'P'\ntitle = 't'\npipeline = 'gaussian_kl'\n[problem.params]\n"
     "mu1 = { value = 1, vary = true, rang = [1, 3] }\n",
     "problem P: parameter mu1: unknown key 'rang' (did you mean 'range'?) (known: value, vary, range)"),
])
def test_unknown_spec_keys_are_errors_with_the_file_and_the_key(tmp_path, capsys, body, line):
    spec = tmp_path / "typo.toml"
    spec.write_text("title = 'x'\n" + body)
    assert main(["sheet", str(spec), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"derive: error: {spec}: {line}") and err.count("\n") == 1
