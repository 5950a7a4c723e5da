"""derive: a symbolic derivation engine that writes verified LaTeX proofs.

The Python API (README, "Python API"); everything but the data model is
imported on first use, so ``import derive`` stays light (SymPy only):

- ``derive.run(name, **params) -> VerifiedDerivation``: run a pipeline and verify it;
- ``derive.sheet(path, out_dir="build", **options) -> SheetBuild``: build a sheet's PDF;
- ``derive.check(text_or_path, assumptions=..., givens=..., timeout=5) -> Report``;
- ``derive.equivalent(a, b, assumptions=...) -> Verdict``: two LaTeX expressions.

``derive.sheet`` and ``derive.check`` are also the modules of those names
(callable modules, see ``derive.callmodule``).
"""
from typing import Any

from .errors import DeriveError
from .step import Derivation, Rel, Step, Verdict, VerifiedDerivation

__version__ = "0.1.0"

__all__ = ["DeriveError", "Derivation", "Rel", "Step", "Verdict", "VerifiedDerivation", "__version__",
           "run", "sheet", "check", "equivalent"]


def run(name: str, /, **params: Any) -> VerifiedDerivation:
    """Run pipeline ``name`` with ``params`` and verify every step.

    Values are what ``--set`` accepts (numbers, SymPy-syntax strings, JSON-like
    lists and dicts); SymPy objects are passed as their string form, so they go
    through the same safe reader.  Raises ``DeriveError`` subclasses.
    """
    import sympy as sp

    from . import pipeline as pl
    from .verify import Verifier

    raw = {k: (str(v) if isinstance(v, sp.Basic) else v) for k, v in params.items()}
    derivation = pl.run(name, raw)
    with Verifier() as verifier:
        return verifier.verify(derivation)


def equivalent(a: str, b: str, assumptions: Any = (), timeout: float = 5.0) -> Any:
    """Whether LaTeX expressions ``a`` and ``b`` are equal under ``assumptions``
    (e.g. ``["x > 0"]``), as a ``derive.check.Verdict``."""
    from .check import equivalent as _equivalent

    return _equivalent(a, b, assumptions=assumptions, timeout=timeout)


def __getattr__(name: str) -> Any:
    # derive.sheet / derive.check: the (callable) submodules, imported on first use.
    if name in ("sheet", "check"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'derive' has no attribute {name!r}")
