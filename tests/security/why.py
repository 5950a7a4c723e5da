"""Every case of issue 12's "Why" section, run from the command line as a user runs it.

``python3 tests/security/why.py [-k WORD]`` prints one row per case: the command, what it
gave (exit code, the first line of stderr), its wall time and peak memory, and whether
that is the expected outcome (a clear error or a correct result, within 30 s and 1 GiB,
no code run, nothing disclosed).  Builds are bounded at 10 s here (``DERIVE_BUILD_TIMEOUT``,
default 30 s), as in test_resources.py, so a value refused by time ends within 30 s.
Each family is also pinned by the suite (test_values, test_tex, test_check_input,
test_resources, test_cache, test_outputs); this script is the audit of the issue's own list.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
#: as in test_resources.py: a lower build bound so that a refusal by time still ends within 30 s
BOUNDS = {"DERIVE_BUILD_TIMEOUT": "10", "DERIVE_LATEX_TIMEOUT": "20"}
PASSWD = "root:x:0:0"
PWN = "__import__('os').system('touch {m}')"
GLOBALS = "sympify.__globals__['__builtins__']['__import__']('os').system('touch {m}')"

PROBE = (
    "import json, resource, subprocess, sys\n"
    "p = subprocess.run(sys.argv[1:], capture_output=True, text=True, stdin=subprocess.DEVNULL)\n"
    "print(json.dumps([p.returncode, p.stdout, p.stderr, "
    "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))\n"
)


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    seconds: float
    mib: float
    work: Path

    def line(self) -> str:
        return self.err.strip().splitlines()[0] if self.err.strip() else "(no stderr)"


@dataclass(frozen=True)
class Case:
    id: str
    argv: Callable[[Path], list[str]]
    #: a test of the outcome besides the common ones; returns an explanation when it fails
    expect: Callable[[Outcome], str | None]
    codes: tuple[int, ...] = (2,)
    #: the bound on wall time: 30 s for the resource cases; a whole sheet rebuild may take longer
    seconds: float = 30
    env: dict[str, str] = field(default_factory=dict)


def one_error(prefix: str) -> Callable[[Outcome], str | None]:
    def check(o: Outcome) -> str | None:
        if o.err.count("\n") != 1 or not o.err.startswith("derive: error: " + prefix):
            return f"expected one line 'derive: error: {prefix}...'"
        return None
    return check


def one_error_with(text: str) -> Callable[[Outcome], str | None]:
    def check(o: Outcome) -> str | None:
        if o.err.count("\n") != 1 or not o.err.startswith("derive: error: ") or text not in o.err:
            return f"expected one line 'derive: error: ...{text}...'"
        return None
    return check


def no_passwd(o: Outcome) -> str | None:
    for pdf in o.work.rglob("*.pdf"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        if PASSWD in text:
            return f"{pdf.name} contains /etc/passwd"
    return None


def both(*checks: Callable[[Outcome], str | None]) -> Callable[[Outcome], str | None]:
    return lambda o: next((r for r in (c(o) for c in checks) if r), None)


def pdf_made(o: Outcome) -> str | None:
    return None if any(o.work.rglob("*.pdf")) else "no PDF was written"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


SHEET = 'title = "t"\n\n[[problem]]\nid = "P1"\ntitle = "p"\npipeline = "{p}"\n{extra}\n'


def sheet(w: Path, pipeline: str, extra: str) -> list[str]:
    spec = write(w / "s.toml", SHEET.format(p=pipeline, extra=extra.replace("{m}", str(w / "pwned"))))
    return ["sheet", str(spec), "-o", str(w / "out")]


def check_doc(w: Path, body: str, *extra: str) -> list[str]:
    return ["check", str(write(w / "w.tex", body)), *extra]


def run_set(name: str, value: str) -> Callable[[Path], list[str]]:
    return lambda w: ["run", name, "--set", value.replace("{m}", str(w / "pwned"))]


def symlinked(w: Path) -> list[str]:
    secret = write(w / "secret" / "s.tex", "$1 + 1 = 3$\n")
    (w / "d").mkdir()
    write(w / "d" / "ok.tex", "$1 + 1 = 2$\n")
    (w / "d" / "link.tex").symlink_to(secret)
    return ["check", str(w / "d")]


def fifo(w: Path) -> list[str]:
    os.mkfifo(w / "f.tex")
    return ["check", str(w / "f.tex")]


def poisoned(w: Path) -> list[str]:
    """A sheet whose one false step's cached verdict is rewritten to 'proved'."""
    import sqlite3

    spec = write(w / "s.toml", SHEET.format(p="gaussian_kl", extra="params = { sigma1 = 2 }"))
    subprocess.run([sys.executable, "-m", "derive", "sheet", str(spec), "-o", str(w / "out")],
                   capture_output=True, timeout=600)
    db = sqlite3.connect(w / "out" / ".cache" / "verdicts.sqlite")
    for key, verdict in db.execute("SELECT key, verdict FROM verdicts").fetchall():
        db.execute("UPDATE verdicts SET verdict = ? WHERE key = ?",
                   (json.dumps({**json.loads(verdict), "status": "proved"}) + " ", key))
    db.commit()
    db.close()
    return ["sheet", str(spec), "-o", str(w / "out"), "--force"]


