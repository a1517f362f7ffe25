"""Versioned schema migrations, applied in order at start-up; each runs once, in a transaction."""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database

# Tables are named with db.table(name), which is typed Table; db[name] is typed Table | View.


def _v1(db: Database) -> None:
    db.table("users").create(
        {"id": int, "platform": str, "platform_user_id": str, "created_at": str, "last_seen_at": str},
        pk="id",
        not_null={"platform", "platform_user_id", "created_at"},
    )
    db.table("users").create_index(["platform", "platform_user_id"], unique=True)
    db.table("situations").create(
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
    db.table("situation_history").create(
        {"id": int, "user_id": int, "field": str, "value": str, "at": str},
        pk="id",
        foreign_keys=[("user_id", "users", "id")],
    )
    db.table("situation_history").create_index(["user_id", "at"])
    db.table("conversations").create(
        {"user_id": int, "state": str, "updated_at": str},
        pk="user_id",
        foreign_keys=[("user_id", "users", "id")],
    )


def _v2(db: Database) -> None:
    # Reminders are the user's wishes; the outbox holds each planned send with a stable key.
    db.table("reminders").create(
        {
            "id": int,
            "user_id": int,
            "kind": str,  # repay | visit | free
            "what": str,  # free reminders only
            "reason": str,  # visit: the cause that needs the visit (locked, forgot_pin, lost_card)
            "due_day": int,  # repay: 1-31, 31 = month end
            "days_before": int,
            "time_of_day": str,  # "HH:MM" in tz
            "at": str,  # once: UTC ISO
            "tz": str,
            "status": str,  # active | sent | done | cancelled
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("user_id", "users", "id")],
        not_null={"user_id", "kind", "status", "tz"},
    )
    db.table("reminders").create_index(["user_id", "status"])
    db.table("outbox").create(
        {
            "id": int,
            "reminder_id": int,
            "user_id": int,
            "platform": str,
            "platform_user_id": str,
            "slot": str,  # before | day | once | snooze
            "due_at": str,  # UTC ISO: when it should arrive
            "real_due": str,  # repay: the business-day due date (ISO date)
            "key": str,  # stable idempotency key (a UUID), the same on every retry
            "status": str,  # pending | sending | sent | failed | undeliverable | skipped | cancelled
            "attempts": int,
            "next_attempt_at": str,
            "claimed_at": str,
            "sent_at": str,
            "last_error": str,
        },
        pk="id",
        foreign_keys=[("reminder_id", "reminders", "id"), ("user_id", "users", "id")],
        not_null={"reminder_id", "user_id", "platform", "platform_user_id", "due_at", "key", "status"},
        defaults={"attempts": 0},
    )
    db.table("outbox").create_index(["key"], unique=True)
    db.table("outbox").create_index(["status", "next_attempt_at"])
    db.table("outbox").create_index(["reminder_id", "status"])
    db.table("outbox").create_index(["user_id"])


def _v3(db: Database) -> None:
    # Webhook events already applied (LINE redelivers with the same webhookEventId), kept a day.
    db.table("seen_events").create({"event_id": str, "seen_at": str}, pk="event_id")
    db.table("seen_events").create_index(["seen_at"])
    # Group/room chats told once that the bot works in 1:1 chats only (no personal data kept there).
    db.table("group_notices").create({"group_id": str, "noticed_at": str}, pk="group_id")


def _v4(db: Database) -> None:
    # Things a door must tell a user the next time they write (e.g. "your DMs are closed").
    # ON DELETE CASCADE: forgetting a user removes their notes too.
    db.execute(
        "CREATE TABLE delivery_notes ("
        " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
        " platform TEXT NOT NULL,"
        " note TEXT NOT NULL,"
        " created_at TEXT NOT NULL,"
        " PRIMARY KEY (user_id, note))"
    )


def _v5(db: Database) -> None:
    # A revision per reminder: send keys derive from it, so two changes within one second still
    # plan distinct sends, and the dispatcher can tell that a reminder changed while it was sending.
    db.execute("ALTER TABLE reminders ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")


def _v6(db: Database) -> None:
    # Repeating reminders: the rule (JSON, see bot/core/reminders/recurrence.py); one occurrence is planned at
    # a time, like the monthly repayment chain.
    db.execute("ALTER TABLE reminders ADD COLUMN rule TEXT")


def _v7(db: Database) -> None:
    # A user who blocked the bot (LINE unfollow): every send planned for them is held, including one
    # planned after a send that was in flight when they blocked.
    db.execute("ALTER TABLE users ADD COLUMN paused INTEGER NOT NULL DEFAULT 0")


def _v8(db: Database) -> None:
    # The user's choice of detailed notification previews (NULL: never chosen, discreet).
    db.execute("ALTER TABLE situations ADD COLUMN detailed_previews INTEGER")


def _v9(db: Database) -> None:
    # Several lenders: a reminder is about one of them (a flow file's name; NULL: set up before the
    # bot knew more than one lender). The repayment schedule is one per user and lender.
    db.execute("ALTER TABLE reminders ADD COLUMN lender TEXT")


def _v10(db: Database) -> None:
    # Durable answers: a turn's replies, committed with the turn, until they are sent (see
    # SqlStore.keep_reply). ``messages``: the platform's JSON of the reply; ``late``: what to push
    # instead once the reply token is no longer good (NULL: a note with the next answer). A claim
    # (owner, until: Unix seconds) says which instance sends it; an expired one is taken over.
    db.execute(
        "CREATE TABLE replies ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " event_id TEXT NOT NULL UNIQUE,"
        " platform TEXT NOT NULL,"
        " chat_id TEXT NOT NULL,"
        " reply_token TEXT,"
        " received_at TEXT NOT NULL,"
        " messages TEXT NOT NULL,"
        " late TEXT,"
        " attempts INTEGER NOT NULL DEFAULT 0,"
        " claimed_by TEXT,"
        " claimed_until REAL)"
    )
    db.execute("CREATE INDEX idx_replies_platform_claimed_until ON replies (platform, claimed_until)")


# The situation's columns, in the order v1 and v8 left them.
_SITUATION_COLUMNS = (
    "cause, wrong_attempts, card_lost, card_lost_at, overdue, suspended, due_day, reminder_time,"
    " visit_done_at, language, updated_at, detailed_previews"
)


def _v11(db: Database) -> None:
    # Several lenders: the situation is one row per user and lender ('' : the person's own facts, and
    # facts told before any lender was named). SQLite cannot change a primary key: the table is made
    # anew, its rows kept meanwhile in a temporary copy (outside the file, so the new table takes the
    # old one's pages instead of leaving them free).
    db.execute(f"CREATE TEMP TABLE situations_before AS SELECT user_id, {_SITUATION_COLUMNS} FROM situations")
    db.execute("DROP TABLE situations")
    db.execute(
        "CREATE TABLE situations ("
        " user_id INTEGER NOT NULL REFERENCES users(id),"
        " lender TEXT NOT NULL DEFAULT '',"
        " cause TEXT, wrong_attempts INTEGER, card_lost INTEGER, card_lost_at TEXT, overdue INTEGER,"
        " suspended INTEGER, due_day INTEGER, reminder_time TEXT, visit_done_at TEXT, language TEXT,"
        " updated_at TEXT, detailed_previews INTEGER,"
        " PRIMARY KEY (user_id, lender))"
    )
    db.execute(
        f"INSERT INTO situations (user_id, lender, {_SITUATION_COLUMNS})"
        f" SELECT user_id, '', {_SITUATION_COLUMNS} FROM temp.situations_before"
    )
    db.execute("DROP TABLE temp.situations_before")
    # A change is about the lender whose row it changed (NULL: the person's own row).
    db.execute("ALTER TABLE situation_history ADD COLUMN lender TEXT")


MIGRATIONS: list[tuple[int, Callable[[Database], None]]] = [
    (1, _v1),
    (2, _v2),
    (3, _v3),
    (4, _v4),
    (5, _v5),
    (6, _v6),
    (7, _v7),
    (8, _v8),
    (9, _v9),
    (10, _v10),
    (11, _v11),
]
