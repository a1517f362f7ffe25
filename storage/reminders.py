"""Reminders and their outbox (planned sends), in SQL both adapters speak (SQLite and PostgreSQL).

The database is the truth: a reminder is a row, each planned send is an outbox row with a stable
key. Sends move pending -> sending (claimed) -> sent / pending again (retry) / failed; a crash
leaves rows in "sending", which :meth:`ReminderRepo.recover` puts back to pending at start-up so
they are retried with the same key. Nothing is deleted or marked sent before it was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

ACTIVE = ("active", "sent")  # reminders the user can still act on


def iso(moment: datetime) -> str:
    """UTC ISO 8601 with a fixed shape, so that text order is time order."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def from_iso(text: str) -> datetime:
    """Parse what :func:`iso` wrote."""
    return datetime.fromisoformat(text)


@dataclass(frozen=True, slots=True)
class Claimed:
    """An outbox row claimed for sending, with its reminder."""

    id: int
    reminder_id: int
    user_id: int
    platform: str
    platform_user_id: str
    slot: str
    due_at: str
    real_due: str | None
    key: str
    attempts: int
    last_error: str | None
    reminder: dict[str, Any]


REMINDER_COLUMNS = (
    "id, user_id, kind, what, reason, due_day, days_before, time_of_day, at, tz, status, created_at, updated_at,"
    " revision, rule, lender"
)
_OUTBOX_CLAIM_COLUMNS = (
    "id, reminder_id, user_id, platform, platform_user_id, slot, due_at, real_due, key, attempts, last_error"
)


# One row of _OUTBOX_CLAIM_COLUMNS, in that order (the leading fields of :class:`Claimed`).
_ClaimRow = tuple[int, int, int, str, str, str, str, str | None, str, int, str | None]


def inserted_id(cur: Any) -> int:
    """The id an ``INSERT ... RETURNING id`` just run on ``cur`` reported."""
    row = cur.fetchone()
    if row is None:  # never after a successful INSERT
        raise TypeError("INSERT did not report an id")
    return int(row[0])


def _reminder(row: tuple) -> dict[str, Any]:
    names = [n.strip() for n in REMINDER_COLUMNS.split(",")]
    return dict(zip(names, row, strict=True))