def stale(w: Path) -> list[str]:
    spec = write(w / "s.toml", SHEET.format(p="gaussian_kl", extra=""))
    subprocess.run([sys.executable, "-m", "derive", "sheet", str(spec), "-o", str(w / "out")],
                   capture_output=True, timeout=600)
    write(w / "s.toml", SHEET.format(p="gaussian_kl", extra="params = 5"))
    return ["sheet", str(spec), "-o", str(w / "out")]


def no_old_pdf(o: Outcome) -> str | None:
    return "the old PDF is still there" if (o.work / "out" / "s.pdf").exists() else None


def truncated(w: Path) -> list[str]:
    spec = write(w / "s.toml", SHEET.format(p="gaussian_kl", extra=""))
    subprocess.run([sys.executable, "-m", "derive", "sheet", str(spec), "-o", str(w / "out")],
                   capture_output=True, timeout=600)
    pdf = w / "out" / "s.pdf"
    pdf.write_bytes(pdf.read_bytes()[:2000])
    return ["sheet", str(spec), "-o", str(w / "out"), "-v"]


def rebuilt(o: Outcome) -> str | None:
    pdf = o.work / "out" / "s.pdf"
    if not pdf.exists() or not pdf.read_bytes().rstrip().endswith(b"%%EOF") or "up to date" in o.err:
        return "the damaged PDF was reported up to date"
    return None


def not_executed(o: Outcome) -> str | None:
    return "the payload ran" if (o.work / "pwned").exists() else None


def no_disclosure(o: Outcome) -> str | None:
    return "the file was printed" if PASSWD in o.out + o.err else None


