"""The verdict cache: corrupt files are set aside and rebuilt, poisoned rows rejected."""
from __future__ import annotations

import json
import os
import random
import sqlite3

import pytest

from derive.cache import SCHEMA, SqliteCache
from derive.step import Verdict

FAILED = Verdict("failed", "numeric", "counterexample at x = 1")
PROVED = json.dumps({"status": "proved", "method": "expand", "message": "", "counterexample": None})


def fresh(path):
    c = SqliteCache(path)
    c.put("k", FAILED)
    c.close()


def _truncate(p):
    p.write_bytes(p.read_bytes()[:200])


def _random_pages(p):
    data = bytearray(p.read_bytes())
    rng = random.Random(0)
    for page in range(1, len(data) // 4096):
        data[page * 4096:(page + 1) * 4096] = bytes(rng.randrange(256) for _ in range(4096))
    p.write_bytes(bytes(data))


def _garbage(p):
    p.write_bytes(os.urandom(10_000))


def _empty_text(p):
    p.write_text("not a database at all\n")


def _wrong_schema(p):
    p.unlink()
    db = sqlite3.connect(p)
    db.execute("CREATE TABLE verdicts (key TEXT PRIMARY KEY, verdict TEXT NOT NULL)")
    db.execute("INSERT INTO verdicts VALUES ('k', ?)", (PROVED,))
    db.commit()
    db.close()


def _old_version(p):
    db = sqlite3.connect(p)
    db.execute("UPDATE meta SET v = '1' WHERE k = 'version'")
    db.commit()
    db.close()


def _foreign_schema(p):
    db = sqlite3.connect(p)
    db.execute("UPDATE meta SET v = 'something-else' WHERE k = 'schema'")
    db.commit()
    db.close()


def _extra_table(p):
    db = sqlite3.connect(p)
    db.execute("CREATE TABLE evil (x)")
    db.commit()
    db.close()


def _lost_key(p):
    p.with_name(p.name + ".key").unlink()


def _bad_key(p):
    p.with_name(p.name + ".key").write_bytes(b"\xff" * 10)


def _key_is_directory(p):
    k = p.with_name(p.name + ".key")
    k.unlink()
    k.mkdir()


CORRUPTIONS = [_truncate, _random_pages, _garbage, _empty_text, _wrong_schema, _old_version, _foreign_schema,
               _extra_table, _lost_key, _bad_key, _key_is_directory]


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__.strip("_"))
def test_a_corrupt_cache_is_set_aside_and_rebuilt_with_one_warning(tmp_path, capsys, corrupt):
    path = tmp_path / "verdicts.sqlite"
    fresh(path)
    # padding so there are pages to scramble
    c = SqliteCache(path)
    for i in range(200):
        c.put(f"pad{i}", FAILED)
    c.close()
    capsys.readouterr()
    corrupt(path)
    c = SqliteCache(path)
    assert c.get("k") is None            # nothing from a corrupt file is believed
    c.put("k2", FAILED)
    c.close()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"derive: warning: verdict cache {path} ")
    assert "rebuilding" in err or "continuing without it" in err
    assert any(n.startswith("verdicts.sqlite.corrupt-") for n in os.listdir(tmp_path))
    again = SqliteCache(path)
    assert again.get("k2") == FAILED
    again.close()
    assert capsys.readouterr().err == ""


def test_a_fresh_cache_and_a_zero_length_file_need_no_warning(tmp_path, capsys):
    path = tmp_path / "v.sqlite"
    path.write_bytes(b"")
    fresh(path)
    c = SqliteCache(path)
    assert c.get("k") == FAILED
    c.close()
    assert capsys.readouterr().err == ""
    assert oct(os.stat(path.with_name(path.name + ".key")).st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("payload", [
    PROVED,
    "{not json",
    json.dumps({"status": "proved"}),
    json.dumps({"status": "bogus", "method": "x"}),
    "",
])
def test_a_poisoned_row_is_rejected(tmp_path, capsys, payload):
    path = tmp_path / "v.sqlite"
    fresh(path)
    db = sqlite3.connect(path)
    db.execute("UPDATE verdicts SET verdict = ? WHERE key = 'k'", (payload,))
    db.commit()
    db.close()
    c = SqliteCache(path)
    assert c.get("k") is None
    assert c.get("k") is None            # and it is gone, not re-read
    c.close()
    err = capsys.readouterr().err
    assert err == f"derive: warning: verdict cache {path}: rejected a row that fails its integrity check; re-verifying\n"


def test_a_row_copied_from_another_cache_is_rejected(tmp_path, capsys):
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    ca, cb = SqliteCache(a), SqliteCache(b)
    ca.put("k", Verdict("proved", "expand"))
    cb.put("k", FAILED)
    ca.close()
    cb.close()
    row = sqlite3.connect(a).execute("SELECT verdict, mac FROM verdicts").fetchone()
    db = sqlite3.connect(b)
    db.execute("UPDATE verdicts SET verdict = ?, mac = ? WHERE key = 'k'", row)
    db.commit()
    db.close()
    c = SqliteCache(b)
    assert c.get("k") is None
    c.close()


def test_schema_is_recorded(tmp_path):
    path = tmp_path / "v.sqlite"
    fresh(path)
    meta = dict(sqlite3.connect(path).execute("SELECT k, v FROM meta").fetchall())
    assert meta["schema"] == SCHEMA
