"""Opening the database: WAL mode, foreign keys, and the migrations applied once each.

A database another process holds locked while it is opened (a long write, a tool) is waited for,
with one log line, never a reason to give up: start-up goes on once the lock is gone.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from storage.migrations import MIGRATIONS
from storage.reminders import iso

log = logging.getLogger(__name__)
# SQLite's answer when another connection holds the lock (SQLITE_BUSY, SQLITE_LOCKED).
_BUSY_CODES = (5, 6)
LOCK_RETRY_SECONDS = 1.0
# How long a write waits for another connection's write lock before it fails (database is locked).
BUSY_SECONDS = 5.0
# The WAL file's size limit: a background checkpoint over it is a TRUNCATE (it waits for readers a
# moment), and SQLite itself cuts the file back to this size whenever the WAL restarts.
WAL_LIMIT_BYTES = 64 * 1024 * 1024


class StorageError(RuntimeError):
    """The database cannot be opened or migrated; the message is one clear line."""


def _utcnow() -> str:
    return iso(datetime.now(UTC))


def _connect(path: str) -> sqlite3.Connection:
    if path != ":memory:":
        folder = Path(path).expanduser().resolve().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"BOT_DB_PATH: cannot create folder {folder} ({exc.strerror})") from None
        if not os.access(folder, os.W_OK):
            raise StorageError(f"BOT_DB_PATH: folder {folder} is not writable")
        if Path(path).exists() and not os.access(path, os.W_OK):
            raise StorageError(f"BOT_DB_PATH: database file {path} is not writable")
    # isolation_level=None: we open transactions ourselves with BEGIN IMMEDIATE (see Store.transaction).
    conn = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
    return conn


def migrate(db: Database) -> int:
    """Apply every migration not yet applied; return the schema version now in force."""
    conn = db.conn
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
    for version, step in MIGRATIONS:
        if version in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(db)
            conn.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", (version, _utcnow()))
            conn.execute("COMMIT")
        except BaseException:
            # SQLite may already have rolled back by itself (a full disk): ROLLBACK would hide the error.
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return max((v for v, _ in MIGRATIONS), default=0)


def begin_immediate(conn: sqlite3.Connection, timeout: float) -> None:
    """``BEGIN IMMEDIATE``, waiting for another process's write lock in short steps.

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25 ... ms between tries: with several
    processes writing one file (BOT_WORKERS, instances on one machine) most of a turn's time went to
    those sleeps. Here the lock is tried again after 0.1 ms, doubling up to 2 ms, until ``timeout``.
    """
    try:
        conn.execute("PRAGMA busy_timeout=0")
    except sqlite3.OperationalError:
        conn.execute("BEGIN IMMEDIATE")  # a connection that refuses even this (query_only): SQLite says why
        return
    try:
        deadline = time.monotonic() + timeout
        delay = 0.0001
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(delay)
            delay = min(delay * 2, 0.002)
    finally:
        try:
            conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        except sqlite3.OperationalError:
            pass  # made query_only meanwhile: the next transaction sets it again


def _busy(exc: sqlite3.Error) -> bool:
    """True when another connection holds the database locked (not a problem of the file itself)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return (code & 0xFF) in _BUSY_CODES if isinstance(code, int) else "locked" in str(exc)


def open_database(path: str) -> Database:
    """Open (creating if needed) and migrate the database at ``path``; raise StorageError on failure.

    While another process holds the database locked, wait (logged once) instead of failing.
    """
    waited_since: float | None = None
    while True:
        try:
            db = _open(path)
        except sqlite3.OperationalError as exc:
            if not _busy(exc):
                raise StorageError(f"BOT_DB_PATH: cannot use database {path} ({exc})") from None
            if waited_since is None:
                waited_since = time.monotonic()
                log.warning("start-up: database %s is locked by another process (%s); waiting for it", path, exc)
            time.sleep(LOCK_RETRY_SECONDS)
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"BOT_DB_PATH: cannot use database {path} ({exc})") from None
        else:
            if waited_since is not None:
                log.info("start-up: database %s unlocked after %.0f s", path, time.monotonic() - waited_since)
            return db


def _open(path: str) -> Database:
    """One attempt at opening and migrating (see :func:`open_database`)."""
    conn = _connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("PRAGMA busy_timeout=5000")
        # No checkpoint inside a write: copying the WAL back (with its fsync) would stall the turn
        # that happened to cross the threshold. Store.checkpoint_passive does it in the background.
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
        db = Database(conn)
        migrate(db)
    except BaseException:
        conn.close()
        raise
    return db
