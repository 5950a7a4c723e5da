"""The last stage: LaTeX text -> PDF on disk (the only stage that runs programs).

PyLaTeX drives latexmk, always without shell escape, in a private temporary
directory next to the output, so a failed build never leaves a PDF that looks
like a success and outputs appear atomically (``os.replace``).
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from pylatex import Document
from pylatex.errors import CompilerError

from .errors import LatexBuildError
from .resources import template_dir

LATEXMK_ARGS = ["-pdf", "-no-shell-escape", "-halt-on-error", "-file-line-error"]
SUPPORT_FILES = ("derive.sty",)


class _Rendered(Document):
    """A PyLaTeX document whose text was already rendered by our templates."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def dumps(self) -> str:  # noqa: D401 - PyLaTeX API
        return self._text


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


def up_to_date(text: str, out_dir: Path, name: str) -> bool:
    """True when ``name.pdf`` was built from exactly this text (warm rebuilds)."""
    stamp = out_dir / f".{name}.stamp"
    pdf = out_dir / f"{name}.pdf"
    return pdf.exists() and stamp.exists() and stamp.read_text() == _stamp(text)


def _inputs_path(out_dir: Path, name: str) -> Path:
    return Path(out_dir) / f".{name}.inputs"


def inputs_unchanged(out_dir: Path, name: str, fingerprint: str) -> bool:
    """True when ``name.pdf`` was built from inputs with this fingerprint."""
    path = _inputs_path(out_dir, name)
    return (Path(out_dir) / f"{name}.pdf").exists() and path.exists() and path.read_text() == fingerprint


def record_inputs(out_dir: Path, name: str, fingerprint: str) -> None:
    write_atomic(_inputs_path(out_dir, name), fingerprint)


def remove_outputs(out_dir: Path, name: str, keep_tex: bool = False) -> None:
    """Delete a sheet's PDF and stamps (and .tex unless ``keep_tex``) after a failure."""
    out_dir = Path(out_dir)
    doomed = [out_dir / f"{name}.pdf", out_dir / f".{name}.stamp", _inputs_path(out_dir, name)]
    if not keep_tex:
        doomed.append(out_dir / f"{name}.tex")
    for path in doomed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def first_error(log: str, limit: int = 6) -> str:
    """The first error of a LaTeX log, with a few lines of context."""
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("!") or re.match(r"^[^:\s]+\.tex:\d+: ", line):
            return " | ".join(l.strip() for l in lines[i:i + limit] if l.strip())
    tail = [l.strip() for l in lines if l.strip()][-limit:]
    return " | ".join(tail) or "no log was written"


def build_pdf(text: str, out_dir: Path, name: str, force: bool = False) -> Path:
    """Write ``out_dir/name.tex`` and compile it to ``out_dir/name.pdf``.

    Skips compilation when the PDF was already built from identical text.
    Raises ``LatexBuildError`` naming the .tex file and quoting the log.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tex_path, pdf_path, stamp = out_dir / f"{name}.tex", out_dir / f"{name}.pdf", out_dir / f".{name}.stamp"
    write_atomic(tex_path, text)
    if not force and up_to_date(text, out_dir, name):
        return pdf_path
    # Remove the old PDF first: if this build fails, nothing may claim success.
    remove_outputs(out_dir, name, keep_tex=True)
    work = Path(tempfile.mkdtemp(dir=out_dir, prefix=f".{name}-build-"))
    try:
        for support in SUPPORT_FILES:
            shutil.copy(template_dir() / support, work / support)
        doc = _Rendered(text)
        captured = io.StringIO()
        try:
            with contextlib.redirect_stdout(captured):
                doc.generate_pdf(str(work / name), clean=False, clean_tex=False,
                                 compiler="latexmk", compiler_args=list(LATEXMK_ARGS))
        except subprocess.CalledProcessError as exc:
            log_file = work / f"{name}.log"
            log = log_file.read_text(errors="replace") if log_file.exists() else (exc.output or b"").decode(errors="replace")
            raise LatexBuildError(f"{tex_path}: LaTeX failed: {first_error(log)}") from None
        except CompilerError:
            raise LatexBuildError("latexmk was not found; run 'make setup' to install TeX") from None
        built = work / f"{name}.pdf"
        if not built.exists():
            raise LatexBuildError(f"{tex_path}: LaTeX produced no PDF")
        os.replace(built, pdf_path)
        write_atomic(stamp, _stamp(text))
        return pdf_path
    finally:
        shutil.rmtree(work, ignore_errors=True)


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
