"""gradient_flow against direct numeric loops over layers and blocks."""
from __future__ import annotations

import json
from fractions import Fraction

import pytest
import sympy as sp

from derive import cli


def loop_plain(upstream: Fraction, local: Fraction, n: int) -> Fraction:
    g = upstream
    for _ in range(n):          # backprop through one layer at a time
        g *= local
    return g


def loop_residual(upstream: Fraction, local: Fraction, n: int, block: int) -> Fraction:
    g = upstream
    for _ in range(n // block):
        branch = g
        for _ in range(block):  # through the block's layers...
            branch *= local
        g = branch + g          # ...plus the identity skip
    return g


@pytest.mark.parametrize("local, upstream, layers, block", [
    ("1/2", "1/2", 6, 2), ("9/10", "1", 8, 4), ("2", "1/10", 3, 1), ("-1/2", "2", 6, 3),
])
def test_plain_and_residual_match_loops(derive_run, local, upstream, layers, block):
    vd = derive_run("gradient_flow", local=local, upstream=upstream, layers=layers, block=block)
    r = vd.results
    lf, uf = Fraction(local), Fraction(upstream)
    assert r["plain"] == sp.Rational(loop_plain(uf, lf, layers))
    assert r["residual"] == sp.Rational(loop_residual(uf, lf, layers, block))
    tables = [t for part in vd.derivation.parts for t in part.tables]
    plain_rows, res_rows = tables[0].rows, tables[1].rows
    assert [row[0] for row in plain_rows] == list(range(1, layers + 1))
    assert all(row[1] == sp.Rational(loop_plain(uf, lf, row[0])) for row in plain_rows)
    assert [row[0] for row in res_rows] == list(range(block, layers + 1, block))
    assert all(row[2] == sp.Rational(loop_residual(uf, lf, row[0], block)) for row in res_rows)


@pytest.mark.parametrize("chain", [[0.01, 0.005, 0.1], [1, 2], [0.5, -1, 3, 0.25]])
def test_chain_parts(derive_run, chain):
    r = derive_run("gradient_flow", chain=json.dumps(chain)).results
    fr = [Fraction(str(c)) for c in chain]
    prod = Fraction(1)
    for c in fr[1:]:
        prod *= c
    assert r["chain"] == sp.Rational(fr[0] * prod)
    assert r["chain_residual"] == sp.Rational(fr[0] * (prod + 1))


def test_catalogue_values_by_hand(derive_run):
    """The catalogue's defaults (local = upstream = 1/2, 6 layers, blocks of 2, chain
    0.01, 0.005, 0.1) against the loops above."""
    r = derive_run("gradient_flow").results
    half = Fraction(1, 2)
    g0, *locals_ = (Fraction(str(c)) for c in (0.01, 0.005, 0.1))
    through = Fraction(1)
    for c in locals_:
        through *= c
    assert r["chain"] == sp.Rational(g0 * through)
    assert r["chain_residual"] == sp.Rational(g0 * (through + 1))
    assert r["plain"] == sp.Rational(loop_plain(half, half, 6))
    assert r["residual"] == sp.Rational(loop_residual(half, half, 6, 2))
    # one block multiplies the gradient by this factor
    assert r["block_factor"] == sp.Rational(loop_residual(Fraction(1), half, 2, 2))


def test_symbolic_depth(derive_run):
    r = derive_run("gradient_flow", layers="n", local="a").results
    a, n = sp.Symbol("a", real=True), sp.Symbol("n", integer=True, positive=True)
    for m, av in ((4, sp.Rational(1, 3)), (6, 3)):
        assert r["plain"].subs({n: m, a: av}) == sp.Rational(loop_plain(Fraction(1, 2), Fraction(av), m))
        assert sp.simplify(r["residual"].subs({n: m, a: av})) == sp.Rational(loop_residual(Fraction(1, 2), Fraction(av), m, 2))


@pytest.mark.parametrize("params, message", [
    (["layers=5"], "gradient_flow: layers=5 is not a multiple of block=2"),
    (["chain=[1]"], "gradient_flow: chain needs dL/dz and at least one local derivative"),
    (["block=0"], "gradient_flow: block=0 is outside the domain: block is an integer >= 1"),
])
def test_bad_input_is_one_line(run_error, params, message):
    assert run_error("gradient_flow", params) == message


def test_cli_json(capsys):
    assert cli.main(["run", "gradient_flow", "--set", "local=0.8", "--set", "layers=10", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)["results"]
    assert sp.Rational(out["plain"]["sympy"]) == sp.Rational(loop_plain(Fraction(1, 2), Fraction(4, 5), 10))
    assert sp.Rational(out["residual"]["sympy"]) == sp.Rational(loop_residual(Fraction(1, 2), Fraction(4, 5), 10, 2))
