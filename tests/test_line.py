"""The LINE door on real parts: the real aiohttp server on 127.0.0.1, real HMAC signatures, the real
line-bot-sdk client pointed at a local fake LINE API, a real SQLite file (and, for the tests taking
``backend``, PostgreSQL too: the end-to-end contract runs on both storage adapters)."""

from __future__ import annotations

import asyncio
import base64
import copy
import hashlib
import hmac
import json
import logging
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.line import LineDoor
from bot.app import build_app
from bot.core.dialogue.messages import SaveReminder
from bot.delivery.planner import Planner
from bot.runner import serve
from bot.settings import load_settings
from tests.fake_line import FakeLine, dumps, flat_text, flex_buttons

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "line"
SECRET = "test-channel-secret"
USER = "U1234567890abcdef1234567890abcdef"


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_counter = iter(range(1, 10**9))


def text_event(text: str, user: str = USER, event_id: str | None = None, redelivery: bool = False) -> dict:
    n = next(_counter)
    return {
        "type": "message",
        "mode": "active",
        "timestamp": 1462629479859,
        "source": {"type": "user", "userId": user},
        "webhookEventId": event_id or f"01TESTEVENT{n:015d}",
        "deliveryContext": {"isRedelivery": redelivery},
        "replyToken": f"token-{n}",
        "message": {"id": str(n), "type": "text", "quoteToken": "q", "text": text},
    }


def postback_event(data: str, user: str = USER, params: dict | None = None) -> dict:
    event = text_event("", user)
    del event["message"]
    event["type"] = "postback"
    event["postback"] = {"data": data, **({"params": params} if params else {})}
    return event


class Harness:
    """The bot serving LINE on a free port, talking to a fake LINE API."""

    def __init__(
        self,
        tmp_path: Path,
        database_url: str = "",
        secret: str = SECRET,
        fake: FakeLine | None = None,
        env: dict[str, str] | None = None,
        **engine_options,
    ) -> None:
        self.tmp_path = tmp_path
        self.database_url = database_url
        self.secret = secret
        self.fake = fake or FakeLine()
        self.env = env or {}
        self.engine_options = engine_options  # the reminder engine's options (e.g. concurrency)
        self.stop = asyncio.Event()

    async def __aenter__(self) -> Harness:
        fake_url = await self.fake.start()
        self.port = free_port()
        env = {
            "LINE_CHANNEL_SECRET": self.secret,
            "LINE_CHANNEL_ACCESS_TOKEN": "test-token",
            "LINE_API_BASE_URL": fake_url,
            "BOT_PORT": str(self.port),
            "BOT_DB_PATH": str(self.tmp_path / "line.db"),
            "DATABASE_URL": self.database_url,
            # These tests pin one lender's wording and numbers; the lender question has its own tests.
            "BOT_LENDERS": "promise",
            **self.env,
        }
        self.app = build_app(load_settings(env=env, dotenv=None))
        self.door = LineDoor(self.app)
        self.task = asyncio.create_task(serve(self.app, [self.door], self.stop, **self.engine_options))
        self.http = aiohttp.ClientSession()
        for _ in range(100):
            try:
                async with self.http.get(self.url("/healthz")) as resp:
                    if resp.status == 200:
                        break
            except aiohttp.ClientError:
                await asyncio.sleep(0.02)
        return self

    async def __aexit__(self, *exc) -> None:
        self.stop.set()
        await self.task
        await self.http.close()
        await self.fake.stop()
        if self.database_url:
            self.app.store.close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def post_raw(self, body: bytes, signature: str | None = "sign") -> int:
        headers = {"Content-Type": "application/json"}
        if signature == "sign":
            headers["X-Line-Signature"] = sign(body, self.secret)
        elif signature is not None:
            headers["X-Line-Signature"] = signature
        async with self.http.post(self.url("/line/webhook"), data=body, headers=headers) as resp:
            await resp.read()
            return resp.status

    async def post(self, *events: dict) -> int:
        return await self.post_raw(dumps({"destination": "Uxxx", "events": list(events)}))

    async def replies(self, count: int, timeout: float = 15.0) -> list[dict]:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.fake.replies) < count and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)  # let any unexpected extra reply arrive
        return self.fake.replies

    def count(self, table: str) -> int:
        return self.app.store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def run(coro):
    return asyncio.run(coro)


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request) -> str:
    """The storage the bot runs on: "" for SQLite, else a PostgreSQL URL (a fresh, empty database)."""
    return request.getfixturevalue("pg_database") if request.param == "postgres" else ""


