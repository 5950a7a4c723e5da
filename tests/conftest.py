"""Shared fixtures: one verifier per test session (it keeps a worker process)."""
from __future__ import annotations

import json
import os
from pathlib import Path
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


def _derive_caches() -> list[Any]:
    import functools
    import sys
    return [f for name, mod in list(sys.modules.items()) if name.startswith("derive.")
            for f in vars(mod).values() if isinstance(f, functools._lru_cache_wrapper)]


@pytest.fixture(autouse=True)
def _fresh_caches_under_mutmut() -> None:
    """Under mutmut, every test starts with derive's lru caches empty (``tokens.normalise`` keeps
    8192 readings).  mutmut maps each function to the tests that call it in its stats run; with a
    warm cache only the first test to read a text calls the token writer, so a mutant there was run
    against tests that never reach it and "survived" while test_parse's normaliser table kills it
    (session 6: ``tokens._Writer.emit`` mutmut_20 and ``macro`` mutmut_18)."""
    if "MUTANT_UNDER_TEST" in os.environ:
        for f in _derive_caches():
            f.cache_clear()
        import sys
        for module, name in _MEMOS:
            memo = getattr(sys.modules.get(module), name, None)
            if isinstance(memo, dict):
                memo.clear()


#: Module-level dicts that memoise results across tests, emptied as the lru caches are: mutmut
#: forks each mutant's run from a process that has run the tests, so a warm memo skipped the
#: mutated code (session 8: symbolic._VALUES hid every mutant of improper_values, and of the
#: integrable tests behind it, from test_poles and test_layers_divergent, which kill them).
_MEMOS = (("derive.verify.symbolic", "_VALUES"), ("derive.verify.quadrature", "_VALUES"),
          ("derive.verify.quadrature", "_LAMBDIFIED"), ("derive.check.directives", "_READ"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under mutmut (`make mutation`) run the fastest tests first.

    mutmut runs each mutant's tests with ``-x``, so a killed mutant costs the tests up to the
    first failure; fastest-first (by the call times mutmut recorded in mutmut-stats.json, in
    the mutants/ folder it runs from) reaches a cheap killer before a slow corpus test.  The
    clean run mutmut does first uses the same order, so an order-dependent test shows there.
    """
    if "MUTANT_UNDER_TEST" not in os.environ or not Path("mutmut-stats.json").is_file():
        return
    durations = json.loads(Path("mutmut-stats.json").read_text()).get("duration_by_test", {})
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Let pytest make each explicit ``ids=[...]`` afresh in every session.

    pytest 9 keeps the ids it made for a ``parametrize`` mark on the mark itself
    (``_param_ids_generated``) and, in a second session in the same process, escapes them
    again: ``test_gcd_steps[\\lcm(4, 6) = 12]`` becomes ``[\\\\lcm(4, 6) = 12]``.  mutmut 3.8
    runs pytest in-process several times (collection warm-up, stats, the clean run, forked
    mutant runs), so the test ids it recorded were "not found" and ``make mutation`` stopped
    with BadTestExecutionCommandsException (pytest exit code 4).  Dropping the kept ids
    makes pytest compute them from ``ids`` again, which gives the same ids as a first session.
    """
    for mark in metafunc.definition.iter_markers(name="parametrize"):
        source = getattr(mark, "_param_ids_from", None)
        if source is not None and getattr(source, "_param_ids_generated", None) is not None:
            object.__setattr__(source, "_param_ids_generated", None)
