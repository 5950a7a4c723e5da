"""The mutation summary (benchmarks/mutation_summary.py) counts what was run, and only that."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("mutation_summary", ROOT / "benchmarks" / "mutation_summary.py")
MS = importlib.util.module_from_spec(spec)
spec.loader.exec_module(MS)


@pytest.mark.parametrize("name, module", [
    ("derive.verify.numeric.x__holds_at__mutmut_3", "derive.verify.numeric"),
    ("derive.verify.verifier.xǁVerifierǁjob__mutmut_12", "derive.verify.verifier"),
    ("derive.check.latex.atoms.x_read__mutmut_1", "derive.check.latex.atoms"),
])
def test_module_of(name, module):
    assert MS.module_of(name) == module


def test_statuses_are_read_from_mutmut_results():
    text = "    a.x_f__mutmut_1: killed\n    a.x_f__mutmut_2: survived\nnoise line\n    a.x_g__mutmut_1: no tests\n"
    assert MS.statuses(text) == {"a.x_f__mutmut_1": "killed", "a.x_f__mutmut_2": "survived",
                                 "a.x_g__mutmut_1": "no tests"}


def test_summary_rates_leave_out_what_was_not_run_and_score_equivalents_apart():
    by_name = {
        "m.x_f__mutmut_1": "killed", "m.x_f__mutmut_2": "timeout", "m.x_f__mutmut_3": "survived",
        "m.x_f__mutmut_4": "survived", "m.x_f__mutmut_5": "no tests", "m.x_f__mutmut_6": "not checked",
        "n.x_g__mutmut_1": "killed",
    }
    got = MS.summarise(by_name, equivalent={"m.x_f__mutmut_4"})
    m = got["by_module"]["m"]
    assert (m["mutants"], m["killed"], m["equivalent"]) == (5, 2, 1)
    assert m["kill_rate"] == 0.4 and m["score"] == 0.5
    assert m["by_status"] == {"killed": 1, "no tests": 1, "survived": 2, "timeout": 1}
    assert got["total"]["mutants"] == 6 and got["total"]["killed"] == 3
    assert got["survivors"] == [{"mutant": "m.x_f__mutmut_3", "status": "survived"},
                                {"mutant": "m.x_f__mutmut_5", "status": "no tests"}]


def test_the_equivalent_list_is_read_from_its_tables(tmp_path):
    p = tmp_path / "eq.md"
    p.write_text("| mutant | why |\n|---|---|\n| `a.x_f__mutmut_1` | same value |\n| not a mutant | x |\n")
    assert MS.equivalent_names(p) == {"a.x_f__mutmut_1"}
    assert MS.equivalent_names(tmp_path / "missing.md") == set()
    listed = MS.equivalent_names()
    assert "derive.verify.tight.x__grid__mutmut_16" in listed and len(listed) >= 20
