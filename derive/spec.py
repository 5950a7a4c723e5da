"""The shape of a sheet spec, checked before anything reads it.

A spec is untrusted (TAs share them): every key ``sheet.parse_spec`` reads is
checked here for its type, so a malformed spec gives one ``SpecError`` naming
the file, the problem and the key, never a traceback.  The rules are a table
(``TOP``, ``PROBLEM``, ``PROSE``, ``PARAM_TABLE``) of small frozen ``Key``
rows.  A key that no table names is a typo, reported with the closest known key
(``problem A1: unknown key 'statment' (did you mean 'statement'?)``, issue 11);
a problem's authored-step keys are ``authored.KEYS``, checked further there.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Mapping

from .errors import SpecError, suggest

#: A problem id is also a file name (``snippet --sheet`` writes ``ID.tex``).
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}")
MAX_TEXT = 20_000
MAX_PROBLEMS = 200
MAX_DEPTH = 4


@dataclass(frozen=True)
class Key:
    name: str
    kind: str               # "text", "table", "tables", "bool", "range", "value"
    required: bool = False


TOP = (Key("title", "text", True), Key("course", "text"), Key("problem", "tables"))
PROBLEM = (Key("id", "text", True), Key("title", "text", True), Key("pipeline", "text", True),
           Key("statement", "text"), Key("params", "table"), Key("prose", "tables"),
           # authored problems (derive.authored): steps instead of a pipeline
           Key("steps", "text"), Key("assume", "value"), Key("define", "value"), Key("given", "value"),
           Key("part", "tables"))
PROSE = (Key("part", "text"), Key("heading", "text"), Key("text", "text", True))
PARAM_TABLE = (Key("value", "value", True), Key("vary", "bool"), Key("range", "range"))

_KIND_TEXT = {"text": "a string", "table": "a table", "tables": "a list of tables ([[...]])",
              "bool": "true or false", "range": "a list of two integers [lo, hi] with lo <= hi",
              "value": "a number, a string, a list or a table"}


def _type_name(v: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
            dict: "a table"}.get(type(v), type(v).__name__)


def _check_key(table: Mapping[str, Any], key: Key, where: str) -> None:
    if key.name not in table:
        if key.required:
            raise SpecError(f"{where}: missing '{key.name}'")
        return
    v = table[key.name]
    ok = {
        "text": lambda: isinstance(v, str) and len(v) <= MAX_TEXT,
        "table": lambda: isinstance(v, dict),
        "tables": lambda: isinstance(v, list) and all(isinstance(x, dict) for x in v),
        "bool": lambda: isinstance(v, bool),
        "range": lambda: (isinstance(v, list) and len(v) == 2 and all(type(x) is int for x in v)
                          and v[0] <= v[1] and all(abs(x) <= 10**6 for x in v)),
        "value": lambda: _plain_value(v, 0),
    }[key.kind]()
    if not ok:
        too_long = key.kind == "text" and isinstance(v, str)
        raise SpecError(f"{where}: '{key.name}' must be {_KIND_TEXT[key.kind]}"
                        + (f" of at most {MAX_TEXT} characters" if too_long else f", not {_type_name(v)}"))


def _plain_value(v: Any, depth: int) -> bool:
    """Numbers (finite), strings, lists and tables of them; no dates, no deep nesting."""
    if depth > MAX_DEPTH:
        return False
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return abs(v) < 10**300
    if isinstance(v, float):
        return math.isfinite(v)
    if isinstance(v, str):
        return len(v) <= MAX_TEXT
    if isinstance(v, list):
        return len(v) <= 4096 and all(_plain_value(x, depth + 1) for x in v)
    if isinstance(v, dict):
        return len(v) <= 256 and all(isinstance(k, str) and _plain_value(x, depth + 1) for k, x in v.items())
    return False


def _known(table: Mapping[str, Any], names: tuple[str, ...], where: str) -> None:
    """``SpecError`` for a key outside ``names``: a misspelled key must not be ignored."""
    for key in table:
        if key not in names:
            raise SpecError(f"{where}: unknown key '{key}'{suggest(key, names)} (known: {', '.join(names)})")


def validate(data: Any, source: str) -> None:
    """Raise ``SpecError`` for the first key of the wrong shape; ``source`` names the file."""
    from .authored import KEYS as AUTHORED

    if not isinstance(data, dict):
        raise SpecError(f"{source}: a sheet spec must be a table")
    _known(data, tuple(k.name for k in TOP), source)
    for key in TOP:
        _check_key(data, key, source)
    problems = data.get("problem")
    if not problems:
        raise SpecError(f"{source}: a sheet needs at least one [[problem]]")
    if len(problems) > MAX_PROBLEMS:
        raise SpecError(f"{source}: at most {MAX_PROBLEMS} problems")
    for i, raw in enumerate(problems, 1):
        where = f"{source}: problem {i}"
        _check_key(raw, PROBLEM[0], where)
        pid = raw["id"]
        if not ID.fullmatch(pid):
            raise SpecError(f"{where}: id {pid!r} must be letters, digits and . _ + - (it names files)")
        where = f"{source}: problem {pid}"
        _known(raw, (*(k.name for k in PROBLEM), *AUTHORED), where)
        for key in PROBLEM[1:]:
            if key.name == "pipeline" and ("steps" in raw or "part" in raw):
                key = Key("pipeline", "text")       # authored steps replace the pipeline
            _check_key(raw, key, where)
        for name, value in raw.get("params", {}).items():
            pwhere = f"{where}: parameter {name}"
            if isinstance(value, dict) and ("value" in value or "vary" in value or "range" in value):
                _known(value, tuple(k.name for k in PARAM_TABLE), pwhere)
                for key in PARAM_TABLE:
                    _check_key(value, key, pwhere)
            elif isinstance(value, float) and not math.isfinite(value):
                raise SpecError(f"{pwhere} = {value} is not a finite number")
            elif not _plain_value(value, 0):
                raise SpecError(f"{pwhere} must be {_KIND_TEXT['value']} (finite, nested at most "
                                f"{MAX_DEPTH} deep), not {_type_name(value)}")
        for j, prose in enumerate(raw.get("prose", []), 1):
            _known(prose, tuple(k.name for k in PROSE), f"{where}: prose {j}")
            for key in PROSE:
                _check_key(prose, key, f"{where}: prose {j}")


__all__ = ["validate", "SpecError", "ID", "Key"]
