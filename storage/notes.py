"""Delivery notes: short flags a door shows a user the next time they write (e.g. "DMs are closed").

A note is a code (``dms_closed``), never message text; the door turns it into words. One note per
user and code: recording it again only refreshes its time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.reminders import iso


class DeliveryNotes:
    """The ``delivery_notes`` table (callers hold the store's transaction for writes)."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def add(self, user_id: int, platform: str, note: str, now: datetime) -> None:
        """Record ``note`` for the user (idempotent)."""
        self.conn.execute(
            "INSERT INTO delivery_notes (user_id, platform, note, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(user_id, note) DO UPDATE SET created_at = excluded.created_at",
            (user_id, platform, note, iso(now)),
        )

    def peek(self, user_id: int) -> list[str]:
        """The user's notes, oldest first, left in place."""
        rows = self.conn.execute(
            "SELECT note FROM delivery_notes WHERE user_id = ? ORDER BY created_at, note", (user_id,)
        ).fetchall()
        return [r[0] for r in rows]

    def take_code(self, user_id: int, note: str) -> bool:
        """Remove one note of the user; True when it was there (shown once)."""
        cur = self.conn.execute("DELETE FROM delivery_notes WHERE user_id = ? AND note = ?", (user_id, note))
        return cur.rowcount > 0

    def take(self, user_id: int) -> list[str]:
        """The user's notes, oldest first, removed (each is shown once)."""
        notes = self.peek(user_id)
        if notes:
            self.conn.execute("DELETE FROM delivery_notes WHERE user_id = ?", (user_id,))
        return notes
