"""Repositories: users, situations (with history) and conversation state, webhook event ids.

Plain dicts cross this boundary, so storage needs nothing from the core or any platform.
Every write of one chat turn happens in one transaction (:meth:`Store.transaction`): a crash
leaves the previous turn intact, never half of a new one.

:class:`SqlStore` holds the SQL both adapters speak (``?`` placeholders, ``INSERT ... ON CONFLICT``,
``RETURNING``); :class:`Store` is the SQLite adapter (sqlite-utils, WAL, one connection) and
:class:`storage.postgres.PostgresStore` the PostgreSQL one. Both satisfy :class:`storage.port.StorePort`.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from storage.db import BUSY_SECONDS, WAL_LIMIT_BYTES, _busy, begin_immediate
from storage.notes import DeliveryNotes
from storage.reminders import ReminderRepo, inserted_id, iso

log = logging.getLogger(__name__)
# A read as a function: SQL with ``?`` placeholders and its parameters -> every row.
Query = Callable[..., list[Any]]


def _count(query: Query, where: str, *params: Any) -> int:
    """How many outbox rows match ``where``."""
    return int(query(f"SELECT COUNT(*) FROM outbox WHERE {where}", params)[0][0])


# How long a reader may block a forget's truncation before it is logged (once).
TRUNCATE_PATIENCE = 30

SITUATION_COLUMNS = (
    "cause",
    "wrong_attempts",
    "card_lost",
    "card_lost_at",
    "overdue",
    "suspended",
    "due_day",
    "reminder_time",
    "visit_done_at",
    "detailed_previews",
    "language",
)
_BOOL_COLUMNS = {"card_lost", "overdue", "suspended", "detailed_previews"}


def _facts(row: Any) -> dict[str, Any]:
    """One situation row's told fields (the columns of SITUATION_COLUMNS, in order)."""
    out: dict[str, Any] = {}
    for name, value in zip(SITUATION_COLUMNS, row, strict=True):
        if value is not None:
            out[name] = bool(value) if name in _BOOL_COLUMNS else value
    return out


def _stamp(now: datetime) -> str:
    return iso(now)


def _refers_to_users(conn: sqlite3.Connection, table: str) -> bool:
    return any(r[2] == "users" for r in conn.execute(f"PRAGMA foreign_key_list({table})"))


def _user_column(conn: sqlite3.Connection, table: str) -> str:
    return next(r[3] for r in conn.execute(f"PRAGMA foreign_key_list({table})") if r[2] == "users")


def user_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables that hold rows about a user, ``users`` first, then in the order they were created."""
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        )
    ]
    found = ["users"] if "users" in names else []
    for table in names:
        if table == "users":
            continue
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        if "user_id" in columns or {"platform", "platform_user_id"} <= columns or _refers_to_users(conn, table):
            found.append(table)
    return found


# Seconds between background checkpoints of a WAL well under its limit: each one writes the database
# file and waits for the disk, which the webhook's inbox is waiting for too.
PASSIVE_EVERY = 30.0
# Seconds between checkpoints of the turns' own connection between two rounds of the inbox worker
# (:meth:`Store.fold_wal`). Often, so that each one has little to write and wait for (a steady 200
# turns/s writes about 9 MB of WAL a second); seldom enough that most rounds do not pay for one.
FOLD_EVERY = 0.25


def _wal_size(path: str) -> int:
    """The WAL file's size in bytes (0 when there is none)."""
    try:
        return os.stat(f"{path}-wal").st_size
    except OSError:
        return 0


