"""The durable webhook inbox: acknowledged events survive a locked database, a crash and a restart.

Real parts throughout: the inbox's own SQLite file, the real server and SDK against the fake LINE
API, and for the crash a real ``python -m bot run`` process killed with SIGKILL.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sqlite3
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp

from storage.inbox import Arrival, Inbox, inbox_path_for
from tests.bot_process import start_bot, wait_healthy
from tests.fake_line import FakeLine, dumps, flat_text
from tests.test_line import SECRET, USER, Harness, free_port, run, sign, text_event

# ---------------------------------------------------------------------------------------------- the file


def test_events_come_back_in_arrival_order_and_leave_no_bytes_once_applied(tmp_path) -> None:
    inbox = Inbox(str(tmp_path / "bot.inbox.db"))
    now = datetime.now(UTC)
    inbox.put("line", [Arrival("e1", "U1", {"n": 1, "text": "ひみつのことば"}), Arrival("e2", "U2", {"n": 2})], now)
    inbox.put("line", [Arrival("", "U1", {"n": 3})], now)
    items = inbox.pending("line")
    assert [i.body["n"] for i in items] == [1, 2, 3]
    assert [i.event_id for i in items] == ["e1", "e2", ""]
    assert inbox.pending("discord") == []
    inbox.failed(items[0].seq, "OperationalError")
    assert inbox.pending("line")[0].attempts == 1
    assert inbox.backlog()[0] == 3
    for item in items:
        inbox.done(item.seq)
    inbox.truncate_if_empty()
    assert inbox.backlog() == (0, None)
    inbox.close()
    leftovers = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert "ひみつのことば".encode() not in leftovers


def test_claims_take_whole_users_in_lines_order_and_leave_users_another_worker_holds(tmp_path) -> None:
    path = str(tmp_path / "shared.inbox.db")
    a, b = Inbox(path), Inbox(path)  # two processes sharing one file, as two instances on one machine
    now = datetime.now(UTC)
    # LINE's later event arrived first: the order is the events' own time, then arrival.
    a.put("line", [Arrival("x2", "X", {"n": "x2"}, ts=2000), Arrival("y1", "Y", {"n": "y1"}, ts=1500)], now)
    b.put("line", [Arrival("x1", "X", {"n": "x1"}, ts=1000)], now)
    first = a.claim("line", "host:8081", limit=1, lease=30)
    assert [i.event_id for i in first.items] == ["x1"]  # X's first event by LINE's clock, though it came last
    other = b.claim("line", "host:8082", limit=10, lease=30)
    assert [i.event_id for i in other.items] == ["y1"] and other.deferred == 1  # x2 waits for A to finish X
    a.done(first.items[0].seq)
    again = b.claim("line", "host:8082", limit=10, lease=30)
    assert [i.event_id for i in again.items] == ["y1", "x2"] and again.deferred == 0
    # A worker that restarts under its name takes its claims back at once; another waits for the lease.
    assert a.claim("line", "host:8081", limit=10, lease=30).items == []
    assert [i.event_id for i in b.claim("line", "host:8082", limit=10, lease=30).items] == ["y1", "x2"]
    b.claim("line", "host:8082", limit=10, lease=0.01)
    time.sleep(0.05)  # the lease of a killed worker runs out
    assert [i.event_id for i in a.claim("line", "host:8081", limit=10, lease=30).items] == ["y1", "x2"]
    assert a.release("host:8081") == 2  # a clean stop gives them back
    assert [i.event_id for i in b.claim("line", "host:8082", limit=10, lease=30).items] == ["y1", "x2"]
    a.close()
    b.close()


def _inbox_of_an_earlier_version(path: Path) -> None:
    """An inbox file as the version before per-user claims wrote it, with one event left in it."""
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE inbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, platform TEXT NOT NULL, event_id TEXT,"
        " user_key TEXT NOT NULL, body TEXT NOT NULL, received_at TEXT NOT NULL,"
        " attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT)"
    )
    old.execute(
        "INSERT INTO inbox (platform, event_id, user_key, body, received_at) VALUES (?, ?, ?, ?, ?)",
        ("line", "e1", "U1", json.dumps({"timestamp": 5, "text": "のこり"}), "2026-12-01T00:00:00+00:00"),
    )
    old.commit()
    old.close()


def test_an_inbox_file_of_an_earlier_version_is_used_and_a_per_instance_one_is_moved_in(tmp_path) -> None:
    # Opened in place (the default SQLite inbox): it gains the new columns and keeps its event.
    _inbox_of_an_earlier_version(tmp_path / "bot.inbox.db")
    upgraded = Inbox(str(tmp_path / "bot.inbox.db"))
    [item] = upgraded.claim("line", "me", 10, 30).items
    assert (item.event_id, item.ts) == ("e1", None)
    upgraded.done(item.seq)
    upgraded.close()
    # The per-instance file of earlier PostgreSQL set-ups: its events move into the shared inbox.
    _inbox_of_an_earlier_version(tmp_path / "bot-8081.inbox.db")
    shared = Inbox(str(tmp_path / "bot.inbox.db"))
    assert shared.absorb(str(tmp_path / "bot-8081.inbox.db")) == 1
    assert not list(tmp_path.glob("bot-8081.inbox.db*"))
    [item] = shared.claim("line", "me", 10, 30).items
    assert (item.event_id, item.ts, item.received_at) == ("e1", 5, "2026-12-01T00:00:00+00:00")
    shared.close()


def test_the_inbox_sits_next_to_the_database_in_a_file_of_its_own() -> None:
    assert inbox_path_for("data/bot.db") == "data/bot.inbox.db"
    assert inbox_path_for("/srv/bot/state") == "/srv/bot/state.inbox.db"
    assert inbox_path_for(":memory:") == ":memory:"


# ---------------------------------------------------------------------------------------------- in process


def test_events_left_by_an_earlier_run_are_applied_at_start_and_expired_tokens_go_the_late_way(tmp_path) -> None:
    # A previous process acknowledged these two minutes ago and stopped before applying them.
    earlier = datetime.now(UTC) - timedelta(minutes=2)
    question, result = text_event("ログインできない"), text_event("カードをなくしました")
    inbox = Inbox(str(tmp_path / "line.inbox.db"))
    inbox.put("line", [Arrival(e["webhookEventId"], USER, e) for e in (question, result)], earlier)
    inbox.close()

    async def scenario() -> None:
        async with Harness(tmp_path) as h:
            assert await h.door.worker.settled()
            assert h.fake.replies == []  # the tokens are too old to try
            [push] = h.fake.pushes  # the result is what the user waits for
            assert "遅くなり" in flat_text(push["messages"][0]) and "カード" in push["messages"][0]["altText"]
            assert h.count("seen_events") == 2 and h.door.inbox.backlog()[0] == 0
            assert await h.post(text_event("ヘルプ")) == 200  # the question became a note, told now, once
            [reply] = await h.replies(1)
            assert "お返事できませんでした" in reply["messages"][0]["text"]

    run(scenario())


def test_one_poisonous_event_gets_a_polite_answer_and_the_others_go_on(tmp_path, caplog) -> None:
    async def scenario() -> None:
        async with Harness(tmp_path) as h:
            bad, good = text_event("ヘルプ"), text_event("ヘルプ", user="U" + "b" * 32)
            real = h.door.events._incoming

            def incoming(event, user, event_id):
                if event_id == bad["webhookEventId"]:
                    raise ZeroDivisionError("a bug met by this one event")
                return real(event, user, event_id)

            h.door.events._incoming = incoming
            with caplog.at_level(logging.INFO):
                assert await h.post(bad, good) == 200
                replies = await h.replies(2)
                assert await h.door.worker.settled()
            by_token = {r["replyToken"]: r["messages"][0]["text"] for r in replies}
            assert "うまく処理できませんでした" in by_token[bad["replyToken"]]
            assert "うまく処理できませんでした" not in by_token[good["replyToken"]]
            assert h.door.inbox.backlog()[0] == 0  # dropped, not retried forever
            errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
            assert len(errors) == 1 and bad["webhookEventId"] in errors[0].getMessage()
            assert errors[0].exc_info is None

    run(scenario())


def test_healthz_is_degraded_while_acknowledged_events_cannot_be_applied(tmp_path) -> None:
    async def scenario() -> None:
        async with Harness(tmp_path) as h:
            other = sqlite3.connect(str(tmp_path / "line.db"), isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            try:
                stale = datetime.now(UTC) - timedelta(minutes=1)
                event = text_event("ヘルプ")
                h.door.inbox.put("line", [Arrival(event["webhookEventId"], USER, event)], stale)
                h.door.worker.wake()
                for _ in range(200):
                    if h.door.worker.waiting:
                        break
                    await asyncio.sleep(0.05)
                async with h.http.get(h.url("/healthz")) as resp:
                    body = await resp.json()
                assert resp.status == 503
                assert any("webhook events wait" in r for r in body["reasons"]), body
            finally:
                other.execute("ROLLBACK")
                other.close()
            assert await h.door.worker.settled(timeout=10)
            async with h.http.get(h.url("/healthz")) as resp:
                assert resp.status == 200

    run(scenario())


# ---------------------------------------------------------------------------------------------- kill -9


def _start(tmp_path: Path, port: int, fake_url: str) -> subprocess.Popen:
    return start_bot(
        LINE_CHANNEL_SECRET=SECRET,
        LINE_CHANNEL_ACCESS_TOKEN="kill-token",
        LINE_API_BASE_URL=fake_url,
        BOT_PORT=str(port),
        BOT_DB_PATH=str(tmp_path / "kill.db"),
    )


def test_no_acknowledged_event_is_lost_when_the_process_is_killed_during_a_database_lock(tmp_path) -> None:
    users = [f"U{n:032x}" for n in range(4)]
    # Each user's turns must be applied in their order: a question, then its answer by number.
    events = [text_event(text, user=u) for u in users for text in ("ログインできない", "1", "状況")]

    async def scenario() -> None:
        fake = FakeLine()
        fake_url = await fake.start()
        port = free_port()
        proc = _start(tmp_path, port, fake_url)
        async with aiohttp.ClientSession() as http:
            try:
                await wait_healthy(http, port)
                lock = sqlite3.connect(str(tmp_path / "kill.db"), isolation_level=None)
                lock.execute("BEGIN IMMEDIATE")  # the main database stays locked past every acknowledgement
                statuses = []
                for event in events:
                    body = dumps({"destination": "U", "events": [event]})
                    headers = {"X-Line-Signature": sign(body), "Content-Type": "application/json"}
                    started = time.monotonic()
                    async with http.post(f"http://127.0.0.1:{port}/line/webhook", data=body, headers=headers) as r:
                        statuses.append((r.status, time.monotonic() - started))
                assert all(status == 200 for status, _ in statuses)
                assert max(seconds for _, seconds in statuses) < 1.5
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=10)
                lock.execute("ROLLBACK")
                lock.close()
                assert fake.replies == []  # nothing was applied before the crash
                proc = _start(tmp_path, port, fake_url)
                await wait_healthy(http, port)
                deadline = time.monotonic() + 20
                while len(fake.replies) < len(events) and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
            finally:
                proc.send_signal(signal.SIGTERM)
                _, err = proc.communicate(timeout=20)
                await fake.stop()
        assert b"Traceback" not in err
        assert sorted(r["replyToken"] for r in fake.replies) == sorted(e["replyToken"] for e in events)
        conn = sqlite3.connect(str(tmp_path / "kill.db"))
        applied = [row[0] for row in conn.execute("SELECT event_id FROM seen_events ORDER BY rowid")]
        assert sorted(applied) == sorted(e["webhookEventId"] for e in events)  # each applied once
        for user in users:
            mine = [e["webhookEventId"] for e in events if e["source"]["userId"] == user]
            assert [a for a in applied if a in mine] == mine  # in the user's order
        assert conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0] == len(users)
        conn.close()
        assert Inbox(str(tmp_path / "kill.inbox.db")).backlog() == (0, None)

    run(scenario())


def test_a_secret_is_withheld_before_the_inbox_and_still_gets_the_warning(tmp_path) -> None:
    async def scenario() -> None:
        async with Harness(tmp_path) as h:
            other = sqlite3.connect(str(tmp_path / "line.db"), isolation_level=None)
            other.execute("BEGIN IMMEDIATE")  # keep the event waiting in the inbox while we look
            try:
                for text in ("暗証番号は4821です", "パスワードは さくらもち"):
                    assert await h.post(text_event(text)) == 200
                for _ in range(100):
                    if h.door.worker.waiting == 2:
                        break
                    await asyncio.sleep(0.05)
                stored = json.dumps([i.body for i in h.door.inbox.pending("line")], ensure_ascii=False)
                inbox_bytes = b"".join(p.read_bytes() for p in tmp_path.glob("line.inbox.db*"))
            finally:
                other.execute("ROLLBACK")
                other.close()
            assert "4821" not in stored and "さくらもち" not in stored
            assert b"4821" not in inbox_bytes and "さくらもち".encode() not in inbox_bytes
            replies = await h.replies(2)
            assert all("暗証番号" in r["messages"][0]["text"] for r in replies)  # the usual warning

    run(scenario())