LOOP = "\\def\\q{\\q}\\q"
DOC_LOOP = "\\documentclass{article}\n\\begin{document}\n" + LOOP + "\n\\end{document}\n"
CASES = [
    # Code execution
    Case("run --set mu1=__import__", run_set("gaussian_kl", "mu1=" + PWN),
         both(one_error("gaussian_kl: mu1="), not_executed)),
    Case("snippet --set mu1=__import__",
         lambda w: ["snippet", "gaussian_kl", "--set", "mu1=" + PWN.format(m=w / "pwned"), "-o", str(w / "s.tex")],
         both(one_error("gaussian_kl: mu1="), not_executed)),
    Case("sheet conv2d input JSON entry",
         lambda w: sheet(w, "conv2d", 'params = { input = [["' + PWN + '", 1], [1, 1]] }'),
         both(one_error("problem P1: "), not_executed), codes=(1, 2)),
    Case("run gd_step --set loss", run_set("gd_step", "loss=" + PWN), both(one_error("gd_step: loss="), not_executed),
         codes=(1, 2)),
    Case("run mlp_backprop --set x", run_set("mlp_backprop", 'x=[["' + PWN + '"]]'),
         both(one_error(""), not_executed), codes=(1, 2)),
    Case("run hyperparam_search --set q", run_set("hyperparam_search", 'q=["' + PWN + '"]'),
         both(one_error(""), not_executed), codes=(1, 2)),
    Case("run lstm_cell --set x", run_set("lstm_cell", 'x=["' + PWN + '"]'),
         both(one_error(""), not_executed), codes=(1, 2)),
    Case("run pooling_backprop --set input", run_set("pooling_backprop", 'input=[["' + PWN + '"]]'),
         both(one_error(""), not_executed), codes=(1, 2)),
    Case("sheet statement $sympify.__globals__...$",
         lambda w: sheet(w, "gaussian_kl", "statement = \"Let $" + GLOBALS + "$.\""),
         both(one_error("problem P1: "), not_executed)),
    # File disclosure
    Case("check --annotate E[\\input{/etc/passwd}]",
         lambda w: check_doc(w, "$a = \\mathbb{E}[\\input{/etc/passwd}]$\n", "--annotate", str(w / "out.pdf")),
         both(pdf_made, no_passwd), codes=(0, 1)),
    Case("check --annotate ^^5cinput", lambda w: check_doc(w, "$a = ^^5cinput{/etc/passwd}$\n", "--annotate",
                                                           str(w / "out.pdf")), both(pdf_made, no_passwd), codes=(0, 1)),
    Case("sheet statement $Symbol('\\input{/etc/passwd}')$",
         lambda w: sheet(w, "gaussian_kl", "statement = '''$Symbol('\\input{/etc/passwd}')$'''"),
         both(no_passwd, no_disclosure), codes=(0, 2)),
    Case("sheet value Symbol('\\input{...}')",
         lambda w: sheet(w, "gaussian_kl", "params = { mu1 = '''Symbol('\\input{/etc/passwd}')''' }"),
         both(no_passwd, no_disclosure), codes=(0, 2)),
    Case("run --set Symbol(open('/etc/passwd').read())", run_set("gaussian_kl", "mu1=Symbol(open('/etc/passwd').read())"),
         both(one_error("gaussian_kl: mu1="), no_disclosure)),
    Case("check dir/ with a symlink out", symlinked,
         lambda o: "followed the symlink" if "1 + 1 = 3" in o.out or "s.tex" in o.out else None, codes=(0, 1, 2)),
    # Resource exhaustion
    Case("check --jobs 1000000", lambda w: check_doc(w, "$1 + 1 = 2$\n", "--jobs", "1000000"), lambda o: None,
         codes=(0,)),
    Case("run mu1=((2**10000)**10000)**10000", run_set("gaussian_kl", "mu1=((2**10000)**10000)**10000"),
         one_error("gaussian_kl: mu1=((2**10000)**10000)**10000: too large:")),
    Case("run adam t=10**9", run_set("adam_bias_correction", "t=10**9"), one_error("adam_bias_correction: ")),
    Case("run mu1=exp(10**5)", run_set("gaussian_kl", "mu1=exp(10**5)"), one_error("gaussian_kl: mu1=exp(10**5): too large")),
    Case("run mu1=(x+1)**10000", run_set("gaussian_kl", "mu1=(x+1)**10000"), one_error("gaussian_kl: mu1=(x+1)**10000: too large")),
    Case("run mu1=factorial(10**8)", run_set("gaussian_kl", "mu1=factorial(10**8)"),
         one_error("gaussian_kl: mu1=factorial(10**8): too large")),
    Case("run mu1=Sum(1/k,(k,1,10**9))", run_set("gaussian_kl", "mu1=Sum(1/k,(k,1,10**9))"),
         one_error("gaussian_kl: mu1=Sum(1/k,(k,1,10**9)): too large")),
    Case("run conv2d padding=100000", run_set("conv2d", "padding=100000"), one_error("conv2d: ")),
    Case("check --annotate \\def\\q{\\q}\\q", lambda w: check_doc(w, f"$a = 1$ {LOOP}\n$x = {LOOP}$\n", "--annotate",
                                                                  str(w / "out.pdf")), lambda o: None, codes=(0, 1)),
    Case("snippet --compile with a TeX loop",
         lambda w: ["snippet", "--compile", str(write(w / "doc.tex", DOC_LOOP)), "-o", str(w / "b")],
         one_error(""), codes=(1,)),
    Case("check /dev/zero", lambda w: ["check", "/dev/zero"], one_error("/dev/zero: not a regular file")),
    Case("check a FIFO", fifo, one_error("")),
    # False "verified"
    Case("sheet L = nan", lambda w: sheet(w, "receptive_field", "params = { L = nan }"),
         one_error_with("problem P1: parameter L = nan is not a finite number")),
    Case("run --set sigma1=-x", run_set("gaussian_kl", "sigma1=-x"),
         one_error("gaussian_kl: sigma1=-x is outside the domain: sigma1 > 0")),
    Case("run --set sigma1=x-1 (carried: x > 1)",
         lambda w: ["run", "gaussian_kl", "--set", "sigma1=x-1", "--format", "json"],
         lambda o: None if "x > 1" in json.loads(o.out or "{}").get("assumptions", []) else "x > 1 not assumed",
         codes=(0,)),
    Case("sheet with a verdict row poisoned to proved", poisoned,
         lambda o: None if "fails its integrity check" in o.err else "the poisoned rows were accepted", codes=(0,),
         seconds=300),
    # Tracebacks and stale output
    Case("sheet problem = [1]", lambda w: ["sheet", str(write(w / "s.toml", 'title = "t"\nproblem = [1]\n')),
                                           "-o", str(w / "out")], one_error("")),
    Case("sheet params = 5", lambda w: sheet(w, "gaussian_kl", "params = 5"), one_error("")),
    Case("sheet statement = 5", lambda w: sheet(w, "gaussian_kl", "statement = 5"), one_error("")),
    Case("sheet -o FILE", lambda w: ["sheet", "proofs/core.toml", "-o", str(write(w / "file", ""))], one_error("")),
    Case("sheet -o /proc/x", lambda w: ["sheet", "proofs/core.toml", "-o", "/proc/x"], one_error("")),
    Case("sheet --name ../x", lambda w: ["sheet", "proofs/core.toml", "-o", str(w / "out"), "--name", "../x"],
         both(one_error(""), lambda o: "wrote outside -o" if (o.work / "x.pdf").exists() else None)),
    Case("sheet --timeout inf", lambda w: ["sheet", "proofs/core.toml", "-o", str(w / "out"), "--timeout", "inf"],
         one_error("")),
    Case("run --timeout -1", lambda w: ["run", "gaussian_kl", "--timeout", "-1"], one_error("")),
    Case("a spec error removes the old PDF", stale, both(one_error(""), no_old_pdf)),
    Case("a truncated PDF is not up to date", truncated, rebuilt, codes=(0,), seconds=300),
]