class SqlStore:
    """The reads and writes both adapters share, over ``self.conn`` (``?`` placeholders)."""

    conn: Any
    reminders: ReminderRepo
    notes: DeliveryNotes
    # When a forget's WAL truncation is still owed (SQLite only; always None elsewhere).
    truncate_owed_since: float | None = None

    def transaction(self) -> AbstractContextManager[None]:
        """One write transaction; a nested call is a savepoint of the outer one."""
        raise NotImplementedError

    def locked(self) -> AbstractContextManager[None]:
        """A consistent view for a few reads outside a write transaction."""
        raise NotImplementedError

    def lock_user(self, key: str) -> None:
        """Serialise this user's turns until the transaction ends (across processes where it matters)."""

    def fold_wal(self) -> None:
        """Between two rounds of turns: fold what they wrote back into the database file where the
        engine's log needs it (SQLite's WAL); nothing elsewhere."""

    # ------------------------------------------------------------------ users

    def find_user(self, platform: str, platform_user_id: str) -> int | None:
        """The internal id of a user, or None when the bot has never stored them."""
        row = self.conn.execute(
            "SELECT id FROM users WHERE platform = ? AND platform_user_id = ?", (platform, platform_user_id)
        ).fetchone()
        return row[0] if row else None

    def ensure_user(self, platform: str, platform_user_id: str, now: datetime) -> int:
        """The internal id of a user, created on first contact; ``last_seen_at`` is refreshed."""
        stamp = _stamp(now)
        with self.transaction():
            # One statement: two processes meeting a new user at once both get the same id.
            cur = self.conn.execute(
                "INSERT INTO users (platform, platform_user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (platform, platform_user_id) DO UPDATE SET last_seen_at = excluded.last_seen_at"
                " RETURNING id",
                (platform, platform_user_id, stamp, stamp),
            )
            return inserted_id(cur)

    def user_row(self, user_id: int) -> dict[str, Any] | None:
        """When the user was first and last seen, or None."""
        row = self.conn.execute("SELECT created_at, last_seen_at FROM users WHERE id = ?", (user_id,)).fetchone()
        return {"created_at": row[0], "last_seen_at": row[1]} if row else None

    # ------------------------------------------------------------------ conversation state

    def load_state(self, user_id: int, fresh_after: datetime | None = None) -> dict[str, Any] | None:
        """The stored conversation position (a JSON dict) or None; older than ``fresh_after``: None."""
        row = self.conn.execute("SELECT state, updated_at FROM conversations WHERE user_id = ?", (user_id,)).fetchone()
        if not row:
            return None
        if fresh_after is not None and row[1] < _stamp(fresh_after):
            return None  # expired after a long silence: start over
        try:
            data = json.loads(row[0])
        except ValueError:
            return None  # a damaged row must not lock the user out: start over
        return data if isinstance(data, dict) else None

    def save_state(self, user_id: int, state: dict[str, Any], now: datetime) -> None:
        """Store the conversation position (inside the caller's transaction)."""
        self.conn.execute(
            "INSERT INTO conversations (user_id, state, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            (user_id, json.dumps(state, ensure_ascii=False), _stamp(now)),
        )

    def prune_conversations(self, before: datetime) -> int:
        """Forget conversation positions not touched since ``before``; return how many went."""
        with self.transaction():
            cur = self.conn.execute("DELETE FROM conversations WHERE updated_at < ?", (_stamp(before),))
            return cur.rowcount

    # ------------------------------------------------------------------ situation

    def load_situation(self, user_id: int, lender: str = "") -> dict[str, Any]:
        """The situation fields the user has told us about ``lender`` ('' : the person's own row, with
        what was told before any lender was named); missing ones absent."""
        cols = ", ".join(SITUATION_COLUMNS)
        row = self.conn.execute(
            f"SELECT {cols} FROM situations WHERE user_id = ? AND lender = ?", (user_id, lender)
        ).fetchone()
        return _facts(row) if row else {}

    def load_situations(self, user_id: int) -> dict[str, dict[str, Any]]:
        """Every situation row of the user by lender ('' : the person's own row), fields as in
        :meth:`load_situation`; a row with nothing told is left out."""
        cols = ", ".join(SITUATION_COLUMNS)
        rows = self.conn.execute(
            f"SELECT lender, {cols} FROM situations WHERE user_id = ? ORDER BY lender", (user_id,)
        ).fetchall()
        found = {row[0]: _facts(row[1:]) for row in rows}
        return {lender: facts for lender, facts in found.items() if facts}

    def record_facts(self, user_id: int, facts: dict[str, Any], now: datetime, lender: str = "") -> None:
        """Update the situation fields of ``lender``'s row ('' : the person's own) and append one history
        row per changed field (caller's transaction). A lender's row left with nothing told goes."""
        unknown = set(facts) - set(SITUATION_COLUMNS)
        if unknown:
            raise ValueError(f"unknown situation fields: {sorted(unknown)}")
        if not facts:
            return
        stamp = _stamp(now)
        current = self.load_situation(user_id, lender)
        self.conn.execute(
            "INSERT INTO situations (user_id, lender, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id, lender) DO NOTHING",
            (user_id, lender, stamp),
        )
        assignments = ", ".join(f"{name} = ?" for name in facts)
        values = [int(v) if isinstance(v, bool) else v for v in facts.values()]
        self.conn.execute(
            f"UPDATE situations SET {assignments}, updated_at = ? WHERE user_id = ? AND lender = ?",
            (*values, stamp, user_id, lender),
        )
        for name, value in facts.items():
            if current.get(name) != value:
                self.conn.execute(
                    "INSERT INTO situation_history (user_id, lender, field, value, at) VALUES (?, ?, ?, ?, ?)",
                    (user_id, lender or None, name, json.dumps(value, ensure_ascii=False), stamp),
                )
        if lender and all(v is None for v in {**current, **facts}.values()):
            self.conn.execute("DELETE FROM situations WHERE user_id = ? AND lender = ?", (user_id, lender))

    def situation_history(self, user_id: int) -> list[dict[str, Any]]:
        """Every recorded change, oldest first (``lender``: None for the person's own row)."""
        rows = self.conn.execute(
            "SELECT field, value, at, lender FROM situation_history WHERE user_id = ? ORDER BY id", (user_id,)
        ).fetchall()
        return [{"field": f, "value": json.loads(v), "at": at, "lender": lender} for f, v, at, lender in rows]

    # ------------------------------------------------------------------ webhook events

    def mark_seen(self, event_id: str, now: datetime) -> bool:
        """Record a webhook event id; False when it was already recorded (a redelivery)."""
        cur = self.conn.execute(
            "INSERT INTO seen_events (event_id, seen_at) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING",
            (event_id, _stamp(now)),
        )
        return cur.rowcount == 1

    def prune_seen(self, before: datetime) -> int:
        """Forget event ids recorded before ``before``; return how many went."""
        with self.transaction():
            return self.conn.execute("DELETE FROM seen_events WHERE seen_at < ?", (_stamp(before),)).rowcount

    def first_group_notice(self, group_id: str, now: datetime) -> bool:
        """True the first time a group/room is seen (so the bot tells it once that it works 1:1 only)."""
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO group_notices (group_id, noticed_at) VALUES (?, ?) ON CONFLICT (group_id) DO NOTHING",
                (group_id, _stamp(now)),
            )
            return cur.rowcount == 1

    # ------------------------------------------------------------------ pausing (blocked the bot)

    def set_paused(self, platform: str, platform_user_id: str, paused: bool) -> int:
        """Hold (or release) every pending send of a user who blocked (or unblocked) the bot."""
        before, after = ("pending", "paused") if paused else ("paused", "pending")
        with self.transaction():
            self.conn.execute(
                "UPDATE users SET paused = ? WHERE platform = ? AND platform_user_id = ?",
                (int(paused), platform, platform_user_id),
            )
            return self.conn.execute(
                "UPDATE outbox SET status = ? WHERE status = ? AND platform = ? AND platform_user_id = ?",
                (after, before, platform, platform_user_id),
            ).rowcount

    # ------------------------------------------------------------------ forgetting

    def forget_user(self, user_id: int) -> list[str]:
        """Remove every row about the user (caller's transaction); return the tables that held some.

        SQLite's secure_delete overwrites the bytes; PostgreSQL rewrites those tables afterwards
        (:meth:`storage.postgres.PostgresStore.checkpoint`).
        """
        touched = self.reminders.forget_user(user_id)
        # Delivery notes go with the user row (ON DELETE CASCADE), after being counted here.
        for table in ("delivery_notes", "situation_history", "situations", "conversations"):
            if self.conn.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,)).rowcount:
                touched.append(table)
        if self.conn.execute("DELETE FROM users WHERE id = ?", (user_id,)).rowcount:
            touched.append("users")
        return touched

    # ------------------------------------------------------------------ durable replies

    # Added to the claim's row selection (PostgreSQL: FOR UPDATE SKIP LOCKED, several instances claim at once).
    _skip_locked = ""

    def keep_reply(self, reply: dict[str, Any]) -> None:
        """Keep a turn's answer until it is sent (caller's transaction: the turn's own), claimed by
        ``reply["claimed_by"]`` until ``reply["claimed_until"]``; an event answered before keeps its row."""
        columns = ("event_id", "platform", "chat_id", "reply_token", "received_at", "messages", "late")
        self.conn.execute(
            f"INSERT INTO replies ({', '.join(columns)}, attempts, claimed_by, claimed_until)"
            f" VALUES ({', '.join('?' for _ in columns)}, 1, ?, ?) ON CONFLICT (event_id) DO NOTHING",
            (*(reply.get(c) for c in columns), reply["claimed_by"], reply["claimed_until"]),
        )

    def claim_replies(self, platform: str, owner: str, now: float, lease: float, limit: int) -> list[dict[str, Any]]:
        """Answers nobody sends now (never claimed, or their sender's claim ran out: it died), oldest
        first, claimed by ``owner`` until ``now + lease``; ``attempts`` counts the claims before this one."""
        with self.locked():
            # Nearly always nothing: a plain read first, no write transaction (no lock) taken.
            if not self.conn.execute(
                "SELECT 1 FROM replies WHERE platform = ? AND (claimed_until IS NULL OR claimed_until < ?) LIMIT 1",
                (platform, now),
            ).fetchone():
                return []
        with self.transaction():
            cur = self.conn.execute(
                "SELECT id, event_id, chat_id, reply_token, received_at, messages, late, attempts FROM replies"
                f" WHERE platform = ? AND (claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT ?{self._skip_locked}",
                (platform, now, limit),
            )
            names = ("id", "event_id", "chat_id", "reply_token", "received_at", "messages", "late", "attempts")
            rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
            self.conn.executemany(
                "UPDATE replies SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1 WHERE id = ?",
                [(owner, now + lease, r["id"]) for r in rows],
            )
        return rows

    def replies_done(self, event_ids: list[str]) -> None:
        """Forget answers that were sent (or given up: the late way was taken)."""
        with self.transaction():
            self.conn.executemany("DELETE FROM replies WHERE event_id = ?", [(e,) for e in event_ids])

    # ------------------------------------------------------------------ outbox figures (/healthz, /metrics)

    # Errors of the side reader that make the database "unavailable" in /healthz instead of raising.
    _health_errors: tuple[type[Exception], ...] = ()

    def _side_reader(self) -> AbstractContextManager[Query]:
        """A read on a connection other than the turns' (with a short timeout), as a query function."""
        raise NotImplementedError

    def _write_problem(self, query: Query) -> str | None:
        """Why the database cannot be written now, or None (where the engine can tell cheaply)."""
        return None

    # Why the WAL stays over its size limit (a checkpoint cannot make progress), or None (SQLite only).
    wal_problem: str | None = None

    def health(self, now: datetime, overdue_after: timedelta = timedelta(minutes=15)) -> dict[str, Any]:
        """Whether the database can be written, and the outbox's overdue and stuck sends.

        Run off the event loop (a worker thread, with a timeout): it may wait for the write lock.
        ``problems`` lists what makes the bot degraded.
        """
        cutoff = iso(now - overdue_after)
        problems: list[str] = [self.wal_problem] if self.wal_problem else []
        overdue = stuck = 0
        try:
            with self._side_reader() as query:
                problem = self._write_problem(query)
                if problem:
                    problems.append(problem)
                overdue = _count(query, "status = 'pending' AND next_attempt_at < ?", cutoff)
                stuck = _count(query, "status = 'sending' AND due_at < ?", cutoff)
        except self._health_errors as exc:
            problems.append(f"database unavailable ({type(exc).__name__})")
        if overdue:
            problems.append(f"{overdue} sends overdue")
        if stuck:
            problems.append(f"{stuck} sends stuck in sending")
        return {"overdue": overdue, "stuck": stuck, "problems": problems}

    def outbox_counts(self, now: datetime, stuck_after: timedelta = timedelta(minutes=15)) -> dict[str, int]:
        """Outbox sends by state for the metrics: ``due`` (pending, its time has come), ``stuck``
        (sending, as /healthz counts them), and the rows in each other status. Run it off the event loop.
        """
        with self._side_reader() as query:
            counts = {str(s): int(n) for s, n in query("SELECT status, COUNT(*) FROM outbox GROUP BY status")}
            due = _count(query, "status = 'pending' AND next_attempt_at <= ?", iso(now))
            stuck = _count(query, "status = 'sending' AND due_at < ?", iso(now - stuck_after))
        return {**counts, "due": due, "stuck": stuck}

    def _rows_where(self, table: str, where: str, params: tuple[Any, ...], order: str) -> list[dict[str, Any]]:
        """The rows of ``table`` that match, as dicts (the export's reading, on either engine)."""
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE {where}{order}", params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


