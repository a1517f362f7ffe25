"""The webhook inbox on PostgreSQL: with ``DATABASE_URL`` the 200 means "committed in PostgreSQL".

Same contract as the SQLite inbox file (:class:`storage.inbox.Inbox`), whose SQL it shares, but the
events live in the shared database: any instance applies any event another acknowledged, and an
instance killed with -9 and never started again, its disk gone, loses nothing (its claims run out
after their lease and another instance takes them). Claims are taken one at a time across every
instance (a transaction-level advisory lock), so the per-user rule of the SQLite inbox holds as is:
while one worker holds some of a user's events, no other worker takes any event of that user.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from psycopg_pool import ConnectionPool

from storage.inbox import Inbox
from storage.postgres import CONNECT_TIMEOUT, PgConnection, redact

# The advisory lock every instance's claim takes (any number both sides agree on).
CLAIM_LOCK = 715_202_622


class PgInbox(Inbox):
    """The inbox table of the shared PostgreSQL database (created by its migrations)."""

    def __init__(self, url: str, pool_size: int = 4) -> None:
        self.path = redact(url)
        self.pool = ConnectionPool(
            url, min_size=1, max_size=pool_size, kwargs={"autocommit": True}, open=False, name="inbox", timeout=5.0
        )
        self.pool.open(wait=True, timeout=CONNECT_TIMEOUT)
        self.conn = PgConnection(self.pool)  # type: ignore[assignment]
        # Several threads (the webhook's, the worker's) use the pool at once: no process-wide lock.
        self._lock = nullcontext()  # type: ignore[assignment]

    def worker_side(self) -> Inbox:
        """The same pool: its connections already let the webhook and the worker write side by side."""
        return self

    def _write(self, step: Any, *args: Any, soft: bool = False) -> Any:
        """Run ``step`` in one transaction on one pooled connection; claims queue behind each other."""
        with self._transaction():
            if getattr(step, "__name__", "") == "_claim":
                self.conn.execute("SELECT pg_advisory_xact_lock(?)", (CLAIM_LOCK,))
            return step(*args)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        conn_wrapper: PgConnection = self.conn  # type: ignore[assignment]
        with self.pool.connection() as conn:
            conn_wrapper.current = conn
            try:
                with conn.transaction():
                    yield
            finally:
                conn_wrapper.current = None

    def probe(self) -> None:
        self._write(
            self.conn.execute,
            "INSERT INTO inbox_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at",
            (time.time(),),
        )

    def truncate_if_empty(self) -> None:
        """Nothing to do: PostgreSQL has no per-file WAL of the inbox to truncate."""

    def close(self) -> None:
        self.pool.close()
