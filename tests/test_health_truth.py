"""/healthz tells the truth about writing: 503 with the reason while the inbox or the database refuses
writes, the WAL kept under its size limit (or said why not), and a shutdown on a full disk without a
traceback. Real parts: the aiohttp server and SDK of test_line.py, real SQLite files, a real tmpfs.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from storage import Store, open_database
from tests.bot_process import start_bot, wait_healthy
from tests.fake_line import FakeLine
from tests.test_line import SECRET, Harness, free_port, sign, text_event


async def _health(h: Harness) -> tuple[int, dict]:
    async with h.http.get(h.url("/healthz")) as resp:
        return resp.status, await resp.json()


async def _until_health(h: Harness, status: int, timeout: float = 10.0) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        code, body = await _health(h)
        if code == status:
            return body
        assert asyncio.get_running_loop().time() < deadline, (code, body)
        await asyncio.sleep(0.05)


def test_an_inbox_that_cannot_be_written_is_503_with_the_reason_until_it_can(tmp_path) -> None:
    async def scenario() -> None:
        async with Harness(tmp_path) as h:
            assert (await _health(h))[0] == 200
            inbox = h.door.inbox.conn
            inbox.execute("PRAGMA query_only = ON")  # as root, chmod cannot make the file read-only
            assert await h.post(text_event("ヘルプ")) == 500  # not acknowledged: LINE redelivers
            code, body = await _health(h)
            assert code == 503
            assert any("inbox cannot be written" in r and "readonly" in r for r in body["reasons"]), body
            inbox.execute("PRAGMA query_only = OFF")
            # No webhook needs to come: a probe sees the inbox writable again.
            await _until_health(h, 200)
            assert await h.post(text_event("ヘルプ")) == 200

    asyncio.run(scenario())


def test_a_database_that_cannot_be_written_is_503_at_once_not_after_the_backlog_grows_old(tmp_path) -> None:
    async def scenario() -> None:
        async with Harness(tmp_path) as h:
            # Under the store's lock: no other thread (the dispatcher, housekeeping) is in the middle of a
            # transaction on this connection when it turns read-only.
            with h.app.store.locked():
                h.app.store.conn.execute("PRAGMA query_only = ON")
            event = text_event("ヘルプ")
            assert await h.post(event) == 200  # acknowledged into the inbox
            body = await _until_health(h, 503, timeout=20)  # well before the 30 s of a stale backlog
            [reason] = [r for r in body["reasons"] if "database cannot be written" in r]
            assert "readonly" in reason and "1 webhook events wait" in reason
            with h.app.store.locked():
                h.app.store.conn.execute("PRAGMA query_only = OFF")
            await h.replies(1)
            await _until_health(h, 200)
            assert [r["replyToken"] for r in h.fake.replies] == [event["replyToken"]]

    asyncio.run(scenario())


def test_a_wal_over_its_limit_is_truncated_or_said_why_not(tmp_path, caplog) -> None:
    path = str(tmp_path / "bot.db")
    store = Store(open_database(path))
    try:
        store.wal_limit = 1  # any WAL is over it
        for n in range(50):
            with store.transaction():
                store.mark_seen(f"event-{n}", datetime.now(UTC))
        assert Path(f"{path}-wal").stat().st_size > 0
        reader = sqlite3.connect(path, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM seen_events").fetchone()  # holds a snapshot: no truncation
        with caplog.at_level(logging.INFO, logger="storage.repo"):
            store.checkpoint_passive()
            store.checkpoint_passive()  # a second failing round says nothing new
            problem = store.wal_problem
            assert problem is not None and "over its 0 MB limit" in problem and "reader" in problem
            health = store.health(datetime.now(UTC))
            assert problem in health["problems"]
            reader.execute("COMMIT")
            reader.close()
            store.checkpoint_passive()
        assert store.wal_problem is None
        assert Path(f"{path}-wal").stat().st_size == 0
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1 and "cannot be checkpointed" in warnings[0].getMessage()
        assert any("checkpointed again" in r.getMessage() for r in caplog.records)
    finally:
        store.close()


@pytest.fixture
def tiny_disk(tmp_path):
    """A 16 MB tmpfs (the tests run as root); skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path) -> None:
    """Fill the disk to the last byte."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)


def test_a_full_disk_is_503_and_shutting_down_on_it_leaves_no_traceback(tmp_path, tiny_disk) -> None:
    async def scenario() -> bytes:
        fake = FakeLine()
        url = await fake.start()
        port = free_port()
        proc = start_bot(
            LINE_CHANNEL_SECRET=SECRET,
            LINE_CHANNEL_ACCESS_TOKEN="full-disk",
            LINE_API_BASE_URL=url,
            BOT_PORT=str(port),
            BOT_DB_PATH=str(tiny_disk / "bot.db"),
        )
        try:
            async with aiohttp.ClientSession() as http:
                await wait_healthy(http, port, seconds=30)
                _fill(tiny_disk)
                body = b'{"destination": "U", "events": [' + _event_bytes() + b"]}"
                headers = {"X-Line-Signature": sign(body), "Content-Type": "application/json"}
                for _ in range(3):
                    async with http.post(f"http://127.0.0.1:{port}/line/webhook", data=body, headers=headers) as r:
                        assert r.status in (200, 500)
                deadline = asyncio.get_running_loop().time() + 15
                while True:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                        health = await resp.json()
                        if resp.status == 503 and any("cannot be written" in r for r in health.get("reasons", [])):
                            break
                    assert asyncio.get_running_loop().time() < deadline, health
                    await asyncio.sleep(0.1)
                # The disk was full when /healthz said so. (At the stop the final checkpoint may free the
                # WAL's space: the turns' WAL was folded before the disk filled, so it has nothing to copy.)
                assert shutil.disk_usage(tiny_disk).free < 4096
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.to_thread(proc.communicate, timeout=30)
            assert proc.returncode == 0, err
            return err
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            await fake.stop()

    err = asyncio.run(scenario())
    assert b"Traceback" not in err, err.decode(errors="replace")


def _event_bytes() -> bytes:
    # Large enough that the inbox must grow to keep it.
    return json.dumps(text_event("ヘルプ" * 20000), ensure_ascii=False).encode()
