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


@pytest.fixture
def run_error(capsys) -> Callable[..., str]:
    """``run_error(name, ["k=v", ...])``: run the CLI, expect exit 2 and one
    error line, and return that line without the ``derive: error: `` prefix."""
    from derive import cli

    def run(name: str, sets: list[str]) -> str:
        argv = ["run", name] + [a for kv in sets for a in ("--set", kv)]
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("derive: error: ")
        return err.strip()[len("derive: error: "):]

    return run
