"""A persistent verdict cache (SQLite), so unchanged steps are never re-proved.

Keys are hashes of the prepared step and its domains (``verify.step_key``);
SQLite gives atomic writes and tolerates several builds running at once.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from .step import Verdict
from .verify import VerdictCache


class SqliteCache(VerdictCache):
    def __init__(self, path: Path) -> None:
        super().__init__()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS verdicts (key TEXT PRIMARY KEY, verdict TEXT NOT NULL)")

    def get(self, key: str) -> Verdict | None:
        hit = super().get(key)
        if hit is not None:
            return hit
        row = self._db.execute("SELECT verdict FROM verdicts WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        data = json.loads(row[0])
        verdict = Verdict(data["status"], data["method"], data.get("message", ""), data.get("counterexample"))
        super().put(key, verdict)
        return verdict

    def put(self, key: str, verdict: Verdict) -> None:
        super().put(key, verdict)
        payload = json.dumps({"status": verdict.status, "method": verdict.method,
                              "message": verdict.message, "counterexample": verdict.counterexample})
        self._db.execute("INSERT OR REPLACE INTO verdicts VALUES (?, ?)", (key, payload))

    def close(self) -> None:
        self._db.close()
