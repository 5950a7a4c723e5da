"""derive: a symbolic derivation engine that writes verified LaTeX proofs.

Import is kept light (SymPy only); the renderer, PDF builder and pipelines are
loaded on first use.
"""
from .errors import DeriveError
from .step import Derivation, Rel, Step, Verdict, VerifiedDerivation

__version__ = "0.1.0"

__all__ = ["DeriveError", "Derivation", "Rel", "Step", "Verdict", "VerifiedDerivation", "__version__"]
