"""Steps written by the TA (``derive.authored``): read by the checker's reader,
verified and typeset by the engine, wrong steps named with their TOML line."""
from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from derive import sheet as sh
from derive.cache import SqliteCache
from derive.errors import InvalidStepError, SpecError
from derive.verify import Verifier

ROOT = Path(__file__).resolve().parents[1]
EXTRA = ROOT / "proofs" / "extra.toml"

#: A correct authored problem: one row per line, a chain per quantity.
ROWS = [
    r"f &= (x + 1)^2 - (x - 1)^2  % why: definition of f",
    r"  &= 4 x  % why: expand the squares",
    r"g &= \frac{1}{x} + \frac{1}{x + 1}",
    r"  &= \frac{2 x + 1}{x (x + 1)}  % why: common denominator",
    r"h &= a x + b x",
    r"  &= x  % why: a + b = 1",
    r"k &= e^{2 \log x}",
    r"  &= x^2  % why: exp and log are inverse",
    r"\log(x^2) &= 2 \log x  % why: x > 0",
    r"\sqrt{x^4} &= x^2",
    r"x^2 + 1 &\ge 2 x  % why: (x - 1)^2 >= 0",
    r"\frac{\partial}{\partial x}\left(x^3 + a x\right) &= \boxed{3 x^2 + a}  % why: power rule % result: slope",
]


def spec_text(rows: list[str]) -> str:
    body = "\n".join(rows)
    return ("title = \"Planted\"\n\n[[problem]]\nid = \"P\"\ntitle = \"Authored\"\n"
            "assume = ['x > 0']\ngiven = ['a + b = 1']\n"
            f"steps = '''\n{body}\n'''\n")


def derive_spec(path: Path, verifier: Verifier) -> list[sh.ProblemResult]:
    spec = sh.load_spec(path)
    return sh.verify_problems(sh.derive_problems(spec), verifier)


def test_correct_authored_problem_verifies(tmp_path: Path, verifier: Verifier) -> None:
    path = tmp_path / "ok.toml"
    path.write_text(spec_text(ROWS))
    (pr,) = derive_spec(path, verifier)
    assert [v.status for vs in pr.derivation.verdicts for v in vs] == ["proved"] * len(ROWS)
    x, a = sp.Symbol("x", positive=True), sp.Symbol("a", real=True)
    assert sp.simplify(pr.derivation.results["slope"] - (3 * x**2 + a)) == 0
    rules = [s.why.rule for s in pr.derivation.derivation.steps()]
    assert rules[4:6] == ["given", "given"]     # h uses the given a + b = 1 (solved: b = 1 - a)
    assert rules[:4] == ["definition", "algebra", "definition", "algebra"]


def test_a_fresh_build_takes_no_verdict_from_the_cache(tmp_path: Path) -> None:
    """Authored steps are verified once for their line numbers, then as a derivation: the
    second pass reuses the first's verdicts, which are no verdicts 'from the cache' (attack 3,
    D6: every fresh build said '1 verdicts from the cache')."""
    path = tmp_path / "two.toml"
    path.write_text("title = 'T'\n[[problem]]\nid = 'P'\ntitle = 'two steps'\nsteps = '''\n"
                    "(x + 1)^2 &= x^2 + 2x + 1 \\\\\n(x - 1)^2 &= x^2 - 2x + 1\n'''\n")
    cache_path = tmp_path / "cache.sqlite"
    for run, cached in ((1, 0), (2, 2)):
        with Verifier(cache=SqliteCache(cache_path)) as v:
            derive_spec(path, v)
            assert (run, v.stats) == (run, {"cached": cached, "verified": 2 - cached})