def test_known_answer_signature_vectors(tmp_path):
    vectors = json.loads((FIXTURES / "signature_vectors.json").read_text())["vectors"]
    for v in vectors:
        assert sign(v["body"].encode(), v["channel_secret"]) == v["x_line_signature"]

    async def scenario():
        docs = vectors[0]
        async with Harness(tmp_path, secret=docs["channel_secret"]) as h:
            assert await h.post_raw(docs["body"].encode(), docs["x_line_signature"]) == 200
            # The SDK test vector is correctly signed but is not a webhook body: 400, never 5xx.
            assert await h.post_raw(b"bodybodybodybody", sign(b"bodybodybodybody", docs["channel_secret"])) == 400

    run(scenario())


def test_bad_requests_are_refused_and_store_nothing(tmp_path):
    async def scenario():
        async with Harness(tmp_path) as h:
            body = dumps({"destination": "U", "events": [text_event("ログインできない")]})
            assert await h.post_raw(body, signature=None) == 400
            assert await h.post_raw(body, signature="bm90IGEgc2lnbmF0dXJl") == 400
            assert await h.post_raw(body, signature=sign(body, "another-secret")) == 400
            assert await h.post_raw(b"{not json") == 400
            assert await h.post_raw(b'{"destination": "U"}') == 400
            assert await h.post_raw(b"[1, 2, 3]") == 400
            assert await h.post_raw(b"\xff\xfe garbage") == 400
            assert await h.post_raw(b"x" * (1024 * 1024 + 10)) == 413
            assert await h.post(*[]) == 200
            assert h.count("users") == 0 and h.count("seen_events") == 0
            assert h.door.inbox.backlog() == (0, None)  # nothing refused was kept, even for a moment
            assert (await h.replies(0)) == []

    run(scenario())


def test_text_gets_a_reply_with_quick_reply_postbacks(tmp_path, backend):
    async def scenario():
        async with Harness(tmp_path, backend) as h:
            event = text_event("ログインできない")
            assert await h.post(event) == 200
            [reply] = await h.replies(1)
            assert reply["replyToken"] == event["replyToken"]
            texts = [m["text"] for m in reply["messages"]]
            assert "公式サービスではありません" in texts[0]  # first contact: the welcome
            assert "今の状況にいちばん近いもの" in texts[-1]
            actions = h.fake.last_quick_replies()
            assert actions[0] == {
                "type": "postback", "label": "カードをなくした・盗まれた", "data": "v1|p:start:lost_card",
                "displayText": "カードをなくした・盗まれた",
            }  # fmt: skip
            assert all(len(a["label"]) <= 20 and len(a["data"]) <= 300 for a in actions)
            # Tapping a choice comes back as a postback and walks the flow.
            assert await h.post(postback_event(actions[0]["data"])) == 200
            replies = await h.replies(2)
            # The result is a Flex bubble: the call button on top dials the number.
            [card] = [m for m in replies[1]["messages"] if m["type"] == "flex"]
            assert "0120-24-0365" in flat_text(card) and "0120-24-0365" in card["altText"]
            assert flex_buttons(card)[0] == {"type": "uri", "label": "プロミスコールに電話", "uri": "tel:0120240365"}
            # A button from an older version of the bot.
            await h.post(postback_event("v0|f0:start:1"))
            replies = await h.replies(3)
            assert "古くなっている" in replies[2]["messages"][0]["text"]
            assert h.fake.pushes == []

    run(scenario())


def test_every_fixture_event_is_answered_200(tmp_path):
    v3 = json.loads((FIXTURES / "v3_webhook.json").read_text())
    events = []
    for i, event in enumerate(v3["events"]):
        event = copy.deepcopy(event)
        event["webhookEventId"] = f"fixture-{i}"  # the fixture shares one id across all events
        events.append(event)
    docs = sorted((FIXTURES / "docs_examples").glob("*.json"))

    async def scenario():
        async with Harness(tmp_path) as h:
            # The whole SDK fixture in one signed request (exact bytes signed) ...
            assert await h.post_raw(dumps({"destination": v3["destination"], "events": events})) == 200
            # ... each event alone, and every example from LINE's reference, byte for byte.
            for event in events:
                assert await h.post(event) == 200
            for path in docs:
                assert await h.post_raw(path.read_bytes()) == 200, path.name
            await h.replies(1)
            health = await (await h.http.get(h.url("/healthz"))).json()
            assert health["status"] == "ok" and health["doors"]["line"]["events"] >= len(events)

    run(scenario())


