"""Authored steps about a general number of entries (``derive.authored_sums`` and
``derive.verify.sums``): the issue's softmax example with ``C`` classes."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sympy as sp

from derive import sheet as sh
from derive.errors import InvalidStepError, SpecError
from derive.verify import Verifier

ROOT = Path(__file__).resolve().parents[1]
EXTRA = (ROOT / "proofs" / "extra.toml").read_text()
S1 = EXTRA[EXTRA.index("[[problem]]"):EXTRA.index('[[problem]]\nid = "S2"')]

#: The issue's own example, as written there.
ISSUE = r"""title = "Issue example"

[[problem]]
id = "S1"
title = "Gradient of softmax cross-entropy"
statement = "..."
assume = ['z_i \in \mathbb{R}', 'C \in \mathbb{N}']
define = ['\sigma_i(z) = \frac{e^{z_i}}{\sum_j e^{z_j}}']
given = ['\sum_i y_i = 1']
steps = '''
L &= -\sum_{i=1}^{C} y_i \log \sigma_i(z)              % why: definition of cross-entropy
\frac{\partial L}{\partial z_k} &= \sigma_k(z) - y_k     % why: chain rule; the targets sum to 1
'''
"""


def build(path: Path, verifier: Verifier) -> sh.ProblemResult:
    (pr,) = sh.verify_problems(sh.derive_problems(sh.load_spec(path)), verifier)
    return pr


def test_the_issue_example_builds_with_a_numeric_mark(tmp_path: Path, verifier: Verifier) -> None:
    path = tmp_path / "issue.toml"
    path.write_text(ISSUE)
    pr = build(path, verifier)
    assert [v.status for vs in pr.derivation.verdicts for v in vs] == ["proved", "numeric"]
    (first, second) = pr.derivation.derivation.steps()
    assert (first.why.rule, second.why.rule) == ("definition", "given")
    from derive.printer import tex

    assert str(tex(second.lhs)) == r"\frac{\partial L}{\partial z_{k}}"
    assert str(tex(second.rhs)) == r"\sigma_{k}{\left(z \right)} - y_{k}"


def test_the_shipped_problem_marks_each_step(tmp_path: Path, verifier: Verifier) -> None:
    path = tmp_path / "s1.toml"
    path.write_text('title = "S1"\n\n' + S1)
    pr = build(path, verifier)
    assert [v.status for vs in pr.derivation.verdicts for v in vs] == [
        "proved", "proved", "numeric", "proved", "numeric", "proved"]


#: (row written in extra.toml, the wrong row): a sign, a dropped term, the wrong derivative ...
PLANTED = [
    (r"\frac{\partial L}{\partial z_k} &= \frac{e^{z_k}}{\sum_{j=1}^{C} e^{z_j}} - y_k",
     r"\frac{\partial L}{\partial z_k} &= y_k - \frac{e^{z_k}}{\sum_{j=1}^{C} e^{z_j}}"),           # sign
    (r"\frac{\partial L}{\partial z_k} &= \frac{e^{z_k}}{\sum_{j=1}^{C} e^{z_j}} - y_k",
     r"\frac{\partial L}{\partial z_k} &= \frac{e^{z_k}}{\sum_{j=1}^{C} e^{z_j}}"),                 # missing y_k
    (r"\frac{\partial L}{\partial z_k} &= \frac{e^{z_k}}{\sum_{j=1}^{C} e^{z_j}} - y_k",
     r"\frac{\partial L}{\partial z_k} &= \frac{e^{z_k}}{\sum_{j=1}^{C} e^{z_j}}"
     r"\left(1 - \frac{e^{z_k}}{\sum_{j=1}^{C} e^{z_j}}\right)"),                                    # sigma(1-sigma)
    (r"&= \boxed{\sigma_k(z) - y_k}", r"&= \boxed{\sigma_k(z) + y_k}"),                               # sign
    (r"&= \boxed{\sigma_k(z) - y_k}", r"&= \boxed{\sigma_k(z) - y_1}"),                               # index
    (r"&= -\sum_{i=1}^{C} y_i \left(z_i - \log \sum_{j=1}^{C} e^{z_j}\right)",
     r"&= -\sum_{i=1}^{C} y_i \left(z_i + \log \sum_{j=1}^{C} e^{z_j}\right)"),                     # sign
    (r"&= \log \sum_{j=1}^{C} e^{z_j} - \sum_{i=1}^{C} y_i z_i",
     r"&= \sum_{j=1}^{C} e^{z_j} - \sum_{i=1}^{C} y_i z_i"),                                         # dropped log
    (r"&= \left(\sum_{i=1}^{C} y_i\right) \log \sum_{j=1}^{C} e^{z_j} - \sum_{i=1}^{C} y_i z_i",
     r"&= \left(\sum_{i=1}^{C} y_i\right) \log \sum_{j=1}^{C} e^{z_j} - \sum_{i=1}^{C} y_i z_i^2"),  # exponent
]


@pytest.mark.parametrize("row,wrong", PLANTED)
def test_a_wrong_step_fails_naming_the_step_and_a_counterexample(tmp_path: Path, verifier: Verifier,
                                                                 row: str, wrong: str) -> None:
    assert S1.count(row) == 1
    text = 'title = "S1"\n\n' + S1.replace(row, wrong)
    path = tmp_path / "bad.toml"
    path.write_text(text)
    lines = text.splitlines()
    line = next(n for n, ln in enumerate(lines, 1) if ln.strip().startswith(wrong.strip()))
    first = next(n for n, ln in enumerate(lines, 1) if ln.startswith("L &="))
    source = " ".join(wrong.split())
    with pytest.raises(InvalidStepError) as info:
        build(path, verifier)
    message = str(info.value)
    assert message.startswith(f"problem S1: {path}, line {line}: step {line - first + 1} '{source}' is failed: "), \
        message
    assert re.search(r"\(sides differ: [-\d.]+ vs [-\d.]+; counterexample C=\d+(, k=\d+)?(, [yz]_\d+=-?[\d/]+)+\)$",
                     message), message


def test_an_unbounded_sum_needs_one_range(tmp_path: Path, verifier: Verifier) -> None:
    text = ISSUE.replace(r"'C \in \mathbb{N}'", r"'C > 0'").replace(r"\sum_{i=1}^{C}", r"\sum_i")
    path = tmp_path / "norange.toml"
    path.write_text(text)
    with pytest.raises(SpecError) as info:
        build(path, verifier)
    assert str(info.value) == (f"problem S1: {path}: a sum without bounds (\\sum_i) needs one range: write its "
                               "bounds (\\sum_{i=1}^{C}) or assume one size (C \\in \\mathbb{N})")


def test_the_range_comes_from_the_assumed_size(tmp_path: Path, verifier: Verifier) -> None:
    """No bounds written anywhere: ``\\sum_i`` runs over 1..C for the one ``C \\in \\mathbb{N}``."""
    path = tmp_path / "nat.toml"
    path.write_text(ISSUE.replace(r"\sum_{i=1}^{C}", r"\sum_i"))
    pr = build(path, verifier)
    lhs = pr.derivation.derivation.steps()[0].rhs
    (s,) = [a for a in sp.preorder_traversal(lhs) if isinstance(a, sp.Sum)][:1]
    assert [str(x) for x in s.limits[0]] == ["i", "1", "C"]


POSITIVE = r"""title = "Positive entries"

