"""Running TeX for ``latex`` (the PDF stage): confined pdflatex passes and preamble formats.

Every TeX process is confined: no shell escape, ``openin_any=p``/``openout_any=p``
(no reading or writing outside its directory, e.g. ``\\input{/etc/passwd}``), a
CPU limit, and a wall-clock limit after which its whole process group is killed.

``compile_tex`` runs pdflatex as often as latexmk would (again while the
cross-reference files change), except that a first pass that wrote nothing a
second pass would read is the last (derive's sheets have no cross-references:
one pass).  A template marks the end of the packages it loads with
``DUMP_MARK``; that part of the preamble is compiled once per build directory
into a format (``pdflatex -ini`` with mylatexformat, under ``.cache/tex/``,
keyed by the preamble, ``derive.sty`` and the TeX installation), and every
document with the same preamble starts from it.  A format is the same TeX code
run ahead of time; when it cannot be built or loaded, the document is compiled
from its full preamble.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from .errors import LatexBuildError
from .resources import template_dir

#: Arguments of every pdflatex pass (derive runs the passes itself; see ``compile_tex``).
TEX_ARGS = ["-no-shell-escape", "-halt-on-error", "-file-line-error", "-interaction=nonstopmode"]
#: A template puts this after the packages it loads: the preamble up to it is compiled once
#: into a format (mylatexformat's ``\endofdump``; without a format it is ``\relax``).
DUMP_MARK = "\\csname endofdump\\endcsname"
#: Passes at most, as latexmk's default; a document without cross-references needs one.
MAX_PASSES = 5
SUPPORT_FILES = ("derive.sty",)
#: kpathsea settings of every TeX run: paranoid file access, no shell escape.
TEX_ENV = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}


#: Runs the TeX command in its own process group and takes the whole group down
#: when derive dies, even by ``kill -9`` (``PR_SET_PDEATHSIG`` delivers SIGTERM).
#: It sets the CPU budget its TeX child inherits (not a ``preexec_fn``, which is
#: unsafe while other threads run: sheets compile in parallel threads).
_WATCHDOG = """
import ctypes, os, resource, signal, subprocess, sys
def stop(*_):
    os.killpg(os.getpgrp(), signal.SIGKILL)
signal.signal(signal.SIGTERM, stop)
try:
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)
except Exception:
    pass
if os.getppid() != int(sys.argv[1]):
    stop()
try:
    cpu = int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
except (ValueError, OSError):
    pass
try:
    child = subprocess.Popen(sys.argv[3:])
except FileNotFoundError:
    print("derive-watchdog: not found", flush=True)
    sys.exit(127)
