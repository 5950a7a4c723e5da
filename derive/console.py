"""What the CLI says besides its output: verbosity, progress and summaries.

``-q`` (verbosity 0) prints only the requested output and errors; the default
(1) adds the summary line (``wrote build/core.pdf ...``) and, when stderr is a
terminal, a progress line that rewrites itself; ``-v`` (2 and more) prints
every progress message as its own line on stderr, terminal or not, and lets a
command show more detail (``derive check -v`` lists the valid steps too).
The library never prints: it takes a ``progress`` callback, and the CLI passes
``console.progress``.
"""
from __future__ import annotations

import sys
from typing import TextIO

QUIET, NORMAL, VERBOSE = 0, 1, 2

_state = {"verbosity": NORMAL, "live": False}


def set_verbosity(level: int) -> None:
    _state["verbosity"] = level


def verbosity() -> int:
    return int(_state["verbosity"])


def _tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def progress(message: str, stream: TextIO | None = None) -> None:
    """A progress message on stderr: rewritten in place on a terminal, a line with ``-v``."""
    stream = stream or sys.stderr
    level = verbosity()
    if level >= VERBOSE:
        end_progress(stream)
        print(message, file=stream, flush=True)
    elif level >= NORMAL and _tty(stream):
        stream.write("\r\x1b[K" + message[:200])
        stream.flush()
        _state["live"] = True


def end_progress(stream: TextIO | None = None) -> None:
    """Clear a live progress line before normal output follows."""
    stream = stream or sys.stderr
    if _state["live"]:
        stream.write("\r\x1b[K")
        stream.flush()
        _state["live"] = False


def info(message: str) -> None:
    """A summary line on stdout (``wrote ...``), unless ``-q``."""
    end_progress()
    if verbosity() >= NORMAL:
        print(message, flush=True)