def test_duplicates_are_applied_once_and_redelivery_alone_is_not_dropped(tmp_path, backend):
    async def scenario():
        async with Harness(tmp_path, backend) as h:
            event = text_event("ヘルプ", event_id="01DUPLICATE0000000000000001")
            assert await h.post(event) == 200
            assert await h.post({**event, "deliveryContext": {"isRedelivery": True}}) == 200
            assert await h.post(event, event) == 200
            assert len(await h.replies(1)) == 1
            fresh = text_event("状況", redelivery=True)
            assert await h.post(fresh) == 200
            replies = await h.replies(2)
            assert len(replies) == 2 and "まだ何も" in replies[1]["messages"][0]["text"]

    run(scenario())


def test_group_chats_get_one_notice_and_no_personal_data(tmp_path, backend):
    async def scenario():
        async with Harness(tmp_path, backend) as h:
            event = text_event("カードを落とした")
            event["source"] = {"type": "group", "groupId": "Cgroup1", "userId": USER}
            await h.post(event)
            await h.post({**event, "webhookEventId": "another-id", "replyToken": "t2"})
            [reply] = await h.replies(1)
            assert "1対1" in reply["messages"][0]["text"]
            assert await h.door.worker.settled()
            assert h.count("users") == 0 and h.count("situations") == 0

    run(scenario())


def test_stickers_get_a_please_type_answer(tmp_path):
    async def scenario():
        async with Harness(tmp_path) as h:
            event = text_event("")
            event["message"] = {
                "id": "1", "type": "sticker", "packageId": "1", "stickerId": "1", "stickerResourceType": "STATIC",
                "quoteToken": "q",
            }  # fmt: skip
            await h.post(event)
            [reply] = await h.replies(1)
            assert "スタンプや画像" in reply["messages"][-1]["text"]
            assert h.fake.last_quick_replies()

    run(scenario())


def test_datetime_picker_goes_to_the_same_confirmation(tmp_path):
    async def scenario():
        async with Harness(tmp_path) as h:
            await h.post(text_event("来店リマインダー"))
            await h.replies(1)
            actions = h.fake.last_quick_replies()
            assert actions[0]["type"] == "datetimepicker" and actions[0]["mode"] == "datetime"
            tomorrow = (datetime.now(UTC) + timedelta(days=2)).astimezone().strftime("%Y-%m-%dT10:00")
            await h.post(postback_event(actions[0]["data"], params={"datetime": tomorrow}))
            replies = await h.replies(2)
            text = replies[1]["messages"][-1]["text"]
            assert "10:00に自動契約機へ行く予定ですね" in text and "この内容で設定しますか" in text

    run(scenario())


def _due_reminder(app, user_id: str, minutes_ago: int = 1) -> None:
    store = app.store
    now = datetime.now(UTC)
    uid = store.ensure_user("line", user_id, now)
    at = (now - timedelta(minutes=minutes_ago)).isoformat()
    with store.transaction():
        Planner(store.reminders).save(
            uid, "line", user_id, SaveReminder("free", {"tz": "Asia/Tokyo", "at": at, "what": "電話する"}), now
        )


async def _wait_status(h: Harness, status: str, timeout: float = 15.0, attempts: int = 0) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        row = h.app.store.reminders.outbox_rows()[-1]
        if row["status"] == status and row["attempts"] >= attempts:
            return row
        await asyncio.sleep(0.02)
    raise AssertionError(f"outbox never reached {status}: {h.app.store.reminders.outbox_rows()}")


