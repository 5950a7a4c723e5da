"""Where derive's own templates and ``derive.sty`` live: package data.

They ship inside the package (``derive/templates/``) and are located through
``importlib.resources``, so an installed wheel finds them from any directory.
A user's ``--templates DIR`` is searched before this directory (see
``render.environment``).
"""
from __future__ import annotations

import atexit
import contextlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

STY = "derive.sty"


@lru_cache(maxsize=1)
def template_dir() -> Path:
    """The directory holding derive's templates and ``derive.sty`` (a real path).

    For a zipped install the directory is extracted once for the life of the
    process (``importlib.resources.as_file``).
    """
    ref = resources.files(__package__).joinpath("templates")
    if isinstance(ref, Path):
        return ref
    stack = contextlib.ExitStack()
    atexit.register(stack.close)
    return Path(stack.enter_context(resources.as_file(ref)))


def sty_path() -> Path:
    """The path of ``derive.sty``, for TEXINPUTS or copying next to a document."""
    return template_dir() / STY
