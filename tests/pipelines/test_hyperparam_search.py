"""hyperparam_search against brute-force loops over N (exact fractions)."""
from __future__ import annotations

import json
from fractions import Fraction
from math import prod

import pytest
import sympy as sp

from derive import cli


def brute_force_trials(p: Fraction, q: Fraction) -> int:
    """The least N with 1 - (1 - p)^N >= q, by trying N = 1, 2, ..."""
    n, miss = 1, 1 - p
    while 1 - miss < q:
        n += 1
        miss *= 1 - p
    return n


@pytest.mark.parametrize("grid, epochs, minutes, p, q", [
    ([10, 6, 5], 10, 2, "1/20", [0.95, 0.995]),
    ([3, 4], 7, 1.5, "1/10", 0.9),
    ([2, 2, 2, 2], 1, 3, "1/2", [0.75, 0.5, 0.99]),    # q = 0.75 with p = 1/2: the ratio is exactly 2
    ([5], 20, 0.25, "1/100", [0.5, 0.999]),
])
def test_matches_brute_force(derive_run, grid, epochs, minutes, p, q):
    r = derive_run("hyperparam_search", grid=json.dumps(grid), epochs=epochs, minutes_per_epoch=str(minutes),
                   p=p, q=json.dumps(q)).results
    assert r["settings"] == prod(grid)
    assert r["total_epochs"] == prod(grid) * epochs
    assert r["total_minutes"] == sp.Rational(str(minutes)) * prod(grid) * epochs
    qs = q if isinstance(q, list) else [q]
    expected = [brute_force_trials(Fraction(p), Fraction(str(v))) for v in qs]
    assert r["min_trials"] == (expected if isinstance(q, list) else expected[0])


def test_catalogue_values_by_hand(derive_run):
    """The catalogue's defaults: a 10 x 6 x 5 grid, 10 epochs of 2 minutes, p = 1/20, q = 0.95, 0.995."""
    r = derive_run("hyperparam_search").results
    settings = prod([10, 6, 5])
    assert (r["settings"], r["total_epochs"], r["total_minutes"]) == (settings, settings * 10, settings * 10 * 2)
    assert r["total_hours"] == sp.Rational(settings * 10 * 2, 60)
    assert r["min_trials"] == [brute_force_trials(Fraction(1, 20), Fraction(q)) for q in ("0.95", "0.995")]


def test_symbolic_p_gives_the_closed_form(derive_run):
    r = derive_run("hyperparam_search", p="p", q="0.9").results
    p = sp.Symbol("p", positive=True)
    for pv in (sp.Rational(1, 20), sp.Rational(1, 3)):
        assert r["min_trials"].subs(p, pv) == brute_force_trials(Fraction(str(pv)), Fraction(9, 10))


@pytest.mark.parametrize("params, message", [
    (["q=1.5"], "hyperparam_search: q=3/2 must lie strictly between 0 and 1"),
    (["grid=[2, 0.5]"], "hyperparam_search: grid entries must be positive integers, got 1/2"),
    (["p=1"], "hyperparam_search: p=1 is outside the domain: p > 0 and p < 1"),
])
def test_bad_input_is_one_line(run_error, params, message):
    assert run_error("hyperparam_search", params) == message


def test_cli_json(capsys):
    assert cli.main(["run", "hyperparam_search", "--set", "p=0.02", "--set", "q=[0.8, 0.99]", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)["results"]
    assert [int(v) for v in out["min_trials"]["sympy"]] == [brute_force_trials(Fraction(1, 50), Fraction(4, 5)),
                                                             brute_force_trials(Fraction(1, 50), Fraction(99, 100))]