class ReminderRepo:
    """SQL for reminders and the outbox, over one connection (callers hold the transaction).

    ``conn`` is a DB-API style connection with ``execute``/``executemany`` and ``?`` placeholders
    (sqlite3's, or the PostgreSQL adapter's, which translates them). ``skip_locked`` is added to the
    claim's row selection: PostgreSQL's ``FOR UPDATE SKIP LOCKED`` lets several instances claim at
    once without waiting for or taking each other's rows; SQLite has one writer and needs none.
    """

    def __init__(self, conn: Any, skip_locked: str = "", for_update: str = "") -> None:
        self.conn = conn
        self.skip_locked = skip_locked
        # Row locks for a read that decides a write (PostgreSQL: " FOR UPDATE"); SQLite's single writer
        # already holds the whole database for the transaction.
        self.for_update = for_update

    # ------------------------------------------------------------------ reminders

    def add(self, user_id: int, fields: dict[str, Any], now: datetime) -> int:
        """Insert a reminder (status active) and return its id."""
        stamp = iso(now)
        row = {"user_id": user_id, "status": "active", "created_at": stamp, "updated_at": stamp, **fields}
        cols = ", ".join(row)
        cur = self.conn.execute(
            f"INSERT INTO reminders ({cols}) VALUES ({', '.join('?' * len(row))}) RETURNING id", tuple(row.values())
        )
        return inserted_id(cur)

    def get(self, reminder_id: int) -> dict[str, Any] | None:
        """One reminder by id (any owner: callers check ownership)."""
        row = self.conn.execute(f"SELECT {REMINDER_COLUMNS} FROM reminders WHERE id = ?", (reminder_id,)).fetchone()
        return _reminder(row) if row else None

    def for_user(self, user_id: int, statuses: tuple[str, ...] = ACTIVE) -> list[dict[str, Any]]:
        """The user's reminders with one of ``statuses``, oldest first."""
        marks = ", ".join("?" * len(statuses))
        rows = self.conn.execute(
            f"SELECT {REMINDER_COLUMNS} FROM reminders WHERE user_id = ? AND status IN ({marks}) ORDER BY id",
            (user_id, *statuses),
        ).fetchall()
        return [_reminder(r) for r in rows]

    def set_status(self, reminder_id: int, status: str, now: datetime, only_if: str | None = None) -> None:
        """Change a reminder's status (only from status ``only_if`` when given)."""
        query = "UPDATE reminders SET status = ?, updated_at = ? WHERE id = ?"
        params: tuple = (status, iso(now), reminder_id)
        if only_if is not None:
            query += " AND status = ?"
            params += (only_if,)
        self.conn.execute(query, params)

    def update(self, reminder_id: int, fields: dict[str, Any], now: datetime) -> None:
        """Change a reminder's fields (and make it active again)."""
        fields = {**fields, "status": "active", "updated_at": iso(now)}
        assignments = ", ".join(f"{k} = ?" for k in fields)
        self.conn.execute(
            f"UPDATE reminders SET {assignments}, revision = revision + 1 WHERE id = ?", (*fields.values(), reminder_id)
        )

    def next_sends(self, user_id: int) -> tuple[dict[int, str], dict[int, str]]:
        """The user's reminders, read in one query: reminder id -> when the snoozed message comes, and
        reminder id -> when the next planned (not snoozed) message comes."""
        rows = self.conn.execute(
            "SELECT reminder_id, slot = 'snooze', MIN(due_at) FROM outbox WHERE user_id = ?"
            " AND (status = 'pending' OR (slot = 'snooze' AND status = 'sending'))"
            " GROUP BY reminder_id, slot = 'snooze'",
            (user_id,),
        ).fetchall()
        snoozed = {int(r[0]): str(r[2]) for r in rows if r[1]}
        planned = {int(r[0]): str(r[2]) for r in rows if not r[1]}
        return snoozed, planned

    def sent_count(self, reminder_id: int, slot: str) -> int:
        """How many sends of one slot a reminder has made (a repeating reminder's occurrences so far).

        A send being recorded right now is still "sending" (the dispatcher plans the next occurrence
        before it marks the batch): it counts.
        """
        row = self.conn.execute(
            "SELECT COUNT(*) FROM outbox WHERE reminder_id = ? AND slot = ? AND status IN ('sent', 'sending')",
            (reminder_id, slot),
        ).fetchone()
        return int(row[0])

    def set_send_status(self, send_id: int, status: str) -> None:
        """Change one planned send's status (e.g. "skipped" when the user already repaid)."""
        self.conn.execute("UPDATE outbox SET status = ? WHERE id = ?", (status, send_id))

    # ------------------------------------------------------------------ outbox

    def plan(
        self,
        reminder: dict[str, Any],
        platform: str,
        platform_user_id: str,
        slot: str,
        due_at: datetime,
        key: str,
        real_due: str | None = None,
    ) -> bool:
        """Add a pending send; the unique key makes planning the same send twice a no-op."""
        stamp = iso(due_at)
        # Held at once when the user has blocked the bot (it may be planned after a send in flight).
        cur = self.conn.execute(
            "INSERT INTO outbox (reminder_id, user_id, platform, platform_user_id, slot, due_at, real_due,"
            " key, status, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
            " CASE WHEN (SELECT paused FROM users WHERE id = ?) = 1 THEN 'paused' ELSE 'pending' END, 0, ?)"
            " ON CONFLICT (key) DO NOTHING",
            (
                reminder["id"], reminder["user_id"], platform, platform_user_id, slot, stamp, real_due, key,
                reminder["user_id"], stamp,
            ),
        )  # fmt: skip
        return cur.rowcount == 1

    def cancel_pending(self, reminder_id: int, status: str = "cancelled") -> int:
        """Mark every not-yet-sent send of a reminder (pending only: a claimed one is in flight)."""
        cur = self.conn.execute(
            "UPDATE outbox SET status = ? WHERE reminder_id = ? AND status = 'pending'", (status, reminder_id)
        )
        return cur.rowcount

    def pending_for(self, reminder_id: int) -> list[dict[str, Any]]:
        """The pending sends of a reminder, soonest first."""
        rows = self.conn.execute(
            "SELECT id, slot, due_at, real_due FROM outbox WHERE reminder_id = ? AND status = 'pending'"
            " ORDER BY due_at",
            (reminder_id,),
        ).fetchall()
        return [{"id": r[0], "slot": r[1], "due_at": r[2], "real_due": r[3]} for r in rows]

    def last_sent(self, reminder_id: int) -> dict[str, Any] | None:
        """The most recent send of a reminder that went out (or was skipped), if any."""
        row = self.conn.execute(
            "SELECT id, slot, due_at, real_due FROM outbox WHERE reminder_id = ? AND status IN ('sent', 'skipped')"
            " ORDER BY due_at DESC LIMIT 1",
            (reminder_id,),
        ).fetchone()
        return {"id": row[0], "slot": row[1], "due_at": row[2], "real_due": row[3]} if row else None

    def next_due(self, platforms: tuple[str, ...] | None = None) -> datetime | None:
        """When the next pending send falls due (index-only lookup)."""
        if platforms is None:
            row = self.conn.execute("SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'").fetchone()
        else:
            marks = ", ".join("?" * len(platforms))
            row = self.conn.execute(
                f"SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending' AND platform IN ({marks})",
                platforms,
            ).fetchone()
        return from_iso(row[0]) if row and row[0] else None

    def recover(self, claimed_before: datetime | None = None) -> int:
        """Put sends left "sending" back to pending (they keep their key); return how many.

        With ``claimed_before``, only claims older than it: a claim is a lease, and a send another
        process is making right now is never taken from it. Without, every claim (one process alone).
        """
        if claimed_before is None:
            cur = self.conn.execute("UPDATE outbox SET status = 'pending', claimed_at = NULL WHERE status = 'sending'")
        else:
            cur = self.conn.execute(
                "UPDATE outbox SET status = 'pending', claimed_at = NULL WHERE status = 'sending' AND claimed_at < ?",
                (iso(claimed_before),),
            )
        return cur.rowcount

    def release_held(self, now: datetime) -> int:
        """Sends held until a date (a platform's monthly quota) that has come go back to pending."""
        cur = self.conn.execute(
            "UPDATE outbox SET status = 'pending' WHERE status = 'held' AND next_attempt_at <= ?", (iso(now),)
        )
        return cur.rowcount

    def held_send(self, send_id: int, user_id: int) -> dict[str, Any] | None:
        """One held send of the user with its reminder row, or None (gone, or no longer held)."""
        row = self.conn.execute(
            "SELECT reminder_id, slot, due_at, real_due FROM outbox WHERE id = ? AND user_id = ? AND status = 'held'",
            (send_id, user_id),
        ).fetchone()
        if row is None:
            return None
        reminder = self.get(int(row[0]))
        if reminder is None:
            return None
        return {"reminder": reminder, "slot": row[1], "due_at": row[2], "real_due": row[3]}

    def claim(
        self, now: datetime, limit: int, platforms: tuple[str, ...], platform_user_id: str | None = None
    ) -> list[Claimed]:
        """Claim up to ``limit`` due sends for these platforms (pending -> sending), soonest first."""
        marks = ", ".join("?" * len(platforms))
        where = f"status = 'pending' AND next_attempt_at <= ? AND platform IN ({marks})"
        params: list[Any] = [iso(now), *platforms]
        if platform_user_id is not None:
            where += " AND platform_user_id = ?"
            params.append(platform_user_id)
        rows: list[_ClaimRow] = self.conn.execute(
            f"UPDATE outbox SET status = 'sending', claimed_at = ?, attempts = attempts + 1 WHERE id IN"
            f" (SELECT id FROM outbox WHERE {where} ORDER BY next_attempt_at LIMIT ?{self.skip_locked})"
            f" RETURNING {_OUTBOX_CLAIM_COLUMNS}",
            (iso(now), *params, limit),
        ).fetchall()
        if not rows:
            return []
        ids = sorted({r[1] for r in rows})
        reminders = {
            r[0]: _reminder(r)
            for r in self.conn.execute(
                f"SELECT {REMINDER_COLUMNS} FROM reminders WHERE id IN ({', '.join('?' * len(ids))})", ids
            )
        }
        claimed = [Claimed(*r, reminder=reminders[r[1]]) for r in rows]
        claimed.sort(key=lambda c: c.due_at)
        return claimed

    def still_there(self, send_ids: list[int], lock: bool = True) -> set[int]:
        """Which of these outbox rows still exist (a forget may have deleted some meanwhile); with
        ``lock``, locked until the transaction ends so that a forget cannot delete them before the write."""
        if not send_ids:
            return set()
        marks = ", ".join("?" * len(send_ids))
        rows = self.conn.execute(
            f"SELECT id FROM outbox WHERE id IN ({marks}) ORDER BY id{self.for_update if lock else ''}",
            tuple(send_ids),
        ).fetchall()
        return {int(r[0]) for r in rows}

    def mark_many(self, results: list[tuple[str, str | None, str | None, int]], now: datetime) -> None:
        """Record outcomes: (status, next_attempt_at or None, error or None, outbox id)."""
        stamp = iso(now)
        self.conn.executemany(
            "UPDATE outbox SET status = ?, next_attempt_at = coalesce(?, next_attempt_at), last_error = ?,"
            " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END WHERE id = ?",
            [(status, nxt, err, status, stamp, oid) for status, nxt, err, oid in results],
        )
        # A send that was in flight when its user blocked the bot and is to be retried: held, not pending.
        self.conn.executemany(
            "UPDATE outbox SET status = 'paused' WHERE id = ? AND status = 'pending'"
            " AND user_id IN (SELECT id FROM users WHERE paused = 1)",
            [(oid,) for _s, _n, _e, oid in results],
        )

    def outbox_rows(self, reminder_id: int | None = None) -> list[dict[str, Any]]:
        """Every outbox row (of a reminder), for inspection and export."""
        query = "SELECT id, reminder_id, slot, due_at, real_due, key, status, attempts, last_error FROM outbox"
        params: tuple = ()
        if reminder_id is not None:
            query += " WHERE reminder_id = ?"
            params = (reminder_id,)
        names = ("id", "reminder_id", "slot", "due_at", "real_due", "key", "status", "attempts", "last_error")
        return [dict(zip(names, r, strict=True)) for r in self.conn.execute(query + " ORDER BY id", params)]

    def forget_user(self, user_id: int) -> list[str]:
        """Remove the user's outbox rows and reminders (caller's transaction); return the tables that had some."""
        if self.for_update:
            # Row locks in id order, as a dispatch recording its batch takes them (still_there): two
            # transactions locking the same rows in different orders could deadlock.
            self.conn.execute(f"SELECT id FROM outbox WHERE user_id = ? ORDER BY id{self.for_update}", (user_id,))
        touched = []
        for table in ("outbox", "reminders"):
            if self.conn.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,)).rowcount:
                touched.append(table)
        return touched
