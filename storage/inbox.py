"""The webhook inbox: signed events made durable before the webhook answers 200.

LINE does not redeliver an event it got a 200 for, so the webhook writes each event here first and
answers only when the write is on disk. The inbox is a small SQLite file of its own (never the main
database): a long write lock, a slow checkpoint or a full main database cannot stop the webhook from
acknowledging. Workers then apply the events to the main database and remove each one once its turn
is committed there. An event whose turn was committed but whose removal was cut short by a crash is
applied again after the restart; the main database's event-id dedup turns that second application
into a no-op.

Several processes may share one inbox file (instances on one machine, on one SQLite database or on
PostgreSQL): whichever instance took an event, any of them may apply it. A worker **claims** events
before applying them, whole users at a time: while one worker holds a claim on some of a user's
events, no other worker takes any event of that user, so a user's events are applied one at a time,
in the order LINE sent them (their ``timestamp``, then arrival). A claim is a lease: a worker that
died (killed, its machine gone) loses its claims when the lease runs out, and the instance that
restarts under the same name takes its own claims back at once.

An event holds message text only for the moments between its arrival and its application;
``secure_delete`` overwrites the row when it is removed and the WAL is truncated when the inbox is empty.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from storage.db import begin_immediate
from storage.reminders import iso

log = logging.getLogger(__name__)
# How long an inbox write waits for another process's write lock (writes to it are tiny).
INBOX_BUSY_SECONDS = 2.0

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
# Columns added after the first release: an inbox file written by an older version gets them at open.
# ts: the event's own time (LINE's ``timestamp``, milliseconds), the first key of a user's order;
# claimed_by / claimed_until: which worker applies it, until when (a lease, Unix seconds).
_ADDED_COLUMNS = {"ts": "INTEGER", "claimed_by": "TEXT", "claimed_until": "REAL"}
_INDEXES = (
    "CREATE INDEX IF NOT EXISTS inbox_user ON inbox (platform, user_key, ts, seq)",
    "CREATE INDEX IF NOT EXISTS inbox_claim ON inbox (platform, claimed_by)",
    "CREATE INDEX IF NOT EXISTS inbox_event ON inbox (event_id)",
)
_ITEM_COLUMNS = "seq, platform, event_id, user_key, body, received_at, attempts, ts"


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
    ts: int | None = None


@dataclass(frozen=True, slots=True)
class Arrival:
    """An event as the webhook hands it over: who it is from, its JSON, and its own time (ms) if known."""

    event_id: str
    user_key: str
    body: dict[str, Any]
    ts: int | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    """What one claim gave a worker: events to apply in this order, and whether other events wait
    because another worker holds their user (look again soon: it may finish any moment)."""

    items: list[InboxItem] = field(default_factory=list)
    deferred: int = 0


def inbox_path_for(db_path: str) -> str:
    """The default inbox file next to the main database (``data/bot.db`` → ``data/bot.inbox.db``)."""
    if db_path == ":memory:" or not db_path:
        return ":memory:"
    path = Path(db_path)
    return str(path.with_name(f"{path.stem}.inbox{path.suffix or '.db'}"))


def order_key(item: InboxItem) -> tuple[int, int]:
    """A user's order: the event's own time, then arrival (an event without a time keeps its arrival place)."""
    return (item.ts if item.ts is not None else 0, item.seq)


def _item(row: tuple[Any, ...]) -> InboxItem:
    seq, plat, event_id, user_key, body, received_at, attempts, ts = row
    try:
        data = json.loads(body)
    except ValueError:
        data = {}  # cannot happen for rows put() wrote; an empty event is applied as "ignored"
    return InboxItem(seq, plat, event_id or "", user_key, data, received_at, attempts, ts)


class Inbox:
    """The inbox file: ``put`` (webhook, durable on return); ``claim`` / ``done`` / ``failed`` /
    ``release`` (workers); ``pending`` and ``backlog`` to look at it."""

    def __init__(self, path: str) -> None:
        if path != ":memory:":
            Path(path).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # A short busy timeout: the other writers (this process's worker, other instances sharing the
        # file) only ever hold the file for tiny writes.
        self.conn = sqlite3.connect(path, timeout=2.0, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")
        # FULL: every commit is on disk when it returns (put() most of all: a 200 is never given for an
        # event that a power cut could still take away). Claims are the exception, see _write.
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("PRAGMA secure_delete=ON")
        # The inbox's WAL is truncated when the inbox is empty; this bounds it after any restart as well.
        self.conn.execute("PRAGMA journal_size_limit=16777216")
        self._lock = threading.Lock()
        self._worker_side: Inbox | None = None
        self._write(self._create)

    def worker_side(self) -> Inbox:
        """The same file through a connection of its own, for the worker's claims, removals and counts.

        Each connection has its own lock: a claim or a count never waits behind the webhook's durable
        write (its fsync, a few ms) on a shared connection; WAL lets the reads run beside that write, and
        the worker's small writes queue at the file lock only. An in-memory inbox has one connection.
        """
        if self.path == ":memory:":
            return self
        if self._worker_side is None:
            self._worker_side = Inbox(self.path)
        return self._worker_side

    def _create(self) -> None:
        self.conn.execute(_SCHEMA)
        self.conn.execute("CREATE TABLE IF NOT EXISTS inbox_probe (id INTEGER PRIMARY KEY, at REAL)")
        present = {row[1] for row in self.conn.execute("PRAGMA table_info(inbox)")}
        for name, kind in _ADDED_COLUMNS.items():
            if name not in present:
                self.conn.execute(f"ALTER TABLE inbox ADD COLUMN {name} {kind}")
        for statement in _INDEXES:
            self.conn.execute(statement)

    def _write(self, step: Any, *args: Any, soft: bool = False) -> Any:
        """Run ``step`` in one write transaction (BEGIN IMMEDIATE: the file lock up front).

        ``soft``: claims, which a power cut may lose at no cost (the events stay and are claimed again),
        are committed without waiting for the disk; the next durable commit carries them anyway.
        """
        with self._lock:
            if soft:
                self.conn.execute("PRAGMA synchronous=NORMAL")
            try:
                begin_immediate(self.conn, INBOX_BUSY_SECONDS)
                try:
                    result = step(*args)
                    self.conn.execute("COMMIT")
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise
            finally:
                if soft:
                    self.conn.execute("PRAGMA synchronous=FULL")
            return result

    def probe(self) -> None:
        """One tiny durable write (raises while the file cannot be written: a full disk, read-only)."""
        self._write(self.conn.execute, "INSERT OR REPLACE INTO inbox_probe (id, at) VALUES (1, ?)", (time.time(),))

    def close(self) -> None:
        """Close the connection (pending events stay in the file for the next start)."""
        if self._worker_side is not None:
            self._worker_side.close()
        with self._lock:
            self.conn.close()

    def put(self, platform: str, arrivals: list[Arrival], now: datetime) -> None:
        """Store every event of one delivery in one transaction; durable when this returns."""
        rows = [
            (platform, a.event_id or None, a.user_key, json.dumps(a.body, ensure_ascii=False), iso(now), a.ts)
            for a in arrivals
        ]
        self._write(
            self.conn.executemany,
            "INSERT INTO inbox (platform, event_id, user_key, body, received_at, ts) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )

    def pending(self, platform: str, limit: int = 200) -> list[InboxItem]:
        """The oldest events not yet applied, in arrival order (claimed or not)."""
        with self._lock:
            rows = self.conn.execute(
                f"SELECT {_ITEM_COLUMNS} FROM inbox WHERE platform = ? ORDER BY seq LIMIT ?", (platform, limit)
            ).fetchall()
        return [_item(r) for r in rows]

    def claim(self, platform: str, owner: str, limit: int, lease: float) -> Claim:
        """Claim events for ``owner`` to apply, whole users at a time, in each user's order.

        Users with an event another live worker has claimed are left alone (counted in ``deferred``):
        their next event must wait until that worker is done. The owner's own earlier claims (a round
        cut short, or a process restarted under the same name) are part of the claim again. At most
        about ``limit`` events; a user's events are taken as a prefix of their order, never with a gap.
        """
        with self._lock:
            # Most rounds find nothing: a plain read, no write lock taken.
            if self.conn.execute("SELECT 1 FROM inbox WHERE platform = ? LIMIT 1", (platform,)).fetchone() is None:
                return Claim()
        return self._write(self._claim, platform, owner, limit, lease, soft=True)

    def _claim(self, platform: str, owner: str, limit: int, lease: float) -> Claim:
        now = time.time()
        held_elsewhere = (
            "SELECT user_key FROM inbox WHERE platform = ? AND claimed_by IS NOT NULL AND claimed_by <> ?"
            " AND claimed_until > ?"
        )
        users = [
            row[0]
            for row in self.conn.execute(
                f"SELECT user_key FROM inbox WHERE platform = ? AND user_key NOT IN ({held_elsewhere})"
                " GROUP BY user_key ORDER BY MIN(seq) LIMIT ?",
                (platform, platform, owner, now, limit),
            )
        ]
        # Events of those users that nobody holds yet: they wait for the other worker to finish the user.
        deferred = self.conn.execute(
            f"SELECT COUNT(*) FROM inbox WHERE platform = ? AND user_key IN ({held_elsewhere})"
            " AND NOT (claimed_by IS NOT NULL AND claimed_by <> ? AND claimed_until > ?)",
            (platform, platform, owner, now, owner, now),
        ).fetchone()[0]
        items: list[InboxItem] = []
        for user in users:
            mine = [
                _item(r)
                for r in self.conn.execute(
                    f"SELECT {_ITEM_COLUMNS} FROM inbox WHERE platform = ? AND user_key = ?"
                    " ORDER BY coalesce(ts, 0), seq LIMIT ?",
                    (platform, user, max(limit - len(items), 1)),
                )
            ]
            items.extend(mine)
            if len(items) >= limit:
                break
        self.conn.executemany(
            "UPDATE inbox SET claimed_by = ?, claimed_until = ? WHERE seq = ?",
            [(owner, now + lease, item.seq) for item in items],
        )
        # Across users any order will do; the oldest first keeps waiting times fair.
        items.sort(key=order_key)
        return Claim(items, int(deferred))

    def renew(self, owner: str, lease: float) -> None:
        """Extend the owner's claims (a long round must not lose them half-way)."""
        self._write(
            self.conn.execute,
            "UPDATE inbox SET claimed_until = ? WHERE claimed_by = ?",
            (time.time() + lease, owner),
            soft=True,
        )

    def release(self, owner: str) -> int:
        """Give up the owner's claims (a clean stop): another worker may take them at once."""
        cur = self._write(
            self.conn.execute,
            "UPDATE inbox SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ?",
            (owner,),
            soft=True,
        )
        return int(cur.rowcount)

    def done(self, *seqs: int) -> None:
        """Remove applied events (their bytes are overwritten: secure_delete), in one transaction."""
        # Not waiting for the disk: a removal a power cut takes back only means applying the event again,
        # which the main database's event-id dedup makes a no-op.
        self._write(self.conn.executemany, "DELETE FROM inbox WHERE seq = ?", [(s,) for s in seqs], soft=True)

    def failed(self, seq: int, error: str) -> None:
        """Count a failed attempt (the event stays and is tried again)."""
        with self._lock:
            self.conn.execute("UPDATE inbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?", (error, seq))

    def waiting(self, event_id: str) -> bool:
        """Whether an event is still waiting to be applied (by any worker sharing the file)."""
        with self._lock:
            return (
                self.conn.execute("SELECT 1 FROM inbox WHERE event_id = ? LIMIT 1", (event_id,)).fetchone() is not None
            )

    def backlog(self) -> tuple[int, str | None]:
        """How many events wait, and when the oldest arrived (ISO text) or None."""
        with self._lock:
            count, oldest = self.conn.execute("SELECT COUNT(*), MIN(received_at) FROM inbox").fetchone()
        return int(count), oldest

    def absorb(self, other: str) -> int:
        """Move every event of another inbox file into this one (keeping its arrival time), then delete
        that file: an instance's own inbox from before inboxes were shared is applied, not forgotten."""
        source = Path(other)
        if not source.exists() or source.resolve() == Path(self.path).resolve():
            return 0
        conn = sqlite3.connect(str(source), timeout=2.0, isolation_level=None)
        try:
            conn.execute("PRAGMA secure_delete=ON")
            rows = conn.execute(
                "SELECT platform, event_id, user_key, body, received_at FROM inbox ORDER BY seq"
            ).fetchall()
        except sqlite3.OperationalError:
            conn.close()
            return 0  # not an inbox (no such table): leave the file alone
        moved = [(*row, _event_time(row[3])) for row in rows]
        if moved:
            self._write(
                self.conn.executemany,
                "INSERT INTO inbox (platform, event_id, user_key, body, received_at, ts) VALUES (?, ?, ?, ?, ?, ?)",
                moved,
            )
        conn.execute("DELETE FROM inbox")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{source}{suffix}").unlink(missing_ok=True)
        return len(moved)

    def truncate_if_empty(self) -> None:
        """When nothing waits, truncate the WAL so no applied event's text lingers in it."""
        with self._lock:
            if self.conn.execute("SELECT 1 FROM inbox LIMIT 1").fetchone() is None:
                try:
                    self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.OperationalError:
                    pass  # a reader: the next empty moment will do it


def event_time(body: Any) -> int | None:
    """An event's own time in milliseconds (LINE's ``timestamp``), or None when it has none."""
    ts = body.get("timestamp") if isinstance(body, dict) else None
    return ts if isinstance(ts, int) and not isinstance(ts, bool) and ts >= 0 else None


def _event_time(body: str) -> int | None:
    try:
        return event_time(json.loads(body))
    except ValueError:
        return None
