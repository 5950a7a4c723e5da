"""`derive sheet hw1.toml --variants 5`: every answer in answers.json against an
independent recomputation (the brute-force and scipy checks of tests/pipelines/),
and problem PDFs that state the problem without giving the answer away."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from fractions import Fraction
from math import prod
from pathlib import Path

import numpy as np
import pytest

from derive.cli import main
from derive.sheet import apply_overrides, load_spec

sys.path.insert(0, str(Path(__file__).resolve().parent / "pipelines"))
from test_cnn_shapes import brute_count, torch_free_param_count  # noqa: E402
from test_conv2d import scipy_reference  # noqa: E402
from test_gradient_flow import loop_plain, loop_residual  # noqa: E402
from test_hyperparam_search import brute_force_trials  # noqa: E402
from test_mlp_backprop import numpy_backprop  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "proofs" / "hw1.toml"
COUNT = 5


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("variants")
    assert main(["sheet", str(SPEC), "-o", str(out), "--variants", str(COUNT)]) == 0
    return out / "hw1-variants"


def expected_answers(seed: int) -> dict[tuple[str, str], object]:
    """Every numeric answer of variant ``seed``, recomputed without derive's pipelines."""
    spec = apply_overrides(load_spec(SPEC), {}, seed)
    params = {p.id: dict(p.params) for p in spec.problems}
    out: dict[tuple[str, str], object] = {}
    b9 = params["B9"]
    settings = prod(b9["grid"])
    out["B9", "total_epochs"] = settings * b9["epochs"]
    out["B9", "total_minutes"] = settings * b9["epochs"] * b9["minutes_per_epoch"]
    for i, q in enumerate(b9["q"], 1):
        out["B9", f"min_trials_{i}"] = brute_force_trials(Fraction(b9["p"]), Fraction(str(q)))
    for pid in ("B4f-1", "B4f-2"):
        c = {k: v for k, v in params[pid].items()}
        c.setdefault("D", 1)
        out[pid, "out_w"] = brute_count(c["W"], c["K"], c["P"], c["S"], c["D"])
        out[pid, "out_h"] = brute_count(c["H"], c["K"], c["P"], c["S"], c["D"])
        out[pid, "out_c"] = c["F"]
        out[pid, "weights"] = torch_free_param_count(c["K"], c["C"], c["F"]) - c["F"]
        out[pid, "biases"] = c["F"]
    b3 = params["B3-small"]
    out["B3-small", "output"] = scipy_reference(np.array(b3["input"], float), np.array(b3["kernel"], float),
                                                0, 1, 1, b3.get("mode", "correlation")).tolist()
    b5 = params["B5"]
    yhat, loss, gws, gbs, gx = numpy_backprop(b5["x"], b5["y"], b5["weights"], b5["biases"], b5["activation"])
    out["B5", "yhat"], out["B5", "loss"], out["B5", "grad_x"] = yhat, loss, gx
    for l, (gw, gb) in enumerate(zip(gws, gbs), 1):
        out["B5", f"grad_W{l}"], out["B5", f"grad_b{l}"] = gw, gb
    b8 = params["B8"]
    up, local = Fraction(str(b8["upstream"])), Fraction(str(b8["local"]))
    out["B8", "plain"] = loop_plain(up, local, b8["layers"])
    out["B8", "residual"] = loop_residual(up, local, b8["layers"], b8["block"])
    return out