[[problem]]
id = "P"
title = "A distribution"
assume = ['y_i > 0', 'C \in \mathbb{N}']
given = ['\sum_i y_i = 1']
steps = '''
\sum_{i=1}^{C} \sqrt{y_i^2} &= 1  % why: the entries are positive and sum to 1
\sum_{i=1}^{C} y_i \log \frac{1}{y_i} &\le \log C  % why: entropy is at most log C
'''
"""


def test_a_declared_sign_of_the_entries_is_used(tmp_path: Path, verifier: Verifier) -> None:
    """``y_i > 0`` holds for every entry y_1, ..., y_C (before, y_1 = -2.161 was a 'counterexample')."""
    path = tmp_path / "pos.toml"
    path.write_text(POSITIVE)
    pr = build(path, verifier)
    assert [v.status for vs in pr.derivation.verdicts for v in vs] == ["proved", "numeric"]
    path.write_text(POSITIVE.replace(r"&\le \log C", r"&\le \frac{1}{2} \log C"))
    with pytest.raises(InvalidStepError, match=r"line 10: step 2 .* is failed: .*counterexample C=\d+, y_1="):
        build(path, verifier)


def test_a_derivative_of_an_undefined_name_is_unparsed(tmp_path: Path, verifier: Verifier) -> None:
    path = tmp_path / "undef.toml"
    path.write_text(ISSUE.replace(r"L &= -\sum_{i=1}^{C} y_i \log \sigma_i(z)              % why: definition of "
                                  "cross-entropy\n", ""))
    with pytest.raises(InvalidStepError) as info:
        build(path, verifier)
    assert str(info.value) == (f"problem S1: {path}, line 11: step '\\frac{{\\partial L}}{{\\partial z_k}} &= "
                               "\\sigma_k(z) - y_k' is unparsed: the derivative of L, which no earlier step "
                               "defines (L &= ...)")


#: The same family in a checked document: the given reaches the verifier through the checker.
DOC = r"""% derive: assume C \in \mathbb{N}
% derive: given \sum_{i=1}^{C} y_i = 1
\begin{align*}
-\sum_{i=1}^{C} y_i \left(z_i - \log \sum_{j=1}^{C} e^{z_j}\right) &= \log \sum_{j=1}^{C} e^{z_j} - \sum_{i=1}^{C} y_i z_i
\end{align*}
"""


@pytest.mark.parametrize("doc,verdict", [
    (DOC, "valid"),
    (DOC.replace("% derive: given \\sum_{i=1}^{C} y_i = 1\n", ""), "invalid"),     # true only with the given
    (DOC.replace("- \\sum_{i=1}^{C} y_i z_i\n", "+ \\sum_{i=1}^{C} y_i z_i\n"), "invalid"),
])
def test_the_checker_uses_a_given_about_a_sum(verifier: Verifier, doc: str, verdict: str) -> None:
    from derive.check.judge import check_source

    (step,) = check_source(doc, "work.tex", verifier=verifier).steps
    assert step.verdict == verdict, step
    if verdict == "invalid":
        assert re.search(r"C=\d+", step.message) or step.counterexample, step


def test_to_spec_of_a_checked_document_about_a_sum_builds(tmp_path: Path, verifier: Verifier) -> None:
    from derive import cli

    src = tmp_path / "work.tex"
    src.write_text(DOC)
    out = tmp_path / "work.toml"
    assert cli.main(["check", str(src), "--to-spec", str(out)]) == 0
    pr = build(out, verifier)
    assert [v.status for vs in pr.derivation.verdicts for v in vs] == ["numeric"]
