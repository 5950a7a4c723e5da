"""Error hierarchy.

Every failure a user can cause or meet is a ``DeriveError``; the CLI maps it to
one line ``derive: error: ...`` and an exit code, so no traceback ever reaches a
user for bad input.  Subclasses say which stage failed.
"""
from __future__ import annotations


class DeriveError(Exception):
    """Base class of every error that derive reports to a user."""

    exit_code = 1


class UsageError(DeriveError):
    """The command line or an API call was malformed (exit code 2)."""

    exit_code = 2


class UnknownPipelineError(UsageError):
    """No pipeline is registered under the requested name."""


class ParameterError(UsageError):
    """A parameter is unknown, does not parse, or lies outside its domain."""


class SpecError(UsageError):
    """A sheet specification is missing or malformed."""


class InvalidStepError(DeriveError):
    """A derivation step failed verification; nothing may be rendered."""


class CrossCheckError(DeriveError):
    """An independent cross-check (Monte-Carlo, quadrature) disagreed."""


class LatexBuildError(DeriveError):
    """LaTeX failed to compile a generated document."""


class CheckInputError(UsageError):
    """`derive check` could not read its input."""


class PipelineError(DeriveError):
    """A pipeline raised something other than a ``DeriveError`` while building.

    The message names the pipeline and the parameters the user set, since a
    value the pipeline cannot handle (``--set C=n`` reaching ``int()``) is the
    usual cause; ``--debug`` shows the original traceback (``__cause__``).
    """


class TemplateError(DeriveError):
    """A Jinja template is missing, malformed or refers to an unknown name."""


class PluginError(DeriveError):
    """A plugin pipeline module (entry point or ``--pipelines DIR``) failed to load."""


def suggest(word: str, choices, n: int = 1) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices`` to ``word``, or ``""``.

    Append it to an error message: ``f"unknown key {k!r}{suggest(k, keys)}"``.
    Closeness is difflib's ratio (cutoff 0.6; ties alphabetical), so unrelated words suggest nothing.
    """
    import difflib

    word = str(word)
    scored = []
    for choice in {str(c) for c in choices}:
        m = difflib.SequenceMatcher(None, word, choice)
        if m.real_quick_ratio() >= 0.6 and m.quick_ratio() >= 0.6 and m.ratio() >= 0.6:
            scored.append((-m.ratio(), choice))
    close = [c for _, c in sorted(scored)[:n]]   # ties: alphabetical, so messages are stable
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
