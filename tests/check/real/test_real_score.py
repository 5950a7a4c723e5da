"""The real-style corpus is consistent, the scorer counts what its README says, and
``derive check`` meets issue 9's targets on it.

Only ``test_issue9_targets`` runs ``derive check`` (the whole corpus, once); time per
step is a benchmark (``benchmarks/bench_real.py``), never asserted here.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
_spec = importlib.util.spec_from_file_location("check_real_score", HERE / "score.py")
score = sys.modules.setdefault("check_real_score", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(score)


def test_corpus_labels_are_consistent() -> None:
    docs = score.documents()
    assert score.lint(docs) == []
    labels = [lab for d in docs for lab in d.labels.values()]
    scored = [lab for lab in labels if lab.label != "skip"]
    wrong = [lab for lab in scored if lab.label == "invalid"]
    assert len(scored) >= 300
    assert 0.05 <= len(wrong) / len(scored) <= 0.10
    assert {d.style for d in docs} == {"ocr", "chat", "student"}
    assert {d.path.suffix for d in docs} == {".md", ".tex", ".ipynb"}


@pytest.mark.parametrize("text, message", [
    ("# style: ocr\n3 valid\n3 skip\n", "x.labels:3: line 3 labelled twice"),
    ("# style: ocr\n3 right\n", "x.labels:2: expected '<line> <valid|invalid|carried|skip> [note]', got '3 right'"),
    ("# style: ocr\nvalid 3\n", "x.labels:2: expected '<line> <valid|invalid|carried|skip> [note]', got 'valid 3'"),
    ("3 valid\n", "x.labels: no '# style: NAME' line"),
])
def test_bad_label_files(tmp_path: Path, text: str, message: str) -> None:
    p = tmp_path / "x.labels"
    p.write_text(text)
    with pytest.raises(score.LabelError) as exc:
        score.read_labels(p)
    assert str(exc.value) == message


def test_label_notes_and_carried_source(tmp_path: Path) -> None:
    p = tmp_path / "x.labels"
    p.write_text("# style: chat\n# comment\n\n12 invalid wrong exponent\n14 carried from 12\n")
    style, labels = score.read_labels(p)
    assert style == "chat"
    assert labels[12] == score.Label(12, "invalid", "wrong exponent")
    assert labels[14].follows == 12 and labels[12].follows is None
    assert [labels[12].kind, labels[14].kind] == ["invalid", "carried"]


@pytest.mark.parametrize("note, kind", [("", "claim"), ("data", "data"), ("definitions and hypotheses", "definition"),
                                        ("hypothesis requirement", "hypothesis"), ("recall", "recall"),
                                        ("uses W iid N(0,1)", "claim")])
def test_kind_of_a_valid_line(note: str, kind: str) -> None:
    assert score.Label(1, "valid", note).kind == kind


def test_notebook_shadow_keeps_markdown_lines_in_place() -> None:
    nb_path = next(HERE.glob("*.ipynb"))
    text = nb_path.read_text()
    shadow = score.notebook_shadow(text).splitlines()
    assert len(shadow) == len(text.splitlines())
    cells = json.loads(text)["cells"]
    md = [s.rstrip("\n") for c in cells if c["cell_type"] == "markdown" for s in c["source"]]
    code = [s.rstrip("\n") for c in cells if c["cell_type"] == "code" for s in c["source"]]
    assert [s for s in shadow if s] == [s for s in md if s]
    assert not set(code) & set(shadow)
    raw = text.splitlines()
    for k, line in enumerate(shadow):
        if line:
            assert json.loads(raw[k].strip().rstrip(",")).rstrip("\n") == line


def _step(line: int, verdict: str, role: str | None = None) -> dict:
    s = {"line": line, "verdict": verdict, "relation": "=", "lhs": "a", "rhs": "b"}
    if role:
        s["role"] = role
    return s


# (label, steps on the line) -> (flagged, understood)
LINES = [
    ("valid", [_step(1, "valid"), _step(1, "given")], False, True),
    ("valid", [_step(1, "valid"), _step(1, "unknown")], False, False),
    ("valid", [_step(1, "unknown", role="hypothesis")], False, True),
    ("valid", [_step(1, "definition")], False, True),
    ("valid", [_step(1, "invalid", role="hypothesis")], True, False),
    ("valid", [_step(1, "unparsed", role="data")], False, False),
    ("valid", [], False, False),
    ("invalid", [_step(1, "valid"), _step(1, "invalid")], True, False),
    ("carried", [_step(1, "unknown")], False, False),
]


@pytest.mark.parametrize("label, steps, flagged, understood", LINES)
def test_line_verdicts(label: str, steps: list, flagged: bool, understood: bool) -> None:
    r = score.LineResult("f.md", "ocr", 1, label, "", steps)
    assert (r.flagged, r.understood) == (flagged, understood)


def test_score_counts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    doc = tmp_path / "d.md"
    doc.write_text("\n".join(f"$a_{k} = {k}$" for k in range(1, 9)) + "\n")
    labels = {1: "valid", 2: "valid", 3: "valid", 4: "invalid", 5: "invalid", 6: "carried", 7: "carried", 8: "skip"}
    steps = [_step(1, "valid"), _step(2, "invalid"), _step(3, "unknown"), _step(4, "invalid"),
             _step(5, "valid"), _step(6, "invalid"), _step(7, "valid", ) | {"message": "follows from line 4"},
             _step(8, "invalid"), _step(9, "invalid")]
    monkeypatch.setattr(score, "run_check", lambda path, timeout, mode: (steps, "native", 0.8, [0.01, 0.03]))
    d = score.Document(doc, "ocr", {k: score.Label(k, v) for k, v in labels.items()})
    m = score.score([d])["total"]
    assert m["lines"] == {"valid": 3, "invalid": 2, "carried": 2, "skip": 1}
    assert m["recall"] == {"count": 1, "of": 2, "pct": 50.0}
    assert m["false_alarms"] == {"count": 2, "of": 5, "pct": 40.0}
    assert m["understood"] == {"count": 1, "of": 3, "pct": 33.3}
    # flagged: lines 2, 4, 6 (labelled), 8 (skip) and 9 (unlabelled); 1 of them is a real error
    assert m["precision"] == {"count": 1, "of": 5, "pct": 20.0}
    assert m["carried_followed"] == {"count": 1, "of": 2}
    assert score.score([d])["kinds"]["claim"] == {"lines": 3, "false_alarms": 1, "understood": 1}
    assert m["ms_per_line"] == 114.3 and m["ms_per_step_verify"] == {"median": 20.0, "p95": 30.0, "n": 2}


def test_lint_names_unlabelled_relations_and_prose_labels(tmp_path: Path) -> None:
    doc = tmp_path / "d.md"
    doc.write_text("Let $a = 1$.\n\n$$\n\\begin{aligned}\nb &= 2 \\\\\n&\\le 3\n\\end{aligned}\n$$\nno math here\n"
                   "costs $c \\to d$\n")
    labels = {1: "valid", 5: "valid", 9: "valid", 10: "carried"}
    d = score.Document(doc, "ocr", {k: score.Label(k, v, "from 5" if v == "carried" else "") for k, v in labels.items()})
    assert score.lint([d]) == [
        "d.md:6: a relation in math but no label",
        "d.md:9: scored (valid) but no relation in math",
        "d.md:10: 'from 5' is not an invalid line",
    ]


def test_changes_between_two_runs() -> None:
    before = {"false_alarms": ["a.md:3: valid: invalid (x)", "a.md:5: valid: invalid (y)"], "missed": [],
              "not_understood": ["a.md:7: valid: unparsed"]}
    after = {"false_alarms": ["a.md:5: valid: invalid (y)", "b.tex:2: carried: invalid (z)"],
             "missed": ["a.md:9: invalid: unknown"], "not_understood": []}
    assert score.changes(before, after) == [
        "new false alarm: b.tex:2: carried: invalid (z)",
        "false alarm gone: a.md:3: valid: invalid (x)",
        "error now missed: a.md:9: invalid: unknown",
        "now understood: a.md:7: valid: unparsed",
    ]


@pytest.fixture(scope="module")
def corpus() -> dict:
    return score.score(score.documents())


def test_issue9_targets(corpus: dict) -> None:
    """No false alarm and every flag a real error; recall and understood lines held at today's
    floors.  Issue 9's targets are 85% recall and 70% understood.  Session 6: recall 29/30 = 96.7%
    (the LSTM entry slip and the transposed outer product caught) and understood 315/429 = 73.4%
    (stacked [h; x], the sigmoid by convention, vector entries c_t^{(1)}, families of definitions,
    quantities named in words), measured at load 10-14; 301/429 = 70.2% and 27/30 before.  The
    floors sit a little below, so that steps that run out of time under load (each line is 0.23%)
    do not fail the suite: recall 28/30, understood 309/429."""
    total = corpus["total"]
    assert total["false_alarms"]["count"] == 0, corpus["false_alarms"]
    assert total["precision"]["pct"] == 100.0
    assert total["recall"]["pct"] >= 93.0, corpus["missed"]
    assert total["understood"]["pct"] >= 72.0
    assert total["flags_on_skip_or_unlabelled"] == 0


# The exact verdicts on the documents written for the session-4 rules (supposition scope,
# values plugged in from outside the text, least integers after a bound): (line, verdict, role).
PINNED = {
    "chat_cases_plugged.md": [
        (5, "given", "hypothesis"), (5, "valid", "claim"), (5, "valid", "claim"), (7, "valid", "claim"),
        (9, "invalid", "claim"),
        (13, "given", "hypothesis"), (13, "valid", "claim"), (13, "given", "hypothesis"), (13, "valid", "claim"),
        (13, "valid", "claim"),
        (17, "given", "definition"), (17, "valid", "claim"),
        (20, "given", "definition"), (20, "given", "data"), (20, "valid", "claim"),
        (24, "given", "definition"), (24, "given", "data"), (24, "valid", "claim"),
        (27, "given", "definition"), (27, "given", "data"), (27, "valid", "claim"),
        (29, "valid", "claim"), (29, "valid", "claim"), (31, "valid", "claim"), (31, "invalid", "claim"),
        (35, "given", "hypothesis"), (35, "given", "hypothesis"), (35, "valid", "claim"), (35, "valid", "claim"),
        (37, "given", "hypothesis"), (37, "valid", "claim"), (37, "valid", "claim"),
    ],
    "student_cases_plugged.tex": [
        (6, "given", "hypothesis"), (6, "valid", "claim"), (6, "valid", "claim"),
        (8, "valid", "claim"), (8, "invalid", "claim"),
        (11, "given", "hypothesis"), (11, "valid", "claim"), (11, "given", "hypothesis"), (11, "valid", "claim"),
        (14, "given", "data"),
        (16, "given", "definition"), (16, "given", "data"), (16, "valid", "claim"),
        (17, "given", "definition"), (17, "given", "data"), (17, "valid", "claim"),
        (18, "given", "definition"), (18, "given", "data"), (18, "valid", "claim"),
        (19, "given", "definition"), (19, "valid", "claim"), (19, "invalid", "claim"),
    ],
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_pinned_verdicts(name: str) -> None:
    from derive.check.judge import check_source

    path = HERE / name
    steps = check_source(path.read_text(), name, timeout=5).steps
    assert [(s.line, s.verdict, s.role) for s in steps] == PINNED[name]
