"""The storage port: what the rest of the bot may ask of a store, whichever adapter it is.

Two adapters implement it with the same methods: :class:`storage.repo.Store` (SQLite through
sqlite-utils, the embedded default) and :class:`storage.postgres.PostgresStore` (PostgreSQL through
psycopg 3 and a connection pool, for several instances on one database). Nothing outside
``storage/`` needs to know which one it has.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any, Protocol

from storage.notes import DeliveryNotes
from storage.reminders import ReminderRepo


class StorePort(Protocol):
    """Users, situations, conversation state, webhook event ids, reminders and their outbox."""

    reminders: ReminderRepo
    notes: DeliveryNotes
    truncate_owed_since: float | None

    def transaction(self) -> AbstractContextManager[None]:
        """One write transaction; a nested call is a savepoint of the outer one."""
        ...

    def locked(self) -> AbstractContextManager[None]:
        """A consistent view for a few reads outside a write transaction."""
        ...

    def lock_user(self, key: str) -> None:
        """Inside a transaction: the user's turns are serialised until it ends (a no-op on SQLite,
        where the process's per-user lock is enough; an advisory lock on PostgreSQL)."""
        ...

    @property
    def path(self) -> str:
        """The SQLite file ("" in memory or on PostgreSQL): the webhook inbox sits next to it."""
        ...

    def find_user(self, platform: str, platform_user_id: str) -> int | None: ...

    def ensure_user(self, platform: str, platform_user_id: str, now: datetime) -> int: ...

    def user_row(self, user_id: int) -> dict[str, Any] | None: ...

    def load_state(self, user_id: int, fresh_after: datetime | None = None) -> dict[str, Any] | None: ...

    def save_state(self, user_id: int, state: dict[str, Any], now: datetime) -> None: ...

    def prune_conversations(self, before: datetime) -> int: ...

    def load_situation(self, user_id: int, lender: str = "") -> dict[str, Any]:
        """One row's told facts: ``lender``'s, or ('') the person's own and those told before a lender was named."""
        ...

    def load_situations(self, user_id: int) -> dict[str, dict[str, Any]]:
        """Every row's told facts, by lender ('' : the person's own row)."""
        ...

    def record_facts(self, user_id: int, facts: dict[str, Any], now: datetime, lender: str = "") -> None: ...

    def situation_history(self, user_id: int) -> list[dict[str, Any]]: ...

    def rows_about(self, user_id: int) -> dict[str, list[dict[str, Any]]]: ...

    def mark_seen(self, event_id: str, now: datetime) -> bool: ...

    def prune_seen(self, before: datetime) -> int: ...

    def first_group_notice(self, group_id: str, now: datetime) -> bool: ...

    def set_paused(self, platform: str, platform_user_id: str, paused: bool) -> int: ...

    def forget_user(self, user_id: int) -> list[str]:
        """Delete every row about the user (caller's transaction); the tables that held some.

        Once the transaction has committed, :meth:`checkpoint` removes what is left of them on disk.
        """
        ...

    def keep_reply(self, reply: dict[str, Any]) -> None: ...

    def claim_replies(
        self, platform: str, owner: str, now: float, lease: float, limit: int
    ) -> list[dict[str, Any]]: ...

    def replies_done(self, event_ids: list[str]) -> None: ...

    def health(self, now: datetime, overdue_after: timedelta = ...) -> dict[str, Any]: ...

    def outbox_counts(self, now: datetime, stuck_after: timedelta = ...) -> dict[str, int]: ...

    def checkpoint(self, attempts: int = 5) -> bool: ...

    def checkpoint_passive(self) -> None: ...

    def fold_wal(self) -> None:
        """Between two rounds of turns: fold what they wrote into the database file (SQLite's WAL)."""
        ...

    def close(self) -> None: ...
