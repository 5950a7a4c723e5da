"""Sheets: `make pdf` for real, every problem present, wrong steps stop the build."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import sympy as sp

from derive import pipeline as pl
from derive.cli import main
from derive.domains import POSITIVE
from derive.pipeline import Inputs, Param, PipelineSpec
from derive.render import escape_prose

ROOT = Path(__file__).resolve().parents[1]


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """The real `make pdf`, once, into a scratch build directory."""
    out = tmp_path_factory.mktemp("make-pdf")
    proc = subprocess.run(["make", "-B", "pdf", f"BUILD={out}", f"PYTHON={sys.executable}"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def test_make_pdf_builds_every_sheet_with_every_problem(made):
    tmp_path = made
    for spec_path in sorted((ROOT / "proofs").glob("*.toml")):
        spec = tomllib.loads(spec_path.read_text())
        pdf = tmp_path / f"{spec_path.stem}.pdf"
        assert pdf.exists(), f"{pdf} was not built"
        text = " ".join(pdf_text(pdf).split())
        for problem in spec["problem"]:
            assert f"{problem['id']}. {' '.join(problem['title'].split())}" in text


#: ASCII stand-ins for mathematics that must not reach a sheet: every formula in
#: a justification, heading, table or statement is typeset by the printer.
ASCII_MATH = [
    r"\w_in\b", r"\w_out\b", r"\^T\b", r"\+-", r"\bsigma", r"\bbeta\d?\b", r"\bmu\d?\b", r"\beta\b",
    r"\balpha\b", r"\brho\b", r"\bdelta\b", r"\btheta\b", r"\blambda\b", r"\bepsilon\b", r"sqrt\(",
    r"\bd[LWwxy]/d", r"<=", r">=", r"->", r"\*\*", r"\b[A-Za-z]_[A-Za-z0-9(]", r"\bfloor\(", r"\d+x\d+",
    r"\b[a-z]\[[a-z]",
]


def test_no_ascii_math_in_any_built_pdf(made):
    """pdftotext of every PDF `make pdf` builds (solution and problem sheets)."""
    import re

    pdfs = sorted(made.glob("*.pdf"))
    assert len(pdfs) >= len(list((ROOT / "proofs").glob("*.toml")))
    found = []
    for pdf in pdfs:
        text = pdf_text(pdf)
        for pattern in ASCII_MATH:
            found += [f"{pdf.name}: {m.group(0)!r} in {text[max(0, m.start() - 30):m.end() + 30]!r}"
                      for m in re.finditer(pattern, text)]
    assert not found, "\n".join(found[:20])


def overfull_boxes(log: str, limit: float = 1.0) -> list[str]:
    """``Overfull \\hbox (X pt too wide)`` lines of a LaTeX log with X above ``limit``."""
    import re

    return [m.group(0) for m in re.finditer(r"Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide\)[^\n]*", log)
            if float(m.group(1)) > limit]


def test_no_overfull_lines_in_any_sheet(made):
    logs = sorted(made.glob("*.log"))
    assert len(logs) == 2 * len(list((ROOT / "proofs").glob("*.toml")))
    bad = {log.name: found for log in logs if (found := overfull_boxes(log.read_text(errors="replace")))}
    assert not bad, bad


def test_core_sheet_marks_steps_and_boxes_results(tmp_path):
    assert main(["sheet", "proofs/core.toml", "-o", str(tmp_path)]) == 0
    tex = (tmp_path / "core.tex").read_text()
    assert tex.count(r"\DeriveBoxed{") >= 1
    assert r"\DeriveLegend" in tex
    # Every aligned step carries a verdict mark.
    step_lines = [l for l in tex.splitlines() if r"\tag*{" in l]
    assert step_lines and all(r"\DeriveProved" in l or r"\DeriveNumeric" in l for l in step_lines)


def _wrong_pipeline(p: Inputs):
    s = p.sym("s")
    d = p.builder()
    a = d.part("a", "a slip")
    a.eq((s + 1) ** 2, s**2 + 1, "expand", "forgot the cross term")
    a.result("r", (s + 1) ** 2, s**2 + 1)
    return d.build()


@pytest.fixture
def wrong_pipeline(monkeypatch):
    spec = PipelineSpec("wrong_demo", "Wrong", (Param("s", POSITIVE),), ("r",), _wrong_pipeline)
    monkeypatch.setitem(pl.REGISTRY, "wrong_demo", spec)
    return spec


def test_a_wrong_step_is_a_build_error_and_leaves_no_pdf(tmp_path, capsys, wrong_pipeline):
    spec = tmp_path / "wrong.toml"
    spec.write_text("title = 'W'\n[[problem]]\nid = 'W1'\ntitle = 'Slip'\npipeline = 'wrong_demo'\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "wrong.pdf").write_bytes(b"%PDF-stale")
    assert main(["sheet", str(spec), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("derive: error: problem W1: pipeline wrong_demo: step 1 in part (a) [expand] is failed: "
                          r"\left(s + 1\right)^{2} = s^{2} + 1 (sides differ:")
    # The PDF of an earlier build is removed: it no longer matches the spec.
    assert not (out / "wrong.tex").exists()
    assert not (out / "wrong.pdf").exists()


def test_seed_variants_are_reproducible_and_verified(tmp_path):
    spec = tmp_path / "v.toml"
    spec.write_text(
        "title = 'V'\n[[problem]]\nid = 'K'\ntitle = 'KL'\npipeline = 'gaussian_kl'\n"
        "[problem.params]\nmu1 = { value = 1, vary = true, range = [2, 9] }\nsigma1 = 2\n")
    from derive import sheet as sh

    base = sh.load_spec(spec)
    a, b = sh.apply_overrides(base, {}, seed=7), sh.apply_overrides(base, {}, seed=7)
    assert a == b and a.problems[0].params["mu1"] in range(2, 10)
    assert a.title == "V (variant 7)"
    mu1 = a.problems[0].params["mu1"]
    assert main(["sheet", str(spec), "-o", str(tmp_path), "--seed", "7"]) == 0
    text = " ".join(pdf_text(tmp_path / "v-seed7.pdf").split())
    assert "V (variant 7)" in text
    derived = sh.derive_problems(a)[0][1]
    expected = sp.log(sp.Rational(1, 2)) + (4 + mu1**2) / 2 - sp.Rational(1, 2)
    assert sp.simplify(derived.results["kl"] - expected) == 0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("50% of x_1 & {y}", r"50\% of x\_1 \& \{y\}"),
        ("see {{kl}} here", r"see $2$ here"),
        ("a \\input{evil}", r"a \textbackslash{}input\{evil\}"),
    ],
)
def test_prose_is_escaped_and_placeholders_quote_results(text, expected):
    assert escape_prose(text, {"kl": sp.Integer(2)}) == expected


def test_unknown_placeholder_is_a_spec_error(tmp_path, capsys):
    spec = tmp_path / "p.toml"
    spec.write_text("title = 'P'\n[[problem]]\nid = 'K'\ntitle = 'KL'\npipeline = 'gaussian_kl'\n"
                    "[[problem.prose]]\npart = 'a'\ntext = 'uses {{nothing}}'\n")
    assert main(["sheet", str(spec), "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "derive: error: problem K: prose quotes unknown result 'nothing'\n"


def test_warm_rebuild_skips_everything(tmp_path, capsys):
    assert main(["sheet", "proofs/core.toml", "-o", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["sheet", "proofs/core.toml", "-o", str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"{tmp_path / 'core.pdf'} and {tmp_path / 'core-problems.pdf'} are up to date\n"


def test_changing_one_problem_reverifies_only_that_problem(tmp_path):
    from derive import sheet as sh
    from derive.cache import SqliteCache
    from derive.verify import Verifier

    spec = tmp_path / "two.toml"
    spec.write_text(
        "title = 'T'\n"
        "[[problem]]\nid = 'P'\ntitle = 'one'\npipeline = 'gaussian_kl'\n[problem.params]\nmu1 = 1\n"
        "[[problem]]\nid = 'Q'\ntitle = 'two'\npipeline = 'gaussian_kl'\n[problem.params]\nmu1 = 2\n")
    cache_path = tmp_path / "cache.sqlite"
    base = sh.load_spec(spec)
    with Verifier(cache=SqliteCache(cache_path)) as v:
        sh.verify_problems(sh.derive_problems(base), v)
        first = dict(v.stats)
    changed = sh.apply_overrides(base, {"Q.mu1": "3"})
    with Verifier(cache=SqliteCache(cache_path)) as v:
        problems = sh.verify_problems(sh.derive_problems(changed), v)
    q_steps = sum(problems[1].derivation.summary().values())
    # Only the steps that mention Q's new value are verified again: its
    # instance substitution; every other step comes from the cache.
    assert first["verified"] > 0
    assert 1 <= v.stats["verified"] < q_steps
    assert v.stats["cached"] + v.stats["verified"] == sum(sum(p.derivation.summary().values()) for p in problems)


def test_statements_quote_parameters_so_variants_state_their_numbers(tmp_path):
    from derive import sheet as sh

    spec = tmp_path / "q.toml"
    spec.write_text(
        "title = 'Q'\n[[problem]]\nid = 'K'\ntitle = 'KL'\npipeline = 'gaussian_kl'\n"
        "statement = 'Take mean {{mu1}} and deviation {{sigma1}}.'\n"
        "[problem.params]\nmu1 = { value = 1, vary = true, range = [2, 9] }\nsigma1 = 2\n")
    variant = sh.apply_overrides(sh.load_spec(spec), {}, seed=3)
    problems = sh.verify_problems(sh.derive_problems(variant), __import__("derive.verify").verify.Verifier())
    view = sh.problem_view(problems[0], sh.all_results(problems))
    assert view["statement"] == f"Take mean ${variant.problems[0].params['mu1']}$ and deviation $2$."


def test_hw1_seed_7_variant_is_right_for_its_own_numbers(verifier):
    """`derive sheet proofs/hw1.toml --seed 7`: answers recomputed independently."""
    import math

    import numpy as np
    from scipy import signal

    from derive import sheet as sh

    base = sh.load_spec(ROOT / "proofs" / "hw1.toml")
    variant = sh.apply_overrides(base, {}, seed=7)
    changed = [p.id for p, q in zip(base.problems, variant.problems) if p.params != q.params]
    assert changed, "seed 7 changed nothing"
    problems = {pr.spec.id: pr for pr in sh.verify_problems(sh.derive_problems(variant), verifier)}

    conv = problems["B3-small"]
    x = np.array(conv.spec.params["input"], dtype=float)
    k = np.array(conv.spec.params["kernel"], dtype=float)
    expected = signal.correlate2d(x, k, mode="valid")
    got = np.array(conv.derivation.results["output"].tolist(), dtype=float)
    assert np.array_equal(got, expected)

    for pid in ("B4f-1", "B4f-2"):
        pr = problems[pid]
        prm = {key: int(v) for key, v in pr.derivation.derivation.params.items()
               if isinstance(v, (int, sp.Integer))}
        # Count window positions by brute force along the width.
        span = prm.get("D", 1) * (prm["K"] - 1) + 1
        positions = len(range(0, prm["W"] + 2 * prm["P"] - span + 1, prm["S"]))
        assert int(pr.derivation.results["out_w"]) == positions

    search = problems["B9"]
    p = search.spec.params
    settings = math.prod(p["grid"]) if "grid" in p else int(search.derivation.results["settings"])
    assert int(search.derivation.results["total_epochs"]) == settings * p["epochs"]
    assert int(search.derivation.results["total_minutes"]) == settings * p["epochs"] * p["minutes_per_epoch"]


@pytest.mark.parametrize("flag, written, absent", [
    ("--problems-only", "hw1-problems.pdf", "hw1.pdf"),
    ("--solutions-only", "hw1.pdf", "hw1-problems.pdf"),
])
def test_one_view_only(tmp_path, flag, written, absent):
    assert main(["sheet", "proofs/hw1.toml", "-o", str(tmp_path), flag]) == 0
    assert (tmp_path / written).exists() and not (tmp_path / absent).exists()


def test_problem_sheet_has_statements_and_room_but_no_solution(made):
    for spec_path in sorted((ROOT / "proofs").glob("*.toml")):
        spec = tomllib.loads(spec_path.read_text())
        text = " ".join(pdf_text(made / f"{spec_path.stem}-problems.pdf").split())
        assert "Problems" in text and "Every step below" not in text and "Cross-check" not in text
        for problem in spec["problem"]:
            assert f"{problem['id']}. {' '.join(problem['title'].split())}" in text
        tex = (made / f"{spec_path.stem}-problems.tex").read_text()
        assert tex.count(r"\DeriveAnswerSpace{") == len(spec["problem"])
        assert r"\DeriveBoxed" not in tex and r"\DeriveResults" not in tex and r"\tag*" not in tex


def test_a_statement_quoting_a_result_is_refused_for_the_problem_sheet(tmp_path, capsys):
    spec = tmp_path / "leak.toml"
    spec.write_text('title = "t"\n[[problem]]\nid = "K"\ntitle = "KL"\npipeline = "gaussian_kl"\n'
                    'statement = "Show that the divergence is {{kl}}."\n')
    assert main(["sheet", str(spec), "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == (
        "derive: error: problem K: the statement quotes 'kl', which is not a parameter; "
        "a result would give the answer away on the problem sheet")
    assert main(["sheet", str(spec), "-o", str(tmp_path), "--solutions-only"]) == 0