def test_reminders_are_pushed_with_the_send_key_as_retry_key(tmp_path, backend):
    async def scenario():
        async with Harness(tmp_path, backend) as h:
            h.fake.push_script = [(500, {})]
            _due_reminder(h.app, USER)
            h.app.service.on_reminders_changed()
            row = await _wait_status(h, "pending", attempts=1)
            assert row["attempts"] == 1 and "HTTP 500" in row["last_error"]
            # Retry now (the backoff would wait seconds): same key, delivered once.
            h.app.store.conn.execute("UPDATE outbox SET next_attempt_at = '2000-01-01T00:00:00+00:00'")
            h.app.service.on_reminders_changed()
            row = await _wait_status(h, "sent")
            assert h.fake.push_keys == [row["key"], row["key"]]
            [push] = h.fake.pushes
            [message] = push["messages"]
            assert push["to"] == USER and message["type"] == "flex" and "電話する" in flat_text(message)
            # The buttons are on the bubble itself (they stay), and come as quick replies too.
            labels = ["1時間後にもう一度", "明日の同じ時刻に", "完了した", "このお知らせを止める"]
            assert [a["label"] for a in flex_buttons(message)] == labels
            assert all(a["type"] == "postback" for a in flex_buttons(message))
            assert [i["action"]["label"] for i in message["quickReply"]["items"]] == labels

    run(scenario())


def test_push_errors_409_429_and_4xx(tmp_path):
    async def scenario():
        async with Harness(tmp_path) as h:
            door = h.door
            from bot.core.dialogue.messages import Reply

            reply = Reply("x")
            h.fake.accepted_keys.add("11111111-1111-1111-1111-111111111111")
            assert (await door.send(USER, reply, "11111111-1111-1111-1111-111111111111")).status == "sent"
            h.fake.push_script = [(429, {"Retry-After": "42"})]
            result = await door.send(USER, reply, "22222222-2222-2222-2222-222222222222")
            assert (result.status, result.retry_after) == ("retry", 42.0)
            h.fake.push_script = [(400, {})]
            result = await door.send(USER, reply, "33333333-3333-3333-3333-333333333333")
            assert result.status == "failed" and "400" in result.error

    run(scenario())


def test_block_pauses_pushes_and_unblock_resumes_them(tmp_path, backend):
    async def scenario():
        async with Harness(tmp_path, backend) as h:
            unfollow = text_event("")
            del unfollow["message"], unfollow["replyToken"]
            unfollow["type"] = "unfollow"
            h.app.store.ensure_user("line", USER, datetime.now(UTC))
            assert await h.post(unfollow) == 200
            # The 200 only says the event is durable: wait until it has been applied.
            assert await h.door.worker.settled()
            paused = "SELECT paused FROM users WHERE platform_user_id = ?"
            assert h.app.store.conn.execute(paused, (USER,)).fetchone()[0] == 1
            # Planned after the block: held at once.
            _due_reminder(h.app, USER)
            h.app.service.on_reminders_changed()
            await asyncio.sleep(0.3)
            assert h.fake.pushes == [] and h.app.store.reminders.outbox_rows()[-1]["status"] == "paused"
            follow = text_event("")
            del follow["message"]
            follow["type"] = "follow"
            follow["follow"] = {"isUnblocked": True}
            assert await h.post(follow) == 200
            [reply] = await h.replies(1)
            assert any("おかえりなさい" in m["text"] for m in reply["messages"])
            await _wait_status(h, "sent")
            assert len(h.fake.pushes) == 1

    run(scenario())


def test_a_failed_reply_is_logged_not_pushed(tmp_path, caplog):
    async def scenario():
        async with Harness(tmp_path) as h:
            # A refusal of the message itself (not of the token): a push would be refused too.
            h.fake.reply_script = [(400, {}, "The request body has 1 error(s)")]
            with caplog.at_level(logging.INFO):
                assert await h.post(text_event("暗証番号を忘れた")) == 200
                await asyncio.sleep(0.3)
            assert h.fake.pushes == []
            assert "reply failed with HTTP 400" in caplog.text
            assert "暗証番号を忘れた" not in caplog.text  # logs carry ids, never message text

    run(scenario())


def test_a_broken_database_keeps_the_acknowledged_event_until_it_can_be_applied(tmp_path):
    async def scenario():
        async with Harness(tmp_path) as h:
            event = text_event("ヘルプ")
            original = h.app.service.handle
            calls = []

            def broken(*args, **kwargs):
                calls.append(1)
                raise __import__("sqlite3").OperationalError("database or disk is full")

            h.app.service.handle = broken
            assert await h.post(event) == 200  # durable in the inbox: acknowledged
            while len(calls) < 2:  # retried, not dropped
                await asyncio.sleep(0.05)
            assert h.count("seen_events") == 0 and h.fake.replies == []
            h.app.service.handle = original
            [reply] = await h.replies(1)  # applied without any redelivery
            assert reply["replyToken"] == event["replyToken"]
            assert h.count("seen_events") == 1 and h.door.inbox.backlog()[0] == 0

    run(scenario())