def test_answer_key_matches_independent_recomputation(variants):
    rows = json.loads((variants / "answers.json").read_text())
    assert {r["variant"] for r in rows} == set(range(1, COUNT + 1))
    got = {(r["variant"], r["problem"], r["key"]): r for r in rows}
    checked = 0
    for seed in range(1, COUNT + 1):
        for (pid, key), value in expected_answers(seed).items():
            row = got[seed, pid, key]
            got_value = np.array(row["decimal"], float).ravel()
            want = np.array(value, float).ravel()
            assert got_value.shape == want.shape and np.allclose(got_value, want, rtol=1e-12, atol=1e-12), \
                (seed, pid, key, row["decimal"], value)
            checked += 1
    assert checked == COUNT * 26
    # the CSV carries the same rows as the JSON
    with open(variants / "answers.csv", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert [(int(r["variant"]), r["problem"], r["key"], r["exact"]) for r in table] == \
        [(r["variant"], r["problem"], r["key"], r["exact"]) for r in rows]


def test_variants_differ_and_are_verified(variants):
    texts = {seed: pdf_text(variants / f"hw1-seed{seed}.pdf") for seed in range(1, COUNT + 1)}
    assert len(set(texts.values())) == COUNT
    for text in texts.values():
        assert "Solutions" in text and "Every step below was checked by derive" in text


def test_problem_pdfs_state_the_problem_without_results(variants):
    rows = json.loads((variants / "answers.json").read_text())
    for seed in range(1, COUNT + 1):
        spec = apply_overrides(load_spec(SPEC), {}, seed)
        text = " ".join(pdf_text(variants / f"hw1-seed{seed}-problems.pdf").split())
        assert "Problems" in text
        for p in spec.problems:
            assert f"{p.id}. {p.title}" in text
        # no solution material: no legend, no justification, no cross-check, no boxed answer
        for marker in ("Every step below", "substitute the given values", "Cross-check", "given:", "definition:"):
            assert marker.lower() not in text.lower(), (seed, marker)
        epochs = {(r["problem"], r["key"]): r["exact"] for r in rows if r["variant"] == seed}
        for key in ("total_epochs", "total_minutes", "min_trials_1", "min_trials_2"):
            assert f" {epochs['B9', key]} " not in f" {text} ", (seed, key)
        # but the statement states this variant's own numbers
        b9 = next(p for p in spec.problems if p.id == "B9").params
        assert f"{b9['epochs']} epochs each" in text


TINY = '''title = "Tiny"
course = "c"
[[problem]]
id = "L"
title = "A layer"
pipeline = "conv_layer"
statement = "A {{W}} × {{W}} input, a {{K}} × {{K}} filter: the output size."
[problem.params]
W = { value = 9, vary = true, range = [6, 12] }
H = 9
C = 1
P = 0
S = 1
F = 1
D = 1
K = { value = 3, vary = true, range = [2, 4] }
'''


def test_scheduler_runs_the_same_variants_on_a_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    spec = tmp_path / "tiny.toml"
    spec.write_text(TINY)
    assert main(["sheet", str(spec), "-o", str(tmp_path / "local"), "--variants", "2"]) == 0
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        assert main(["sheet", str(spec), "-o", str(tmp_path / "dask"), "--variants", "2",
                     "--scheduler", cluster.scheduler_address]) == 0
    local = json.loads((tmp_path / "local" / "tiny-variants" / "answers.json").read_text())
    remote = json.loads((tmp_path / "dask" / "tiny-variants" / "answers.json").read_text())
    assert remote == local and {r["variant"] for r in local} == {1, 2}
    for seed in (1, 2):
        params = next(p for p in apply_overrides(load_spec(spec), {}, seed).problems).params
        out_w = next(r for r in local if r["variant"] == seed and r["key"] == "out_w")
        assert out_w["decimal"] == brute_count(params["W"], params["K"], 0, 1, 1)
        assert (tmp_path / "dask" / "tiny-variants" / f"tiny-seed{seed}-problems.pdf").exists()


@pytest.mark.parametrize("argv, message", [
    (["--variants", "0"], "--variants must be between 1 and 500"),
    (["--variants", "2", "--seed", "3"], "--variants builds seeds 1..N under fixed names: drop --seed and --name"),
    (["--scheduler", "tcp://127.0.0.1:9"], "--scheduler runs variants: give --variants N"),
])
def test_bad_variant_options_are_one_line(tmp_path, capsys, argv, message):
    assert main(["sheet", str(SPEC), "-o", str(tmp_path), *argv]) == 2
    assert capsys.readouterr().err.strip() == f"derive: error: {message}"