def test_authored_steps_are_built_in_a_bounded_worker(tmp_path: Path, verifier: Verifier,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The steps are user text: they are read in a child process that the parent kills at
    the build time limit (issue 12), and the derivation comes back exactly as built."""
    import os
    import time

    from derive import authored
    from derive.errors import ParameterError

    path = tmp_path / "ok.toml"
    path.write_text(spec_text(ROWS))
    spec = sh.load_spec(path)
    monkeypatch.setattr(authored, "_derivation", lambda *args: os.getpid())
    (problem,) = spec.problems
    assert authored.derivation("P", "Authored", problem.authored, {}) != os.getpid()
    monkeypatch.setattr(authored, "_derivation", lambda *args: time.sleep(30))
    monkeypatch.setenv("DERIVE_BUILD_TIMEOUT", "0.5")
    with pytest.raises(ParameterError, match=r"^problem P: too large: building with these values "
                                              r"took more than 0\.5 s$"):
        authored.derivation("P", "Authored", problem.authored, {})


#: (row index, wrong row): a sign, an exponent, a dropped factor, ...
PLANTED = [
    (1, r"  &= -4 x  % why: expand the squares"),                       # sign
    (1, r"  &= 4 x^2  % why: expand the squares"),                      # exponent
    (1, r"  &= x  % why: expand the squares"),                          # dropped factor 4
    (3, r"  &= \frac{2 x}{x (x + 1)}  % why: common denominator"),      # dropped term
    (3, r"  &= \frac{2 x + 1}{x + 1}  % why: common denominator"),      # dropped factor x
    (5, r"  &= 2 x  % why: a + b = 1"),                                 # wrong use of the given
    (7, r"  &= x^3  % why: exp and log are inverse"),                   # exponent
    (8, r"\log(x^2) &= \log x  % why: x > 0"),                          # dropped factor 2
    (9, r"\sqrt{x^4} &= x^3"),                                          # exponent
    (10, r"x^2 + 1 &\ge 3 x  % why: (x - 1)^2 >= 0"),                   # wrong bound
    (11, r"\frac{\partial}{\partial x}\left(x^3 + a x\right) &= \boxed{3 x^3 + a}  % why: power rule % result: slope"),
    (11, r"\frac{\partial}{\partial x}\left(x^3 + a x\right) &= \boxed{3 x^2 - a}  % why: power rule % result: slope"),
]


@pytest.mark.parametrize("index,wrong", PLANTED)
def test_planted_wrong_step_fails_naming_step_and_line(tmp_path: Path, verifier: Verifier,
                                                       index: int, wrong: str) -> None:
    rows = list(ROWS)
    rows[index] = wrong
    path = tmp_path / "bad.toml"
    text = spec_text(rows)
    path.write_text(text)
    line = text.splitlines().index(wrong) + 1
    source = " ".join(wrong.split("%")[0].split())
    with pytest.raises(InvalidStepError) as info:
        derive_spec(path, verifier)
    message = str(info.value)
    assert message.startswith(f"problem P: {path}, line {line}: step {index + 1} '{source}' is failed: "), message
    assert re.search(r"\(sides differ: [-\d.]+ vs [-\d.]+; counterexample (\w+=-?[\d/]+, )*x=-?[\d/]+(, \w+=-?[\d/]+)*\)$",
                     message), message


PARTS = r"""title = "Parts"

[[problem]]
id = "Q"
title = "Two parts"
assume = ['x > 0']

[[problem.part]]
heading = "Expand"
steps = '''
(x + 1)^2 &= \boxed{x^2 + 2 x + 1}  \text{binomial} % result: sq
'''

[[problem.part]]
label = "c"
heading = "Cancel"
steps = '''
\frac{x^2 - 1}{x + 1} &= x - 1 \\ % why: difference of squares
'''
"""


def test_parts_text_justification_and_explicit_row_breaks(tmp_path: Path, verifier: Verifier) -> None:
    path = tmp_path / "parts.toml"
    path.write_text(PARTS)
    (pr,) = derive_spec(path, verifier)
    parts = pr.derivation.derivation.parts
    assert [(p.label, p.heading, len(p.steps)) for p in parts] == [("a", "Expand", 1), ("c", "Cancel", 1)]
    assert [(s.why.rule, s.why.text) for p in parts for s in p.steps] == [
        ("algebra", "binomial"), ("algebra", "difference of squares")]
    x = sp.Symbol("x", positive=True)
    assert sp.expand(pr.derivation.results["sq"] - (x + 1) ** 2) == 0


def test_failed_build_removes_the_old_pdf(tmp_path: Path) -> None:
    path = tmp_path / "sheet.toml"
    path.write_text(spec_text(ROWS[:2]))
    out = tmp_path / "out"
    built = sh.build(path, out, cache=False)
    assert built.pdf.is_file()
    path.write_text(spec_text([ROWS[0], PLANTED[0][1]]))
    with pytest.raises(InvalidStepError, match=r"line 10: step 2 '&= -4 x' is failed"):
        sh.build(path, out, cache=False)
    assert not built.pdf.exists()


@pytest.mark.parametrize("row,error", [
    (r"f &= \input{/etc/passwd}", r"steps may not use \input (only math is read)"),
    (r"f &= x  % why: \input{/etc/passwd}", r"steps may not use \input (only math is read)"),
    (r"\def\q{\q}\q &= 1", r"steps may not use \def (only math is read)"),
    (r"f &= \newcommand{\q}{\q}\q", r"steps may not use \newcommand (only math is read)"),
])
def test_hostile_steps_are_refused(tmp_path: Path, row: str, error: str) -> None:
    path = tmp_path / "evil.toml"
    path.write_text(spec_text([row]))
    out = tmp_path / "out"
    with pytest.raises(SpecError) as info:
        sh.build(path, out, cache=False)
    assert str(info.value) == f"problem P: {path}: {error}"
    assert not (out / "evil.pdf").exists() and not (out / "evil.tex").exists()


HOSTILE = r"\input{/etc/passwd}"


def _hostile_spec(field: str) -> str:
    """A small correct problem with ``\\input{/etc/passwd}`` put into one field."""
    values = {"title": '"A"', "statement": '"S"', "heading": '"H"', "given": "['a + b = 1']",
              "define": "['g(x) = x^2']", "assume": "['x > 0']", "why": "expand", "text": ""}
    values[field] = {"title": f"'{HOSTILE}'", "statement": f"'{HOSTILE}'", "heading": f"'{HOSTILE}'",
                     "given": f"['a = {HOSTILE}']", "define": f"['g(x) = {HOSTILE}']",
                     "assume": f"['x > {HOSTILE}']", "why": HOSTILE, "text": rf"\text{{{HOSTILE}}}"}[field]
    return (f'title = "Hostile"\n\n[[problem]]\nid = "P"\ntitle = {values["title"]}\n'
            f'statement = {values["statement"]}\nassume = {values["assume"]}\ngiven = {values["given"]}\n'
            f'define = {values["define"]}\n\n[[problem.part]]\nheading = {values["heading"]}\nsteps = \'\'\'\n'
            f'f &= (x + 1)^2 - (x - 1)^2 {values["text"]} % why: {values["why"]}\n  &= 4 x\n\'\'\'\n')


@pytest.mark.parametrize("field,refused", [
    ("why", "part (a): steps may not use \\input (only math is read)"),
    ("text", "part (a): steps may not use \\input (only math is read)"),
    ("given", "given: given 'a = \\input{/etc/passwd}' is unparsed: unknown macro \\input"),
    ("define", "define: define 'g(x) = \\input{/etc/passwd}' is unparsed: unknown macro \\input"),
    ("assume", None),
    ("title", None), ("statement", None), ("heading", None),       # prose: escaped, typeset as text
])
def test_input_in_any_field_never_reaches_the_pdf(tmp_path: Path, field: str, refused: str | None) -> None:
    path = tmp_path / "evil.toml"
    path.write_text(_hostile_spec(field))
    out = tmp_path / "out"
    try:
        built = sh.build(path, out, cache=False)
    except (SpecError, InvalidStepError) as exc:
        assert "\n" not in str(exc) and str(exc).startswith(f"problem P: {path}: ")
        if refused is not None:
            assert str(exc) == f"problem P: {path}: {refused}"
        assert not list(out.glob("*.pdf")) if out.exists() else True
        return
    assert refused is None and field != "assume", "a hostile assumption must not build"
    text = subprocess.run(["pdftotext", str(built.pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "root:" not in text and "/bin/" not in text
    assert "/etc/passwd" in text                         # shown as text ...
    tex = built.pdf.with_suffix(".tex").read_text()
    assert HOSTILE not in tex                            # ... never as a command


def test_macro_loop_is_bounded_in_a_fresh_process(tmp_path: Path) -> None:
    path = tmp_path / "loop.toml"
    path.write_text(spec_text([r"\def\q{\q}\q &= 1"]))
    run = subprocess.run([sys.executable, "-m", "derive", "sheet", str(path), "-o", str(tmp_path / "o")],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode != 0
    assert run.stderr.strip().splitlines() == [f"derive: error: problem P: {path}: steps may not use \\def "
                                               "(only math is read)"]


def test_unknown_macro_is_unparsed_not_typeset(tmp_path: Path, verifier: Verifier) -> None:
    path = tmp_path / "odd.toml"
    path.write_text(spec_text([r"f &= \foo{x}"]))
    with pytest.raises(InvalidStepError, match=r"step '.*' is unparsed"):
        derive_spec(path, verifier)


def _softmax_loss(z: np.ndarray, y: np.ndarray) -> float:
    s = np.exp(z - z.max())
    return float(-(y * np.log(s / s.sum())).sum())


def _check_gradient(grad: sp.Expr) -> None:
    """The boxed gradient (``sigma_k(z) - y_k`` for a general C) against central finite
    differences of the loss, for several numbers of classes and every class k."""
    from sympy.core.function import AppliedUndef

    rng = np.random.default_rng(0)
    (app,) = grad.atoms(AppliedUndef)
    assert app.func.__name__ == "sigma_k"
    (yk,) = grad.atoms(sp.Indexed)
    for c in (1, 2, 3, 5, 8):
        for kk in range(c):
            z = rng.normal(size=c) * 2
            y = rng.dirichlet(np.ones(c))
            e = np.zeros(c)
            e[kk] = h = 1e-6
            fd = (_softmax_loss(z + e, y) - _softmax_loss(z - e, y)) / (2 * h)
            p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
            exact = float(grad.xreplace({app: p[kk], yk: y[kk]}))
            assert abs(exact - fd) < 1e-6, (c, kk, z, y, exact, fd)


def _check_variance(value: sp.Expr, n: int, sigma: float, law: str = "normal") -> None:
    """The boxed Var(mean) against a Monte-Carlo estimate from independent draws; the
    tolerance is 5 standard errors of the variance estimate, estimated from the sample
    (its fourth moment), so it holds for any law with that standard deviation."""
    rng = np.random.default_rng(1)
    samples = 200_000
    if law == "normal":
        draws = rng.normal(0.0, sigma, size=(samples, n))
    elif law == "uniform":                       # on [-a, a]: standard deviation a / sqrt(3)
        draws = rng.uniform(-sigma * math.sqrt(3), sigma * math.sqrt(3), size=(samples, n))
    else:                                        # exponential, shifted: standard deviation sigma
        draws = rng.exponential(sigma, size=(samples, n)) - sigma
    means = draws.mean(axis=1)
    d2 = (means - means.mean()) ** 2
    est = float(d2.mean())
    tol = 5 * float(d2.std()) / math.sqrt(samples)
    exact = float(value)
    assert abs(est - exact) <= tol, (n, sigma, law, exact, est, tol)
    assert math.isclose(exact, sigma**2 / n)


@pytest.mark.parametrize("n,sigma,law", [(2, 1, "normal"), (7, 3, "uniform"), (12, 6, "exponential"),
                                         (3, 5, "normal")])
def test_variance_of_the_mean_for_set_values_matches_monte_carlo(verifier: Verifier, n: int, sigma: int,
                                                                 law: str) -> None:
    """S2 with n and sigma set: every step re-verified with those numbers, the result
    against simulated means of n independent draws."""
    spec = sh.apply_overrides(sh.load_spec(EXTRA), {"S2.n": n, "S2.sigma": sigma})
    (pr,) = [p for p in sh.verify_problems(sh.derive_problems(spec), verifier) if p.spec.id == "S2"]
    assert [v.status for vs in pr.derivation.verdicts for v in vs] == ["proved"] * 3
    _check_variance(pr.derivation.results["var_mean"], n, sigma, law)


def test_extra_sheet_builds_with_marks_and_matches_independent_checks(tmp_path: Path) -> None:
    built = sh.build(EXTRA, tmp_path, cache=False)
    text = subprocess.run(["pdftotext", str(built.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "S1. Gradient of softmax cross-entropy" in text and "S2. Variance of the mean" in text
    assert (text.count("✓"), text.count("≈")) == (1 + 4 + 3, 1 + 2)    # the legend, then one mark per step
    tex = built.pdf.with_suffix(".tex").read_text()
    assert r"\log \sigma_i(z)" not in tex and r"\log{\left(\sigma_{i}{\left(z \right)} \right)}" in tex  # printed
    assert r"\frac{\partial L}{\partial z_{k}} &= \frac{e^{z_{k}}}{\sum_{j=1}^{C} e^{z_{j}}} - y_{k}" in tex
    by_id = {pr.spec.id: pr for pr in built.problems}
    _check_gradient(by_id["S1"].derivation.results["grad"])
    params = by_id["S2"].derivation.derivation.params
    assert (params["n"], params["sigma"]) == (5, 2)
    _check_variance(by_id["S2"].derivation.results["var_mean"], 5, 2)


@pytest.mark.parametrize("seed", [3, 11])
def test_seed_variant_of_extra_reverifies_and_matches_monte_carlo(tmp_path: Path, seed: int) -> None:
    built = sh.build(EXTRA, tmp_path, seed=seed, cache=False)
    assert built.pdf.name == f"extra-seed{seed}.pdf" and built.pdf.is_file()
    by_id = {pr.spec.id: pr for pr in built.problems}
    params = by_id["S2"].derivation.derivation.params
    n, sigma = params["n"], params["sigma"]
    assert 2 <= n <= 12 and 1 <= sigma <= 6 and (n, sigma) != (5, 2)
    assert all(v.ok for vs in by_id["S2"].derivation.verdicts for v in vs)
    _check_variance(by_id["S2"].derivation.results["var_mean"], n, sigma)
    _check_gradient(by_id["S1"].derivation.results["grad"])
    text = subprocess.run(["pdftotext", str(built.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert f"Let n = {n} random variables" in text


@pytest.mark.parametrize("row, condition", [
    (r"x^2 &\ge x \text{ for } x \ge 0", r"x \ge 0"),          # false for x in (0, 1): never "proved"
    (r"x^2 &\ge x \text{ if } x \ge 1", r"x \ge 1"),           # true, but the step cannot carry its condition
    (r"|x - 2| &= x - 2 \quad \text{when } x \ge 2", r"x \ge 2"),
])
def test_a_step_with_its_own_condition_is_refused(tmp_path: Path, verifier: Verifier, row: str,
                                                  condition: str) -> None:
    """Attack 1, finding 1: the condition was dropped and its name multiplied in (``x^2 \\ge x x``)."""
    path = tmp_path / "cond.toml"
    text = spec_text([row])
    path.write_text(text)
    line = text.splitlines().index(row) + 1
    with pytest.raises(InvalidStepError) as info:
        derive_spec(path, verifier)
    assert str(info.value) == (f"problem P: {path}, line {line}: step '{' '.join(row.split())}': a step's own "
                               f"condition ({condition}) is not supported in authored steps; give it to the "
                               "problem (assume = [...])")


def _one_step(path: Path, row: str, assume: str = "") -> Path:
    path.write_text("title = 'T'\n[[problem]]\nid = 'P'\ntitle = 'one step'\n" + assume
                    + f"steps = '''\n{row}\n'''\n")
    return path


@pytest.mark.parametrize("row, error", [
    (r"\frac{a}{b} &= \frac{ac}{bc}",
     r"holds only where c \ne 0: at c = 0 the right side divides by zero; add 'c \ne 0' to the problem's assume"),
    (r"\frac{x^2 - 1}{x - 1} &= x + 1",
     r"holds only where x \ne 1: at x = 1 the left side divides by zero; add 'x \ne 1' to the problem's assume"),
])
def test_a_step_undefined_at_a_point_is_refused(tmp_path: Path, verifier: Verifier, row: str, error: str) -> None:
    """Attack 3, A8: the sheet path proved a/b = ac/(bc), false at c = 0 (the right side has no
    value, the left has); the checker says 'unknown, holds if c != 0' for the same line."""
    path = _one_step(tmp_path / "gap.toml", row)
    with pytest.raises(InvalidStepError) as info:
        derive_spec(path, verifier)
    assert str(info.value) == f"problem P: {path}, line 6: step '{row}' {error}"


@pytest.mark.parametrize("row, assume", [
    (r"\frac{a}{b} &= \frac{ac}{bc}", "assume = ['c \\\\ne 0']\n"),
    (r"\frac{x^2 - 1}{x - 1} &= x + 1", "assume = ['x \\\\ne 1']\n"),
    (r"\frac{a}{b} &= \frac{2a}{2b}", ""),          # both sides undefined at b = 0: no gap
])
def test_a_step_defined_alike_on_its_domain_is_proved(tmp_path: Path, verifier: Verifier, row: str,
                                                      assume: str) -> None:
    (pr,) = derive_spec(_one_step(tmp_path / "ok.toml", row, assume), verifier)
    assert [v.status for vs in pr.derivation.verdicts for v in vs] == ["proved"]
