"""The webhook inbox: signed events made durable before the webhook answers 200.

LINE does not redeliver an event it got a 200 for, so the webhook writes each event here first and
answers only when the write is on disk. The inbox is a small SQLite file of its own (never the main
database): a long write lock, a slow checkpoint or a full main database cannot stop the webhook from
acknowledging. A worker then applies the events to the main database, in arrival order, and removes
each one once its turn is committed there. An event whose turn was committed but whose removal was
cut short by a crash is applied again after the restart; the main database's event-id dedup turns
that second application into a no-op.

An event holds message text only for the moments between its arrival and its application;
``secure_delete`` overwrites the row when it is removed and the WAL is truncated when the inbox is empty.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from storage.reminders import iso

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS inbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    platform TEXT NOT NULL,
    event_id TEXT,
    user_key TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
)
"""


@dataclass(frozen=True, slots=True)
class InboxItem:
    """One acknowledged event waiting to be applied."""

    seq: int
    platform: str
    event_id: str
    user_key: str
    body: dict[str, Any]
    received_at: str
    attempts: int


@dataclass(frozen=True, slots=True)
class Arrival:
    """An event as the webhook hands it over: who it is from and its JSON."""

    event_id: str
    user_key: str
    body: dict[str, Any]


def inbox_path_for(db_path: str) -> str:
    """The default inbox file next to the main database (``data/bot.db`` → ``data/bot.inbox.db``)."""
    if db_path == ":memory:" or not db_path:
        return ":memory:"
    path = Path(db_path)
    return str(path.with_name(f"{path.stem}.inbox{path.suffix or '.db'}"))


class Inbox:
    """The inbox file: ``put`` (webhook, durable on return), ``pending`` / ``done`` / ``failed`` (worker)."""

    def __init__(self, path: str) -> None:
        if path != ":memory:":
            Path(path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # A short busy timeout: the only other writer is this process's worker, whose writes are tiny.
        self.conn = sqlite3.connect(path, timeout=2.0, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")
        # FULL: the commit is on disk when put() returns, so a 200 is never given for an event that a
        # power cut could still take away.
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("PRAGMA secure_delete=ON")
        self.conn.execute(_SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the connection (pending events stay in the file for the next start)."""
        with self._lock:
            self.conn.close()

    def put(self, platform: str, arrivals: list[Arrival], now: datetime) -> None:
        """Store every event of one delivery in one transaction; durable when this returns."""
        rows = [
            (platform, a.event_id or None, a.user_key, json.dumps(a.body, ensure_ascii=False), iso(now))
            for a in arrivals
        ]
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.executemany(
                    "INSERT INTO inbox (platform, event_id, user_key, body, received_at) VALUES (?, ?, ?, ?, ?)", rows
                )
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def pending(self, platform: str, limit: int = 200) -> list[InboxItem]:
        """The oldest events not yet applied, in arrival order."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT seq, platform, event_id, user_key, body, received_at, attempts FROM inbox "
                "WHERE platform = ? ORDER BY seq LIMIT ?",
                (platform, limit),
            ).fetchall()
        items = []
        for seq, plat, event_id, user_key, body, received_at, attempts in rows:
            try:
                data = json.loads(body)
            except ValueError:
                data = {}  # cannot happen for rows put() wrote; an empty event is applied as "ignored"
            items.append(InboxItem(seq, plat, event_id or "", user_key, data, received_at, attempts))
        return items

    def done(self, *seqs: int) -> None:
        """Remove applied events (their bytes are overwritten: secure_delete), in one transaction."""
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.executemany("DELETE FROM inbox WHERE seq = ?", [(s,) for s in seqs])
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def failed(self, seq: int, error: str) -> None:
        """Count a failed attempt (the event stays and is tried again)."""
        with self._lock:
            self.conn.execute("UPDATE inbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?", (error, seq))

    def backlog(self) -> tuple[int, str | None]:
        """How many events wait, and when the oldest arrived (ISO text) or None."""
        with self._lock:
            count, oldest = self.conn.execute("SELECT COUNT(*), MIN(received_at) FROM inbox").fetchone()
        return int(count), oldest

    def truncate_if_empty(self) -> None:
        """When nothing waits, truncate the WAL so no applied event's text lingers in it."""
        with self._lock:
            if self.conn.execute("SELECT 1 FROM inbox LIMIT 1").fetchone() is None:
                try:
                    self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.OperationalError:
                    pass  # a reader: the next empty moment will do it