class Store(SqlStore):
    """The SQLite adapter: every read and write over one sqlite-utils :class:`Database`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.conn = db.conn
        self.reminders = ReminderRepo(db.conn)
        self.notes = DeliveryNotes(db.conn)
        # One connection serves every door; the lock keeps two threads' transactions apart.
        self._lock = threading.RLock()
        # When a forget's TRUNCATE checkpoint is still owed (monotonic time it became owed), or None.
        self.truncate_owed_since: float | None = None
        self._truncate_warned = False
        self.wal_limit = WAL_LIMIT_BYTES
        self._checkpointed_at = float("-inf")  # the last background checkpoint (monotonic)
        self._folded_at = 0.0  # the last checkpoint between rounds (monotonic)
        self._folded_changes = 0  # the connection's total_changes then: nothing new, nothing to fold
        # Read once: /healthz and the background checkpoints open side connections to this file and must
        # not wait for the connection lock a turn stuck on a locked database holds.
        row = self.conn.execute("PRAGMA database_list").fetchone()
        self._path: str = row[2] if row else ""

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE: take the write lock up front, no upgrade deadlock)."""
        with self._lock:
            if self.conn.in_transaction:
                # Nested (a turn inside a round's transaction): a savepoint, so that a turn that fails is
                # undone alone and the round's other turns are kept.
                self.conn.execute("SAVEPOINT nested")
                try:
                    yield
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK TO nested")
                        self.conn.execute("RELEASE nested")
                    raise
                self.conn.execute("RELEASE nested")
                return
            begin_immediate(self.conn, BUSY_SECONDS)
            try:
                yield
                self.conn.execute("COMMIT")
            except BaseException:
                # SQLite ends the transaction itself after some errors (SQLITE_FULL, I/O errors): a second
                # ROLLBACK would raise and hide the real error. A failed COMMIT leaves it open: end it, or the
                # next transaction() would take it for an outer one and its writes would never be committed.
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Exclusive use of the connection for reads (no write transaction): another thread's open
        transaction is never seen half-way."""
        with self._lock:
            yield

    def rows_about(self, user_id: int) -> dict[str, list[dict[str, Any]]]:
        """Every stored row about the user, table by table (the user's own row under ``users``).

        Found by reading the schema, not from a list: a table that refers to the user (a foreign key
        to ``users``, a ``user_id`` column, or the platform and platform user id) is included even
        when it was added after this was written, so the export can never silently leave one out.
        """
        user = self.conn.execute("SELECT platform, platform_user_id FROM users WHERE id = ?", (user_id,)).fetchone()
        if user is None:
            return {}
        out: dict[str, list[dict[str, Any]]] = {}
        for table in user_tables(self.conn):
            params: tuple[Any, ...]
            columns = [r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")]
            if table == "users":
                where, params = "id = ?", (user_id,)
            elif "user_id" in columns or _refers_to_users(self.conn, table):
                column = "user_id" if "user_id" in columns else _user_column(self.conn, table)
                where, params = f"{column} = ?", (user_id,)
            else:
                where, params = "platform = ? AND platform_user_id = ?", (user[0], user[1])
            sql = self.conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0] or ""
            # Oldest first where the table has a rowid (a WITHOUT ROWID table has none to order by).
            order = "" if "WITHOUT ROWID" in sql.upper() else " ORDER BY rowid"
            if rows := self._rows_where(table, where, params, order):
                out[table] = rows
        return out

    @property
    def path(self) -> str:
        """The database file ("" for an in-memory database)."""
        return self._path

    def checkpoint_passive(self) -> None:
        """Copy committed WAL pages into the database file from a separate connection.

        Run in the background (a worker thread): it neither blocks nor waits for the bot's writes.
        After a forget whose checkpoint a reader blocked, it is a TRUNCATE instead, tried again every
        round until it succeeds: a forgotten user's bytes must leave the WAL file too. A WAL over its
        size limit (:data:`storage.db.WAL_LIMIT_BYTES`) is truncated the same way; while that cannot be
        done (a reader holds the WAL, the disk is full) /healthz says so and one log line tells why.
        """
        path = self.path
        if not path:
            return
        size = _wal_size(path)
        over = size > self.wal_limit
        owed = self.truncate_owed_since is not None
        now = time.monotonic()
        if not over and not owed and size < self.wal_limit // 4 and now - self._checkpointed_at < PASSIVE_EVERY:
            return  # looked at often (the size limit), folded back at most every PASSIVE_EVERY seconds
        self._checkpointed_at = now
        mode = "TRUNCATE" if owed or over else "PASSIVE"
        error = None
        try:
            conn = sqlite3.connect(path, timeout=2.0 if over else 1.0)
            try:
                busy = conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error as exc:
            busy = 1  # locked now, or the disk is full: the next round will try again
            if not _busy(exc):
                error = f"{type(exc).__name__}: {exc}"
        if self.truncate_owed_since is not None:
            self._truncate_done(not busy)
        self._wal_checked(_wal_size(path) if busy else 0, error)

    def fold_wal(self) -> None:
        """A PASSIVE checkpoint on the turns' own connection, between two rounds of the inbox worker.

        The background checkpoint (:meth:`checkpoint_passive`) runs beside the turns: under a steady
        stream one of them commits while it copies, so it never finishes the WAL, the WAL never starts
        over from its beginning, and it grows until it is over its limit and must be truncated, which
        blocks every writer while a large WAL goes to disk (a stall of 75-80 ms every few seconds at
        200 turns/s). Here no turn of this process can commit meanwhile: the checkpoint copies the
        whole WAL, the next turn starts it over (the file's blocks are reused, not grown), and each
        checkpoint has only a fraction of a second's pages to write. Errors propagate (the caller
        ignores them: the background checkpoint is the one that tells /healthz about a full disk).
        """
        if not self.path:
            return
        now = time.monotonic()
        changes = self.conn.total_changes
        if changes == self._folded_changes or now - self._folded_at < FOLD_EVERY:
            return
        with self._lock:
            if self.conn.in_transaction:
                return  # another thread's transaction (a forget, sent answers): the next round folds
            self._folded_at, self._folded_changes = now, changes
            self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()

    def _wal_checked(self, size: int, error: str | None) -> None:
        """Say (once per episode) when the WAL cannot be brought back under its limit, or a checkpoint fails."""
        if size > self.wal_limit or error:
            why = error or "a reader keeps it from being truncated"
            problem = (
                f"WAL is {size / 2**20:.0f} MB, over its {self.wal_limit / 2**20:.0f} MB limit, and cannot be"
                f" checkpointed ({why})"
                if size > self.wal_limit
                else f"WAL checkpoint cannot make progress ({why})"
            )
            if self.wal_problem is None:
                log.warning("%s; retried every few seconds", problem)
            self.wal_problem = problem
        elif self.wal_problem is not None:
            self.wal_problem = None
            log.info("WAL checkpointed again (%.0f MB)", size / 2**20)

    def _truncate_done(self, done: bool) -> None:
        since = self.truncate_owed_since
        if since is None:
            return
        if done:
            self.truncate_owed_since = None
            log.info("WAL truncated after a forget (%.0f s late)", time.monotonic() - since)
        elif time.monotonic() - since > TRUNCATE_PATIENCE and not self._truncate_warned:
            self._truncate_warned = True
            log.warning(
                "a reader has kept the WAL from being truncated for over %d s after a forget", TRUNCATE_PATIENCE
            )

    @contextmanager
    def _side_reader(self) -> Iterator[Query]:
        # A connection of its own (never the bot's: it neither waits for nor holds up a turn); an
        # in-memory database has only the bot's, taken under its lock.
        conn = sqlite3.connect(self.path, timeout=0.5) if self.path else None
        try:
            with self._lock if conn is None else nullcontext():
                db = conn or self.conn
                yield lambda sql, params=(): db.execute(sql, params).fetchall()
        finally:
            if conn is not None:
                conn.close()

    def _write_problem(self, query: Query) -> str | None:
        try:
            query("BEGIN IMMEDIATE")
            query("ROLLBACK")
        except sqlite3.OperationalError as exc:
            return f"database cannot be written ({exc})"
        return None

    def checkpoint(self, attempts: int = 5) -> bool:
        """Copy the WAL into the database file and truncate it (after a forget: no old bytes linger).

        Returns False (and logs) when a reader kept it from completing after a few tries. Raises the
        database's error when it cannot be done at all (a full disk): the caller decides how to say it.
        """
        if self.conn.in_transaction:
            # Inside a round's transaction (several turns committed together): the WAL cannot be truncated
            # before it commits; the background round does it right after.
            if self.truncate_owed_since is None:
                self.truncate_owed_since = time.monotonic()
                self._truncate_warned = False
            return False
        for attempt in range(attempts):
            with self._lock:
                busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            if not busy:
                self.truncate_owed_since = None
                return True
            time.sleep(0.05 * (attempt + 1))
        if self.truncate_owed_since is None:
            self.truncate_owed_since = time.monotonic()
            self._truncate_warned = False
        log.warning("WAL checkpoint did not complete (database busy); a TRUNCATE is retried in the background")
        return False

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()