sys.exit(child.wait())
"""


def run_tex(cmd: list[str], cwd: Path, timeout: float) -> tuple[int, str]:
    """Run a TeX program confined (``TEX_ENV``), killing its process group after ``timeout``."""
    import sys

    env = {**os.environ, **TEX_ENV}
    cpu = str(int(timeout) + 5)        # a CPU budget, inherited by pdflatex
    proc = subprocess.Popen([sys.executable, "-S", "-c", _WATCHDOG, str(os.getpid()), cpu, *cmd], cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise LatexBuildError(f"LaTeX did not finish within {timeout:g} s (killed)") from None
    except BaseException:
        _kill_group(proc)
        raise
    text = out.decode("utf-8", errors="replace")
    if proc.returncode == 127 and text.startswith("derive-watchdog: not found"):
        raise LatexBuildError(f"{cmd[0]} was not found; run 'make setup' to install TeX")
    return proc.returncode, text


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        proc.communicate(timeout=10)


def copy_support(work: Path) -> None:
    for support in SUPPORT_FILES:
        shutil.copy(template_dir() / support, work / support)


# --------------------------------------------------------------------------- #
# Passes: as many as latexmk would run, but no second pass that reads nothing
# --------------------------------------------------------------------------- #

#: Files a pass writes for the next one to read.
_XREF_SUFFIXES = (".aux", ".out", ".toc", ".lof", ".lot")
#: Lines of a first pass's .aux that tell the next pass nothing about the document:
#: LaTeX's and hyperref's own definitions and the page count (read only by
#: ``\PreviousTotalPages``, which derive's templates do not use).
_INERT_AUX = re.compile(r"\\relax|\\providecommand\\(hyper@newdestlabel|HyperFirstAtBeginDocument|HyField@\w+)"
                        r"(\[\d\])?\{.*\}|\\HyperFirstAtBeginDocument\{\\ifx\\hyper@anchor\\@undefined"
                        r"|\\global\\let\\oldnewlabel\\newlabel|\\gdef\\newlabel#1#2\{\\newlabelxx\{#1\}#2\}"
                        r"|\\gdef\\newlabelxx#1#2#3#4#5#6\{\\oldnewlabel\{#1\}\{\{#2\}\{#3\}\}\}"
                        r"|\\AtEndDocument\{\\ifx\\hyper@anchor\\@undefined|\\let\\newlabel\\oldnewlabel"
                        r"|\\fi\}|\\global\\let\\hyper@last\\relax|\\gdef\\HyperFirstAtBeginDocument#1\{#1\}"
                        r"|\\gdef ?\\@abspage@last\{\d+\}")
_RERUN = re.compile(r"Rerun to get|Label\(s\) may have changed|Rerun LaTeX|There were undefined references")


def _xref_state(work: Path, name: str) -> dict[str, bytes]:
    out = {}
    for suffix in _XREF_SUFFIXES:
        path = work / f"{name}{suffix}"
        with contextlib.suppress(OSError):
            out[suffix] = path.read_bytes()
    return out


def _inert(state: dict[str, bytes], text: str) -> bool:
    """True when a first pass wrote nothing a second pass would read differently."""
    if "PreviousTotalPages" in text or any(data.strip() for suffix, data in state.items() if suffix != ".aux"):
        return False
    lines = state.get(".aux", b"").decode("latin-1").splitlines()
    return all(not line.strip() or _INERT_AUX.fullmatch(line.strip()) for line in lines)


def compile_tex(work: Path, name: str, text: str, format_dir: Path | None, timeout: float) -> tuple[int, str]:
    """pdflatex on ``work/name.tex`` until the cross-reference files are stable: ``(code, output)``.

    A preamble with ``DUMP_MARK`` is loaded from a format (built once, under
    ``format_dir``), which is the same TeX code run ahead of time; the whole
    run, format included, is bounded by ``timeout`` seconds.
    """
    import time

    deadline = time.monotonic() + timeout
    fmt = texformat(work, name, text, format_dir, timeout) if format_dir is not None else None
    args = [f"-fmt={fmt}"] if fmt else []
    code, output, number = 0, "", 0
    while number < MAX_PASSES:
        before = _xref_state(work, name)
        left = deadline - time.monotonic()
        if left <= 0:
            raise LatexBuildError(f"LaTeX did not finish within {timeout:g} s (killed)")
        try:
            code, output = run_tex(["pdflatex", *args, *TEX_ARGS, f"{name}.tex"], work, left)
        except LatexBuildError:
            raise LatexBuildError(f"LaTeX did not finish within {timeout:g} s (killed)") from None
        if code != 0 and args and "format file" in output:     # an unusable format: do without
            args = []
            continue
        number += 1
        after = _xref_state(work, name)
        if code != 0 or (number == 1 and _inert(after, text)):
            break
        if after == before and not _RERUN.search(output):
            break
    return code, output


# --------------------------------------------------------------------------- #
# Formats: the shared preamble of derive's templates, compiled once
# --------------------------------------------------------------------------- #

_FORMAT_LOCK = threading.Lock()
_FORMAT_LOCKS: dict[str, threading.Lock] = {}


@functools.lru_cache(maxsize=1)
def _tex_identity() -> str:
    """What a format depends on besides its preamble: the TeX installation's own format."""
    try:
        found = subprocess.run(["kpsewhich", "-engine=pdftex", "pdflatex.fmt"], capture_output=True, text=True, timeout=30,
                               env={**os.environ, **TEX_ENV}).stdout.strip()
        info = os.stat(found)
    except (OSError, subprocess.SubprocessError):
        return ""
    return f"{found} {info.st_size} {info.st_mtime_ns}"


def texformat(work: Path, name: str, text: str, format_dir: Path, timeout: float) -> str | None:
    """A format holding ``text``'s preamble up to ``DUMP_MARK``, linked into ``work``;
    its name for ``-fmt``, or ``None`` (no mark, no TeX identity, or the format failed)."""
    cut = text.find(DUMP_MARK)
    identity = _tex_identity()
    if cut < 0 or "\\begin{document}" in text[:cut] or not identity:
        return None
    h = hashlib.sha256(f"{identity}\x1f{text[:cut]}".encode())
    for support in SUPPORT_FILES:
        h.update((template_dir() / support).read_bytes())
    key = h.hexdigest()[:32]
    cached = format_dir / f"{key}.fmt"
    with _FORMAT_LOCK:
        lock = _FORMAT_LOCKS.setdefault(key, threading.Lock())
    with lock:                  # one build per format and process; other processes replace atomically
        if not cached.is_file() and not _make_format(work, name, cached, timeout):
            return None
    try:
        os.link(cached, work / "derive-preamble.fmt")
    except OSError:
        try:
            shutil.copy(cached, work / "derive-preamble.fmt")
        except OSError:
            return None
    return "derive-preamble"


def _make_format(work: Path, name: str, target: Path, timeout: float) -> bool:
    """``pdflatex -ini`` with mylatexformat on the document's preamble (confined like every run)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        ini = Path(tempfile.mkdtemp(dir=target.parent, prefix=".fmt-"))
    except OSError:
        return False
    try:
        copy_support(ini)
        shutil.copy(work / f"{name}.tex", ini / "preamble.tex")
        code, _ = run_tex(["pdflatex", "-ini", "-jobname=derive-preamble", *TEX_ARGS, "&pdflatex",
                           "mylatexformat.ltx", "preamble.tex"], ini, timeout)
        if code != 0 or not (ini / "derive-preamble.fmt").is_file():
            return False
        os.replace(ini / "derive-preamble.fmt", target)
        return True
    except (OSError, LatexBuildError):
        return False
    finally:
        shutil.rmtree(ini, ignore_errors=True)
