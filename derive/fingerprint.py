"""Fingerprints of everything a sheet depends on, for warm rebuilds.

A sheet is a function of its (overridden) spec, derive's own code and the
templates; when none of them changed since the last successful build, the PDF
on disk is current and nothing needs to be derived, verified or compiled.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable

PACKAGE_DIR = Path(__file__).resolve().parent


def fingerprint(spec_repr: str, template_dirs: Iterable[Path]) -> str:
    h = hashlib.sha256(spec_repr.encode("utf-8"))
    for root in (PACKAGE_DIR, *template_dirs):
        for path in sorted(Path(root).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".j2", ".sty", ".tex"):
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()