def test_an_expired_reply_token_pushes_a_result_and_notes_anything_else(tmp_path, backend):
    async def scenario():
        async with Harness(tmp_path, backend) as h:
            # A question (not a result): the answer becomes a note shown with the next reply.
            h.fake.reply_script = [(400, {})]  # "Invalid reply token"
            assert await h.post(text_event("ログインできない")) == 200
            assert await h.door.worker.settled()
            assert h.fake.pushes == []
            assert await h.post(text_event("ヘルプ")) == 200
            [reply] = await h.replies(1)
            assert "お返事できませんでした" in reply["messages"][0]["text"]
            assert await h.post(text_event("ヘルプ")) == 200  # said once
            replies = await h.replies(2)
            assert "お返事できませんでした" not in replies[-1]["messages"][0]["text"]
            # A diagnosis result is what the user waits for: pushed, with an apology first, and once.
            h.fake.reply_script = [(400, {})]
            event = text_event("カードを落とした")
            assert await h.post(event) == 200
            assert await h.door.worker.settled()
            [push] = h.fake.pushes
            # The apology sits inside the result card: the notification shows the result, not the apology.
            first = push["messages"][0]
            assert push["to"] == USER and first["type"] == "flex"
            assert "遅くなり" in flat_text(first) and "カード" in first["altText"]
            assert h.fake.push_keys == [f"late-{event['webhookEventId']}"]

    run(scenario())


def test_a_slow_database_still_gets_a_fast_200_and_a_reply_later(tmp_path):
    import time

    async def scenario():
        async with Harness(tmp_path) as h:
            original = h.app.service.handle

            def slow(*args, **kwargs):
                time.sleep(2.0)
                return original(*args, **kwargs)

            h.app.service.handle = slow
            started = asyncio.get_running_loop().time()
            assert await h.post(text_event("ヘルプ")) == 200
            assert asyncio.get_running_loop().time() - started < 1.9
            assert len(await h.replies(1)) == 1

    run(scenario())


def test_healthz_answers_within_a_second_and_says_why_when_the_database_is_locked(tmp_path):
    import sqlite3
    import time

    async def scenario():
        async with Harness(tmp_path) as h:
            assert (await h.http.get(h.url("/healthz"))).status == 200
            other = sqlite3.connect(tmp_path / "line.db", timeout=0.1)
            other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
            try:
                started = time.monotonic()
                resp = await h.http.get(h.url("/healthz"))
                body = await resp.json()
                assert time.monotonic() - started < 1.5
                assert resp.status == 503 and body["status"] == "degraded" and body["reasons"]
            finally:
                other.rollback()
                other.close()
            assert (await h.http.get(h.url("/healthz"))).status == 200

    run(scenario())


def test_the_monthly_limit_holds_pushes_and_the_next_reply_carries_the_reminder(tmp_path, caplog):
    from bot.adapters.line_quota import next_month_start

    async def scenario():
        async with Harness(tmp_path) as h:
            h.fake.push_script = [(429, {}, "You have reached your monthly limit.")]
            _due_reminder(h.app, USER)
            with caplog.at_level(logging.INFO):
                h.app.service.on_reminders_changed()
                row = await _wait_status(h, "held")
                # A second reminder while the limit holds: LINE is not asked again (no retry storm).
                _due_reminder(h.app, USER, minutes_ago=2)
                h.app.service.on_reminders_changed()
                await _wait_status(h, "held")
                await asyncio.sleep(0.2)
            assert len(h.fake.push_keys) == 1 and h.fake.pushes == []
            assert {r["status"] for r in h.app.store.reminders.outbox_rows()} == {"held"}
            until = next_month_start(datetime.now(UTC))
            assert row["last_error"] == f"held: monthly message limit until {until.astimezone(UTC).isoformat()}"
            assert caplog.text.count("LINE monthly message limit reached") == 1  # warned once
            # /healthz shows the quota and this month's consumption, and stays 200 (replies still work).
            h.door.quota.read_at = None
            h.fake.usage = 200
            await (await h.http.get(h.url("/healthz"))).read()
            await asyncio.sleep(0.2)
            resp = await h.http.get(h.url("/healthz"))
            quota = (await resp.json())["doors"]["line"]["quota"]
            assert resp.status == 200 and quota["state"] == "exhausted"
            assert quota["limit"] == 200 and quota["used_this_month"] == 200
            assert quota["held_until"] == until.isoformat()
            # The user writes: the reply (free) carries both reminders, as cards with buttons that stay.
            assert await h.post(text_event("ヘルプ")) == 200
            [reply] = await h.replies(1)
            messages = reply["messages"]
            assert "上限" in messages[0]["text"]
            cards = [m for m in messages if m["type"] == "flex"]
            assert len(cards) == 2 and all("電話する" in flat_text(m) for m in cards)
            assert [b["label"] for b in flex_buttons(cards[0])][:2] == ["1時間後にもう一度", "明日の同じ時刻に"]
            assert {r["status"] for r in h.app.store.reminders.outbox_rows()} == {"sent"}
            assert len(h.fake.push_keys) == 1  # still no push
            # Tapping a card's button works like any postback.
            done = next(b for b in flex_buttons(cards[0]) if b["label"] == "完了した")
            assert await h.post(postback_event(done["data"])) == 200
            replies = await h.replies(2)
            assert "上限" not in flat_text(replies[1]["messages"][0])

    run(scenario())


