"""Roles of relations: what a written relation is *for*, decided before judging.

* ``claim``: the writer asserts it follows; it is judged.
* ``definition``: it introduces a fresh name (``c = \\frac{1}{\\sqrt{d}}``).
* ``data``: problem data or a set-up value (``Let $x = 2$``, ``\\text{setup: } y = 10``,
  "with $\\mathrm{RMS}(x) = 1$").
* ``hypothesis``: a condition or a case (``If $C_n = 1$:``, "for $n \\ge 1$",
  ``N \\ge \\dots`` on a name nothing fixes, unless it is the only relation of its document)
  or a goal ("We want ...").
* ``recall``: it restates an established fact ("since $x = 2$", or the same
  relation as a fact in scope); judged, and shown as such.

The prose (or ``\\text{...}``) just before a relation gives a *cue*; ``CUES``
is the table of cue words, the last one before the math wins, and claim
words ("so", "we get", "thus") cancel an earlier cue.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ROLES = ("claim", "definition", "data", "hypothesis", "recall")


@dataclass(frozen=True)
class Cue:
    """A cue word (a regular expression, case-insensitive, whole words)."""

    pattern: str
    role: str               # data | hypothesis | goal | recall | claim
    #: the word must stand just before the math ("for $n \\ge 1$", not "for the output we get $y$")
    near: bool = False
    #: a standing assumption ("assume"): it holds to the end of its part, where a
    #: supposition ("suppose", "if", "for") ends with its paragraph (``supposition``)
    standing: bool = False


CUES: tuple[Cue, ...] = (
    Cue(r"let(?!'s|\s+us\b)", "data"), Cue(r"given(?:\s+that)?", "data"), Cue(r"set\s*-?\s*up", "data"),
    Cue(r"with", "data", near=True), Cue(r"where", "data"), Cue(r"denote|denoting", "data"),
    Cue(r"define|defining|definition", "data"), Cue(r"say", "data", near=True),
    Cue(r"e\.\s?g\.?|for\s+(?:example|instance)|examples?|check\s+at|at|evaluated\s+at", "data", near=True),
    Cue(r"(?:we\s+)?(?:put|take|taking|choose|choosing|pick|set|setting|fix|fixing)", "data", near=True),
    Cue(r"substituting|plugging(?:\s+in)?|using", "data", near=True), Cue(r"data|inputs?|parameters?", "data", near=True),
    Cue(r"assume|assuming|assumption", "hypothesis", standing=True),
    Cue(r"if|when|whenever|suppose|supposing|case", "hypothesis"),
    Cue(r"for(?:\s+(?:all|every|each|any|some))?", "hypothesis", near=True),
    Cue(r"we\s+want|we\s+need|want|need|goal|show\s+that|prove\s+that|require|requires|required|such\s+that",
        "goal"),
    Cue(r"since|because|recall|as\s+(?:before|shown|computed)|we\s+know", "recall"),
    Cue(r"so|thus|hence|therefore|then|we\s+get|we\s+have|gives?|giving|yields?|becomes|obtain|equals?|is|are",
        "claim"),
)
_CUE_RE = [(c, re.compile(r"(?<![A-Za-z])(?:" + c.pattern + r")(?![A-Za-z])", re.I)) for c in CUES]
#: a clause ends at a sentence mark (a trailing ":" before the math does not count)
_BREAK = re.compile(r"(?<!e\.g)(?<!i\.e)(?<!cf)[.;!?:](?=\s|$)|\n\s*\n")
_NEAR_WORDS = 3


def cue_of(prose: str) -> str | None:
    """The cue of the prose just before a relation: ``data``, ``hypothesis``,
    ``goal``, ``recall``, or ``None`` (a claim)."""
    best = _best_cue(prose)
    if best is None or best.role == "claim":
        return None
    return best.role


def supposition(prose: str) -> bool:
    """The prose before a relation supposes it ("Suppose $y = 0$", "if", "for $n \\ge 7$"):
    a hypothesis whose scope is its paragraph, not a standing assumption ("Assume ...")."""
    best = _best_cue(prose)
    return best is not None and best.role == "hypothesis" and not best.standing


def _best_cue(prose: str) -> Cue | None:
    """The last cue word of the last clause of ``prose`` (``None``: no cue word)."""
    # across a blank line a word that must stand just before the math reaches it only as the
    # last word ("Now take" then a display); "... for x>1 ok" then a display: it was about the prose
    near_words = 0 if re.search(r"\n[ \t]*\n\s*$", prose) else _NEAR_WORDS
    tail = re.sub(r"[\s:,*_>#-]+$", "", prose)
    cut = None
    for cut in _BREAK.finditer(tail):
        pass
    clause = tail[cut.end():] if cut else tail
    clause = re.sub(r"\\[A-Za-z]+\s*", " ", clause)     # \textbf, \emph: prose macros
    best: tuple[int, Cue] | None = None
    for cue, rx in _CUE_RE:
        for m in rx.finditer(clause):
            if cue.near and len(clause[m.end():].split()) > near_words:
                continue
            if best is None or m.start() > best[0]:
                best = (m.start(), cue)
    return best[1] if best else None


@dataclass(frozen=True)
class Facts:
    """What the judge knows about a relation when it picks the role."""

    cue: str | None         # from ``cue_of``
    first: bool             # first link of its chain
    rel: str                # relation key (``eq``, ``le``, ...)
    lhs_name: bool          # the left side is a bare name (symbol, atom, array entry)
    lhs_fresh: bool         # ... that nothing in scope has used or given a value
    lhs_known: bool         # ... that has a value or a domain in scope
    restates: bool          # the relation is a fact already in scope
    lone: bool = False      # the document's only relation, an inequality (nothing to be a condition of)


@dataclass(frozen=True)
class Rule:
    """``role`` when every given condition holds (``None``: any)."""

    role: str
    cue: tuple[str | None, ...] | None = None
    first: bool | None = None
    equation: bool | None = None
    lhs_name: bool | None = None
    lhs_fresh: bool | None = None
    lhs_known: bool | None = None
    restates: bool | None = None
    lone: bool | None = None


#: First match wins.
RULES: tuple[Rule, ...] = (
    Rule("hypothesis", cue=("goal",), first=True),
    Rule("recall", restates=True),
    Rule("data", cue=("data",), first=True, equation=True),
    Rule("hypothesis", cue=("data", "hypothesis"), first=True),
    Rule("recall", cue=("recall",), first=True),
    Rule("definition", first=True, equation=True, lhs_name=True, lhs_fresh=True),
    # x < 5 alone in its document, with no cue: a claim about every x, as in equivalent()
    Rule("claim", cue=(None,), lone=True),
    # N \ge \frac{\ln 0.05}{\ln 0.95}: a condition on a name nothing fixes
    Rule("hypothesis", equation=False, lhs_name=True, lhs_known=False),
    Rule("claim"),
)


def _matches(rule: Rule, f: Facts) -> bool:
    equation = f.rel in ("eq", "approx")
    checks = ((rule.first, f.first), (rule.equation, equation), (rule.lhs_name, f.lhs_name),
              (rule.lhs_fresh, f.lhs_fresh), (rule.lhs_known, f.lhs_known), (rule.restates, f.restates),
              (rule.lone, f.lone))
    if rule.cue is not None and f.cue not in rule.cue:
        return False
    return all(want is None or want == got for want, got in checks)


def role_of(f: Facts) -> str:
    """The role of one relation (see ``RULES``)."""
    for rule in RULES:
        if _matches(rule, f):
            return rule.role
    return "claim"


__all__ = ["ROLES", "CUES", "RULES", "Cue", "Rule", "Facts", "cue_of", "role_of", "supposition"]