def run(case: Case) -> tuple[Outcome, str | None]:
    with tempfile.TemporaryDirectory(prefix="why-") as tmp:
        w = Path(tmp)
        argv = case.argv(w)
        env = {**os.environ, "PYTHONPATH": str(ROOT), **BOUNDS, **case.env}
        start = time.monotonic()
        raw = subprocess.run([sys.executable, "-c", PROBE, sys.executable, "-m", "derive", *argv],
                             capture_output=True, text=True, timeout=300, env=env, cwd=ROOT).stdout
        code, out, err, rss = json.loads(raw)
        o = Outcome(code, out, err, time.monotonic() - start, rss / 1024, w)
        problem = None
        if code not in case.codes:
            problem = f"exit {code}, expected {case.codes}"
        elif "Traceback" in err:
            problem = "a traceback"
        elif o.seconds > case.seconds:
            problem = f"took {o.seconds:.0f} s"
        elif o.mib > 1024:
            problem = f"needed {o.mib:.0f} MiB"
        try:
            problem = problem or case.expect(o) or not_executed(o)
        except Exception as exc:  # noqa: BLE001 - a malformed output is a failed case
            problem = f"{type(exc).__name__}: {exc}"
        return o, problem


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", action="append", default=[], help="only cases whose id contains this (repeatable)")
    args = ap.parse_args()
    bad = 0
    print("| case | exit | first line of stderr | s | MiB | ok |\n|---|---|---|---|---|---|")
    for case in CASES:
        if args.k and not any(k in case.id for k in args.k):
            continue
        o, problem = run(case)
        bad += problem is not None
        line = o.line().replace("|", "\\|")[:110]
        print(f"| {case.id} | {o.code} | {line} | {o.seconds:.1f} | {o.mib:.0f} | {'yes' if not problem else 'NO: ' + problem} |",
              flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
