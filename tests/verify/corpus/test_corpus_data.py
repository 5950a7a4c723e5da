"""The soundness corpus is well formed, and its oracle decides hand-checked cases right.

Fast structural checks only; re-checking every label takes minutes
(``python3 tests/verify/corpus/oracle.py``), and scoring derive is ``score.py``.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import oracle  # noqa: E402

ENTRIES = oracle.load()
BY_ID = {e["id"]: e for e in ENTRIES}
RELS = {"=", "<=", "<", ">=", ">", "=>", "<=>", "~"}


def _tok(latex: str, name: str) -> bool:
    return bool(re.search(r"\\" + name + r"(?![a-zA-Z])", latex))


def latex_relation_matches(latex: str, rel: str) -> bool:
    """The twin's relation is the one the LaTeX step asserts."""
    le, ge = _tok(latex, "le") or _tok(latex, "leq"), _tok(latex, "ge") or _tok(latex, "geq")
    imp, iff = _tok(latex, "Rightarrow") or _tok(latex, "implies"), _tok(latex, "iff")
    lt, gt = "<" in latex, ">" in latex
    if rel in ("=>", "<=>"):
        return (imp and not iff) if rel == "=>" else (iff and not imp)
    if imp or iff:
        return False
    return {"~": _tok(latex, "approx"), "<=": le and not ge, ">=": ge and not le,
            "<": lt and not (le or ge or gt), ">": gt and not (le or ge or lt),
            "=": "=" in latex and not (le or ge or lt or gt or _tok(latex, "approx"))}[rel]


def test_the_corpus_has_at_least_300_false_steps_each_with_a_true_neighbour():
    false = [e for e in ENTRIES if not e["truth"]]
    assert len(false) >= 300
    assert all(BY_ID[e["pair"]]["truth"] and BY_ID[e["pair"]]["pair"] == e["id"] for e in false)
    assert len(BY_ID) == len(ENTRIES), "duplicate ids"


@pytest.mark.parametrize("e", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_an_entry_is_well_formed(e):
    assert set(e) >= {"id", "category", "truth", "pair", "latex", "assume", "vars", "check", "why"}
    assert e["_file"] == f"{e['category']}.toml"
    assert re.fullmatch(r"[a-z]+-\d{3}[ft]", e["id"]) and e["id"].endswith("t" if e["truth"] else "f")
    assert e["check"][1] in RELS and len(e["check"]) == 3
    assert latex_relation_matches(e["latex"], e["check"][1])
    assert "\n" not in e["latex"] and "\\]" not in e["latex"]
    if not e["truth"]:
        assert "Oracle counterexample" in e["why"]


@pytest.mark.parametrize(
    "entry, verdict",
    [
        ({"check": ["(x+1)**2", "=", "x**2 + 2*x + 1"], "vars": {"x": "real"}}, "true"),
        ({"check": ["(x+1)**2", "=", "x**2 + 1"], "vars": {"x": "real"}}, "false"),
        # fails only for large x: the magnitudes reach it
        ({"check": ["x**3", "<=", "10**9*x"], "vars": {"x": "pos"}}, "false"),
        ({"check": ["x**2", "<=", "9"], "vars": {"x": "[-3,3]"}}, "true"),
        # undefined sides never make two sides equal
        ({"check": ["1/0", "=", "2/0"], "vars": {}}, "false"),
        ({"check": ["log(exp(x))", "=", "exp(log(x))"], "vars": {"x": "real"}}, "false"),
        # rounding at the printed precision
        ({"check": ["mpf('0.77254')", "~", "0.7725"], "vars": {}}, "true"),
        ({"check": ["mpf('0.77254')", "~", "0.7726"], "vars": {}}, "false"),
        # matrices do not commute; probability without independence
        ({"check": ["A@B", "=", "B@A"], "vars": {"A": "mat(n,n)", "B": "mat(n,n)"}}, "false"),
        ({"check": ["T(A@B)", "=", "T(B)@T(A)"], "vars": {"A": "mat(m,n)", "B": "mat(n,p)"}}, "true"),
        ({"check": ["Var(X+Y)", "=", "Var(X)+Var(Y)"], "vars": {"X": "rv", "Y": "rv"}}, "false"),
        ({"check": ["Var(X+Y)", "=", "Var(X)+Var(Y)"], "vars": {"X": "rvi", "Y": "rvi"}}, "true"),
        # an implication is decided only where its premise holds
        ({"check": ["eq(c**2*d, 1)", "=>", "eq(c, 1/sqrt(d))"], "vars": {"c": "pos", "d": "pos"},
          "subs": {"c": "1/sqrt(d)"}}, "true"),
        ({"check": ["eq(c**2*d, 1)", "=>", "eq(c, 1/d)"], "vars": {"c": "pos", "d": "pos"}}, "unsure"),
    ],
)
def test_the_oracle_decides_hand_checked_cases(entry, verdict):
    out = oracle.evaluate(entry)
    assert out.verdict(entry["check"][1], constant=not entry["vars"]) == verdict
