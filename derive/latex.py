"""The last stage: LaTeX text -> PDF on disk (the only stage that runs programs).

pdflatex runs in a private temporary directory next to the output, so a failed
build never leaves a PDF that looks like a success and outputs appear
atomically (``os.replace``).  It runs as often as latexmk would (again while
the cross-reference files change), but a first pass that wrote nothing a
second would read is the last, and the preamble of derive's templates (up to
``DUMP_MARK``) is loaded from a format built once per build directory
(``.cache/tex/``); ``texrun`` runs TeX, confined (no shell escape, no file
access outside its directory) and within a wall-clock limit
(``DERIVE_LATEX_TIMEOUT``, default 120 s) after which the whole process group
is killed.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import LatexBuildError, UsageError
from .resources import template_dir
# Re-exported: TeX's confinement and the dump mark are part of this stage's interface.
from .texrun import DUMP_MARK, SUPPORT_FILES, TEX_ARGS, TEX_ENV, compile_tex, copy_support, run_tex  # noqa: F401


def latex_timeout() -> float:
    """Seconds a LaTeX build may take: ``DERIVE_LATEX_TIMEOUT`` or 120."""
    raw = os.environ.get("DERIVE_LATEX_TIMEOUT", "")
    try:
        value = float(raw) if raw else 120.0
    except ValueError:
        raise UsageError(f"DERIVE_LATEX_TIMEOUT={raw!r} is not a number of seconds") from None
    if not (0 < value < 1e6):
        raise UsageError(f"DERIVE_LATEX_TIMEOUT={raw!r} must be a positive number of seconds")
    return value


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, **({} if isinstance(data, bytes) else {"encoding": "utf-8"})) as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _stamp(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pdf_digest(pdf: Path) -> str | None:
    """SHA-256 of a PDF that looks whole (``%PDF-`` header, ``%%EOF`` trailer), else ``None``."""
    try:
        data = Path(pdf).read_bytes()
    except OSError:
        return None
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        return None
    return hashlib.sha256(data).hexdigest()


def _read_small(path: Path) -> str | None:
    """A stamp's text, or ``None`` when it is missing, unreadable or garbled (then: rebuild)."""
    try:
        if not path.is_file() or path.stat().st_size > 4096:
            return None
        return path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None


def _current(path: Path, expected: str, pdf: Path) -> bool:
    recorded = _read_small(path)
    if recorded is None or not recorded.startswith(expected + " "):
        return False
    digest = pdf_digest(pdf)
    return digest is not None and recorded == f"{expected} {digest}"


def up_to_date(text: str, out_dir: Path, name: str) -> bool:
    """True when ``name.pdf`` was built from exactly this text and is the PDF that build wrote."""
    out_dir = Path(out_dir)
    return _current(out_dir / f".{name}.stamp", _stamp(text), out_dir / f"{name}.pdf")


def _inputs_path(out_dir: Path, name: str) -> Path:
    return Path(out_dir) / f".{name}.inputs"


def inputs_unchanged(out_dir: Path, name: str, fingerprint: str) -> bool:
    """True when ``name.pdf`` was built from inputs with this fingerprint (and is intact)."""
    return _current(_inputs_path(out_dir, name), fingerprint, Path(out_dir) / f"{name}.pdf")


def record_inputs(out_dir: Path, name: str, fingerprint: str) -> None:
    digest = pdf_digest(Path(out_dir) / f"{name}.pdf")
    if digest is not None:
        _write_stamp(_inputs_path(out_dir, name), f"{fingerprint} {digest}")


def _write_stamp(path: Path, text: str) -> None:
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write the build stamp ({exc.strerror or exc})") from None


def remove_outputs(out_dir: Path, name: str, keep_tex: bool = False) -> None:
    """Delete a sheet's PDF and stamps (and .tex unless ``keep_tex``) after a failure."""
    out_dir = Path(out_dir)
    doomed = [out_dir / f"{name}.pdf", out_dir / f".{name}.stamp", _inputs_path(out_dir, name)]
    if not keep_tex:
        doomed.append(out_dir / f"{name}.tex")
    for path in doomed:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise UsageError(f"{path}: cannot remove an old output ({exc.strerror or exc})") from None


_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}")


def plain_name(name: str) -> str:
    """An output name (``--name``): a plain file name, never a path."""
    if not isinstance(name, str) or not _PLAIN_NAME.fullmatch(name):
        raise UsageError(f"--name {name!r}: must be a plain file name (letters, digits, . _ + -; no directory)")
    return name


