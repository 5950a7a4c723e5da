"""Shared fixtures: one verifier per test session (it keeps a worker process)."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from derive import pipeline as pl
from derive.step import VerifiedDerivation
from derive.verify import Verifier


@pytest.fixture(scope="session")
def verifier() -> Verifier:
    with Verifier() as v:
        yield v


@pytest.fixture(scope="session")
def derive_run(verifier: Verifier) -> Callable[..., VerifiedDerivation]:
    """``derive_run(name, **params)`` -> a verified derivation (raises on a bad step)."""

    def run(name: str, **params: Any) -> VerifiedDerivation:
        return verifier.verify(pl.run(name, params))

    return run
