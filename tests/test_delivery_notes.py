"""Delivery notes: recorded once per user and code, shown once, gone when the user is forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)


def test_note_is_recorded_once_and_taken_once(store):
    with store.transaction():
        uid = store.ensure_user("discord", "42", NOW)
        store.notes.add(uid, "discord", "dms_closed", NOW)
        store.notes.add(uid, "discord", "dms_closed", NOW + timedelta(minutes=5))
    assert store.notes.peek(uid) == ["dms_closed"]
    with store.transaction():
        assert store.notes.take(uid) == ["dms_closed"]
        assert store.notes.take(uid) == []


def test_forgetting_a_user_removes_their_notes(store):
    with store.transaction():
        uid = store.ensure_user("discord", "42", NOW)
        store.notes.add(uid, "discord", "dms_closed", NOW)
        store.forget_user(uid)
    assert store.conn.execute("SELECT count(*) FROM delivery_notes").fetchone()[0] == 0