def test_a_rate_limit_429_is_still_retried_not_held(tmp_path):
    async def scenario():
        async with Harness(tmp_path) as h:
            h.fake.push_script = [(429, {"Retry-After": "1"}, "Too many requests")]
            _due_reminder(h.app, USER)
            h.app.service.on_reminders_changed()
            row = await _wait_status(h, "pending", attempts=1)
            assert "HTTP 429" in row["last_error"] and h.door.quota.exhausted_until is None
            health = await (await h.http.get(h.url("/healthz"))).json()
            assert health["doors"]["line"]["quota"]["state"] == "ok"

    run(scenario())


def test_a_slow_answer_shows_the_loading_animation_and_a_quick_one_does_not(tmp_path):
    import time

    async def scenario():
        async with Harness(tmp_path) as h:
            assert await h.post(text_event("ヘルプ")) == 200
            await h.replies(1)
            await asyncio.sleep(1.3)
            assert h.fake.loading == []  # answered at once: no animation
            original = h.app.service.handle

            def slow(*args, **kwargs):
                time.sleep(1.6)
                return original(*args, **kwargs)

            h.app.service.handle = slow
            assert await h.post(text_event("状況")) == 200
            assert len(await h.replies(2)) == 2
            assert h.fake.loading == [{"chatId": USER, "loadingSeconds": 20}]

    run(scenario())


def test_a_button_of_a_reminder_that_is_gone_is_answered_politely(tmp_path):
    from bot.adapters.line_render import postback_data
    from bot.core.dialogue.actions import ReminderOp

    async def scenario():
        async with Harness(tmp_path) as h:
            assert await h.post(postback_event(postback_data(ReminderOp("s1h", 4242)))) == 200
            [reply] = await h.replies(1)
            text = "\n".join(flat_text(m) for m in reply["messages"])
            assert "見つかりませんでした" in text and h.fake.last_quick_replies()

    run(scenario())


def test_the_loading_animation_is_shown_once_per_user_and_never_while_a_burst_is_worked_off(tmp_path, monkeypatch):
    import time

    import bot.inbox_worker

    async def scenario():
        async with Harness(tmp_path) as h:
            original = h.app.service.handle

            def slow(*args, **kwargs):
                time.sleep(1.6)
                return original(*args, **kwargs)

            h.app.service.handle = slow
            # Three messages of one user waiting together: one animation, not three.
            assert await h.post(text_event("ヘルプ"), text_event("状況"), text_event("ヘルプ")) == 200
            assert len(await h.replies(3, timeout=20)) == 3
            assert h.fake.loading == [{"chatId": USER, "loadingSeconds": 20}]
            # A backlog over the limit: the answers come as it drains, no animation is started.
            monkeypatch.setattr(bot.inbox_worker, "BACKLOG", 0)
            assert await h.post(text_event("状況", user="U" + "d" * 32), text_event("状況", user="U" + "e" * 32)) == 200
            assert len(await h.replies(5, timeout=20)) == 5
            await asyncio.sleep(1.2)
            assert len(h.fake.loading) == 1

    run(scenario())
