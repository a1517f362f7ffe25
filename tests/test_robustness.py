"""Robustness of the LINE door on real parts (the server, SDK, fake LINE API and SQLite of test_line.py).

* a locked database is waited for; a full or read-only one gives one log line, HTTP 500 and nothing
  marked seen, so LINE's redelivery is applied once the condition is lifted.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any

import pytest

from storage import Store, open_database
from tests.test_line import Harness, text_event

OK_SIGNED = {200, 400, 413}
OK_UNSIGNED = {400, 413}
ACCESS_TOKEN = "test-token"  # what Harness configures

# ---------------------------------------------------------------------------------------------- harness


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run one scenario on a fresh loop (the tests that need a server of their own)."""
    return asyncio.run(coro)


# ---------------------------------------------------------------------------------------------- 3.-4. database trouble


def test_a_locked_database_is_waited_for(tmp_path) -> None:
    async def scenario() -> None:
        async with Harness(tmp_path) as h:
            # Let the reminder engine's start-up wake pass first: it reads the database on the event loop,
            # so a lock taken now would freeze the whole loop (see the report on Dispatcher.run_due).
            await asyncio.sleep(0.2)
            other = sqlite3.connect(str(tmp_path / "line.db"), isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")  # another process holds the write lock ...
                event = text_event("ヘルプ")
                started = time.monotonic()
                post = asyncio.create_task(h.post(event))
                await asyncio.sleep(1.0)
                assert not post.done()
                assert h.fake.replies == []
                other.execute("COMMIT")  # ... for about a second
                assert await post == 200
                assert time.monotonic() - started >= 1.0
            finally:
                other.close()
            [reply] = await h.replies(1)
            assert reply["replyToken"] == event["replyToken"]
            assert h.count("seen_events") == 1

    run(scenario())


def _one_line_error(caplog, condition: str) -> None:
    """Exactly one ERROR record, from the door, naming the condition, with no traceback anywhere."""
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.name for r in errors] == ["bot.adapters.line"], [r.getMessage() for r in errors]
    [error] = errors
    assert error.getMessage() == (
        f"webhook: database unavailable (OperationalError: {condition}); answered 500 so LINE redelivers"
    )
    assert error.exc_info is None and "Traceback" not in caplog.text


async def _redelivery_is_applied_once(h: Harness, event: dict) -> None:
    assert await h.post(event) == 200
    assert await h.post(event) == 200  # a second redelivery is a duplicate
    [reply] = await h.replies(1)
    assert reply["replyToken"] == event["replyToken"]
    assert h.count("seen_events") == 1


def test_a_full_database_gives_one_log_line_500_and_nothing_seen(tmp_path, caplog) -> None:
    async def scenario() -> None:
        async with Harness(tmp_path) as h:
            conn = h.app.store.conn
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            assert conn.execute(f"PRAGMA max_page_count = {pages}").fetchone()[0] == pages
            assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
            # No page may be added, and this event id (a real one is 26 characters) is too long for any
            # page: its index entry needs overflow pages, so the write must hit SQLITE_FULL.
            event = text_event("ヘルプ", event_id="01FULL" + "0" * 20_000)
            with caplog.at_level(logging.INFO):
                assert await h.post(event) == 500
            _one_line_error(caplog, "database or disk is full")
            assert h.count("seen_events") == 0 and h.count("users") == 0
            assert conn.execute("PRAGMA max_page_count = 1073741823").fetchone()[0] > pages
            await _redelivery_is_applied_once(h, event)

    run(scenario())


def test_a_read_only_database_gives_one_log_line_500_and_nothing_seen(tmp_path, caplog) -> None:
    async def scenario() -> None:
        async with Harness(tmp_path) as h:
            conn = h.app.store.conn
            # The tests run as root, for whom chmod does not make a file read-only; query_only does.
            conn.execute("PRAGMA query_only = ON")
            event = text_event("ヘルプ")
            with caplog.at_level(logging.INFO):
                assert await h.post(event) == 500
            _one_line_error(caplog, "attempt to write a readonly database")
            assert h.count("seen_events") == 0
            conn.execute("PRAGMA query_only = OFF")
            await _redelivery_is_applied_once(h, event)

    run(scenario())


def test_a_failed_commit_does_not_leave_the_transaction_open(db_path) -> None:
    """A COMMIT that fails (here: a deferred foreign key) used to leave the transaction open, so every
    later ``transaction()`` joined it as if nested and nothing was ever committed again."""
    store = Store(open_database(db_path))
    try:
        with pytest.raises(sqlite3.IntegrityError), store.transaction():
            store.conn.execute("PRAGMA defer_foreign_keys = ON")  # checked at COMMIT, which then fails
            store.conn.execute("INSERT INTO conversations (user_id, state, updated_at) VALUES (999, '{}', 'x')")
        assert not store.conn.in_transaction
        with store.transaction():
            store.mark_seen("after-the-failure", datetime(2026, 1, 1, tzinfo=UTC))
        other = sqlite3.connect(db_path)
        assert other.execute("SELECT event_id FROM seen_events").fetchall() == [("after-the-failure",)]
        other.close()
    finally:
        store.db.close()
