"""Quiet, useful logs: an idle bot says (almost) nothing at INFO, and ``LOG_FORMAT=json`` gives one
JSON object per line with the ids a line is about, never message text. Real ``python -m bot run``
processes against the fake LINE API."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import signal
import time
from datetime import datetime

import aiohttp

from bot.logconfig import JsonFormatter, configure_logging
from tests.bot_process import start_bot, wait_healthy
from tests.fake_line import FakeLine, dumps
from tests.test_line import SECRET, USER, free_port, sign, text_event

# The dispatcher wakes every TICK seconds here (every 30 s by default): IDLE seconds hold as many
# scheduler runs as about an hour of a default bot, and every other periodic job of a two-minute idle
# spell (the WAL tidy-up every 2 s, the inbox's looks every second, the quota on /healthz).
TICK = 0.1
IDLE = 4.0


async def _post(http: aiohttp.ClientSession, port: int, event: dict) -> int:
    body = dumps({"destination": "U", "events": [event]})
    headers = {"X-Line-Signature": sign(body), "Content-Type": "application/json"}
    async with http.post(f"http://127.0.0.1:{port}/line/webhook", data=body, headers=headers) as resp:
        return resp.status


def _stamp(line: str) -> datetime | None:
    """The time of a text log line (``2026-12-04 05:41:07,270 INFO ...``), or None for other lines."""
    try:
        return datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f")
    except ValueError:
        return None


def test_an_idle_bot_at_info_writes_at_most_two_lines_after_start_up(tmp_path) -> None:
    async def scenario() -> tuple[str, datetime, datetime]:
        fake = FakeLine()
        url = await fake.start()
        port = free_port()
        proc = start_bot(
            LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN="idle-token", LINE_API_BASE_URL=url,
            BOT_PORT=str(port), BOT_DB_PATH=str(tmp_path / "idle.db"), LOG_LEVEL="INFO",
            BOT_DISPATCH_TICK_SECONDS=str(TICK),
        )  # fmt: skip
        try:
            async with aiohttp.ClientSession() as http:
                await wait_healthy(http, port, seconds=30)
                await asyncio.sleep(1.0)  # start-up is over: the first wake and housekeeping have run
                idle_from = datetime.now()
                deadline = time.monotonic() + IDLE
                while time.monotonic() < deadline:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                        assert resp.status == 200  # a load balancer's health checks are part of idling
                    await asyncio.sleep(0.5)
                idle_to = datetime.now()
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.to_thread(proc.communicate, timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
            await fake.stop()
        return err.decode(), idle_from, idle_to

    err, idle_from, idle_to = asyncio.run(scenario())
    assert "listening on" in err  # start-up itself still says where it listens
    during = [line for line in err.splitlines() if (at := _stamp(line)) is not None and idle_from <= at <= idle_to]
    assert len(during) <= 2, "\n".join(during)
    assert "apscheduler" not in err  # no per-run scheduler lines, at start or at stop


def test_json_logs_carry_event_ids_as_fields_and_never_message_text(tmp_path) -> None:
    secret_words = "ログインできないんです"

    async def scenario() -> tuple[str, dict]:
        fake = FakeLine()
        url = await fake.start()
        port = free_port()
        proc = start_bot(
            LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN="json-token", LINE_API_BASE_URL=url,
            BOT_PORT=str(port), BOT_DB_PATH=str(tmp_path / "json.db"), LOG_FORMAT="json",
        )  # fmt: skip
        event = text_event(secret_words)
        try:
            async with aiohttp.ClientSession() as http:
                await wait_healthy(http, port, seconds=30)
                assert await _post(http, port, event) == 200
                for _ in range(300):
                    if fake.replied(event["replyToken"]):
                        break
                    await asyncio.sleep(0.05)
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.to_thread(proc.communicate, timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
            await fake.stop()
        return err.decode(), event

    err, event = asyncio.run(scenario())
    records = [json.loads(line) for line in err.splitlines()]  # every line is one JSON object
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)
    handled = [r for r in records if r.get("event_id") == event["webhookEventId"]]
    assert handled and all(r["user"] == f"line:{USER}" for r in handled), records
    assert secret_words not in err


def test_json_exceptions_say_their_type_and_where_never_their_message() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.json")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        try:
            raise ValueError("暗証番号は4821")
        except ValueError:
            logger.exception("the turn failed", extra={"event_id": "ev-1"})
    finally:
        logger.removeHandler(handler)
    [record] = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert record["event_id"] == "ev-1" and record["exception"] == "ValueError" and record["stack"]
    assert record["level"] == "ERROR" and "4821" not in stream.getvalue()


def test_the_scheduler_speaks_only_at_debug() -> None:
    chatty, root = logging.getLogger("apscheduler"), logging.getLogger()
    saved = (chatty.level, root.level, list(root.handlers))
    try:
        configure_logging(logging.INFO, "text", io.StringIO())
        assert not chatty.isEnabledFor(logging.INFO) and chatty.isEnabledFor(logging.WARNING)
        configure_logging(logging.DEBUG, "text", io.StringIO())
        assert chatty.isEnabledFor(logging.DEBUG)
    finally:
        chatty.setLevel(saved[0])
        root.setLevel(saved[1])
        root.handlers[:] = saved[2]
