"""Versioned schema migrations, applied in order at start-up; each runs once, in a transaction."""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database


def _v1(db: Database) -> None:
    db["users"].create(
        {"id": int, "platform": str, "platform_user_id": str, "created_at": str, "last_seen_at": str},
        pk="id",
        not_null={"platform", "platform_user_id", "created_at"},
    )
    db["users"].create_index(["platform", "platform_user_id"], unique=True)
    db["situations"].create(
        {
            "user_id": int,
            "cause": str,
            "wrong_attempts": int,
            "card_lost": int,
            "card_lost_at": str,
            "overdue": int,
            "suspended": int,
            "due_day": int,
            "reminder_time": str,
            "visit_done_at": str,
            "language": str,
            "updated_at": str,
        },
        pk="user_id",
        foreign_keys=[("user_id", "users", "id")],
    )
    db["situation_history"].create(
        {"id": int, "user_id": int, "field": str, "value": str, "at": str},
        pk="id",
        foreign_keys=[("user_id", "users", "id")],
    )
    db["situation_history"].create_index(["user_id", "at"])
    db["conversations"].create(
        {"user_id": int, "state": str, "updated_at": str},
        pk="user_id",
        foreign_keys=[("user_id", "users", "id")],
    )


MIGRATIONS: list[tuple[int, Callable[[Database], None]]] = [
    (1, _v1),
]