def output_dir(out_dir: Path) -> Path:
    """``out_dir``, created if needed; a ``UsageError`` when it cannot be a directory."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        if not out_dir.is_dir():
            raise NotADirectoryError(20, "not a directory")
        probe = tempfile.NamedTemporaryFile(dir=out_dir, prefix=".derive-probe-", delete=True)
        probe.close()
    except FileExistsError:
        raise UsageError(f"{out_dir}: not a directory") from None
    except OSError as exc:
        raise UsageError(f"{out_dir}: cannot write there ({exc.strerror or exc})") from None
    return out_dir


def first_error(log: str, limit: int = 6) -> str:
    """The first error of a LaTeX log, with a few lines of context."""
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("!") or re.match(r"^[^:\s]+\.tex:\d+: ", line):
            return " | ".join(l.strip() for l in lines[i:i + limit] if l.strip())
    tail = [l.strip() for l in lines if l.strip()][-limit:]
    return " | ".join(tail) or "no log was written"


def build_pdf(text: str, out_dir: Path, name: str, force: bool = False, timeout: float | None = None) -> Path:
    """Write ``out_dir/name.tex`` and compile it to ``out_dir/name.pdf``.

    Skips compilation when the PDF was already built from identical text.
    Raises ``LatexBuildError`` naming the .tex file and quoting the log.
    """
    out_dir = output_dir(out_dir)
    tex_path, pdf_path, stamp = out_dir / f"{name}.tex", out_dir / f"{name}.pdf", out_dir / f".{name}.stamp"
    write_atomic(tex_path, text)
    if not force and up_to_date(text, out_dir, name):
        return pdf_path
    # Remove the old PDF first: if this build fails, nothing may claim success.
    remove_outputs(out_dir, name, keep_tex=True)
    work = Path(tempfile.mkdtemp(dir=out_dir, prefix=f".{name}-build-"))
    try:
        copy_support(work)
        (work / f"{name}.tex").write_text(text, encoding="utf-8")
        try:
            code, output = compile_tex(work, name, text, out_dir / ".cache" / "tex",
                                       latex_timeout() if timeout is None else timeout)
        except LatexBuildError as exc:
            raise LatexBuildError(f"{tex_path}: {exc}") from None
        if code != 0:
            log_file = work / f"{name}.log"
            log = log_file.read_text(errors="replace") if log_file.exists() else output
            raise LatexBuildError(f"{tex_path}: LaTeX failed: {first_error(log)}")
        built = work / f"{name}.pdf"
        if not built.exists():
            raise LatexBuildError(f"{tex_path}: LaTeX produced no PDF")
        if pdf_digest(built) is None:
            raise LatexBuildError(f"{tex_path}: LaTeX produced an incomplete PDF")
        os.replace(built, pdf_path)
        if (work / f"{name}.log").exists():  # kept for layout checks (overfull boxes)
            os.replace(work / f"{name}.log", out_dir / f"{name}.log")
        _write_stamp(stamp, f"{_stamp(text)} {pdf_digest(pdf_path)}")
        return pdf_path
    finally:
        shutil.rmtree(work, ignore_errors=True)


class TexQueue:
    """PDFs compiled in parallel, at most ``workers`` (default: one per core) at a time.

    Each job is a thread waiting on its own confined pdflatex (``build_pdf``);
    ``submit`` returns a future of the PDF's path (or of its ``LatexBuildError``).
    """

    def __init__(self, workers: int | None = None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max(1, workers or os.cpu_count() or 1), thread_name_prefix="tex")

    def submit(self, text: str, out_dir: Path, name: str, force: bool = False, timeout: float | None = None):
        return self._pool.submit(build_pdf, text, out_dir, name, force, timeout)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)

    def __enter__(self) -> "TexQueue":
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=exc[0] is not None)


# --------------------------------------------------------------------------- #
# derive.sty for the user's own LaTeX (derive install-sty)
# --------------------------------------------------------------------------- #

def texmf_home() -> Path:
    """``kpsewhich -var-value TEXMFHOME``: the user's own TeX tree."""
    try:
        out = subprocess.run(["kpsewhich", "-var-value", "TEXMFHOME"], capture_output=True, text=True,
                             timeout=30, check=False).stdout.strip()
    except FileNotFoundError:
        raise LatexBuildError("kpsewhich was not found; run 'make setup' to install TeX") from None
    except subprocess.TimeoutExpired:
        raise LatexBuildError("kpsewhich -var-value TEXMFHOME did not answer in 30 s") from None
    if not out:
        raise LatexBuildError("kpsewhich reports no TEXMFHOME; give --texmf DIR")
    return Path(out).expanduser()


def install_sty(texmf: Path | None = None) -> Path:
    """Copy ``derive.sty`` to ``TEXMF/tex/latex/derive/`` and return its new path.

    TEXMFHOME is searched without an ``ls-R`` database, so ``kpsewhich
    derive.sty`` finds the copy at once; for another tree run ``mktexlsr``.
    """
    dest = Path(texmf or texmf_home()) / "tex" / "latex" / "derive" / "derive.sty"
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(dest, (template_dir() / "derive.sty").read_bytes())
    except OSError as exc:
        raise LatexBuildError(f"{dest}: cannot install derive.sty ({exc.strerror or exc})") from None
    return dest
