"""``derive check``: verify hand-written LaTeX derivations step by step.

``extract`` finds the math and splits it into chains of steps, ``parse`` turns
each side into SymPy (opaque atoms for notation it must not look inside),
``directives`` reads assumptions and givens, ``judge`` asks the engine's
verifier for a verdict per step, ``report`` formats the results, ``annotate``
re-typesets the derivation with a mark per step, and ``cli`` is the command.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .equivalence import equivalent
from .judge import Premises, check_source
from .report import Report, StepReport, Verdict

__all__ = ["check", "check_text", "equivalent", "Report", "StepReport", "Verdict", "Premises"]


def check_text(src: str, assumptions: Iterable[str] = (), timeout: float = 5.0,
               givens: Iterable[str] = (), name: str = "<input>") -> Report:
    """Check every step of LaTeX source ``src`` (a document or a fragment)."""
    return check_source(src, name, Premises(list(assumptions), list(givens)), timeout)


def check(text_or_path: str | Path, assumptions: Iterable[str] = (), givens: Iterable[str] = (),
          timeout: float = 5.0) -> Report:
    """``derive.check(...)``: check a file (a ``Path``, or a string naming an existing
    file) or LaTeX source text; the same limits as ``derive check FILE``."""
    path = _as_path(text_or_path)
    if path is None:
        return check_text(str(text_or_path), assumptions, timeout, givens)
    from .cli import read_source

    try:
        data = path.read_bytes()
    except OSError as exc:
        from ..errors import CheckInputError

        raise CheckInputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return check_text(read_source(data, str(path)), assumptions, timeout, givens, name=str(path))


def _as_path(value: str | Path) -> Path | None:
    if isinstance(value, Path):
        return value
    if "\n" in value or "\\" in value or "$" in value or len(value) > 4096:
        return None
    try:
        return Path(value) if Path(value).is_file() else None
    except (OSError, ValueError):
        return None


from ..callmodule import make_callable  # noqa: E402

make_callable(__name__, check)   # derive.check(text_or_path, **options)
