"""A persistent verdict cache (SQLite), so unchanged steps are never re-proved.

Keys are hashes of the prepared step and its domains (``verify.step_key``);
SQLite gives atomic writes and tolerates several builds running at once.

A cached ``proved`` is as strong a promise as a fresh proof, so rows are
checked, never trusted:

- the file carries its schema and version (table ``meta``);
- every row carries an HMAC-SHA256 of its key and verdict under a per-cache
  secret kept beside it (``verdicts.sqlite.key``, mode 0600); a row that fails
  the check (poisoned, or copied from another cache) is rejected and re-proved;
- a cache that cannot be read (not SQLite, truncated, random pages, another
  schema, unreadable secret) is renamed aside (``*.corrupt-N``) and rebuilt,
  with one warning line on stderr.
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import sys
from pathlib import Path

from .step import Verdict
from .verify import VerdictCache

SCHEMA = "derive-verdicts"
#: Bump when the row format changes.
VERSION = "3"
STATUSES = ("proved", "numeric", "failed", "unknown")


def _warn(message: str) -> None:
    print(f"derive: warning: {message}", file=sys.stderr)


class _Corrupt(Exception):
    pass


class SqliteCache(VerdictCache):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self._secret = b""
        self.rejected = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._open()
        except _Corrupt as exc:
            self._set_aside(str(exc))
            try:
                self._open()
            except _Corrupt as exc2:        # cannot even create a fresh one: run without persistence
                _warn(f"verdict cache {self.path}: {exc2}; continuing without it")
                self._close_db()

    # -- opening ----------------------------------------------------------- #

    def _open(self) -> None:
        try:
            self._secret = self._load_secret()
            db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            self._db = db
            db.execute("PRAGMA journal_mode=WAL")
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables:
                db.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
                db.execute("CREATE TABLE verdicts (key TEXT PRIMARY KEY, verdict TEXT NOT NULL, mac TEXT NOT NULL)")
                db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [("schema", SCHEMA), ("version", VERSION)])
                tables = {"meta", "verdicts"}
            if tables != {"meta", "verdicts"}:
                raise _Corrupt(f"unexpected tables {sorted(tables)}")
            meta = dict(db.execute("SELECT k, v FROM meta").fetchall())
            if meta.get("schema") != SCHEMA or meta.get("version") != VERSION:
                raise _Corrupt(f"schema {meta.get('schema')!r} version {meta.get('version')!r}, "
                               f"expected {SCHEMA!r} version {VERSION!r}")
            cols = [r[1] for r in db.execute("PRAGMA table_info(verdicts)")]
            if cols != ["key", "verdict", "mac"]:
                raise _Corrupt(f"unexpected columns {cols}")
            row = db.execute("PRAGMA quick_check").fetchone()
            if not row or row[0] != "ok":
                raise _Corrupt(f"integrity check failed ({row[0] if row else 'no answer'})")
        except sqlite3.Error as exc:
            self._close_db()
            raise _Corrupt(f"unreadable ({exc})") from None
        except _Corrupt:
            self._close_db()
            raise

    def _key_path(self) -> Path:
        return self.path.with_name(self.path.name + ".key")

    def _load_secret(self) -> bytes:
        kp = self._key_path()
        try:
            data = kp.read_bytes()
        except FileNotFoundError:
            if self.path.exists() and self.path.stat().st_size > 0:
                raise _Corrupt("its secret is missing, so no row can be checked") from None
            data = secrets.token_hex(32).encode()
            try:
                fd = os.open(kp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:     # another build created it first
                return self._load_secret()
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            return data
        except OSError as exc:
            raise _Corrupt(f"its secret cannot be read ({exc.strerror or exc})") from None
        if len(data) != 64 or not all(c in b"0123456789abcdef" for c in data):
            raise _Corrupt("its secret is malformed")
        return data

    def _set_aside(self, why: str) -> None:
        self._close_db()
        n = 1
        while self.path.with_name(f"{self.path.name}.corrupt-{n}").exists():
            n += 1
        aside = self.path.with_name(f"{self.path.name}.corrupt-{n}")
        for suffix in ("", "-wal", "-shm", ".key"):
            src = self.path.with_name(self.path.name + suffix)
            with contextlib.suppress(FileNotFoundError):
                os.replace(src, aside.with_name(aside.name + suffix))
        _warn(f"verdict cache {self.path} {why}: set aside as {aside.name}, rebuilding")

    def _close_db(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    # -- rows -------------------------------------------------------------- #

    def _mac(self, key: str, payload: str) -> str:
        return hmac.new(self._secret, f"{key}\x00{payload}".encode(), hashlib.sha256).hexdigest()

    def _query(self, sql: str, args: tuple) -> list:
        if self._db is None:
            return []
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            self._set_aside(f"failed while in use ({exc})")
            try:
                self._open()
            except _Corrupt:
                self._close_db()
            return []

    def get(self, key: str) -> Verdict | None:
        hit = super().get(key)
        if hit is not None:
            return hit
        rows = self._query("SELECT verdict, mac FROM verdicts WHERE key = ?", (key,))
        if not rows:
            return None
        payload, mac = rows[0]
        verdict = self._decode(key, payload, mac)
        if verdict is None:
            self.rejected += 1
            if self.rejected == 1:
                _warn(f"verdict cache {self.path}: rejected a row that fails its integrity check; re-verifying")
            self._query("DELETE FROM verdicts WHERE key = ?", (key,))
            return None
        super().put(key, verdict)
        return verdict

    def _decode(self, key: str, payload: object, mac: object) -> Verdict | None:
        if not isinstance(payload, str) or not isinstance(mac, str):
            return None
        if not hmac.compare_digest(mac, self._mac(key, payload)):
            return None
        try:
            data = json.loads(payload)
            verdict = Verdict(data["status"], data["method"], data.get("message", ""), data.get("counterexample"))
        except (ValueError, TypeError, KeyError):
            return None
        if verdict.status not in STATUSES or not isinstance(verdict.method, str):
            return None
        return verdict

    def put(self, key: str, verdict: Verdict) -> None:
        super().put(key, verdict)
        payload = json.dumps({"status": verdict.status, "method": verdict.method,
                              "message": verdict.message, "counterexample": verdict.counterexample})
        self._query("INSERT OR REPLACE INTO verdicts VALUES (?, ?, ?)", (key, payload, self._mac(key, payload)))

    def close(self) -> None:
        self._close_db()
